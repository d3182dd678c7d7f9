//! The ZIP container of an XLSX (or an ODS or XLSB, the same kind of
//! archive), inspected before calamine opens it.
//!
//! calamine trusts the container: it unpacks whatever the archive holds and
//! sizes some buffers from numbers written inside the file. A workbook of a
//! few kilobytes can therefore ask for terabytes (a zip bomb, or a shared
//! strings table claiming 10¹¹ strings). This module reads the archive's
//! central directory with the `zip` crate — the very crate and version
//! calamine opens it with, so both see the same entries — sums what the
//! entries say they unpack to, and refuses the file before anything is
//! inflated. The `zip` crate fails a read as soon as an entry grows past its
//! declared size, so the declared sizes checked here do bound what calamine
//! can unpack.
//!
//! The shared strings check works around calamine 0.38's
//! `Xlsx::read_shared_strings`, which calls `Vec::reserve` with the
//! `uniqueCount` of `<sst>` before reading a single string, so a forged count
//! aborts the process on allocation failure (tafia/calamine#684, open when
//! this was written). Once a calamine release bounds that reservation, the
//! shared strings part of this module can go; the size checks stay.

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use zip::{CompressionMethod, ZipArchive};

use crate::rules::limits::Limits;
use super::FileProblem;

/// Entries bigger than this must not compress better than [`MAX_RATIO`]:1.
/// Small entries may: a few hundred bytes of XML can legitimately compress
/// well, and cannot hurt anyway.
const RATIO_FLOOR: u64 = 1 << 20;
/// Real spreadsheet XML compresses about 10–30:1; deflate cannot exceed about
/// 1032:1, which only long runs of one byte reach.
const MAX_RATIO: u64 = 1000;
/// A workbook has a few dozen parts (a few hundred with many images);
/// calamine indexes every entry's name, so a million of them cost memory.
const MAX_ENTRIES: usize = 10_000;
/// The signature every central directory record starts with.
const CENTRAL_SIG: &[u8; 4] = b"PK\x01\x02";
/// How much of the shared strings table is unpacked to find its `<sst>` tag,
/// which real files put in their first hundred bytes.
const SST_SCAN_BYTES: u64 = 64 << 10;
/// The least an `<si/>` element can take: a table claiming more strings than
/// its size allows is forged.
const MIN_SHARED_STRING_BYTES: u64 = 5;

/// The start of every refusal of a file that is not a usable workbook, as the
/// rest of the XLSX reader words it.
const NOT_READABLE: &str = "not a readable XLSX workbook";

/// An archive opened over the file's bytes.
type Archive<'b> = ZipArchive<Cursor<&'b [u8]>>;

/// Refuses `bytes` unless it is a ZIP archive whose entries, as declared,
/// unpack within `limits.max_unzipped_bytes`, none compressing absurdly
/// well, and whose shared strings table declares no more strings than fit in
/// it. Reads the central directory and the head of the shared strings only.
pub(super) fn check(bytes: &[u8], limits: &Limits) -> Result<(), FileProblem> {
    let mut archive = open(bytes)?;
    let entries = (0..archive.len()).map(|i| entry(&archive, i)).collect::<Result<Vec<Entry>, FileProblem>>()?;
    let total: u128 = entries.iter().map(|e| u128::from(e.unpacked)).sum();
    if total > u128::from(limits.max_unzipped_bytes) {
        return Err(FileProblem::TooLarge(format!(
            "the workbook would unpack to {total} bytes, over the pipeline's limit of {} bytes (limits.max_unzipped_bytes); it was not unpacked",
            limits.max_unzipped_bytes
        )));
    }
    for e in &entries {
        if e.unpacked > RATIO_FLOOR && e.unpacked > e.compressed.saturating_mul(MAX_RATIO) {
            return Err(unreadable(format!(
                "its part '{}' would unpack from {} to {} bytes ({}:1), far beyond what any spreadsheet compresses; it was not unpacked (a zip bomb?)",
                e.name,
                e.compressed,
                e.unpacked,
                e.unpacked / e.compressed.max(1)
            )));
        }
        if e.encrypted {
            return Err(unreadable(format!("its part '{}' is encrypted; save the workbook without a password", e.name)));
        }
        if let Some(method) = &e.foreign_method {
            return Err(unreadable(format!(
                "its part '{}' uses ZIP compression method {method}, which Excel never writes (only stored and deflated parts are read)",
                e.name
            )));
        }
    }
    for e in entries.iter().filter(|e| is_shared_strings(&e.name)) {
        check_shared_strings(&mut archive, e)?;
    }
    Ok(())
}

