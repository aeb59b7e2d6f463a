//! The admin area: find members, open one, assign roles.

use engine::access::Role;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::platform::ui::widgets::{FormError, Notice, loaded, query_param, birthday_text, day_text, grouped_card, roles_text};
use crate::platform::i18n::Lang;
use crate::features::admin::api::{LiabilityView, MemberDetailView, MemberRow, liability_report, member_detail, search_members};
use crate::platform::ui::use_lang;

#[component]
fn MemberTable(rows: Vec<MemberRow>) -> impl IntoView {
    let lang = use_lang();
    let adt = lang.admin_texts();
    if rows.is_empty() {
        return view! { <p class="muted" data-test="no-results">{adt.no_results}</p> }.into_any();
    }
    view! {
        <table class="list" data-test="members">
            <thead><tr><th>{adt.name}</th><th>{adt.contact}</th><th>{adt.card_number}</th><th>{adt.roles}</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|row| view! {
                    <tr>
                        <td><a href=format!("/admin/members/{}", row.id) data-test="member-link">{lang.digits(&row.name)}</a></td>
                        <td dir="ltr">{lang.digits(&row.phone)}{row.email.clone()}</td>
                        <td dir="ltr">{lang.digits(&grouped_card(&row.card_number))}</td>
                        <td>{roles_text(lang, &row.roles)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The admin area's own navigation.
#[component]
pub(crate) fn AdminNav() -> impl IntoView {
    let adt = use_lang().admin_texts();
    view! {
        <nav class="subnav">
            <a href="/admin">{adt.members}</a>
            <a href="/admin/club">{adt.liability}</a>
            <a href="/admin/rules">{adt.rules}</a>
            <a href="/admin/branches">{adt.branches}</a>
            <a href="/admin/wheels">{use_lang().wheel_texts().wheels}</a>
            <a href="/admin/raffles">{use_lang().raffle_texts().raffles}</a>
            <a href="/admin/contests">{use_lang().contest_texts().contests}</a>
            <a href="/admin/partners">{use_lang().coupon_texts().partners}</a>
        </nav>
    }
}

#[component]
fn LiabilityTable(report: LiabilityView) -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let adt = lang.admin_texts();
    let n = move |value: i64| lang.digits(&value.to_string());
    view! {
        <dl class="facts" data-test="liability">
            <dt>{adt.members_with_balance}</dt><dd>{n(report.members)}</dd>
            <dt>{t.points}</dt><dd>{n(report.points)}</dd>
            <dt>{t.pending_points}</dt><dd>{n(report.pending_points)}</dd>
            <dt>{t.credit}</dt><dd>{lang.digits(&report.credit)}" "{t.rials}</dd>
            <dt>{t.owed}</dt><dd>{n(report.owed_points)}" / "{lang.digits(&report.owed_credit)}" "{t.rials}</dd>
            <dt>{t.expiring_soon}</dt><dd>{n(report.expiring_points)}</dd>
            <dt>{lang.coupon_texts().outstanding}</dt>
            <dd data-test="outstanding-coupons">{lang.digits(&report.outstanding_coupons.to_string())}" · "
                {lang.digits(&report.outstanding_coupons_value)}" "{t.rials}</dd>
        </dl>
    }
}

#[component]
pub fn ClubPage() -> impl IntoView {
    let adt = use_lang().admin_texts();
    let report = Resource::new(|| (), |_| liability_report());
    view! {
        <AdminNav/>
        <h1>{adt.liability}</h1>
        {loaded(report, |report| view! { <LiabilityTable report/> })}
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let adt = use_lang().admin_texts();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let results = Resource::new(q, search_members);
    view! {
        <AdminNav/>
        <h1>{adt.members}</h1>
        <form method="get" action="/admin" class="search" data-test="search">
            <input name="q" type="search" placeholder=adt.search_hint value=q aria-label=adt.search/>
            <button type="submit" class="button">{adt.search}</button>
        </form>
        {loaded(results, |rows| view! { <MemberTable rows/> })}
    }
}

#[component]
fn MemberInfo(detail: MemberDetailView) -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let adt = lang.admin_texts();
    let action = format!("/admin/members/{}/roles", detail.row.id);
    let profile = detail.profile.clone();
    view! {
        <h1 data-test="member-name">{lang.digits(&detail.row.name)}</h1>
        <dl class="facts">
            <dt>{adt.contact}</dt><dd dir="ltr">{lang.digits(&detail.row.phone)}{detail.row.email.clone()}</dd>
            <dt>{adt.card_number}</dt><dd dir="ltr">{lang.digits(&grouped_card(&detail.row.card_number))}</dd>
            <dt>{t.birthday}</dt><dd>{birthday_text(lang, &profile.birthday_iso)}</dd>
            <dt>{t.city}</dt><dd>{profile.city.clone()}</dd>
            <dt>{t.member_since}</dt><dd>{day_text(lang, detail.created_at_ms)}</dd>
        </dl>
        <h2>{adt.roles}</h2>
        <form method="post" action=action class="roles" data-test="roles">
            {Role::ALL.into_iter().map(|role| view! {
                <label class="check">
                    <input type="checkbox" name=role.as_str() checked=detail.row.roles.contains(&role)/>
                    {t.role(role)}
                </label>
            }).collect_view()}
            <button type="submit" class="button">{adt.save_roles}</button>
        </form>
        <h2>{adt.cashier_branches}</h2>
        <form method="post" action=format!("/admin/members/{}/branches", detail.row.id) class="roles" data-test="branches">
            {detail.branches.iter().map(|branch| view! {
                <label class="check">
                    <input type="checkbox" name=format!("branch_{}", branch.id) checked=branch.assigned/>
                    {branch.name.clone()}
                </label>
            }).collect_view()}
            <button type="submit" class="button">{adt.save_branches}</button>
        </form>
        <h2>{adt.adjust}</h2>
        <p>{t.points}": "{lang.digits(&detail.points.to_string())}" · "{t.credit}": "{lang.digits(&detail.credit)}" "{t.rials}</p>
        <form method="post" action=format!("/admin/members/{}/adjust", detail.row.id) class="stack" data-test="adjust">
            <input type="hidden" name="token" value=detail.token.clone()/>
            <div class="search">
                <select name="direction" aria-label=adt.adjust>
                    <option value="grant">{adt.grant}</option>
                    <option value="deduct">{adt.deduct}</option>
                </select>
                <input name="amount" required inputmode="decimal" dir="ltr" placeholder=t.amount aria-label=t.amount value=query_param("amount")/>
                <select name="asset" aria-label=adt.adjust>
                    <option value="points">{t.points}</option>
                    <option value="credit">{t.credit}</option>
                </select>
            </div>
            <label>{adt.reason}<input name="reason" required maxlength="500" value=query_param("reason")/></label>
            <button type="submit" class="button">{adt.adjust}</button>
        </form>
        <h2>{adt.adjustments}</h2>
        <ul class="history" data-test="adjustments">
            {detail.adjustments.into_iter().map(|a| view! {
                <li>
                    {day_text(lang, a.at_ms)}": "<span dir="ltr">{lang.digits(&a.signed)}</span>" "
                    {if a.credit { t.rials } else { t.points }}" — "{a.reason}" ("{adt.changed_by}" "{a.by_name}")"
                </li>
            }).collect_view()}
        </ul>
        <h2>{adt.role_changes}</h2>
        <ul class="history" data-test="role-history">
            {detail.role_changes.into_iter().map(|change| view! {
                <li>
                    {day_text(lang, change.at_ms)}": "{roles_text(lang, &change.old)}{arrow(lang)}{roles_text(lang, &change.new)}
                    " ("{adt.changed_by}" "{change.by_name}")"
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn AdminMemberPage() -> impl IntoView {
    let t = use_lang().texts();
    let adt = use_lang().admin_texts();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or_default();
    let detail = Resource::new(id, member_detail);
    view! {
        <p><a href="/admin">{t.back}</a></p>
        <FormError/>
        <Notice code="roles_saved" text=adt.roles_saved/>
        <Notice code="branches_saved" text=adt.branches_saved/>
        <Notice code="adjusted" text=adt.adjusted/>
        {loaded(detail, |detail| view! { <MemberInfo detail/> })}
    }
}

/// "from → to", pointing the way the page reads.
fn arrow(lang: Lang) -> &'static str {
    match lang {
        Lang::Fa => " ← ",
        Lang::En => " → ",
    }
}
