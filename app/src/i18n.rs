//! Persian and English texts. Every text the UI shows is a field of [`Texts`], so a missing
//! translation is a compile error, not a blank on the page.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Fa,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Self::Fa => "fa",
            Self::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "fa" => Some(Self::Fa),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Self::Fa => "rtl",
            Self::En => "ltr",
        }
    }

    pub fn other(self) -> Self {
        match self {
            Self::Fa => Self::En,
            Self::En => Self::Fa,
        }
    }

    /// The language a visitor gets: the remembered choice, else English only when the browser
    /// prefers it over Persian, else Persian.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Self {
        if let Some(lang) = cookie.and_then(Self::parse) {
            return lang;
        }
        let Some(header) = accept_language else { return Self::Fa };
        let mut best: Option<(Self, f32)> = None;
        for item in header.split(',') {
            let mut parts = item.trim().split(';');
            let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
                .unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("fa") => Self::Fa,
                Some("en") => Self::En,
                _ => continue,
            };
            if best.is_none_or(|(_, q)| quality > q) {
                best = Some((lang, quality));
            }
        }
        best.map_or(Self::Fa, |(lang, _)| lang)
    }

    /// Digits in this language's script.
    pub fn digits(self, text: &str) -> String {
        match self {
            Self::Fa => engine::text::persian_digits(text),
            Self::En => text.to_owned(),
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Self::Fa => &FA,
            Self::En => &EN,
        }
    }
}

pub struct Texts {
    pub club_name: &'static str,
    pub tagline: &'static str,
    pub switch_language: &'static str,
    pub home: &'static str,
    pub sign_up: &'static str,
    pub log_in: &'static str,
    pub log_out: &'static str,
    pub identifier: &'static str,
    pub identifier_hint: &'static str,
    pub password: &'static str,
    pub password_hint: &'static str,
    pub have_account: &'static str,
    pub no_account: &'static str,
    pub my_card: &'static str,
    pub profile: &'static str,
    pub admin: &'static str,
    pub till: &'static str,
    pub card_number: &'static str,
    pub member_since: &'static str,
    pub print_card: &'static str,
    pub replace_card: &'static str,
    pub replace_card_confirm: &'static str,
    pub card_replaced: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub birthday: &'static str,
    pub birthday_hint: &'static str,
    pub city: &'static str,
    pub gender: &'static str,
    pub female: &'static str,
    pub male: &'static str,
    pub other: &'static str,
    pub unspecified: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub members: &'static str,
    pub search: &'static str,
    pub search_hint: &'static str,
    pub no_results: &'static str,
    pub name: &'static str,
    pub contact: &'static str,
    pub roles: &'static str,
    pub role_changes: &'static str,
    pub save_roles: &'static str,
    pub roles_saved: &'static str,
    pub find_member: &'static str,
    pub find_member_hint: &'static str,
    pub member_found: &'static str,
    pub not_found: &'static str,
    pub loading: &'static str,
    pub welcome: &'static str,
    pub join_pitch: &'static str,
    pub go_to_card: &'static str,
    pub back: &'static str,
    pub role_member: &'static str,
    pub role_cashier: &'static str,
    pub role_partner: &'static str,
    pub role_auditor: &'static str,
    pub role_admin: &'static str,
    pub changed_by: &'static str,
    pub wallet: &'static str,
    pub points: &'static str,
    pub pending_points: &'static str,
    pub credit: &'static str,
    pub owed: &'static str,
    pub rials: &'static str,
    pub expiring_soon: &'static str,
    pub expires_on: &'static str,
    pub history: &'static str,
    pub all: &'static str,
    pub filter: &'static str,
    pub nothing_yet: &'static str,
    pub kind_earned: &'static str,
    pub kind_unlocked: &'static str,
    pub kind_spent: &'static str,
    pub kind_expired: &'static str,
    pub kind_returned: &'static str,
    pub kind_settled: &'static str,
    pub kind_gift: &'static str,
    pub kind_adjusted: &'static str,
    pub liability: &'static str,
    pub members_with_balance: &'static str,
    pub club: &'static str,
    pub branches: &'static str,
    pub branch: &'static str,
    pub branch_name: &'static str,
    pub add_branch: &'static str,
    pub api_keys: &'static str,
    pub new_key: &'static str,
    pub new_key_once: &'static str,
    pub revoke: &'static str,
    pub revoked: &'static str,
    pub key_revoked: &'static str,
    pub rules: &'static str,
    pub rules_hint: &'static str,
    pub version: &'static str,
    pub tiers: &'static str,
    pub threshold: &'static str,
    pub multiplier: &'static str,
    pub cashback: &'static str,
    pub dry_run: &'static str,
    pub dry_run_hint: &'static str,
    pub amount: &'static str,
    pub would_earn: &'static str,
    pub tier: &'static str,
    pub record_purchase: &'static str,
    pub record_return: &'static str,
    pub pay_with_credit: &'static str,
    pub receipt_number: &'static str,
    pub purchase_recorded: &'static str,
    pub return_recorded: &'static str,
    pub credit_paid: &'static str,
    pub no_branch: &'static str,
    pub earned: &'static str,
    pub your_tier: &'static str,
    pub to_next_tier: &'static str,
    pub top_tier: &'static str,
    pub measure_points_earned: &'static str,
    pub measure_amount_spent: &'static str,
    pub measure_visits: &'static str,
    pub more: &'static str,
    pub adjust: &'static str,
    pub adjustments: &'static str,
    pub grant: &'static str,
    pub deduct: &'static str,
    pub reason: &'static str,
    pub adjusted: &'static str,
}

