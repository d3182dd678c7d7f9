//! Comparing and trimming the short texts ingest handles on every answer
//! row.
//!
//! A row's unit code, track, criterion code and answer are each a few
//! bytes, and each is compared with what the file or the rubric expects.
//! `==` on two strings of unknown length calls the C library's `bcmp`, and
//! the call costs more than comparing a few bytes: `bcmp` was 4 % of a
//! national run's samples, from some eight calls an answer row. [`same`]
//! compares texts of up to 16 bytes in the caller's own code. Each is also
//! trimmed where it is judged, some seven times a row, nearly always with
//! nothing to take off: [`trim`] sees that from two bytes.

/// Whether `a` and `b` hold the same bytes.
#[inline]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        // The first, middle and last byte cover every length up to 3.
        0 => true,
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        // Two words, overlapping when the text is shorter than both, cover
        // the lengths up to twice a word.
        4..=7 => word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4),
        8..=16 => word8(a, 0) == word8(b, 0) && word8(a, n - 8) == word8(b, n - 8),
        _ => a == b,
    }
}

/// `text` without the whitespace around it, as `str::trim` gives, looking
/// first at its first and last bytes: when both are printable ASCII (as in
/// nearly every cell) there is nothing to trim, since every other
/// whitespace character is ASCII below `!` or starts with a byte of 0x80 or
/// more.
#[inline]
pub fn trim(text: &str) -> &str {
    let printable = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x80);
    if printable(text.as_bytes().first()) && printable(text.as_bytes().last()) {
        text
    } else {
        text.trim()
    }
}

fn word4(s: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes([s[at], s[at + 1], s[at + 2], s[at + 3]])
}

fn word8(s: &[u8], at: usize) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(&s[at..at + 8]);
    u64::from_ne_bytes(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_takes_off_what_str_trim_takes_off() {
        // Every whitespace character Unicode has (str::trim's own rule),
        // and printable characters on either side, alone and around a code:
        // `trim` must give what `str::trim` gives.
        let spaces = ["", " ", "\t", "\n", "\r\n", "\u{a0}", "\u{85}", "\u{2003}", "\u{3000}", "\u{feff}"];
        let inner = ["", "A", "5301", "1.1.1", "é", "\u{7f}", "a b", "Dé ", " 87,5"];
        for before in spaces {
            for after in spaces {
                for text in inner {
                    let s = format!("{before}{text}{after}");
                    assert_eq!(trim(&s), s.trim(), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn same_agrees_with_equality_at_every_length_and_every_differing_byte() {
        // Every length from 0 to 40 (both sides of each case above), and
        // for each, a copy with one byte changed at each position: `same`
        // must say what `==` says.
        for n in 0..=40usize {
            let a: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(same(&a, &a.clone()), "length {n}");
            for at in 0..n {
                let mut b = a.clone();
                b[at] ^= 0x20;
                assert!(!same(&a, &b), "length {n}, byte {at} differs");
            }
            let longer: Vec<u8> = a.iter().copied().chain([b'z']).collect();
            assert!(!same(&a, &longer), "lengths {n} and {}", n + 1);
        }
        assert!(same("5301".as_bytes(), b"5301"));
        assert!(!same("1.1.1".as_bytes(), b"1.1.2"));
        assert!(!same("evaluator".as_bytes(), b"evaluatoR"));
    }
}
