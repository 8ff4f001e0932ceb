//! The SSE2 pieces the text scanners share (`scrub`'s digit and at-sign
//! searches, the JSON walker's string search). SSE2 is part of x86_64 itself, so these
//! need no run-time detection; only calling them needs `unsafe`, for the
//! target feature. Their insides are safe code: bytes are read as two
//! `u64`, never through a pointer cast.

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::{
    __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8, _mm_movemask_epi8,
    _mm_or_si128, _mm_set1_epi8, _mm_set_epi64x,
};

/// The 16 bytes of `chunk` as one vector.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
pub(crate) fn load(chunk: &[u8; 16]) -> __m128i {
    let word = |at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&chunk[at..at + 8]);
        i64::from_le_bytes(w)
    };
    _mm_set_epi64x(word(8), word(0))
}

/// All ones in each byte of `v` that is an ASCII digit: two signed
/// compares (bytes from 0x80 are negative, so below '0').
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
pub(crate) fn digit_lanes(v: __m128i) -> __m128i {
    let ge_0 = _mm_cmpgt_epi8(v, _mm_set1_epi8(b'0' as i8 - 1));
    let le_9 = _mm_cmplt_epi8(v, _mm_set1_epi8(b'9' as i8 + 1));
    _mm_and_si128(ge_0, le_9)
}

/// Bit k set for each byte k below 32 of `chunk` that may start an at
/// sign, plain or encoded: `@`, or `%4`, `\\u`, `\\U` or `&#` (byte k and
/// the byte after it).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
pub(crate) fn sign_bytes(chunk: &[u8; 33]) -> u32 {
    let at = |k: usize| {
        let mut h = [0u8; 16];
        h.copy_from_slice(&chunk[k..k + 16]);
        load(&h)
    };
    let half = |k: usize| {
        let (v, next) = (at(k), at(k + 1));
        let is = |v: __m128i, b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
        let pair = |a: u8, b: u8| _mm_and_si128(is(v, a), is(next, b));
        let u = _mm_or_si128(is(next, b'u'), is(next, b'U'));
        let any = _mm_or_si128(
            _mm_or_si128(is(v, b'@'), pair(b'%', b'4')),
            _mm_or_si128(_mm_and_si128(is(v, b'\\'), u), pair(b'&', b'#')),
        );
        _mm_movemask_epi8(any) as u32
    };
    half(0) | half(16) << 16
}
