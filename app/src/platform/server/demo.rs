//! A demo club: an admin, a cashier, a few members, the starter earning policy, a branch with a
//! POS API key, a live wheel, two raffles (one on sale, one drawn) and two running contests
//! with their leaderboards, so a fresh checkout has something to show and the POS API works at
//! once.

use engine::access::{Role, RoleSet};
use engine::earn::Policy;
use engine::ledger::{Money, Points};
use engine::profile::PersonName;
use engine::raffle::{RaffleDraft, RafflePrize, RafflePrizeKind, RaffleSpec};
use engine::time::Timestamp;
use engine::wheel::{FreeSpins, Prize, SegmentDraft, SpinPeriod, WheelDraft, WheelSpec};

use crate::features::accounts::server::service as accounts;
use crate::features::pos::server as pos;
use crate::platform::server::state::AppState;
use crate::platform::server::store::{AccountId, StoredProfile};

pub const ADMIN_LOGIN: &str = "admin@bashgah.local";
pub const CASHIER_LOGIN: &str = "cashier@bashgah.local";
pub const BRANCH_NAME: &str = "شعبه مرکزی";
pub const PARTNER_LOGIN: &str = "partner@bashgah.local";

const MEMBERS: [(&str, &str, &str); 4] = [
    ("09120000001", "سارا", "کریمی"),
    ("09120000002", "علی", "رضایی"),
    ("09120000003", "مریم", "احمدی"),
    ("09120000004", "Reza", "Tehrani"),
];

/// What the demo created and how to sign in, for the operator's terminal.
pub struct DemoLogins {
    pub password: String,
    pub lines: Vec<String>,
}

/// 20 characters from a 32-letter alphabet (100 bits): not guessable within any login limit, and
/// easy to type from the terminal.
fn random_password() -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz23456789-";
    let bits = (u128::from(crate::platform::server::clock::random_u64()) << 64) | u128::from(crate::platform::server::clock::random_u64());
    (0..20).map(|i| char::from(ALPHABET[((bits >> (5 * i)) & 31) as usize])).collect()
}

/// Seeds the demo club into an empty database; leaves any other database untouched.
pub async fn seed(state: &AppState) -> anyhow::Result<Option<DemoLogins>> {
    if state.db.accounts.count_accounts().await? > 0 {
        return Ok(None);
    }
    let password = random_password();
    let err = |code: crate::platform::error::ErrorCode| anyhow::anyhow!("cannot seed the demo club: {}", code.as_str());
    let admin = accounts::sign_up(state, ADMIN_LOGIN, &password, RoleSet::of(&[Role::Admin])).await.map_err(err)?;
    let cashier = accounts::sign_up(state, CASHIER_LOGIN, &password, RoleSet::of(&[Role::Cashier])).await.map_err(err)?;
    let mut lines = vec![format!("admin:   {ADMIN_LOGIN}"), format!("cashier: {CASHIER_LOGIN}")];
    let mut members = Vec::new();
    for (phone, first, last) in MEMBERS {
        let member = accounts::sign_up(state, phone, &password, RoleSet::of(&[Role::Member])).await.map_err(err)?;
        let profile = StoredProfile {
            first_name: PersonName::parse(first).ok(),
            last_name: PersonName::parse(last).ok(),
            ..StoredProfile::default()
        };
        accounts::save_profile(state, member.id, &profile).await.map_err(err)?;
        lines.push(format!("member:  {phone} ({first} {last})"));
        members.push(member.id);
    }
    // Stored rather than left to the fallback, so the admin sees a first version with its author.
    pos::policy::save(state, &Policy::starter(), Some(admin.id)).await.map_err(err)?;
    let (branch, key) = pos::keys::create_branch(state, BRANCH_NAME).await.map_err(err)?;
    state.db.club.set_cashier_branches(cashier.id, &[branch.id], crate::platform::server::clock::now()).await?;
    lines.push(format!("POS API: branch {} ({}), key {}", branch.id, branch.name, key.secret));
    let wheel = state.db.wheels.create_wheel(&demo_wheel()?, crate::platform::server::clock::now()).await?;
    state.db.wheels.set_live(wheel, true, crate::platform::server::clock::now()).await?;
    lines.push(format!("wheel:   /wheels/{wheel} (one free spin a week, then 50 points)"));
    demo_history(state, admin.id, pos::Till { branch: branch.id, cashier: Some(cashier.id) }, &members).await?;
    lines.extend(demo_raffles(state, &members).await?);
    lines.extend(demo_contests(state, &members).await?);
    lines.extend(demo_coupons(state, &password, &members).await?);
    Ok(Some(DemoLogins { password, lines }))
}

