//! Typed data: a value of a BTF type printed as a C compound literal,
//! `(struct s){.a = (int)1,.b = (char[4])['x','y',],}`, indented one level
//! per nesting unless compact.
//!
//! Members that are zero are left out (unless `emit_zeroes`), except at the
//! top level and inside non-char arrays; a struct counts as zero when its
//! first member is (libbpf's rule, kept for identical output). Scalars that
//! `data` does not fully hold end the dump with `E2BIG`; what came before
//! stays printed. Bytes past the end of `data` are never read: where libbpf
//! would look at them to decide whether a member is zero, the member is
//! taken as non-zero (and then fails with `E2BIG` when printed).

use super::numbers::{fixed6, fixed6_x87, pointer};
use super::{Cx, DataOpts};
use crate::btf::types::Type;
use crate::error::{Error, Result};
use crate::uapi::btf::*;

/// Longest indentation unit kept (libbpf copies it into 32 bytes).
const MAX_INDENT_STR: usize = 31;

/// Prints the value of type `id` held in `data` (see the module docs);
/// returns the size of the type.
pub(super) fn dump_value(cx: &mut Cx<'_, '_>, id: u32, data: &[u8], opts: &DataOpts<'_>) -> Result<i32> {
    let indent = &opts.indent_str[..opts.indent_str.len().min(MAX_INDENT_STR)];
    let mut d = Dumper {
        cx,
        data,
        addr: data.as_ptr() as usize,
        indent,
        indent_lvl: opts.indent_level as i64,
        compact: opts.compact,
        skip_names: opts.skip_names,
        emit_zeroes: opts.emit_zeroes,
        emit_strings: opts.emit_strings,
        depth: 0,
        is_array_member: false,
        is_array_terminated: false,
        is_array_char: false,
    };
    d.dump(b"", id, 0, 0, 0)
}

/// Whether a kind is a scalar (whose bytes must all be in `data`).
fn is_scalar(t: Type<'_>) -> bool {
    matches!(t.kind(), BTF_KIND_INT | BTF_KIND_FLOAT | BTF_KIND_PTR | BTF_KIND_ENUM | BTF_KIND_ENUM64)
}

/// `isprint()` in the C locale.
fn printable(c: u8) -> bool {
    (0x20..0x7f).contains(&c)
}

/// Little-endian value of up to 8 bytes.
fn le(bytes: &[u8]) -> u64 {
    bytes.iter().rev().fold(0, |acc, &b| acc << 8 | b as u64)
}

struct Dumper<'x, 'a, 'o> {
    cx: &'x mut Cx<'a, 'o>,
    data: &'x [u8],
    /// Address of `data`, for the alignment checks that decide how libbpf
    /// reads (and so prints) scalars.
    addr: usize,
    indent: &'x [u8],
    indent_lvl: i64,
    compact: bool,
    skip_names: bool,
    emit_zeroes: bool,
    emit_strings: bool,
    /// Nesting depth of the value being printed.
    depth: i64,
    is_array_member: bool,
    is_array_terminated: bool,
    /// Set by the first char array met, and kept (as libbpf does).
    is_array_char: bool,
}

impl<'a> Dumper<'_, 'a, '_> {
    /// `n` bytes at `off`, if `data` holds them all.
    fn bytes(&self, off: u64, n: u64) -> Option<&[u8]> {
        let end = off.checked_add(n)?;
        if end > self.data.len() as u64 {
            return None;
        }
        Some(&self.data[off as usize..end as usize])
    }

    fn put(&mut self, b: &[u8]) {
        self.cx.put(b);
    }

    /// A printed value is followed by a comma and, unless compact, a newline
    /// (neither at the top level).
    fn end_value(&mut self) {
        if self.depth != 0 {
            self.put(b",");
            if !self.compact {
                self.put(b"\n");
            }
        }
    }

    fn value(&mut self, text: &[u8]) {
        self.put(text);
        self.end_value();
    }

    fn indent(&mut self) {
        if self.compact {
            return;
        }
        for _ in 0..(self.indent_lvl + self.depth).max(0) {
            self.cx.out.put(self.indent);
        }
    }

