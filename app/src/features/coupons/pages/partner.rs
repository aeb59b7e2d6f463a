//! A partner brand's own page: its listings and sales, the form that lists a coupon (codes from
//! a pattern or a CSV pool), the redemption form, its API keys and the settlement report.

use leptos::prelude::*;

use crate::features::coupons::api::{PartnerPageView, partner_page};
use crate::features::coupons::pages::market::ListingFacts;
use crate::features::raffles::pages::raffle::pick;
use crate::platform::ui::use_lang;
use crate::platform::ui::widgets::{FormError, Notice, loaded, moment_text, query_param};

#[component]
fn ListingForm(partner: i64) -> impl IntoView {
    let lang = use_lang();
    let c = lang.coupon_texts();
    let r = lang.raffle_texts();
    let detail = query_param("detail");
    view! {
        <h2>{c.new_listing}</h2>
        {(!detail.is_empty()).then(|| view! { <pre class="error" data-test="detail">{detail}</pre> })}
        <form method="post" action="/partner/listings" class="stack" data-test="listing-form">
            <input type="hidden" name="partner" value=partner.to_string()/>
            <label>{c.title_fa}<input type="text" name="title_fa" maxlength="40" required/></label>
            <label>{c.title_en}<input type="text" name="title_en" maxlength="40" required dir="ltr"/></label>
            <label>{c.terms_fa}<textarea name="terms_fa" maxlength="2000"></textarea></label>
            <label>{c.terms_en}<textarea name="terms_en" maxlength="2000" dir="ltr"></textarea></label>
            <label>{c.category}<input type="text" name="category" dir="ltr" required placeholder="cafe"/></label>
            <label>{c.image_url}<input type="text" name="image_url" dir="ltr"/></label>
            <label>{c.price}<input type="text" name="price" inputmode="numeric" value="100"/></label>
            <label>{c.value}<select name="value_kind">
                <option value="percent">{c.value_percent}</option>
                <option value="fixed">{c.value_fixed}</option>
                <option value="free_item">{c.value_free_item}</option>
                <option value="text">{c.value_text}</option>
            </select></label>
            <label>{c.value_amount}<input type="text" name="value_amount" inputmode="decimal"/></label>
            <label>{c.value_fa}<input type="text" name="value_fa" maxlength="40"/></label>
            <label>{c.value_en}<input type="text" name="value_en" maxlength="40" dir="ltr"/></label>
            <label>{c.settlement_price}<input type="text" name="settlement_price" inputmode="decimal" value="0"/></label>
            <fieldset><legend>{c.sale_from}</legend>
                <input type="text" name="sale_from_date" placeholder=r.date_hint aria-label=r.date_hint required/>
                <input type="text" name="sale_from_time" value="00:00" aria-label=r.time_hint required/></fieldset>
            <fieldset><legend>{c.sale_until}</legend>
                <input type="text" name="sale_until_date" placeholder=r.date_hint aria-label=r.date_hint required/>
                <input type="text" name="sale_until_time" value="23:59" aria-label=r.time_hint required/></fieldset>
            <fieldset><legend>{c.valid_until}</legend>
                <input type="text" name="valid_until_date" placeholder=r.date_hint aria-label=r.date_hint required/>
                <input type="text" name="valid_until_time" value="23:59" aria-label=r.time_hint required/></fieldset>
            <label>{c.per_member}<input type="text" name="per_member_limit" inputmode="numeric" value="1"/></label>
            <label>{c.tiers}<input type="text" name="tiers" dir="ltr" placeholder=r.tiers_hint/></label>
            <fieldset><legend>{c.codes_from}</legend>
                <label class="check"><input type="radio" name="codes_from" value="pattern" checked/>{c.codes_pattern}</label>
                <label>{c.pattern}<input type="text" name="pattern" dir="ltr" value="CODE-####-####"/></label>
                <label>{c.charset}<input type="text" name="charset" dir="ltr" value="ABCDEFGHJKMNPQRSTUVWXYZ23456789"/></label>
                <label>{c.stock}<input type="text" name="stock" inputmode="numeric" value="100"/></label>
                <label class="check"><input type="radio" name="codes_from" value="pool"/>{c.codes_pool}</label>
                <label>{c.pool}<textarea name="pool" dir="ltr" rows="6" data-test="pool"></textarea></label>
            </fieldset>
            <button type="submit" class="button" data-test="create-listing">{c.create_listing}</button>
        </form>
    }
}