/// Each member gets a welcome gift of spendable points (an adjustment by the admin, with its
/// reason) and a few purchases at the branch, so the wallet has a history from the first look.
async fn demo_history(state: &AppState, admin: AccountId, till: pos::Till, members: &[AccountId]) -> anyhow::Result<()> {
    use engine::ledger::{Adjustment, ClientId, ExpiryPolicy, MemberId, Request};
    let now = crate::platform::server::clock::now();
    let err = |code: crate::platform::error::ErrorCode| anyhow::anyhow!("cannot seed the demo history: {}", code.as_str());
    for (n, account) in members.iter().enumerate() {
        let member = MemberId::new(account.0)?;
        let gift = Request::Adjust { member, change: Adjustment::GrantPoints { points: Points::new(500)?, policy: ExpiryPolicy::Never } };
        let note = crate::platform::server::store::AdjustmentNote { member, by: admin.0, reason: "هدیهٔ خوش‌آمد / welcome gift".into() };
        let refused = state.db.ledger.adjust(ClientId::parse(&format!("demo-gift-{}", account.0))?, gift, note, now).await?;
        refused.map_err(|e| anyhow::anyhow!("cannot seed the demo gift: {e}"))?;
        for (k, rials) in [1_250_000_i64, 480_000, 2_900_000].into_iter().enumerate().take(n % 3 + 1) {
            let input = pos::PurchaseInput {
                external_id: crate::platform::server::store::ExternalId::parse(&format!("demo-{}-{k}", account.0)).ok_or_else(|| anyhow::anyhow!("external id"))?,
                member: pos::MemberKey::Card(state.db.accounts.account(*account).await?.ok_or_else(|| anyhow::anyhow!("member"))?.card),
                amount: Money::from_minor(rials * 100)?,
                occurred_at: None,
            };
            pos::record_purchase(state, till, &input).await.map_err(err)?;
        }
    }
    Ok(())
}

/// A raffle on sale for a week with tickets already sold, and one that closed an hour ago and
/// is drawn, paid and verifiable.
async fn demo_raffles(state: &AppState, members: &[AccountId]) -> anyhow::Result<Vec<String>> {
    use crate::features::raffles::server::service as raffles;
    let now = crate::platform::server::clock::now();
    let hour = 3_600_000;
    let err = |code: crate::platform::error::ErrorCode| anyhow::anyhow!("cannot seed the demo raffles: {}", code.as_str());
    let running = raffles::open(state, demo_raffle("قرعه‌کشی پاییز", "Autumn raffle", now, now.plus_days(7))?).await.map_err(err)?;
    let finished_at = Timestamp::from_unix_millis(now.unix_millis() - hour);
    let finished = Timestamp::from_unix_millis(now.unix_millis() - 3 * hour);
    let drawn = raffles::open_at(state, demo_raffle("قرعه‌کشی تابستان", "Summer raffle", finished, finished_at)?, finished).await.map_err(err)?;
    for (n, member) in members.iter().enumerate() {
        let seed = crate::platform::server::clock::random_seed();
        let count = n as u32 % 3 + 1;
        raffles::buy_at(state, *member, running.id, count, &seed, "demo-autumn", now).await.map_err(err)?;
        let during = Timestamp::from_unix_millis(finished.unix_millis() + hour);
        raffles::buy_at(state, *member, drawn.id, 1, &seed, "demo-summer", during).await.map_err(err)?;
    }
    raffles::run_due(state, now).await?;
    Ok(vec![
        format!("raffle:  /raffles/{} (on sale for a week, 10 points a ticket)", running.id),
        format!("raffle:  /raffles/{} (drawn; its bundle is at /api/log/bundles/draw/{})", drawn.id, drawn.id),
    ])
}

