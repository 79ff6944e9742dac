//! x86-64 USDT argument specs: the `Arguments` string of a probe note
//! (e.g. `-4@%edi 8@-24(%rbp) -4@$5 1@-96(%rbp,%rax,8)`) turned into a
//! [`Spec`].
//!
//! Each argument is `<size>@<operand>`: the size is 1, 2, 4 or 8 bytes,
//! negative for signed values; the operand is an immediate (`$5`), a
//! register (`%eax`), a memory reference (`-8(%rbp)`, `(%rsp)`) or a
//! scale-index-base reference (`-96(%rbp,%rax,8)`). Any other form (for
//! example symbol-relative `glob(%rip)`) is refused, as libbpf refuses it.
//! Operands are recognised with the same scanf patterns, tried in the same
//! order, as libbpf, so borderline strings get the same verdict.

use crate::error::{Error, Result};

use super::scan::{scan, Scan, Tok, Tok::*};
use super::spec::{ArgKind, ArgSpec, Spec, MAX_ARGS};

/// `struct pt_regs` offsets of the x86-64 registers, by every name an
/// operand may use for them (64-, 32-, 16- and 8-bit views).
const REGS: &[(&[&str], i16)] = &[
    (&["rip", "eip"], 128),
    (&["rax", "eax", "ax", "al"], 80),
    (&["rbx", "ebx", "bx", "bl"], 40),
    (&["rcx", "ecx", "cx", "cl"], 88),
    (&["rdx", "edx", "dx", "dl"], 96),
    (&["rsi", "esi", "si", "sil"], 104),
    (&["rdi", "edi", "di", "dil"], 112),
    (&["rbp", "ebp", "bp", "bpl"], 32),
    (&["rsp", "esp", "sp", "spl"], 152),
    (&["r8", "r8d", "r8w", "r8b"], 72),
    (&["r9", "r9d", "r9w", "r9b"], 64),
    (&["r10", "r10d", "r10w", "r10b"], 56),
    (&["r11", "r11d", "r11w", "r11b"], 48),
    (&["r12", "r12d", "r12w", "r12b"], 24),
    (&["r13", "r13d", "r13w", "r13b"], 16),
    (&["r14", "r14d", "r14w", "r14b"], 8),
    (&["r15", "r15d", "r15w", "r15b"], 0),
];

/// The `pt_regs` offset of register `name`; `ENOENT` (with a warning) when
/// it is not a general-purpose register or `rip`.
pub fn pt_regs_off(name: &str) -> Result<i16> {
    for (names, off) in REGS {
        if names.contains(&name) {
            return Ok(*off);
        }
    }
    crate::pr_warn!("usdt: unrecognized register '{name}'");
    Err(Error::NOENT)
}

const PCT: Tok = Lit(b'%');
const fn upto(stop: u8) -> Tok {
    Until { max: 15, stop }
}

// "<size> @ <off> ( %<base> , %<index> , <scale> )"
const SIB_OFF_SCALE: &[Tok] = &[
    Ws, Int, Ws, Lit(b'@'), Ws, Int, Ws, Lit(b'('), Ws, PCT, upto(b','), Ws, Lit(b','), Ws, PCT, upto(b','), Ws, Lit(b','), Ws, Int, Ws,
    Lit(b')'), Ws,
];
// "<size> @ ( %<base> , %<index> , <scale> )"
const SIB_SCALE: &[Tok] = &[
    Ws, Int, Ws, Lit(b'@'), Ws, Lit(b'('), Ws, PCT, upto(b','), Ws, Lit(b','), Ws, PCT, upto(b','), Ws, Lit(b','), Ws, Int, Ws, Lit(b')'), Ws,
];
// "<size> @ <off> ( %<base> , %<index> )"
const SIB_OFF: &[Tok] =
    &[Ws, Int, Ws, Lit(b'@'), Ws, Int, Ws, Lit(b'('), Ws, PCT, upto(b','), Ws, Lit(b','), Ws, PCT, upto(b')'), Ws, Lit(b')'), Ws];
// "<size> @ ( %<base> , %<index> )"
const SIB: &[Tok] = &[Ws, Int, Ws, Lit(b'@'), Ws, Lit(b'('), Ws, PCT, upto(b','), Ws, Lit(b','), Ws, PCT, upto(b')'), Ws, Lit(b')'), Ws];
// "<size> @ <off> ( %<reg> )"
const DEREF_OFF: &[Tok] = &[Ws, Int, Ws, Lit(b'@'), Ws, Int, Ws, Lit(b'('), Ws, PCT, upto(b')'), Ws, Lit(b')'), Ws];
// "<size> @ ( %<reg> )"
const DEREF: &[Tok] = &[Ws, Int, Ws, Lit(b'@'), Ws, Lit(b'('), Ws, PCT, upto(b')'), Ws, Lit(b')'), Ws];
// "<size> @ %<reg>"
const REG: &[Tok] = &[Ws, Int, Ws, Lit(b'@'), Ws, PCT, Word { max: 15 }, Ws];
// "<size> @ $<value>"
const CONST: &[Tok] = &[Ws, Int, Ws, Lit(b'@'), Ws, Lit(b'$'), Int, Ws];

