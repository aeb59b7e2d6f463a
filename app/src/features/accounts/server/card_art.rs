//! QR codes and Code128 barcodes as SVG the pages embed: the member's card and coupon codes.

use barcoders::generators::svg::SVG;
use barcoders::sym::code128::Code128;
use engine::card::CardNumber;
use qrcode::QrCode;
use qrcode::render::svg;

pub fn qr_svg(card: &CardNumber) -> String {
    qr_of(card.as_str())
}

/// A QR code of any short text (a coupon code).
pub fn qr_of(text: &str) -> String {
    match QrCode::new(text.as_bytes()) {
        Ok(code) => code
            .render::<svg::Color<'_>>()
            .min_dimensions(180, 180)
            .quiet_zone(true)
            .dark_color(svg::Color("#111827"))
            .light_color(svg::Color("#ffffff"))
            .build(),
        Err(e) => {
            tracing::error!(error = %e, "cannot draw QR code");
            String::new()
        }
    }
}

pub fn barcode_svg(card: &CardNumber) -> String {
    // Code128 set C packs two digits per symbol; `Ć` selects it.
    code128(&format!("Ć{}", card.as_str()))
}

/// The Code128 barcode of a coupon code (upper-case letters, digits and dashes: set B, `Ɓ`).
pub fn coupon_barcode_svg(code: &str) -> String {
    code128(&format!("Ɓ{code}"))
}

fn code128(input: &str) -> String {
    let drawn = Code128::new(input)
        .map_err(|e| e.to_string())
        .and_then(|code| SVG::new(60).generate(code.encode()).map_err(|e| e.to_string()));
    drawn.unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot draw barcode");
        String::new()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_codes_are_svg() {
        let card = CardNumber::issue(12_345);
        assert!(qr_svg(&card).contains("<svg"));
        assert!(barcode_svg(&card).contains("<svg"));
        assert!(coupon_barcode_svg("CAFE-12AB").contains("<svg"));
    }
}
