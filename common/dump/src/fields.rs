//! Splitting a COPY TEXT row into its fields in one pass over the whole
//! row: what [`crate::split_copy_fields`] yields, with, per field, whether
//! it holds a backslash (a field without one is its own decoded value, and
//! is never `\N`), and for the row whether it is all ASCII (then every
//! field of it is valid UTF-8).
//!
//! The row is looked at 64 bytes at a time: its tabs, backslashes and
//! bytes from 0x80 come out as three 64-bit masks (AVX2 where the processor
//! has it, SSE2 otherwise), and the fields are read off the tab mask bit by
//! bit. Backslashes are rare in pg_dump output (`\N` for NULL, escaped
//! control characters), so the escape rule (a backslash escapes the next
//! byte, which is then no separator) is applied only to blocks that have
//! one.

/// What [`split_fields`] found out about a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowShape {
    /// Every byte of the row is ASCII.
    pub ascii: bool,
}

/// Appends the fields of `content` (a row without its line terminator) to
/// `spans` as `(start, end, has_backslash)`: the byte range of the still
/// escaped field, and whether a backslash is in it. An empty row is one
/// empty field, as for [`crate::split_copy_fields`].
pub fn split_fields(content: &[u8], spans: &mut Vec<(usize, usize, bool)>) -> RowShape {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, as just detected.
        return unsafe { split_avx2(content, spans) };
    }
    split_with(content, spans, |block| {
        crate::block_masks(block, FIELD_BYTES)
    })
}

/// The bytes whose block masks the split reads: tabs and backslashes (and,
/// from every block mask, the bytes from 0x80).
pub(crate) const FIELD_BYTES: [u8; 2] = [b'\t', b'\\'];

/// [`split_fields`] compiled for AVX2, with its block masks.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn split_avx2(content: &[u8], spans: &mut Vec<(usize, usize, bool)>) -> RowShape {
    split_with(content, spans, |block| {
        // SAFETY: this function only runs where AVX2 is present.
        unsafe { crate::avx2_block_masks(block, FIELD_BYTES) }
    })
}

/// The bytes of a block escaped by a backslash, from its backslash mask `bs`:
/// each backslash escapes the byte after it, and an escaped backslash
/// escapes nothing. `carry` says, on the way in, that the block's first byte
/// is escaped by a backslash ending the block before, and on the way out,
/// whether this block's last byte escapes the next block's first.
#[inline(always)]
pub(crate) fn escaped_bytes(bs: u64, carry: &mut bool) -> u64 {
    let mut escaped = u64::from(*carry);
    let mut rest = bs & !escaped;
    *carry = false;
    while rest != 0 {
        let k = rest.trailing_zeros();
        if k == 63 {
            *carry = true;
            break;
        }
        escaped |= 1 << (k + 1);
        rest &= !(3 << k);
    }
    escaped
}

/// The splitting, with `masks` giving the ([tabs, backslashes], non-ASCII)
/// masks of a block.
#[inline(always)]
pub(crate) fn split_with(
    content: &[u8],
    spans: &mut Vec<(usize, usize, bool)>,
    masks: impl Fn(&[u8; 64]) -> ([u64; 2], u64),
) -> RowShape {
    let mut start = 0usize;
    // Whether the field being read holds a backslash so far.
    let mut field_bs = false;
    // Whether the first byte of the next block is escaped by a backslash
    // ending this one.
    let mut carry = false;
    let mut high = 0u64;
    let mut at = 0usize;
    while at < content.len() {
        let block = &content[at..];
        let ([mut tabs, bs], hi) = if let Some(b) = block.first_chunk::<64>() {
            masks(b)
        } else if let Some(b) = content.last_chunk::<64>() {
            // The tail of a longer row: the last 64 bytes, which end where
            // the row does, with the bits of the bytes before `at` (seen in
            // the block before) shifted out. A padded copy would cost a
            // store-forwarding stall on every row.
            let ([t, b], h) = masks(b);
            let shift = 64 - block.len();
            ([t >> shift, b >> shift], h >> shift)
        } else {
            let mut padded = [0u8; 64];
            padded[..block.len()].copy_from_slice(block);
            masks(&padded)
        };
        high |= hi;
        if bs != 0 || carry {
            tabs &= !escaped_bytes(bs, &mut carry);
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
    RowShape { ascii: high == 0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(content: &[u8]) -> Result<(), TestCaseError> {
        let base = content.as_ptr() as usize;
        let expected: Vec<(usize, usize, bool)> = crate::split_copy_fields(content)
            .map(|f| {
                let s = f.as_ptr() as usize - base;
                (s, s + f.len(), f.contains(&b'\\'))
            })
            .collect();
        let shape = RowShape {
            ascii: content.is_ascii(),
        };
        let mut spans = Vec::new();
        prop_assert_eq!(split_fields(content, &mut spans), shape);
        prop_assert_eq!(&spans, &expected);
        // And with each kind of block masks.
        spans.clear();
        prop_assert_eq!(
            split_with(content, &mut spans, |b| crate::plain_block_masks(
                b,
                FIELD_BYTES
            )),
            shape
        );
        prop_assert_eq!(&spans, &expected);
        #[cfg(target_arch = "x86_64")]
        {
            spans.clear();
            prop_assert_eq!(
                split_with(content, &mut spans, |b| crate::block_masks(b, FIELD_BYTES)),
                shape
            );
            prop_assert_eq!(&spans, &expected);
        }
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
                    row[at] = 0xc3;
                    check(&row).unwrap();
                }
            }
        }
    }
}
