//! The result of verifying a bundle: every check by name, passed / failed / warning /
//! skipped, with a short English and Persian text saying what a failure means.
//! A check is skipped when a check it relies on failed: the failure names the root cause.

use serde::Serialize;

use super::bundle::BundleKind;

/// Outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Passed,
    Failed,
    /// Holds, with a limit the reader must know (no beacon, or a log key that is not pinned).
    Warning,
    /// Not checked because a check it relies on failed or was skipped.
    Skipped,
}

/// One named check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// `checkpoint`, `inclusion:<KIND>`, `records`, `commitment`, `beacon`, `wheel`,
    /// `entries`, `seed`, `outcome`, or for a contest `rules`, `standings`, `ranks` and `winners`.
    pub name: String,
    pub status: Status,
    /// What was found (English, technical).
    pub detail: String,
    /// What a failure (or, for a warning, the limit) means, in English and Persian.
    pub meaning_en: &'static str,
    pub meaning_fa: &'static str,
}

/// Every check of one bundle, in the order they ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub kind: BundleKind,
    pub checks: Vec<Check>,
}

impl Report {
    /// True when nothing failed or was skipped (warnings are allowed).
    pub fn ok(&self) -> bool {
        self.checks
            .iter()
            .all(|c| matches!(c.status, Status::Passed | Status::Warning))
    }

    /// Status of the first check with this name.
    pub fn status(&self, name: &str) -> Option<Status> {
        self.checks
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.status)
    }

    /// Names of the failed checks.
    pub fn failed(&self) -> Vec<&str> {
        self.checks
            .iter()
            .filter(|c| c.status == Status::Failed)
            .map(|c| c.name.as_str())
            .collect()
    }
}

/// What a check found: the status it gives and a detail.
pub(crate) enum Res {
    Pass(String),
    Fail(String),
    Warn(String),
}

/// Collects checks and resolves "relies on" skips.
pub(crate) struct Builder(Report);

impl Builder {
    pub(crate) fn new(kind: BundleKind) -> Self {
        Self(Report {
            kind,
            checks: Vec::new(),
        })
    }

    /// Records a check whose result is already known.
    pub(crate) fn push(&mut self, name: &str, res: Res) {
        let (status, detail) = match res {
            Res::Pass(d) => (Status::Passed, d),
            Res::Fail(d) => (Status::Failed, d),
            Res::Warn(d) => (Status::Warning, d),
        };
        let (meaning_en, meaning_fa) = meaning(name, status);
        self.0.checks.push(Check {
            name: name.to_owned(),
            status,
            detail,
            meaning_en,
            meaning_fa,
        });
    }

    /// Runs `f` unless a check in `needs` failed or was skipped; then it is skipped.
    pub(crate) fn run(&mut self, name: &str, needs: &[&str], f: impl FnOnce() -> Res) {
        let broken = needs
            .iter()
            .find(|n| matches!(self.0.status(n), Some(Status::Failed | Status::Skipped)));
        match broken {
            Some(dep) => {
                let (meaning_en, meaning_fa) = meaning(name, Status::Skipped);
                self.0.checks.push(Check {
                    name: name.to_owned(),
                    status: Status::Skipped,
                    detail: format!("not checked: it relies on '{dep}', which did not pass"),
                    meaning_en,
                    meaning_fa,
                });
            }
            None => self.push(name, f()),
        }
    }

    pub(crate) fn finish(self) -> Report {
        self.0
    }
}

