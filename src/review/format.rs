//! How the review writes text and numbers for people: exact points rounded
//! for showing, HTML escaping, and scores, changes and counts the
//! Indonesian way (`78,10`, `−0,77`, `+3`).
//! Shared by the provincial page, its charts and the unit pages, so all of
//! them write a figure the same way.

use crate::exact::{Exact, Points};

/// Exact points as shown: half-up to two decimals, the one rounding
/// before display.
pub fn shown(value: Exact) -> Points {
    Points::round_half_up(&value)
}

/// Escapes text for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    // Most text has none of the five characters: copied whole.
    if !text.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A score as Indonesians write it: `78,10`, `−0,77`.
pub fn number(p: Points) -> String {
    p.to_string()
        .chars()
        .map(|c| match c {
            '.' => ',',
            '-' => '−',
            c => c,
        })
        .collect()
}

/// A score change with its sign: `+8,29`, `−0,77`, `0,00`.
pub fn change(p: Points) -> String {
    if p.hundredths() > 0 {
        format!("+{}", number(p))
    } else {
        number(p)
    }
}

/// A count change with its sign: `+3`, `−2`, `0`.
pub fn signed(n: i64) -> String {
    match n {
        n if n > 0 => format!("+{n}"),
        n if n < 0 => format!("−{}", n.unsigned_abs()),
        _ => "0".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_numbers_are_indonesian() {
        assert_eq!(esc(r#"<b>"A" & 'B'</b>"#), "&lt;b&gt;&quot;A&quot; &amp; &#39;B&#39;&lt;/b&gt;");
        assert_eq!(number(Points::from_hundredths(7810)), "78,10");
        assert_eq!(change(Points::from_hundredths(829)), "+8,29");
        assert_eq!(change(Points::from_hundredths(-77)), "−0,77");
        assert_eq!(change(Points::from_hundredths(0)), "0,00");
        assert_eq!(signed(-3), "−3");
        assert_eq!(signed(6), "+6");
    }
}
