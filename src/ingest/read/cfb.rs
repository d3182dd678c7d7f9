//! The container of an Excel 97–2003 workbook (`.xls`), inspected before
//! calamine opens it.
//!
//! calamine builds each sheet of an `.xls` as one dense grid spanning its
//! outermost cells, and reserves room for the grid a sheet's DIMENSIONS
//! record claims, before anything tells it the numbers are forged: two cells
//! at A1 and at the last row and column, or a record claiming a million rows,
//! ask for gigabytes and end the process (an allocation failure aborts; it is
//! no panic to catch). This module reads the compound file (the OLE2
//! container every `.xls` is), finds the workbook stream, walks its records
//! the way calamine does — the sheets at the offsets the workbook lists — and
//! sums the grids calamine would build. A file whose grids are too big is
//! refused before calamine sees it. Everything read here is bounded by the
//! file's own size.

use crate::rules::limits::Limits;
use super::FileProblem;

/// The signature every compound file starts with.
const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// The end of a sector chain.
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// Sector ids at or above this are markers, not sectors.
const MAX_SECTOR: u32 = 0xFFFF_FFFA;

/// Most grid cells (values and formulas together) the readers let calamine
/// build for one workbook. An LKE of 200 000 answer rows and 20 columns
/// needs 4 million; each cell costs calamine about 60 bytes, twice.
pub(super) const MAX_GRID_CELLS: u64 = 4 << 20;

fn unreadable(detail: impl std::fmt::Display) -> FileProblem {
    FileProblem::Unreadable(format!("not a readable XLS workbook: {detail}"))
}

/// Refuses `bytes` unless it is a compound file holding a workbook stream
/// whose sheets, as calamine would build them, stay within
/// [`MAX_GRID_CELLS`] and `limits.max_rows`.
pub(super) fn check(bytes: &[u8], limits: &Limits) -> Result<(), FileProblem> {
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(unreadable("it is a ZIP archive, as an .xlsx or .ods is, under an .xls name: give it its own extension"));
    }
    if bytes.len() < 512 || bytes[..8] != SIGNATURE {
        return Err(unreadable("it is not an Excel 97–2003 file (no OLE2 signature)"));
    }
    let stream = workbook_stream(bytes)?;
    let cells = grid_cells(&stream, limits)?;
    if cells > MAX_GRID_CELLS {
        return Err(FileProblem::TooLarge(format!(
            "the workbook's sheets span {cells} cells, more than the {MAX_GRID_CELLS} this reader lays out; it was not read (a forged or damaged file?)"
        )));
    }
    Ok(())
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

/// The compound file's sectors and allocation tables.
struct Container<'b> {
    bytes: &'b [u8],
    shift: u32,
    fat: Vec<u32>,
}

impl<'b> Container<'b> {
    fn sector(&self, id: u32) -> Option<&'b [u8]> {
        let size = 1usize << self.shift;
        let start = (id as usize).checked_add(1)?.checked_mul(size)?;
        self.bytes.get(start..start.checked_add(size)?)
    }

    /// The bytes of the chain starting at `start`, up to `len` bytes, of
    /// sectors `read` returns. A chain longer than the `sectors` there are
    /// loops (and would grow without bound), so it is damage, as is one that
    /// leaves the file.
    fn chain(&self, table: &[u32], start: u32, len: Option<usize>, sectors: usize, read: impl Fn(u32) -> Option<&'b [u8]>) -> Result<Vec<u8>, FileProblem> {
        let mut out = Vec::new();
        let mut id = start;
        let mut steps = 0usize;
        while id != END_OF_CHAIN && len.is_none_or(|l| out.len() < l) {
            steps += 1;
            if id >= MAX_SECTOR || steps > sectors {
                return Err(unreadable("its sector chains are damaged"));
            }
            out.extend_from_slice(read(id).ok_or_else(|| unreadable("a sector lies outside the file"))?);
            id = *table.get(id as usize).ok_or_else(|| unreadable("its sector table is damaged"))?;
        }
        if let Some(l) = len {
            if out.len() < l {
                return Err(unreadable("a stream is shorter than it says"));
            }
            out.truncate(l);
        }
        Ok(out)
    }
}