    fn skip_mods(&self, id: u32) -> Result<(u32, Type<'a>)> {
        let btf: &'a crate::btf::Btf = self.cx.btf;
        let rid = btf.skip_mods_and_typedefs(id)?;
        Ok((rid, btf.type_at(rid)?))
    }

    /// Whether data at `off` sits where libbpf reads type `id` natively
    /// (aligned), rather than byte by byte.
    fn aligned(&mut self, id: u32, off: u64) -> bool {
        let align = self.cx.align_of(id) as u64;
        align != 0 && (self.addr as u64).wrapping_add(off) % align == 0
    }

    /// Prints one value: `.name = (type)value,`. Returns the size of the
    /// type (printed or skipped as zero).
    fn dump(&mut self, name: &[u8], id: u32, off: u64, bit_off: u8, bit_sz: u8) -> Result<i32> {
        if !self.cx.enter() {
            return Err(Error::INVAL);
        }
        let r = self.dump_inner(name, id, off, bit_off, bit_sz);
        self.cx.leave();
        r
    }

    fn dump_inner(&mut self, name: &[u8], id: u32, off: u64, bit_off: u8, bit_sz: u8) -> Result<i32> {
        let size = self.check_overflow(id, off, bit_off, bit_sz)?;
        if self.is_zero(id, off, bit_off, bit_sz)? {
            return Ok(size);
        }
        self.indent();
        if !self.skip_names {
            if !name.is_empty() {
                self.put(b".");
                self.put(name);
                self.put(b" = ");
            }
            self.type_cast(id, true);
        }
        let (rid, t) = self.skip_mods(id)?;
        // A struct or array inside itself (no C type is) would never end.
        let nests = matches!(t.kind(), BTF_KIND_STRUCT | BTF_KIND_UNION | BTF_KIND_ARRAY);
        if nests && !self.cx.activate(rid) {
            self.cx.warn_loop(rid);
            return Err(Error::INVAL);
        }
        let r = self.dump_kind(t, id, off, bit_off, bit_sz);
        if nests {
            self.cx.deactivate(rid);
        }
        r.map(|_| size)
    }

    /// Prints the value proper (after the name and cast).
    fn dump_kind(&mut self, t: Type<'_>, id: u32, off: u64, bit_off: u8, bit_sz: u8) -> Result<()> {
        match t.kind() {
            BTF_KIND_UNKN | BTF_KIND_FWD | BTF_KIND_FUNC | BTF_KIND_FUNC_PROTO | BTF_KIND_DECL_TAG => {
                self.put(b"<unsupported kind:");
                self.cx.put_u64(t.kind() as u64);
                self.put(b">");
                return Err(Error::NOT_SUPPORTED);
            }
            BTF_KIND_INT if bit_sz != 0 => {
                let v = self.bitfield(t, off, bit_off, bit_sz)?;
                self.put(b"0x");
                self.cx.put_hex(v);
                self.end_value();
            }
            BTF_KIND_INT => self.int(t, id, off)?,
            BTF_KIND_FLOAT => self.float(t, id, off)?,
            BTF_KIND_PTR => self.ptr(id, off),
            BTF_KIND_ARRAY => self.array(t, id, off)?,
            BTF_KIND_STRUCT | BTF_KIND_UNION => {
                self.composite(t, off)?;
            }
            BTF_KIND_ENUM | BTF_KIND_ENUM64 => {
                let v = if bit_sz != 0 {
                    // The bits, read back as an enum of the type's size.
                    let raw = self.bitfield(t, off, bit_off, bit_sz)?;
                    match (t.size(), t.kflag()) {
                        (8, _) => raw as i64,
                        (4, true) => raw as i32 as i64,
                        (4, false) => raw as u32 as i64,
                        (2, true) => raw as i16 as i64,
                        (2, false) => raw as u16 as i64,
                        (1, true) => raw as i8 as i64,
                        (1, false) => raw as u8 as i64,
                        (sz, _) => {
                            pr_warn!("unexpected size {sz} for enum, id:[{id}]");
                            return Err(Error::INVAL);
                        }
                    }
                } else {
                    self.enum_value(t, id, off)?
                };
                self.enum_name(t, v);
            }
            BTF_KIND_VAR => {
                self.var(t, off)?;
            }
            BTF_KIND_DATASEC => self.datasec(t, off)?,
            kind => {
                pr_warn!("unexpected kind [{kind}] for id [{id}]");
                return Err(Error::INVAL);
            }
        }
        Ok(())
    }

