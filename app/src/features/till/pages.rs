//! The till: identify a member by a typed or scanned card number, or by mobile number, then
//! record a purchase, a return or a payment with credit.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::platform::ui::widgets::{Failure, FormError, day_text, grouped_card, query_param, roles_text};
use crate::features::till::api::{TillView, till_lookup};
use crate::platform::i18n::Lang;
use crate::platform::ui::use_lang;

/// What the last form recorded, from the redirect that answered it.
#[component]
fn Recorded() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let tt = lang.till_texts();
    let (points, credit, receipt) = (query_param("points"), query_param("credit"), query_param("receipt"));
    let text = match query_param("notice").as_str() {
        "purchase" => format!("{}: {} +{} {}, +{} {} — {}: {}", tt.purchase_recorded, tt.earned, points, t.points, credit, t.rials, tt.receipt_number, receipt),
        "return" => format!("{}: {} {}, {} {}", tt.return_recorded, points, t.points, credit, t.rials),
        "redeem" => format!("{}: {} {}", tt.credit_paid, credit, t.rials),
        "claim_confirmed" => tt.claim_confirmed.to_owned(),
        _ => return None,
    };
    Some(view! { <p class="notice" role="status" data-test="notice">{lang.digits(&text)}</p> })
}

/// One till form: the member's card, the branch, an amount, the page's token.
#[component]
fn TillForm(
    action: &'static str,
    title: &'static str,
    card: String,
    token: String,
    branches: Vec<(i64, String)>,
    #[prop(optional)] with_receipt: bool,
) -> impl IntoView {
    let t = use_lang().texts();
    let tt = use_lang().till_texts();
    view! {
        <form method="post" action=action class="stack till-form" data-test=action>
            <h2>{title}</h2>
            <input type="hidden" name="card" value=card/>
            <input type="hidden" name="token" value=token/>
            <label>{t.branch}
                <select name="branch">
                    {branches.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                </select>
            </label>
            {with_receipt.then(|| view! { <label>{tt.receipt_number}<input name="receipt" required dir="ltr"/></label> })}
            <label>{t.amount}" ("{t.rials}")"<input name="amount" required inputmode="decimal" dir="ltr"/></label>
            <button type="submit" class="button">{title}</button>
        </form>
    }
}

#[component]
fn Member(till: TillView) -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let tt = lang.till_texts();
    let tier = match lang {
        Lang::Fa => till.tier_fa.clone(),
        Lang::En => till.tier_en.clone(),
    };
    let card = till.member.card_number.clone();
    let has_branch = !till.branches.is_empty();
    // Each form gets its own token, so a purchase and a return on one page never collide.
    let form = move |action: &'static str, title: &'static str, with_receipt: bool| {
        view! {
            <TillForm action title card=card.clone() token=format!("{}-{}", till.token, &action[6..])
                branches=till.branches.clone() with_receipt/>
        }
    };
    view! {
        <div class="found" data-test="till-member">
            <h2>{tt.member_found}": "{lang.digits(&till.member.name)}</h2>
            <p dir="ltr">{lang.digits(&grouped_card(&till.member.card_number))}</p>
            <p>{roles_text(lang, &till.member.roles)}</p>
            <div class="tiles">
                <div class="tile" data-test="till-points"><span>{t.points}</span><strong>{lang.digits(&till.points.to_string())}</strong></div>
                <div class="tile"><span>{t.pending_points}</span><strong>{lang.digits(&till.pending_points.to_string())}</strong></div>
                <div class="tile" data-test="till-credit"><span>{t.credit}</span><strong>{lang.digits(&till.credit)}</strong></div>
                <div class="tile"><span>{tt.tier}</span><strong>{tier}</strong></div>
            </div>
        </div>
        {till.claim_opened_ms.map(|at| view! {
            <form method="post" action="/till/claims/confirm" class="stack notice" data-test="claim">
                <p>{tt.claim_waiting}" ("{day_text(lang, at)}")"</p>
                <input type="hidden" name="account" value=till.member.id.to_string()/>
                <input type="hidden" name="card" value=till.member.card_number.clone()/>
                <label>{tt.claim_code}<input name="code" required inputmode="numeric" dir="ltr" autocomplete="off"/></label>
                <button type="submit" class="button">{tt.confirm_claim}</button>
            </form>
        })}
        {if has_branch {
            view! {
                <div class="till-forms">
                    {form("/till/purchase", tt.record_purchase, false)}
                    {form("/till/return", tt.record_return, true)}
                    {form("/till/redeem", tt.pay_with_credit, false)}
                </div>
            }.into_any()
        } else {
            view! { <p class="error">{tt.no_branch}</p> }.into_any()
        }}
    }
}

#[component]
pub fn TillPage() -> impl IntoView {
    let t = use_lang().texts();
    let tt = use_lang().till_texts();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let found = Resource::new(q, till_lookup);
    view! {
        <h1>{t.till}</h1>
        <FormError/>
        <Recorded/>
        <form method="get" action="/till" class="search" data-test="till">
            <input name="q" autofocus inputmode="numeric" dir="ltr" placeholder=tt.find_member_hint value=q aria-label=tt.find_member/>
            <button type="submit" class="button">{tt.find_member}</button>
        </form>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                let searched = !q().is_empty();
                match found.await {
                    Ok(Some(till)) => view! { <Member till/> }.into_any(),
                    Ok(None) if searched => view! { <p class="error" data-test="till-none">{t.not_found}</p> }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(error) => view! { <Failure error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
