//! The member's fairness page: the current seed pair, their own client seed, rotation (which
//! reveals the server seed), and their spins with a link to verify each one.

use leptos::prelude::*;

use crate::platform::ui::widgets::{FormError, Notice, day_text, loaded};
use crate::features::wheels::api::{FairnessView, SpinRowView, my_fairness};
use crate::platform::ui::use_lang;

#[component]
pub(crate) fn SpinTable(spins: Vec<SpinRowView>, #[prop(optional)] with_member: bool) -> impl IntoView {
    let lang = use_lang();
    let w = lang.wheel_texts();
    if spins.is_empty() {
        return view! { <p class="muted">{w.no_spins}</p> }.into_any();
    }
    view! {
        <table class="list" data-test="spins">
            <thead><tr>
                <th>"#"</th>{with_member.then(|| view! { <th>{w.member}</th> })}<th>{w.wheel}</th><th>{w.segment}</th>
                <th>{w.nonce}</th><th>{w.round}</th><th></th>
            </tr></thead>
            <tbody>
                {spins.into_iter().map(|s| view! {
                    <tr data-spin=s.id>
                        <td>{lang.digits(&s.id.to_string())}<br/><small class="muted">{day_text(lang, s.at_ms)}</small></td>
                        {with_member.then(|| view! { <td><code dir="ltr">{s.member.clone()}</code></td> })}
                        <td>{lang.digits(&s.wheel.to_string())}</td>
                        <td>{lang.digits(&s.segment.to_string())}</td>
                        <td>{lang.digits(&s.nonce.to_string())}</td>
                        <td>{if s.round == 0 { "—".to_owned() } else { lang.digits(&s.round.to_string()) }}</td>
                        <td>{if s.revealed {
                            view! {
                                <a href=format!("/audit?spin={}", s.id) data-test="verify-spin">{w.verify}</a>" · "
                                <a href=format!("/api/log/bundles/spin/{}", s.id) dir="ltr">{w.download_bundle}</a>
                            }.into_any()
                        } else {
                            view! { <span class="muted">{w.not_revealed_yet}</span> }.into_any()
                        }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn Pair(view: FairnessView) -> impl IntoView {
    let lang = use_lang();
    let w = lang.wheel_texts();
    view! {
        <dl class="facts" data-test="seed-pair">
            <dt>{w.server_commit}</dt><dd><code dir="ltr" data-test="server-commit">{view.pair.server_commit.clone()}</code></dd>
            <dt>{w.client_seed}</dt><dd><code dir="ltr" data-test="client-seed">{view.pair.client_seed.clone()}</code></dd>
            <dt>{w.next_nonce}</dt><dd>{lang.digits(&view.pair.next_nonce.to_string())}</dd>
        </dl>
        <form method="post" action="/fairness/client-seed" class="search" data-test="client-seed-form">
            <input name="client_seed" maxlength="64" dir="ltr" required aria-label=w.client_seed value=view.pair.client_seed.clone()/>
            <button type="submit" class="button">{w.set_client_seed}</button>
        </form>
        <form method="post" action="/fairness/rotate" class="stack" data-test="rotate-form">
            <label>{w.rotate_hint}<input name="client_seed" maxlength="64" dir="ltr" aria-label=w.client_seed/></label>
            <button type="submit" class="button" data-test="rotate">{w.rotate}</button>
        </form>
        <h2>{w.my_spins}</h2>
        <SpinTable spins=view.spins/>
    }
}

#[component]
pub fn FairnessPage() -> impl IntoView {
    let w = use_lang().wheel_texts();
    let view = Resource::new(|| (), |_| my_fairness());
    view! {
        <h1>{w.fairness}</h1>
        <p>{w.fairness_intro}</p>
        <FormError/>
        <Notice code="seed" text=w.seed_saved/>
        <Notice code="rotated" text=w.rotated/>
        {loaded(view, |view| view! { <Pair view/> })}
    }
}
