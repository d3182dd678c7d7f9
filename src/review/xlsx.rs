//! The review's workbooks as Office Open XML, written directly.
//!
//! The review hands out one kind of workbook only: sheets of a header row
//! and typed cells, five cell styles, a frozen header, a filter, and
//! predikat cells coloured by conditional formatting. A full run writes
//! some six hundred of them, and a general-purpose writer spent half the
//! review's CPU on them (BENCHMARKS.md, "Unit workbooks written
//! directly"), hashing every cell's format and every string. This module
//! writes the few XML parts such a workbook needs from strings built once:
//! the styles are a fixed table, text is stored inline in its cell
//! (`t="inlineStr"`, ECMA-376 Part 1, §18.3.1.53), so there is no
//! shared-string table to hash into, and a cell's style is an index
//! known when it is written.
//!
//! What it writes is checked by reading it back with calamine and,
//! outside the code, with openpyxl and LibreOffice (tests/it/review.rs).

use std::fmt::Write as _;
use std::io::Cursor;
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::{Error, Result};

/// A cell's style: its index in the `cellXfs` of [`STYLES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// No formatting (numbers show as "General").
    General = 0,
    /// A header cell: bold, wrapped, top-aligned, light grey, thin rule below.
    Header = 1,
    /// A score: `0.00`.
    Score = 2,
    /// A signed change of score: `+0.00;-0.00;0.00`.
    Change = 3,
    /// A signed change of rank: `+0;-0;0`.
    Step = 4,
}

/// The styles part up to the differential formats, which depend on the
/// predikat scale. Number format 2 is Excel's built-in `0.00`; 164 and
/// up are the first ids free for a workbook's own formats.
const STYLES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    r#"<numFmts count="2"><numFmt numFmtId="164" formatCode="+0.00;-0.00;0.00"/><numFmt numFmtId="165" formatCode="+0;-0;0"/></numFmts>"#,
    r#"<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#,
    r#"<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFEAEEF2"/><bgColor indexed="64"/></patternFill></fill></fills>"#,
    r#"<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>"#,
    r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
    r#"<cellXfs count="5">"#,
    r#"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
    r#"<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>"#,
    r#"<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#,
);

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// A text value that conditional formatting colours: cells equal to
/// `text` get background `fill` and font colour `ink` (RGB).
#[derive(Debug, Clone)]
pub struct Highlight {
    pub text: String,
    pub fill: u32,
    pub ink: u32,
}

/// One sheet, written row by row, top to bottom.
#[derive(Debug)]
pub struct Sheet {
    name: String,
    /// The `<row>` elements so far.
    rows: String,
    /// The row being written, if one is open.
    open_row: Option<u32>,
    /// Highest row and column that hold a cell (0-based).
    extent: Option<(u32, u16)>,
    widths: Vec<(u16, f64)>,
    filter: Option<(u32, u16)>,
    /// Column and row range of each highlighted column.
    highlighted: Vec<(u16, u32, u32)>,
}

impl Sheet {
    /// A sheet named `name`: 1 to 31 characters, none of `[]:*?/\`, not
    /// starting or ending with an apostrophe (Excel's rules).
    pub fn new(name: &str) -> Result<Sheet> {
        let chars = name.chars().count();
        if chars == 0 || chars > 31 || name.contains(['[', ']', ':', '*', '?', '/', '\\']) || name.starts_with('\'') || name.ends_with('\'') {
            return Err(Error::Usage(format!("{name:?} cannot name a worksheet (1–31 characters, none of []:*?/\\)")));
        }
        Ok(Sheet { name: name.to_string(), rows: String::new(), open_row: None, extent: None, widths: Vec::new(), filter: None, highlighted: Vec::new() })
    }

    /// Starts row `r` (0-based; rows must come in increasing order), with
    /// a fixed height in points if `height` is given.
    pub fn row(&mut self, r: u32, height: Option<f64>) {
        debug_assert!(self.open_row.is_none_or(|open| open < r), "rows out of order");
        self.close_row();
        self.rows.push_str("<row r=\"");
        push_decimal(&mut self.rows, u64::from(r) + 1);
        self.rows.push('"');
        if let Some(h) = height {
            let _ = write!(self.rows, " ht=\"{h}\" customHeight=\"1\"");
        }
        self.rows.push('>');
        self.open_row = Some(r);
    }