#[component]
fn RedeemForm(page: PartnerPageView) -> impl IntoView {
    let lang = use_lang();
    let c = lang.coupon_texts();
    // A fresh id per page load: a resent form redeems once and answers the same.
    let key = format!("page-{}-{}", page.partner, page.until_ms);
    view! {
        <h2>{c.redeem}</h2>
        <form method="post" action="/partner/redeem" class="inline" data-test="redeem-form">
            <input type="hidden" name="partner" value=page.partner.to_string()/>
            <input type="hidden" name="key" value=key/>
            <input type="text" name="code" dir="ltr" required aria-label=c.code placeholder=c.code data-test="redeem-code"/>
            <button type="submit" class="button" data-test="redeem">{c.redeem}</button>
        </form>
    }
}

#[component]
pub fn PartnerPage() -> impl IntoView {
    let lang = use_lang();
    let c = lang.coupon_texts();
    let asked: i64 = query_param("partner").parse().unwrap_or(0);
    let page = Resource::new(move || asked, partner_page);
    view! {
        <FormError/>
        <Notice code="listed" text=c.listed/>
        {(query_param("notice") == "listed").then(|| view! {
            <p class="muted" data-test="loaded-codes">{c.stock}": "{lang.digits(&query_param("stock"))}</p>
        })}
        <Notice code="redeemed" text=c.redeemed/>
        {loaded(page, move |page| {
            let id = page.partner;
            view! {
                <h1 data-test="partner-name">{pick(lang, &page.name_fa, &page.name_en)}</h1>
                {(!page.brands.is_empty()).then(|| view! {
                    <nav>{c.switch_brand}": "{page.brands.iter().map(|(b, fa, en)| view! {
                        <a href=format!("/partner?partner={b}")>{pick(lang, fa, en)}</a>" "
                    }).collect_view()}</nav>
                })}
                <RedeemForm page=page.clone()/>
                <h2>{c.listings}</h2>
                <ul class="cards" data-test="partner-listings">
                    {page.listings.iter().map(|l| view! {
                        <li data-test="partner-listing">
                            <h3>{pick(lang, &l.title_fa, &l.title_en)}</h3>
                            <ListingFacts listing=l.clone()/>
                            <p class="muted">{c.sold}": "{lang.digits(&l.sold.to_string())}" / "{lang.digits(&l.stock.to_string())}
                                " · "{c.settlement_price}": "{lang.digits(&l.settlement_price)}</p>
                        </li>
                    }).collect_view()}
                </ul>
                <h2>{c.settlement}</h2>
                <p class="muted">{moment_text(lang, page.from_ms)}" — "{moment_text(lang, page.until_ms)}" · "
                    <a href=format!("/partner/settlement.csv?partner={id}") download data-test="settlement-csv">{c.download_csv}</a></p>
                <table class="list" data-test="settlement">
                    <thead><tr><th>{c.listings}</th><th>{c.sold}</th><th>{c.redeemed_count}</th><th>{c.expired_unused}</th><th>{c.owed}</th></tr></thead>
                    <tbody>
                        {page.settlement.iter().map(|s| view! {
                            <tr>
                                <td>{pick(lang, &s.title_fa, &s.title_en)}</td>
                                <td>{lang.digits(&s.sold.to_string())}</td>
                                <td>{lang.digits(&s.redeemed.to_string())}</td>
                                <td>{lang.digits(&s.expired_unused.to_string())}</td>
                                <td>{lang.digits(&s.owed)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <h2>{c.keys}</h2>
                {if page.keys.is_empty() {
                    view! { <p class="muted">{c.no_keys}</p> }.into_any()
                } else {
                    view! { <ul>{page.keys.iter().map(|k| view! { <li><code dir="ltr">{k.prefix.clone()}"…"</code>" "{k.label.clone()}</li> }).collect_view()}</ul> }.into_any()
                }}
                <ListingForm partner=id/>
            }
        })}
    }
}
