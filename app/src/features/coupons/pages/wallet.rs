//! The member's coupon wallet: every coupon with its code as QR code and barcode, its expiry,
//! and those about to expire listed first.

use leptos::prelude::*;

use crate::features::coupons::api::{CouponView, my_coupons};
use crate::features::raffles::pages::raffle::pick;
use crate::platform::ui::use_lang;
use crate::platform::ui::widgets::{FormError, Notice, loaded, moment_text};

#[component]
fn Coupon(coupon: CouponView) -> impl IntoView {
    let lang = use_lang();
    let c = lang.coupon_texts();
    let state = if coupon.used_at_ms.is_some() {
        c.used
    } else if coupon.expired {
        c.expired
    } else if coupon.expires_soon {
        c.expiring_soon
    } else {
        ""
    };
    let usable = coupon.used_at_ms.is_none() && !coupon.expired;
    view! {
        <li data-test="coupon" data-code=coupon.code.clone() data-used=coupon.used_at_ms.is_some().to_string()>
            <h2>{pick(lang, &coupon.listing.title_fa, &coupon.listing.title_en)}</h2>
            <p><strong>{pick(lang, &coupon.listing.value_fa, &coupon.listing.value_en)}</strong>" · "
                {pick(lang, &coupon.listing.partner_fa, &coupon.listing.partner_en)}</p>
            {(!state.is_empty()).then(|| view! { <p class="badge" data-test="coupon-state">{state}</p> })}
            <p>{c.code}": "<code dir="ltr" data-test="code">{coupon.code.clone()}</code></p>
            {usable.then(|| view! {
                <p class="muted">{c.show_at_till}</p>
                <div class="qr" inner_html=coupon.qr_svg.clone()></div>
                <div class="barcode" inner_html=coupon.barcode_svg.clone()></div>
            })}
            <p class="muted">{c.valid_until}" "{moment_text(lang, coupon.listing.valid_until_ms)}</p>
            {coupon.used_at_ms.map(|ms| view! {
                <p data-test="used">{c.used_at}" "{moment_text(lang, ms)}" · "{c.place}": "{coupon.used_place.clone()}</p>
            })}
        </li>
    }
}

#[component]
pub fn CouponsPage() -> impl IntoView {
    let lang = use_lang();
    let c = lang.coupon_texts();
    let coupons = Resource::new(|| (), |_| my_coupons());
    view! {
        <h1>{c.my_coupons}</h1>
        <FormError/>
        <Notice code="bought" text=c.bought/>
        {loaded(coupons, move |coupons| {
            if coupons.is_empty() {
                return view! { <p>{c.no_coupons}" "<a href="/market">{c.market}</a></p> }.into_any();
            }
            let soon: Vec<CouponView> = coupons.iter().filter(|k| k.expires_soon).cloned().collect();
            view! {
                {(!soon.is_empty()).then(|| view! {
                    <h2>{c.expiring_list}</h2>
                    <ul data-test="expiring">
                        {soon.into_iter().map(|k| view! {
                            <li>{pick(lang, &k.listing.title_fa, &k.listing.title_en)}" — "{moment_text(lang, k.listing.valid_until_ms)}</li>
                        }).collect_view()}
                    </ul>
                })}
                <ul class="cards" data-test="coupons">
                    {coupons.into_iter().map(|coupon| view! { <Coupon coupon/> }).collect_view()}
                </ul>
            }.into_any()
        })}
    }
}
