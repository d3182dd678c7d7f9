//! The page's charts, drawn as inline SVG by hand.
//!
//! No chart library and no script: the page must open offline, on any
//! phone, forever, so each chart is a handful of `<rect>` and `<text>`
//! elements in a `viewBox` that scales to the screen. Widths are in viewBox
//! units ([`W`] wide); the page's CSS makes every chart as wide as its column.

use crate::messages::review::province as prov;
use std::fmt::Write;

use crate::exact::Points;
use crate::review::colors::{self, Rgb};
use crate::review::data::Review;
use crate::review::format::{self, esc, number, signed};

/// The width of every chart's viewBox.
const W: f64 = 440.0;
/// Room for a unit's name left of a row of shapes.
const LABEL: f64 = 172.0;

/// `KPU Kabupaten Timor Tengah Selatan` → `Kab. Timor Tengah Selatan`: names
/// short enough for a phone; the tables keep the full names.
pub fn short_name(name: &str) -> String {
    let name = name.strip_prefix(prov::AGENCY_PREFIX).unwrap_or(name);
    for (long, short) in prov::ABBREVIATIONS {
        if let Some(rest) = name.strip_prefix(long) {
            return format!("{short}{rest}");
        }
    }
    name.to_string()
}

fn grade_colour(review: &Review, predikat: &str) -> Rgb {
    let palette = colors::grades(review.scale.bands.len());
    review.grade_index(predikat).and_then(|i| palette.get(i).copied()).unwrap_or(colors::NONE)
}

