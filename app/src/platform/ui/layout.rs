//! The frame of every page: the header with navigation, language switch and logout.

use engine::access::Role;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::platform::ui::use_lang;
use crate::features::accounts::api::viewer;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    let who = Resource::new(|| (), |_| viewer());
    let location = use_location();
    let back = move || location.pathname.get();
    view! {
        <header class="top">
            <a class="brand" href="/">{t.club_name}<span>{t.tagline}</span></a>
            <nav>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match who.await.ok().flatten() {
                            Some(v) => view! {
                                {v.has(Role::Member).then(|| view! {
                                    <a href="/card">{t.my_card}</a>
                                    <a href="/wallet">{t.wallet}</a>
                                    <a href="/wheels">{lang.wheel_texts().wheels}</a>
                                    <a href="/raffles">{lang.raffle_texts().raffles}</a>
                                    <a href="/contests">{lang.contest_texts().contests}</a>
                                    <a href="/market">{lang.coupon_texts().market}</a>
                                    <a href="/coupons">{lang.coupon_texts().my_coupons}</a>
                                    <a href="/profile">{t.profile}</a>
                                })}
                                {(v.has(Role::Cashier) || v.has(Role::Admin)).then(|| view! { <a href="/till">{t.till}</a> })}
                                {(v.has(Role::Partner) || v.has(Role::Admin)).then(|| view! { <a href="/partner">{lang.coupon_texts().partner}</a> })}
                                {v.has(Role::Admin).then(|| view! { <a href="/admin">{t.admin}</a> })}
                                <form method="post" action="/logout" class="inline">
                                    <button type="submit" class="link" data-test="logout">{t.log_out}</button>
                                </form>
                            }.into_any(),
                            None => view! {
                                <a href="/login">{t.log_in}</a>
                                <a href="/signup" class="button small">{t.sign_up}</a>
                            }.into_any(),
                        }
                    })}
                </Suspense>
                <a href="/audit">{t.audit}</a>
                <form method="post" action="/lang" class="inline">
                    <input type="hidden" name="lang" value=lang.other().code()/>
                    <input type="hidden" name="back" value=back/>
                    <button type="submit" class="link" data-test="switch-lang" lang=lang.other().code()>{t.switch_language}</button>
                </form>
            </nav>
        </header>
        <main class="page">{children()}</main>
    }
}