    fn close_row(&mut self) {
        if self.open_row.take().is_some() {
            self.rows.push_str("</row>");
        }
    }

    /// Opens cell `c` of the current row: `<c r="B7" s="2"`.
    fn open_cell(&mut self, c: u16, style: Style) {
        let r = self.open_row.expect("a cell is written inside a row");
        self.rows.push_str("<c r=\"");
        push_column(&mut self.rows, c);
        push_decimal(&mut self.rows, u64::from(r) + 1);
        self.rows.push('"');
        if style != Style::General {
            self.rows.push_str(" s=\"");
            push_decimal(&mut self.rows, style as u64);
            self.rows.push('"');
        }
        let (last_r, last_c) = self.extent.unwrap_or((0, 0));
        self.extent = Some((last_r.max(r), last_c.max(c)));
    }

    /// Writes text into column `c` of the current row, as it is (the
    /// caller neutralises formula starts).
    pub fn text(&mut self, c: u16, text: &str, style: Style) {
        self.open_cell(c, style);
        self.rows.push_str(" t=\"inlineStr\"><is><t");
        if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
            self.rows.push_str(" xml:space=\"preserve\"");
        }
        self.rows.push('>');
        push_text(&mut self.rows, text);
        self.rows.push_str("</t></is></c>");
    }

    /// Writes a number into column `c` of the current row. Excel holds
    /// doubles; the shortest decimal that reads back as `value` is written.
    pub fn number(&mut self, c: u16, value: f64, style: Style) {
        self.open_cell(c, style);
        // `-0` would read back as a negative zero; neither infinity nor
        // NaN has a spelling in the file.
        let value = if value == 0.0 || !value.is_finite() { 0.0 } else { value };
        let _ = write!(self.rows, "><v>{value}</v></c>");
    }

    /// Writes points into column `c`: the double nearest `p`, as
    /// [`Sheet::number`] writes it, from the hundredths directly. A double
    /// holds fifteen significant digits through a round trip, so the
    /// shortest decimal that reads back as the double nearest `78.10` is
    /// `78.1`: the hundredths with their trailing zeros dropped.
    pub fn points(&mut self, c: u16, p: crate::exact::Points, style: Style) {
        if p.hundredths().unsigned_abs() >= 1_000_000_000_000_000 {
            return self.number(c, p.to_f64(), style);
        }
        self.open_cell(c, style);
        self.rows.push_str("><v>");
        // `78.10` → `78.1`, `100.00` → `100`: the text always has its point.
        self.rows.push_str(p.text(&mut [0; 24]).trim_end_matches('0').trim_end_matches('.'));
        self.rows.push_str("</v></c>");
    }

    /// Writes a whole number into column `c`, as [`Sheet::number`] writes
    /// it (a double holds every integer below 2⁵³ exactly).
    pub fn integer(&mut self, c: u16, n: i64, style: Style) {
        if n.unsigned_abs() >= 1 << 53 {
            return self.number(c, n as f64, style);
        }
        self.open_cell(c, style);
        self.rows.push_str("><v>");
        if n < 0 {
            self.rows.push('-');
        }
        push_decimal(&mut self.rows, n.unsigned_abs());
        self.rows.push_str("</v></c>");
    }

    /// Sets column `c` to `chars` characters of the default font's widest
    /// digit, as Excel's column dialog does.
    pub fn column_width(&mut self, c: u16, chars: f64) {
        self.widths.push((c, chars));
    }

    /// Puts a filter on the header of rows 0 to `last_row`, columns 0 to
    /// `last_col`.
    pub fn filter(&mut self, last_row: u32, last_col: u16) {
        self.filter = Some((last_row, last_col));
    }

    /// Colours the cells of column `c`, rows `first..=last`, that equal one
    /// of the book's highlights.
    pub fn highlight(&mut self, c: u16, first: u32, last: u32) {
        self.highlighted.push((c, first, last));
    }

    /// The worksheet part; `selected` marks the sheet open when the book opens.
    fn xml(mut self, highlights: &[Highlight], selected: bool) -> String {
        self.close_row();
        let mut x = String::with_capacity(self.rows.len() + 1024);
        let _ = write!(x, "{XML_DECLARATION}<worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\">");
        x.push_str("<dimension ref=\"");
        match self.extent {
            Some((r, c)) => push_range(&mut x, (0, 0), (r, c)),
            None => x.push_str("A1"),
        }
        x.push_str("\"/>");
        // The header row stays in view when the sheet scrolls.
        let tab = if selected { " tabSelected=\"1\"" } else { "" };
        let _ = write!(
            x,
            "<sheetViews><sheetView{tab} workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews>"
        );
        x.push_str("<sheetFormatPr defaultRowHeight=\"15\"/>");
        if !self.widths.is_empty() {
            self.widths.sort_by_key(|(c, _)| *c);
            x.push_str("<cols>");
            for (c, chars) in &self.widths {
                // ECMA-376 Part 1, §18.3.1.13: the stored width is
                // truncate((chars × 7 + 5) / 7 × 256) / 256 for a 7-pixel
                // digit (Calibri 11) and 5 pixels of padding.
                let width = ((chars * 7.0 + 5.0) / 7.0 * 256.0).trunc() / 256.0;
                let _ = write!(x, "<col min=\"{0}\" max=\"{0}\" width=\"{width}\" customWidth=\"1\"/>", c + 1);
            }
            x.push_str("</cols>");
        }
        x.push_str("<sheetData>");
        x.push_str(&self.rows);
        x.push_str("</sheetData>");
        if let Some((r, c)) = self.filter {
            x.push_str("<autoFilter ref=\"");
            push_range(&mut x, (0, 0), (r, c));
            x.push_str("\"/>");
        }
        let mut priority = 1;
        for (c, first, last) in &self.highlighted {
            x.push_str("<conditionalFormatting sqref=\"");
            push_range(&mut x, (*first, *c), (*last, *c));
            x.push_str("\">");
            for (dxf, highlight) in highlights.iter().enumerate() {
                let _ = write!(x, "<cfRule type=\"cellIs\" dxfId=\"{dxf}\" priority=\"{priority}\" operator=\"equal\"><formula>\"");
                // A string constant in a formula doubles its quotes.
                push_text(&mut x, &highlight.text.replace('"', "\"\""));
                x.push_str("\"</formula></cfRule>");
                priority += 1;
            }
            x.push_str("</conditionalFormatting>");
        }
        x.push_str("<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>");
        x
    }
}

