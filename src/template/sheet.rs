//! One unit's template workbook: the `LKE` sheet a person fills and the
//! `Petunjuk` sheet that says how.
//!
//! The `LKE` sheet is what `sakip ingest` reads: a header row naming the
//! unit code, year, criterion code and the per-track answer, notes and
//! evidence columns, and below it one row per criterion in rubric order.
//! Component and sub-component rows sit between them as shaded headings;
//! they fill only the description and weight columns, which ingest does not
//! read, so it passes over them. All words come from
//! [`crate::messages::template`].

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, ProtectionOptions, Workbook,
    Worksheet, XlsxError,
};

use crate::exact::format_exact;
use crate::messages::template as msg;
use crate::registry::Unit;
use crate::rules::answer_scale::{Accepts, AnswerScale};
use crate::rules::pipeline::{Evaluation, Plan};
use crate::Exact;

/// What one template is made of.
pub(super) struct Context<'a> {
    pub(super) plan: &'a Plan,
    pub(super) evaluation: &'a Evaluation,
    pub(super) year: i32,
    pub(super) unit: &'a Unit,
    /// The unit's province, by name.
    pub(super) province: &'a str,
}

/// The columns of the `LKE` sheet, as indices into [`msg::HEADERS`].
const UNIT_CODE: u16 = 0;
const YEAR: u16 = 1;
const CODE: u16 = 2;
const TEXT: u16 = 3;
const WEIGHT: u16 = 4;
const CHOICES: u16 = 5;
const ANSWER_MANDIRI: u16 = 6;
const NOTES_MANDIRI: u16 = 7;
const EVIDENCE: u16 = 8;
const ANSWER_EVALUATOR: u16 = 9;
const NOTES_EVALUATOR: u16 = 10;
/// The cells a person fills, on every criterion row.
const FILLED: [u16; 5] = [ANSWER_MANDIRI, NOTES_MANDIRI, EVIDENCE, ANSWER_EVALUATOR, NOTES_EVALUATOR];
/// Column widths, in characters.
const WIDTHS: [f64; 11] = [11.0, 7.0, 10.0, 60.0, 8.0, 16.0, 12.0, 30.0, 30.0, 12.0, 30.0];
/// The header row (0-based), below the title lines.
const HEADER_ROW: u32 = 5;

/// The formats of the sheet: everything locked unless said otherwise.
struct Formats {
    title: Format,
    label: Format,
    header: Format,
    component: Format,
    subcomponent: Format,
    text: Format,
    fill: Format,
}

impl Formats {
    fn new() -> Formats {
        let border = |f: Format| f.set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xA6A6A6));
        let heading = |rgb: u32| border(Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top).set_background_color(Color::RGB(rgb)));
        Formats {
            title: Format::new().set_bold().set_font_size(13),
            label: Format::new().set_bold(),
            header: heading(0x1F3864).set_font_color(Color::White).set_align(FormatAlign::Center),
            component: heading(0xB4C6E7),
            subcomponent: heading(0xDDE6F4),
            text: border(Format::new().set_text_wrap().set_align(FormatAlign::Top)),
            fill: border(Format::new().set_text_wrap().set_align(FormatAlign::Top).set_unlocked().set_background_color(Color::RGB(0xFFF9E5))),
        }
    }
}

/// A weight as people read it: a decimal comma, at most two places.
fn weight(value: &Exact) -> String {
    format_exact(value, 2).replace('.', ",")
}

/// The answers a scale lists, or `None` for a numeric range.
fn listed(scale: &AnswerScale) -> Option<Vec<&str>> {
    match &scale.accepts {
        Accepts::Listed(answers) => Some(answers.iter().map(|a| a.answer.as_str()).collect()),
        Accepts::Range { .. } => None,
    }
}

/// What the dropdown of a scale's answer cells accepts.
fn validation(scale: &AnswerScale) -> Result<DataValidation, XlsxError> {
    let base = match &scale.accepts {
        Accepts::Listed(answers) => {
            let names: Vec<&str> = answers.iter().map(|a| a.answer.as_str()).collect();
            DataValidation::new().allow_list_strings(&names)?.set_error_message(msg::refused(&scale.name, &names.join(", ")))?
        }
        Accepts::Range { min, max } => {
            let (lo, hi) = (format_exact(min, 6), format_exact(max, 6));
            let to_f64 = |x: &Exact| *x.numer() as f64 / *x.denom() as f64;
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::Between(to_f64(min), to_f64(max)))
                .set_error_message(msg::refused_range(&lo.replace('.', ","), &hi.replace('.', ",")))?
        }
    };
    base.set_error_title(msg::REFUSED_TITLE)
}

