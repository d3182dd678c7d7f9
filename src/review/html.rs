//! The HTML pieces the provincial page and the unit pages share: the
//! stylesheet, the predikat chips and their colours, and tables laid out by
//! [`super::table`] written as HTML. One stylesheet for both, so a unit page
//! prints and reads on a phone like the page that links to it.

use std::fmt::Write;

use crate::review::colors;
use crate::review::format::{esc, push_change, push_esc, push_number, signed};
use crate::review::table::{Cell, Table};
use crate::rules::predikat::PredikatScale;

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
    // The ranking's cells carry their column's title for the phone layout.
    let labels: Vec<Option<String>> = table.columns.iter().map(|column| (id == "peringkat").then(|| esc(&column.title))).collect();
    for row in &table.rows {
        s.push_str("<tr>");
        for (c, cell) in row.iter().enumerate() {
            cell_html(s, scale, cell, labels.get(c).and_then(Option::as_deref));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table></div>\n");
}

/// Writes one cell as a `<td>` into `s`, with `data-label="…"` (already
/// escaped) first when the cell has a label.
fn cell_html(s: &mut String, scale: &PredikatScale, cell: &Cell, label: Option<&str>) {
    s.push_str("<td");
    if let Some(label) = label {
        s.push_str(" data-label=\"");
        s.push_str(label);
        s.push('"');
    }
    // Each part appended as it is: a review writes hundreds of thousands of
    // cells, and `write!` of formatted parts cost more than the rest.
    match cell {
        Cell::Empty => s.push_str("></td>"),
        Cell::Link(t, href) => {
            s.push_str(" class=\"t\"><a class=\"unit\" href=\"");
            push_esc(s, href);
            s.push_str(".html\">");
            push_esc(s, t);
            s.push_str("</a></td>");
        }
        Cell::Text(t) => {
            s.push_str(match t.chars().count() {
                n if n > 40 => " class=\"long\">",
                // Names: on a phone they wrap, but not below a readable width.
                n if n > 12 => " class=\"t\">",
                _ => ">",
            });
            push_esc(s, t);
            s.push_str("</td>");
        }
        Cell::Int(n) => {
            let _ = write!(s, " class=\"num\">{n}</td>");
        }
        Cell::Score(p) => {
            s.push_str(" class=\"num\">");
            push_number(s, *p);
            s.push_str("</td>");
        }
        Cell::Change(p) => {
            s.push_str(" class=\"num ");
            s.push_str(direction(p.hundredths()));
            s.push_str("\">");
            push_change(s, *p);
            s.push_str("</td>");
        }
        Cell::Diff(p) => {
            s.push_str(" class=\"num\">");
            push_change(s, *p);
            s.push_str("</td>");
        }
        Cell::Step(n) => {
            let _ = write!(s, " class=\"num {}\">{}</td>", direction(*n), signed(*n));
        }
        Cell::Grade(g) => {
            s.push('>');
            s.push_str(&grade_chip(scale, g));
            s.push_str("</td>");
        }
    }
}

fn direction(n: i64) -> &'static str {
    match n {
        n if n > 0 => "up",
        n if n < 0 => "down",
        _ => "",
    }
}