pub static FA: Texts = Texts {
    club_name: "باشگاه",
    tagline: "باشگاه مشتریان",
    switch_language: "English",
    home: "خانه",
    sign_up: "عضویت",
    log_in: "ورود",
    log_out: "خروج",
    identifier: "شماره موبایل یا ایمیل",
    identifier_hint: "مثلاً ۰۹۱۲۱۲۳۴۵۶۷",
    password: "گذرواژه",
    password_hint: "دست‌کم ۸ نویسه",
    have_account: "عضو هستید؟ وارد شوید",
    no_account: "عضو نیستید؟ عضو شوید",
    my_card: "کارت من",
    profile: "نمایه",
    admin: "مدیریت",
    till: "صندوق",
    card_number: "شماره کارت",
    member_since: "عضو از",
    print_card: "چاپ کارت",
    replace_card: "صدور کارت جدید",
    replace_card_confirm: "کارت فعلی باطل می‌شود و کارت تازه‌ای صادر می‌شود. امتیازها و سابقه می‌مانند.",
    card_replaced: "کارت تازه صادر شد؛ شماره قبلی دیگر پذیرفته نمی‌شود.",
    first_name: "نام",
    last_name: "نام خانوادگی",
    birthday: "تاریخ تولد",
    birthday_hint: "مثلاً ۱۳۷۰/۰۵/۰۹",
    city: "شهر",
    gender: "جنسیت",
    female: "زن",
    male: "مرد",
    other: "دیگر",
    unspecified: "نگفته",
    save: "ذخیره",
    saved: "ذخیره شد.",
    members: "اعضا",
    search: "جستجو",
    search_hint: "نام، موبایل یا شماره کارت",
    no_results: "کسی پیدا نشد.",
    name: "نام",
    contact: "تماس",
    roles: "نقش‌ها",
    role_changes: "تاریخچه نقش‌ها",
    save_roles: "ذخیره نقش‌ها",
    roles_saved: "نقش‌ها ذخیره شد.",
    find_member: "یافتن عضو",
    find_member_hint: "شماره کارت، بارکد یا موبایل",
    member_found: "عضو پیدا شد",
    not_found: "پیدا نشد.",
    loading: "در حال بارگذاری…",
    welcome: "به باشگاه مشتریان خوش آمدید",
    join_pitch: "با هر خرید امتیاز بگیرید و آن را برای گردونه، قرعه‌کشی و کوپن‌های برندهای همکار خرج کنید.",
    go_to_card: "رفتن به کارت من",
    back: "بازگشت",
    role_member: "عضو",
    role_cashier: "صندوقدار",
    role_partner: "برند همکار",
    role_auditor: "ممیز",
    role_admin: "مدیر",
    changed_by: "به دست",
    wallet: "کیف امتیاز",
    points: "امتیاز",
    pending_points: "امتیاز در انتظار",
    credit: "اعتبار",
    owed: "بدهی",
    rials: "ریال",
    expiring_soon: "امتیازهایی که تا ۳۰ روز آینده منقضی می‌شوند",
    expires_on: "انقضا",
    history: "تاریخچه",
    all: "همه",
    filter: "فیلتر",
    nothing_yet: "هنوز چیزی نیست.",
    kind_earned: "کسب",
    kind_unlocked: "آزاد شد",
    kind_spent: "خرج",
    kind_expired: "منقضی",
    kind_returned: "مرجوعی",
    kind_settled: "تسویه بدهی",
    kind_gift: "هدیه",
    kind_adjusted: "اصلاح",
    liability: "بدهی باشگاه به اعضا",
    members_with_balance: "اعضای دارای حساب",
    club: "باشگاه",
    branches: "شعبه‌ها",
    branch: "شعبه",
    branch_name: "نام شعبه",
    add_branch: "افزودن شعبه",
    api_keys: "کلیدهای API",
    new_key: "کلید تازه",
    new_key_once: "این کلید فقط همین یک بار نمایش داده می‌شود. آن را اکنون در صندوق فروش وارد کنید.",
    revoke: "باطل کردن",
    revoked: "باطل شده",
    key_revoked: "کلید باطل شد؛ دیگر پذیرفته نمی‌شود.",
    rules: "قواعد امتیازدهی",
    rules_hint: "قواعد، سطح‌ها و انقضا به صورت JSON. پیش از ذخیره، کل آن بررسی می‌شود و از خرید بعدی اعمال می‌شود.",
    version: "نسخه",
    tiers: "سطح‌ها",
    threshold: "آستانه",
    multiplier: "ضریب",
    cashback: "بازگشت نقدی",
    dry_run: "آزمایش بدون ثبت",
    dry_run_hint: "مبلغ یک خرید (ریال) و سطح عضو را بدهید تا ببینید چه امتیازی می‌گیرد و چرا. چیزی ثبت نمی‌شود.",
    amount: "مبلغ",
    would_earn: "این خرید می‌گیرد",
    tier: "سطح",
    record_purchase: "ثبت خرید",
    record_return: "ثبت مرجوعی",
    pay_with_credit: "پرداخت با اعتبار",
    receipt_number: "شماره رسید خرید",
    purchase_recorded: "خرید ثبت شد",
    return_recorded: "مرجوعی ثبت شد؛ برگشت داده شد",
    credit_paid: "با اعتبار پرداخت شد",
    no_branch: "هنوز شعبه‌ای تعریف نشده؛ مدیر باید نخست یک شعبه بسازد.",
    earned: "کسب شد",
    your_tier: "سطح شما",
    to_next_tier: "تا سطح",
    top_tier: "در بالاترین سطح هستید.",
    measure_points_earned: "امتیاز کسب‌شده",
    measure_amount_spent: "ریال خرید",
    measure_visits: "مراجعه",
    more: "دیگر",
    adjust: "اصلاح دستی",
    adjustments: "اصلاح‌های دستی",
    grant: "افزودن",
    deduct: "کسر",
    reason: "دلیل",
    adjusted: "اصلاح ثبت شد.",
};

