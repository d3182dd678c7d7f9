//! A unit's result as one self-contained web page
//! (`review/<year>/<province>/units/<code>-<slug>.html`).
//!
//! Like the provincial page it has no outside resource and no timestamp.
//! It is read on a phone (the total and the predikat are the first thing on
//! screen, in cards that wrap at any width) and printed on A4 from the
//! browser (`@page { size: A4 }` in the shared stylesheet), since units
//! file it with their evaluation. All text comes from the catalogue.

use std::fmt::Write;

use crate::messages::review as msg;
use crate::review::format::{change, esc, number, shown};
use crate::review::html::{grade_chip, grade_css_of, table_html, CSS};
use crate::review::unit::UnitResult;
use crate::review::unit_tables::UnitTables;

const UNIT_CSS: &str = ".card.main b{font-size:1.9rem}.card .g{font-size:1.2rem}nav.back{margin:10px 0 0}nav.back a{color:var(--accent);font-size:.9rem}p.next{margin:8px 0;padding:10px 12px;border-left:4px solid var(--accent);background:var(--soft);font-weight:600}tr.part td{font-weight:700;background:var(--soft)}";

/// The page of `result`, showing `tables` (the same as its workbook's);
/// `province_name` as the registry spells it, and `back` the provincial
/// review's page relative to this one.
pub fn render(result: &UnitResult, tables: &UnitTables, province_name: &str, back: &str) -> String {
    let r = result;
    let mut s = String::with_capacity(32 * 1024);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} {} — {}</title>\n<style>{CSS}{UNIT_CSS}{}</style>\n</head>\n<body>\n",
        esc(msg::UNIT_EYEBROW),
        r.year,
        esc(&r.name),
        grade_css_of(&r.scale)
    );
    let _ = write!(
        s,
        "<header class=\"top\"><div class=\"wrap\"><p class=\"eyebrow\">{} · {}</p><h1>{}</h1><p class=\"meta\">{} · {} · {}</p></div></header>\n<main>\n",
        esc(msg::UNIT_EYEBROW),
        r.year,
        esc(&r.name),
        esc(&r.code),
        esc(&msg::province::place(province_name)),
        esc(&r.rubric)
    );
    let _ = writeln!(s, "<nav class=\"back\"><a href=\"{}\">{}</a></nav>", esc(back), esc(msg::BACK));

    // The cards: total and predikat first, so a phone shows them at once.
    s.push_str("<section class=\"cards\" id=\"ringkasan\">");
    let _ = write!(s, "<div class=\"card main\" id=\"nilai\"><b>{}</b><span>{}</span></div>", number(r.score), esc(msg::CARD_SCORE));
    let _ = write!(s, "<div class=\"card main\" id=\"predikat\"><b>{}</b><span>{}</span></div>", grade_chip(&r.scale, &r.predikat), esc(msg::CARD_PREDIKAT));
    if let Some(st) = &r.standing {
        let _ = write!(s, "<div class=\"card\" id=\"kartu-peringkat\"><b>{}</b><span>{}</span></div>", esc(&msg::rank_of(st.rank, st.of)), esc(msg::CARD_RANK));
    }
    if let Some(m) = r.mandiri_score {
        let _ = write!(s, "<div class=\"card\"><b>{}</b><span>{}</span></div>", number(m), esc(msg::CARD_MANDIRI));
    }
    s.push_str("</section>\n");
    let prev = r.standing.as_ref().and_then(|st| Some((st.prev_score?, st)));
    match prev {
        Some((score, st)) => {
            let predikat = st.prev_predikat.clone().unwrap_or_default();
            let _ = write!(s, "<p class=\"note\" id=\"tahun-lalu\">{}", esc(&msg::last_year(r.year - 1, &number(score), &predikat, st.prev_rank)));
            if let Some(c) = st.score_change {
                let _ = write!(s, " {}", esc(&msg::change_since(&change(c))));
            }
            s.push_str("</p>\n");
        }
        None => {
            let _ = writeln!(s, "<p class=\"note\" id=\"tahun-lalu\">{}</p>", esc(&msg::no_last_year(r.year - 1)));
        }
    }

    heading(&mut s, "bagian-komponen", msg::COMPONENTS);
    let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(msg::COMPONENTS_NOTE));
    let mut html = String::new();
    table_html(&mut html, &r.scale, &tables.components, "komponen", "");
    // Component rows stand out from their sub-components.
    for c in &r.components {
        html = html.replacen(&format!("<tr><td>{}</td>", esc(&c.code)), &format!("<tr class=\"part\"><td>{}</td>", esc(&c.code)), 1);
    }
    s.push_str(&html);

    heading(&mut s, "bagian-poin", msg::TO_GAIN);
    let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(msg::TO_GAIN_NOTE));
    let _ = writeln!(s, "<p class=\"next\" id=\"predikat-berikutnya\">{}</p>", esc(&tables.next));
    let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(&msg::open_total(&number(shown(r.open_total())))));
    table_html(&mut s, &r.scale, &tables.to_gain, "poin-terbuka", msg::TO_GAIN_NONE);

    heading(&mut s, "bagian-mandiri", msg::OVER_RATED);
    let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(msg::OVER_RATED_NOTE));
    table_html(&mut s, &r.scale, &tables.over_rated, "mandiri-lebih-tinggi", msg::OVER_RATED_NONE);

    heading(&mut s, "bagian-kosong", msg::MISSING);
    let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(msg::MISSING_NOTE));
    table_html(&mut s, &r.scale, &tables.missing, "kriteria-kosong", msg::MISSING_NONE);

    heading(&mut s, "bagian-catatan", msg::NOTES);
    table_html(&mut s, &r.scale, &tables.notes, "catatan-evaluator", msg::NOTES_NONE);

    let _ = write!(s, "</main>\n<footer>{}</footer>\n</body>\n</html>\n", esc(msg::UNIT_FOOTER));
    s
}

fn heading(s: &mut String, id: &str, title: &str) {
    let _ = writeln!(s, "<h2 id=\"{id}\">{}</h2>", esc(title));
}
