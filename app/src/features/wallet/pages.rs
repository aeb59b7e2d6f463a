//! The member's wallet: what they have, what expires soon, and every movement, with filters.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::platform::ui::widgets::{day_text, loaded};
use crate::features::wallet::api::{HistoryKind, TierProgressView, WalletView, my_wallet};
use crate::platform::i18n::Lang;
use crate::platform::ui::use_lang;

#[component]
fn Balances(wallet: WalletView) -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let wt = lang.wallet_texts();
    let owes = wallet.owed_points > 0 || wallet.owed_credit != "0.00";
    view! {
        <div class="tiles">
            <div class="tile" data-test="points"><span>{t.points}</span><strong>{lang.digits(&wallet.points.to_string())}</strong></div>
            <div class="tile"><span>{t.pending_points}</span><strong>{lang.digits(&wallet.pending_points.to_string())}</strong></div>
            <div class="tile" data-test="credit"><span>{t.credit}</span><strong>{lang.digits(&wallet.credit)}" "<small>{t.rials}</small></strong></div>
            {owes.then(|| view! {
                <div class="tile warn"><span>{t.owed}</span>
                    <strong>{lang.digits(&wallet.owed_points.to_string())}" / "{lang.digits(&wallet.owed_credit)}</strong>
                </div>
            })}
        </div>
        {(wallet.expiring_points > 0).then(|| view! {
            <section class="expiring" data-test="expiring">
                <h2>{t.expiring_soon}": "{lang.digits(&wallet.expiring_points.to_string())}</h2>
                <ul>
                    {wallet.expiring.iter().map(|lot| view! {
                        <li>{lang.digits(&lot.points.to_string())}" "{t.points}" — "{wt.expires_on}" "{day_text(lang, lot.expires_at_ms)}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

#[component]
fn TierProgress(tier: TierProgressView) -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let wt = lang.wallet_texts();
    let pick = move |fa: &str, en: &str| if lang == Lang::Fa { fa.to_owned() } else { en.to_owned() };
    let measure = match tier.measure.as_str() {
        "amount_spent" => wt.measure_amount_spent,
        "visits" => wt.measure_visits,
        _ => wt.measure_points_earned,
    };
    let next = tier.next_fa.clone().zip(tier.next_en.clone()).map(|(fa, en)| pick(&fa, &en));
    let percent = format!("{}%", tier.per_mille / 10);
    view! {
        <section class="tier" data-test="tier">
            <h2>{wt.your_tier}": "{pick(&tier.name_fa, &tier.name_en)}</h2>
            <p class="muted" dir="ltr">{"×"}{lang.digits(&tier.multiplier)}" · "{t.cashback}" "{lang.digits(&tier.cashback_percent)}"%"</p>
            {match next {
                Some(next) => view! {
                    <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="1000" aria-valuenow=tier.per_mille>
                        <span style=format!("inline-size: {percent}")></span>
                    </div>
                    <p data-test="tier-next">{lang.digits(&tier.needed.to_string())}" "{measure}" "{wt.more}" "{wt.to_next_tier}" "{next}</p>
                }.into_any(),
                None => view! { <p>{wt.top_tier}</p> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn History(wallet: WalletView, kind: String, asset: String) -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let wt = lang.wallet_texts();
    let kind_option = move |value: &'static str, label: &'static str| {
        view! { <option value=value selected=kind == value>{label}</option> }
    };
    view! {
        <h2>{wt.history}</h2>
        <form method="get" action="/wallet" class="search" data-test="history-filter">
            <select name="kind" aria-label=wt.filter>
                {kind_option("", wt.all)}
                {HistoryKind::ALL.into_iter().map(|k| kind_option(k.as_str(), wt.history_kind(k))).collect_view()}
            </select>
            <select name="asset" aria-label=wt.filter>
                <option value="" selected=asset.is_empty()>{wt.all}</option>
                <option value="points" selected=asset == "points">{t.points}</option>
                <option value="credit" selected=asset == "credit">{t.credit}</option>
            </select>
            <button type="submit" class="button">{wt.filter}</button>
        </form>
        {if wallet.history.is_empty() {
            view! { <p class="muted">{wt.nothing_yet}</p> }.into_any()
        } else {
            view! {
                <table class="list" data-test="history">
                    <tbody>
                        {wallet.history.into_iter().map(|row| view! {
                            <tr>
                                <td>{day_text(lang, row.at_ms)}</td>
                                <td>{wt.history_kind(row.kind)}</td>
                                <td dir="ltr" class="amount">{lang.digits(&row.signed)}" "{if row.credit { t.rials } else { t.points }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

#[component]
fn Invite(link: String) -> impl IntoView {
    let wt = use_lang().wallet_texts();
    view! {
        <section class="tier" data-test="invite">
            <h2>{wt.invite_friends}</h2>
            <p class="muted">{wt.invite_hint}</p>
            <p dir="ltr"><a href=link.clone()>{link.clone()}</a></p>
        </section>
    }
}

#[component]
pub fn WalletPage() -> impl IntoView {
    let t = use_lang().texts();
    let query = use_query_map();
    let filters = move || {
        let q = query.read();
        (q.get("kind").unwrap_or_default(), q.get("asset").unwrap_or_default())
    };
    let wallet = Resource::new(filters, |(kind, asset)| my_wallet(kind, asset));
    view! {
        <h1>{t.wallet}</h1>
        {loaded(wallet, move |wallet| {
            let (kind, asset) = filters();
            view! {
                <TierProgress tier=wallet.tier.clone()/>
                <Balances wallet=wallet.clone()/>
                <Invite link=wallet.invite_link.clone()/>
                <History wallet kind asset/>
            }
        })}
    }
}