/// Tries `pat`; Some when it converts exactly `n` values.
fn try_pat(s: &[u8], pat: &[Tok], n: usize) -> Option<Scan> {
    let r = scan(s, pat);
    (r.count() == n).then_some(r)
}

/// One parsed argument: its spec (size fields not yet set), its signed
/// size as written, and the bytes of the string it used.
struct Parsed {
    arg: ArgSpec,
    size: i32,
    len: usize,
}

fn sib(base: &str, index: &str, off: i64, scale: i64) -> Result<ArgSpec> {
    let reg_off = pt_regs_off(base)?;
    let idx = pt_regs_off(index)?;
    let scale_shift = match scale {
        1 => 0,
        2 => 1,
        4 => 2,
        8 => 3,
        _ => {
            crate::pr_warn!("usdt: invalid SIB scale {scale}, expected 1, 2, 4, 8");
            return Err(Error::INVAL);
        }
    };
    Ok(ArgSpec { kind: ArgKind::Sib, val_off: off as u64, reg_off, idx_reg_off: idx as u16, scale_shift, signed: false, bitshift: 0 })
}

fn simple(kind: ArgKind, val_off: i64, reg_off: i16) -> ArgSpec {
    ArgSpec { kind, val_off: val_off as u64, reg_off, idx_reg_off: 0, scale_shift: 0, signed: false, bitshift: 0 }
}

fn parse_one(s: &[u8], arg_num: usize) -> Result<Parsed> {
    let done = |r: &Scan, arg: ArgSpec| Parsed { arg, size: r.int(0) as i32, len: r.consumed.unwrap_or(r.stopped_at) };
    if let Some(r) = try_pat(s, SIB_OFF_SCALE, 5) {
        return Ok(done(&r, sib(r.str(2), r.str(3), r.int(1), r.int(4) as i32 as i64)?));
    }
    if let Some(r) = try_pat(s, SIB_SCALE, 4) {
        return Ok(done(&r, sib(r.str(1), r.str(2), 0, r.int(3) as i32 as i64)?));
    }
    if let Some(r) = try_pat(s, SIB_OFF, 4) {
        return Ok(done(&r, sib(r.str(2), r.str(3), r.int(1), 1)?));
    }
    if let Some(r) = try_pat(s, SIB, 3) {
        return Ok(done(&r, sib(r.str(1), r.str(2), 0, 1)?));
    }
    if let Some(r) = try_pat(s, DEREF_OFF, 3) {
        return Ok(done(&r, simple(ArgKind::RegDeref, r.int(1), pt_regs_off(r.str(2))?)));
    }
    if let Some(r) = try_pat(s, DEREF, 2) {
        return Ok(done(&r, simple(ArgKind::RegDeref, 0, pt_regs_off(r.str(1))?)));
    }
    if let Some(r) = try_pat(s, REG, 2) {
        return Ok(done(&r, simple(ArgKind::Reg, 0, pt_regs_off(r.str(1))?)));
    }
    if let Some(r) = try_pat(s, CONST, 2) {
        return Ok(done(&r, simple(ArgKind::Const, r.int(1), 0)));
    }
    crate::pr_warn!("usdt: unrecognized arg #{arg_num} spec '{}'", String::from_utf8_lossy(s));
    Err(Error::INVAL)
}

