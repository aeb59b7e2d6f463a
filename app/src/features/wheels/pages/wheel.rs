//! The member's wheels: the list of open wheels, and a wheel that spins. The spin is a plain
//! form post (the page after the redirect shows the result); with the WebAssembly front end the
//! same button calls the server function and the wheel turns until it stops on the segment the
//! server computed.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::platform::ui::widgets::{FormError, day_text, loaded, query_param};
use crate::features::wheels::api::{PrizeView, SegmentView, SpinView, WheelPageView, WheelView, live_wheels, spin_wheel, wheel_page};
use crate::platform::i18n::Lang;
use crate::platform::ui::use_lang;

/// Full turns the wheel makes before it stops.
const TURNS: f64 = 5.0;
/// SVG geometry: centre and radius.
const C: f64 = 110.0;
const R: f64 = 100.0;

fn name(lang: Lang, fa: &str, en: &str) -> String {
    match lang {
        Lang::Fa => fa.to_owned(),
        Lang::En => en.to_owned(),
    }
}

pub(crate) fn prize_text(lang: Lang, prize: &PrizeView) -> String {
    let w = lang.wheel_texts();
    let text = match prize.kind.as_str() {
        "points" => format!("{} {}", prize.amount, w.points_prize),
        "credit" => format!("{} {}", prize.amount, w.credit_prize),
        "extra_spin" => w.extra_spin.to_owned(),
        "coupon" => lang.coupon_texts().market.to_owned(),
        _ => w.nothing_won.to_owned(),
    };
    lang.digits(&text)
}

/// A point on the rim at `degrees` clockwise from the top.
fn rim(degrees: f64, radius: f64) -> (f64, f64) {
    let a = degrees.to_radians();
    (C + radius * a.sin(), C - radius * a.cos())
}

/// The wheel's face: equal slices in display order, clockwise from the top.
#[component]
fn Face(segments: Vec<SegmentView>) -> impl IntoView {
    let lang = use_lang();
    let step = 360.0 / segments.len().max(1) as f64;
    segments
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let (a0, a1) = (i as f64 * step, (i as f64 + 1.0) * step);
            let ((x0, y0), (x1, y1)) = (rim(a0, R), rim(a1, R));
            let large = if step > 180.0 { 1 } else { 0 };
            let path = format!("M{C} {C} L{x0:.2} {y0:.2} A{R} {R} 0 {large} 1 {x1:.2} {y1:.2} Z");
            let mid = a0 + step / 2.0;
            let (tx, ty) = rim(mid, R * 0.62);
            let label = name(lang, &s.label_fa, &s.label_en);
            view! {
                <g data-segment=i>
                    <path d=path fill=s.colour.clone() stroke="#fff" stroke-width="1"/>
                    <text x=format!("{tx:.2}") y=format!("{ty:.2}") transform=format!("rotate({:.2} {tx:.2} {ty:.2})", mid - 90.0)
                        text-anchor="middle" dominant-baseline="middle" font-size="9" fill="#fff">{label}</text>
                </g>
            }
        })
        .collect_view()
}

/// The rotation that brings `segment`'s centre under the pointer, past `from` by whole turns.
fn stop_angle(from: f64, segment: usize, count: usize) -> f64 {
    let step = 360.0 / count.max(1) as f64;
    let base = from - from.rem_euclid(360.0);
    base + TURNS * 360.0 + (360.0 - (segment as f64 + 0.5) * step)
}

#[component]
fn Result(spin: SpinView) -> impl IntoView {
    let lang = use_lang();
    let w = lang.wheel_texts();
    let paid = match spin.paid_with.as_str() {
        "free" => w.paid_with_free,
        "bonus" => w.paid_with_bonus,
        _ => w.paid_with_points,
    };
    view! {
        <p class="notice" role="status" data-test="spin-result" data-segment=spin.segment data-spin=spin.spin>
            {w.you_won}": "<strong>{prize_text(lang, &spin.prize)}</strong>" ("{paid}", "{w.nonce}" "{lang.digits(&spin.nonce.to_string())}")"
        </p>
    }
}