/// The `Workbook` (or older `Book`) stream.
fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, FileProblem> {
    let header = |at| u32_at(bytes, at).ok_or_else(|| unreadable("its header is cut short"));
    let shift = u32::from(u16_at(bytes, 0x1E).unwrap_or(0));
    if shift != 9 && shift != 12 {
        return Err(unreadable(format!("its sector size 2^{shift} is not one Excel writes")));
    }
    let mini_shift = u32::from(u16_at(bytes, 0x20).unwrap_or(0));
    if mini_shift != 6 {
        return Err(unreadable("its mini sector size is not one Excel writes"));
    }
    let sector_size = 1usize << shift;
    let sectors = bytes.len() / sector_size;
    // The sector ids of the allocation table: 109 in the header, the rest
    // in a chain of DIFAT sectors.
    let mut fat_ids: Vec<u32> = (0..109).filter_map(|i| u32_at(bytes, 0x4C + 4 * i)).filter(|id| *id < MAX_SECTOR).collect();
    let mut difat = header(0x44)?;
    let mut hops = 0;
    while difat < MAX_SECTOR {
        hops += 1;
        if hops > sectors {
            return Err(unreadable("its sector table list loops"));
        }
        let start = (difat as usize + 1).checked_mul(sector_size).ok_or_else(|| unreadable("a sector lies outside the file"))?;
        let sector = start.checked_add(sector_size).and_then(|end| bytes.get(start..end)).ok_or_else(|| unreadable("a sector lies outside the file"))?;
        let per = sector_size / 4 - 1;
        fat_ids.extend((0..per).filter_map(|i| u32_at(sector, 4 * i)).filter(|id| *id < MAX_SECTOR));
        difat = u32_at(sector, 4 * per).unwrap_or(END_OF_CHAIN);
    }
    if fat_ids.len() > sectors {
        return Err(unreadable("its sector table claims more sectors than the file holds"));
    }
    let mut container = Container { bytes, shift, fat: Vec::new() };
    let mut fat = Vec::with_capacity(fat_ids.len() * sector_size / 4);
    for id in fat_ids {
        let sector = container.sector(id).ok_or_else(|| unreadable("a sector lies outside the file"))?;
        fat.extend(sector.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])));
    }
    container.fat = fat;
    let read = |id| container.sector(id);
    let directory = container.chain(&container.fat, header(0x30)?, None, sectors, read)?;
    let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
    let root = entries.first().ok_or_else(|| unreadable("it has no directory"))?;
    let name_of = |e: &[u8]| {
        let len = usize::from(u16_at(e, 0x40).unwrap_or(0)).min(64);
        let units: Vec<u16> = e[..len].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).take_while(|u| *u != 0).collect();
        String::from_utf16_lossy(&units)
    };
    let Some(entry) = entries.iter().find(|e| e[0x42] == 2 && ["workbook", "book"].contains(&name_of(e).to_lowercase().as_str())) else {
        return Err(unreadable("it holds no workbook stream (perhaps it is another Office document, or password-protected)"));
    };
    let size = u32_at(entry, 0x78).unwrap_or(0) as usize;
    if size > bytes.len() {
        return Err(unreadable("its workbook stream claims to be larger than the file"));
    }
    let start = u32_at(entry, 0x74).unwrap_or(END_OF_CHAIN);
    let cutoff = header(0x38)? as usize;
    if size >= cutoff {
        return container.chain(&container.fat, start, Some(size), sectors, read);
    }
    // A small stream lives in the mini stream, itself a chain of sectors.
    let mini_stream = container.chain(&container.fat, u32_at(root, 0x74).unwrap_or(END_OF_CHAIN), None, sectors, read)?;
    let mini_fat_bytes = container.chain(&container.fat, header(0x3C)?, None, sectors, read)?;
    let mini_fat: Vec<u32> = mini_fat_bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    let mini = |id: u32| {
        let at = (id as usize).checked_mul(64)?;
        mini_stream.get(at..at.checked_add(64)?)
    };
    container.chain(&mini_fat, start, Some(size), mini_stream.len() / 64, mini)
}

/// One BIFF record: its type and data.
fn records(stream: &[u8], from: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = from;
    std::iter::from_fn(move || {
        let typ = u16_at(stream, at)?;
        let len = usize::from(u16_at(stream, at + 2)?);
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((typ, data))
    })
}

/// The extent of the cells one sheet holds.
#[derive(Default)]
struct Extent {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl Extent {
    fn add(&mut self, row: u32, col: u32) {
        let widen = |r: &mut Option<(u32, u32)>, v: u32| *r = Some(r.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))));
        widen(&mut self.rows, row);
        widen(&mut self.cols, col);
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1),
            _ => 0,
        }
    }
}