/// One entry of the directory, as far as the checks need it.
struct Entry {
    index: usize,
    name: String,
    compressed: u64,
    unpacked: u64,
    encrypted: bool,
    /// The method's number, unless it is stored or deflated.
    foreign_method: Option<String>,
}

fn entry(archive: &Archive<'_>, index: usize) -> Result<Entry, FileProblem> {
    let e = archive.by_index_data(index).map_err(|e| damaged(&e))?;
    Ok(Entry {
        index,
        name: String::from_utf8_lossy(e.name_raw()).into_owned(),
        compressed: e.compressed_size(),
        unpacked: e.size(),
        encrypted: e.encrypted(),
        foreign_method: foreign_method(e.compression()),
    })
}

/// The archive's directory, read by the `zip` crate once a cheap count has
/// shown it cannot make that crate reserve room for millions of entries: it
/// sizes its table from the count the end record states (bounded only by the
/// directory's size), and a 64 MiB file could state a million.
fn open(bytes: &[u8]) -> Result<Archive<'_>, FileProblem> {
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    // Every entry's directory record starts with this signature, so this
    // count is at least the number of entries.
    let records = bytes.windows(CENTRAL_SIG.len()).filter(|w| w == CENTRAL_SIG).count();
    if records > MAX_ENTRIES {
        return Err(unreadable(format!(
            "its ZIP archive has {records} parts; a workbook has at most a few hundred"
        )));
    }
    ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_a_zip(bytes, &e))
}

/// The number of a compression method other than stored and deflated, the
/// only two Excel and LibreOffice write.
fn foreign_method(method: CompressionMethod) -> Option<String> {
    match method {
        CompressionMethod::Stored | CompressionMethod::Deflated => None,
        // The crate names unknown methods only through a deprecated variant.
        #[allow(deprecated)]
        CompressionMethod::Unsupported(number) => Some(number.to_string()),
        other => Some(other.to_string()),
    }
}

fn unreadable(detail: String) -> FileProblem {
    FileProblem::Unreadable(format!("{NOT_READABLE}: {detail}"))
}

fn damaged(e: &zip::result::ZipError) -> FileProblem {
    unreadable(format!("its ZIP structure is damaged ({e})"))
}

/// calamine finds parts by lowercased name with `/` separators, wherever the
/// workbook's relationships put them; every such table is checked.
fn is_shared_strings(name: &str) -> bool {
    name.replace('\\', "/")
        .to_ascii_lowercase()
        .ends_with("sharedstrings.xml")
}

/// Why a file the `zip` crate cannot open is not a workbook, as specifically
/// as its first bytes allow.
fn not_a_zip(bytes: &[u8], e: &zip::result::ZipError) -> FileProblem {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return unreadable(
            "it is an Excel 97–2003 workbook (.xls) or a password-protected one; save it as an .xlsx workbook without a password".to_string(),
        );
    }
    if bytes.starts_with(b"PK\x03\x04") && !bytes.windows(4).any(|w| w == b"PK\x05\x06") {
        return unreadable(
            "the file is cut short: the ZIP directory that ends every .xlsx is missing; send the file again".to_string(),
        );
    }
    if bytes.starts_with(b"PK") {
        return damaged(e);
    }
    let head = &bytes[..bytes.len().min(4096)];
    let text = head
        .iter()
        .all(|&b| b >= 0x20 || b == b'\t' || b == b'\n' || b == b'\r');
    if text {
        unreadable("it is text (perhaps CSV) with an .xlsx name, not a ZIP archive as every .xlsx is".to_string())
    } else {
        unreadable("it is not a ZIP archive, which every .xlsx is".to_string())
    }
}