/// The template's bytes.
pub(super) fn write(cx: &Context<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // Fixed, so the bytes depend on the inputs only.
    let created = ExcelDateTime::from_ymd(u16::try_from(cx.year).unwrap_or(2000), 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("{} {} — {}", msg::TITLE, cx.year, cx.unit.name))
            .set_author("sakip")
            .set_creation_datetime(&created),
    );
    let formats = Formats::new();
    lke(book.add_worksheet(), cx, &formats)?;
    guide(book.add_worksheet(), cx, &formats)?;
    book.save_to_buffer()
}

/// The `LKE` sheet.
fn lke(sheet: &mut Worksheet, cx: &Context<'_>, f: &Formats) -> Result<(), XlsxError> {
    let rubric = &cx.evaluation.rubric;
    sheet.set_name("LKE")?;
    for (col, width) in WIDTHS.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.write_string_with_format(0, 0, msg::TITLE, &f.title)?;
    sheet.write_string_with_format(1, 0, msg::UNIT, &f.label)?;
    sheet.write_string(1, CODE, format!("{} — {}", cx.unit.code, cx.unit.name))?;
    sheet.write_string_with_format(2, 0, msg::YEAR, &f.label)?;
    sheet.write_number(2, CODE, cx.year)?;
    sheet.write_string_with_format(3, 0, msg::RUBRIC, &f.label)?;
    sheet.write_string(3, CODE, &rubric.name)?;
    for (col, header) in msg::HEADERS.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, col as u16, *header, &f.header)?;
    }
    let mut row = HEADER_ROW;
    // Runs of criterion rows sharing a scale get one dropdown each: (scale,
    // first row, last row).
    let mut runs: Vec<(usize, u32, u32)> = Vec::new();
    for component in &rubric.components {
        row += 1;
        heading(sheet, row, &format!("{} {}", component.code, component.name), &weight(&component.weight), &f.component)?;
        for sub in &rubric.subcomponents[component.subcomponents.clone()] {
            row += 1;
            heading(sheet, row, &format!("{} {}", sub.code, sub.name), &weight(&sub.weight), &f.subcomponent)?;
            for criterion in &rubric.criteria[sub.criteria.clone()] {
                row += 1;
                let scale = &rubric.scales[criterion.scale];
                sheet.write_string_with_format(row, UNIT_CODE, &cx.unit.code, &f.text)?;
                sheet.write_number_with_format(row, YEAR, cx.year, &f.text)?;
                sheet.write_string_with_format(row, CODE, &criterion.code, &f.text)?;
                sheet.write_string_with_format(row, TEXT, &criterion.name, &f.text)?;
                sheet.write_string_with_format(row, WEIGHT, weight(&criterion.points), &f.text)?;
                let choices = listed(scale).map_or_else(|| scale.name.clone(), |a| a.join(" / "));
                sheet.write_string_with_format(row, CHOICES, choices, &f.text)?;
                for col in FILLED {
                    sheet.write_blank(row, col, &f.fill)?;
                }
                match runs.last_mut() {
                    Some((s, _, last)) if *s == criterion.scale && *last + 1 == row => *last = row,
                    _ => runs.push((criterion.scale, row, row)),
                }
            }
        }
    }
    for (scale, first, last) in runs {
        let rule = validation(&rubric.scales[scale])?;
        for col in [ANSWER_MANDIRI, ANSWER_EVALUATOR] {
            sheet.add_data_validation(first, col, last, col, &rule)?;
        }
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    sheet.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0).set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    // No password: the lock keeps the layout from being broken by
    // accident, not anyone out. Column widths and row heights stay free.
    let options = ProtectionOptions { format_columns: true, format_rows: true, ..ProtectionOptions::default() };
    sheet.protect_with_options(&options);
    Ok(())
}

