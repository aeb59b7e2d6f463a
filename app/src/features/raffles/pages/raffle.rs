//! The member's raffles: the list, and one raffle with its rules and odds, the buy form, the
//! member's tickets with receipts and inclusion proofs, and the winners once drawn.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::features::raffles::api::{RafflePageView, RafflePrizeView, RaffleView, raffle_page, raffles_list};
use crate::platform::i18n::Lang;
use crate::platform::ui::use_lang;
use crate::platform::ui::widgets::{FormError, Notice, loaded, moment_text};

pub(crate) fn pick(lang: Lang, fa: &str, en: &str) -> String {
    match lang {
        Lang::Fa => fa.to_owned(),
        Lang::En => en.to_owned(),
    }
}

pub(crate) fn prize_text(lang: Lang, prize: &RafflePrizeView) -> String {
    let r = lang.raffle_texts();
    let label = pick(lang, &prize.label_fa, &prize.label_en);
    let text = match (prize.kind.as_str(), label.is_empty()) {
        (_, false) => label,
        ("points", true) => format!("{} {}", prize.amount, r.points_prize),
        ("credit", true) => format!("{} {}", prize.amount, r.credit_prize),
        _ => String::new(),
    };
    lang.digits(&text)
}

pub(crate) fn phase_text(lang: Lang, phase: &str) -> &'static str {
    let r = lang.raffle_texts();
    match phase {
        "upcoming" => r.phase_upcoming,
        "open" => r.phase_open,
        "closing" => r.phase_closing,
        "closed" => r.phase_closed,
        _ => r.phase_drawn,
    }
}

/// About `k` in `N`: each ticket's chance of a prize when every ticket is in its own hand.
fn odds_text(lang: Lang, raffle: &RaffleView) -> String {
    let k = raffle.prize_count;
    let n = raffle.tickets.max(1);
    if k >= n {
        return lang.digits("100%");
    }
    lang.digits(&format!("{k} / {n}"))
}

