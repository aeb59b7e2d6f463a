//! The member's contests: the list, and one contest with its rules, the join form, the live
//! board with the member's own rank, and the winners once it is over.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::features::contests::api::{BoardEntryView, ContestPageView, ContestView, contest_page, contests_list};
use crate::features::raffles::pages::raffle::{pick, prize_text};
use crate::platform::i18n::Lang;
use crate::platform::ui::use_lang;
use crate::platform::ui::widgets::{FormError, Notice, loaded, moment_text};

pub(crate) fn phase_text(lang: Lang, phase: &str) -> &'static str {
    let c = lang.contest_texts();
    match phase {
        "upcoming" => c.phase_upcoming,
        "running" => c.phase_running,
        "finishing" => c.phase_finishing,
        _ => c.phase_finished,
    }
}

pub(crate) fn metric_text(lang: Lang, metric: &str) -> &'static str {
    let c = lang.contest_texts();
    match metric {
        "points_earned" => c.metric_points_earned,
        "purchase_count" => c.metric_purchase_count,
        "amount_spent" => c.metric_amount_spent,
        "referrals" => c.metric_referrals,
        _ => c.metric_spins,
    }
}

/// The ranks each prize line covers, "1", "2–3"…
fn rank_span(lang: Lang, first: u64, count: u32) -> String {
    let last = first + u64::from(count) - 1;
    lang.digits(&if count == 1 { first.to_string() } else { format!("{first}–{last}") })
}

