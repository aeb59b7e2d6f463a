//! Persian and English texts of the wallet: balances, history, tier and invitations.

use crate::platform::i18n::Lang;

pub struct WalletTexts {
    pub expires_on: &'static str,
    pub history: &'static str,
    pub all: &'static str,
    pub filter: &'static str,
    pub nothing_yet: &'static str,
    pub kind_earned: &'static str,
    pub kind_unlocked: &'static str,
    pub kind_spent: &'static str,
    pub kind_expired: &'static str,
    pub kind_returned: &'static str,
    pub kind_settled: &'static str,
    pub kind_gift: &'static str,
    pub kind_adjusted: &'static str,
    pub your_tier: &'static str,
    pub to_next_tier: &'static str,
    pub top_tier: &'static str,
    pub invite_friends: &'static str,
    pub invite_hint: &'static str,
    pub measure_points_earned: &'static str,
    pub measure_amount_spent: &'static str,
    pub measure_visits: &'static str,
    pub more: &'static str,
}

pub static FA: WalletTexts = WalletTexts {
    expires_on: "انقضا",
    history: "تاریخچه",
    all: "همه",
    filter: "فیلتر",
    nothing_yet: "هنوز چیزی نیست.",
    kind_earned: "کسب",
    kind_unlocked: "آزاد شد",
    kind_spent: "خرج",
    kind_expired: "منقضی",
    kind_returned: "مرجوعی",
    kind_settled: "تسویه بدهی",
    kind_gift: "هدیه",
    kind_adjusted: "اصلاح",
    your_tier: "سطح شما",
    to_next_tier: "تا سطح",
    top_tier: "در بالاترین سطح هستید.",
    invite_friends: "دوستانتان را دعوت کنید",
    invite_hint: "این پیوند را بفرستید: با عضویت دوستتان و با نخستین خریدش امتیاز می‌گیرید.",
    measure_points_earned: "امتیاز کسب‌شده",
    measure_amount_spent: "ریال خرید",
    measure_visits: "مراجعه",
    more: "دیگر",
};

pub static EN: WalletTexts = WalletTexts {
    expires_on: "expires",
    history: "History",
    all: "All",
    filter: "Filter",
    nothing_yet: "Nothing yet.",
    kind_earned: "Earned",
    kind_unlocked: "Unlocked",
    kind_spent: "Spent",
    kind_expired: "Expired",
    kind_returned: "Returned",
    kind_settled: "Debt settled",
    kind_gift: "Gift",
    kind_adjusted: "Adjusted",
    your_tier: "Your tier",
    to_next_tier: "to reach",
    top_tier: "You are at the top tier.",
    invite_friends: "Invite your friends",
    invite_hint: "Share this link: you earn points when a friend joins through it and again on their first purchase.",
    measure_points_earned: "points earned",
    measure_amount_spent: "rials spent",
    measure_visits: "visits",
    more: "more",
};

impl Lang {
    pub fn wallet_texts(self) -> &'static WalletTexts {
        match self {
            Self::Fa => &FA,
            Self::En => &EN,
        }
    }
}

impl WalletTexts {
    pub fn history_kind(&self, kind: crate::features::wallet::api::HistoryKind) -> &'static str {
        use crate::features::wallet::api::HistoryKind;
        match kind {
            HistoryKind::Earned => self.kind_earned,
            HistoryKind::Unlocked => self.kind_unlocked,
            HistoryKind::Spent => self.kind_spent,
            HistoryKind::Expired => self.kind_expired,
            HistoryKind::Returned => self.kind_returned,
            HistoryKind::Settled => self.kind_settled,
            HistoryKind::Gift => self.kind_gift,
            HistoryKind::Adjusted => self.kind_adjusted,
        }
    }
}
