//! The card's QR code and Code128 barcode, as SVG the page embeds.

use barcoders::generators::svg::SVG;
use barcoders::sym::code128::Code128;
use engine::card::CardNumber;
use qrcode::QrCode;
use qrcode::render::svg;

pub fn qr_svg(card: &CardNumber) -> String {
    match QrCode::new(card.as_str().as_bytes()) {
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
    let drawn = Code128::new(format!("Ć{}", card.as_str()))
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
    }
}
