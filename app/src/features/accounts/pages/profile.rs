//! The member's profile form. Persian visitors enter the birthday in the Jalali calendar.

use leptos::prelude::*;

use crate::platform::ui::widgets::{FormError, Notice, birthday_text, loaded, query_param};
use crate::features::accounts::api::{ProfileView, my_profile};
use crate::platform::i18n::Lang;
use crate::platform::ui::use_lang;

/// After a refused save the form shows what was typed, not what is stored.
fn typed_or(stored: String, field: &'static str) -> String {
    if query_param("error").is_empty() { stored } else { query_param(field) }
}

#[component]
fn ProfileForm(profile: ProfileView) -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let at = lang.account_texts();
    let birthday = typed_or(birthday_text(lang, &profile.birthday_iso), "birthday");
    let gender = typed_or(profile.gender.clone(), "gender");
    let option = move |value: &'static str, label: &'static str| {
        let selected = gender == value;
        view! { <option value=value selected=selected>{label}</option> }
    };
    let birthday_input = match lang {
        Lang::Fa => view! {
            <input name="birthday" inputmode="numeric" dir="ltr" placeholder=at.birthday_hint value=birthday/>
        }
        .into_any(),
        Lang::En => view! { <input name="birthday" type="date" value=birthday/> }.into_any(),
    };
    view! {
        <p class="muted" dir="ltr">{lang.digits(&profile.login)}</p>
        <form method="post" action="/profile" class="stack" data-test="profile">
            <label>{at.first_name}<input name="first_name" maxlength="60" value=typed_or(profile.first_name.clone(), "first_name")/></label>
            <label>{at.last_name}<input name="last_name" maxlength="60" value=typed_or(profile.last_name.clone(), "last_name")/></label>
            <label>{t.birthday}{birthday_input}</label>
            <label>{t.city}<input name="city" maxlength="40" value=typed_or(profile.city.clone(), "city")/></label>
            <label>
                {at.gender}
                <select name="gender">
                    {option("", at.unspecified)}
                    {option("female", at.female)}
                    {option("male", at.male)}
                    {option("other", at.other)}
                </select>
            </label>
            <button type="submit" class="button">{t.save}</button>
        </form>
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let t = use_lang().texts();
    let profile = Resource::new(|| (), |_| my_profile());
    view! {
        <section class="narrow">
            <h1>{t.profile}</h1>
            <FormError/>
            <Notice code="saved" text=t.saved/>
            {loaded(profile, |profile| view! { <ProfileForm profile/> })}
        </section>
    }
}