/// Parses the arguments string `args` of probe `provider:name` into a spec
/// carrying `cookie`. `E2BIG` beyond 12 arguments; `EINVAL` for an
/// operand or size it cannot read; `ENOENT` for an unknown register (each
/// with a warning).
pub fn parse_spec(provider: &str, name: &str, args: &str, cookie: u64) -> Result<Spec> {
    let mut spec = Spec { args: Vec::new(), cookie };
    let bytes = args.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() && bytes[pos] != 0 {
        if spec.args.len() >= MAX_ARGS {
            crate::pr_warn!("usdt: too many USDT arguments (> {MAX_ARGS}) for '{provider}:{name}' with args spec '{args}'");
            return Err(Error::TOO_BIG);
        }
        let rest = &bytes[pos..];
        let p = parse_one(rest, spec.args.len())?;
        let mut arg = p.arg;
        arg.signed = p.size < 0;
        let size = p.size.wrapping_abs();
        arg.bitshift = match size {
            1 | 2 | 4 | 8 => (64 - size * 8) as u8,
            _ => {
                crate::pr_warn!("usdt: unsupported arg #{} (spec '{}') size: {size}", spec.args.len(), String::from_utf8_lossy(rest));
                return Err(Error::INVAL);
            }
        };
        spec.args.push(arg);
        // Every accepted form consumes at least "<size>@"; never loop in place.
        pos += p.len.max(1);
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> ArgSpec {
        let spec = parse_spec("p", "n", s, 0).unwrap();
        assert_eq!(spec.args.len(), 1, "{s}");
        spec.args[0]
    }

    #[test]
    fn registers() {
        let a = one("-4@%eax");
        assert_eq!((a.kind, a.reg_off, a.signed, a.bitshift, a.val_off), (ArgKind::Reg, 80, true, 32, 0));
        let a = one("8@%rdx");
        assert_eq!((a.kind, a.reg_off, a.signed, a.bitshift), (ArgKind::Reg, 96, false, 0));
        assert_eq!(one("-1@%sil").reg_off, 104);
        assert_eq!(one("2@%r10w").reg_off, 56);
        assert_eq!(one("-2@%cx").bitshift, 48);
        assert_eq!(one("8@%r15").reg_off, 0);
        assert_eq!(one("8@%rsp").reg_off, 152);
    }

    #[test]
    fn memory_and_constants() {
        let a = one("8@-8(%rbp)");
        assert_eq!((a.kind, a.reg_off, a.val_off as i64), (ArgKind::RegDeref, 32, -8));
        let a = one("-4@-1204(%rbp)");
        assert_eq!((a.val_off as i64, a.signed, a.bitshift), (-1204, true, 32));
        let a = one("8@(%rsp)");
        assert_eq!((a.kind, a.reg_off, a.val_off), (ArgKind::RegDeref, 152, 0));
        let a = one("-4@$5");
        assert_eq!((a.kind, a.val_off, a.signed), (ArgKind::Const, 5, true));
        assert_eq!(one("-4@$-9").val_off as i64, -9);
        assert_eq!(one("-8@$1234567890123").val_off, 1_234_567_890_123);
    }

    #[test]
    fn scale_index_base() {
        let a = one("1@-96(%rbp,%rax,8)");
        assert_eq!((a.kind, a.val_off as i64, a.reg_off, a.idx_reg_off, a.scale_shift, a.bitshift), (ArgKind::Sib, -96, 32, 80, 3, 56));
        let a = one("-2@(%rdi,%rcx,2)");
        assert_eq!((a.val_off, a.reg_off, a.idx_reg_off, a.scale_shift, a.signed), (0, 112, 88, 1, true));
        let a = one("4@16(%rsi,%rdx)");
        assert_eq!((a.val_off, a.reg_off, a.idx_reg_off, a.scale_shift), (16, 104, 96, 0));
        let a = one("8@(%r8,%r9)");
        assert_eq!((a.reg_off, a.idx_reg_off, a.scale_shift), (72, 64, 0));
        assert_eq!(parse_spec("p", "n", "1@-96(%rbp,%rax,3)", 0), Err(Error::INVAL));
    }

    #[test]
    fn full_strings() {
        let s = parse_spec("test", "usdt12", "-4@-1204(%rbp) -4@%edi -8@-1216(%rbp) -8@%r8 -4@$5 -8@%r9 8@%rdx 8@%r10 -4@$-9 -2@%cx -2@%ax -1@%sil", 7).unwrap();
        assert_eq!(s.args.len(), 12);
        assert_eq!(s.cookie, 7);
        assert_eq!(s.args[11].reg_off, 104);
        assert_eq!(s.args[8].val_off as i64, -9);
        // Leading/trailing and repeated blanks are fine.
        assert_eq!(parse_spec("p", "n", "  8@%rax    4@$1  ", 0).unwrap().args.len(), 2);
        assert_eq!(parse_spec("p", "n", "", 0).unwrap().args.len(), 0);
    }

    #[test]
    fn refusals() {
        let thirteen = ["8@%rax"; 13].join(" ");
        assert_eq!(parse_spec("p", "n", &thirteen, 0), Err(Error::TOO_BIG));
        assert_eq!(parse_spec("p", "n", "-4@glob(%rip)", 0), Err(Error::INVAL));
        assert_eq!(parse_spec("p", "n", "3@%rax", 0), Err(Error::INVAL));
        assert_eq!(parse_spec("p", "n", "16@%rax", 0), Err(Error::INVAL));
        assert_eq!(parse_spec("p", "n", "8@%xmm0", 0), Err(Error::NOENT));
        assert_eq!(parse_spec("p", "n", "8@-8(%foo)", 0), Err(Error::NOENT));
        assert_eq!(parse_spec("p", "n", "garbage", 0), Err(Error::INVAL));
        assert_eq!(parse_spec("p", "n", "8@", 0), Err(Error::INVAL));
        // libbpf's patterns read a base "register" across a later argument
        // when the string has a comma further on: the name is then unknown.
        assert_eq!(parse_spec("p", "n", "-4@-8(%rbp) 8@(%rax,%rbx)", 0), Err(Error::NOENT));
    }

    #[test]
    fn hostile_strings_never_panic() {
        for s in ["@@@@", "-@%", "8@(%", "8@(%,%,", "8@-(%rax)", "\u{fffd}@%rax", "8@%", "99999999999999999999999@$1", "-2147483648@%rax"] {
            let _ = parse_spec("p", "n", s, 0);
        }
    }
}