#[component]
fn Rules(contest: ContestView) -> impl IntoView {
    let lang = use_lang();
    let c = lang.contest_texts();
    let r = lang.raffle_texts();
    let fee = if contest.entry_fee == 0 { c.free_entry.to_owned() } else { lang.digits(&contest.entry_fee.to_string()) };
    let by_rank = contest.prize_mode == "by_rank";
    let mut first = 1u64;
    let lines: Vec<(String, String)> = contest
        .prizes
        .iter()
        .map(|p| {
            let span = if by_rank { rank_span(lang, first, p.count) } else { lang.digits(&p.count.to_string()) };
            first += u64::from(p.count);
            (span, prize_text(lang, p))
        })
        .collect();
    view! {
        <dl class="facts" data-test="contest-rules">
            <dt>{c.metric}</dt><dd data-test="metric">{metric_text(lang, &contest.metric)}</dd>
            <dt>{c.starts}</dt><dd>{moment_text(lang, contest.starts_at_ms)}</dd>
            <dt>{c.ends}</dt><dd data-test="ends">{moment_text(lang, contest.ends_at_ms)}</dd>
            <dt>{c.entry_fee}</dt><dd data-test="entry-fee">{fee}</dd>
            <dt>{c.min_score}</dt><dd>{lang.digits(&contest.min_score.to_string())}</dd>
            <dt>{c.prize_mode}</dt><dd>{if by_rank { c.mode_by_rank } else { c.mode_drawn }}</dd>
            <dt>{c.tie_rule}</dt><dd data-test="tie-rule">{if contest.tie_rule == "shared_rank" { c.tie_shared } else { c.tie_first }}</dd>
            <dt>{c.entrants}</dt><dd>{lang.digits(&contest.entrants.to_string())}</dd>
        </dl>
        <p class="muted">{c.counted_from_join}</p>
        {(!by_rank).then(|| view! { <p class="muted">{c.drawn_hint}" "{r.one_prize_per_member}</p> })}
        <table class="list" data-test="prizes">
            <thead><tr><th>{if by_rank { c.rank } else { r.prize_count }}</th><th>{c.prizes}</th></tr></thead>
            <tbody>
                {lines.into_iter().map(|(span, prize)| view! { <tr><td>{span}</td><td>{prize}</td></tr> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn JoinForm(page: ContestPageView) -> impl IntoView {
    let lang = use_lang();
    let c = lang.contest_texts();
    let r = lang.raffle_texts();
    let id = page.contest.id;
    let drawn = page.contest.prize_mode == "drawn";
    let seed = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| seed.set(crate::features::raffles::pages::seed::random_seed_hex()));
    view! {
        <form method="post" action=format!("/contests/{id}/join") class="stack" data-test="join-form">
            <input type="hidden" name="key" value=page.key.clone()/>
            {drawn.then(|| view! {
                <label>{r.client_seed}
                    <input type="text" name="client_seed" dir="ltr" maxlength="200" prop:value=move || seed.get()
                        on:input=move |ev| seed.set(event_target_value(&ev)) data-test="client-seed"/>
                </label>
                <p class="muted">{r.client_seed_hint}</p>
            })}
            <button type="submit" class="button" data-test="join">{c.join}</button>
        </form>
    }
}

#[component]
fn BoardRows(rows: Vec<BoardEntryView>) -> impl IntoView {
    let lang = use_lang();
    let c = lang.contest_texts();
    view! {
        <table class="list" data-test="board">
            <thead><tr><th>{c.rank}</th><th>{c.pseudonym}</th><th>{c.score}</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|row| view! {
                    <tr data-test="board-row" data-rank=row.rank class:you=row.you>
                        <td>{lang.digits(&row.rank.to_string())}</td>
                        <td><code dir="ltr">{row.pseudonym.clone()}</code>{row.you.then(|| view! { " — " <strong>{c.you}</strong> })}</td>
                        <td>{lang.digits(&row.score.to_string())}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Board(page: ContestPageView) -> impl IntoView {
    let lang = use_lang();
    let c = lang.contest_texts();
    let frozen = page.board_source == "frozen";
    view! {
        <h2>{c.leaderboard}</h2>
        <p class="muted" data-test="board-source" data-source=page.board_source.clone()>
            {if frozen { c.board_frozen } else { c.board_live }}
            {page.board_at_ms.map(|ms| view! { " · "{c.updated_at}" "{moment_text(lang, ms)} })}
            " · "{c.on_board}": "{lang.digits(&page.on_board.to_string())}
        </p>
        {page.joined.then(|| match page.you.clone() {
            Some(you) => view! {
                <p data-test="your-rank" data-rank=you.rank>{c.your_rank}": "<strong>{lang.digits(&you.rank.to_string())}</strong>
                    " · "{c.score}": "{lang.digits(&you.score.to_string())}</p>
            }.into_any(),
            None => view! { <p class="muted" data-test="your-rank">{c.not_on_board}</p> }.into_any(),
        })}
        <BoardRows rows=page.top.clone()/>
    }
}

#[component]
fn Awards(page: ContestPageView) -> impl IntoView {
    let lang = use_lang();
    let c = lang.contest_texts();
    if page.contest.phase != "finished" {
        return view! { <p class="muted">{c.no_awards}</p> }.into_any();
    }
    view! {
        <h2>{c.awards}</h2>
        <p>
            <a href=format!("/audit?contest={}", page.contest.id) class="button" data-test="verify-contest">{lang.audit_texts().verify_in_browser}</a>" "
            <a href=format!("/api/log/bundles/contest/{}", page.contest.id) download data-test="contest-bundle">{lang.raffle_texts().bundle}</a>
            {page.contest.raffle.map(|raffle| view! { " · "<a href=format!("/raffles/{raffle}") data-test="contest-draw">{c.the_draw}</a> })}
        </p>
        {(!page.awards.is_empty()).then(|| view! {
            <table class="list" data-test="awards">
                <thead><tr><th>{c.rank}</th><th>{c.pseudonym}</th><th>{c.score}</th><th>{c.prizes}</th></tr></thead>
                <tbody>
                    {page.awards.iter().map(|a| view! {
                        <tr data-test="award" data-rank=a.rank>
                            <td>{lang.digits(&a.rank.to_string())}</td>
                            <td><code dir="ltr">{a.pseudonym.clone()}</code>{a.you.then(|| view! { " — " <strong>{c.you}</strong> })}</td>
                            <td>{lang.digits(&a.score.to_string())}</td>
                            <td>{prize_text(lang, &a.prize)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
    .into_any()
}

#[component]
fn Fairness(contest: ContestView) -> impl IntoView {
    let lang = use_lang();
    let c = lang.contest_texts();
    view! {
        <p class="muted">{c.rules_logged}" "<a href=format!("/api/log/records/{}", contest.open_leaf)>{lang.digits(&contest.open_leaf.to_string())}</a></p>
        <dl class="facts">
            <dt>{c.rules_hash}</dt><dd><code dir="ltr" data-test="rules-hash">{contest.rules_hash.clone()}</code></dd>
        </dl>
        {contest.result_leaf.map(|leaf| view! {
            <p class="muted" data-test="result-leaf">{c.result_logged}" "<a href=format!("/api/log/records/{leaf}")>{lang.digits(&leaf.to_string())}</a></p>
        })}
    }
}

#[component]
pub fn ContestPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let page = Resource::new(id, contest_page);
    let lang = use_lang();
    let c = lang.contest_texts();
    view! {
        <FormError/>
        <Notice code="joined" text=c.joined_notice/>
        {loaded(page, move |page| {
            let open = matches!(page.contest.phase.as_str(), "upcoming" | "running");
            view! {
                <h1>{pick(lang, &page.contest.title_fa, &page.contest.title_en)}</h1>
                <p class="badge" data-test="phase">{phase_text(lang, &page.contest.phase)}</p>
                <p>{pick(lang, &page.contest.description_fa, &page.contest.description_en)}</p>
                <Rules contest=page.contest.clone()/>
                {match (open, page.member, page.joined) {
                    (_, true, true) => Some(view! { <p class="badge" data-test="joined">{c.already_in}</p> }.into_any()),
                    (true, true, false) => Some(view! { <JoinForm page=page.clone()/> }.into_any()),
                    (true, false, _) => Some(view! {
                        <p><a href=format!("/login?next=/contests/{}", page.contest.id) class="button" data-test="login-to-join">{lang.texts().log_in}</a></p>
                    }.into_any()),
                    _ => None,
                }}
                <Board page=page.clone()/>
                <Awards page=page.clone()/>
                <Fairness contest=page.contest.clone()/>
            }
        })}
    }
}

#[component]
pub fn ContestsPage() -> impl IntoView {
    let lang = use_lang();
    let c = lang.contest_texts();
    let contests = Resource::new(|| (), |_| contests_list());
    view! {
        <h1>{c.contests}</h1>
        {loaded(contests, move |contests| {
            if contests.is_empty() {
                view! { <p>{c.no_contests}</p> }.into_any()
            } else {
                view! {
                    <ul class="cards" data-test="contests">
                        {contests.into_iter().map(|contest| view! {
                            <li><a href=format!("/contests/{}", contest.id)>{pick(lang, &contest.title_fa, &contest.title_en)}</a>
                                " — "{phase_text(lang, &contest.phase)}" · "{metric_text(lang, &contest.metric)}
                                " · "{c.ends}" "{moment_text(lang, contest.ends_at_ms)}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        })}
    }
}
