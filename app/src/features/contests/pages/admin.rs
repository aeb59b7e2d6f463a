//! The admin's contests: every contest with its phase and entrants, and the form that sets one up.

use leptos::prelude::*;

use crate::features::contests::api::admin_contests;
use crate::features::contests::pages::contest::{metric_text, phase_text};
use crate::features::raffles::pages::admin::PrizeRows;
use crate::features::raffles::pages::raffle::pick;
use crate::platform::ui::use_lang;
use crate::platform::ui::widgets::{FormError, Notice, loaded, moment_text, query_param};

const METRICS: [&str; 5] = ["points_earned", "purchase_count", "amount_spent", "referrals", "spins"];

#[component]
fn CreateForm() -> impl IntoView {
    let lang = use_lang();
    let c = lang.contest_texts();
    let r = lang.raffle_texts();
    let detail = query_param("detail");
    view! {
        <h2>{c.new_contest}</h2>
        {(!detail.is_empty()).then(|| view! { <p class="error" data-test="detail">{detail}</p> })}
        <p class="muted">{c.rules_fixed}</p>
        <form method="post" action="/admin/contests" class="stack" data-test="contest-form">
            <label>{r.title_fa}<input type="text" name="title_fa" maxlength="40" required/></label>
            <label>{r.title_en}<input type="text" name="title_en" maxlength="40" required dir="ltr"/></label>
            <label>{r.description_fa}<textarea name="description_fa" maxlength="2000"></textarea></label>
            <label>{r.description_en}<textarea name="description_en" maxlength="2000" dir="ltr"></textarea></label>
            <label>{c.metric}<select name="metric">
                {METRICS.iter().map(|m| view! { <option value=*m>{metric_text(lang, m)}</option> }).collect_view()}
            </select></label>
            <fieldset>
                <legend>{c.starts}</legend>
                <input type="text" name="starts_date" placeholder=r.date_hint aria-label=r.date_hint required/>
                <input type="text" name="starts_time" placeholder=r.time_hint aria-label=r.time_hint value="00:00" required/>
            </fieldset>
            <fieldset>
                <legend>{c.ends}</legend>
                <input type="text" name="ends_date" placeholder=r.date_hint aria-label=r.date_hint required/>
                <input type="text" name="ends_time" placeholder=r.time_hint aria-label=r.time_hint value="20:00" required/>
            </fieldset>
            <label>{c.entry_fee}<input type="text" name="entry_fee" inputmode="numeric" value="0"/></label>
            <label>{c.min_score}<input type="text" name="min_score" inputmode="numeric" value="1"/></label>
            <label>{c.tie_rule}<select name="tie_rule">
                <option value="shared_rank">{c.tie_shared}</option>
                <option value="first_to_reach">{c.tie_first}</option>
            </select></label>
            <label>{c.prize_mode}<select name="prize_mode">
                <option value="by_rank">{c.mode_by_rank}</option>
                <option value="drawn">{c.mode_drawn}</option>
            </select></label>
            <label class="check"><input type="checkbox" name="beacon"/>{c.use_beacon}</label>
            <label>{c.board_size}<input type="text" name="board_size" inputmode="numeric" value="10"/></label>
            <PrizeRows coupons=false/>
            <button type="submit" class="button" data-test="create-contest">{c.create}</button>
        </form>
    }
}

#[component]
pub fn AdminContestsPage() -> impl IntoView {
    let lang = use_lang();
    let c = lang.contest_texts();
    let contests = Resource::new(|| (), |_| admin_contests());
    view! {
        <h1>{c.contests}</h1>
        <FormError/>
        <Notice code="created" text=c.created/>
        {loaded(contests, move |contests| view! {
            <table class="list" data-test="admin-contests">
                <thead><tr><th>{c.contests}</th><th>{c.metric}</th><th>{c.ends}</th><th>{c.entrants}</th></tr></thead>
                <tbody>
                    {contests.into_iter().map(|contest| view! {
                        <tr>
                            <td><a href=format!("/contests/{}", contest.id)>{pick(lang, &contest.title_fa, &contest.title_en)}</a>
                                " · "{phase_text(lang, &contest.phase)}</td>
                            <td>{metric_text(lang, &contest.metric)}</td>
                            <td>{moment_text(lang, contest.ends_at_ms)}</td>
                            <td>{lang.digits(&contest.entrants.to_string())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        <CreateForm/>
    }
}
