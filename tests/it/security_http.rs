//! The holes an attacker would try first: sign-up as a login, unlimited sign-ups, a forged
//! client address, redirects off the site.

use engine::access::{Role, RoleSet};

use crate::support::{Backend, TestApp, location, now, on_both_backends};

on_both_backends! {
    async fn sign_up_with_a_taken_identifier_and_its_password_starts_no_session(app) {
        app.account("admin@example.com", "password-123", RoleSet::of(&[Role::Admin])).await;
        let attacker = app.client();
        let answer = attacker.post_form("/signup", &[("identifier", "admin@example.com"), ("password", "password-123")]).await;
        assert_eq!(location(&answer), "/signup?error=already_registered&identifier=admin%40example.com");
        assert!(answer.headers().get("set-cookie").is_none(), "no session cookie");
        assert_eq!(location(&attacker.get("/admin").await), "/login?next=%2Fadmin");
    }
}

on_both_backends! {
    async fn thirty_rapid_sign_ups_from_one_address_are_throttled(app) {
        let client = app.client();
        let mut answers = Vec::new();
        for n in 0..30 {
            let email = format!("visitor{n}@example.com");
            answers.push(client.post_form("/signup", &[("identifier", email.as_str()), ("password", "password-123")]).await);
        }
        let limited: Vec<_> = answers.iter().filter(|a| location(a).starts_with("/signup?error=too_many_attempts")).collect();
        assert_eq!(limited.len(), 20, "ten a minute per address");
        assert!(limited.iter().all(|a| a.headers().get("retry-after").is_some()));
        assert_eq!(app.state.db.accounts.count_accounts().await.expect("count"), 10);
    }
}