/// A workbook's document properties. The creation and modification time
/// is the 1 January of `year`, never "now", so that the same tables give
/// the same bytes.
#[derive(Debug, Clone)]
pub struct Properties<'a> {
    pub title: &'a str,
    pub subject: &'a str,
    pub year: i32,
}

/// Writes `sheets` as one workbook at `path`; cells of highlighted columns
/// equal to a highlight's text take its colours.
pub fn save(properties: &Properties, highlights: &[Highlight], sheets: Vec<Sheet>, path: &Path) -> Result<()> {
    let bytes = package(properties, highlights, sheets).map_err(|e| Error::Io { path: path.to_path_buf(), source: std::io::Error::other(e.to_string()) })?;
    std::fs::write(path, bytes).map_err(|source| Error::Io { path: path.to_path_buf(), source })
}

/// The workbook's bytes: a ZIP archive of its parts.
fn package(properties: &Properties, highlights: &[Highlight], sheets: Vec<Sheet>) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(16 * 1024)));
    let options = part_options();
    let part = |zip: &mut ZipWriter<Cursor<Vec<u8>>>, name: &str, text: &str| shared::part(zip, name, text, options);

    let mut types = format!(
        "{XML_DECLARATION}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    );
    for n in 1..=sheets.len() {
        let _ = write!(types, "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>");
    }
    types.push_str("</Types>");
    part(&mut zip, "[Content_Types].xml", &types)?;

    part(
        &mut zip,
        "_rels/.rels",
        &format!(
            "{XML_DECLARATION}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{REL_NS}/officeDocument\" Target=\"xl/workbook.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"{REL_NS}/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>"
        ),
    )?;

    part(&mut zip, "docProps/app.xml", &format!("{XML_DECLARATION}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>sakip</Application></Properties>"))?;

    let year = properties.year.clamp(1980, 9999);
    let mut core = format!(
        "{XML_DECLARATION}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>"
    );
    push_text(&mut core, properties.title);
    core.push_str("</dc:title><dc:subject>");
    push_text(&mut core, properties.subject);
    let _ = write!(
        core,
        "</dc:subject><dc:creator>sakip</dc:creator><cp:lastModifiedBy>sakip</cp:lastModifiedBy><dcterms:created xsi:type=\"dcterms:W3CDTF\">{year:04}-01-01T00:00:00Z</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{year:04}-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>"
    );
    part(&mut zip, "docProps/core.xml", &core)?;

    let mut book = format!("{XML_DECLARATION}<workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><bookViews><workbookView/></bookViews><sheets>");
    let mut rels = format!("{XML_DECLARATION}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    let mut filters = String::new();
    for (i, sheet) in sheets.iter().enumerate() {
        book.push_str("<sheet name=\"");
        push_text(&mut book, &sheet.name);
        let _ = write!(book, "\" sheetId=\"{0}\" r:id=\"rId{0}\"/>", i + 1);
        let _ = write!(rels, "<Relationship Id=\"rId{0}\" Type=\"{REL_NS}/worksheet\" Target=\"worksheets/sheet{0}.xml\"/>", i + 1);
        // Excel keeps a sheet's filter range in a hidden defined name too.
        if let Some((r, c)) = sheet.filter {
            let _ = write!(filters, "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"{i}\" hidden=\"1\">");
            push_text(&mut filters, &format!("'{}'!", sheet.name.replace('\'', "''")));
            push_absolute_range(&mut filters, (r, c));
            filters.push_str("</definedName>");
        }
    }
    book.push_str("</sheets>");
    if !filters.is_empty() {
        let _ = write!(book, "<definedNames>{filters}</definedNames>");
    }
    book.push_str("</workbook>");
    let _ = write!(rels, "<Relationship Id=\"rId{}\" Type=\"{REL_NS}/styles\" Target=\"styles.xml\"/></Relationships>", sheets.len() + 1);
    part(&mut zip, "xl/workbook.xml", &book)?;
    part(&mut zip, "xl/_rels/workbook.xml.rels", &rels)?;

    let mut styles = String::from(STYLES);
    let _ = write!(styles, "<dxfs count=\"{}\">", highlights.len());
    for h in highlights {
        let _ = write!(styles, "<dxf><font><color rgb=\"FF{:06X}\"/></font><fill><patternFill><bgColor rgb=\"FF{:06X}\"/></patternFill></fill></dxf>", h.ink & 0xff_ffff, h.fill & 0xff_ffff);
    }
    styles.push_str("</dxfs></styleSheet>");
    part(&mut zip, "xl/styles.xml", &styles)?;

    for (i, sheet) in sheets.into_iter().enumerate() {
        part(&mut zip, &format!("xl/worksheets/sheet{}.xml", i + 1), &sheet.xml(highlights, i == 0))?;
    }
    Ok(zip.finish()?.into_inner())
}

/// How every part is stored: deflated at the fastest level (the workbooks
/// are small and many), dated the ZIP format's earliest time (1980-01-01),
/// fixed.
fn part_options() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).compression_level(Some(1)).last_modified_time(DateTime::default())
}

