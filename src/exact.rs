//! Exact numbers for weights, answer values and scores.
//!
//! SAKIP totals are sums of means of decimal answer values times decimal
//! weights. Binary floating point cannot hold 0.1 or 4.5 / 7 exactly, and two
//! engines that each round a float at the second decimal disagree on about
//! half a percent of units. So every quantity here is an exact rational
//! (`i128 / i128`), and the one rounding the project allows happens in
//! [`Points::round_half_up`]: the total, once, at the end.

use std::fmt;
use std::str::FromStr;

use num_rational::Ratio;
use num_traits::Zero;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

/// An exact rational number.
pub type Exact = Ratio<i128>;

/// `a` against `b`, as their `Ord` orders them, without the 128-bit
/// divisions num-rational's comparison makes whenever the denominators
/// differ (it compares the whole parts, then the remainders' reciprocals):
/// while both sides fit in 64 bits, the cross products `a.n × b.d` and
/// `b.n × a.d` are exact in 128 bits (denominators are positive).
pub fn order(a: &Exact, b: &Exact) -> std::cmp::Ordering {
    if a.denom() == b.denom() {
        return a.numer().cmp(b.numer());
    }
    let small = |x: &i128| i64::try_from(*x).is_ok();
    if small(a.numer()) && small(a.denom()) && small(b.numer()) && small(b.denom()) {
        return (a.numer() * b.denom()).cmp(&(b.numer() * a.denom()));
    }
    a.cmp(b)
}

/// Whether `a` and `b` are the same number: every `Exact` is kept in lowest
/// terms with a positive denominator (num-rational reduces on every
/// construction and operation, and nothing here builds one raw), so equal
/// numbers have equal parts. num-rational's `==` compares by `Ord`.
pub fn same(a: &Exact, b: &Exact) -> bool {
    a.numer() == b.numer() && a.denom() == b.denom()
}

/// Parses a plain decimal (`90`, `4.5`, `0.67`, `-1.25`, `87,5`) into an exact
/// rational. A single comma is taken as the decimal separator (Indonesian
/// locale) when there is no dot. Fractions (`2/3`) are accepted too, so a rule
/// file can state a third exactly. Exponents, thousands separators and
/// anything else are refused, so a typo never becomes a number.
pub fn parse_decimal(text: &str) -> Option<Exact> {
    let s = text.trim();
    if let Some((num, den)) = s.split_once('/') {
        let n = parse_decimal(num)?;
        let d = parse_decimal(den)?;
        if d.is_zero() {
            return None;
        }
        return Some(n / d);
    }
    let (negative, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let normalised;
    let digits = if !digits.contains('.') && digits.matches(',').count() == 1 {
        normalised = digits.replace(',', ".");
        normalised.as_str()
    } else {
        digits
    };
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, f),
        None => (digits, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.bytes().all(|b| b.is_ascii_digit()) || !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // 30 significant digits is far beyond any weight or answer value and keeps
    // every later product inside i128.
    if int_part.len() + frac_part.len() > 30 {
        return None;
    }
    let mut numer: i128 = 0;
    for b in int_part.bytes().chain(frac_part.bytes()) {
        numer = numer * 10 + i128::from(b - b'0');
    }
    let denom = 10i128.pow(frac_part.len() as u32);
    let value = Exact::new(numer, denom);
    Some(if negative { -value } else { value })
}

/// Writes an exact value as a decimal when it has a finite decimal expansion
/// of at most `max_places` places, otherwise rounded half-up to `max_places`
/// with a leading `≈`. Used for showing weights, never for scores.
pub fn format_exact(value: &Exact, max_places: u32) -> String {
    let scale = 10i128.pow(max_places);
    let scaled = value * scale;
    let approx = !scaled.is_integer();
    let rounded = round_half_up_integer(&scaled);
    let mut text = format_scaled(rounded, max_places);
    // Trim trailing zeros of the fractional part: 4.500000 -> 4.5, 30.0 -> 30.
    if text.contains('.') {
        while text.ends_with('0') {
            text.pop();
        }
        if text.ends_with('.') {
            text.pop();
        }
    }
    if approx {
        format!("≈{text}")
    } else {
        text
    }
}

/// Rounds half away from zero to an integer (half-up for the non-negative
/// values the project rounds).
fn round_half_up_integer(value: &Exact) -> i128 {
    scaled_half_up(value, 0)
}

/// `value × 10^places`, rounded half away from zero to an integer: the
/// one rounding behind [`Points`] (two places) and the stored millionths
/// (six).
///
/// For n/d (a `Ratio` keeps d > 0), |n × 10^places / d| + 1/2 rounded down
/// is (2 |n| 10^places + d) div 2d: integer arithmetic, without the gcds
/// that reduce a `Ratio` product and sum (a twentieth of the review's
/// time). Figures too large for that take the rational way.
pub fn scaled_half_up(value: &Exact, places: u32) -> i128 {
    let scale = 10i128.pow(places);
    let (n, d) = (*value.numer(), *value.denom());
    let twice = n.checked_abs().and_then(|a| a.checked_mul(scale)).and_then(|a| a.checked_mul(2)).and_then(|a| a.checked_add(d));
    if let (Some(twice), Some(d2)) = (twice, d.checked_mul(2)) {
        let magnitude = twice / d2;
        return if n < 0 { -magnitude } else { magnitude };
    }
    let scaled = value * scale;
    let half = Exact::new(1, 2);
    if scaled >= Exact::zero() {
        (scaled + half).floor().to_integer()
    } else {
        -((-scaled + half).floor().to_integer())
    }
}

fn format_scaled(scaled: i128, places: u32) -> String {
    let sign = if scaled < 0 { "-" } else { "" };
    let abs = scaled.unsigned_abs();
    if places == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10u128.pow(places);
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = places as usize
    )
}