/// Logs in with a wrong password from `forwarded` until the address limit answers.
async fn attempts_until_limited(app: &TestApp, forwarded: &str) -> usize {
    for n in 1..=40 {
        let email = format!("nobody{n}@example.com");
        let answer = app
            .client()
            .http
            .post(app.url("/login"))
            .header("x-forwarded-for", forwarded)
            .form(&[("identifier", email.as_str()), ("password", "wrong-password")])
            .send()
            .await
            .expect("login");
        if location(&answer).starts_with("/login?error=too_many_attempts") {
            return n;
        }
    }
    panic!("never limited");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_forwarded_for_does_not_escape_the_address_limit() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    assert_eq!(attempts_until_limited(&app, "198.51.100.1").await, 31);
    assert_eq!(attempts_until_limited(&app, "198.51.100.2").await, 1, "the header is not believed: one client");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit() {
    let app = TestApp::spawn_with(Backend::Sqlite, &[("BASHGAH_TRUSTED_PROXIES", "127.0.0.1".to_owned())]).await;
    assert_eq!(attempts_until_limited(&app, "198.51.100.1").await, 31);
    assert_eq!(attempts_until_limited(&app, "198.51.100.2").await, 31, "another client behind the proxy");
}

on_both_backends! {
    async fn redirects_after_login_never_leave_the_site(app) {
        app.account("09121234567", "password-123", RoleSet::of(&[Role::Member])).await;
        for next in ["/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example", "https://evil.example"] {
            let client = app.client();
            let answer = client
                .post_form("/login", &[("identifier", "09121234567"), ("password", "password-123"), ("next", next)])
                .await;
            assert_eq!(location(&answer), "/card", "next={next:?}");
            let lang = client.post_form("/lang", &[("lang", "en"), ("back", next)]).await;
            assert_eq!(location(&lang), "/", "back={next:?}");
        }
    }
}

/// The session id a response's `Set-Cookie` gives the browser.
fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("bashgah_session="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned()
}


fn digest(id: &str) -> String {
    engine::fair::hexstr::encode(&engine::fair::hash::sha256(id.as_bytes()))
}

on_both_backends! {
    async fn sessions_are_stored_under_a_digest_and_new_keys_never_in_plain_text(app) {
        app.account("admin@example.com", "password-123", RoleSet::of(&[Role::Admin])).await;
        let admin = app.client();
        let login = admin.post_form("/login", &[("identifier", "admin@example.com"), ("password", "password-123")]).await;
        let id = session_cookie(&login);
        let sessions = &app.state.db.sessions;
        let now = now();
        assert_eq!(sessions.load_session(&id, now).await.expect("load"), None, "the plain id opens nothing");
        let stored = sessions.load_session(&digest(&id), now).await.expect("load").expect("stored by digest");
        assert!(stored.ends_at.unix_millis() <= now.unix_millis() + 30 * 24 * 3600 * 1000, "ends within 30 days");

        let created = admin.post_form("/admin/branches", &[("name", "شعبه مرکزی")]).await;
        assert_eq!(location(&created), "/admin/branches?notice=key_created");
        let data = sessions.load_session(&digest(&id), now).await.expect("load").expect("session").data;
        let page = admin.text("/admin/branches?notice=key_created").await;
        let start = page.find("data-test=\"new-key-secret\">").expect("the key is shown") + "data-test=\"new-key-secret\">".len();
        let secret = &page[start..start + page[start..].find('<').expect("end")];
        assert!(secret.starts_with("bk_"), "{secret}");
        assert!(!data.contains(&secret[3..]), "the session holds only the sealed key: {data}");
        assert!(!admin.text("/admin/branches").await.contains(secret), "shown once");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invite_links_use_the_configured_address_not_the_host_header() {
    let app = TestApp::spawn_with(Backend::Sqlite, &[("BASHGAH_PUBLIC_URL", "https://club.example".to_owned())]).await;
    let member = app.signed_in("09121234567", RoleSet::of(&[Role::Member])).await;
    let page = member.http.get(app.url("/wallet")).header("host", "evil.example").send().await.expect("wallet");
    let page = page.text().await.expect("body");
    assert!(page.contains("https://club.example/signup?ref="), "{page}");
    assert!(!page.contains("evil.example"));
}

/// Sends only the head of a request that announces `length` bytes, and reads the answer.
async fn answer_to_head(app: &TestApp, path: &str, length: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\n",
        app.addr
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    let mut answer = vec![0; 64];
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut answer)).await.expect("answered");
    String::from_utf8_lossy(&answer[..read.expect("read")]).into_owned()
}

on_both_backends! {
    async fn a_megabyte_body_is_refused_with_413_before_anything_reads_it(app) {
        // Refused on the announced length alone: the megabyte is never sent, let alone read.
        for path in ["/api/search_members", "/signup", "/api/v1/purchases"] {
            let answer = answer_to_head(&app, path, 1024 * 1024).await;
            assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
        }
        // Just over the limit, sent whole.
        let over = "x".repeat(64 * 1024 + 1);
        let answer = app.client().http.post(app.url("/signup")).header("content-type", "application/x-www-form-urlencoded").body(over).send().await.expect("post");
        assert_eq!(answer.status(), 413);
        assert_eq!(app.state.db.accounts.count_accounts().await.expect("count"), 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_never_finishes_is_answered_408_in_time() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn_with(Backend::Sqlite, &[("BASHGAH_REQUEST_TIMEOUT_SECS", "1".to_owned())]).await;
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.expect("connect");
    let head = format!(
        "POST /api/viewer HTTP/1.1\r\nHost: {}\r\nOrigin: http://{}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nabc",
        app.addr, app.addr
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    let started = std::time::Instant::now();
    let mut answer = vec![0; 64];
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut answer)).await.expect("answered in time");
    let answer = String::from_utf8_lossy(&answer[..read.expect("read")]).into_owned();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
}

/// `GET /metrics` with this Authorization header and X-Forwarded-For, if any.
async fn scrape(app: &TestApp, bearer: Option<&str>, forwarded: Option<&str>) -> reqwest::Response {
    let mut request = app.client().http.get(app.client().url("/metrics"));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    if let Some(hop) = forwarded {
        request = request.header("x-forwarded-for", hop);
    }
    request.send().await.expect("scrape")
}

#[tokio::test]
async fn metrics_need_the_token_once_one_is_configured() {
    let token = "s3cret-scraper-token-of-some-length";
    let app = TestApp::spawn_with(Backend::Sqlite, &[("BASHGAH_METRICS_TOKEN", token.to_owned())]).await;
    app.client().get("/healthz").await;
    assert_eq!(scrape(&app, None, None).await.status(), 403, "the loopback is not enough with a token set");
    assert_eq!(scrape(&app, Some("s3cret-scraper-token-of-some-lengtX"), None).await.status(), 403);
    let answer = scrape(&app, Some(token), None).await;
    assert_eq!(answer.status(), 200);
    let text = answer.text().await.expect("text");
    assert!(text.contains("bashgah_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"}"), "{text}");
    assert!(text.contains("bashgah_http_request_duration_seconds_bucket{route=\"/healthz\""), "latency per route");
}

#[tokio::test]
async fn without_a_token_only_an_unforwarded_loopback_client_reads_metrics_and_paths_are_not_labels() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.client().get("/made-up-path-4242").await;
    assert_eq!(scrape(&app, None, Some("203.0.113.9")).await.status(), 403, "a proxy forwarded it: it came from outside");
    let answer = scrape(&app, None, None).await;
    assert_eq!(answer.status(), 200);
    let text = answer.text().await.expect("text");
    assert!(text.contains("route=\"unmatched\""), "{text}");
    assert!(!text.contains("made-up-path-4242"), "a client's path never becomes a label");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_sharing_a_redis_share_the_login_limit_of_an_account() {
    let redis = std::env::var("BASHGAH_TEST_REDIS").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
    let prefix = format!("bashgah-throttle-{}-{}", std::process::id(), now().unix_millis());
    let settings = [("REDIS_URL", redis), ("BASHGAH_REDIS_PREFIX", prefix)];
    let instances = [TestApp::spawn_with(Backend::Sqlite, &settings).await, TestApp::spawn_with(Backend::Sqlite, &settings).await];
    let wrong = |n: usize| {
        let app = &instances[n % 2];
        async move { app.client().post_form("/login", &[("identifier", "09121234567"), ("password", "wrong-password")]).await }
    };
    for n in 0..5 {
        assert!(!location(&wrong(n).await).contains("too_many_attempts"), "attempt {n} of five, spread over both");
    }
    assert!(location(&wrong(5).await).starts_with("/login?error=too_many_attempts"), "the sixth, on either instance, waits");
    assert!(location(&wrong(6).await).starts_with("/login?error=too_many_attempts"));
}