/// Parts that many workbooks hold word for word — the content types, the
/// relationships, the styles, and sheets that come out the same for many
/// units (a list with nothing in it, say): 7 of a unit result's 13 parts on
/// the national history — compressed once and copied into each workbook as
/// compressed bytes. Starting a deflate stream clears some 200 KB of zlib
/// state, more work than compressing a part of a few hundred bytes, and a
/// run starts thousands. A copied part is the same bytes as one compressed
/// in place (same text, same settings: deflate is deterministic), so a
/// workbook does not depend on which thread met a part first.
mod shared {
    use std::collections::{HashMap, HashSet};
    use std::hash::{DefaultHasher, Hash, Hasher};
    use std::io::{Cursor, Write as _};
    use std::sync::{Arc, LazyLock, Mutex};

    use zip::write::SimpleFileOptions;
    use zip::{ZipArchive, ZipWriter};

    /// Parts longer than this are compressed in place: the long sheets are
    /// each unit's own, and starting the stream is a small share of their
    /// cost.
    const LONGEST: usize = 4 << 10;
    /// At most this many parts are kept compressed (a run meets about a
    /// dozen); others are compressed in place.
    const KEPT: usize = 256;

    /// A kept part: its name, its text, and a one-part archive of it
    /// compressed.
    type Kept = (Box<str>, Box<str>, Arc<[u8]>);

