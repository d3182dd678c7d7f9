//! The ZIP container of an XLSX (or an ODS or XLSB, the same kind of
//! archive), inspected before calamine opens it.
//!
//! calamine trusts the container: it unpacks whatever the archive holds and
//! sizes some buffers from numbers written inside the file. A workbook of a
//! few kilobytes can therefore ask for terabytes (a zip bomb, or a shared
//! strings table claiming 10¹¹ strings, which makes calamine reserve memory
//! for all of them and the process abort). This module reads the archive's
//! central directory — a small, fixed structure at the end of the file —
//! sums what the entries say they unpack to, and refuses the file before
//! anything is inflated. The `zip` crate calamine uses fails a read as soon
//! as an entry grows past its declared size, so the declared sizes checked
//! here do bound what calamine can unpack.
//!
//! The only part inflated here is the first few kilobytes of the shared
//! strings table, to read its declared count, with miniz_oxide.

use crate::rules::limits::Limits;
use super::FileProblem;

/// Where an archive's end-of-central-directory record starts: its signature.
const EOCD_SIG: u32 = 0x0605_4b50;
/// The ZIP64 locator, just before the end record when ZIP64 is used.
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
/// The ZIP64 end record the locator points at.
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
/// Each entry's record in the central directory.
const CENTRAL_SIG: u32 = 0x0201_4b50;
/// Each entry's local header, in front of its data.
const LOCAL_SIG: u32 = 0x0403_4b50;

/// Entries bigger than this must not compress better than [`MAX_RATIO`]:1.
/// Small entries may: a few hundred bytes of XML can legitimately compress
/// well, and cannot hurt anyway.
const RATIO_FLOOR: u64 = 1 << 20;
/// Real spreadsheet XML compresses about 10–30:1; deflate cannot exceed about
/// 1032:1, which only long runs of one byte reach.
const MAX_RATIO: u64 = 1000;
/// A workbook has a few dozen parts (a few hundred with many images);
/// calamine indexes every entry's name, so a million of them cost memory.
const MAX_ENTRIES: u64 = 10_000;
/// How much of the shared strings table is unpacked to find its `<sst>` tag,
/// which real files put in their first hundred bytes.
const SST_SCAN_BYTES: usize = 64 << 10;
/// The least an `<si/>` element can take: a table claiming more strings than
/// its size allows is forged.
const MIN_SHARED_STRING_BYTES: u64 = 5;

/// The start of every refusal of a file that is not a usable workbook, as the
/// rest of the XLSX reader words it.
const NOT_READABLE: &str = "not a readable XLSX workbook";

/// One entry of the central directory, as far as the checks need it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    name: String,
    flags: u16,
    method: u16,
    compressed: u64,
    uncompressed: u64,
    /// Where the entry's data starts (after its local header).
    data_start: u64,
}

/// Refuses `bytes` unless it is a ZIP archive whose entries, as declared,
/// unpack within `limits.max_unzipped_bytes`, none compressing absurdly
/// well, and whose shared strings table declares no more strings than fit in
/// it. Reads the central directory and the head of the shared strings only.
pub(super) fn check(bytes: &[u8], limits: &Limits) -> Result<(), FileProblem> {
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    let entries = central_directory(bytes)?;
    let total: u128 = entries.iter().map(|e| u128::from(e.uncompressed)).sum();
    if total > u128::from(limits.max_unzipped_bytes) {
        return Err(FileProblem::TooLarge(format!(
            "the workbook would unpack to {total} bytes, over the pipeline's limit of {} bytes (limits.max_unzipped_bytes); it was not unpacked",
            limits.max_unzipped_bytes
        )));
    }
    for entry in &entries {
        if entry.uncompressed > RATIO_FLOOR && entry.uncompressed > entry.compressed.saturating_mul(MAX_RATIO) {
            return Err(unreadable(format!(
                "its part '{}' would unpack from {} to {} bytes ({}:1), far beyond what any spreadsheet compresses; it was not unpacked (a zip bomb?)",
                entry.name,
                entry.compressed,
                entry.uncompressed,
                entry.uncompressed / entry.compressed.max(1)
            )));
        }
        if entry.flags & 1 != 0 {
            return Err(unreadable(format!(
                "its part '{}' is encrypted; save the workbook without a password",
                entry.name
            )));
        }
        if entry.method != 0 && entry.method != 8 {
            return Err(unreadable(format!(
                "its part '{}' uses ZIP compression method {}, which Excel never writes (only stored and deflated parts are read)",
                entry.name, entry.method
            )));
        }
    }
    for entry in entries.iter().filter(|e| is_shared_strings(&e.name)) {
        check_shared_strings(bytes, entry)?;
    }
    Ok(())
}

