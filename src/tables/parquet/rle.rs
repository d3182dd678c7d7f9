//! Parquet's RLE / bit-packing hybrid encoding of dictionary keys, with the
//! run choices arrow-rs's encoder makes, so that [`super::keyed`]'s pages
//! are the bytes arrow-rs writes.
//!
//! Keys are taken in groups of eight from where the last run ended. A group
//! of eight equal keys starts a repeated run, which goes on while the key
//! repeats and is written as its length (ULEB128 of `length << 1`) and the
//! key (little-endian, in whole bytes). Any other group joins a bit-packed
//! run, written as `groups << 1 | 1` in one byte and the keys packed at
//! `width` bits each, least significant bit first; such a run closes at 63
//! groups. At the end a partial group of one repeated key, with no full
//! groups waiting, is a repeated run of its length; otherwise it is padded
//! with zeros and packed with the groups before it.

/// Keys per group.
const GROUP: usize = 8;
/// The most groups in a bit-packed run (arrow-rs closes a run before its
/// count would reach 64).
const MAX_GROUPS: usize = 63;

/// `keys` at `width` bits each, after `out`'s bytes.
pub fn encode(keys: &[u32], width: u8, mut out: Vec<u8>) -> Vec<u8> {
    let mut packed: Vec<u32> = Vec::new();
    let mut i = 0;
    while i < keys.len() {
        let group = &keys[i..keys.len().min(i + GROUP)];
        let same = group.iter().all(|&k| k == group[0]);
        if group.len() == GROUP && same {
            close_packed(&mut out, &mut packed, width);
            let run = keys[i..].iter().take_while(|&&k| k == group[0]).count();
            repeated(&mut out, group[0], run, width);
            i += run;
        } else if group.len() < GROUP && same && packed.is_empty() {
            repeated(&mut out, group[0], group.len(), width);
            i += group.len();
        } else {
            packed.extend_from_slice(group);
            packed.resize(packed.len().next_multiple_of(GROUP), 0);
            if packed.len() / GROUP >= MAX_GROUPS {
                close_packed(&mut out, &mut packed, width);
            }
            i += group.len();
        }
    }
    close_packed(&mut out, &mut packed, width);
    out
}

/// The largest encoding of `count` keys at `width` bits (arrow-rs's
/// `RleEncoder::max_buffer_size`): every group a run of its own, packed
/// or repeated, whichever is longer.
pub fn max_size(width: u8, count: usize) -> usize {
    let groups = count.div_ceil(GROUP);
    let packed = groups * (1 + width as usize);
    let repeated = groups * (1 + (width as usize).div_ceil(8));
    packed.max(repeated)
}

fn repeated(out: &mut Vec<u8>, key: u32, run: usize, width: u8) {
    let mut header = (run as u64) << 1;
    while header >= 0x80 {
        out.push(header as u8 | 0x80);
        header >>= 7;
    }
    out.push(header as u8);
    out.extend_from_slice(&key.to_le_bytes()[..(width as usize).div_ceil(8)]);
}

fn close_packed(out: &mut Vec<u8>, packed: &mut Vec<u32>, width: u8) {
    if packed.is_empty() {
        return;
    }
    out.push(((packed.len() / GROUP) << 1 | 1) as u8);
    let (mut bits, mut filled) = (0u64, 0u32);
    for &key in packed.iter() {
        bits |= u64::from(key) << filled;
        filled += u32::from(width);
        while filled >= 8 {
            out.push(bits as u8);
            bits >>= 8;
            filled -= 8;
        }
    }
    // Eight keys fill whole bytes, so nothing is left over.
    debug_assert_eq!(filled, 0);
    packed.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_worked_by_hand() {
        // The Parquet format's own example: 0..8 at 3 bits is one group,
        // header 1 << 1 | 1 = 3, then the bits 000 100 010 110 001 101 011
        // 111 read least significant first: 0x88 0xC6 0xFA.
        assert_eq!(encode(&[0, 1, 2, 3, 4, 5, 6, 7], 3, Vec::new()), [0x03, 0x88, 0xC6, 0xFA]);
        // Ten 5s at 3 bits: a repeated run, header 10 << 1 = 20, the key in
        // one byte.
        assert_eq!(encode(&[5; 10], 3, vec![3]), [3, 20, 5]);
        // 200 repeats: header 400 = 0b1_1001_0000 in ULEB128 is 0x90 0x03;
        // a 9-bit key takes two bytes.
        assert_eq!(encode(&[300; 200], 9, Vec::new()), [0x90, 0x03, 0x2C, 0x01]);
        // 1 2 then three 7s: a partial group that does not repeat one key
        // is padded to eight with zeros and packed (4 bits: 0x21 0x77 0x07
        // 0x00).
        assert_eq!(encode(&[1, 2, 7, 7, 7], 4, Vec::new()), [0x03, 0x21, 0x77, 0x07, 0x00]);
        // Eight 1s then three 2s: a repeated run, and the tail of one
        // repeated key is a repeated run of three.
        assert_eq!(encode(&[1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2], 2, Vec::new()), [16, 1, 6, 2]);
        // A run of equal keys that starts inside a group does not count:
        // groups are taken from where the last run ended. 0 then 14 ones:
        // the first group (0 then seven 1s) is packed; the rest, seven 1s,
        // is a partial group of one key but with a packed group before it,
        // so it is padded and packed too: 0b1111_1110, 0b0111_1111.
        let keys = [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        assert_eq!(encode(&keys, 1, Vec::new()), [0x05, 0xFE, 0x7F]);
        // One key at width 0 (a dictionary of one value): only headers.
        assert_eq!(encode(&[0; 3], 0, Vec::new()), [6]);
    }

    #[test]
    fn a_packed_run_closes_at_63_groups() {
        // 64 groups of 0 1 0 1 …: a run of 63 groups (header 63 << 1 | 1 =
        // 127, 63 bytes of 0b10101010) and a run of one (header 3).
        let keys: Vec<u32> = (0..64 * 8).map(|i| i % 2).collect();
        let mut expected = vec![127];
        expected.extend([0xAA; 63]);
        expected.extend([3, 0xAA]);
        assert_eq!(encode(&keys, 1, Vec::new()), expected);
    }

    #[test]
    fn the_size_bound_holds() {
        // Shortest runs: groups alternating packed and repeated.
        let keys: Vec<u32> = (0..1000).map(|i| if (i / 8) % 2 == 0 { i % 8 } else { 3 }).collect();
        assert!(encode(&keys, 3, Vec::new()).len() <= max_size(3, 1000));
    }
}