/// Two contests that began a day ago and run for a week, joined by the members before their
/// demo purchases, so the boards have scores from the first look: the biggest spenders win by
/// rank (ties to who got there first), and members with two purchases or more go into a draw.
async fn demo_contests(state: &AppState, members: &[AccountId]) -> anyhow::Result<Vec<String>> {
    use crate::features::contests::server::service as contests;
    use engine::contest::{ContestDraft, ContestSpec, Metric, PrizeMode, TieRule};
    let now = crate::platform::server::clock::now();
    let (began, ends) = (Timestamp::from_unix_millis(now.unix_millis() - 86_400_000), now.plus_days(6));
    let err = |code: crate::platform::error::ErrorCode| anyhow::anyhow!("cannot seed the demo contests: {}", code.as_str());
    let line = |kind, count, fa: &str, en: &str| RafflePrize { kind, count, label_fa: fa.into(), label_en: en.into() };
    let draft = |fa: &str, en: &str, metric, tie_rule, prize_mode, prizes, min_score, fee| ContestDraft {
        title_fa: fa.into(),
        title_en: en.into(),
        description_fa: "به مسابقه بپیوندید و با خریدهایتان در جدول بالا بروید.".into(),
        description_en: "Join the contest and climb the board with your purchases.".into(),
        metric,
        starts_at: began,
        ends_at: ends,
        entry_fee: fee,
        min_score,
        tie_rule,
        prize_mode,
        prizes,
        beacon: false,
        board_size: 10,
    };
    let spenders = ContestSpec::parse(draft(
        "قهرمان خرید هفته",
        "Top shopper of the week",
        Metric::AmountSpent,
        TieRule::FirstToReach,
        PrizeMode::ByRank,
        vec![
            line(RafflePrizeKind::Points { points: Points::new(2_000)? }, 1, "", ""),
            line(RafflePrizeKind::Points { points: Points::new(800)? }, 1, "", ""),
            line(RafflePrizeKind::Item, 1, "کارت هدیهٔ کافه", "A café gift card"),
        ],
        1,
        Points::ZERO,
    ))?;
    let regulars = ContestSpec::parse(draft(
        "قرعهٔ مشتریان همیشگی",
        "Regulars' draw",
        Metric::PurchaseCount,
        TieRule::SharedRank,
        PrizeMode::Drawn,
        vec![line(RafflePrizeKind::Points { points: Points::new(1_500)? }, 1, "", "")],
        2,
        Points::new(20)?,
    ))?;
    let mut lines = Vec::new();
    for spec in [spenders, regulars] {
        let contest = contests::create_at(state, spec, began).await.map_err(err)?;
        for (n, member) in members.iter().enumerate() {
            let seed = crate::platform::server::clock::random_seed();
            contests::join_at(state, *member, contest.id, &seed, &format!("demo-join-{n}"), began).await.map_err(err)?;
        }
        contests::publish(state, &contest, now).await?;
        lines.push(format!("contest: /contests/{} (running for six more days)", contest.id));
    }
    Ok(lines)
}

/// Two partner brands with a listing each (codes from a pattern, and from a pool), a partner
/// user with an API key for the café, and members who already hold coupons, one of them used.
async fn demo_coupons(state: &AppState, password: &str, members: &[AccountId]) -> anyhow::Result<Vec<String>> {
    use crate::features::coupons::server::service::{self as coupons, Codes};
    use engine::coupon::{CategoryId, CouponValue, ListingDraft, ListingSpec};
    let now = crate::platform::server::clock::now();
    let err = |code: crate::platform::error::ErrorCode| anyhow::anyhow!("cannot seed the demo coupons: {}", code.as_str());
    let listing = |fa: &str, en: &str, category: &str, price: i64, value: CouponValue, settlement_rials: i64| -> anyhow::Result<ListingSpec> {
        Ok(ListingSpec::parse(ListingDraft {
            title_fa: fa.into(),
            title_en: en.into(),
            terms_fa: "یک بار در هر خرید؛ با تخفیف‌های دیگر جمع نمی‌شود.".into(),
            terms_en: "Once per purchase; not combined with other offers.".into(),
            category: CategoryId::parse(category).ok_or_else(|| anyhow::anyhow!("category"))?,
            image_url: String::new(),
            price: Points::new(price)?,
            value,
            settlement_price: Money::from_minor(settlement_rials * 100)?,
            sale_from: Timestamp::from_unix_millis(now.unix_millis() - 86_400_000),
            sale_until: now.plus_days(30),
            valid_until: now.plus_days(60),
            per_member_limit: 2,
            tiers: Default::default(),
        })?)
    };
    let cafe = coupons::create_partner(state, "کافه نارنج", "Narenj Café").await.map_err(err)?;
    let books = coupons::create_partner(state, "کتاب‌فروشی ققنوس", "Qoqnoos Books").await.map_err(err)?;
    let coffee = coupons::create_listing(
        state,
        cafe.id,
        listing("۲۰٪ تخفیف قهوه", "20% off coffee", "cafe", 150, CouponValue::Percent { percent: 20 }, 40_000)?,
        Codes::Pattern { pattern: "NARENJ-####-####", charset: "ABCDEFGHJKMNPQRSTUVWXYZ23456789", count: 50 },
    )
    .await
    .map_err(|refused| err(refused.code))?;
    let pool: String = (1..=20).map(|n| format!("QOQNOOS-{n:04}\n")).collect();
    let book = coupons::create_listing(
        state,
        books.id,
        listing("۵۰ هزار ریال تخفیف کتاب", "50,000 rials off a book", "books", 300, CouponValue::Fixed { rials: Money::from_minor(5_000_000)? }, 45_000)?,
        Codes::Pool(&pool),
    )
    .await
    .map_err(|refused| err(refused.code))?;
    let user = accounts::sign_up(state, PARTNER_LOGIN, password, RoleSet::of(&[Role::Partner])).await.map_err(err)?;
    state.db.coupons.set_partner_user(cafe.id, user.id, now).await?;
    let (secret, _) = coupons::issue_key(state, cafe.id, "شعبه ونک").await.map_err(err)?;
    let mut held = Vec::new();
    for (n, member) in members.iter().enumerate() {
        let listing = if n % 2 == 0 { coffee.id } else { book.id };
        held.push(coupons::buy_at(state, *member, listing, "demo-coupon", now).await.map_err(err)?.into_result());
    }
    if let Some(first) = held.first() {
        coupons::redeem_at(state, cafe.id, "شعبه ونک", &first.code, "demo-redemption", now).await.map_err(|r| err(r.code()))?;
    }
    Ok(vec![
        format!("partner: {PARTNER_LOGIN} (Narenj Café) · /partner"),
        format!("market:  /market (two brands; the members hold {} coupons, one used)", held.len()),
        format!("partner API key (Narenj Café): {secret}"),
    ])
}

