//! The public audit page: a bundle is verified by the engine compiled to WebAssembly, in the
//! visitor's own browser, so the answer does not depend on trusting the server.

use leptos::prelude::*;

use crate::features::wheels::pages::fairness::SpinTable;
use crate::platform::ui::widgets::{loaded, query_param};
use crate::features::fairness::api::log_public_key;
use crate::features::fairness::api::{CosignatureView, log_cosignatures};
use crate::features::contests::api::{ContestView, audit_contests, contest_bundle_text};
use crate::features::raffles::api::{RaffleView, audit_draws, draw_bundle_text};
use crate::features::raffles::pages::raffle::pick;
use crate::features::wheels::api::{recent_spins, spin_bundle_text};
use crate::platform::i18n::Lang;
use crate::platform::ui::use_lang;
use crate::features::fairness::report::{CheckStatus, ReportView};

/// Milliseconds on the browser's clock, to show how long verification took.
fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

/// Verifies in the visitor's browser with the verifier module; on the server there is no such
/// thing (the page only ever runs this after hydration).
async fn verify_in_browser(bundle: &str, key: &str) -> Result<String, String> {
    #[cfg(feature = "hydrate")]
    {
        crate::features::fairness::loader::verify(bundle, key).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (bundle, key);
        Err("verification runs in the browser".to_owned())
    }
}

