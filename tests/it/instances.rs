//! The write path as operations sees it: two app processes on one PostgreSQL (and one Redis)
//! taking competing purchases and credit payments for the same members, and a server killed
//! with SIGKILL twenty times under load. In both, every answered request is in the ledger
//! exactly once, no credit is spent twice, a retry gets the first answer, and the ledger audits
//! sound.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use app::features::pos::server::keys;
use app::platform::server::{self, AppState};
use futures::StreamExt;
use serde_json::{Value, json};

use crate::process::{Instance, Setup};
use crate::support::{Backend, fresh_database_url, test_config_with};

const MEMBERS: usize = 20;

/// A till that sends one branch key to whichever instance it is given.
#[derive(Clone)]
struct Till {
    http: reqwest::Client,
    key: String,
}

impl Till {
    fn new(key: &str) -> Self {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("client");
        Self { http, key: key.to_owned() }
    }

    async fn post(&self, base: &str, path: &str, body: &Value) -> Result<(u16, Value), reqwest::Error> {
        let response = self.http.post(format!("{base}{path}")).bearer_auth(&self.key).json(body).send().await?;
        let status = response.status().as_u16();
        Ok((status, response.json().await?))
    }

    async fn enrol(&self, base: &str, n: usize) -> String {
        let (status, body) = self.post(base, "/api/v1/members", &json!({ "phone": format!("0912{n:07}") })).await.expect("enrol");
        assert_eq!(status, 201, "{body}");
        body["card_number"].as_str().expect("card").to_owned()
    }

    async fn credit(&self, base: &str, card: &str) -> String {
        let url = format!("{base}/api/v1/members/lookup");
        let body: Value = self.http.get(url).bearer_auth(&self.key).query(&[("member", card)]).send().await.expect("lookup").json().await.expect("JSON");
        body["credit"].as_str().expect("credit").to_owned()
    }
}

