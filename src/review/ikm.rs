//! The IKM and IKU section of the provincial review: a page beside the SAKIP
//! review (`ikm-iku.html` in the same folder) with each evaluation's
//! ranking, the distribution over mutu or grade, each unit's lowest elements
//! (the improvement priorities) or weakest indicators, the units surveyed
//! but not scored, and how many rows were refused.
//!
//! It is written from the consolidation the run just made, for the latest
//! year either evaluation has, and depends on nothing else, so the page is
//! the same bytes whenever the inputs are.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::exact::{Exact, Points};
use crate::ikm::shared::{standings, Standing, UnitKey};
use crate::ikm::{self, IkmPlan};
use crate::iku::{self, IkuPlan};
use crate::messages::ikm::review as t;
use crate::review::format::esc;

/// The page's file name in each review folder.
pub const HTML: &str = "ikm-iku.html";

const CSS: &str = "body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;padding:.25em .6em;text-align:left}td.n{text-align:right}";

/// Writes the page for each province of the latest year, returning the
/// files written.
pub fn write(warehouse: &Path, registry: &crate::registry::Registry, ikm: Option<(&IkmPlan, &ikm::Consolidated)>, iku: Option<(&IkuPlan, &iku::Consolidated)>) -> Result<Vec<PathBuf>> {
    let mut years = BTreeSet::new();
    let mut provinces = BTreeSet::new();
    if let Some((_, c)) = ikm {
        for u in &c.units {
            years.insert(u.key.year);
        }
    }
    if let Some((_, c)) = iku {
        for a in &c.rows {
            years.insert(a.key.year);
        }
    }
    let Some(&year) = years.last() else { return Ok(Vec::new()) };
    if let Some((_, c)) = ikm {
        provinces.extend(c.units.iter().filter(|u| u.key.year == year).map(|u| u.key.province_code.clone()));
    }
    if let Some((_, c)) = iku {
        provinces.extend(c.rows.iter().filter(|a| a.key.year == year).map(|a| a.key.province_code.clone()));
    }
    // Results and standings of every unit, once for all provinces.
    let ikm_ready = ikm.map(|(plan, c)| {
        let results: Vec<_> = c.units.iter().map(|u| ikm::result(u, plan)).collect();
        let graded: Vec<_> = c.units.iter().zip(&results).map(|(u, r)| (&u.key, r.as_ref().map(|(p, g, _)| (*p, g.clone())))).collect();
        let stand = standings(&graded);
        (plan, c, results, stand)
    });
    let iku_ready = iku.map(|(plan, c)| {
        let means = iku::unit_means(&c.rows);
        let results: Vec<(Points, String)> = means.iter().map(|(_, _, m)| iku::graded(&plan.rule, m)).collect();
        let graded: Vec<_> = means.iter().zip(&results).map(|((k, _, _), r)| (k, Some(r.clone()))).collect();
        let stand = standings(&graded);
        (plan, c, means, results, stand)
    });
    let mut written = Vec::new();
    for province in provinces {
        let name = registry.province_name(&province).unwrap_or(&province).to_string();
        let mut html = format!("<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n", esc(&t::title(&name, year)), esc(&t::title(&name, year)));
        if let Some((plan, c, results, stand)) = &ikm_ready {
            ikm_section(&mut html, plan, c, results, stand, year, &province);
        }
        if let Some((plan, c, means, results, stand)) = &iku_ready {
            iku_section(&mut html, plan, c, (means, results, stand), year, &province);
        }
        html.push_str("</body>\n</html>\n");
        let path = warehouse.join("review").join(year.to_string()).join(&province).join(HTML);
        let io = |source| Error::Io { path: path.clone(), source };
        std::fs::create_dir_all(path.parent().unwrap_or(warehouse)).map_err(io)?;
        // The folder may hold files linked from last night's snapshot:
        // never write through such a link.
        let _ = std::fs::remove_file(&path);
        std::fs::write(&path, html).map_err(io)?;
        written.push(path);
    }
    Ok(written)
}

