//! Bit masks of 64-byte blocks: for each byte looked for, bit k set where
//! byte k of the block is that byte, and a mask of the bytes from 0x80.
//! The COPY row scans of the reader (line feeds and tabs; line feeds, tabs
//! and backslashes where it splits the rows too) and the field split
//! (tabs, backslashes, non-ASCII) are built on these:
//! AVX2 where the processor has it (the caller detects it once per call of
//! a loop compiled for it), SSE2 otherwise, byte by byte on other targets.

/// The masks of `block`: one per byte of `needles`, and the bytes from 0x80.
#[inline]
pub fn block_masks<const N: usize>(block: &[u8; 64], needles: [u8; N]) -> ([u64; N], u64) {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of x86_64 itself (every x86_64 processor
        // has it, and the target enables it), so the target feature is
        // present.
        unsafe { sse2_block_masks(block, needles) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        plain_block_masks(block, needles)
    }
}

/// [`block_masks`] byte by byte: what runs where there is no SSE2, and the
/// plain version the vector ones are tested against.
#[inline]
pub fn plain_block_masks<const N: usize>(block: &[u8; 64], needles: [u8; N]) -> ([u64; N], u64) {
    let mut found = [0u64; N];
    let mut high = 0u64;
    for (k, &b) in block.iter().enumerate() {
        for (mask, &needle) in found.iter_mut().zip(&needles) {
            *mask |= u64::from(b == needle) << k;
        }
        high |= u64::from(b >= 0x80) << k;
    }
    (found, high)
}

/// [`block_masks`] with SSE2: per 16 bytes a compare and a movemask for each
/// needle, and a movemask for the high bits. Safe code inside (the block is
/// read as `u64` words); only calling it needs `unsafe`, for the target
/// feature.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
fn sse2_block_masks<const N: usize>(block: &[u8; 64], needles: [u8; N]) -> ([u64; N], u64) {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_set1_epi8, _mm_set_epi64x};
    let word = |at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&block[at..at + 8]);
        i64::from_le_bytes(w)
    };
    let mut found = [0u64; N];
    let mut high = 0u64;
    for i in 0..4 {
        let v = _mm_set_epi64x(word(16 * i + 8), word(16 * i));
        for (mask, &needle) in found.iter_mut().zip(&needles) {
            // movemask sets the low 16 bits only.
            let m = _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(needle as i8))) as u32;
            *mask |= u64::from(m) << (16 * i);
        }
        high |= u64::from(_mm_movemask_epi8(v) as u32) << (16 * i);
    }
    (found, high)
}

/// [`block_masks`] with AVX2: two loads, then per needle two compares and
/// two movemasks.
///
/// # Safety
///
/// The processor must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
pub unsafe fn avx2_block_masks<const N: usize>(
    block: &[u8; 64],
    needles: [u8; N],
) -> ([u64; N], u64) {
    use std::arch::x86_64::{
        __m256i, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_set1_epi8,
    };
    let ptr = block.as_ptr().cast::<__m256i>();
    // SAFETY: both loads read 32 bytes inside the 64 of `block` (unaligned
    // loads, so any address will do).
    let (lo, hi) = unsafe { (_mm256_loadu_si256(ptr), _mm256_loadu_si256(ptr.add(1))) };
    // movemask gives 32 bits; as u32, then widened, they stay the low ones.
    let join = |a: i32, b: i32| u64::from(a as u32) | (u64::from(b as u32) << 32);
    let mut found = [0u64; N];
    for (mask, &needle) in found.iter_mut().zip(&needles) {
        let n = _mm256_set1_epi8(needle as i8);
        *mask = join(
            _mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, n)),
            _mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, n)),
        );
    }
    let high = join(_mm256_movemask_epi8(lo), _mm256_movemask_epi8(hi));
    (found, high)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn vector_masks_are_the_plain_ones(
            block in proptest::collection::vec(
                prop_oneof![Just(b'\n'), Just(b'\t'), Just(b'\\'), Just(0x80u8), any::<u8>()],
                64,
            ),
        ) {
            let block: [u8; 64] = block.try_into().unwrap();
            let needles = [b'\n', b'\t', b'\\'];
            let plain = plain_block_masks(&block, needles);
            prop_assert_eq!(block_masks(&block, needles), plain);
            prop_assert_eq!(block_masks(&block, [b'\t']).0[0], plain.0[1]);
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the processor has AVX2, as just detected.
                prop_assert_eq!(unsafe { avx2_block_masks(&block, needles) }, plain);
            }
        }
    }
}
