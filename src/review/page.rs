//! `review.html`: the review as one self-contained web page.
//!
//! Planners open it on a phone, often offline, and forward it by chat, so the
//! page has no outside resource at all — inline CSS, inline SVG charts (see
//! [`super::charts`]), no script, no web font — and no timestamp, so the same
//! warehouse gives the same bytes. Every value from the data is escaped.
//! Numbers are written the Indonesian way (`78,10`), because people read it.

use std::fmt::Write;

use crate::exact::Points;
use crate::messages::review::{self as msg, province as prov};
use crate::review::charts;
use crate::review::data::Review;
use crate::review::format::{esc, number};
use crate::review::html::{grade_chip, grade_css_of, table_html, CSS};
use crate::review::table;

/// The page of `review`.
pub fn render(review: &Review) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let place = prov::place(&review.province_name);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}{}</style>\n</head>\n<body>\n",
        esc(&prov::title(review.year, &place)),
        grade_css(review)
    );
    let mut meta = vec![esc(&review.pipeline)];
    meta.extend(review.rubric.as_deref().map(|r| esc(&prov::rubric(r))));
    meta.push(esc(&prov::scale(&review.scale.name)));
    let _ = write!(
        s,
        "<header class=\"top\"><div class=\"wrap\"><p class=\"eyebrow\">{}</p><h1>{}</h1><p class=\"meta\">{}</p></div></header>\n<main>\n",
        esc(&prov::eyebrow(review.year)),
        esc(&place),
        meta.join(" · ")
    );
    cards(&mut s, review);
    s.push_str("<nav class=\"toc\">");
    for (anchor, label) in prov::TOC {
        let _ = write!(s, "<a href=\"#{anchor}\">{}</a>", esc(label));
    }
    s.push_str("</nav>\n");

    section(&mut s, "bagian-peringkat", prov::RANKING);
    s.push_str(&legend(review));
    if !review.unit_pages.is_empty() {
        let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(msg::RANKING_LINKS_NOTE));
    }
    table_html(&mut s, &review.scale, &table::ranking(review), "peringkat", prov::RANKING_NONE);

    section(&mut s, "bagian-grafik", prov::CHART);
    let _ = writeln!(s, "<figure class=\"chart\">{}</figure>", charts::ranking(review));

    section(&mut s, "bagian-distribusi", prov::DISTRIBUTION);
    let _ = writeln!(s, "<figure class=\"chart\">{}</figure>", charts::distribution(review));
    table_html(&mut s, &review.scale, &table::distribution(review), "distribusi", "");

    section(&mut s, "bagian-komponen", prov::COMPONENTS);
    let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(prov::COMPONENTS_NOTE));
    let _ = write!(s, "<figure class=\"chart\">{}</figure>\n<ul class=\"keys\">", charts::components(review));
    for c in &review.components {
        let max = c.max.map_or(String::new(), |m| prov::max(&number(m)));
        let _ = write!(s, "<li><b>K{}</b> {}{}</li>", esc(&c.code), esc(&c.name), max);
    }
    s.push_str("</ul>\n");

    section(&mut s, "bagian-perubahan", &prov::movement(review.year - 1));
    match charts::movement(review) {
        Some(svg) => {
            let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(prov::MOVEMENT_NOTE));
            let _ = writeln!(s, "<figure class=\"chart\">{svg}</figure>");
        }
        None => {
            let _ = writeln!(s, "<p class=\"empty\">{}</p>", esc(&msg::no_last_year(review.year - 1)));
        }
    }

    section(&mut s, "bagian-belum", prov::NOT_SUBMITTED);
    let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(prov::NOT_SUBMITTED_NOTE));
    table_html(&mut s, &review.scale, &table::not_submitted(review), "belum-mengirim", prov::NOT_SUBMITTED_NONE);

    section(&mut s, "bagian-kosong", prov::INCOMPLETE);
    let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(prov::INCOMPLETE_NOTE));
    table_html(&mut s, &review.scale, &table::incomplete(review), "kriteria-kosong", prov::INCOMPLETE_NONE);

    section(&mut s, "bagian-selisih", prov::GAPS);
    let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(prov::GAPS_NOTE));
    table_html(&mut s, &review.scale, &table::gaps(review), "selisih-mandiri", prov::GAPS_NONE);

    section(&mut s, "bagian-klinik", msg::LOSSES);
    let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(msg::LOSSES_NOTE));
    table_html(&mut s, &review.scale, &table::losses(&review.losses), "kriteria-kehilangan-poin", msg::LOSSES_NONE);

    section(&mut s, "bagian-penolakan", prov::REJECTS);
    let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(&prov::rejects_note(review.rejects.len())));
    table_html(&mut s, &review.scale, &table::rejects_summary(review), "penolakan", prov::REJECTS_NONE);

    let _ = write!(s, "</main>\n<footer>{}</footer>\n</body>\n</html>\n", esc(prov::FOOTER));
    s
}

fn section(s: &mut String, id: &str, title: &str) {
    let _ = writeln!(s, "<h2 id=\"{id}\">{}</h2>", esc(title));
}

fn cards(s: &mut String, review: &Review) {
    let n = review.units.len() as i64;
    let mean = if n > 0 { Some(Points::from_hundredths((review.units.iter().map(|u| u.score.hundredths()).sum::<i64>() * 2 + n) / (n * 2))) } else { None };
    let items = [
        (n.to_string(), prov::CARD_UNITS),
        (mean.map_or("–".to_string(), number), prov::CARD_MEAN),
        (review.not_submitted.len().to_string(), prov::CARD_NOT_SUBMITTED),
        (review.incomplete.len().to_string(), prov::CARD_INCOMPLETE),
        (review.rejects.len().to_string(), prov::CARD_REJECTS),
    ];
    s.push_str("<section class=\"cards\">");
    for (value, label) in items {
        let _ = write!(s, "<div class=\"card\"><b>{}</b><span>{}</span></div>", esc(&value), esc(label));
    }
    s.push_str("</section>\n");
}

/// One CSS class per grade, `.g0` the best.
fn grade_css(review: &Review) -> String {
    grade_css_of(&review.scale)
}

fn legend(review: &Review) -> String {
    let mut s = String::from("<div class=\"legend\">");
    for band in &review.scale.bands {
        let label = band.label.as_deref().map_or(String::new(), |l| format!(" {}", esc(l)));
        let _ = write!(s, "<span>{}{} ({})</span>", grade_chip(&review.scale, &band.predikat), label, esc(&band.range_text()));
    }
    s.push_str("</div>\n");
    s
}