    /// The size of type `id`; `E2BIG` when it is a scalar `data` does not
    /// fully hold (composites may be shown in part).
    fn check_overflow(&mut self, id: u32, off: u64, bit_off: u8, bit_sz: u8) -> Result<i32> {
        if bit_sz != 0 {
            let nr = (bit_off as u64 + bit_sz as u64 + 7) / 8;
            return if off + nr > self.data.len() as u64 { Err(Error::TOO_BIG) } else { Ok(nr as i32) };
        }
        let size = match self.cx.btf.resolve_size(id) {
            Ok(s) if s < i32::MAX as u32 => s,
            r => {
                let shown = r.map_or_else(|e| -(e.errno() as i64) as u64, |s| s as u64);
                pr_warn!("unexpected size [{shown}] for id [{id}]");
                return Err(Error::INVAL);
            }
        };
        let (_, t) = self.skip_mods(id).inspect_err(|_| {
            pr_warn!("unexpected error skipping mods/typedefs for id [{id}]");
        })?;
        if is_scalar(t) && off + (bit_off / 8) as u64 + size as u64 > self.data.len() as u64 {
            return Err(Error::TOO_BIG);
        }
        Ok(size as i32)
    }

    /// Whether the value is zero and so left out (never at the top level,
    /// with `emit_zeroes`, or for members of non-char arrays).
    fn is_zero(&mut self, id: u32, off: u64, bit_off: u8, bit_sz: u8) -> Result<bool> {
        if self.emit_zeroes || self.depth == 0 || (self.is_array_member && !self.is_array_char) {
            return Ok(false);
        }
        if !self.cx.enter() {
            return Err(Error::INVAL);
        }
        let r = self.is_zero_inner(id, off, bit_off, bit_sz);
        self.cx.leave();
        r
    }

    fn is_zero_inner(&mut self, id: u32, off: u64, bit_off: u8, bit_sz: u8) -> Result<bool> {
        let (rid, t) = self.skip_mods(id)?;
        let nests = matches!(t.kind(), BTF_KIND_STRUCT | BTF_KIND_UNION | BTF_KIND_ARRAY);
        if nests && !self.cx.activate(rid) {
            self.cx.warn_loop(rid);
            return Err(Error::INVAL);
        }
        let r = self.is_zero_kind(t, id, off, bit_off, bit_sz);
        if nests {
            self.cx.deactivate(rid);
        }
        r
    }

