//! The admin's raffles: every raffle with its phase and sales, and the form that opens one.

use leptos::prelude::*;

use crate::features::raffles::api::{PRIZE_ROWS, admin_raffles};
use crate::features::raffles::pages::raffle::{phase_text, pick};
use crate::platform::ui::use_lang;
use crate::platform::ui::widgets::{FormError, Notice, loaded, moment_text, query_param};

/// The prize lines of a raffle's or a contest's form: kind, amount (points, rials or, where
/// `coupons` are offered, a coupon's listing number), labels and count; empty rows are ignored.
#[component]
pub(crate) fn PrizeRows(coupons: bool) -> impl IntoView {
    let r = use_lang().raffle_texts();
    view! {
        <table class="list">
            <thead><tr><th>{r.prize_kind}</th><th>{r.amount}</th><th>{r.label_fa}</th><th>{r.label_en}</th><th>{r.prize_count}</th></tr></thead>
            <tbody>
                {(0..PRIZE_ROWS).map(|row| view! {
                    <tr>
                        <td><select name=format!("prize_kind_{row}")>
                            <option value="points">{r.kind_points}</option>
                            <option value="credit">{r.kind_credit}</option>
                            <option value="item">{r.kind_item}</option>
                            {coupons.then(|| view! { <option value="coupon">{r.kind_coupon}</option> })}
                        </select></td>
                        <td><input type="text" name=format!("prize_amount_{row}") inputmode="decimal" size="8"/></td>
                        <td><input type="text" name=format!("prize_label_fa_{row}") maxlength="40"/></td>
                        <td><input type="text" name=format!("prize_label_en_{row}") maxlength="40" dir="ltr"/></td>
                        <td><input type="text" name=format!("prize_count_{row}") inputmode="numeric" size="4" value="1"/></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn OpenForm() -> impl IntoView {
    let lang = use_lang();
    let r = lang.raffle_texts();
    let detail = query_param("detail");
    view! {
        <h2>{r.new_raffle}</h2>
        {(!detail.is_empty()).then(|| view! { <p class="error" data-test="detail">{detail}</p> })}
        <p class="muted">{r.rules_fixed}</p>
        <form method="post" action="/admin/raffles" class="stack" data-test="raffle-form">
            <label>{r.title_fa}<input type="text" name="title_fa" maxlength="40" required/></label>
            <label>{r.title_en}<input type="text" name="title_en" maxlength="40" required dir="ltr"/></label>
            <label>{r.description_fa}<textarea name="description_fa" maxlength="2000"></textarea></label>
            <label>{r.description_en}<textarea name="description_en" maxlength="2000" dir="ltr"></textarea></label>
            <label>{r.ticket_price}<input type="text" name="ticket_price" inputmode="numeric" value="0"/></label>
            <label>{r.per_member_limit}<input type="text" name="per_member_limit" inputmode="numeric" value="10"/></label>
            <fieldset>
                <legend>{r.opens}</legend>
                <input type="text" name="opens_date" placeholder=r.date_hint aria-label=r.date_hint required/>
                <input type="text" name="opens_time" placeholder=r.time_hint aria-label=r.time_hint value="00:00" required/>
            </fieldset>
            <fieldset>
                <legend>{r.closes}</legend>
                <input type="text" name="closes_date" placeholder=r.date_hint aria-label=r.date_hint required/>
                <input type="text" name="closes_time" placeholder=r.time_hint aria-label=r.time_hint value="20:00" required/>
            </fieldset>
            <label>{r.tiers_allowed}<input type="text" name="tiers" placeholder=r.tiers_hint dir="ltr"/></label>
            <label>{r.ticket_per_purchase}<input type="text" name="ticket_per_purchase" inputmode="decimal" placeholder=r.ticket_per_purchase_hint/></label>
            <label class="check"><input type="checkbox" name="beacon"/>{r.use_beacon}</label>
            <PrizeRows coupons=true/>
            <button type="submit" class="button" data-test="open-raffle">{r.open_raffle}</button>
        </form>
    }
}

#[component]
pub fn AdminRafflesPage() -> impl IntoView {
    let lang = use_lang();
    let r = lang.raffle_texts();
    let raffles = Resource::new(|| (), |_| admin_raffles());
    view! {
        <h1>{r.raffles}</h1>
        <FormError/>
        <Notice code="opened" text=r.opened/>
        {loaded(raffles, move |raffles| view! {
            <table class="list" data-test="admin-raffles">
                <thead><tr><th>{r.raffles}</th><th>{r.closes}</th><th>{r.tickets_sold}</th><th>{r.entrants}</th></tr></thead>
                <tbody>
                    {raffles.into_iter().map(|raffle| view! {
                        <tr>
                            <td><a href=format!("/raffles/{}", raffle.id)>{pick(lang, &raffle.title_fa, &raffle.title_en)}</a>
                                " · "{phase_text(lang, &raffle.phase)}</td>
                            <td>{moment_text(lang, raffle.closes_at_ms)}</td>
                            <td>{lang.digits(&raffle.tickets.to_string())}</td>
                            <td>{lang.digits(&raffle.entrants.to_string())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        <OpenForm/>
    }
}