pub static EN: Texts = Texts {
    club_name: "Bashgah",
    tagline: "Customer club",
    switch_language: "فارسی",
    home: "Home",
    sign_up: "Join",
    log_in: "Log in",
    log_out: "Log out",
    identifier: "Mobile number or email",
    identifier_hint: "e.g. 0912 123 4567",
    password: "Password",
    password_hint: "At least 8 characters",
    have_account: "Already a member? Log in",
    no_account: "Not a member yet? Join",
    my_card: "My card",
    profile: "Profile",
    admin: "Admin",
    till: "Till",
    card_number: "Card number",
    member_since: "Member since",
    print_card: "Print card",
    replace_card: "Issue a new card",
    replace_card_confirm: "Your current card stops working and a new one is issued. Points and history stay.",
    card_replaced: "A new card was issued; the old number is no longer accepted.",
    first_name: "First name",
    last_name: "Last name",
    birthday: "Birthday",
    birthday_hint: "YYYY-MM-DD",
    city: "City",
    gender: "Gender",
    female: "Female",
    male: "Male",
    other: "Other",
    unspecified: "Not said",
    save: "Save",
    saved: "Saved.",
    members: "Members",
    search: "Search",
    search_hint: "Name, mobile or card number",
    no_results: "Nobody found.",
    name: "Name",
    contact: "Contact",
    roles: "Roles",
    role_changes: "Role history",
    save_roles: "Save roles",
    roles_saved: "Roles saved.",
    find_member: "Find a member",
    find_member_hint: "Card number, barcode or mobile",
    member_found: "Member found",
    not_found: "Not found.",
    loading: "Loading…",
    welcome: "Welcome to the customer club",
    join_pitch: "Earn points with every purchase and spend them on the wheel, raffles and partner coupons.",
    go_to_card: "Go to my card",
    back: "Back",
    role_member: "Member",
    role_cashier: "Cashier",
    role_partner: "Partner",
    role_auditor: "Auditor",
    role_admin: "Admin",
    changed_by: "by",
    wallet: "Wallet",
    points: "Points",
    pending_points: "Pending points",
    credit: "Credit",
    owed: "Owed",
    rials: "rials",
    expiring_soon: "Points expiring in the next 30 days",
    expires_on: "expires",
    history: "History",
    all: "All",
    filter: "Filter",
    nothing_yet: "Nothing yet.",
    kind_earned: "Earned",
    kind_unlocked: "Unlocked",
    kind_spent: "Spent",
    kind_expired: "Expired",
    kind_returned: "Returned",
    kind_settled: "Debt settled",
    kind_gift: "Gift",
    kind_adjusted: "Adjusted",
    liability: "Points liability",
    members_with_balance: "Members with a ledger",
    club: "Club",
    branches: "Branches",
    branch: "Branch",
    branch_name: "Branch name",
    add_branch: "Add branch",
    api_keys: "API keys",
    new_key: "New key",
    new_key_once: "This key is shown only this once. Enter it in the point-of-sale system now.",
    revoke: "Revoke",
    revoked: "Revoked",
    key_revoked: "The key was revoked and is no longer accepted.",
    rules: "Earning rules",
    rules_hint: "Rules, tiers and expiry as JSON. The whole policy is checked before it is saved, and applies from the next purchase.",
    version: "Version",
    tiers: "Tiers",
    threshold: "Threshold",
    multiplier: "Multiplier",
    cashback: "Cashback",
    dry_run: "Dry run",
    dry_run_hint: "Give a purchase amount (rials) and a tier to see what it would earn and why. Nothing is written.",
    amount: "Amount",
    would_earn: "This purchase would earn",
    tier: "Tier",
    record_purchase: "Record a purchase",
    record_return: "Record a return",
    pay_with_credit: "Pay with credit",
    receipt_number: "Purchase receipt number",
    purchase_recorded: "Purchase recorded",
    return_recorded: "Return recorded; taken back",
    credit_paid: "Paid with credit",
    no_branch: "No branch exists yet; an admin must add one first.",
    earned: "Earned",
    your_tier: "Your tier",
    to_next_tier: "to reach",
    top_tier: "You are at the top tier.",
    measure_points_earned: "points earned",
    measure_amount_spent: "rials spent",
    measure_visits: "visits",
    more: "more",
    adjust: "Manual adjustment",
    adjustments: "Manual adjustments",
    grant: "Grant",
    deduct: "Deduct",
    reason: "Reason",
    adjusted: "Adjustment recorded.",
};