fn open(out: &mut String, id: &str, height: f64, label: &str) {
    let _ = write!(out, r#"<svg id="{id}" viewBox="0 0 {W} {height}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#, esc(label));
}

/// Horizontal bars of every unit's total, by rank, coloured by predikat, over
/// the scale's band boundaries.
pub fn ranking(review: &Review) -> String {
    const TOP: f64 = 18.0;
    const ROW: f64 = 32.0;
    let plot = W - 48.0;
    let x = |score: f64| score / 100.0 * plot;
    let height = TOP + review.units.len() as f64 * ROW + 18.0;
    let mut s = String::new();
    open(&mut s, "chart-ranking", height, &prov::chart_ranking(review.units.len()));
    // Band boundaries behind the bars, with each band's predikat above.
    for band in &review.scale.bands {
        let (lo, hi) = (x(exact_f64(&band.lower)), x(exact_f64(&band.upper)));
        let _ = write!(s, r##"<line x1="{lo:.1}" y1="{TOP}" x2="{lo:.1}" y2="{:.1}" stroke="#d0d7de" stroke-dasharray="3 3"/>"##, height - 16.0);
        let _ = write!(s, r##"<text x="{:.1}" y="12" font-size="11" text-anchor="middle" fill="#57606a">{}</text>"##, (lo + hi) / 2.0, esc(&band.predikat));
        let _ = write!(s, r##"<text x="{lo:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="#57606a">{}</text>"##, height - 4.0, bound_text(&band.lower));
    }
    let _ = write!(s, r##"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="end" fill="#57606a">100</text>"##, x(100.0), height - 4.0);
    for (i, u) in review.units.iter().enumerate() {
        let y = TOP + i as f64 * ROW;
        let colour = grade_colour(review, &u.predikat);
        let _ = write!(s, r#"<text x="0" y="{:.1}" font-size="13">{}. {}</text>"#, y + 13.0, u.rank, esc(&short_name(&u.name)));
        let _ = write!(
            s,
            r##"<rect class="bar" x="0" y="{:.1}" width="{:.1}" height="11" rx="2" fill="{}"><title>{}: {} ({})</title></rect>"##,
            y + 17.0,
            x(u.score.to_f64()),
            colour.hex(),
            esc(&u.name),
            number(u.score),
            esc(&u.predikat)
        );
        let _ = write!(s, r#"<text x="{:.1}" y="{:.1}" font-size="11">{} {}</text>"#, x(u.score.to_f64()) + 4.0, y + 27.0, number(u.score), esc(&u.predikat));
    }
    s.push_str("</svg>");
    s
}

fn exact_f64(value: &crate::exact::Exact) -> f64 {
    Points::round_half_up(value).to_f64()
}

fn bound_text(value: &crate::exact::Exact) -> String {
    crate::exact::format_exact(value, 2)
}

/// One column per predikat, best first: how many units earned it.
pub fn distribution(review: &Review) -> String {
    const TOP: f64 = 22.0;
    const TALL: f64 = 150.0;
    let bands = &review.scale.bands;
    let counts: Vec<usize> = bands.iter().map(|b| review.units.iter().filter(|u| u.predikat == b.predikat).count()).collect();
    let most = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let base = TOP + TALL;
    let mut s = String::new();
    open(&mut s, "chart-distribusi", base + 40.0, prov::CHART_DISTRIBUTION);
    let _ = write!(s, r##"<line x1="0" y1="{base}" x2="{W}" y2="{base}" stroke="#8c959f"/>"##);
    let cw = W / bands.len().max(1) as f64;
    for (i, ((band, &n), colour)) in bands.iter().zip(&counts).zip(colors::grades(bands.len())).enumerate() {
        let i = i as f64;
        let h = n as f64 / most * TALL;
        let (x, mid) = (i * cw + cw * 0.18, i * cw + cw / 2.0);
        let _ = write!(
            s,
            r##"<rect class="bar" x="{x:.1}" y="{:.1}" width="{:.1}" height="{h:.1}" fill="{}"><title>{}</title></rect>"##,
            base - h,
            cw * 0.64,
            colour.hex(),
            esc(&prov::units_with(&band.predikat, n))
        );
        let _ = write!(s, r#"<text x="{mid:.1}" y="{:.1}" font-size="13" text-anchor="middle">{n}</text>"#, base - h - 5.0);
        let _ = write!(s, r#"<text x="{mid:.1}" y="{:.1}" font-size="13" font-weight="700" text-anchor="middle">{}</text>"#, base + 17.0, esc(&band.predikat));
        let _ = write!(s, r##"<text x="{mid:.1}" y="{:.1}" font-size="9.5" text-anchor="middle" fill="#57606a">{}</text>"##, base + 32.0, esc(&band.range_text()));
    }
    s.push_str("</svg>");
    s
}

/// A heat grid: one row per unit (by rank), one cell per component, the
/// component's score as a share of its maximum.
pub fn components(review: &Review) -> String {
    const TOP: f64 = 24.0;
    const ROW: f64 = 24.0;
    let k = review.components.len().max(1) as f64;
    let cw = (W - LABEL) / k;
    let mut s = String::new();
    open(&mut s, "chart-komponen", TOP + review.units.len() as f64 * ROW + 4.0, prov::CHART_COMPONENTS);
    for (j, c) in review.components.iter().enumerate() {
        let _ = write!(s, r#"<text x="{:.1}" y="16" font-size="12" font-weight="700" text-anchor="middle">K{}</text>"#, LABEL + (j as f64 + 0.5) * cw, esc(&c.code));
    }
    for (i, u) in review.units.iter().enumerate() {
        let y = TOP + i as f64 * ROW;
        let _ = write!(s, r#"<text x="0" y="{:.1}" font-size="12">{}</text>"#, y + 15.5, esc(&short_name(&u.name)));
        for (j, (head, score)) in review.components.iter().zip(&u.components).enumerate() {
            let x = LABEL + j as f64 * cw;
            let share = match (score, head.max) {
                (Some(s), Some(m)) if m.hundredths() > 0 => Some(percent(*s, m)),
                _ => None,
            };
            let colour = share.map_or(colors::NONE, |p| colors::share(p as f64));
            let text = share.map_or_else(|| "–".to_string(), |p| format!("{p}%"));
            let tip = score.map_or_else(|| "–".to_string(), number);
            let _ = write!(
                s,
                r#"<rect class="cell" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{} — {}: {}</title></rect>"#,
                x + 1.0,
                y + 1.0,
                cw - 2.0,
                ROW - 2.0,
                colour.hex(),
                esc(&u.name),
                esc(&head.name),
                tip
            );
            let _ = write!(s, r#"<text x="{:.1}" y="{:.1}" font-size="11.5" text-anchor="middle" fill="{}">{text}</text>"#, x + cw / 2.0, y + 16.0, colour.ink().hex());
        }
    }
    s.push_str("</svg>");
    s
}

/// `score / max` in whole percent, half-up, in integers.
pub fn percent(score: Points, max: Points) -> i64 {
    (score.hundredths() * 200 + max.hundredths()) / (max.hundredths() * 2)
}

/// Bars left (lost points) or right (gained) of a zero line: each unit's
/// change of total since last year, by this year's rank. `None` when no unit
/// has last year's score.
pub fn movement(review: &Review) -> Option<String> {
    if !review.has_previous() {
        return None;
    }
    const TOP: f64 = 22.0;
    const ROW: f64 = 24.0;
    let mid = LABEL + (W - LABEL) / 2.0;
    let half = (W - LABEL) / 2.0 - 50.0;
    let most = review.units.iter().filter_map(|u| u.score_change).map(|c| c.hundredths().abs()).max().unwrap_or(0).max(1) as f64;
    let height = TOP + review.units.len() as f64 * ROW + 4.0;
    let mut s = String::new();
    open(&mut s, "chart-perubahan", height, &prov::chart_movement(review.year - 1));
    let _ = write!(s, r##"<line x1="{mid:.1}" y1="{:.1}" x2="{mid:.1}" y2="{height:.1}" stroke="#8c959f"/>"##, TOP - 4.0);
    let _ = write!(s, r##"<text x="{:.1}" y="12" font-size="11" text-anchor="end" fill="#b42318">◀ turun</text>"##, mid - 6.0);
    let _ = write!(s, r##"<text x="{:.1}" y="12" font-size="11" fill="#1a7f45">naik ▶</text>"##, mid + 6.0);
    for (i, u) in review.units.iter().enumerate() {
        let y = TOP + i as f64 * ROW;
        let _ = write!(s, r#"<text x="0" y="{:.1}" font-size="12">{}</text>"#, y + 15.5, esc(&short_name(&u.name)));
        let Some(change) = u.score_change else {
            let _ = write!(s, r##"<text x="{:.1}" y="{:.1}" font-size="11" fill="#57606a">baru</text>"##, mid + 4.0, y + 15.5);
            continue;
        };
        let len = change.hundredths().abs() as f64 / most * half;
        let up = change.hundredths() >= 0;
        let (x, fill) = if up { (mid, "#1a7f45") } else { (mid - len, "#d73027") };
        let rank = u.rank_change.map_or(String::new(), |r| prov::rank_change(&signed(r)));
        let _ = write!(
            s,
            r#"<rect class="bar" x="{x:.1}" y="{:.1}" width="{len:.1}" height="14" fill="{fill}"><title>{}: {}{}</title></rect>"#,
            y + 5.0,
            esc(&u.name),
            format::change(change),
            esc(&rank)
        );
        let (tx, anchor) = if up { (mid + len + 4.0, "start") } else { (mid - len - 4.0, "end") };
        let _ = write!(s, r#"<text x="{tx:.1}" y="{:.1}" font-size="11" text-anchor="{anchor}">{}</text>"#, y + 16.0, format::change(change));
    }
    s.push_str("</svg>");
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_shorten_for_charts() {
        assert_eq!(short_name("KPU Kabupaten Timor Tengah Selatan"), "Kab. Timor Tengah Selatan");
        assert_eq!(short_name("KPU Kota Kupang"), "Kota Kupang");
        assert_eq!(short_name("KPU Provinsi Nusa Tenggara Timur"), "Prov. Nusa Tenggara Timur");
        assert_eq!(short_name("Lain"), "Lain");
    }

    #[test]
    fn shares_round_half_up() {
        assert_eq!(percent(Points::from_hundredths(2700), Points::from_hundredths(3000)), 90);
        assert_eq!(percent(Points::from_hundredths(2497), Points::from_hundredths(3000)), 83);
        assert_eq!(percent(Points::from_hundredths(1), Points::from_hundredths(200)), 1);
    }
}
