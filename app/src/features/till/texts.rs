//! Persian and English texts of the till: finding members, purchases, returns, credit and claims.

use crate::platform::i18n::Lang;

pub struct TillTexts {
    pub claim_waiting: &'static str,
    pub claim_code: &'static str,
    pub confirm_claim: &'static str,
    pub claim_confirmed: &'static str,
    pub find_member: &'static str,
    pub find_member_hint: &'static str,
    pub member_found: &'static str,
    pub tier: &'static str,
    pub record_purchase: &'static str,
    pub record_return: &'static str,
    pub pay_with_credit: &'static str,
    pub receipt_number: &'static str,
    pub purchase_recorded: &'static str,
    pub return_recorded: &'static str,
    pub credit_paid: &'static str,
    pub no_branch: &'static str,
    pub earned: &'static str,
}

pub static FA: TillTexts = TillTexts {
    claim_waiting: "این عضو خواسته است در وب وارد شود. پس از دیدن عضو، کد شش‌رقمی‌ای را که به او نشان داده شده وارد کنید.",
    claim_code: "کد عضو",
    confirm_claim: "تأیید",
    claim_confirmed: "تأیید شد؛ عضو اکنون با گذرواژهٔ خود وارد می‌شود.",
    find_member: "یافتن عضو",
    find_member_hint: "شماره کارت، بارکد یا موبایل",
    member_found: "عضو پیدا شد",
    tier: "سطح",
    record_purchase: "ثبت خرید",
    record_return: "ثبت مرجوعی",
    pay_with_credit: "پرداخت با اعتبار",
    receipt_number: "شماره رسید خرید",
    purchase_recorded: "خرید ثبت شد",
    return_recorded: "مرجوعی ثبت شد؛ برگشت داده شد",
    credit_paid: "با اعتبار پرداخت شد",
    no_branch: "هیچ شعبه‌ای به شما سپرده نشده؛ مدیر باید در صفحهٔ عضو، شعبهٔ شما را تعیین کند.",
    earned: "کسب شد",
};

pub static EN: TillTexts = TillTexts {
    claim_waiting: "This member asked to sign in on the web. Having seen the member, type the six-digit code they were shown.",
    claim_code: "Member's code",
    confirm_claim: "Confirm",
    claim_confirmed: "Confirmed: the member now logs in with their own password.",
    find_member: "Find a member",
    find_member_hint: "Card number, barcode or mobile",
    member_found: "Member found",
    tier: "Tier",
    record_purchase: "Record a purchase",
    record_return: "Record a return",
    pay_with_credit: "Pay with credit",
    receipt_number: "Purchase receipt number",
    purchase_recorded: "Purchase recorded",
    return_recorded: "Return recorded; taken back",
    credit_paid: "Paid with credit",
    no_branch: "No branch is assigned to you; an admin assigns your branches on your member page.",
    earned: "Earned",
};

impl Lang {
    pub fn till_texts(self) -> &'static TillTexts {
        match self {
            Self::Fa => &FA,
            Self::En => &EN,
        }
    }
}