    fn is_zero_kind(&mut self, t: Type<'_>, id: u32, off: u64, bit_off: u8, bit_sz: u8) -> Result<bool> {
        match t.kind() {
            BTF_KIND_INT if bit_sz != 0 => Ok(self.bitfield(t, off, bit_off, bit_sz)? == 0),
            BTF_KIND_INT | BTF_KIND_FLOAT | BTF_KIND_PTR => {
                let n = if t.is_ptr() { self.cx.d.ptr_sz } else { t.size() };
                if !(1..=16).contains(&n) {
                    pr_warn!("unexpected size {} for id [{id}]", n as i32);
                    return Err(Error::INVAL);
                }
                Ok(self.bytes(off, n as u64).is_some_and(|b| b.iter().all(|&b| b == 0)))
            }
            BTF_KIND_ARRAY => {
                let a = t.array().ok_or(Error::INVAL)?;
                // libbpf reads a failed size as a huge unsigned one.
                let elem_size = self.cx.btf.resolve_size(a.elem_type).unwrap_or_else(|e| e.neg() as u32) as u64;
                let (_, elem) = self.skip_mods(a.elem_type)?;
                let is_char = elem.is_int() && elem_size == 1;
                // A char array starting with NUL is an empty string.
                if is_char && a.nelems > 0 && self.bytes(off, 1) == Some(&[0]) {
                    return Ok(true);
                }
                for i in 0..a.nelems as u64 {
                    let at = off.saturating_add(i.saturating_mul(elem_size));
                    if !self.is_zero(a.elem_type, at, bit_off, 0)? {
                        return Ok(false);
                    }
                    // Elements of no size, or past the end of `data`, all
                    // look the same as this one.
                    if elem_size == 0 || at >= self.data.len() as u64 {
                        break;
                    }
                }
                Ok(true)
            }
            BTF_KIND_STRUCT | BTF_KIND_UNION => match t.members().next() {
                // libbpf decides on the first member alone.
                Some(m) => self.is_zero(m.type_id, off + (m.bit_offset / 8) as u64, (m.bit_offset % 8) as u8, m.bitfield_size as u8),
                None => Ok(true),
            },
            BTF_KIND_ENUM | BTF_KIND_ENUM64 => {
                if self.bytes(off, t.size() as u64).is_none() {
                    return Ok(false);
                }
                Ok(self.enum_value(t, id, off)? == 0)
            }
            _ => Ok(false),
        }
    }

    /// A bitfield of `bit_sz` bits, `bit_off` bits into the integer at
    /// `off` (read as the full integer type, little-endian).
    fn bitfield(&self, t: Type<'_>, off: u64, bit_off: u8, bit_sz: u8) -> Result<u64> {
        let nr_bytes = ((bit_off % 8) as u64 + bit_sz as u64 + 7) / 8;
        if off + nr_bytes > self.data.len() as u64 {
            return Err(Error::TOO_BIG);
        }
        if t.size() > 8 {
            pr_warn!("unexpected bitfield size {}", t.size());
            return Err(Error::INVAL);
        }
        // Bytes of the integer past the end of `data` only hold bits the
        // shifts below discard: read them as zero.
        let avail = self.data.len().saturating_sub(off as usize).min(t.size() as usize);
        let num = le(&self.data[off as usize..off as usize + avail]);
        let copied = bit_sz.wrapping_add(bit_off) as u32;
        // Shift counts as x86 applies them (modulo 64).
        let left = 64u32.wrapping_sub(copied) & 63;
        let right = 64u32.wrapping_sub(bit_sz as u32) & 63;
        Ok((num << left) >> right)
    }

    fn int(&mut self, t: Type<'_>, id: u32, off: u64) -> Result<()> {
        let sz = t.size();
        if sz == 0 || sz > 16 {
            pr_warn!("unexpected size {} for id [{id}]", sz as i32);
            return Err(Error::INVAL);
        }
        let b = self.bytes(off, sz as u64).ok_or(Error::TOO_BIG)?;
        let signed = t.int_encoding() & BTF_INT_SIGNED as u8 != 0;
        let text = match sz {
            16 => {
                let (lo, hi) = (le(&b[..8]), le(&b[8..16]));
                if hi == 0 {
                    format!("0x{lo:x}")
                } else {
                    format!("0x{hi:x}{lo:016x}")
                }
            }
            8 if signed => (le(b) as i64).to_string(),
            8 => le(b).to_string(),
            4 if signed => (le(b) as i32).to_string(),
            4 => (le(b) as u32).to_string(),
            2 if signed => (le(b) as i16).to_string(),
            2 => (le(b) as u16).to_string(),
            1 => {
                let c = b[0];
                if self.is_array_char {
                    if self.is_array_terminated {
                        return Ok(());
                    }
                    if c == 0 {
                        self.value(b"'\\0'");
                        self.is_array_terminated = true;
                        return Ok(());
                    }
                    if printable(c) {
                        self.value(&[b'\'', c, b'\'']);
                        return Ok(());
                    }
                }
                if signed {
                    (c as i8).to_string()
                } else {
                    c.to_string()
                }
            }
            _ => {
                pr_warn!("unexpected sz {} for id [{id}]", sz as i32);
                return Err(Error::INVAL);
            }
        };
        self.value(text.as_bytes());
        Ok(())
    }