/// A database with one branch, the key to it, and the settings for children that serve it.
async fn club(backend: Backend, extra: Vec<(&'static str, String)>) -> (AppState, String, Setup) {
    let database_url = fresh_database_url(backend).await;
    let config = test_config_with(&database_url, &[]);
    let data_dir = config.data_dir.clone();
    let db = server::open_database(&config).await.expect("database opens");
    let state = server::app_state(config, db).expect("state");
    let (_, key) = keys::create_branch(&state, "شعبه مرکزی").await.expect("branch");
    (state, key.secret, Setup { database_url, data_dir, extra })
}

async fn assert_sound(state: &AppState) {
    let audit = state.db.ledger.audit().await.expect("audit runs");
    assert!(audit.is_sound(), "{:?}", audit.violations);
}

fn rials(text: &str) -> i64 {
    let (whole, cents) = text.split_once('.').unwrap_or((text, "0"));
    whole.parse::<i64>().expect("rials") * 100 + cents.parse::<i64>().expect("cents")
}

/// One request of the mix: a purchase (+1,000.00 credit) or a payment of 1,500.00.
fn request(n: usize, cards: &[String]) -> (&'static str, Value) {
    let card = &cards[n % MEMBERS];
    if n % 2 == 0 {
        ("/api/v1/purchases", json!({ "external_id": format!("sale-{n}"), "member": card, "amount": "100000" }))
    } else {
        ("/api/v1/credit/redemptions", json!({ "external_id": format!("pay-{n}"), "card_number": card, "amount": "1500" }))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_never_spend_twice_and_every_retry_is_the_first_answer() {
    let redis = std::env::var("BASHGAH_TEST_REDIS").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
    let prefix = format!("bashgah-test-{}", std::process::id());
    let (state, key, setup) = club(Backend::Postgres, vec![("REDIS_URL", redis), ("BASHGAH_REDIS_PREFIX", prefix)]).await;
    let instances = [Instance::start(&setup).await, Instance::start(&setup).await];
    let bases: Vec<String> = instances.iter().map(|i| i.base.clone()).collect();
    let till = Till::new(&key);
    let mut cards = Vec::new();
    for n in 0..MEMBERS {
        let card = till.enrol(&bases[n % 2], n).await;
        let (status, _) = till.post(&bases[0], "/api/v1/purchases", &json!({ "external_id": format!("seed-{n}"), "member": card, "amount": "1000000" })).await.expect("seed");
        assert_eq!(status, 201);
        cards.push(card);
    }

    // 10,000 requests, half to each instance; every fifth is sent to both at the same moment.
    let sends = (0..10_000).map(|n| {
        let (till, bases, (path, body)) = (till.clone(), bases.clone(), request(n, &cards));
        async move {
            let first = till.post(&bases[(n / 2) % 2], path, &body);
            if n % 5 == 0 {
                let (a, b) = tokio::join!(first, till.post(&bases[(n / 2 + 1) % 2], path, &body));
                let (a, b) = (a.expect("answered"), b.expect("answered"));
                (n, path, body, a, Some(b))
            } else {
                let answer = first.await.expect("answered");
                (n, path, body, answer, None)
            }
        }
    });
    let answers: Vec<_> = futures::stream::iter(sends).buffer_unordered(64).collect().await;

    let mut earned = vec![0_i64; MEMBERS];
    let mut paid = vec![0_i64; MEMBERS];
    let mut created = Vec::new();
    for (n, path, body, first, twin) in &answers {
        // A request and its twin: at most one applied it (201); a 200 is that answer replayed,
        // byte for byte; a refused payment (409) changed nothing.
        let both: Vec<&(u16, Value)> = std::iter::once(first).chain(twin.iter()).collect();
        let applied: Vec<&Value> = both.iter().filter(|(status, _)| *status == 201).map(|(_, v)| v).collect();
        assert!(applied.len() <= 1, "#{n} applied on both instances: {both:?}");
        for (status, answer) in &both {
            match *status {
                201 => {}
                200 => assert_eq!(Some(&answer), applied.first(), "#{n}: a replay is the first answer byte for byte"),
                409 if path.ends_with("redemptions") && answer["code"] == "insufficient_credit" => {}
                _ => panic!("{path} #{n}: {status} {answer}"),
            }
        }
        if let Some(receipt) = applied.first() {
            created.push((*path, body.clone(), (*receipt).clone()));
            if path.ends_with("purchases") {
                earned[n % MEMBERS] += rials(receipt["credit_earned"].as_str().expect("credit earned"));
            } else {
                paid[n % MEMBERS] += rials(receipt["amount"].as_str().expect("amount"));
            }
        }
    }
    assert!(paid.iter().sum::<i64>() > 0 && answers.iter().any(|a| a.3.0 == 409), "payments both succeed and run out");

    // Every applied request, sent again to either instance, answers what it answered first.
    for (k, (path, body, receipt)) in created.iter().enumerate().step_by(10) {
        let (status, again) = till.post(&bases[k % 2], path, body).await.expect("retry");
        assert_eq!((status, &again), (200, receipt), "a retry is the first answer");
    }
    for (m, card) in cards.iter().enumerate() {
        let credit = rials(&till.credit(&bases[m % 2], card).await);
        assert_eq!(credit, 1_000_000 + earned[m] - paid[m], "member {m}: credit is the seed, plus cashback, minus payments");
        assert!(credit >= 0);
    }
    assert_sound(&state).await;
}

/// Sends purchases to `base` from `senders` tasks until the server stops answering; what was
/// answered goes to `answered`, what was cut off to `cut`.
async fn load_until_killed(till: &Till, base: &str, cards: &[String], next: &AtomicUsize, answered: &Mutex<HashMap<usize, Value>>, cut: &Mutex<Vec<usize>>) {
    let sender = || async {
        loop {
            let n = next.fetch_add(1, Ordering::SeqCst);
            let (path, body) = purchase(n, cards);
            match till.post(base, path, &body).await {
                Ok((201, receipt)) => {
                    answered.lock().expect("lock").insert(n, receipt);
                }
                Ok(other) => panic!("purchase {n}: {other:?}"),
                Err(_) => {
                    cut.lock().expect("lock").push(n);
                    return;
                }
            }
        }
    };
    futures::future::join_all((0..16).map(|_| sender())).await;
}

fn purchase(n: usize, cards: &[String]) -> (&'static str, Value) {
    ("/api/v1/purchases", json!({ "external_id": format!("sale-{n}"), "member": cards[n % MEMBERS], "amount": "100000" }))
}

async fn killed_twenty_times_under_load(backend: Backend) {
    let (state, key, setup) = club(backend, Vec::new()).await;
    let till = Till::new(&key);
    let mut instance = Instance::start(&setup).await;
    let mut cards = Vec::new();
    for n in 0..MEMBERS {
        cards.push(till.enrol(&instance.base, n).await);
    }
    let next = AtomicUsize::new(0);
    let answered = Mutex::new(HashMap::new());
    let cut = Mutex::new(Vec::new());
    for round in 0..20_u64 {
        let base = instance.base.clone();
        let load = load_until_killed(&till, &base, &cards, &next, &answered, &cut);
        let kill = async {
            tokio::time::sleep(Duration::from_millis(150 + 25 * (round % 8))).await;
            instance.kill().await;
        };
        tokio::join!(load, kill);
        instance = Instance::start(&setup).await;
    }
    let sent = next.load(Ordering::SeqCst);
    let cut = cut.into_inner().expect("lock");
    let mut answered = answered.into_inner().expect("lock");
    assert!(answered.len() > 100 && !cut.is_empty(), "the load ran and the kills cut requests off: {} answered, {} cut", answered.len(), cut.len());
    // The cut-off requests again, with their keys: each is applied now, or was before the kill.
    for n in &cut {
        let (path, body) = purchase(*n, &cards);
        let (status, receipt) = till.post(&instance.base, path, &body).await.expect("replayed");
        assert!(status == 201 || status == 200, "purchase {n}: {status} {receipt}");
        answered.insert(*n, receipt);
    }
    assert_eq!(answered.len(), sent, "every request sent has one answer");
    // Answered before a kill: still the first answer.
    for (n, receipt) in answered.iter().step_by(17) {
        let (path, body) = purchase(*n, &cards);
        let (status, again) = till.post(&instance.base, path, &body).await.expect("retry");
        assert_eq!((status, &again), (200, receipt), "purchase {n}");
    }
    // Each answer in the ledger exactly once: the members hold exactly what the answers earned.
    let mut credit = vec![0_i64; MEMBERS];
    for (n, receipt) in &answered {
        credit[n % MEMBERS] += rials(receipt["credit_earned"].as_str().expect("credit earned"));
    }
    for (m, card) in cards.iter().enumerate() {
        assert_eq!(rials(&till.credit(&instance.base, card).await), credit[m], "member {m}");
    }
    let purchases: Vec<i64> = answered.values().map(|r| r["purchase_id"].as_i64().expect("id")).collect();
    let mut distinct = purchases.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), purchases.len(), "no two requests share a purchase");
    instance.kill().await;
    assert_sound(&state).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_server_killed_twenty_times_under_load_loses_and_doubles_nothing() {
    killed_twenty_times_under_load(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_server_killed_twenty_times_under_load_loses_and_doubles_nothing() {
    killed_twenty_times_under_load(Backend::Postgres).await;
}