/// A component or sub-component row: its code and name, its weight, shaded
/// across the table.
fn heading(sheet: &mut Worksheet, row: u32, text: &str, weight: &str, format: &Format) -> Result<(), XlsxError> {
    for col in 0..msg::HEADERS.len() as u16 {
        sheet.write_blank(row, col, format)?;
    }
    sheet.write_string_with_format(row, TEXT, text, format)?;
    sheet.write_string_with_format(row, WEIGHT, weight, format)?;
    Ok(())
}

/// The `Petunjuk` sheet: the steps, the deadline and address, and what
/// each answer of each scale the rubric uses means.
fn guide(sheet: &mut Worksheet, cx: &Context<'_>, f: &Formats) -> Result<(), XlsxError> {
    let rubric = &cx.evaluation.rubric;
    sheet.set_name(msg::GUIDE_SHEET)?;
    sheet.set_column_width(0, 12)?;
    sheet.set_column_width(1, 12)?;
    sheet.set_column_width(2, 90)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    sheet.write_string_with_format(0, 0, msg::GUIDE_TITLE, &f.title)?;
    sheet.write_string(1, 0, format!("{}: {} — {}", msg::UNIT, cx.unit.code, cx.unit.name))?;
    sheet.write_string(2, 0, format!("{}: {}", msg::YEAR, cx.year))?;
    sheet.write_string(3, 0, format!("{}: {}", msg::RUBRIC, rubric.name))?;
    let mut row = 5;
    for (i, step) in msg::STEPS.iter().enumerate() {
        sheet.write_number(row, 0, (i + 1) as f64)?;
        sheet.merge_range(row, 1, row, 2, step, &wrap)?;
        sheet.set_row_height(row, 32)?;
        row += 1;
    }
    row += 1;
    let settings = &cx.plan.template;
    let deadline = settings.deadline_date().map_or_else(|| msg::NO_DEADLINE.to_string(), |(y, m, d)| msg::deadline(d, m, y));
    sheet.write_string_with_format(row, 0, deadline, &f.label)?;
    row += 1;
    let send = match &settings.send_to {
        Some(to) => msg::send_to(to),
        None => msg::send_to_province(&msg::province_office(cx.province)),
    };
    sheet.write_string_with_format(row, 0, send, &f.label)?;
    row += 2;
    sheet.write_string_with_format(row, 0, msg::SCALES_TITLE, &f.title)?;
    row += 1;
    // Each scale the rubric uses, in the order criteria first use it.
    let mut used: Vec<usize> = Vec::new();
    for c in &rubric.criteria {
        if !used.contains(&c.scale) {
            used.push(c.scale);
        }
    }
    for scale_index in used {
        let scale = &rubric.scales[scale_index];
        let count = rubric.criteria.iter().filter(|c| c.scale == scale_index).count();
        row += 1;
        sheet.write_string_with_format(row, 0, msg::scale_heading(&scale.name, count), &f.label)?;
        if let Some(description) = &scale.description {
            row += 1;
            sheet.write_string(row, 0, description)?;
        }
        row += 1;
        for (col, header) in msg::SCALE_HEADERS.iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, *header, &f.header)?;
        }
        match &scale.accepts {
            Accepts::Listed(answers) => {
                for answer in answers {
                    row += 1;
                    let meaning = match (&answer.label, answer.aliases.is_empty()) {
                        (Some(label), _) => label.clone(),
                        (None, false) => msg::also_written(&answer.aliases.join(", ")),
                        (None, true) => String::new(),
                    };
                    sheet.write_string_with_format(row, 0, &answer.answer, &f.text)?;
                    sheet.write_string_with_format(row, 1, format_exact(&answer.value, 6).replace('.', ","), &f.text)?;
                    sheet.write_string_with_format(row, 2, meaning, &f.text)?;
                }
            }
            Accepts::Range { min, max } => {
                row += 1;
                let (lo, hi) = (format_exact(min, 6).replace('.', ","), format_exact(max, 6).replace('.', ","));
                sheet.write_string_with_format(row, 0, format!("{lo}–{hi}"), &f.text)?;
                sheet.write_string_with_format(row, 2, msg::range_row(&lo, &hi), &f.text)?;
            }
        }
        row += 1;
    }
    Ok(())
}