impl Texts {
    pub fn history_kind(&self, kind: crate::api::HistoryKind) -> &'static str {
        use crate::api::HistoryKind;
        match kind {
            HistoryKind::Earned => self.kind_earned,
            HistoryKind::Unlocked => self.kind_unlocked,
            HistoryKind::Spent => self.kind_spent,
            HistoryKind::Expired => self.kind_expired,
            HistoryKind::Returned => self.kind_returned,
            HistoryKind::Settled => self.kind_settled,
            HistoryKind::Gift => self.kind_gift,
            HistoryKind::Adjusted => self.kind_adjusted,
        }
    }

    pub fn role(&self, role: engine::access::Role) -> &'static str {
        use engine::access::Role;
        match role {
            Role::Member => self.role_member,
            Role::Cashier => self.role_cashier,
            Role::Partner => self.role_partner,
            Role::Auditor => self.role_auditor,
            Role::Admin => self.role_admin,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_unless_the_browser_prefers_english_or_the_visitor_chose() {
        assert_eq!(Lang::negotiate(None, None), Lang::Fa);
        assert_eq!(Lang::negotiate(None, Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some("fa-IR,fa;q=0.9,en;q=0.8")), Lang::Fa);
        assert_eq!(Lang::negotiate(None, Some("de-DE,en;q=0.5,fa;q=0.7")), Lang::Fa);
        assert_eq!(Lang::negotiate(None, Some("de-DE")), Lang::Fa);
        assert_eq!(Lang::negotiate(Some("en"), Some("fa")), Lang::En);
        assert_eq!(Lang::negotiate(Some("xx"), Some("en")), Lang::En);
    }
}