    #[derive(Default)]
    struct Parts {
        /// The hash (of name and text) of each short part met.
        met: HashSet<u64>,
        /// Short parts met more than once, by hash.
        kept: HashMap<u64, Kept>,
    }

    static PARTS: LazyLock<Mutex<Parts>> = LazyLock::new(Mutex::default);

    /// What is done with a short part.
    enum Seen {
        /// Kept compressed: copied.
        Kept(Arc<[u8]>),
        /// Met before and not kept yet: compressed once, kept and copied.
        Again,
        /// Met for the first time, or not to be kept: compressed in place.
        InPlace,
    }

    /// Writes the part `name` holding `text` into `zip`, copying it
    /// compressed where a workbook before held the same part.
    pub(super) fn part(zip: &mut ZipWriter<Cursor<Vec<u8>>>, name: &str, text: &str, options: SimpleFileOptions) -> zip::result::ZipResult<()> {
        if text.len() > LONGEST {
            return compress(zip, name, text, options);
        }
        // SipHash with fixed keys: a collision only means a part is
        // compressed in place.
        let mut hasher = DefaultHasher::new();
        (name, text).hash(&mut hasher);
        let hash = hasher.finish();
        let seen = {
            let mut parts = PARTS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let kept = parts.kept.get(&hash).map(|(n, t, bytes)| (**n == *name && **t == *text).then(|| bytes.clone()));
            match kept {
                Some(Some(bytes)) => Seen::Kept(bytes),
                // Another part with the same hash.
                Some(None) => Seen::InPlace,
                // Met for the first time: compressed in place; met again:
                // kept from now on.
                None if !parts.met.insert(hash) && parts.kept.len() < KEPT => Seen::Again,
                None => Seen::InPlace,
            }
        };
        match seen {
            Seen::Kept(bytes) => return copy(zip, &bytes),
            Seen::InPlace => return compress(zip, name, text, options),
            Seen::Again => {}
        }
        let mut one = ZipWriter::new(Cursor::new(Vec::new()));
        compress(&mut one, name, text, options)?;
        let bytes: Arc<[u8]> = one.finish()?.into_inner().into();
        PARTS.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).kept.insert(hash, (name.into(), text.into(), bytes.clone()));
        copy(zip, &bytes)
    }

    /// Copies the part of a one-part archive into `zip`, compressed.
    fn copy(zip: &mut ZipWriter<Cursor<Vec<u8>>>, one: &[u8]) -> zip::result::ZipResult<()> {
        zip.raw_copy_file(ZipArchive::new(Cursor::new(one))?.by_index_raw(0)?)
    }

    pub(super) fn compress(zip: &mut ZipWriter<Cursor<Vec<u8>>>, name: &str, text: &str, options: SimpleFileOptions) -> zip::result::ZipResult<()> {
        zip.start_file(name, options)?;
        zip.write_all(text.as_bytes())?;
        Ok(())
    }
}

/// Appends `n` in decimal (a cell's row and style, hundreds of thousands
/// of times a review: without the formatting machinery).
fn push_decimal(out: &mut String, n: u64) {
    out.push_str(crate::exact::decimal_text(n, &mut [0; 20]));
}