/// The unpacked bytes of the part called `name`, if the archive has one.
/// Call after [`check`]: its declared size is then within the limits, and
/// reading stops there whatever the data says.
pub(super) fn part(bytes: &[u8], name: &str) -> Result<Option<Vec<u8>>, FileProblem> {
    let mut archive = open(bytes)?;
    let Some(index) = archive.index_for_name(name) else {
        return Ok(None);
    };
    read_head(&mut archive, index, u64::MAX)
        .map(Some)
        .map_err(|e| unreadable(format!("its part '{name}' cannot be unpacked ({e})")))
}

/// Up to `cap` unpacked bytes of entry `index`, never more than it declares.
fn read_head(archive: &mut Archive<'_>, index: usize, cap: u64) -> Result<Vec<u8>, String> {
    let entry = archive.by_index(index).map_err(|e| e.to_string())?;
    let cap = cap.min(entry.size());
    let mut out = Vec::with_capacity(usize::try_from(cap.min(SST_SCAN_BYTES)).unwrap_or(0));
    match entry.take(cap).read_to_end(&mut out) {
        Ok(_) => Ok(out),
        Err(e) => Err(e.to_string()),
    }
}

/// Refuses a shared strings table whose `uniqueCount` cannot be true: calamine
/// reserves room for that many strings before reading one (see the module
/// docs).
fn check_shared_strings(archive: &mut Archive<'_>, entry: &Entry) -> Result<(), FileProblem> {
    let unpacked = entry.unpacked;
    let head = read_head(archive, entry.index, SST_SCAN_BYTES)
        .map_err(|e| unreadable(format!("its shared strings in '{}' cannot be unpacked ({e})", entry.name)))?;
    match sst_unique_count(&head) {
        SstScan::Found(Some(claimed)) => {
            let room = u128::from(unpacked / MIN_SHARED_STRING_BYTES);
            if claimed > room {
                return Err(unreadable(format!(
                    "its shared strings table claims {claimed} strings but is only {unpacked} bytes long, so it is damaged or forged"
                )));
            }
            Ok(())
        }
        SstScan::Found(None) => Ok(()),
        // The whole part was scanned: calamine will report what is wrong.
        SstScan::NotFound if (head.len() as u64) < unpacked => Err(unreadable(format!(
            "its shared strings table does not begin within its first {SST_SCAN_BYTES} bytes"
        ))),
        SstScan::NotFound => Ok(()),
    }
}

/// What scanning the head of a shared strings part found.
#[derive(Debug, PartialEq, Eq)]
enum SstScan {
    /// The `<sst>` start tag, with its `uniqueCount` if it has a numeric one.
    Found(Option<u128>),
    /// No `<sst>` start tag in the bytes given (or XML too broken to find it).
    NotFound,
}

/// Finds the first element whose local name is `sst`, as calamine's XML
/// reader does (the same quick-xml, skipping declarations, comments and
/// other tags), and reads its `uniqueCount` attribute.
fn sst_unique_count(xml: &[u8]) -> SstScan {
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(tag) | Event::Empty(tag)) if tag.local_name().as_ref() == "sst" => {
                let count = tag
                    .attributes()
                    .with_checks(false)
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "uniqueCount")
                    .and_then(|a| parse_count(a.value.as_bytes()));
                return SstScan::Found(count);
            }
            Ok(Event::Eof) | Err(_) => return SstScan::NotFound,
            Ok(_) => {}
        }
    }
}

/// A count as calamine reads it: ASCII digits, optionally signed with `+`;
/// saturates rather than overflows, as any huge number is refused anyway.
fn parse_count(value: &[u8]) -> Option<u128> {
    let digits = value.strip_prefix(b"+").unwrap_or(value);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0u128, |n, d| n.saturating_mul(10).saturating_add(u128::from(d - b'0'))))
}

/// ZIP archives built by hand for tests: stored (uncompressed) entries with
/// real CRCs, so calamine can read them, and sizes that may lie.
#[cfg(test)]
pub(super) mod testing {
    /// Where an archive's end record starts: its signature.
    const EOCD_SIG: u32 = 0x0605_4b50;
    /// Each entry's record in the central directory.
    const CENTRAL_SIG: u32 = 0x0201_4b50;
    /// Each entry's local header, in front of its data.
    const LOCAL_SIG: u32 = 0x0403_4b50;