fn table(html: &mut String, header: &[&str], rows: &[Vec<String>], numeric: &[usize]) {
    html.push_str("<table>\n<tr>");
    for h in header {
        let _ = write!(html, "<th>{}</th>", esc(h));
    }
    html.push_str("</tr>\n");
    for row in rows {
        html.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if numeric.contains(&i) { " class=\"n\"" } else { "" };
            let _ = write!(html, "<td{class}>{}</td>", esc(cell));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</table>\n");
}

fn shown(p: Option<Points>) -> String {
    p.map_or(String::new(), |p| p.to_string())
}

type IkmResult = Option<(Points, String, String)>;

fn ikm_section(html: &mut String, plan: &IkmPlan, c: &ikm::Consolidated, results: &[IkmResult], stand: &[Standing], year: i32, province: &str) {
    let _ = write!(html, "<h2>{}</h2>\n<p>{}</p>\n", esc(t::IKM), esc(&t::method(&plan.rule.name)));
    let mut ranked: Vec<(i32, Vec<String>)> = Vec::new();
    let mut not_scored = Vec::new();
    let mut bands: BTreeMap<String, usize> = BTreeMap::new();
    let mut priorities = Vec::new();
    for (i, u) in c.units.iter().enumerate() {
        if u.key.year != year || u.key.province_code != province {
            continue;
        }
        let Some((p, mutu, kinerja)) = &results[i] else {
            not_scored.push(vec![u.key.unit_name.clone(), u.respondents.to_string()]);
            continue;
        };
        *bands.entry(mutu.clone()).or_default() += 1;
        let s = &stand[i];
        let rank = s.rank_province.unwrap_or(0);
        ranked.push((rank, vec![rank.to_string(), u.key.unit_name.clone(), u.respondents.to_string(), p.to_string(), mutu.clone(), kinerja.clone(), shown(s.prev_score)]));
        // The three lowest NRR, lowest first; ties in the rule's order.
        let mut nrr: Vec<(Exact, usize)> = u.sums.iter().enumerate().map(|(e, s)| (Exact::new(*s, u.respondents as i128), e)).collect();
        nrr.sort();
        let low: Vec<String> = nrr.iter().take(3).map(|(v, e)| format!("{} ({})", plan.rule.elements[*e].name, crate::exact::format_exact(v, 4).trim_start_matches('≈'))).collect();
        priorities.push(vec![u.key.unit_name.clone(), low.join("; ")]);
    }
    ranked.sort_by(|a, b| (a.0, &a.1[1]).cmp(&(b.0, &b.1[1])));
    let _ = write!(html, "<h3>{}</h3>\n", esc(t::RANKING));
    table(html, &[t::RANK, t::UNIT, t::RESPONDENTS, "IKM", t::MUTU, t::KINERJA, t::LAST_YEAR], &ranked.into_iter().map(|r| r.1).collect::<Vec<_>>(), &[0, 2, 3, 6]);
    let _ = write!(html, "<h3>{}</h3>\n", esc(t::DISTRIBUTION));
    let dist: Vec<Vec<String>> = plan.rule.bands.iter().map(|b| vec![format!("{} ({}–{})", b.mutu, b.min, b.max), bands.get(&b.mutu).copied().unwrap_or(0).to_string()]).collect();
    table(html, &[t::MUTU, t::UNITS], &dist, &[1]);
    let _ = write!(html, "<h3>{}</h3>\n", esc(t::LOWEST_ELEMENTS));
    table(html, &[t::UNIT, t::ELEMENTS], &priorities, &[]);
    if !not_scored.is_empty() {
        let _ = write!(html, "<h3>{}</h3>\n", esc(t::NOT_SCORED));
        table(html, &[t::UNIT, t::RESPONDENTS], &not_scored, &[1]);
    }
    let refused = c.rejects.iter().filter(|r| r.year == Some(year)).count();
    let _ = write!(html, "<p>{}</p>\n", esc(&t::refused(refused)));
}

type IkuTables<'a> = (&'a [(UnitKey, usize, Exact)], &'a [(Points, String)], &'a [Standing]);

fn iku_section(html: &mut String, plan: &IkuPlan, c: &iku::Consolidated, (means, results, stand): IkuTables<'_>, year: i32, province: &str) {
    let _ = write!(html, "<h2>{}</h2>\n<p>{}</p>\n", esc(t::IKU), esc(&t::method(&plan.rule.name)));
    let mut ranked = Vec::new();
    let mut grades: BTreeMap<String, usize> = BTreeMap::new();
    let mut weakest = Vec::new();
    for (i, (key, n, _)) in means.iter().enumerate() {
        if key.year != year || key.province_code != province {
            continue;
        }
        let (p, grade) = &results[i];
        *grades.entry(grade.clone()).or_default() += 1;
        let rank = stand[i].rank_province.unwrap_or(0);
        ranked.push((rank, vec![rank.to_string(), key.unit_name.clone(), n.to_string(), p.to_string(), grade.clone(), shown(stand[i].prev_score)]));
        let mut own: Vec<&iku::Achievement> = c.rows.iter().filter(|a| &a.key == key).collect();
        own.sort_by(|a, b| a.capaian.cmp(&b.capaian).then(a.code.cmp(&b.code)));
        let low: Vec<String> = own.iter().take(2).map(|a| format!("{} {} ({})", a.code, a.name, Points::round_half_up(&a.capaian))).collect();
        weakest.push(vec![key.unit_name.clone(), low.join("; ")]);
    }
    ranked.sort_by(|a, b| (a.0, &a.1[1]).cmp(&(b.0, &b.1[1])));
    let _ = write!(html, "<h3>{}</h3>\n", esc(t::RANKING));
    table(html, &[t::RANK, t::UNIT, t::INDICATORS, t::CAPAIAN, t::GRADE, t::LAST_YEAR], &ranked.into_iter().map(|r| r.1).collect::<Vec<_>>(), &[0, 2, 3, 5]);
    let _ = write!(html, "<h3>{}</h3>\n", esc(t::DISTRIBUTION));
    let dist: Vec<Vec<String>> = plan.rule.grades.iter().map(|(g, _)| vec![g.clone(), grades.get(g).copied().unwrap_or(0).to_string()]).collect();
    table(html, &[t::GRADE, t::UNITS], &dist, &[1]);
    let _ = write!(html, "<h3>{}</h3>\n", esc(t::WEAKEST));
    table(html, &[t::UNIT, t::INDICATOR], &weakest, &[]);
    let refused = c.rejects.iter().filter(|r| r.year == Some(year)).count();
    let _ = write!(html, "<p>{}</p>\n", esc(&t::refused(refused)));
}
