//! The admin's club settings: branches with their API keys, and the earning rules with a dry run.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::features::admin::pages::members::AdminNav;
use crate::platform::ui::widgets::{FormError, Notice, day_text, loaded, query_param};
use crate::features::admin::api::{BranchesView, RulesView, list_branches, load_rules};
use crate::platform::i18n::Lang;
use crate::platform::ui::use_lang;

#[component]
fn BranchList(view: BranchesView) -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let adt = lang.admin_texts();
    view! {
        {view.new_key.map(|key| view! {
            <div class="notice" data-test="new-key">
                <p>{adt.new_key}" ("{key.branch}"): "</p>
                <p><code dir="ltr" data-test="new-key-secret">{key.secret}</code></p>
                <p>{adt.new_key_once}</p>
            </div>
        })}
        <table class="list" data-test="branches">
            <thead><tr><th>{t.branch}</th><th>{adt.api_keys}</th></tr></thead>
            <tbody>
                {view.branches.into_iter().map(|branch| view! {
                    <tr>
                        <td>{branch.name}<br/><small class="muted">{day_text(lang, branch.created_at_ms)}</small></td>
                        <td>
                            <ul class="keys">
                                {branch.keys.into_iter().map(|key| view! {
                                    <li>
                                        <code dir="ltr">{key.prefix}"…"</code>" "
                                        {if key.revoked {
                                            view! { <span class="muted">{adt.revoked}</span> }.into_any()
                                        } else {
                                            view! {
                                                <form method="post" action=format!("/admin/keys/{}/revoke", key.id) class="inline">
                                                    <button type="submit" class="link">{adt.revoke}</button>
                                                </form>
                                            }.into_any()
                                        }}
                                    </li>
                                }).collect_view()}
                            </ul>
                            <form method="post" action=format!("/admin/branches/{}/keys", branch.id) class="inline">
                                <button type="submit" class="link">{adt.new_key}</button>
                            </form>
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn BranchesPage() -> impl IntoView {
    let adt = use_lang().admin_texts();
    let view = Resource::new(|| (), |_| list_branches());
    view! {
        <AdminNav/>
        <h1>{adt.branches}</h1>
        <FormError/>
        <Notice code="key_revoked" text=adt.key_revoked/>
        {loaded(view, |view| view! { <BranchList view/> })}
        <form method="post" action="/admin/branches" class="search" data-test="add-branch">
            <input name="name" maxlength="60" required placeholder=adt.branch_name value=query_param("name") aria-label=adt.branch_name/>
            <button type="submit" class="button">{adt.add_branch}</button>
        </form>
    }
}

#[component]
fn Rules(rules: RulesView, amount: String) -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let adt = lang.admin_texts();
    let tier_options = rules.tiers.clone();
    let name = move |fa: &str, en: &str| match lang {
        Lang::Fa => fa.to_owned(),
        Lang::En => en.to_owned(),
    };
    view! {
        <h2>{adt.tiers}</h2>
        <table class="list" data-test="tiers">
            <thead><tr><th>{adt.name}</th><th>{adt.threshold}</th><th>{adt.multiplier}</th><th>{t.cashback}</th></tr></thead>
            <tbody>
                {rules.tiers.into_iter().map(|tier| view! {
                    <tr>
                        <td>{name(&tier.name_fa, &tier.name_en)}</td>
                        <td>{lang.digits(&tier.threshold.to_string())}</td>
                        <td dir="ltr">{"×"}{lang.digits(&tier.multiplier)}</td>
                        <td>{lang.digits(&tier.cashback_percent)}"٪"</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <h2>{adt.dry_run}</h2>
        <p class="muted">{adt.dry_run_hint}</p>
        <form method="get" action="/admin/rules" class="search" data-test="dry-run">
            <input name="amount" inputmode="decimal" dir="ltr" required placeholder=t.amount value=amount aria-label=t.amount/>
            <select name="tier" aria-label=adt.tiers>
                {tier_options.into_iter().map(|tier| view! { <option value=tier.id.clone()>{name(&tier.name_fa, &tier.name_en)}</option> }).collect_view()}
            </select>
            <button type="submit" class="button">{adt.dry_run}</button>
        </form>
        {rules.dry_run.map(|run| view! {
            <div class="found" data-test="dry-run-result">
                <p><strong>{adt.would_earn}": "{lang.digits(&run.points.to_string())}" "{t.points}" + "{lang.digits(&run.credit)}" "{t.rials}</strong></p>
                <ul dir="ltr" class="explain">{run.lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
            </div>
        })}
        <h2>{adt.rules}" — "{adt.version}" "{lang.digits(&rules.version.to_string())}</h2>
        <p class="muted">{adt.rules_hint}</p>
        <form method="post" action="/admin/rules" class="stack" data-test="rules">
            <textarea name="policy" rows="24" dir="ltr" spellcheck="false" class="code">{rules.policy_json}</textarea>
            <button type="submit" class="button">{t.save}</button>
        </form>
    }
}

#[component]
pub fn RulesPage() -> impl IntoView {
    let t = use_lang().texts();
    let adt = use_lang().admin_texts();
    let query = use_query_map();
    let inputs = move || {
        let q = query.read();
        (q.get("amount").unwrap_or_default(), q.get("tier").unwrap_or_default())
    };
    let rules = Resource::new(inputs, |(amount, tier)| load_rules(amount, tier));
    view! {
        <AdminNav/>
        <h1>{adt.rules}</h1>
        <FormError/>
        {(!query_param("detail").is_empty()).then(|| view! { <pre class="error" dir="ltr">{query_param("detail")}</pre> })}
        <Notice code="saved" text=t.saved/>
        {loaded(rules, move |rules| view! { <Rules rules amount=inputs().0/> })}
    }
}
