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
use crate::review::colors;
use crate::review::data::Review;
use crate::review::table::{self, Cell, Table};
use crate::rules::predikat::PredikatScale;

/// Escapes text for HTML content and attribute values.
pub fn esc(text: &str) -> String {
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
    p.to_string().replace('.', ",").replace('-', "−")
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

pub(crate) const CSS: &str = r#"
:root{--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--soft:#f6f8fa;--accent:#8b1a1a}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;font-size:15px;line-height:1.45;color:var(--ink);background:#fff}
header.top{background:var(--accent);color:#fff;padding:18px 14px 16px}
header.top .wrap,main{max-width:1100px;margin:0 auto}
.eyebrow{margin:0;font-size:.85rem;letter-spacing:.04em;text-transform:uppercase;opacity:.9}
h1{margin:4px 0 6px;font-size:1.45rem;line-height:1.25}
.meta{margin:0;font-size:.85rem;opacity:.9}
main{padding:0 12px 32px}
h2{font-size:1.15rem;margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--line)}
p.note{margin:4px 0 10px;color:var(--muted);font-size:.9rem}
p.empty{margin:6px 0;padding:10px 12px;background:var(--soft);border-radius:6px;color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:8px;margin:14px 0 4px}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 10px;background:var(--soft)}
.card b{display:block;font-size:1.35rem;line-height:1.2}
.card span{font-size:.8rem;color:var(--muted)}
nav.toc{display:flex;flex-wrap:wrap;gap:6px;margin:12px 0 0}
nav.toc a{font-size:.85rem;color:var(--accent);text-decoration:none;border:1px solid var(--line);border-radius:999px;padding:3px 10px}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);border-radius:6px;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;white-space:nowrap}
th{background:var(--soft);font-weight:600;white-space:normal;min-width:5em;vertical-align:bottom}
tbody tr:last-child td{border-bottom:0}
.num{text-align:right;font-variant-numeric:tabular-nums}
td.long{white-space:normal;min-width:14em}
#penolakan td{white-space:normal;overflow-wrap:anywhere;min-width:0}
#penolakan td:nth-child(3){min-width:10em}
#penolakan td:nth-child(4){font-size:.8rem;color:var(--muted)}
.g{display:inline-block;min-width:2.6em;padding:0 6px;border-radius:4px;text-align:center;font-weight:700}
.up{color:#1a7f45}.down{color:#b42318}
.legend{display:flex;flex-wrap:wrap;gap:6px 12px;margin:6px 0 10px;font-size:.85rem;color:var(--muted)}
figure.chart{margin:8px 0;max-width:620px}
figure.chart svg{display:block;width:100%;height:auto;font-family:inherit}
ul.keys{margin:6px 0;padding-left:1.2em;font-size:.9rem}
footer{max-width:1100px;margin:0 auto;padding:16px 12px 28px;color:var(--muted);font-size:.8rem}
@media (max-width:600px){body{font-size:14px}th,td{padding:5px 6px}td{white-space:normal}td.t{min-width:10.5em}h1{font-size:1.3rem}
.scroll:has(#peringkat){overflow-x:visible;border:0}
#peringkat thead{display:none}
#peringkat,#peringkat tbody{display:block}
#peringkat tr{display:flex;flex-wrap:wrap;align-items:baseline;gap:2px 10px;padding:8px 4px;border-bottom:1px solid var(--line)}
#peringkat td{display:block;border:0;padding:0;min-width:0;white-space:normal}
#peringkat td:nth-child(3){flex:1 1 9em;font-weight:600}
#peringkat td:nth-child(n+6){font-size:.8rem;color:var(--muted)}
#peringkat td:nth-child(n+6)::before{content:attr(data-label) ": "}
#peringkat td:nth-child(n+6):empty{display:none}}
@page{size:A4;margin:14mm 12mm}
@media print{body{font-size:10pt}header.top{background:none;color:#000;border-bottom:2px solid #000;padding:0 0 6px}.scroll{overflow:visible;border:0}th,td{white-space:normal}tr,.card{break-inside:avoid}h2{break-after:avoid}nav{display:none}.g{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
a.unit{color:inherit;text-decoration:underline;text-decoration-color:var(--line);text-underline-offset:2px}
"#;

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
    table_html(&mut s, &review.scale, &crate::review::unit_tables::losses(&review.losses), "kriteria-kehilangan-poin", msg::LOSSES_NONE);

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

/// One CSS class per grade of `scale`, `.g0` the best.
pub(crate) fn grade_css_of(scale: &PredikatScale) -> String {
    let mut css = String::new();
    for (i, c) in colors::grades(scale.bands.len()).iter().enumerate() {
        let _ = write!(css, ".g{i}{{background:{};color:{}}}", c.hex(), c.ink().hex());
    }
    let _ = writeln!(css, ".gx{{background:{}}}", colors::NONE.hex());
    css
}

/// A predikat as a coloured chip.
pub(crate) fn grade_chip(scale: &PredikatScale, predikat: &str) -> String {
    let class = scale.predikats().position(|p| p == predikat).map_or("gx".to_string(), |i| format!("g{i}"));
    format!("<span class=\"g {class}\">{}</span>", esc(predikat))
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

/// Writes `table` as an HTML table with `id`, or `when_empty` when it has
/// no rows. Each cell carries its column's title (`data-label`), which the
/// narrow layout of the ranking shows beside the figure.
pub(crate) fn table_html(s: &mut String, scale: &PredikatScale, table: &Table, id: &str, when_empty: &str) {
    if table.rows.is_empty() && !when_empty.is_empty() {
        let _ = writeln!(s, "<p class=\"empty\">{}</p>", esc(when_empty));
        return;
    }
    let numeric: Vec<bool> = (0..table.columns.len())
        .map(|c| table.rows.iter().filter_map(|r| r.get(c)).any(|cell| matches!(cell, Cell::Int(_) | Cell::Score(_) | Cell::Change(_) | Cell::Diff(_) | Cell::Step(_))))
        .collect();
    let _ = write!(s, "<div class=\"scroll\"><table id=\"{id}\">\n<thead><tr>");
    for (c, column) in table.columns.iter().enumerate() {
        let class = if numeric[c] { " class=\"num\"" } else { "" };
        let _ = write!(s, "<th{class}>{}</th>", esc(&column.title));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    let labelled = id == "peringkat";
    for row in &table.rows {
        s.push_str("<tr>");
        for (c, cell) in row.iter().enumerate() {
            let td = cell_html(scale, cell);
            match table.columns.get(c).filter(|_| labelled) {
                Some(column) => s.push_str(&td.replacen("<td", &format!("<td data-label=\"{}\"", esc(&column.title)), 1)),
                None => s.push_str(&td),
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table></div>\n");
}

fn cell_html(scale: &PredikatScale, cell: &Cell) -> String {
    match cell {
        Cell::Empty => "<td></td>".to_string(),
        Cell::Link(t, href) => format!("<td class=\"t\"><a class=\"unit\" href=\"{}.html\">{}</a></td>", esc(href), esc(t)),
        Cell::Text(t) if t.chars().count() > 40 => format!("<td class=\"long\">{}</td>", esc(t)),
        // Names: on a phone they wrap, but not below a readable width.
        Cell::Text(t) if t.chars().count() > 12 => format!("<td class=\"t\">{}</td>", esc(t)),
        Cell::Text(t) => format!("<td>{}</td>", esc(t)),
        Cell::Int(n) => format!("<td class=\"num\">{n}</td>"),
        Cell::Score(p) => format!("<td class=\"num\">{}</td>", number(*p)),
        Cell::Change(p) => format!("<td class=\"num {}\">{}</td>", direction(p.hundredths()), change(*p)),
        Cell::Diff(p) => format!("<td class=\"num\">{}</td>", change(*p)),
        Cell::Step(n) => format!("<td class=\"num {}\">{}</td>", direction(*n), signed(*n)),
        Cell::Grade(g) => format!("<td>{}</td>", grade_chip(scale, g)),
    }
}

fn direction(n: i64) -> &'static str {
    match n {
        n if n > 0 => "up",
        n if n < 0 => "down",
        _ => "",
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