/// A raffle's rules, as every page that shows one lists them.
#[component]
pub(crate) fn Rules(raffle: RaffleView) -> impl IntoView {
    let lang = use_lang();
    let r = lang.raffle_texts();
    let price = if raffle.ticket_price == 0 { r.free_entry.to_owned() } else { lang.digits(&raffle.ticket_price.to_string()) };
    let tiers = if raffle.tiers.is_empty() { r.everyone.to_owned() } else { raffle.tiers.clone() };
    view! {
        <dl class="facts" data-test="raffle-rules">
            <dt>{r.ticket_price}</dt><dd data-test="ticket-price">{price}</dd>
            <dt>{r.per_member_limit}</dt><dd>{lang.digits(&raffle.per_member_limit.to_string())}</dd>
            <dt>{r.opens}</dt><dd>{moment_text(lang, raffle.opens_at_ms)}</dd>
            <dt>{r.closes}</dt><dd data-test="closes">{moment_text(lang, raffle.closes_at_ms)}</dd>
            <dt>{r.tiers_allowed}</dt><dd>{tiers}</dd>
            {(!raffle.ticket_per_purchase.is_empty()).then(|| view! {
                <dt>{r.ticket_per_purchase}</dt>
                <dd data-test="ticket-per-purchase">{lang.digits(&raffle.ticket_per_purchase)}" "{lang.texts().rials}</dd>
            })}
            <dt>{r.tickets_sold}</dt><dd data-test="tickets-sold">{lang.digits(&raffle.tickets.to_string())}</dd>
            <dt>{r.entrants}</dt><dd>{lang.digits(&raffle.entrants.to_string())}</dd>
            <dt>{r.odds}</dt><dd data-test="odds" title=r.odds_hint>{odds_text(lang, &raffle)}</dd>
        </dl>
        <p class="muted">{r.one_prize_per_member}</p>
        <table class="list" data-test="prizes">
            <thead><tr><th>{r.prizes}</th><th>{r.prize_count}</th></tr></thead>
            <tbody>
                {raffle.prizes.iter().map(|p| view! {
                    <tr><td>{prize_text(lang, p)}</td><td>{lang.digits(&p.count.to_string())}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn BuyForm(page: RafflePageView) -> impl IntoView {
    let lang = use_lang();
    let r = lang.raffle_texts();
    let id = page.raffle.id;
    let seed = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| seed.set(super::seed::random_seed_hex()));
    let left = page.raffle.per_member_limit.saturating_sub(page.held);
    view! {
        <form method="post" action=format!("/raffles/{id}/tickets") class="stack" data-test="buy-form">
            <input type="hidden" name="key" value=page.key.clone()/>
            <label>{r.count}
                <input type="number" name="count" min="1" max=left.to_string() value="1" required data-test="count"/>
            </label>
            <label>{r.client_seed}
                <input type="text" name="client_seed" dir="ltr" maxlength="200" prop:value=move || seed.get()
                    on:input=move |ev| seed.set(event_target_value(&ev)) data-test="client-seed"/>
            </label>
            <p class="muted">{r.client_seed_hint}</p>
            <button type="submit" class="button" data-test="buy">{r.buy}</button>
        </form>
    }
}

#[component]
fn Tickets(page: RafflePageView) -> impl IntoView {
    let lang = use_lang();
    let r = lang.raffle_texts();
    (!page.tickets.is_empty()).then(|| view! {
        <h2>{r.your_tickets}" ("{lang.digits(&page.held.to_string())}")"</h2>
        <table class="list" data-test="tickets">
            <thead><tr><th>{r.leaf}</th><th>{r.leaf_hash}</th><th>{r.proof}</th></tr></thead>
            <tbody>
                {page.tickets.into_iter().map(|t| view! {
                    <tr data-test="ticket" data-leaf=t.leaf_index>
                        <td>{lang.digits(&t.leaf_index.to_string())}</td>
                        <td><code dir="ltr">{t.leaf_hash.clone()}</code>
                            <details><summary>{r.receipt}</summary><pre dir="ltr">{t.receipt.clone()}</pre></details></td>
                        <td>{if t.proof.is_empty() {
                            view! { <span class="muted">{r.proof_after_close}</span> }.into_any()
                        } else {
                            view! { <pre dir="ltr" data-test="proof">{t.proof.join("\n")}</pre> }.into_any()
                        }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    })
}

#[component]
fn Winners(page: RafflePageView) -> impl IntoView {
    let lang = use_lang();
    let r = lang.raffle_texts();
    let id = page.raffle.id;
    if page.raffle.phase != "drawn" {
        return view! { <p class="muted">{r.no_winners}</p> }.into_any();
    }
    view! {
        <h2>{r.winners}</h2>
        <table class="list" data-test="winners">
            <thead><tr><th>{r.position}</th><th>{r.prizes}</th><th>{r.leaf}</th><th>{r.pseudonym}</th></tr></thead>
            <tbody>
                {page.winners.into_iter().map(|w| view! {
                    <tr data-test="winner" data-leaf=w.leaf_index>
                        <td>{lang.digits(&(w.position + 1).to_string())}</td>
                        <td>{prize_text(lang, &w.prize)}{w.you.then(|| view! { " — " <strong>{r.you}</strong> })}</td>
                        <td>{lang.digits(&w.leaf_index.to_string())}</td>
                        <td><code dir="ltr">{w.user_commit.get(..16).unwrap_or_default().to_owned()}</code></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <p>
            <a href=format!("/audit?draw={id}") class="button" data-test="verify-draw">{lang.audit_texts().verify_in_browser}</a>" "
            <a href=format!("/api/log/bundles/draw/{id}") download data-test="bundle">{r.bundle}</a>" — "{r.verify_hint}
        </p>
    }
    .into_any()
}

#[component]
fn Fairness(page: RafflePageView) -> impl IntoView {
    let lang = use_lang();
    let r = lang.raffle_texts();
    view! {
        <h2>{r.fairness}</h2>
        <p class="muted">{if page.raffle.beacon { r.beacon_on } else { r.beacon_none }}</p>
        <dl class="facts">
            <dt>{r.server_commit}</dt><dd><code dir="ltr" data-test="server-commit">{page.raffle.server_commit.clone()}</code></dd>
            {page.raffle.beacon.then(|| view! { <dt>{r.round}</dt><dd>{lang.digits(&page.raffle.round.to_string())}</dd> })}
            {(!page.entries_root.is_empty()).then(|| view! {
                <dt>{r.entries_root}</dt><dd><code dir="ltr" data-test="entries-root">{page.entries_root.clone()}</code></dd>
            })}
        </dl>
    }
}

#[component]
pub fn RafflePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let page = Resource::new(id, raffle_page);
    let lang = use_lang();
    let r = lang.raffle_texts();
    view! {
        <FormError/>
        <Notice code="bought" text=r.bought/>
        {loaded(page, move |page| view! {
            <h1>{pick(lang, &page.raffle.title_fa, &page.raffle.title_en)}</h1>
            <p class="badge" data-test="phase">{phase_text(lang, &page.raffle.phase)}</p>
            <p>{pick(lang, &page.raffle.description_fa, &page.raffle.description_en)}</p>
            <Rules raffle=page.raffle.clone()/>
            {match (page.raffle.phase == "open" && !page.raffle.by_contest, page.member) {
                (true, true) => Some(view! { <BuyForm page=page.clone()/> }.into_any()),
                (true, false) => Some(view! {
                    <p><a href=format!("/login?next=/raffles/{}", page.raffle.id) class="button" data-test="login-to-buy">{lang.texts().log_in}</a></p>
                }.into_any()),
                _ => None,
            }}
            <Tickets page=page.clone()/>
            <Winners page=page.clone()/>
            <Fairness page/>
        })}
    }
}

#[component]
pub fn RafflesPage() -> impl IntoView {
    let lang = use_lang();
    let r = lang.raffle_texts();
    let raffles = Resource::new(|| (), |_| raffles_list());
    view! {
        <h1>{r.raffles}</h1>
        {loaded(raffles, move |raffles| {
            if raffles.is_empty() {
                view! { <p>{r.no_raffles}</p> }.into_any()
            } else {
                view! {
                    <ul class="cards" data-test="raffles">
                        {raffles.into_iter().map(|raffle| view! {
                            <li><a href=format!("/raffles/{}", raffle.id)>{pick(lang, &raffle.title_fa, &raffle.title_en)}</a>
                                " — "{phase_text(lang, &raffle.phase)}" · "{r.closes}" "{moment_text(lang, raffle.closes_at_ms)}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        })}
    }
}
