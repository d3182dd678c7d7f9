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
    let mut out = String::with_capacity(text.len());
    push_esc(&mut out, text);
    out
}

/// Appends `text` escaped as [`esc`] escapes it.
pub fn push_esc(out: &mut String, text: &str) {
    // Most text has none of the five characters: copied whole.
    if !text.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')) {
        out.push_str(text);
        return;
    }
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
}

/// A score as Indonesians write it: `78,10`, `−0,77`.
pub fn number(p: Points) -> String {
    let mut out = String::new();
    push_number(&mut out, p);
    out
}

/// Appends `p` as [`number`] writes it.
pub fn push_number(out: &mut String, p: Points) {
    for c in p.text(&mut [0; 24]).chars() {
        match c {
            '.' => out.push(','),
            '-' => out.push('−'),
            c => out.push(c),
        }
    }
}

/// A score change with its sign: `+8,29`, `−0,77`, `0,00`.
pub fn change(p: Points) -> String {
    let mut out = String::new();
    push_change(&mut out, p);
    out
}

/// Appends `p` as [`change`] writes it.
pub fn push_change(out: &mut String, p: Points) {
    if p.hundredths() > 0 {
        out.push('+');
    }
    push_number(out, p);
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