/// The cells calamine would lay out for every sheet the workbook lists:
/// each sheet's value grid and formula grid, and the room its DIMENSIONS
/// record makes it reserve. A sheet of more rows than `limits.max_rows`
/// allows (with room for headings) is refused as such.
fn grid_cells(stream: &[u8], limits: &Limits) -> Result<u64, FileProblem> {
    let mut offsets = Vec::new();
    for (typ, data) in records(stream, 0) {
        match typ {
            0x0085 => offsets.extend(u32_at(data, 0)),
            0x000A => break,
            _ => {}
        }
    }
    let mut total = 0u64;
    for offset in offsets {
        let mut values = Extent::default();
        let mut formulas = Extent::default();
        let mut reserved = 0u64;
        for (typ, data) in records(stream, offset as usize) {
            let pos = || Some((u32::from(u16_at(data, 0)?), u32::from(u16_at(data, 2)?)));
            match typ {
                0x0200 => {
                    // Rows as calamine reads them: 16-bit in the short
                    // record, 32-bit in BIFF8's.
                    let (r0, r1, c0, c1) = if data.len() == 10 {
                        (u32::from(u16_at(data, 0).unwrap_or(0)), u32::from(u16_at(data, 2).unwrap_or(0)), u16_at(data, 4).unwrap_or(0), u16_at(data, 6).unwrap_or(0))
                    } else {
                        (u32_at(data, 0).unwrap_or(0), u32_at(data, 4).unwrap_or(0), u16_at(data, 8).unwrap_or(0), u16_at(data, 10).unwrap_or(0))
                    };
                    let c0 = if c0 > 0xFF || c1 < c0 { 0 } else { c0 };
                    reserved += u64::from(r1.saturating_sub(r0)) * u64::from(c1.saturating_sub(c0));
                }
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD => {
                    if let Some((r, c)) = pos() {
                        values.add(r, c);
                    }
                }
                0x0006 => {
                    if let Some((r, c)) = pos() {
                        values.add(r, c);
                        formulas.add(r, c);
                    }
                }
                0x00BD => {
                    // MulRk: row, first column, the values, last column.
                    if let (Some((r, c)), Some(last)) = (pos(), data.len().checked_sub(2).and_then(|at| u16_at(data, at))) {
                        values.add(r, c);
                        values.add(r, u32::from(last));
                    }
                }
                0x000A => break,
                _ => {}
            }
        }
        if let Some((r0, r1)) = values.rows {
            let rows = u64::from(r1 - r0) + 1;
            if rows > limits.max_rows.saturating_add(limits.max_rows / 10 + 1_000) {
                return Err(FileProblem::TooLarge(format!(
                    "a sheet spans {rows} rows, more than the pipeline's limit of {} answer rows allows (limits.max_rows); it was not read",
                    limits.max_rows
                )));
            }
        }
        total = total.saturating_add(values.cells()).saturating_add(formulas.cells()).saturating_add(reserved);
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compound file of 512-byte sectors whose directory chain is the
    /// given allocation table's chain from sector 1.
    fn container(fat: &[u32]) -> Vec<u8> {
        let mut bytes = vec![0u8; 512 * 4];
        bytes[..8].copy_from_slice(&SIGNATURE);
        bytes[0x1E] = 9;
        bytes[0x20] = 6;
        bytes[0x2C] = 1;
        bytes[0x30] = 1;
        bytes[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
        bytes[0x3C..0x40].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        bytes[0x44..0x48].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        bytes[0x4C..0x50].copy_from_slice(&0u32.to_le_bytes());
        for i in 1..109 {
            bytes[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&u32::MAX.to_le_bytes());
        }
        for (i, next) in fat.iter().enumerate() {
            bytes[512 + 4 * i..516 + 4 * i].copy_from_slice(&next.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn a_looping_chain_is_refused_not_followed() {
        // Sector 1 (the directory) points to 2, and 2 back to 1.
        let bytes = container(&[0xFFFF_FFFD, 2, 1, END_OF_CHAIN]);
        let got = check(&bytes, &Limits::default());
        assert!(matches!(&got, Err(FileProblem::Unreadable(m)) if m.contains("sector chains are damaged")), "{got:?}");
    }

    #[test]
    fn a_directory_without_a_workbook_is_refused() {
        let bytes = container(&[0xFFFF_FFFD, END_OF_CHAIN]);
        let got = check(&bytes, &Limits::default());
        assert!(matches!(&got, Err(FileProblem::Unreadable(m)) if m.contains("no workbook stream")), "{got:?}");
    }
}
