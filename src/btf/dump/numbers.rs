//! Numbers as C's printf writes them: decimal, hex, `%p`, and `%f` for
//! float, double and x86 `long double` (80-bit extended precision, which
//! Rust has no type for: converted exactly, digit by digit).

use super::Cx;

/// Decimal digits of `v` into the end of `buf`; returns where they start.
fn dec(mut v: u64, buf: &mut [u8; 20]) -> usize {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            return i;
        }
    }
}

impl Cx<'_, '_> {
    /// `%llu`.
    pub(super) fn put_u64(&mut self, v: u64) {
        let mut buf = [0u8; 20];
        let at = dec(v, &mut buf);
        self.out.put(&buf[at..]);
    }

    /// `%lld`.
    pub(super) fn put_i64(&mut self, v: i64) {
        if v < 0 {
            self.out.put(b"-");
        }
        self.put_u64(v.unsigned_abs());
    }

    /// `%llx` (lower case, no prefix).
    pub(super) fn put_hex(&mut self, v: u64) {
        self.out.put(hex(v, 0).as_bytes());
    }
}

/// Lower-case hex of `v`, zero-padded to `width`.
fn hex(v: u64, width: usize) -> String {
    format!("{v:0width$x}")
}

/// `%p` as glibc prints it: `(nil)` or `0x...`.
pub(super) fn pointer(v: u64) -> String {
    if v == 0 {
        "(nil)".to_string()
    } else {
        format!("0x{v:x}")
    }
}

/// `%f` of a float or double (Rust's fixed-precision formatting rounds
/// exactly, ties to even, as glibc does; only the special values differ).
pub(super) fn fixed6(v: f64) -> String {
    if v.is_nan() {
        return if v.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if v.is_infinite() {
        return if v < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    format!("{v:.6}")
}

/// `%Lf` of an x86 80-bit extended-precision value: 64-bit significand
/// (explicit integer bit) and a 15-bit exponent with the sign above it.
pub(super) fn fixed6_x87(significand: u64, sign_exp: u16) -> String {
    let neg = sign_exp & 0x8000 != 0;
    let exp = (sign_exp & 0x7fff) as i32;
    let sign = if neg { "-" } else { "" };
    if exp == 0x7fff {
        return if significand << 1 == 0 { format!("{sign}inf") } else { format!("{sign}nan") };
    }
    // value = significand * 2^(e) (denormals use the smallest exponent).
    let e = if exp == 0 { 1 - 16383 - 63 } else { exp - 16383 - 63 };
    format!("{sign}{}", fixed6_exact(significand, e))
}

/// `m * 2^e` with 6 decimals, rounded to nearest with ties to even.
fn fixed6_exact(m: u64, e: i32) -> String {
    const SCALE: u128 = 1_000_000;
    if e >= 0 {
        // An integer: m shifted left, in base 10^9 limbs.
        let mut limbs: Vec<u32> = vec![(m % 1_000_000_000) as u32, (m / 1_000_000_000 % 1_000_000_000) as u32];
        limbs.push((m / 1_000_000_000 / 1_000_000_000) as u32);
        let mut left = e;
        while left > 0 {
            let step = left.min(29);
            let mut carry: u64 = 0;
            for l in limbs.iter_mut() {
                let v = ((*l as u64) << step) + carry;
                *l = (v % 1_000_000_000) as u32;
                carry = v / 1_000_000_000;
            }
            while carry > 0 {
                limbs.push((carry % 1_000_000_000) as u32);
                carry /= 1_000_000_000;
            }
            left -= step;
        }
        while limbs.len() > 1 && *limbs.last().unwrap_or(&1) == 0 {
            limbs.pop();
        }
        let mut s = String::new();
        for (i, l) in limbs.iter().rev().enumerate() {
            if i == 0 {
                s.push_str(&l.to_string());
            } else {
                s.push_str(&format!("{l:09}"));
            }
        }
        s.push_str(".000000");
        return s;
    }
    // m * 10^6 / 2^k, rounded.
    let k = (-e) as u32;
    let scaled = m as u128 * SCALE;
    let (q, round_up) = if k >= 127 {
        (0u128, false)
    } else {
        let q = scaled >> k;
        let rem = scaled - (q << k);
        let half = 1u128 << (k - 1);
        (q, rem > half || (rem == half && q & 1 == 1))
    };
    let q = q + round_up as u128;
    format!("{}.{:06}", q / SCALE, q % SCALE)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An f64 as x87 extended precision (exact).
    fn to_x87(v: f64) -> (u64, u16) {
        let bits = v.to_bits();
        let sign = ((bits >> 63) as u16) << 15;
        let exp = ((bits >> 52) & 0x7ff) as i32;
        let frac = bits & ((1 << 52) - 1);
        if exp == 0x7ff {
            return (if frac == 0 { 1 << 63 } else { 3 << 62 }, sign | 0x7fff);
        }
        if exp == 0 {
            if frac == 0 {
                return (0, sign);
            }
            // Normalise the double's denormal.
            let shift = frac.leading_zeros();
            let m = frac << shift;
            let e = -1022 - (shift as i32 - 11);
            return (m, sign | (e + 16383) as u16);
        }
        ((1 << 63) | (frac << 11), sign | (exp - 1023 + 16383) as u16)
    }

    #[test]
    fn x87_matches_double_formatting() {
        let values = [
            0.0, -0.0, 1.0, -9.876543, 9.876543, 0.0078125, 0.5, 2.5, 1e300, 1e-300, 123456789.123456789,
            f64::MAX, f64::MIN_POSITIVE, 5e-324, 0.0000005, 2.0000005, 1.0 / 3.0, 4503599627370497.5,
        ];
        for v in values {
            let (m, se) = to_x87(v);
            assert_eq!(fixed6_x87(m, se), fixed6(v), "{v}");
        }
        assert_eq!(fixed6_x87(1 << 63, 0x7fff), "inf");
        assert_eq!(fixed6_x87(1 << 63, 0xffff), "-inf");
        assert_eq!(fixed6_x87(3 << 62, 0x7fff), "nan");
        assert_eq!(fixed6(f64::NAN), "nan");
        assert_eq!(fixed6(-f64::INFINITY), "-inf");
        // 2^64 - 1 + 0.5 is not representable; 2^70 is an integer.
        assert_eq!(fixed6_x87(1 << 63, (16383 + 70) as u16), "1180591620717411303424.000000");
    }

    #[test]
    fn integers_and_pointers() {
        let mut b = [0u8; 20];
        let at = dec(u64::MAX, &mut b);
        assert_eq!(&b[at..], b"18446744073709551615");
        assert_eq!(pointer(0), "(nil)");
        assert_eq!(pointer(0x1234), "0x1234");
        assert_eq!(hex(0xab, 16), "00000000000000ab");
    }
}
