//! Persian and English texts of the sign-up, log-in, card and profile pages.

use crate::platform::i18n::Lang;

pub struct AccountTexts {
    pub identifier: &'static str,
    pub identifier_hint: &'static str,
    pub password: &'static str,
    pub password_hint: &'static str,
    pub have_account: &'static str,
    pub no_account: &'static str,
    pub print_card: &'static str,
    pub replace_card: &'static str,
    pub replace_card_confirm: &'static str,
    pub card_replaced: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub birthday_hint: &'static str,
    pub gender: &'static str,
    pub female: &'static str,
    pub male: &'static str,
    pub other: &'static str,
    pub unspecified: &'static str,
    pub claim_pending: &'static str,
    pub welcome: &'static str,
    pub join_pitch: &'static str,
}

pub static FA: AccountTexts = AccountTexts {
    identifier: "شماره موبایل یا ایمیل",
    identifier_hint: "مثلاً ۰۹۱۲۱۲۳۴۵۶۷",
    password: "گذرواژه",
    password_hint: "دست‌کم ۸ نویسه",
    have_account: "عضو هستید؟ وارد شوید",
    no_account: "عضو نیستید؟ عضو شوید",
    print_card: "چاپ کارت",
    replace_card: "صدور کارت جدید",
    replace_card_confirm: "کارت فعلی باطل می‌شود و کارت تازه‌ای صادر می‌شود. امتیازها و سابقه می‌مانند.",
    card_replaced: "کارت تازه صادر شد؛ شماره قبلی دیگر پذیرفته نمی‌شود.",
    first_name: "نام",
    last_name: "نام خانوادگی",
    birthday_hint: "مثلاً ۱۳۷۰/۰۵/۰۹",
    gender: "جنسیت",
    female: "زن",
    male: "مرد",
    other: "دیگر",
    unspecified: "نگفته",
    claim_pending: "این شماره پیش‌تر در صندوق عضو شده است. این کد را در فروشگاه به صندوقدار نشان دهید؛ پس از تأیید او، با همین شماره و گذرواژه‌ای که برگزیدید وارد شوید و همهٔ سابقه‌تان را می‌بینید.",
    welcome: "به باشگاه مشتریان خوش آمدید",
    join_pitch: "با هر خرید امتیاز بگیرید و آن را برای گردونه، قرعه‌کشی و کوپن‌های برندهای همکار خرج کنید.",
};

pub static EN: AccountTexts = AccountTexts {
    identifier: "Mobile number or email",
    identifier_hint: "e.g. 0912 123 4567",
    password: "Password",
    password_hint: "At least 8 characters",
    have_account: "Already a member? Log in",
    no_account: "Not a member yet? Join",
    print_card: "Print card",
    replace_card: "Issue a new card",
    replace_card_confirm: "Your current card stops working and a new one is issued. Points and history stay.",
    card_replaced: "A new card was issued; the old number is no longer accepted.",
    first_name: "First name",
    last_name: "Last name",
    birthday_hint: "YYYY-MM-DD",
    gender: "Gender",
    female: "Female",
    male: "Male",
    other: "Other",
    unspecified: "Not said",
    claim_pending: "This number was enrolled at a till before. Show this code to a cashier in the shop; once they confirm it, log in with this number and the password you chose, and your whole history is there.",
    welcome: "Welcome to the customer club",
    join_pitch: "Earn points with every purchase and spend them on the wheel, raffles and partner coupons.",
};

impl Lang {
    pub fn account_texts(self) -> &'static AccountTexts {
        match self {
            Self::Fa => &FA,
            Self::En => &EN,
        }
    }
}
