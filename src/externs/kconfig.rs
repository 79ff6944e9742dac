//! Kernel config values for `.kconfig` externs (pure: text in, bytes of the
//! `.kconfig` map out).
//!
//! A config line `CONFIG_FOO=<value>` sets extern `CONFIG_FOO` if the object
//! has it and it is not set yet: `y`/`n`/`m` for bool, tristate and char
//! externs, a quoted string for `char[N]` (truncated to fit), or an integer
//! (decimal, 0x hex or 0 octal, as `strtoull`) for integer and char externs,
//! range-checked against the extern's size and signedness. Other lines are
//! ignored.

use super::{Extern, ExternKind, Kcfg, KcfgType};
use crate::error::{Error, Result};

/// `enum libbpf_tristate` values.
pub const TRI_NO: u32 = 0;
pub const TRI_YES: u32 = 1;
pub const TRI_MODULE: u32 = 2;

fn slot<'d>(k: &Kcfg, data: &'d mut [u8]) -> Result<&'d mut [u8]> {
    let start = k.data_off as usize;
    data.get_mut(start..start + k.size as usize).ok_or(Error::INVAL)
}

fn write_num(dst: &mut [u8], size: u32, v: u64) -> Result<()> {
    match size {
        1 | 2 | 4 | 8 => {
            dst[..size as usize].copy_from_slice(&v.to_le_bytes()[..size as usize]);
            Ok(())
        }
        _ => Err(Error::INVAL),
    }
}

/// Sets a bool, tristate or char extern from `y`, `n` or `m`.
pub fn set_value_tri(ext: &mut Extern, data: &mut [u8], value: u8) -> Result<()> {
    let ExternKind::Kcfg(k) = ext.kind else { return Err(Error::INVAL) };
    let dst = slot(&k, data)?;
    match k.ty {
        KcfgType::Bool => {
            if value == b'm' {
                pr_warn!("extern (kcfg) '{}': value '{}' implies tristate or char type", ext.name, value as char);
                return Err(Error::INVAL);
            }
            dst[0] = u8::from(value == b'y');
        }
        KcfgType::Tristate => {
            let v = match value {
                b'y' => TRI_YES,
                b'm' => TRI_MODULE,
                _ => TRI_NO,
            };
            // stored as a C enum: 4 bytes
            write_num(dst, 4, u64::from(v))?;
        }
        KcfgType::Char => dst[0] = value,
        _ => {
            pr_warn!("extern (kcfg) '{}': value '{}' implies bool, tristate, or char type", ext.name, value as char);
            return Err(Error::INVAL);
        }
    }
    ext.is_set = true;
    Ok(())
}

/// Sets a `char[N]` extern from a quoted string (`"..."`).
pub fn set_value_str(ext: &mut Extern, data: &mut [u8], value: &str) -> Result<()> {
    let ExternKind::Kcfg(k) = ext.kind else { return Err(Error::INVAL) };
    if k.ty != KcfgType::CharArr {
        pr_warn!("extern (kcfg) '{}': value '{}' implies char array type", ext.name, value);
        return Err(Error::INVAL);
    }
    let b = value.as_bytes();
    if b.len() < 2 || b[b.len() - 1] != b'"' {
        pr_warn!("extern (kcfg) '{}': invalid string config '{}'", ext.name, value);
        return Err(Error::INVAL);
    }
    let mut len = b.len() - 2;
    if len >= k.size as usize {
        pr_warn!(
            "extern (kcfg) '{}': long string '{}' of ({} bytes) truncated to {} bytes",
            ext.name,
            value,
            len,
            k.size - 1
        );
        len = k.size as usize - 1;
    }
    let dst = slot(&k, data)?;
    dst[..len].copy_from_slice(&b[1..1 + len]);
    dst[len] = 0;
    ext.is_set = true;
    Ok(())
}

fn in_range(k: &Kcfg, v: u64) -> bool {
    if k.size >= 8 {
        return true;
    }
    let bits = k.size * 8;
    if k.is_signed {
        v.wrapping_add(1u64 << (bits - 1)) < (1u64 << bits)
    } else {
        v >> bits == 0
    }
}