/// A score in hundredths of a point: the displayed, graded value.
///
/// `Points` only ever comes from [`Points::round_half_up`] of an exact value
/// or from parsing a two-decimal figure, so what is shown, stored and graded is
/// one and the same number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Points {
    hundredths: i64,
}

/// How many characters `n` takes written in decimal (`-` included).
pub fn decimal_len(n: i64) -> usize {
    usize::from(n < 0) + n.unsigned_abs().checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// `n` in decimal, written at the end of `buf`: the one digit writer of
/// the figures the review prints hundreds of thousands of times (no
/// `String`, no formatting machinery).
pub fn decimal_text(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[at..]).expect("ASCII digits")
}

impl Points {
    /// The figure as [`fmt::Display`] writes it (`78.11`, `-0.13`,
    /// `100.00`), written into `buf`: a sign, up to 17 digits, the point and
    /// two places.
    pub fn text(self, buf: &mut [u8; 24]) -> &str {
        let abs = self.hundredths.unsigned_abs();
        let mut digits = [0u8; 20];
        let whole = decimal_text(abs / 100, &mut digits).as_bytes();
        let sign = usize::from(self.hundredths < 0);
        let end = sign + whole.len() + 3;
        buf[0] = b'-';
        buf[sign..sign + whole.len()].copy_from_slice(whole);
        buf[end - 3..end].copy_from_slice(&[b'.', b'0' + (abs / 10 % 10) as u8, b'0' + (abs % 10) as u8]);
        std::str::from_utf8(&buf[..end]).expect("ASCII figures")
    }

    /// How many characters the figure takes as [`fmt::Display`] writes it
    /// (`-0.13`: five), without a `String`.
    pub fn shown_len(self) -> usize {
        self.text(&mut [0; 24]).len()
    }

    /// Rounds an exact value half-up to two decimals: 78.104999… → 78.10,
    /// 78.105 → 78.11.
    pub fn round_half_up(value: &Exact) -> Points {
        let hundredths = scaled_half_up(value, 2);
        Points { hundredths: hundredths as i64 }
    }

    /// Builds a score from hundredths of a point (7810 → 78.10).
    pub fn from_hundredths(hundredths: i64) -> Points {
        Points { hundredths }
    }

    /// The score in hundredths of a point: the integer behind `DECIMAL(5,2)`.
    pub fn hundredths(self) -> i64 {
        self.hundredths
    }

    /// The score as an exact rational, for comparing against band bounds.
    pub fn exact(self) -> Exact {
        Exact::new(i128::from(self.hundredths), 100)
    }