/// Appends column `c`'s letters (0 → A, 25 → Z, 26 → AA).
fn push_column(out: &mut String, c: u16) {
    let mut letters = [0u8; 3];
    let mut n = c as u32 + 1;
    let mut i = letters.len();
    while n > 0 {
        i -= 1;
        letters[i] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    out.push_str(std::str::from_utf8(&letters[i..]).unwrap_or("A"));
}

/// Appends `A1:C7` for the cells from `(row, col)` to `(row, col)`, 0-based.
fn push_range(out: &mut String, (r0, c0): (u32, u16), (r1, c1): (u32, u16)) {
    push_column(out, c0);
    let _ = write!(out, "{}:", r0 + 1);
    push_column(out, c1);
    let _ = write!(out, "{}", r1 + 1);
}

/// Appends `$A$1:$C$7` for the cells from A1 to `(row, col)`.
fn push_absolute_range(out: &mut String, (r, c): (u32, u16)) {
    out.push_str("$A$1:$");
    push_column(out, c);
    let _ = write!(out, "${}", r + 1);
}

/// Appends `text` as XML character data. `&`, `<` and `>` become
/// entities, `"` too (the same text may go into an attribute). Characters
/// XML 1.0 cannot hold (controls other than tab, newline and carriage
/// return) are written as Excel's `_xHHHH_` escape, and a literal `_x`
/// that would read as such an escape has its underscore escaped
/// (`_x005F_`), so every text reads back as it was written.
fn push_text(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    // Most text has nothing to escape: every character escaped below is an
    // ASCII one or U+FFFE/U+FFFF (whose UTF-8 starts with 0xEF), so a text
    // without those bytes goes in whole.
    if !bytes.iter().any(|&b| b < 0x20 || matches!(b, b'&' | b'<' | b'>' | b'"' | b'_' | 0xEF)) {
        out.push_str(text);
        return;
    }
    let mut plain = 0;
    for (i, ch) in text.char_indices() {
        let escaped: Option<std::borrow::Cow<'static, str>> = match ch {
            '&' => Some("&amp;".into()),
            '<' => Some("&lt;".into()),
            '>' => Some("&gt;".into()),
            '"' => Some("&quot;".into()),
            '\t' | '\n' | '\r' => None,
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => Some(format!("_x{:04X}_", c as u32).into()),
            '_' if looks_like_escape(&bytes[i..]) => Some("_x005F_".into()),
            _ => None,
        };
        if let Some(e) = escaped {
            out.push_str(&text[plain..i]);
            out.push_str(&e);
            plain = i + ch.len_utf8();
        }
    }
    out.push_str(&text[plain..]);
}