    fn float(&mut self, t: Type<'_>, id: u32, off: u64) -> Result<()> {
        let sz = t.size();
        let b = self.bytes(off, sz.min(16) as u64).ok_or(Error::TOO_BIG)?;
        let text = match sz {
            // x86 long double: 80 bits in 16 bytes.
            16 => fixed6_x87(le(&b[..8]), le(&b[8..10]) as u16),
            8 => fixed6(f64::from_bits(le(b))),
            4 => fixed6(f32::from_bits(le(b) as u32) as f64),
            _ => {
                pr_warn!("unexpected size {} for id [{id}]", sz as i32);
                return Err(Error::INVAL);
            }
        };
        self.value(text.as_bytes());
        Ok(())
    }

    fn ptr(&mut self, id: u32, off: u64) {
        let ptr_sz = self.cx.d.ptr_sz;
        let host = core::mem::size_of::<usize>() as u32;
        let b = self.bytes(off, ptr_sz as u64).unwrap_or(&[]);
        let v = le(b);
        // An aligned native pointer goes through %p; others are hex.
        let text = if ptr_sz == host && self.aligned(id, off) { pointer(v) } else { format!("0x{v:x}") };
        self.value(text.as_bytes());
    }

    /// An enum's value at `off`: native read when aligned (sign-extended
    /// per the kind flag), else the raw little-endian bytes.
    fn enum_value(&mut self, t: Type<'_>, id: u32, off: u64) -> Result<i64> {
        if !self.aligned(id, off) {
            return Ok(self.bitfield(t, off, 0, 0)? as i64);
        }
        let signed = t.kflag();
        let b = self.bytes(off, t.size() as u64).ok_or(Error::TOO_BIG)?;
        Ok(match (t.size(), signed) {
            (8, _) => le(b) as i64,
            (4, true) => le(b) as i32 as i64,
            (4, false) => le(b) as u32 as i64,
            (2, true) => le(b) as i16 as i64,
            (2, false) => le(b) as u16 as i64,
            (1, true) => le(b) as i8 as i64,
            (1, false) => le(b) as u8 as i64,
            (sz, _) => {
                pr_warn!("unexpected size {sz} for enum, id:[{id}]");
                return Err(Error::INVAL);
            }
        })
    }

    /// The enumerator named for `v`, or the number.
    fn enum_name(&mut self, t: Type<'_>, v: i64) {
        let btf = self.cx.btf;
        for e in t.enumerators() {
            // A 32-bit enumerator compares as the signed value it is stored as.
            let ev = if t.is_enum() { e.value as u32 as i32 as i64 } else { e.value as i64 };
            if ev == v {
                let name = btf.str_bytes(e.name_off).unwrap_or(b"(null)");
                self.value(name);
                return;
            }
        }
        let text = match (t.is_enum(), t.kflag()) {
            (true, true) => (v as i32).to_string(),
            (true, false) => (v as u32).to_string(),
            (false, true) => format!("{v}LL"),
            (false, false) => format!("{}ULL", v as u64),
        };
        self.value(text.as_bytes());
    }

    /// A `char[]` holding a NUL-terminated string, as `"text"`; `Err` when
    /// there is no NUL within the array and `data` (printed as an array then).
    fn string(&mut self, nelems: u32, off: u64) -> Result<()> {
        let mut len = None;
        for i in 0..nelems as u64 {
            match self.bytes(off + i, 1) {
                None => return Err(Error::TOO_BIG),
                Some([0]) => {
                    len = Some(i);
                    break;
                }
                Some(_) => {}
            }
        }
        let len = len.ok_or(Error::INVAL)?;
        self.indent();
        self.put(b"\"");
        let text = self.bytes(off, len).unwrap_or(&[]).to_vec();
        for c in text {
            if printable(c) {
                self.put(&[c]);
            } else {
                self.put(format!("\\x{c:02x}").as_bytes());
            }
        }
        self.put(b"\"");
        Ok(())
    }

