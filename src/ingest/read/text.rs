//! The byte-order marks and UTF-16 that CSV and JSON submissions share.
//!
//! Windows tools put a UTF-8 BOM in front of text, and Excel's "Unicode
//! Text" export and some form tools write UTF-16 with a BOM. Both text
//! readers accept the same marks and refuse a broken UTF-16 file with the
//! same words, so that is written once here; what else each format accepts
//! (Windows-1252 for CSV, nothing else for JSON) stays with its reader.

use encoding_rs::Encoding;

/// The UTF-16 encoding a byte-order mark at the start of `bytes` names, and
/// the bytes after the mark; `None` without one.
pub(super) fn utf16_bom(bytes: &[u8]) -> Option<(&'static Encoding, &[u8])> {
    if let Some(body) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        Some((encoding_rs::UTF_16LE, body))
    } else {
        bytes.strip_prefix(&[0xFE, 0xFF]).map(|body| (encoding_rs::UTF_16BE, body))
    }
}

/// `body` decoded as `encoding` (UTF-16LE or BE, without its mark), or the
/// reason a person reads: a broken character is refused, never replaced.
pub(super) fn decode_utf16(encoding: &'static Encoding, body: &[u8]) -> Result<String, String> {
    match encoding.decode_without_bom_handling_and_without_replacement(body) {
        Some(text) => Ok(text.into_owned()),
        None => Err(format!(
            "the file starts as {} text but is not valid {} (cut short, or a broken character)",
            encoding.name(),
            encoding.name()
        )),
    }
}

/// `bytes` without a leading UTF-8 byte-order mark.
pub(super) fn strip_utf8_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_name_their_encoding_and_are_dropped() {
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain("Dé".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain("Dé".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        for bytes in [&le, &be] {
            let Some((encoding, body)) = utf16_bom(bytes) else { panic!("no mark found in {bytes:?}") };
            assert_eq!(decode_utf16(encoding, body), Ok("Dé".to_string()));
        }
        assert_eq!(utf16_bom(b"kode"), None);
        assert_eq!(strip_utf8_bom(b"\xEF\xBB\xBFkode"), b"kode");
        assert_eq!(strip_utf8_bom(b"kode"), b"kode");
    }

    #[test]
    fn a_cut_utf16_file_is_refused_not_replaced() {
        // "D" in UTF-16LE is 44 00; a lone 44 is half a character.
        let got = decode_utf16(encoding_rs::UTF_16LE, &[0x44, 0x00, 0x44]);
        assert_eq!(got, Err("the file starts as UTF-16LE text but is not valid UTF-16LE (cut short, or a broken character)".to_string()));
    }
}