fn demo_raffle(fa: &str, en: &str, opens: Timestamp, closes: Timestamp) -> anyhow::Result<RaffleSpec> {
    let line = |kind, count, fa: &str, en: &str| RafflePrize { kind, count, label_fa: fa.into(), label_en: en.into() };
    Ok(RaffleSpec::parse(RaffleDraft {
        title_fa: fa.into(),
        title_en: en.into(),
        description_fa: "با امتیازهایتان بلیت بخرید؛ برندگان با قرعه‌ای که هر کسی می‌تواند بررسی کند انتخاب می‌شوند.".into(),
        description_en: "Buy tickets with your points; the winners are drawn by a draw anyone can verify.".into(),
        prizes: vec![
            line(RafflePrizeKind::Item, 1, "دوچرخهٔ شهری", "A city bicycle"),
            line(RafflePrizeKind::Points { points: Points::new(1000)? }, 1, "", ""),
            line(RafflePrizeKind::Points { points: Points::new(200)? }, 2, "", ""),
        ],
        ticket_price: Points::new(10)?,
        per_member_limit: 20,
        opens_at: opens,
        closes_at: closes,
        beacon: false,
        tiers: Default::default(),
        // A free ticket with every purchase of a million rials or more.
        ticket_per_purchase: Some(Money::from_minor(100_000_000)?),
        by_contest: false,
    })?)
}

/// A weekly wheel without a beacon, so the demo spins offline too.
fn demo_wheel() -> anyhow::Result<WheelSpec> {
    let segment = |id: &str, fa: &str, en: &str, colour: &str, prize: Prize, weight: u64, stock: Option<u64>| SegmentDraft {
        id: id.into(),
        label_fa: fa.into(),
        label_en: en.into(),
        colour: colour.into(),
        prize,
        weight,
        stock,
        budget: None,
    };
    let points = |n: i64| Points::new(n).map(|points| Prize::Points { points });
    let draft = WheelDraft {
        name_fa: "گردونهٔ هفته".into(),
        name_en: "Wheel of the week".into(),
        segments: vec![
            segment("p20", "۲۰ امتیاز", "20 points", "#0f766e", points(20)?, 40, None),
            segment("again", "دوباره", "Spin again", "#f3a712", Prize::ExtraSpin, 15, None),
            segment("p100", "۱۰۰ امتیاز", "100 points", "#29335c", points(100)?, 10, None),
            segment("none", "پوچ", "Nothing", "#9ca3af", Prize::Nothing, 30, None),
            segment("credit", "۵۰٬۰۰۰ ریال", "50,000 rials", "#e4572e", Prize::Credit { credit: Money::from_minor(5_000_000)? }, 4, Some(20)),
            segment("jackpot", "۱۰۰۰ امتیاز", "1,000 points", "#7b2cbf", points(1000)?, 1, Some(3)),
        ],
        cost: Points::new(50)?,
        free_spins: FreeSpins { period: SpinPeriod::Week, everyone: 1, by_tier: Default::default() },
        beacon: false,
    };
    Ok(WheelSpec::parse(draft)?)
}

pub fn print(logins: &DemoLogins) {
    println!("Demo club created. Sign in with any of these, password {}:", logins.password);
    for line in &logins.lines {
        println!("  {line}");
    }
}
