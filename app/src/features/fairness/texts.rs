//! Persian and English texts of the audit page that verifies bundles in the browser.

use crate::platform::i18n::Lang;

pub struct AuditTexts {
    pub draws: &'static str,
    pub contests: &'static str,
    pub no_draws: &'static str,
    pub no_contests: &'static str,
    pub download: &'static str,
    pub not_ready: &'static str,
    pub witnesses: &'static str,
    pub witnesses_intro: &'static str,
    pub no_witnesses: &'static str,
    pub witness: &'static str,
    pub cosigned_size: &'static str,
    pub cosigned_at: &'static str,
    pub audit_intro: &'static str,
    pub bundle: &'static str,
    pub log_key: &'static str,
    pub verify_in_browser: &'static str,
    pub verified_ok: &'static str,
    pub verified_failed: &'static str,
    pub checked_in: &'static str,
    pub ms: &'static str,
    pub needs_js: &'static str,
    pub this_log_key: &'static str,
    pub status_passed: &'static str,
    pub status_failed: &'static str,
    pub status_warning: &'static str,
    pub status_skipped: &'static str,
}

pub static FA: AuditTexts = AuditTexts {
    draws: "قرعه‌کشی‌ها",
    contests: "مسابقه‌ها",
    no_draws: "هنوز قرعه‌کشی‌ای نیست.",
    no_contests: "هنوز مسابقه‌ای نیست.",
    download: "بارگیری بسته",
    not_ready: "بسته پس از پایان آماده می‌شود",
    witnesses: "همگواه‌ها",
    witnesses_intro: "ممیزان مستقل هر نقطهٔ بازرسی دفتر را با نقطه‌های پیشین تطبیق می‌دهند و همگواهی می‌کنند (C2SP tlog-cosignature)؛ اگر دفتر برای کسی دیگرگون نشان داده شود، امضای آن‌ها نمی‌خواند.",
    no_witnesses: "هنوز همگواهی ثبت نشده است.",
    witness: "همگواه",
    cosigned_size: "اندازهٔ دفتر",
    cosigned_at: "زمان همگواهی",
    audit_intro: "هر چرخش گردونه و هر قرعه‌کشی یک بسته بازرسی دارد. آن را این‌جا بگذارید تا مرورگر شما، بدون اعتماد به سرور ما، همه‌چیز را دوباره حساب و بررسی کند.",
    bundle: "بسته بازرسی (JSON)",
    log_key: "کلید عمومی دفتر (اختیاری)",
    verify_in_browser: "بررسی در مرورگر من",
    verified_ok: "همه بررسی‌ها درست بود.",
    verified_failed: "دست‌کم یک بررسی نادرست بود. این نتیجه قابل اعتماد نیست.",
    checked_in: "بررسی در",
    ms: "میلی‌ثانیه",
    needs_js: "این بررسی در مرورگر شما و با WebAssembly انجام می‌شود؛ جاوااسکریپت باید روشن باشد.",
    this_log_key: "کلید عمومی دفتر این باشگاه (آن را از راه دیگری هم تطبیق دهید)",
    status_passed: "درست",
    status_failed: "نادرست",
    status_warning: "هشدار",
    status_skipped: "بررسی نشد",
};

pub static EN: AuditTexts = AuditTexts {
    draws: "Draws",
    contests: "Contests",
    no_draws: "No draw yet.",
    no_contests: "No contest yet.",
    download: "Download the bundle",
    not_ready: "the bundle is ready once it is over",
    witnesses: "Witnesses",
    witnesses_intro: "Independent auditors check each checkpoint of the log against the ones before and cosign it (C2SP tlog-cosignature): a log shown differently to someone would not carry their signatures.",
    no_witnesses: "No witness has cosigned yet.",
    witness: "Witness",
    cosigned_size: "Log size",
    cosigned_at: "Cosigned at",
    audit_intro: "Every wheel spin and every draw has an audit bundle. Paste it here and your own browser recomputes and checks everything, without trusting our server.",
    bundle: "Audit bundle (JSON)",
    log_key: "Log public key (optional)",
    verify_in_browser: "Verify in my browser",
    verified_ok: "Every check passed.",
    verified_failed: "At least one check failed. This result cannot be trusted.",
    checked_in: "checked in",
    ms: "ms",
    needs_js: "This check runs in your browser with WebAssembly; JavaScript must be on.",
    this_log_key: "This club's log public key (confirm it through another channel too)",
    status_passed: "passed",
    status_failed: "FAILED",
    status_warning: "warning",
    status_skipped: "skipped",
};

impl Lang {
    pub fn audit_texts(self) -> &'static AuditTexts {
        match self {
            Self::Fa => &FA,
            Self::En => &EN,
        }
    }
}