#[component]
fn Spinner(page: WheelPageView) -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let w = lang.wheel_texts();
    let wheel: WheelView = page.wheel.clone();
    let id = wheel.id;
    let count = wheel.segments.len();
    let rotation = RwSignal::new(0.0_f64);
    let shown = RwSignal::new(None::<SpinView>);
    let points = RwSignal::new(page.points);
    let free_left = RwSignal::new(page.free_left);
    let bonus = RwSignal::new(page.bonus_spins);
    let presses = RwSignal::new(0_u32);
    let spin = Action::new(move |key: &String| spin_wheel(id, key.clone()));
    let pending = spin.pending();
    let key = page.key.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        presses.update(|n| *n += 1);
        shown.set(None);
        spin.dispatch(format!("{key}-{}", presses.get_untracked()));
    };
    Effect::new(move |_| {
        if let Some(Ok(result)) = spin.value().get() {
            rotation.set(stop_angle(rotation.get_untracked(), result.segment, count));
        }
    });
    let land = move |_| {
        if let Some(Ok(result)) = spin.value().get_untracked() {
            points.set(result.points);
            bonus.set(result.bonus_spins);
            if result.paid_with == "free" {
                free_left.update(|n| *n = n.saturating_sub(1));
            }
            shown.set(Some(result));
        }
    };
    let waiting_text = if wheel.beacon { w.waiting_for_beacon } else { w.spinning };
    let last = page.last.clone();
    view! {
        <div class="tiles">
            <div class="tile" data-test="points"><span>{t.points}</span><strong>{move || lang.digits(&points.get().to_string())}</strong></div>
            <div class="tile"><span>{w.cost_per_spin}</span><strong>{lang.digits(&wheel.cost.to_string())}</strong></div>
            <div class="tile" data-test="free-left"><span>{w.free_spins_left}</span><strong>{move || lang.digits(&free_left.get().to_string())}</strong></div>
            <div class="tile"><span>{w.bonus_spins}</span><strong>{move || lang.digits(&bonus.get().to_string())}</strong></div>
        </div>
        <div class="wheel-box">
            <div class="wheel-pointer" aria-hidden="true"></div>
            <svg viewBox="0 0 220 220" class="wheel-disc" class:waiting=move || pending.get() role="img" aria-label=w.wheel
                style=move || format!("transform: rotate({:.3}deg)", rotation.get()) on:transitionend=land data-test="wheel">
                <Face segments=wheel.segments.clone()/>
            </svg>
        </div>
        <form method="post" action=format!("/wheels/{id}/spin") on:submit=on_submit class="center" data-test="spin-form">
            <input type="hidden" name="key" value=page.key.clone()/>
            <button type="submit" class="button big" data-test="spin" disabled=move || pending.get()>
                {move || if pending.get() { waiting_text } else { w.spin }}
            </button>
        </form>
        {move || spin.value().get().and_then(|r| r.err()).map(|error| view! { <p class="error" role="alert" data-test="error">{error.message}</p> })}
        {move || shown.get().map(|spin| view! { <Result spin/> })}
        {(!query_param("spun").is_empty()).then(|| last.map(|row| view! {
            <p class="notice" role="status" data-test="spin-result" data-segment=row.segment data-spin=row.id>
                {w.you_won}": "<strong>{page.wheel.segments.get(row.segment).map(|s| prize_text(lang, &s.prize)).unwrap_or_default()}</strong>
                " ("{w.nonce}" "{lang.digits(&row.nonce.to_string())}", "{day_text(lang, row.at_ms)}")"
            </p>
        }))}
        <p class="muted">{if page.wheel.beacon { w.beacon_on } else { w.beacon_none }}</p>
        <dl class="facts" data-test="seed-pair">
            <dt>{w.server_commit}</dt><dd><code dir="ltr" data-test="server-commit">{page.pair.server_commit.clone()}</code></dd>
            <dt>{w.client_seed}</dt><dd><code dir="ltr">{page.pair.client_seed.clone()}</code></dd>
        </dl>
        <p><a href="/fairness">{w.fairness}</a></p>
        <OddsTable segments=page.wheel.segments.clone()/>
    }
}

/// Each segment's prize and chance under the weights in force, as members see them.
#[component]
pub(crate) fn OddsTable(segments: Vec<SegmentView>) -> impl IntoView {
    let lang = use_lang();
    let w = lang.wheel_texts();
    view! {
        <table class="list" data-test="odds">
            <thead><tr><th>{w.segment}</th><th>{w.prize}</th><th>{w.chance}</th></tr></thead>
            <tbody>
                {segments.into_iter().map(|s| view! {
                    <tr>
                        <td><span class="swatch" style=format!("background:{}", s.colour)></span>" "{name(lang, &s.label_fa, &s.label_en)}</td>
                        <td>{prize_text(lang, &s.prize)}</td>
                        <td>{lang.digits(&s.chance_in_force)}"%"</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn WheelPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let page = Resource::new(id, wheel_page);
    let lang = use_lang();
    view! {
        <FormError/>
        {loaded(page, move |page| view! {
            <h1>{name(lang, &page.wheel.name_fa, &page.wheel.name_en)}</h1>
            <Spinner page/>
        })}
    }
}

#[component]
pub fn WheelsPage() -> impl IntoView {
    let lang = use_lang();
    let w = lang.wheel_texts();
    let wheels = Resource::new(|| (), |_| live_wheels());
    view! {
        <h1>{w.wheels}</h1>
        {loaded(wheels, move |wheels| {
            if wheels.is_empty() {
                view! { <p>{w.no_wheels}</p> }.into_any()
            } else {
                view! {
                    <ul class="cards" data-test="wheels">
                        {wheels.into_iter().map(|wheel| view! {
                            <li><a href=format!("/wheels/{}", wheel.id)>{name(lang, &wheel.name_fa, &wheel.name_en)}</a>
                                " — "{w.cost_per_spin}" "{lang.digits(&wheel.cost.to_string())}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        })}
    }
}
