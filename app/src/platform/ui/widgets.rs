//! The small pieces pages share: form errors and notices, loading, dates and digits.


use engine::access::Role;
use engine::time::{GregorianDate, Timestamp};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::platform::ui::use_lang;
use crate::platform::error::{AppError, ErrorCode};
use crate::platform::i18n::Lang;

/// A query parameter of the current URL, empty when absent.
pub fn query_param(name: &'static str) -> String {
    use_query_map().read_untracked().get(name).unwrap_or_default()
}

/// The error a form handler sent back, in the page's language.
#[component]
pub fn FormError() -> impl IntoView {
    let lang = use_lang();
    let code = ErrorCode::parse(&query_param("error"));
    code.map(|code| view! { <p class="error" role="alert" data-test="error">{code.message(lang)}</p> })
}

/// A confirmation a form handler sent back.
#[component]
pub fn Notice(code: &'static str, text: &'static str) -> impl IntoView {
    (query_param("notice") == code).then(|| view! { <p class="notice" role="status" data-test="notice">{text}</p> })
}

#[component]
pub fn Failure(error: AppError) -> impl IntoView {
    view! { <p class="error" role="alert" data-test="error">{error.message}</p> }
}

/// A resource's value drawn by `render` once it has loaded, or its error, with a loading line in
/// between. During server rendering the pages wait for it (`SsrMode::Async`).
pub fn loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    let t = use_lang().texts();
    view! {
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => render(value).into_any(),
                        Err(error) => view! { <Failure error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A day as people read it: Jalali with Persian digits in Persian, ISO in English.
pub fn day_text(lang: Lang, ms: i64) -> String {
    let day = Timestamp::from_unix_millis(ms).tehran_date();
    match lang {
        Lang::Fa => day.to_persian_long(),
        Lang::En => {
            let (year, month, day) = day.to_gregorian();
            format!("{year:04}-{month:02}-{day:02}")
        }
    }
}

/// An instant as people read it: the day (as [`day_text`]) and the Tehran time of day.
pub fn moment_text(lang: Lang, ms: i64) -> String {
    let minutes = Timestamp::from_unix_millis(ms).tehran_minutes();
    lang.digits(&format!("{} {:02}:{:02}", day_text(lang, ms), minutes / 60, minutes % 60))
}

/// A stored birthday as the profile form shows it.
pub fn birthday_text(lang: Lang, iso: &str) -> String {
    match (lang, GregorianDate::parse_iso(iso)) {
        (Lang::Fa, Some(date)) => lang.digits(&date.to_jalali().to_slashed()),
        _ => iso.to_owned(),
    }
}

/// `9800 1234 5678 9012`, for reading a number aloud at the till.
pub fn grouped_card(number: &str) -> String {
    engine::card::CardNumber::parse(number).map(|c| c.grouped()).unwrap_or_else(|_| number.to_owned())
}

pub fn roles_text(lang: Lang, roles: &[Role]) -> String {
    let t = lang.texts();
    roles.iter().map(|r| t.role(*r)).collect::<Vec<_>>().join(lang_separator(lang))
}

pub fn lang_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::Fa => "، ",
        Lang::En => ", ",
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let t = use_lang().texts();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="narrow">
            <h1>{t.not_found}</h1>
            <p><a href="/">{t.home}</a></p>
        </section>
    }
}
