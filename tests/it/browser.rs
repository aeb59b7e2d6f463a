//! The product as a person uses it, in headless Chromium: a visitor joins in Persian and sees
//! the RTL card, switches to English; an admin finds them by a phone number typed with Persian
//! digits and makes them a cashier.

use std::process::Stdio;
use std::time::Duration;

use engine::access::{Role, RoleSet};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::support::{Backend, TestApp};

struct Driver {
    process: tokio::process::Child,
    url: String,
    _profile: std::path::PathBuf,
}

impl Driver {
    async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
        let process = tokio::process::Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver is installed (the test command installs chromium-driver)");
        let url = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = std::env::temp_dir().join(format!("bashgah-chromium-{port}"));
        Self { process, url, _profile: profile }
    }

    async fn browser(&self, accept_language: &str) -> Client {
        let profile = std::env::temp_dir().join(format!("bashgah-chromium-{}", rand_suffix()));
        let caps = json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=412,915", format!("--user-data-dir={}", profile.display()),
                    format!("--lang={accept_language}"),
                ],
                "prefs": { "intl.accept_languages": accept_language }
            }
        });
        let serde_json::Value::Object(caps) = caps else { unreachable!("a JSON object") };
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("a Chromium session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.start_kill();
    }
}

fn rand_suffix() -> String {
    format!("{}-{:?}", std::process::id(), std::time::SystemTime::now())
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

async fn attr(browser: &Client, script: &str) -> String {
    browser.execute(script, vec![]).await.expect("script runs").as_str().unwrap_or_default().to_owned()
}

async fn fill(browser: &Client, css: &str, text: &str) {
    let field = browser.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

async fn click(browser: &Client, css: &str) {
    browser.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.expect("click");
}

async fn wait_for(browser: &Client, css: &str) -> fantoccini::elements::Element {
    browser
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("waiting for {css}: {e}"))
}

async fn screenshot(browser: &Client, name: &str) {
    if let Ok(dir) = std::env::var("BASHGAH_TEST_SCREENSHOTS")
        && let Ok(png) = browser.screenshot().await
    {
        let _ = std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_joins_in_persian_and_an_admin_makes_them_a_cashier() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.account("admin@example.com", "admin-password", RoleSet::of(&[Role::Admin])).await;
    let driver = Driver::start().await;

    let visitor = driver.browser("fa-IR").await;
    visitor.goto(&app.url("/signup")).await.expect("open sign-up");
    wait_for(&visitor, "body[data-hydrated]").await;
    assert_eq!(attr(&visitor, "return document.documentElement.dir").await, "rtl");
    fill(&visitor, "input[name=identifier]", "۰۹۱۲۳۴۵۶۷۸۹").await;
    fill(&visitor, "input[name=password]", "گذرواژه-خوب").await;
    click(&visitor, "form[data-test='/signup'] button[type=submit]").await;
    wait_for(&visitor, "[data-test=member-card] [data-test=qr] svg").await;
    assert!(visitor.current_url().await.expect("url").path().ends_with("/card"));
    assert_eq!(attr(&visitor, "return document.documentElement.dir").await, "rtl");
    let number = attr(&visitor, "return document.querySelector('[data-test=card-number]').textContent").await;
    assert!(number.chars().filter(|c| ('۰'..='۹').contains(c)).count() == 16, "Persian digits: {number}");
    screenshot(&visitor, "card-fa").await;

    click(&visitor, "[data-test=switch-lang]").await;
    visitor
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("html[dir=ltr] [data-test=member-card]"))
        .await
        .expect("the card in English");
    assert!(attr(&visitor, "return document.body.textContent").await.contains("My card"));
    screenshot(&visitor, "card-en").await;
    visitor.close().await.expect("close");

    let admin = driver.browser("fa-IR").await;
    admin.goto(&app.url("/login")).await.expect("open login");
    fill(&admin, "input[name=identifier]", "admin@example.com").await;
    fill(&admin, "input[name=password]", "admin-password").await;
    click(&admin, "form[data-test='/login'] button[type=submit]").await;
    wait_for(&admin, "form[data-test=search]").await;
    wait_for(&admin, "body[data-hydrated]").await;
    fill(&admin, "input[name=q]", "۰۹۱۲۳۴۵").await;
    click(&admin, "form[data-test=search] button[type=submit]").await;
    wait_for(&admin, "[data-test=member-link]").await.click().await.expect("open the member");
    wait_for(&admin, "form[data-test=roles]").await;
    click(&admin, "form[data-test=roles] input[name=cashier]").await;
    click(&admin, "form[data-test=roles] button[type=submit]").await;
    wait_for(&admin, "[data-test=notice]").await;
    let history = attr(&admin, "return document.querySelector('[data-test=role-history]').textContent").await;
    assert!(history.contains("صندوقدار"), "the history shows the new cashier role: {history}");
    screenshot(&admin, "admin-roles").await;
    admin.close().await.expect("close");

    let member = app
        .state
        .db
        .accounts
        .account_by_login(&app::server::store::Login::parse("09123456789").expect("login"))
        .await
        .expect("read")
        .expect("the visitor's account");
    assert!(member.roles.contains(Role::Cashier) && member.roles.contains(Role::Member));
}

/// Puts `text` into a field the way typing would, without typing it key by key.
async fn paste(browser: &Client, css: &str, text: &str) {
    let script = "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
                  el.dispatchEvent(new Event('input', { bubbles: true }));";
    browser.execute(script, vec![json!(css), json!(text)]).await.expect("paste");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anyone_verifies_a_bundle_in_their_browser_and_sees_a_tampered_one_fail() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Driver::start().await;
    let browser = driver.browser("en-US").await;
    browser.goto(&app.url("/audit")).await.expect("open the audit page");
    wait_for(&browser, "body[data-hydrated]").await;
    let shown = attr(&browser, "return document.querySelector('[data-test=served-log-key]').textContent").await;
    assert!(engine::fair::VerifierKey::parse(&shown).is_ok(), "the club's log key is shown: {shown}");

    let (bundle, key) = crate::verify_bundle::bundle_named("spin, beacon round 123: every check passes");
    paste(&browser, "[data-test=bundle]", &bundle).await;
    paste(&browser, "[data-test=log-key]", &key.expect("the vector pins the log key")).await;
    click(&browser, "[data-test=verify]").await;
    wait_for(&browser, "[data-test=verdict-ok]").await;
    let passed = attr(&browser, "return String(document.querySelectorAll('[data-status=pass]').length)").await;
    assert_eq!(passed, "11", "every check of a spin bundle passed in the browser");
    screenshot(&browser, "audit-ok").await;

    let (tampered, _) = crate::verify_bundle::bundle_named("spin: server seed changed");
    paste(&browser, "[data-test=bundle]", &tampered).await;
    click(&browser, "[data-test=verify]").await;
    wait_for(&browser, "[data-test=verdict-failed]").await;
    let failed = attr(&browser, "return document.querySelector('[data-status=FAIL]').dataset.check").await;
    assert_eq!(failed, "commitment", "the failure names the broken check");
    assert!(attr(&browser, "return document.body.textContent").await.contains("server seed"), "and says what it means");
    screenshot(&browser, "audit-failed").await;
    browser.close().await.expect("close");
}