/// Whether `s` starts with `_xHHHH_` (four hex digits).
fn looks_like_escape(s: &[u8]) -> bool {
    s.len() >= 7 && s[1] == b'x' && s[2..6].iter().all(u8::is_ascii_hexdigit) && s[6] == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(s: &str) -> String {
        let mut out = String::new();
        push_text(&mut out, s);
        out
    }

    #[test]
    fn a_part_copied_compressed_is_the_same_bytes_as_compressed_in_place() {
        // A text no other test writes, so the first write below is the first
        // meeting; after an in-place part, so the copy lands at an offset.
        let text = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>bagian bersama 7f3a</t></is></c></row>".repeat(12);
        let archive = |write: &dyn Fn(&mut ZipWriter<Cursor<Vec<u8>>>) -> zip::result::ZipResult<()>| {
            let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
            shared::compress(&mut zip, "a.xml", "<a/>", part_options()).unwrap();
            write(&mut zip).unwrap();
            zip.finish().unwrap().into_inner()
        };
        let in_place = archive(&|zip| shared::compress(zip, "xl/worksheets/sheet9.xml", &text, part_options()));
        // Met once (compressed in place), met again (compressed once and
        // kept), then copied.
        for _ in 0..3 {
            assert_eq!(archive(&|zip| shared::part(zip, "xl/worksheets/sheet9.xml", &text, part_options())), in_place);
        }
        // The same text under another name is another part.
        let renamed = archive(&|zip| shared::part(zip, "xl/worksheets/sheet8.xml", &text, part_options()));
        let mut read = zip::ZipArchive::new(Cursor::new(renamed)).unwrap();
        assert_eq!(read.by_index(1).unwrap().name().unwrap(), "xl/worksheets/sheet8.xml");
        let mut back = String::new();
        std::io::Read::read_to_string(&mut read.by_index(1).unwrap(), &mut back).unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn columns_are_lettered_like_excel() {
        let name = |c| {
            let mut s = String::new();
            push_column(&mut s, c);
            s
        };
        // A..Z are 0..25; then two letters: 26 = AA, 51 = AZ, 52 = BA,
        // 701 = ZZ (26 + 26 × 26 − 1), 702 = AAA; 16383 = XFD, Excel's last.
        assert_eq!([0, 25, 26, 51, 52, 701, 702, 16383].map(name), ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]);
    }

    #[test]
    fn text_is_escaped_for_xml_and_reads_back_unchanged() {
        assert_eq!(text_of("Kupang"), "Kupang");
        assert_eq!(text_of("a & b <c> \"d\""), "a &amp; b &lt;c&gt; &quot;d&quot;");
        // A control character XML cannot hold, in Excel's escape; tab and
        // newline stay as they are.
        assert_eq!(text_of("a\u{1}b\tc\nd"), "a_x0001_b\tc\nd");
        // The two non-characters XML forbids, and a character that shares
        // their first UTF-8 byte (U+FFFD, EF BF BD) but is allowed.
        assert_eq!(text_of("a\u{fffe}b\u{ffff}c\u{fffd}"), "a_xFFFE_b_xFFFF_c\u{fffd}");
        // A literal escape-shaped text keeps its meaning: its underscore is
        // escaped, so a reader decodes `_x005F_` to `_` and keeps `x0041_`.
        assert_eq!(text_of("_x0041_"), "_x005F_x0041_");
        assert_eq!(text_of("_x004"), "_x004");
        assert_eq!(text_of("snake_case_x"), "snake_case_x");
    }

    #[test]
    fn points_and_integers_are_written_as_their_doubles_are() {
        // Every figure from −2,000.00 to 2,000.00, some far larger ones and
        // the fallbacks' edges, through both writers.
        let cell = |write: &dyn Fn(&mut Sheet)| -> String {
            let mut sheet = Sheet::new("t").unwrap();
            sheet.row(0, None);
            write(&mut sheet);
            sheet.rows
        };
        let big = [123_456_789_012_345, 999_999_999_999_999, 1_000_000_000_000_000, -1_000_000_000_000_001, i64::MAX, i64::MIN];
        for h in (-200_000..=200_000).chain(big) {
            let p = crate::exact::Points::from_hundredths(h);
            assert_eq!(cell(&|s| s.points(0, p, Style::Score)), cell(&|s| s.number(0, p.to_f64(), Style::Score)), "{h} hundredths");
        }
        for n in (-5_000..=5_000).chain([(1 << 53) - 1, 1 << 53, -(1 << 53), i64::MAX, i64::MIN]) {
            assert_eq!(cell(&|s| s.integer(0, n, Style::General)), cell(&|s| s.number(0, n as f64, Style::General)), "{n}");
        }
    }

    #[test]
    fn decimals_are_written_as_display_writes_them() {
        for n in [0, 7, 9, 10, 99, 100, 1_048_576, u64::from(u32::MAX) + 1, u64::MAX] {
            let mut out = String::from("r");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("r{n}"));
        }
    }

    #[test]
    fn sheet_names_follow_excels_rules() {
        assert!(Sheet::new("Poin Bisa Diraih").is_ok());
        assert!(Sheet::new("").is_err());
        assert!(Sheet::new("a/b").is_err());
        assert!(Sheet::new(&"x".repeat(32)).is_err());
        assert!(Sheet::new(&"é".repeat(31)).is_ok());
    }
}