    /// CRC-32 as ZIP uses it (IEEE, reflected).
    pub(in super::super) fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    /// An archive of `(name, data)` entries, stored.
    pub(in super::super) fn stored_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let declared: Vec<(&str, &[u8], u32)> = entries.iter().map(|(n, d)| (*n, *d, d.len() as u32)).collect();
        stored_zip_declared(&declared)
    }

    /// An archive of `(name, data, declared uncompressed size)` entries.
    pub(in super::super) fn stored_zip_declared(entries: &[(&str, &[u8], u32)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut dir = Vec::new();
        for (name, data, declared) in entries {
            let local = out.len() as u32;
            let crc = crc32(data).to_le_bytes();
            out.extend_from_slice(&LOCAL_SIG.to_le_bytes());
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&crc);
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&declared.to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            dir.extend_from_slice(&CENTRAL_SIG.to_le_bytes());
            dir.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            dir.extend_from_slice(&crc);
            dir.extend_from_slice(&(data.len() as u32).to_le_bytes());
            dir.extend_from_slice(&declared.to_le_bytes());
            dir.extend_from_slice(&(name.len() as u16).to_le_bytes());
            dir.extend_from_slice(&[0; 12]);
            dir.extend_from_slice(&local.to_le_bytes());
            dir.extend_from_slice(name.as_bytes());
        }
        let dir_start = out.len() as u32;
        out.extend_from_slice(&dir);
        out.extend_from_slice(&EOCD_SIG.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0, 0]);
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(dir.len() as u32).to_le_bytes());
        out.extend_from_slice(&dir_start.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    /// A workbook as rust_xlsxwriter writes it (deflated parts), with
    /// `strings` distinct shared strings.
    fn workbook(strings: usize) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for i in 0..strings {
            let row = u32::try_from(i).unwrap_or(0);
            sheet.write_string(row, 0, format!("kriteria {i} — Terdapat pedoman teknis perencanaan kinerja")).ok();
        }
        book.save_to_buffer().unwrap_or_default()
    }

    #[test]
    fn a_real_workbook_passes_and_its_parts_unpack_in_full() {
        let bytes = workbook(500);
        assert_eq!(check(&bytes, &Limits::default()), Ok(()));
        let Ok(Some(strings)) = part(&bytes, "xl/sharedStrings.xml") else { panic!("no shared strings") };
        assert!(strings.starts_with(b"<?xml"));
        // 500 strings of at least 60 bytes each, so at least 30 000 bytes.
        assert!(strings.len() > 30_000, "{}", strings.len());
        assert_eq!(part(&bytes, "no/such.xml"), Ok(None));
    }

    #[test]
    fn finds_the_unique_count_of_the_sst_element() {
        let xml = br#"<?xml version="1.0"?><!-- <sst uniqueCount="9"> --><x:sst xmlns:x="urn" count='7' uniqueCount="3"><si><t>a</t></si>"#;
        assert_eq!(sst_unique_count(xml), SstScan::Found(Some(3)));
        assert_eq!(sst_unique_count(b"<sst count=\"2\">"), SstScan::Found(None));
        assert_eq!(sst_unique_count(b"<sst uniqueCount=\"99999999999999999999999999999999999999999999\">"), SstScan::Found(Some(u128::MAX)));
        assert_eq!(sst_unique_count(b"<?xml version=\"1.0\"?><other/>"), SstScan::NotFound);
        assert_eq!(sst_unique_count(b"<sst uniqueCount=\"12"), SstScan::NotFound);
    }

    #[test]
    fn the_total_unpacked_size_is_limited() {
        let bytes = workbook(20);
        let limits = Limits { max_unzipped_bytes: 1000, ..Limits::default() };
        let Err(FileProblem::TooLarge(msg)) = check(&bytes, &limits) else { panic!("expected TooLarge") };
        assert!(msg.starts_with("the workbook would unpack to "), "{msg}");
        assert!(msg.ends_with("over the pipeline's limit of 1000 bytes (limits.max_unzipped_bytes); it was not unpacked"), "{msg}");
    }

    #[test]
    fn stored_test_archives_carry_real_checksums() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn absurd_ratios_and_forged_counts_are_refused_unread() {
        // Declares 2 GiB from 3 bytes: over the total limit first.
        let bomb = stored_zip_declared(&[("xl/worksheets/sheet1.xml", b"abc", 2 << 30)]);
        assert!(matches!(check(&bomb, &Limits::default()), Err(FileProblem::TooLarge(m)) if m.contains("limits.max_unzipped_bytes")));
        // Under the total, but 2 MiB from 3 bytes.
        let ratio = stored_zip_declared(&[("xl/worksheets/sheet1.xml", b"abc", 2 << 20)]);
        let Err(FileProblem::Unreadable(msg)) = check(&ratio, &Limits::default()) else { panic!("expected a refusal") };
        assert!(msg.contains("would unpack from 3 to 2097152 bytes"), "{msg}");
        let sst = br#"<?xml version="1.0"?><sst uniqueCount="100000000000"><si><t>a</t></si></sst>"#;
        let forged = stored_zip_declared(&[("xl/sharedStrings.xml", sst, sst.len() as u32)]);
        let Err(FileProblem::Unreadable(msg)) = check(&forged, &Limits::default()) else { panic!("expected a refusal") };
        assert!(msg.contains("claims 100000000000 strings but is only 76 bytes long"), "{msg}");
        let honest = br#"<sst uniqueCount="1"><si><t>a</t></si></sst>"#;
        assert_eq!(check(&stored_zip_declared(&[("XL/SHAREDSTRINGS.XML", honest, honest.len() as u32)]), &Limits::default()), Ok(()));
    }

    #[test]
    fn too_many_directory_records_are_refused_before_the_directory_is_read() {
        let entries: Vec<(String, &[u8])> = (0..=MAX_ENTRIES).map(|i| (format!("p{i}"), &b""[..])).collect();
        let named: Vec<(&str, &[u8])> = entries.iter().map(|(n, d)| (n.as_str(), *d)).collect();
        let Err(FileProblem::Unreadable(msg)) = check(&stored_zip(&named), &Limits::default()) else { panic!("expected a refusal") };
        assert!(msg.ends_with("its ZIP archive has 10001 parts; a workbook has at most a few hundred"), "{msg}");
    }

    #[test]
    fn damaged_archives_are_unreadable() {
        let good = stored_zip(&[("a.xml", b"<a/>")]);
        assert_eq!(check(&good, &Limits::default()), Ok(()));
        for cut in 0..good.len() {
            let got = check(&good[..cut], &Limits::default());
            assert!(matches!(got, Err(FileProblem::Unreadable(_)) | Err(FileProblem::Empty)), "cut at {cut}: {got:?}");
        }
        let Err(FileProblem::Unreadable(msg)) = check(&good[..30], &Limits::default()) else { panic!() };
        assert!(msg.contains("the file is cut short"), "{msg}");
        let Err(FileProblem::Unreadable(msg)) = check(b"kode_kriteria,jawaban\n", &Limits::default()) else { panic!() };
        assert!(msg.contains("it is text (perhaps CSV)"), "{msg}");
        let Err(FileProblem::Unreadable(msg)) = check(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0], &Limits::default()) else { panic!() };
        assert!(msg.contains("Excel 97–2003"), "{msg}");
    }

    #[test]
    fn a_corrupt_shared_strings_stream_is_refused() {
        let mut bytes = workbook(50);
        let mut archive = open(&bytes).unwrap_or_else(|e| panic!("{e}"));
        let index = archive.index_for_name("xl/sharedStrings.xml").unwrap_or_else(|| panic!("no shared strings"));
        let start = archive.by_index_raw(index).ok().and_then(|e| e.data_start()).unwrap_or_else(|| panic!("no data"));
        drop(archive);
        // Deflate block type 3 does not exist.
        bytes[start as usize] = 0xFF;
        let got = check(&bytes, &Limits::default());
        assert!(matches!(&got, Err(FileProblem::Unreadable(m)) if m.contains("its shared strings in 'xl/sharedStrings.xml' cannot be unpacked")), "{got:?}");
    }
}
