//! The admin's partner brands: each with its users and listings, the form that adds one, and
//! the form that makes an account act for a brand.

use leptos::prelude::*;

use crate::features::coupons::api::admin_partners;
use crate::features::raffles::pages::raffle::pick;
use crate::platform::ui::use_lang;
use crate::platform::ui::widgets::{FormError, Notice, loaded};

#[component]
pub fn AdminPartnersPage() -> impl IntoView {
    let lang = use_lang();
    let c = lang.coupon_texts();
    let partners = Resource::new(|| (), |_| admin_partners());
    view! {
        <h1>{c.partners}</h1>
        <FormError/>
        <Notice code="created" text=c.partner_created/>
        <Notice code="added" text=c.user_added/>
        {loaded(partners, move |partners| view! {
            <table class="list" data-test="partners">
                <thead><tr><th>{c.partner}</th><th>{c.users}</th><th>{c.listings}</th><th>{c.add_user}</th></tr></thead>
                <tbody>
                    {partners.into_iter().map(|p| view! {
                        <tr>
                            <td><a href=format!("/partner?partner={}", p.id)>{pick(lang, &p.name_fa, &p.name_en)}</a></td>
                            <td>{lang.digits(&p.users.to_string())}</td>
                            <td>{lang.digits(&p.listings.to_string())}</td>
                            <td><form method="post" action=format!("/admin/partners/{}/users", p.id) class="inline">
                                <input type="text" name="login" dir="ltr" required aria-label=c.add_user/>
                                <button type="submit" class="button small">{c.add_user}</button>
                            </form></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        <h2>{c.new_partner}</h2>
        <form method="post" action="/admin/partners" class="stack" data-test="partner-form">
            <label>{c.name_fa}<input type="text" name="name_fa" maxlength="40" required/></label>
            <label>{c.name_en}<input type="text" name="name_en" maxlength="40" required dir="ltr"/></label>
            <button type="submit" class="button" data-test="create-partner">{c.create_partner}</button>
        </form>
    }
}