/// English and Persian meaning of a check's failure (or of its warning).
fn meaning(name: &str, status: Status) -> (&'static str, &'static str) {
    let base = name.split(':').next().unwrap_or(name);
    match (base, status) {
        ("checkpoint", Status::Warning) => (
            "The signature is valid, but the log key came from the bundle itself: compare it with the key published on the audit page.",
            "امضا معتبر است، اما کلید لاگ از خود بسته آمده است: آن را با کلید منتشرشده در صفحهٔ حسابرسی مقایسه کنید.",
        ),
        ("checkpoint", _) => (
            "The log checkpoint is not signed by the published log key: the log state shown may be forged.",
            "نقطهٔ بررسی لاگ با کلید منتشرشدهٔ لاگ امضا نشده است: ممکن است وضعیت نمایش‌داده‌شدهٔ لاگ جعلی باشد.",
        ),
        ("inclusion", _) => (
            "This record is not in the signed log at the stated position: it may have been changed or added afterwards.",
            "این رکورد در جایگاه اعلام‌شده در لاگ امضاشده نیست: ممکن است بعداً تغییر داده یا افزوده شده باشد.",
        ),
        ("records", _) => (
            "The bundle does not hold the expected records in the expected order: a milestone is missing, duplicated, about something else, or was logged out of order (for example a commitment after its use).",
            "بسته رکوردهای لازم را به ترتیب درست ندارد: یک مرحله جا افتاده، تکراری است، به موضوع دیگری مربوط است یا به ترتیب نادرست ثبت شده است (مثلاً تعهد پس از استفاده).",
        ),
        ("commitment", _) => (
            "The revealed server seed is not the one committed before use: the operator could have chosen it after seeing the entries or the spin.",
            "بذر سرورِ افشاشده همان بذری نیست که پیش از استفاده به آن متعهد شده بود: گرداننده می‌توانسته آن را پس از دیدن ورودی‌ها یا چرخش انتخاب کند.",
        ),
        ("beacon", Status::Warning) => (
            "No beacon was used: P3 and P4 do not hold. There is no external randomness, and the operator could know the result in advance.",
            "از بیکن استفاده نشده است: ویژگی‌های P3 و P4 برقرار نیستند. تصادفی‌بودن بیرونی در کار نیست و گرداننده می‌توانسته نتیجه را از پیش بداند.",
        ),
        ("beacon", _) => (
            "The drand beacon round or signature does not verify against the pinned drand quicknet key, or differs from the logged one: the external randomness is not proven.",
            "دور یا امضای بیکن drand با کلید ثابت drand quicknet تأیید نمی‌شود یا با مقدار ثبت‌شده در لاگ فرق دارد: تصادفی‌بودن بیرونی اثبات نشده است.",
        ),
        ("wheel", _) => (
            "The logged wheel configuration does not match the wheel used for the spin: the odds may differ from the ones shown.",
            "پیکربندی ثبت‌شدهٔ گردونه با گردونهٔ به‌کاررفته در چرخش مطابقت ندارد: ممکن است احتمال‌ها با آنچه نمایش داده شده فرق داشته باشد.",
        ),
        ("entries", _) => (
            "The published entries do not match the frozen entries root, count or total weight: entries were added, removed or changed after the close.",
            "ورودی‌های منتشرشده با ریشهٔ مرکل، تعداد یا مجموع وزنِ ثبت‌شده هنگام بسته‌شدن مطابقت ندارند: پس از بسته‌شدن، ورودی‌ای افزوده، حذف یا تغییر داده شده است.",
        ),
        ("seed", _) => (
            "The seed cannot be recomputed from the committed inputs: the result was not derived by the published rule.",
            "بذر نهایی از ورودی‌های متعهدشده بازتولید نمی‌شود: نتیجه با قاعدهٔ منتشرشده به دست نیامده است.",
        ),
        ("outcome", _) => (
            "The announced result (winners or wheel segment) is not the one the seed selects: the result was changed.",
            "نتیجهٔ اعلام‌شده (برندگان یا بخش گردونه) همان نتیجه‌ای نیست که بذر انتخاب می‌کند: نتیجه تغییر داده شده است.",
        ),
        ("rules", _) => (
            "The contest's rules are not the ones logged before it started: the metric, period, tie rule or prizes may have been changed.",
            "قوانین مسابقه همان قوانینی نیست که پیش از شروع ثبت شده بود: ممکن است معیار، بازه، قاعدهٔ تساوی یا جایزه‌ها تغییر کرده باشد.",
        ),
        ("standings", _) => (
            "The published standings do not match the root logged when the contest was frozen: a score or rank was changed afterwards.",
            "جدول منتشرشده با ریشهٔ ثبت‌شده هنگام بستن مسابقه مطابقت ندارد: امتیاز یا رتبه‌ای پس از آن تغییر کرده است.",
        ),
        ("ranks", _) => (
            "The ranks do not follow from the scores by the stated tie rule: someone was placed above or below where the rules put them.",
            "رتبه‌ها با قاعدهٔ تساوی اعلام‌شده از امتیازها به دست نمی‌آیند: کسی بالاتر یا پایین‌تر از جایی که قوانین می‌گویند قرار گرفته است.",
        ),
        ("winners", _) => (
            "The prizes logged as won are not the ones the rules give those ranks: a prize went to the wrong member or was left out.",
            "جایزه‌های ثبت‌شده همان جایزه‌هایی نیست که قوانین به آن رتبه‌ها می‌دهد: جایزه‌ای به عضو نادرست رسیده یا جا افتاده است.",
        ),
        _ => ("Unknown check.", "بررسی ناشناخته."),
    }
}