    fn array(&mut self, t: Type<'_>, id: u32, off: u64) -> Result<()> {
        let a = t.array().ok_or(Error::INVAL)?;
        let (_, elem) = self.skip_mods(a.elem_type)?;
        let elem_size = match self.cx.btf.resolve_size(a.elem_type) {
            Ok(s) if s > 0 => s as u64,
            r => {
                let shown = r.map_or_else(|e| e.neg() as i64, |s| s as i64);
                pr_warn!("unexpected elem size {shown} for array type [{id}]");
                return Err(Error::INVAL);
            }
        };
        if elem.is_int() && elem_size == 1 {
            if self.emit_strings && self.string(a.nelems, off).is_ok() {
                return Ok(());
            }
            self.is_array_char = true;
        }
        let elem_scalar = is_scalar(elem);
        self.depth += 1;
        self.put(b"[");
        if !self.compact {
            self.put(b"\n");
        }
        let saved = (self.is_array_member, self.is_array_terminated);
        self.is_array_member = true;
        self.is_array_terminated = false;
        for i in 0..a.nelems as u64 {
            if self.is_array_terminated {
                break;
            }
            let at = off.saturating_add(i.saturating_mul(elem_size));
            // Scalars past the end print nothing (E2BIG), nor will the rest.
            if elem_scalar && at.saturating_add(elem_size) > self.data.len() as u64 {
                break;
            }
            // An element that fails is skipped, as libbpf does.
            let _ = self.dump(b"", a.elem_type, at, 0, 0);
        }
        (self.is_array_member, self.is_array_terminated) = saved;
        self.depth -= 1;
        self.indent();
        self.value(b"]");
        Ok(())
    }

    /// Returns what the last member returned (its size).
    fn composite(&mut self, t: Type<'_>, off: u64) -> Result<i32> {
        self.depth += 1;
        self.put(b"{");
        if !self.compact {
            self.put(b"\n");
        }
        let btf = self.cx.btf;
        let mut last = 0;
        for m in t.members() {
            let name = btf.str_bytes(m.name_off).unwrap_or(b"(null)");
            let at = off + (m.bit_offset / 8) as u64;
            last = self.dump(name, m.type_id, at, (m.bit_offset % 8) as u8, m.bitfield_size as u8)?;
        }
        self.depth -= 1;
        self.indent();
        self.value(b"}");
        Ok(last)
    }

    /// `[static |extern ]type name = (value)`.
    fn var(&mut self, v: Type<'_>, off: u64) -> Result<i32> {
        match v.var_linkage() {
            Some(BTF_VAR_STATIC) => self.put(b"static "),
            Some(BTF_VAR_GLOBAL_EXTERN) => self.put(b"extern "),
            _ => {}
        }
        self.type_cast(v.type_id(), false);
        self.put(b" ");
        let name = self.cx.str_at(v.name_off());
        self.put(name);
        self.put(b" = ");
        self.dump(b"", v.type_id(), off, 0, 0)
    }

    /// `SEC("name") var; var; ...`.
    fn datasec(&mut self, t: Type<'_>, off: u64) -> Result<()> {
        self.put(b"SEC(\"");
        let name = self.cx.str_at(t.name_off());
        self.put(name);
        self.put(b"\") ");
        self.end_value();
        for v in t.secinfos() {
            self.dump(b"", v.type_id, off + v.offset as u64, 0, 0)?;
            self.put(b";");
        }
        Ok(())
    }

    /// `(type)` before a value (nothing for array elements, variables and
    /// sections); without parentheses for a variable's type.
    fn type_cast(&mut self, id: u32, parens: bool) {
        if self.is_array_member {
            return;
        }
        let Some(t) = self.cx.ty(id) else { return };
        if t.is_var() || t.is_datasec() {
            return;
        }
        if parens {
            self.put(b"(");
        }
        self.cx.skip_anon_defs = true;
        self.cx.strip_mods = true;
        self.cx.emit_decl(id, b"", 0);
        self.cx.strip_mods = false;
        self.cx.skip_anon_defs = false;
        if parens {
            self.put(b")");
        }
    }
}
