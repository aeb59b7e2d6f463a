//! The one canonical JSON writer of `fairlog/v1`: object keys sorted by bytes, no whitespace,
//! unsigned integers only (the value type has no float, bool or null, so none can appear),
//! strings escaped exactly like RFC 8785 / serde_json / Python `json.dumps(ensure_ascii=False)`.

/// A JSON value as records may contain it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Canon {
    U64(u64),
    Str(String),
    Arr(Vec<Canon>),
    Obj(Vec<(&'static str, Canon)>),
}

impl Canon {
    /// Byte strings are lowercase hex strings.
    pub(crate) fn bytes(b: &[u8]) -> Self {
        Self::Str(super::hexstr::encode(b))
    }

    pub(crate) fn str(s: &str) -> Self {
        Self::Str(s.to_owned())
    }

    /// Appends the canonical text.
    pub(crate) fn write(&self, out: &mut String) {
        match self {
            Self::U64(n) => out.push_str(&n.to_string()),
            Self::Str(s) => write_str(s, out),
            Self::Arr(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out);
                }
                out.push(']');
            }
            Self::Obj(fields) => {
                let mut sorted: Vec<&(&str, Canon)> = fields.iter().collect();
                sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
                out.push('{');
                for (i, (k, v)) in sorted.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(k, out);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// JSON string: `"` and `\` escaped, the short escapes for b f n r t, `\u00xx` (lowercase) for
/// other control characters, everything else as UTF-8.
fn write_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}
