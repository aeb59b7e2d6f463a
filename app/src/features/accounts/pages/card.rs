//! The member's virtual card: number, QR code and barcode, a printable view, and replacement.

use leptos::prelude::*;

use crate::platform::ui::widgets::{FormError, Notice, day_text, grouped_card, loaded};
use crate::features::accounts::api::{CardView, my_card};
use crate::platform::ui::use_lang;


#[component]
fn CardFace(card: CardView) -> impl IntoView {
    let lang = use_lang();
    let t = lang.texts();
    view! {
        <div class="member-card" data-test="member-card">
            <div class="member-card-top">
                <span class="brand-mark">{t.club_name}</span>
                <span>{t.tagline}</span>
            </div>
            <div class="holder">{lang.digits(&card.holder)}</div>
            <div class="number" dir="ltr" data-test="card-number" data-number=card.number.clone()>
                {lang.digits(&grouped_card(&card.number))}
            </div>
            <div class="codes">
                <div class="qr" data-test="qr" inner_html=card.qr_svg.clone()></div>
                <div class="barcode" data-test="barcode" inner_html=card.barcode_svg.clone()></div>
            </div>
            <div class="since">{t.member_since}" "{day_text(lang, card.member_since_ms)}</div>
        </div>
    }
}

#[component]
pub fn CardPage() -> impl IntoView {
    let t = use_lang().texts();
    let at = use_lang().account_texts();
    let card = Resource::new(|| (), |_| my_card());
    view! {
        <h1>{t.my_card}</h1>
        <FormError/>
        <Notice code="card_replaced" text=at.card_replaced/>
        {loaded(card, move |card| view! {
                        <CardFace card/>
                        <p class="actions">
                            <a class="button secondary" href="/card/print" rel="external">{at.print_card}</a>
                        </p>
                        <details class="danger-zone">
                            <summary>{at.replace_card}</summary>
                            <p>{at.replace_card_confirm}</p>
                            <form method="post" action="/card/replace">
                                <button type="submit" class="button danger" data-test="replace-card">{at.replace_card}</button>
                            </form>
                        </details>
        })}
    }
}

#[component]
pub fn PrintCardPage() -> impl IntoView {
    let t = use_lang().texts();
    let at = use_lang().account_texts();
    let card = Resource::new(|| (), |_| my_card());
    view! {
        <div class="print-sheet">
            {loaded(card, |card| view! { <CardFace card/> })}
            <p class="no-print actions">
                <button class="button" onclick="window.print()">{at.print_card}</button>
                <a href="/card">{t.back}</a>
            </p>
        </div>
    }
}