/// Sets an integer, char or bool extern from a number (bool: 0 or 1 only);
/// `ERANGE` when it does not fit.
pub fn set_value_num(ext: &mut Extern, data: &mut [u8], value: u64) -> Result<()> {
    let ExternKind::Kcfg(k) = ext.kind else { return Err(Error::INVAL) };
    if !matches!(k.ty, KcfgType::Int | KcfgType::Char | KcfgType::Bool) {
        pr_warn!("extern (kcfg) '{}': value '{}' implies integer, char, or boolean type", ext.name, value);
        return Err(Error::INVAL);
    }
    if k.ty == KcfgType::Bool && value > 1 {
        pr_warn!("extern (kcfg) '{}': value '{}' isn't boolean compatible", ext.name, value);
        return Err(Error::INVAL);
    }
    if !in_range(&k, value) {
        pr_warn!("extern (kcfg) '{}': value '{}' doesn't fit in {} bytes", ext.name, value, k.size);
        return Err(Error::RANGE);
    }
    let dst = slot(&k, data)?;
    write_num(dst, k.size, value)?;
    ext.is_set = true;
    Ok(())
}

/// Parses an unsigned integer like `strtoull(s, &end, 0)` requiring the
/// whole string to be consumed: optional spaces and sign, `0x` hex, `0`
/// octal or decimal; a negative number wraps as in C. `ERANGE` on overflow,
/// `EINVAL` when characters are left over.
pub fn parse_u64(s: &str) -> Result<u64> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && (b[i] == b' ' || (b'\t'..=b'\r').contains(&b[i])) {
        i += 1;
    }
    let mut neg = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        neg = b[i] == b'-';
        i += 1;
    }
    let mut radix = 10;
    if b.len() > i + 1 && b[i] == b'0' && (b[i + 1] | 0x20) == b'x' && b.get(i + 2).is_some_and(|c| c.is_ascii_hexdigit()) {
        radix = 16;
        i += 2;
    } else if i < b.len() && b[i] == b'0' {
        radix = 8;
    }
    let start = i;
    let mut v: u64 = 0;
    let mut overflow = false;
    while i < b.len() {
        let Some(d) = (b[i] as char).to_digit(radix) else { break };
        match v.checked_mul(u64::from(radix)).and_then(|x| x.checked_add(u64::from(d))) {
            Some(x) => v = x,
            None => overflow = true,
        }
        i += 1;
    }
    if i == start {
        // no digits: strtoull consumes nothing
        pr_warn!("failed to parse '{}' as integer completely", s);
        return Err(Error::INVAL);
    }
    if overflow {
        pr_warn!("failed to parse '{}' as integer: {}", s, -libc::ERANGE);
        return Err(Error::RANGE);
    }
    if i != b.len() {
        pr_warn!("failed to parse '{}' as integer completely", s);
        return Err(Error::INVAL);
    }
    Ok(if neg { v.wrapping_neg() } else { v })
}

/// Applies one config line to the externs (see the module comment).
/// Lines not starting with `CONFIG_` are ignored; a `CONFIG_` line without
/// `=` or without a value is an error (`EINVAL`), as is a value that does
/// not suit the extern's type.
pub fn process_line(externs: &mut [Extern], data: &mut [u8], line: &str) -> Result<()> {
    if !line.starts_with("CONFIG_") {
        return Ok(());
    }
    let line = line.strip_suffix('\n').unwrap_or(line);
    let Some((name, value)) = line.split_once('=') else {
        pr_warn!("failed to parse '{}': no separator", line);
        return Err(Error::INVAL);
    };
    if value.is_empty() {
        pr_warn!("failed to parse '{}': no value", line);
        return Err(Error::INVAL);
    }
    let Some(ext) = externs.iter_mut().find(|e| e.name == name) else { return Ok(()) };
    if ext.is_set {
        return Ok(());
    }
    let Some(k) = ext.kcfg().copied() else { return Ok(()) };
    match value.as_bytes()[0] {
        c @ (b'y' | b'n' | b'm') => set_value_tri(ext, data, c)?,
        b'"' => set_value_str(ext, data, value)?,
        _ => {
            let num = parse_u64(value).map_err(|e| {
                pr_warn!("extern (kcfg) '{}': value '{}' isn't a valid integer", ext.name, value);
                e
            })?;
            if k.ty != KcfgType::Int && k.ty != KcfgType::Char {
                pr_warn!("extern (kcfg) '{}': value '{}' implies integer type", ext.name, value);
                return Err(Error::INVAL);
            }
            set_value_num(ext, data, num)?;
        }
    }
    pr_debug!("extern (kcfg) '{}': set to {}", ext.name, value);
    Ok(())
}

