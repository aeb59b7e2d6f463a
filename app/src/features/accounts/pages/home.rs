use leptos::prelude::*;

use crate::platform::ui::use_lang;

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_lang().texts();
    view! {
        <section class="hero">
            <h1>{t.welcome}</h1>
            <p>{t.join_pitch}</p>
            <p class="actions">
                <a class="button" href="/signup">{t.sign_up}</a>
                <a class="button secondary" href="/login">{t.log_in}</a>
            </p>
        </section>
    }
}
