use leptos::prelude::*;

use crate::platform::ui::use_lang;

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_lang().texts();
    let at = use_lang().account_texts();
    view! {
        <section class="hero">
            <h1>{at.welcome}</h1>
            <p>{at.join_pitch}</p>
            <p class="actions">
                <a class="button" href="/signup">{t.sign_up}</a>
                <a class="button secondary" href="/login">{t.log_in}</a>
            </p>
        </section>
    }
}
