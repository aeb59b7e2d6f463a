//! The admin's wheels: the list, and an editor that shows each segment's chance and the expected
//! cost per spin against its price before the wheel is opened.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::features::admin::pages::members::AdminNav;
use crate::features::wheels::pages::wheel::prize_text;
use crate::platform::ui::widgets::{FormError, Notice, loaded, query_param};
use crate::features::wheels::api::{OddsView, SegmentView, WheelView, admin_wheel, admin_wheels};
use crate::platform::i18n::Lang;
use crate::platform::ui::use_lang;

/// Rows the editor shows; the server reads the same number (`wheel_forms::EDITOR_ROWS`).
const ROWS: usize = 12;

fn pick(lang: Lang, fa: &str, en: &str) -> String {
    match lang {
        Lang::Fa => fa.to_owned(),
        Lang::En => en.to_owned(),
    }
}

#[component]
fn Odds(odds: OddsView, cost: i64) -> impl IntoView {
    let lang = use_lang();
    let w = lang.wheel_texts();
    view! {
        <dl class="facts" data-test="expected-cost">
            <dt>{w.cost_per_spin}</dt><dd>{lang.digits(&cost.to_string())}</dd>
            <dt>{w.expected_points}</dt><dd data-test="expected-points">{lang.digits(&odds.points_per_spin)}</dd>
            <dt>{w.expected_credit}</dt><dd>{lang.digits(&odds.credit_per_spin)}</dd>
            <dt>{w.extra_spin_chance}</dt><dd>{lang.digits(&odds.extra_spin_percent)}"%"</dd>
            <dt>{w.return_to_player}</dt><dd data-test="return-percent">{lang.digits(&odds.return_percent)}"%"</dd>
        </dl>
    }
}

