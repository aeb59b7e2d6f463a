//! The till: identify a member by a typed or scanned card number, or by mobile number.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{Failure, grouped_card, roles_text};
use crate::api::till_lookup;
use crate::ui::use_lang;

#[component]
pub fn TillPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let found = Resource::new(q, till_lookup);
    view! {
        <h1>{t.till}</h1>
        <form method="get" action="/till" class="search" data-test="till">
            <input name="q" autofocus inputmode="numeric" dir="ltr" placeholder=t.find_member_hint value=q aria-label=t.find_member/>
            <button type="submit" class="button">{t.find_member}</button>
        </form>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                let searched = !q().is_empty();
                match found.await {
                    Ok(Some(member)) => view! {
                        <div class="found" data-test="till-member">
                            <h2>{t.member_found}": "{lang.digits(&member.name)}</h2>
                            <p dir="ltr">{lang.digits(&grouped_card(&member.card_number))}</p>
                            <p>{roles_text(lang, &member.roles)}</p>
                        </div>
                    }.into_any(),
                    Ok(None) if searched => view! { <p class="error" data-test="till-none">{t.not_found}</p> }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(error) => view! { <Failure error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
