//! The pages. Components compile for the server and the browser alike and never import
//! `server::`; they reach the server only through `api`.

pub mod layout;
pub mod widgets;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::platform::i18n::Lang;
use layout::Layout;
use crate::features::accounts::pages::auth::{LoginPage, SignUpPage};
use crate::features::accounts::pages::card::{CardPage, PrintCardPage};
use crate::features::accounts::pages::home::HomePage;
use crate::features::accounts::pages::profile::ProfilePage;
use crate::features::admin::pages::club::{BranchesPage, RulesPage};
use crate::features::admin::pages::members::{AdminMemberPage, AdminPage, ClubPage};
use crate::features::fairness::pages::AuditPage;
use crate::features::contests::pages::admin::AdminContestsPage;
use crate::features::coupons::pages::admin::AdminPartnersPage;
use crate::features::coupons::pages::market::MarketPage;
use crate::features::coupons::pages::partner::PartnerPage;
use crate::features::coupons::pages::wallet::CouponsPage;
use crate::features::contests::pages::contest::{ContestPage, ContestsPage};
use crate::features::raffles::pages::admin::AdminRafflesPage;
use crate::features::raffles::pages::raffle::{RafflePage, RafflesPage};
use crate::features::till::pages::TillPage;
use crate::features::wallet::pages::WalletPage;
use crate::features::wheels::pages::admin::{AdminWheelPage, AdminWheelsPage};
use crate::features::wheels::pages::fairness::FairnessPage;
use crate::features::wheels::pages::wheel::{WheelPage, WheelsPage};
use crate::platform::ui::widgets::NotFound;

/// The document around the app, rendered on the server for every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = request_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code() dir=lang.dir()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href="/style.css"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The language of this page: on the server from the request, in the browser from the document
/// the server rendered, so both sides always agree.
fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Lang>().copied())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|code| Lang::parse(&code))
            .unwrap_or_default()
    }
}

pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = request_lang();
    provide_context(lang);
    view! {
        <Title text=lang.texts().tagline/>
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/signup") view=SignUpPage/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/audit") view=AuditPage/>
                    <Route path=path!("/card") view=CardPage ssr=SsrMode::Async/>
                    <Route path=path!("/card/print") view=PrintCardPage ssr=SsrMode::Async/>
                    <Route path=path!("/profile") view=ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/wallet") view=WalletPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/club") view=ClubPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/rules") view=RulesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/branches") view=BranchesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/members/:id") view=AdminMemberPage ssr=SsrMode::Async/>
                    <Route path=path!("/till") view=TillPage ssr=SsrMode::Async/>
                    <Route path=path!("/wheels") view=WheelsPage ssr=SsrMode::Async/>
                    <Route path=path!("/wheels/:id") view=WheelPage ssr=SsrMode::Async/>
                    <Route path=path!("/fairness") view=FairnessPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/wheels") view=AdminWheelsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/wheels/:id") view=AdminWheelPage ssr=SsrMode::Async/>
                    <Route path=path!("/raffles") view=RafflesPage ssr=SsrMode::Async/>
                    <Route path=path!("/raffles/:id") view=RafflePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/raffles") view=AdminRafflesPage ssr=SsrMode::Async/>
                    <Route path=path!("/contests") view=ContestsPage ssr=SsrMode::Async/>
                    <Route path=path!("/contests/:id") view=ContestPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/contests") view=AdminContestsPage ssr=SsrMode::Async/>
                    <Route path=path!("/market") view=MarketPage ssr=SsrMode::Async/>
                    <Route path=path!("/coupons") view=CouponsPage ssr=SsrMode::Async/>
                    <Route path=path!("/partner") view=PartnerPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/partners") view=AdminPartnersPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