#[component]
fn OddsSection(wheel: WheelView) -> impl IntoView {
    let lang = use_lang();
    let w = lang.wheel_texts();
    let n = move |v: Option<u64>| v.map_or_else(|| w.unlimited.to_owned(), |v| lang.digits(&v.to_string()));
    view! {
        <h2>{w.odds}</h2>
        <p class="muted">{w.odds_hint}</p>
        <table class="list" data-test="odds">
            <thead><tr><th>{w.segment}</th><th>{w.prize}</th><th>{w.weight}</th><th>{w.chance}</th><th>{w.in_force}</th><th>{w.stock}</th><th>{w.budget}</th></tr></thead>
            <tbody>
                {wheel.segments.iter().map(|s: &SegmentView| view! {
                    <tr>
                        <td><span class="swatch" style=format!("background:{}", s.colour)></span>" "{pick(lang, &s.label_fa, &s.label_en)}" "<code dir="ltr">{s.id.clone()}</code></td>
                        <td>{prize_text(lang, &s.prize)}</td>
                        <td>{lang.digits(&s.weight.to_string())}</td>
                        <td data-test="chance">{lang.digits(&s.chance)}"%"</td>
                        <td>{lang.digits(&s.chance_in_force)}"%"</td>
                        <td>{n(s.stock_left)}" / "{n(s.stock)}</td>
                        <td>{if s.budget.is_empty() { w.unlimited.to_owned() } else { lang.digits(&format!("{} / {}", s.budget_left, s.budget)) }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {wheel.odds.clone().map(|odds| view! { <Odds odds cost=wheel.cost/> })}
    }
}

/// The editor form; `wheel` fills it for an existing wheel.
#[component]
fn Editor(wheel: Option<WheelView>) -> impl IntoView {
    let lang = use_lang();
    let w = lang.wheel_texts();
    let action = wheel.as_ref().map_or_else(|| "/admin/wheels".to_owned(), |wh| format!("/admin/wheels/{}", wh.id));
    let get = |f: fn(&WheelView) -> String| wheel.as_ref().map(f).unwrap_or_default();
    let segments: Vec<SegmentView> = wheel.as_ref().map(|wh| wh.segments.clone()).unwrap_or_default();
    let period = wheel.as_ref().map_or_else(|| "week".to_owned(), |wh| wh.free_period.clone());
    let beacon = wheel.as_ref().is_some_and(|wh| wh.beacon);
    let prize_option = move |current: &str, value: &'static str, label: &'static str| {
        view! { <option value=value selected=current == value>{label}</option> }
    };
    let t = lang.texts();
    view! {
        <form method="post" action=action class="stack" data-test="wheel-editor">
            <div class="row">
                <label>{w.name_fa}<input name="name_fa" required maxlength="40" value=get(|wh| wh.name_fa.clone())/></label>
                <label>{w.name_en}<input name="name_en" required maxlength="40" dir="ltr" value=get(|wh| wh.name_en.clone())/></label>
                <label>{w.cost_per_spin}<input name="cost" required inputmode="numeric" dir="ltr" value=get(|wh| wh.cost.to_string())/></label>
            </div>
            <fieldset>
                <legend>{w.free_spins}</legend>
                <div class="row">
                    <label>{w.free_period}
                        <select name="free_period">
                            {[("day", w.per_day), ("week", w.per_week), ("jalali_month", w.per_month)].into_iter().map(|(v, l)| view! {
                                <option value=v selected=period == v>{l}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>{w.free_everyone}<input name="free_everyone" inputmode="numeric" dir="ltr" value=get(|wh| wh.free_everyone.to_string())/></label>
                    <label>{w.free_by_tier}<input name="free_tiers" dir="ltr" value=get(|wh| wh.free_tiers.clone())/></label>
                </div>
            </fieldset>
            <label class="check"><input type="checkbox" name="beacon" checked=beacon/>" "{w.use_beacon}</label>
            <h2>{w.segments}</h2>
            <table class="list editor">
                <thead><tr><th>{w.segment_id}</th><th>{w.label_fa}</th><th>{w.label_en}</th><th>{w.colour}</th><th>{w.prize}</th>
                    <th>{w.amount}</th><th>{w.weight}</th><th>{w.stock}</th><th>{w.budget}</th></tr></thead>
                <tbody>
                    {(0..ROWS).map(|i| {
                        let s = segments.get(i).cloned();
                        let v = |f: fn(&SegmentView) -> String| s.as_ref().map(f).unwrap_or_default();
                        let kind = s.as_ref().map_or_else(|| "nothing".to_owned(), |s| s.prize.kind.clone());
                        let colour = s.as_ref().map_or_else(|| ["#e4572e", "#29335c", "#f3a712", "#669bbc", "#a8c686", "#7b2cbf"][i % 6].to_owned(), |s| s.colour.clone());
                        view! {
                            <tr>
                                <td><input name=format!("id_{i}") dir="ltr" maxlength="40" value=v(|s| s.id.clone())/></td>
                                <td><input name=format!("label_fa_{i}") maxlength="40" value=v(|s| s.label_fa.clone())/></td>
                                <td><input name=format!("label_en_{i}") dir="ltr" maxlength="40" value=v(|s| s.label_en.clone())/></td>
                                <td><input name=format!("colour_{i}") type="color" value=colour/></td>
                                <td><select name=format!("prize_{i}")>
                                    {prize_option(&kind, "points", t.points)}
                                    {prize_option(&kind, "credit", t.credit)}
                                    {prize_option(&kind, "extra_spin", w.extra_spin)}
                                    {prize_option(&kind, "nothing", w.nothing_won)}
                                    {prize_option(&kind, "coupon", lang.raffle_texts().kind_coupon)}
                                </select></td>
                                <td><input name=format!("amount_{i}") dir="ltr" inputmode="decimal" value=v(|s| s.prize.amount.clone())/></td>
                                <td><input name=format!("weight_{i}") dir="ltr" inputmode="numeric" value=v(|s| s.weight.to_string())/></td>
                                <td><input name=format!("stock_{i}") dir="ltr" inputmode="numeric" value=v(|s| s.stock.map(|n| n.to_string()).unwrap_or_default())/></td>
                                <td><input name=format!("budget_{i}") dir="ltr" inputmode="decimal" value=v(|s| s.budget.clone())/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <button type="submit" class="button" data-test="save-wheel">{w.save}</button>
        </form>
    }
}

#[component]
fn LiveSwitch(wheel: WheelView) -> impl IntoView {
    let w = use_lang().wheel_texts();
    let (value, label) = if wheel.live { ("0", w.close_wheel) } else { ("1", w.open_wheel) };
    // The form wraps the paragraph: a <form> inside a <p> would make the browser's parser close
    // the <p> early, and hydration would then not find the form where the view has it.
    view! {
        <form method="post" action=format!("/admin/wheels/{}/live", wheel.id)>
            <p>
                <strong data-test="wheel-status">{if wheel.live { w.live } else { w.closed }}</strong>" "
                <input type="hidden" name="live" value=value/>
                <button type="submit" class="button" data-test="live-switch">{label}</button>
            </p>
        </form>
    }
}

#[component]
pub fn AdminWheelPage() -> impl IntoView {
    let lang = use_lang();
    let w = lang.wheel_texts();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let wheel = Resource::new(id, |id| async move {
        match id.parse::<i64>() {
            Ok(id) => admin_wheel(id).await,
            Err(_) => Ok(None),
        }
    });
    view! {
        <AdminNav/>
        <FormError/>
        {(!query_param("detail").is_empty()).then(|| view! { <pre class="error" dir="ltr" data-test="detail">{query_param("detail")}</pre> })}
        <Notice code="saved" text=w.saved/>
        <Notice code="opened" text=w.opened/>
        <Notice code="closed" text=w.closed_notice/>
        {loaded(wheel, move |wheel| match wheel {
            Some(wheel) => view! {
                <h1>{w.edit_wheel}": "{pick(lang, &wheel.name_fa, &wheel.name_en)}</h1>
                <LiveSwitch wheel=wheel.clone()/>
                <OddsSection wheel=wheel.clone()/>
                <Editor wheel=Some(wheel)/>
            }.into_any(),
            None => view! { <h1>{w.new_wheel}</h1><Editor wheel=None/> }.into_any(),
        })}
    }
}

#[component]
pub fn AdminWheelsPage() -> impl IntoView {
    let lang = use_lang();
    let w = lang.wheel_texts();
    let wheels = Resource::new(|| (), |_| admin_wheels());
    view! {
        <AdminNav/>
        <h1>{w.wheels}</h1>
        <p><a class="button" href="/admin/wheels/new" data-test="new-wheel">{w.new_wheel}</a></p>
        {loaded(wheels, move |wheels| view! {
            <table class="list" data-test="admin-wheels">
                <thead><tr><th>{w.wheel}</th><th>{w.cost_per_spin}</th><th>{w.return_to_player}</th><th></th></tr></thead>
                <tbody>
                    {wheels.into_iter().map(|wheel| view! {
                        <tr>
                            <td><a href=format!("/admin/wheels/{}", wheel.id)>{pick(lang, &wheel.name_fa, &wheel.name_en)}</a></td>
                            <td>{lang.digits(&wheel.cost.to_string())}</td>
                            <td>{wheel.odds.map(|o| lang.digits(&o.return_percent) + "%").unwrap_or_default()}</td>
                            <td>{if wheel.live { w.live } else { w.closed }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}
