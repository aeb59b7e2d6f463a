//! Persian and English texts. Every text the UI shows is a field of [`Texts`], so a missing
//! translation is a compile error, not a blank on the page.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Fa,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Self::Fa => "fa",
            Self::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "fa" => Some(Self::Fa),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Self::Fa => "rtl",
            Self::En => "ltr",
        }
    }

    pub fn other(self) -> Self {
        match self {
            Self::Fa => Self::En,
            Self::En => Self::Fa,
        }
    }

    /// The language a visitor gets: the remembered choice, else English only when the browser
    /// prefers it over Persian, else Persian.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Self {
        if let Some(lang) = cookie.and_then(Self::parse) {
            return lang;
        }
        let Some(header) = accept_language else { return Self::Fa };
        let mut best: Option<(Self, f32)> = None;
        for item in header.split(',') {
            let mut parts = item.trim().split(';');
            let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
                .unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("fa") => Self::Fa,
                Some("en") => Self::En,
                _ => continue,
            };
            if best.is_none_or(|(_, q)| quality > q) {
                best = Some((lang, quality));
            }
        }
        best.map_or(Self::Fa, |(lang, _)| lang)
    }

    /// Digits in this language's script.
    pub fn digits(self, text: &str) -> String {
        match self {
            Self::Fa => engine::text::persian_digits(text),
            Self::En => text.to_owned(),
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Self::Fa => &FA,
            Self::En => &EN,
        }
    }
}

pub struct Texts {
    pub club_name: &'static str,
    pub tagline: &'static str,
    pub switch_language: &'static str,
    pub home: &'static str,
    pub sign_up: &'static str,
    pub log_in: &'static str,
    pub log_out: &'static str,
    pub my_card: &'static str,
    pub profile: &'static str,
    pub admin: &'static str,
    pub till: &'static str,
    pub member_since: &'static str,
    pub birthday: &'static str,
    pub city: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub not_found: &'static str,
    pub loading: &'static str,
    pub back: &'static str,
    pub role_member: &'static str,
    pub role_cashier: &'static str,
    pub role_partner: &'static str,
    pub role_auditor: &'static str,
    pub role_admin: &'static str,
    pub audit: &'static str,
    pub wallet: &'static str,
    pub points: &'static str,
    pub pending_points: &'static str,
    pub credit: &'static str,
    pub owed: &'static str,
    pub rials: &'static str,
    pub expiring_soon: &'static str,
    pub branch: &'static str,
    pub cashback: &'static str,
    pub amount: &'static str,
}

pub static FA: Texts = Texts {
    club_name: "باشگاه",
    tagline: "باشگاه مشتریان",
    switch_language: "English",
    home: "خانه",
    sign_up: "عضویت",
    log_in: "ورود",
    log_out: "خروج",
    my_card: "کارت من",
    profile: "نمایه",
    admin: "مدیریت",
    till: "صندوق",
    member_since: "عضو از",
    birthday: "تاریخ تولد",
    city: "شهر",
    save: "ذخیره",
    saved: "ذخیره شد.",
    not_found: "پیدا نشد.",
    loading: "در حال بارگذاری…",
    back: "بازگشت",
    role_member: "عضو",
    role_cashier: "صندوقدار",
    role_partner: "برند همکار",
    role_auditor: "ممیز",
    role_admin: "مدیر",
    audit: "بازرسی قرعه‌ها",
    wallet: "کیف امتیاز",
    points: "امتیاز",
    pending_points: "امتیاز در انتظار",
    credit: "اعتبار",
    owed: "بدهی",
    rials: "ریال",
    expiring_soon: "امتیازهایی که تا ۳۰ روز آینده منقضی می‌شوند",
    branch: "شعبه",
    cashback: "بازگشت نقدی",
    amount: "مبلغ",
};

pub static EN: Texts = Texts {
    club_name: "Bashgah",
    tagline: "Customer club",
    switch_language: "فارسی",
    home: "Home",
    sign_up: "Join",
    log_in: "Log in",
    log_out: "Log out",
    my_card: "My card",
    profile: "Profile",
    admin: "Admin",
    till: "Till",
    member_since: "Member since",
    birthday: "Birthday",
    city: "City",
    save: "Save",
    saved: "Saved.",
    not_found: "Not found.",
    loading: "Loading…",
    back: "Back",
    role_member: "Member",
    role_cashier: "Cashier",
    role_partner: "Partner",
    role_auditor: "Auditor",
    role_admin: "Admin",
    audit: "Audit",
    wallet: "Wallet",
    points: "Points",
    pending_points: "Pending points",
    credit: "Credit",
    owed: "Owed",
    rials: "rials",
    expiring_soon: "Points expiring in the next 30 days",
    branch: "Branch",
    cashback: "Cashback",
    amount: "Amount",
};

impl Texts {
    pub fn role(&self, role: engine::access::Role) -> &'static str {
        use engine::access::Role;
        match role {
            Role::Member => self.role_member,
            Role::Cashier => self.role_cashier,
            Role::Partner => self.role_partner,
            Role::Auditor => self.role_auditor,
            Role::Admin => self.role_admin,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_unless_the_browser_prefers_english_or_the_visitor_chose() {
        assert_eq!(Lang::negotiate(None, None), Lang::Fa);
        assert_eq!(Lang::negotiate(None, Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some("fa-IR,fa;q=0.9,en;q=0.8")), Lang::Fa);
        assert_eq!(Lang::negotiate(None, Some("de-DE,en;q=0.5,fa;q=0.7")), Lang::Fa);
        assert_eq!(Lang::negotiate(None, Some("de-DE")), Lang::Fa);
        assert_eq!(Lang::negotiate(Some("en"), Some("fa")), Lang::En);
        assert_eq!(Lang::negotiate(Some("xx"), Some("en")), Lang::En);
    }
}
