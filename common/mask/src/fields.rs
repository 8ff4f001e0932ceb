//! Splitting a COPY TEXT row into its fields in one pass over the whole
//! row: what [`dump::split_copy_fields`] yields, with, per field, whether
//! it holds a backslash (a field without one is its own decoded value, and
//! is never `\N`).
//!
//! The row is looked at 64 bytes at a time: its tabs and backslashes come
//! out as two 64-bit masks (four SSE2 compares each), and the fields are
//! read off the tab mask bit by bit. Backslashes are rare in pg_dump output
//! (`\N` for NULL, escaped control characters), so the escape rule (a
//! backslash escapes the next byte, which is then no separator) is applied
//! only to blocks that have one.

/// Appends the fields of `content` (a row without its line terminator) to
/// `spans` as `(start, end, has_backslash)`: the byte range of the still
/// escaped field, and whether a backslash is in it. An empty row is one
/// empty field, as for [`dump::split_copy_fields`].
pub(crate) fn split_fields(content: &[u8], spans: &mut Vec<(usize, usize, bool)>) {
    let mut start = 0usize;
    // Whether the field being read holds a backslash so far.
    let mut field_bs = false;
    // Whether the first byte of the next block is escaped by a backslash
    // ending this one.
    let mut carry = false;
    let mut at = 0usize;
    while at < content.len() {
        let block = &content[at..];
        let (mut tabs, bs) = if let Some(b) = block.first_chunk::<64>() {
            masks(b)
        } else {
            let mut padded = [0u8; 64];
            padded[..block.len()].copy_from_slice(block);
            masks(&padded)
        };
        if bs != 0 || carry {
            let mut escaped = u64::from(carry);
            let mut rest = bs & !escaped;
            carry = false;
            while rest != 0 {
                let k = rest.trailing_zeros();
                if k == 63 {
                    carry = true;
                    break;
                }
                escaped |= 1 << (k + 1);
                // The escaped byte, if a backslash itself, escapes nothing.
                rest &= !(3 << k);
            }
            tabs &= !escaped;
            let mut bs_left = bs;
            while tabs != 0 {
                let k = tabs.trailing_zeros();
                let below = (1u64 << k) - 1;
                field_bs |= bs_left & below != 0;
                bs_left &= !below;
                let end = at + k as usize;
                spans.push((start, end, field_bs));
                start = end + 1;
                field_bs = false;
                tabs &= tabs - 1;
            }
            field_bs |= bs_left != 0;
        } else {
            while tabs != 0 {
                let end = at + tabs.trailing_zeros() as usize;
                spans.push((start, end, field_bs));
                start = end + 1;
                field_bs = false;
                tabs &= tabs - 1;
            }
        }
        at += 64;
    }
    spans.push((start, content.len(), field_bs));
}

#[cfg(not(target_arch = "x86_64"))]
use plain_masks as masks;

/// Masks of the tabs and of the backslashes in a 64-byte block (bit k for
/// byte k).
#[cfg(target_arch = "x86_64")]
#[inline]
fn masks(block: &[u8; 64]) -> (u64, u64) {
    // SAFETY: SSE2 is part of x86_64 itself (every x86_64 processor has
    // it, and the target enables it), so the target feature is present.
    unsafe { sse2_masks(block) }
}

/// [`masks`] with SSE2: eight compares and eight movemasks. Safe code
/// inside (the block is read as `u64` words); only calling it needs
/// `unsafe`, for the target feature.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
fn sse2_masks(block: &[u8; 64]) -> (u64, u64) {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_set1_epi8, _mm_set_epi64x};
    let word = |at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&block[at..at + 8]);
        i64::from_le_bytes(w)
    };
    let (tab, backslash) = (_mm_set1_epi8(b'\t' as i8), _mm_set1_epi8(b'\\' as i8));
    let (mut tabs, mut bs) = (0u64, 0u64);
    for i in 0..4 {
        let v = _mm_set_epi64x(word(16 * i + 8), word(16 * i));
        // movemask sets the low 16 bits only.
        let t = _mm_movemask_epi8(_mm_cmpeq_epi8(v, tab)) as u32;
        let b = _mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash)) as u32;
        tabs |= u64::from(t) << (16 * i);
        bs |= u64::from(b) << (16 * i);
    }
    (tabs, bs)
}

/// [`masks`] byte by byte, where there is no SSE2 (and the plain version
/// the SSE2 one is tested against).
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline]
fn plain_masks(block: &[u8; 64]) -> (u64, u64) {
    block.iter().enumerate().fold((0, 0), |(t, b), (k, &c)| {
        (
            t | u64::from(c == b'\t') << k,
            b | u64::from(c == b'\\') << k,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(content: &[u8]) -> Result<(), TestCaseError> {
        let mut spans = Vec::new();
        split_fields(content, &mut spans);
        let base = content.as_ptr() as usize;
        let expected: Vec<(usize, usize, bool)> = dump::split_copy_fields(content)
            .map(|f| {
                let s = f.as_ptr() as usize - base;
                (s, s + f.len(), f.contains(&b'\\'))
            })
            .collect();
        prop_assert_eq!(spans, expected);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]

        #[test]
        fn splits_as_the_codec_does(
            content in proptest::collection::vec(
                prop_oneof![
                    4 => Just(b'\t'),
                    4 => Just(b'\\'),
                    1 => Just(b'N'),
                    8 => Just(b'a'),
                    1 => any::<u8>().prop_filter("no line ends", |&b| b != b'\n' && b != b'\r'),
                ],
                0..300,
            ),
        ) {
            check(&content)?;
        }
    }

    proptest! {
        #[test]
        fn masks_are_the_plain_ones(
            block in proptest::collection::vec(
                prop_oneof![Just(b'\t'), Just(b'\\'), any::<u8>()],
                64,
            ),
        ) {
            let block: [u8; 64] = block.try_into().unwrap();
            prop_assert_eq!(masks(&block), plain_masks(&block));
        }
    }

    #[test]
    fn block_edges() {
        // Tabs and backslashes at and around every 64-byte boundary.
        for len in [0usize, 1, 62, 63, 64, 65, 127, 128, 129, 200] {
            for at in 0..len {
                for (a, b) in [
                    (b'\\', b'\t'),
                    (b'\t', b'\\'),
                    (b'\\', b'\\'),
                    (b'\t', b'\t'),
                ] {
                    let mut row = vec![b'x'; len];
                    row[at] = a;
                    if at + 1 < len {
                        row[at + 1] = b;
                    }
                    check(&row).unwrap();
                    row.push(b'\\');
                    row.push(b'N');
                    check(&row).unwrap();
                }
            }
        }
    }
}