/// Applies a whole config text (lines of at most 4095 bytes, as libbpf
/// reads them). `what` names the source in the error log line.
pub fn process_text(externs: &mut [Extern], data: &mut [u8], text: &str, what: &str) -> Result<()> {
    for line in text.split_inclusive('\n') {
        if let Err(e) = process_line(externs, data, line) {
            pr_warn!("error parsing {} Kconfig line '{}': {}", what, line, e.neg());
            return Err(e);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ext(name: &str, ty: KcfgType, size: u32, signed: bool, off: u32) -> Extern {
        Extern {
            name: name.into(),
            essent_name: None,
            sym_idx: 0,
            btf_id: 0,
            sec_btf_id: 0,
            is_weak: false,
            is_set: false,
            kind: ExternKind::Kcfg(Kcfg { ty, size, align: 1, is_signed: signed, data_off: off }),
        }
    }

    #[test]
    fn values_of_every_type() {
        let mut ex = vec![
            ext("CONFIG_B", KcfgType::Bool, 1, false, 0),
            ext("CONFIG_T", KcfgType::Tristate, 4, false, 4),
            ext("CONFIG_I", KcfgType::Int, 4, true, 8),
            ext("CONFIG_S", KcfgType::CharArr, 6, false, 12),
            ext("CONFIG_C", KcfgType::Char, 1, false, 18),
            ext("CONFIG_H", KcfgType::Int, 8, false, 24),
        ];
        let mut d = vec![0xaau8; 32];
        let text = "# comment\nCONFIG_B=y\nCONFIG_T=m\nCONFIG_I=-5\nCONFIG_S=\"hello world\"\nCONFIG_C=m\nCONFIG_H=0x10\nCONFIG_OTHER=1\nCONFIG_B=n\n";
        process_text(&mut ex, &mut d, text, "in-memory").unwrap();
        assert!(ex.iter().all(|e| e.is_set));
        assert_eq!(d[0], 1);
        assert_eq!(&d[4..8], &2u32.to_le_bytes());
        assert_eq!(&d[8..12], &(-5i32).to_le_bytes());
        assert_eq!(&d[12..18], b"hello\0");
        assert_eq!(d[18], b'm');
        assert_eq!(&d[24..32], &16u64.to_le_bytes());
    }

    #[test]
    fn mismatches_and_ranges() {
        let mut d = vec![0u8; 8];
        let mut ex = vec![ext("CONFIG_B", KcfgType::Bool, 1, false, 0)];
        assert_eq!(process_line(&mut ex, &mut d, "CONFIG_B=m\n"), Err(Error::INVAL));
        assert_eq!(process_line(&mut ex, &mut d, "CONFIG_B=2\n"), Err(Error::INVAL));
        assert_eq!(process_line(&mut ex, &mut d, "CONFIG_B\n"), Err(Error::INVAL));
        assert_eq!(process_line(&mut ex, &mut d, "CONFIG_B=\n"), Err(Error::INVAL));
        let mut ex = vec![ext("CONFIG_U", KcfgType::Int, 1, false, 0), ext("CONFIG_S", KcfgType::Int, 1, true, 1)];
        assert_eq!(process_line(&mut ex, &mut d, "CONFIG_U=256"), Err(Error::RANGE));
        assert_eq!(process_line(&mut ex, &mut d, "CONFIG_S=-129"), Err(Error::RANGE));
        process_line(&mut ex, &mut d, "CONFIG_S=-128").unwrap();
        assert_eq!(d[1], 0x80);
        assert_eq!(process_line(&mut ex, &mut d, "CONFIG_U=12abc"), Err(Error::INVAL));
        assert_eq!(process_line(&mut ex, &mut d, "CONFIG_U=\"x\""), Err(Error::INVAL));
    }

    #[test]
    fn strtoull_forms() {
        assert_eq!(parse_u64("42"), Ok(42));
        assert_eq!(parse_u64("0x1F"), Ok(31));
        assert_eq!(parse_u64("010"), Ok(8));
        assert_eq!(parse_u64("0"), Ok(0));
        assert_eq!(parse_u64("-1"), Ok(u64::MAX));
        assert_eq!(parse_u64("99999999999999999999"), Err(Error::RANGE));
        assert_eq!(parse_u64("x"), Err(Error::INVAL));
        assert_eq!(parse_u64("09"), Err(Error::INVAL));
    }
}
