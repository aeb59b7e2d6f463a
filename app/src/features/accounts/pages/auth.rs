//! Sign-up and login: plain forms that post to the server and work before the wasm loads.

use leptos::prelude::*;

use crate::platform::ui::widgets::{FormError, query_param};
use crate::platform::ui::use_lang;

#[component]
fn Credentials(action: &'static str, title: &'static str, new_password: bool) -> impl IntoView {
    // Sign-up keeps the invite code of the link it was opened from (`?ref=`).
    let invite = new_password.then(|| view! { <input type="hidden" name="ref" value=query_param("ref")/> });
    let at = use_lang().account_texts();
    let autocomplete = if new_password { "new-password" } else { "current-password" };
    view! {
        <section class="narrow card-panel">
            <h1>{title}</h1>
            <FormError/>
            <form method="post" action=action class="stack" data-test=action>
                <input type="hidden" name="next" value=query_param("next")/>
                {invite}
                <label>
                    {at.identifier}
                    <input name="identifier" required autocomplete="username" inputmode="email" dir="ltr"
                        placeholder=at.identifier_hint value=query_param("identifier")/>
                </label>
                <label>
                    {at.password}
                    <input name="password" type="password" required minlength="8" maxlength="128"
                        autocomplete=autocomplete placeholder=at.password_hint/>
                </label>
                <button type="submit" class="button">{title}</button>
            </form>
        </section>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let at = lang.account_texts();
    let claim = (query_param("notice") == "claim_pending").then(|| {
        let code = query_param("code");
        view! {
            <section class="narrow notice" role="status" data-test="claim">
                <p>{at.claim_pending}</p>
                <p><strong dir="ltr" data-test="claim-code">{lang.digits(&code)}</strong></p>
            </section>
        }
    });
    view! {
        {claim}
        <Credentials action="/signup" title=t.sign_up new_password=true/>
        <p class="center"><a href="/login">{at.have_account}</a></p>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_lang().texts();
    let at = use_lang().account_texts();
    view! {
        <Credentials action="/login" title=t.log_in new_password=false/>
        <p class="center"><a href="/signup">{at.no_account}</a></p>
    }
}