#[component]
fn Checks(report: ReportView, millis: u64) -> impl IntoView {
    let lang = use_lang();
    let ft = lang.audit_texts();
    let ok = report.ok;
    view! {
        {if ok {
            view! { <p class="notice" data-test="verdict-ok">{ft.verified_ok}</p> }.into_any()
        } else {
            view! { <p class="error" data-test="verdict-failed">{ft.verified_failed}</p> }.into_any()
        }}
        <p class="muted">{ft.checked_in}" "{lang.digits(&millis.to_string())}" "{ft.ms}</p>
        <ul class="checks" data-test="checks">
            {report.checks.into_iter().map(|check| {
                let (class, word) = match check.status {
                    CheckStatus::Passed => ("passed", ft.status_passed),
                    CheckStatus::Failed => ("failed", ft.status_failed),
                    CheckStatus::Warning => ("warning", ft.status_warning),
                    CheckStatus::Skipped => ("skipped", ft.status_skipped),
                };
                let meaning = match lang {
                    Lang::Fa => check.meaning_fa.clone(),
                    Lang::En => check.meaning_en.clone(),
                };
                let passed = check.status == CheckStatus::Passed;
                view! {
                    <li class=class data-check=check.name.clone() data-status=check.status.word()>
                        <strong>{word}</strong>" "<code dir="ltr">{check.name.clone()}</code>
                        <div class="muted" dir="ltr">{check.detail.clone()}</div>
                        {(!passed).then(|| view! { <div>{meaning}</div> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let t = use_lang().texts();
    let ft = use_lang().audit_texts();
    let w = use_lang().wheel_texts();
    let bundle = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Result<(ReportView, u64), String>>);
    let log_key = Resource::new(|| (), |_| log_public_key());
    let spins = Resource::new(|| (), |_| recent_spins());
    let cosignatures = Resource::new(|| (), |_| log_cosignatures());
    let draws = Resource::new(|| (), |_| audit_draws());
    let contests = Resource::new(|| (), |_| audit_contests());
    // The verifier is a module of its own, fetched when this page opens; only the check itself
    // is timed.
    #[cfg(feature = "hydrate")]
    Effect::new(|_| crate::features::fairness::loader::preload());
    let run = move || {
        let (text, pinned) = (bundle.get_untracked(), key.get_untracked());
        leptos::task::spawn_local(async move {
            let started = now_ms();
            let answer = verify_in_browser(&text, &pinned).await;
            let millis = (now_ms() - started).max(0.0).round() as u64;
            let result = answer.and_then(|json| crate::features::fairness::report::parse(&json));
            outcome.set(Some(result.map(|report| (report, millis))));
        });
    };
    let verify = move |_| run();
    // `?spin=N`, `?draw=N` or `?contest=N`: fetch that bundle, pin the key this page shows,
    // and verify here.
    let spin: Option<i64> = query_param("spin").parse().ok();
    let draw: Option<i64> = query_param("draw").parse().ok();
    let contest: Option<i64> = query_param("contest").parse().ok();
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || (spin.is_none() && draw.is_none() && contest.is_none()) {
            return true;
        }
        leptos::task::spawn_local(async move {
            let served = log_public_key().await;
            let fetched = match (spin, draw, contest) {
                (Some(id), _, _) => spin_bundle_text(id).await,
                (None, Some(id), _) => draw_bundle_text(id).await,
                (None, None, Some(id)) => contest_bundle_text(id).await,
                (None, None, None) => return,
            };
            match fetched {
                Ok(text) => {
                    bundle.set(text);
                    if let Ok(served) = served {
                        key.set(served);
                    }
                    run();
                }
                Err(error) => outcome.set(Some(Err(error.message))),
            }
        });
        true
    });
    view! {
        <section>
            <h1>{t.audit}</h1>
            <p>{ft.audit_intro}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    log_key.await.ok().map(|k| view! {
                        <p class="muted">{ft.this_log_key}": "<code dir="ltr" data-test="served-log-key">{k}</code></p>
                    })
                })}
            </Suspense>
            <label>{ft.bundle}
                <textarea rows="10" dir="ltr" spellcheck="false" class="code" data-test="bundle"
                    prop:value=bundle on:input=move |ev| bundle.set(event_target_value(&ev))></textarea>
            </label>
            <label>{ft.log_key}
                <input dir="ltr" data-test="log-key" prop:value=key on:input=move |ev| key.set(event_target_value(&ev))/>
            </label>
            <p><button type="button" class="button" data-test="verify" on:click=verify>{ft.verify_in_browser}</button></p>
            <noscript><p class="muted">{ft.needs_js}</p></noscript>
            {move || outcome.get().map(|result| match result {
                Ok((report, millis)) => view! { <Checks report millis/> }.into_any(),
                Err(message) => view! { <p class="error" data-test="verdict-failed" dir="ltr">{message}</p> }.into_any(),
            })}
            <h2>{ft.draws}</h2>
            {loaded(draws, move |list| view! { <Draws list/> })}
            <h2>{ft.contests}</h2>
            {loaded(contests, move |list| view! { <Contests list/> })}
            <h2>{ft.witnesses}</h2>
            <p class="muted">{ft.witnesses_intro}</p>
            {loaded(cosignatures, move |list| view! { <Cosignatures list/> })}
            <h2>{w.recent_spins}</h2>
            {loaded(spins, move |list| view! {
                <p class="muted">{w.log_size}": "{use_lang().digits(&list.log_size.to_string())}</p>
                <p class="muted" data-test="beacon-mode">{if list.deployment_beacon { w.beacon_on } else { w.beacon_none }}</p>
                <SpinTable spins=list.spins with_member=true/>
            })}
        </section>
    }
}

/// Where to verify a draw's or a contest's bundle and download it, once it exists.
#[component]
fn BundleLinks(kind: &'static str, id: i64, ready: bool) -> impl IntoView {
    let ft = use_lang().audit_texts();
    if !ready {
        return view! { <span class="muted">{ft.not_ready}</span> }.into_any();
    }
    view! {
        <a href=format!("/audit?{kind}={id}") data-test=format!("audit-{kind}")>{ft.verify_in_browser}</a>" · "
        <a href=format!("/api/log/bundles/{kind}/{id}") download>{ft.download}</a>
    }
    .into_any()
}

/// Every raffle with its phase, and its bundle once drawn.
#[component]
fn Draws(list: Vec<RaffleView>) -> impl IntoView {
    let lang = use_lang();
    let ft = lang.audit_texts();
    if list.is_empty() {
        return view! { <p>{ft.no_draws}</p> }.into_any();
    }
    view! {
        <table class="list" data-test="audit-draws">
            <tbody>
                {list.into_iter().map(|raffle| {
                    let id = raffle.id;
                    view! {
                        <tr>
                            <td><a href=format!("/raffles/{id}")>{pick(lang, &raffle.title_fa, &raffle.title_en)}</a></td>
                            <td><code dir="ltr">{raffle.draw_id.clone()}</code></td>
                            <td>{crate::features::raffles::pages::raffle::phase_text(lang, &raffle.phase)}</td>
                            <td><BundleLinks kind="draw" id ready=raffle.phase == "drawn"/></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Every contest with its phase, and its bundle once its ranks are frozen.
#[component]
fn Contests(list: Vec<ContestView>) -> impl IntoView {
    let lang = use_lang();
    let ft = lang.audit_texts();
    if list.is_empty() {
        return view! { <p>{ft.no_contests}</p> }.into_any();
    }
    view! {
        <table class="list" data-test="audit-contests">
            <tbody>
                {list.into_iter().map(|contest| {
                    let id = contest.id;
                    view! {
                        <tr>
                            <td><a href=format!("/contests/{id}")>{pick(lang, &contest.title_fa, &contest.title_en)}</a></td>
                            <td><code dir="ltr">{contest.contest_id.clone()}</code></td>
                            <td>{crate::features::contests::pages::contest::phase_text(lang, &contest.phase)}</td>
                            <td><BundleLinks kind="contest" id ready=contest.phase == "finished"/></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn Cosignatures(list: Vec<CosignatureView>) -> impl IntoView {
    let lang = use_lang();
    let ft = lang.audit_texts();
    if list.is_empty() {
        return view! { <p data-test="no-witnesses">{ft.no_witnesses}</p> }.into_any();
    }
    view! {
        <table class="list" data-test="cosignatures">
            <thead><tr><th>{ft.witness}</th><th>{ft.cosigned_size}</th><th>{ft.cosigned_at}</th></tr></thead>
            <tbody>
                {list.into_iter().map(|c| view! {
                    <tr data-test="cosignature">
                        <td><code dir="ltr">{c.witness.clone()}</code>
                            <details><summary>{ft.bundle}</summary><pre dir="ltr">{c.note.clone()}</pre></details></td>
                        <td>{lang.digits(&c.size.to_string())}</td>
                        <td>{crate::platform::ui::widgets::moment_text(lang, i64::try_from(c.signed_at).unwrap_or(0).saturating_mul(1000))}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
