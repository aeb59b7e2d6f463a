//! Normalisation of what people type: three digit scripts and two spellings of two letters.

/// Replaces Persian (۰–۹) and Arabic-Indic (٠–٩) digits with ASCII ones.
pub fn ascii_digits(text: &str) -> String {
    text.chars().map(ascii_digit).collect()
}

fn ascii_digit(c: char) -> char {
    match c {
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        _ => c,
    }
}

/// A number as people type it, ready to parse: ASCII digits, without the thousands separators
/// (`,`, Persian `٬`, spaces) that amounts are often written with.
pub fn plain_number(text: &str) -> String {
    text.chars().map(ascii_digit).filter(|c| !matches!(c, ',' | '٬' | ' ')).collect()
}

/// Replaces ASCII digits with Persian ones, for display.
pub fn persian_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32('۰' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// A key under which names, phone numbers and card numbers are searched, so that Arabic ي/ك and
/// Persian ی/ک, every digit script, case, zero-width non-joiners and spacing all match each other.
pub fn search_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    let mut last_was_space = true;
    for c in text.chars() {
        let c = match ascii_digit(c) {
            'ي' | 'ى' => 'ی',
            'ك' => 'ک',
            'ة' => 'ه',
            '\u{200c}' | '\u{200d}' | '\u{64b}'..='\u{652}' => continue,
            other => other,
        };
        if c.is_whitespace() {
            if !last_was_space {
                key.push(' ');
            }
            last_was_space = true;
        } else {
            key.extend(c.to_lowercase());
            last_was_space = false;
        }
    }
    if key.ends_with(' ') {
        key.pop();
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_digit_scripts_become_ascii() {
        assert_eq!(ascii_digits("۰۹۱۲-٣٤٥ 67"), "0912-345 67");
        assert_eq!(persian_digits("1403/01/15"), "۱۴۰۳/۰۱/۱۵");
    }

    #[test]
    fn arabic_and_persian_spellings_share_a_key() {
        assert_eq!(search_key("علي  كريمي"), search_key("علی کریمی"));
        assert_eq!(search_key("  Ali\u{200c}Reza "), "alireza");
        assert_eq!(search_key("۰۹۱۲"), "0912");
    }
}