    /// The nearest float, for charts only: never compare or grade with it.
    pub fn to_f64(self) -> f64 {
        self.hundredths as f64 / 100.0
    }
}

impl fmt::Display for Points {
    /// `78.11`, `-0.13`, `100.00`: as [`format_scaled`] writes two places,
    /// in 64-bit arithmetic on the stack ([`Points::text`]; a review prints
    /// hundreds of thousands of figures, and 128-bit division and a
    /// `String` each cost more than the rest of the printing).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.text(&mut [0; 24]))
    }
}

impl FromStr for Points {
    type Err = String;

    /// Parses a figure and rounds it half-up to two decimals.
    fn from_str(s: &str) -> Result<Points, String> {
        parse_decimal(s)
            .map(|v| Points::round_half_up(&v))
            .ok_or_else(|| format!("'{s}' is not a number"))
    }
}

/// A number in a rule file, read exactly.
///
/// TOML has only binary floats, so `4.5` arrives as an `f64`; it is turned back
/// into the shortest decimal that prints as that float (`4.5`, `0.67`) and read
/// from there, which is exactly what the author wrote. A string (`"2/3"`,
/// `"0.67"`) is read directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleNumber(pub Exact);

impl<'de> Deserialize<'de> for RuleNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;

        impl Visitor<'_> for NumberVisitor {
            type Value = RuleNumber;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number such as 30, 4.5 or \"2/3\"")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RuleNumber, E> {
                Ok(RuleNumber(Exact::from_integer(i128::from(v))))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RuleNumber, E> {
                Ok(RuleNumber(Exact::from_integer(i128::from(v))))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RuleNumber, E> {
                if !v.is_finite() {
                    return Err(E::custom(format!("{v} is not a finite number")));
                }
                // Rust prints the shortest decimal that round-trips to `v`.
                let text = format!("{v}");
                parse_decimal(&text)
                    .map(RuleNumber)
                    .ok_or_else(|| E::custom(format!("{v} cannot be read as an exact decimal")))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RuleNumber, E> {
                parse_decimal(v)
                    .map(RuleNumber)
                    .ok_or_else(|| E::custom(format!("'{v}' is not a number")))
            }
        }

        deserializer.deserialize_any(NumberVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_those_of_the_written_figures() {
        // Against the text itself, at the edges of each digit count, both
        // signs, zero, and the extremes.
        let mut ints: Vec<i64> = vec![0, i64::MIN, i64::MAX, i64::MIN + 1];
        for p in 0..19 {
            let t = 10i64.pow(p);
            ints.extend([t, t - 1, t + 1, -t, -(t - 1), -(t + 1)]);
        }
        for n in &ints {
            assert_eq!(decimal_len(*n), n.to_string().len(), "{n}");
        }
        for h in ints.iter().copied().chain([-13, -100, -99, 5, 12345]) {
            let p = Points::from_hundredths(h);
            assert_eq!(p.shown_len(), p.to_string().len(), "{p}");
        }
    }

    #[test]
    fn order_and_same_agree_with_num_rational() {
        // Numbers with small and large parts (the cross products of the
        // large ones do not fit 128 bits: num-rational's own comparison
        // then), signs, zero, and equal numbers written apart (6/4 = 3/2).
        let big = i128::from(i64::MAX) * 1_000;
        let parts = [(0, 1), (1, 3), (-1, 3), (2, 3), (6, 4), (3, 2), (-7, 2), (1, 1_000_000), (999_999, 1_000_000), (big, 7), (-big, 3), (1, big), (big - 1, big)];
        let numbers: Vec<Exact> = parts.iter().map(|&(n, d)| Exact::new(n, d)).collect();
        for a in &numbers {
            for b in &numbers {
                assert_eq!(order(a, b), a.cmp(b), "{a} against {b}");
                assert_eq!(same(a, b), a == b, "{a} and {b}");
            }
        }
    }

    fn ex(n: i128, d: i128) -> Exact {
        Exact::new(n, d)
    }

    #[test]
    fn parses_decimals_exactly() {
        assert_eq!(parse_decimal("90"), Some(ex(90, 1)));
        assert_eq!(parse_decimal("4.5"), Some(ex(9, 2)));
        assert_eq!(parse_decimal("0.67"), Some(ex(67, 100)));
        assert_eq!(parse_decimal(" 87,5 "), Some(ex(175, 2)));
        assert_eq!(parse_decimal("-1.25"), Some(ex(-5, 4)));
        assert_eq!(parse_decimal(".5"), Some(ex(1, 2)));
        assert_eq!(parse_decimal("2/3"), Some(ex(2, 3)));
    }

    #[test]
    fn refuses_what_is_not_a_plain_number() {
        for bad in ["", "-", ".", "1e3", "1.000,5", "1,000,000", "abc", "1/0", "NaN", "inf", "1 2"] {
            assert_eq!(parse_decimal(bad), None, "{bad:?} must not parse");
        }
    }

    #[test]
    fn rounds_half_up_once() {
        assert_eq!(Points::round_half_up(&ex(78105, 1000)).to_string(), "78.11");
        assert_eq!(Points::round_half_up(&ex(781049999, 10_000_000)).to_string(), "78.10");
        assert_eq!(Points::round_half_up(&ex(200, 3)).to_string(), "66.67");
        assert_eq!(Points::round_half_up(&ex(100, 3)).to_string(), "33.33");
        assert_eq!(Points::round_half_up(&ex(0, 1)).to_string(), "0.00");
        assert_eq!(Points::round_half_up(&ex(100, 1)).to_string(), "100.00");
        // 0.125 sits exactly on a half: half-up, not banker's rounding.
        assert_eq!(Points::round_half_up(&ex(1, 8)).to_string(), "0.13");
        // Away from zero below it: -0.125 -> -0.13, -0.124 -> -0.12.
        assert_eq!(Points::round_half_up(&ex(-1, 8)).to_string(), "-0.13");
        assert_eq!(Points::round_half_up(&ex(-124, 1000)).to_string(), "-0.12");
        // The widest figures, and padding as a number's: worked by hand.
        assert_eq!(Points::from_hundredths(i64::MIN).to_string(), "-92233720368547758.08");
        assert_eq!(Points::from_hundredths(i64::MAX).to_string(), "92233720368547758.07");
        assert_eq!(Points::from_hundredths(-700).to_string(), "-7.00");
        assert_eq!(format!("[{:>7}]", Points::from_hundredths(8_29)), "[   8.29]");
    }

    #[test]
    fn rounds_figures_too_large_for_the_integer_shortcut() {
        // n = 2^120 + 1 over 2, at two places: n × 100 × 2 is over 2^127
        // and overflows i128, so the rational way is taken.
        // (2^120 + 1)/2 × 100 = 50 × 2^120 + 50 exactly: nothing to round.
        let n = (1i128 << 120) + 1;
        let expected = 50 * (1i128 << 120) + 50;
        assert_eq!(scaled_half_up(&ex(n, 2), 2), expected);
        assert_eq!(scaled_half_up(&ex(-n, 2), 2), -expected);
        // m = 2^125 + 1 over 20, at one place: m × 10 × 2 overflows too.
        // m/20 × 10 = 2^124 + 1/2, a half, rounded away from zero.
        let m = (1i128 << 125) + 1;
        assert_eq!(scaled_half_up(&ex(m, 20), 1), (1i128 << 124) + 1);
        assert_eq!(scaled_half_up(&ex(-m, 20), 1), -((1i128 << 124) + 1));
    }

    #[test]
    fn formats_weights_readably() {
        assert_eq!(format_exact(&ex(9, 2), 6), "4.5");
        assert_eq!(format_exact(&ex(30, 1), 6), "30");
        assert_eq!(format_exact(&ex(6, 7), 6), "≈0.857143");
    }

    #[test]
    fn rule_numbers_keep_what_the_author_wrote() {
        #[derive(Deserialize)]
        struct T {
            a: RuleNumber,
            b: RuleNumber,
            c: RuleNumber,
        }
        let t: T = toml::from_str("a = 4.5\nb = 0.67\nc = \"2/3\"").unwrap();
        assert_eq!(t.a.0, ex(9, 2));
        assert_eq!(t.b.0, ex(67, 100));
        assert_eq!(t.c.0, ex(2, 3));
    }
}
