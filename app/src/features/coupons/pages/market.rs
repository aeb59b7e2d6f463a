//! The member's coupon market: categories, search, and a buy button per listing.

use leptos::prelude::*;

use crate::features::coupons::api::{ListingView, market};
use crate::features::raffles::pages::raffle::pick;
use crate::platform::i18n::Lang;
use crate::platform::ui::use_lang;
use crate::platform::ui::widgets::{FormError, loaded, moment_text, query_param};

/// A listing's facts, as the market and the partner page show them.
#[component]
pub(crate) fn ListingFacts(listing: ListingView) -> impl IntoView {
    let lang = use_lang();
    let c = lang.coupon_texts();
    let price = if listing.price == 0 { c.free.to_owned() } else { lang.digits(&listing.price.to_string()) };
    view! {
        <p><strong>{pick(lang, &listing.value_fa, &listing.value_en)}</strong>" · "{pick(lang, &listing.partner_fa, &listing.partner_en)}</p>
        <dl class="facts">
            <dt>{c.price}</dt><dd data-test="price">{price}</dd>
            <dt>{c.left}</dt><dd data-test="left">{lang.digits(&listing.left.to_string())}</dd>
            <dt>{c.valid_until}</dt><dd>{moment_text(lang, listing.valid_until_ms)}</dd>
            <dt>{c.per_member}</dt><dd>{lang.digits(&listing.per_member_limit.to_string())}</dd>
        </dl>
        {let terms = pick(lang, &listing.terms_fa, &listing.terms_en); (!terms.is_empty()).then(|| view! { <p class="muted">{terms}</p> })}
    }
}

fn category_link(lang: Lang, category: &str, chosen: &str) -> impl IntoView {
    let c = lang.coupon_texts();
    let href = if category.is_empty() { "/market".to_owned() } else { format!("/market?category={category}") };
    let text = if category.is_empty() { c.all_categories.to_owned() } else { category.to_owned() };
    view! { <a href=href class:badge=category == chosen data-test="category">{text}</a>" " }
}

#[component]
pub fn MarketPage() -> impl IntoView {
    let lang = use_lang();
    let c = lang.coupon_texts();
    let category = query_param("category");
    let search = query_param("q");
    let (asked_category, asked_search) = (category.clone(), search.clone());
    let page = Resource::new(move || (asked_category.clone(), asked_search.clone()), |(category, query)| market(category, query));
    view! {
        <h1>{c.market}</h1>
        <FormError/>
        <form method="get" action="/market" class="inline" data-test="search">
            <input type="hidden" name="category" value=category.clone()/>
            <input type="search" name="q" value=search placeholder=c.search aria-label=c.search/>
            <button type="submit" class="button small">{c.search}</button>
        </form>
        {loaded(page, move |page| {
            let chosen = category.clone();
            view! {
                <p class="muted">{c.your_points}": "{lang.digits(&page.points.to_string())}</p>
                <nav data-test="categories">
                    {category_link(lang, "", &chosen)}
                    {page.categories.iter().map(|cat| category_link(lang, cat, &chosen)).collect_view()}
                </nav>
                {if page.listings.is_empty() {
                    view! { <p data-test="no-listings">{c.no_listings}</p> }.into_any()
                } else {
                    view! {
                        <ul class="cards" data-test="listings">
                            {page.listings.into_iter().map(|listing| {
                                let id = listing.id;
                                let sold_out = listing.left == 0;
                                view! {
                                    <li data-test="listing" data-listing=id>
                                        {(!listing.image_url.is_empty()).then(|| view! { <img src=listing.image_url.clone() alt="" width="120"/> })}
                                        <h2>{pick(lang, &listing.title_fa, &listing.title_en)}</h2>
                                        <ListingFacts listing=listing.clone()/>
                                        {if sold_out {
                                            view! { <p class="badge">{c.sold_out}</p> }.into_any()
                                        } else {
                                            view! {
                                                <form method="post" action=format!("/market/{id}/buy")>
                                                    <input type="hidden" name="key" value=format!("{}-{id}", page.key)/>
                                                    <button type="submit" class="button" data-test="buy">{c.buy}</button>
                                                </form>
                                            }.into_any()
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            }
        })}
    }
}