fn unreadable(detail: String) -> FileProblem {
    FileProblem::Unreadable(format!("{NOT_READABLE}: {detail}"))
}

/// calamine finds parts by lowercased name with `/` separators, wherever the
/// workbook's relationships put them; every such table is checked.
fn is_shared_strings(name: &str) -> bool {
    name.replace('\\', "/")
        .to_ascii_lowercase()
        .ends_with("sharedstrings.xml")
}

fn u16_at(bytes: &[u8], at: u64) -> Option<u16> {
    let at = usize::try_from(at).ok()?;
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(bytes: &[u8], at: u64) -> Option<u32> {
    let at = usize::try_from(at).ok()?;
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn u64_at(bytes: &[u8], at: u64) -> Option<u64> {
    let lo = u32_at(bytes, at)?;
    let hi = u32_at(bytes, at.checked_add(4)?)?;
    Some(u64::from(lo) | (u64::from(hi) << 32))
}

/// Why a file without a usable end record is not a workbook, as specifically
/// as its first bytes allow.
fn not_a_zip(bytes: &[u8]) -> FileProblem {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return unreadable(
            "it is an Excel 97–2003 workbook (.xls) or a password-protected one; save it as an .xlsx workbook without a password".to_string(),
        );
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return unreadable(
            "the file is cut short: the ZIP directory that ends every .xlsx is missing; send the file again".to_string(),
        );
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

/// The entries of the archive's central directory.
///
/// Parsing is strict so that it cannot disagree with the `zip` crate about
/// which directory is the archive's: the end record must be the last one in
/// the file and end it exactly, and the directory must sit right before it.
/// Real workbooks always look like that; anything else is refused.
fn central_directory(bytes: &[u8]) -> Result<Vec<Entry>, FileProblem> {
    let len = bytes.len() as u64;
    // The end record is 22 bytes plus a comment of at most 65 535.
    let window_start = bytes.len().saturating_sub(22 + 0xFFFF);
    let sig = EOCD_SIG.to_le_bytes();
    let Some(eocd) = bytes[window_start..]
        .windows(4)
        .rposition(|w| w == sig)
        .map(|p| (window_start + p) as u64)
    else {
        return Err(not_a_zip(bytes));
    };
    let damaged = |what: &str| unreadable(format!("its ZIP structure is damaged ({what})"));
    let field16 = |off: u64| u16_at(bytes, eocd + off).ok_or_else(|| damaged("the end record is cut short"));
    let field32 = |off: u64| u32_at(bytes, eocd + off).ok_or_else(|| damaged("the end record is cut short"));
    let comment = u64::from(field16(20)?);
    if eocd + 22 + comment != len {
        return Err(damaged("bytes follow the end record"));
    }
    if field16(4)? != 0 || field16(6)? != 0 {
        return Err(unreadable("it is a multi-part (spanned) ZIP archive".to_string()));
    }
    let mut count = u64::from(field16(10)?);
    let mut dir_size = u64::from(field32(12)?);
    let mut dir_start = u64::from(field32(16)?);
    let mut dir_end = eocd;
    if eocd >= 20 && u32_at(bytes, eocd - 20) == Some(ZIP64_LOCATOR_SIG) {
        let record = u64_at(bytes, eocd - 12).ok_or_else(|| damaged("the ZIP64 locator is cut short"))?;
        if u32_at(bytes, record) != Some(ZIP64_EOCD_SIG) || record > eocd - 20 {
            return Err(damaged("the ZIP64 locator points nowhere"));
        }
        let field64 = |off: u64| u64_at(bytes, record + off).ok_or_else(|| damaged("the ZIP64 end record is cut short"));
        count = field64(32)?;
        dir_size = field64(40)?;
        dir_start = field64(48)?;
        dir_end = record;
    }
    if dir_start.checked_add(dir_size) != Some(dir_end) {
        return Err(damaged("the directory is not where the end record says"));
    }
    if count > MAX_ENTRIES {
        return Err(unreadable(format!(
            "its ZIP archive has {count} parts; a workbook has at most a few hundred"
        )));
    }
    let mut entries = Vec::with_capacity(count as usize);
    let mut at = dir_start;
    for _ in 0..count {
        let (entry, next) = central_entry(bytes, at, dir_start).ok_or_else(|| damaged("a directory entry is cut short or points outside the file"))?;
        if next > dir_end {
            return Err(damaged("a directory entry runs past the directory"));
        }
        entries.push(entry);
        at = next;
    }
    if at != dir_end {
        return Err(damaged("the directory holds more than its entry count says"));
    }
    Ok(entries)
}

/// The directory entry at `at` and where the next one starts; `None` when it
/// is cut short or its data does not lie before the directory.
fn central_entry(bytes: &[u8], at: u64, dir_start: u64) -> Option<(Entry, u64)> {
    if u32_at(bytes, at)? != CENTRAL_SIG {
        return None;
    }
    let flags = u16_at(bytes, at + 8)?;
    let method = u16_at(bytes, at + 10)?;
    let mut compressed = u64::from(u32_at(bytes, at + 20)?);
    let mut uncompressed = u64::from(u32_at(bytes, at + 24)?);
    let name_len = u64::from(u16_at(bytes, at + 28)?);
    let extra_len = u64::from(u16_at(bytes, at + 30)?);
    let comment_len = u64::from(u16_at(bytes, at + 32)?);
    let mut local = u64::from(u32_at(bytes, at + 42)?);
    let name_start = usize::try_from(at + 46).ok()?;
    let name = bytes.get(name_start..name_start.checked_add(name_len as usize)?)?;
    let name = String::from_utf8_lossy(name).into_owned();
    // ZIP64 extended information: the 64-bit values of the fields saturated
    // above, in this order.
    let mut extra = at + 46 + name_len;
    let extra_end = extra + extra_len;
    while extra + 4 <= extra_end {
        let id = u16_at(bytes, extra)?;
        let size = u64::from(u16_at(bytes, extra + 2)?);
        if id == 0x0001 {
            let mut field = extra + 4;
            for value in [&mut uncompressed, &mut compressed, &mut local] {
                if *value == u64::from(u32::MAX) {
                    if field + 8 > extra + 4 + size {
                        return None;
                    }
                    *value = u64_at(bytes, field)?;
                    field += 8;
                }
            }
        }
        extra += 4 + size;
    }
    let next = extra_end + comment_len;
    if next > bytes.len() as u64 {
        return None;
    }
    // The local header repeats the name and may carry a different extra
    // field; the data follows it and must end before the directory.
    if u32_at(bytes, local)? != LOCAL_SIG {
        return None;
    }
    let local_name = u64::from(u16_at(bytes, local + 26)?);
    let local_extra = u64::from(u16_at(bytes, local + 28)?);
    let data_start = local + 30 + local_name + local_extra;
    if data_start.checked_add(compressed)? > dir_start {
        return None;
    }
    Some((Entry { name, flags, method, compressed, uncompressed, data_start }, next))
}

/// The unpacked bytes of the part called `name`, if the archive has one.
/// Call after [`check`]: its declared size is then within the limits, and
/// inflating stops there whatever the data says.
pub(super) fn part(bytes: &[u8], name: &str) -> Result<Option<Vec<u8>>, FileProblem> {
    let entries = central_directory(bytes)?;
    let Some(entry) = entries.iter().find(|e| e.name == name) else {
        return Ok(None);
    };
    let data = usize::try_from(entry.data_start)
        .ok()
        .zip(usize::try_from(entry.compressed).ok())
        .and_then(|(start, n)| bytes.get(start..start.checked_add(n)?))
        .ok_or_else(|| unreadable(format!("its part '{}' lies outside the file", entry.name)))?;
    let cap = usize::try_from(entry.uncompressed).unwrap_or(usize::MAX);
    if entry.method == 0 {
        return Ok(Some(data[..data.len().min(cap)].to_vec()));
    }
    inflate_prefix(data, cap).map(Some).map_err(|e| unreadable(format!("its part '{}' cannot be unpacked ({e})", entry.name)))
}

/// Refuses a shared strings table whose `uniqueCount` cannot be true: calamine
/// reserves room for that many strings before reading one.
fn check_shared_strings(bytes: &[u8], entry: &Entry) -> Result<(), FileProblem> {
    let data = usize::try_from(entry.data_start)
        .ok()
        .zip(usize::try_from(entry.compressed).ok())
        .and_then(|(start, n)| bytes.get(start..start.checked_add(n)?))
        .ok_or_else(|| unreadable(format!("its part '{}' lies outside the file", entry.name)))?;
    let cap = SST_SCAN_BYTES.min(usize::try_from(entry.uncompressed).unwrap_or(usize::MAX));
    let head = if entry.method == 0 {
        data[..data.len().min(cap)].to_vec()
    } else {
        inflate_prefix(data, cap).map_err(|e| {
            unreadable(format!("its shared strings cannot be unpacked ({e})"))
        })?
    };
    match sst_unique_count(&head) {
        SstScan::Found(Some(claimed)) => {
            let room = u128::from(entry.uncompressed / MIN_SHARED_STRING_BYTES);
            if claimed > room {
                return Err(unreadable(format!(
                    "its shared strings table claims {claimed} strings but is only {} bytes long, so it is damaged or forged",
                    entry.uncompressed
                )));
            }
            Ok(())
        }
        SstScan::Found(None) => Ok(()),
        // The whole part was scanned: calamine will report what is wrong.
        SstScan::NotFound if (head.len() as u64) < entry.uncompressed => Err(unreadable(format!(
            "its shared strings table does not begin within its first {} bytes",
            SST_SCAN_BYTES
        ))),
        SstScan::NotFound => Ok(()),
    }
}

/// What scanning the head of a shared strings part found.
#[derive(Debug, PartialEq, Eq)]
enum SstScan {
    /// The `<sst>` start tag, with its `uniqueCount` if it has a numeric one.
    Found(Option<u128>),
    /// No `<sst>` start tag in the bytes given.
    NotFound,
}

/// Finds the first element whose local name is `sst`, as calamine's XML
/// reader would (skipping declarations, comments, CDATA and other tags), and
/// reads its `uniqueCount` attribute.
fn sst_unique_count(xml: &[u8]) -> SstScan {
    let find = |from: usize, pat: &[u8]| {
        xml.get(from..)
            .and_then(|rest| rest.windows(pat.len()).position(|w| w == pat))
            .map(|p| from + p + pat.len())
    };
    let mut i = 0;
    while let Some(lt) = xml.get(i..).and_then(|r| r.iter().position(|&b| b == b'<')) {
        let start = i + lt;
        let rest = &xml[start..];
        let skip_to = if rest.starts_with(b"<?") {
            find(start, b"?>")
        } else if rest.starts_with(b"<!--") {
            find(start, b"-->")
        } else if rest.starts_with(b"<![CDATA[") {
            find(start, b"]]>")
        } else if rest.starts_with(b"<!") || rest.starts_with(b"</") {
            find(start, b">")
        } else {
            let (name, attrs_at) = tag_name(xml, start + 1);
            let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
            let (attrs, end) = tag_attributes(xml, attrs_at);
            if local == b"sst" {
                if end.is_none() {
                    return SstScan::NotFound;
                }
                let count = attrs
                    .iter()
                    .find(|(k, _)| k.rsplit(|&b| b == b':').next() == Some(&b"uniqueCount"[..]))
                    .and_then(|(_, v)| parse_count(v));
                return SstScan::Found(count);
            }
            end
        };
        match skip_to {
            Some(next) => i = next,
            None => return SstScan::NotFound,
        }
    }
    SstScan::NotFound
}

/// An element's name starting at `at`, and where its attributes start.
pub(super) fn tag_name(xml: &[u8], at: usize) -> (&[u8], usize) {
    let rest = xml.get(at..).unwrap_or(&[]);
    let n = rest
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
        .unwrap_or(rest.len());
    (&rest[..n], at + n)
}

/// An attribute's name and raw value.
pub(super) type Attribute<'x> = (&'x [u8], &'x [u8]);

/// The attributes of a tag from `at` to its `>`, and the position after the
/// `>` (`None` if the tag does not end within `xml`).
pub(super) fn tag_attributes(xml: &[u8], mut at: usize) -> (Vec<Attribute<'_>>, Option<usize>) {
    let mut attrs = Vec::new();
    loop {
        while xml.get(at).is_some_and(|b| b.is_ascii_whitespace() || *b == b'/') {
            at += 1;
        }
        match xml.get(at) {
            None => return (attrs, None),
            Some(b'>') => return (attrs, Some(at + 1)),
            Some(_) => {}
        }
        let key_start = at;
        while xml.get(at).is_some_and(|b| !b.is_ascii_whitespace() && !b"=/>".contains(b)) {
            at += 1;
        }
        let key = &xml[key_start..at];
        while xml.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        if xml.get(at) != Some(&b'=') {
            // A key without a value: not well-formed; step over it.
            if at == key_start {
                at += 1;
            }
            continue;
        }
        at += 1;
        while xml.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        let Some(&quote) = xml.get(at).filter(|q| **q == b'"' || **q == b'\'') else {
            return (attrs, None);
        };
        let value_start = at + 1;
        let Some(close) = xml.get(value_start..).and_then(|r| r.iter().position(|&b| b == quote)) else {
            return (attrs, None);
        };
        attrs.push((key, &xml[value_start..value_start + close]));
        at = value_start + close + 1;
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

/// Inflates a raw deflate stream (RFC 1951) until it ends or `cap` bytes are
/// out, whichever comes first, with miniz_oxide (the inflater the `zip`
/// crate itself builds on). Every malformed stream is an `Err`.
fn inflate_prefix(input: &[u8], cap: usize) -> Result<Vec<u8>, &'static str> {
    use miniz_oxide::inflate::{decompress_to_vec_with_limit, TINFLStatus};
    match decompress_to_vec_with_limit(input, cap) {
        Ok(out) => Ok(out),
        // More than `cap` bytes: the prefix is all that is wanted.
        Err(e) if e.status == TINFLStatus::HasMoreOutput => Ok(e.output),
        Err(e) if e.status == TINFLStatus::FailedCannotMakeProgress => Err("the deflate stream ends early"),
        Err(_) => Err("the deflate stream is corrupt"),
    }
}

/// ZIP archives built by hand for tests: stored (uncompressed) entries with
/// real CRCs, so calamine can read them, and sizes that may lie.
#[cfg(test)]
pub(super) mod testing {
    use super::{CENTRAL_SIG, EOCD_SIG, LOCAL_SIG};

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

    /// A workbook as rust_xlsxwriter writes it (deflated parts, dynamic and
    /// fixed Huffman blocks), with `strings` distinct shared strings.
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
    fn inflates_every_part_of_a_real_workbook_to_its_declared_size() {
        let bytes = workbook(500);
        let entries = central_directory(&bytes).unwrap_or_default();
        assert!(entries.len() >= 5, "{entries:?}");
        for e in &entries {
            let start = e.data_start as usize;
            let data = &bytes[start..start + e.compressed as usize];
            let out = if e.method == 0 { data.to_vec() } else { inflate_prefix(data, usize::MAX).unwrap_or_default() };
            assert_eq!(out.len() as u64, e.uncompressed, "{}", e.name);
            assert!(out.starts_with(b"<?xml"), "{}", e.name);
        }
        assert_eq!(check(&bytes, &Limits::default()), Ok(()));
    }

    #[test]
    fn inflates_fixed_and_stored_blocks() {
        // zlib.compressobj(9, DEFLATED, -15).compress(b"kode_kriteria,jawaban\n") + flush():
        // a fixed-Huffman block.
        let fixed = [0xcb, 0xce, 0x4f, 0x49, 0x8d, 0xcf, 0x2e, 0xca, 0x2c, 0x49, 0x2d, 0xca, 0x4c, 0xd4, 0xc9, 0x4a, 0x2c, 0x4f, 0x4c, 0x4a, 0xcc, 0xe3, 0x02, 0x00];
        assert_eq!(inflate_prefix(&fixed, 1000), Ok(b"kode_kriteria,jawaban\n".to_vec()));
        // Level 0: one stored block.
        let stored = [0x01, 0x03, 0x00, 0xfc, 0xff, b'a', b'b', b'c'];
        assert_eq!(inflate_prefix(&stored, 1000), Ok(b"abc".to_vec()));
        assert_eq!(inflate_prefix(&stored, 2), Ok(b"ab".to_vec()));
    }

    #[test]
    fn broken_streams_are_errors_not_panics() {
        assert!(inflate_prefix(&[], 10).is_err());
        assert!(inflate_prefix(&[0x07], 10).is_err());
        assert!(inflate_prefix(&[0x01, 0x03, 0x00, 0xfc, 0xfe, b'a'], 10).is_err());
        // Every prefix of a real stream, and every single-byte corruption of
        // it, either decodes or errs.
        let bytes = workbook(50);
        let entries = central_directory(&bytes).unwrap_or_default();
        let e = entries.iter().find(|e| e.name.ends_with("sharedStrings.xml")).cloned();
        let Some(e) = e else { panic!("no shared strings in {entries:?}") };
        let data = bytes[e.data_start as usize..(e.data_start + e.compressed) as usize].to_vec();
        for cut in 0..data.len() {
            let _ = inflate_prefix(&data[..cut], 1 << 20);
        }
        for i in 0..data.len() {
            let mut broken = data.clone();
            broken[i] ^= 0x5a;
            let _ = inflate_prefix(&broken, 1 << 20);
        }
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
    fn damaged_archives_are_unreadable() {
        let good = stored_zip(&[("a.xml", b"<a/>")]);
        for cut in 0..good.len() {
            let got = check(&good[..cut], &Limits::default());
            assert!(matches!(got, Err(FileProblem::Unreadable(_)) | Err(FileProblem::Empty)), "cut at {cut}: {got:?}");
        }
        let mut trailing = good.clone();
        trailing.extend_from_slice(b"junk");
        assert!(matches!(check(&trailing, &Limits::default()), Err(FileProblem::Unreadable(m)) if m.contains("bytes follow the end record")));
        let Err(FileProblem::Unreadable(msg)) = check(&good[..30], &Limits::default()) else { panic!() };
        assert!(msg.contains("the file is cut short"), "{msg}");
        let Err(FileProblem::Unreadable(msg)) = check(b"kode_kriteria,jawaban\n", &Limits::default()) else { panic!() };
        assert!(msg.contains("it is text (perhaps CSV)"), "{msg}");
        let Err(FileProblem::Unreadable(msg)) = check(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0], &Limits::default()) else { panic!() };
        assert!(msg.contains("Excel 97–2003"), "{msg}");
    }
}
