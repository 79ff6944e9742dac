//! Access specifications: what a relocation points at, in one BTF.
//!
//! A relocation's access string ("0:1:2:3") walks from its root type through
//! array indices and struct/union members. A [`Spec`] keeps two views of that
//! walk: `raw`, one entry per step (anonymous members included), and `access`,
//! only the steps that matter when matching another BTF: the initial index,
//! named members and array indices. It also carries the bit offset the walk
//! reaches. Type-based relocations have no walk; enum-value ones have a single
//! step naming the enumerator.

use super::kind::{self, CoreRelo};
use super::view::{self, TypeView};
use crate::error::{Error, Result};
use crate::uapi::btf::*;

/// Longest access string libbpf accepts.
pub const SPEC_MAX_LEN: usize = 64;

/// One meaningful step of an access: a type and an index into it; `name` is
/// set for a named member (or the enumerator of an enum-value relocation).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Accessor {
    pub type_id: u32,
    pub idx: u32,
    pub name: Option<String>,
}

/// A relocation resolved against one BTF.
#[derive(Clone)]
pub struct Spec<'b> {
    pub btf: &'b dyn TypeView,
    pub root_type_id: u32,
    pub kind: u32,
    pub access: Vec<Accessor>,
    pub raw: Vec<u32>,
    pub bit_offset: u32,
}

impl<'b> Spec<'b> {
    /// An empty spec for `root_type_id` in `btf`.
    pub fn new(btf: &'b dyn TypeView, root_type_id: u32, kind: u32) -> Spec<'b> {
        Spec { btf, root_type_id, kind, access: Vec::new(), raw: Vec::new(), bit_offset: 0 }
    }
}

/// Parses one decimal index of an access string (what `%d` accepts, minus
/// negative numbers, which no valid access contains). Returns the value and
/// the number of bytes consumed.
fn parse_index(s: &[u8]) -> Option<(u32, usize)> {
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_whitespace() {
        i += 1;
    }
    if i < s.len() && s[i] == b'+' {
        i += 1;
    }
    let start = i;
    let mut v: u64 = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        v = v * 10 + u64::from(s[i] - b'0');
        if v > i32::MAX as u64 {
            return None;
        }
        i += 1;
    }
    (i > start).then_some((v as u32, i))
}

/// Splits "0:1:2" into indices, with libbpf's rules (no leading ':', no empty
/// step, at most [`SPEC_MAX_LEN`] steps).
pub fn parse_access_string(s: &str) -> Result<Vec<u32>> {
    let b = s.as_bytes();
    if b.is_empty() || b[0] == b':' {
        return Err(Error::INVAL);
    }
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < b.len() {
        if b[pos] == b':' {
            pos += 1;
        }
        let (v, used) = parse_index(&b[pos..]).ok_or(Error::INVAL)?;
        if out.len() == SPEC_MAX_LEN {
            return Err(Error::TOO_BIG);
        }
        out.push(v);
        pos += used;
    }
    if out.is_empty() {
        return Err(Error::INVAL);
    }
    Ok(out)
}

/// Is the array reached through `parent` a flexible array member: a
/// zero-length array that is the last member of its struct?
pub fn is_flex_array(btf: &dyn TypeView, parent: Option<&Accessor>, nelems: u32) -> bool {
    match parent {
        Some(acc) if acc.name.is_some() && nelems == 0 => {
            let vlen = btf.vlen(acc.type_id);
            vlen > 0 && acc.idx == vlen - 1
        }
        _ => false,
    }
}

fn scaled_bits(idx: u32, size: u64) -> u32 {
    // libbpf computes idx * size * 8 in 64 bits and stores it in 32.
    (u64::from(idx).wrapping_mul(size).wrapping_mul(8)) as u32
}

/// Parses a relocation's access string against the local BTF into a spec,
/// validating every step and accumulating the bit offset. Errors (all
/// `EINVAL` unless said otherwise): empty or malformed string, a type-based
/// relocation whose string is not "0", a step out of bounds, a step into a
/// type that has no parts, a non-enum for an enum-value relocation, an
/// unknown kind; `E2BIG` for more than 64 steps; size errors as `resolve_size`.
pub fn parse_spec<'b>(prog_name: &str, btf: &'b dyn TypeView, relo: &CoreRelo) -> Result<Spec<'b>> {
    let spec_str = btf.str_at(relo.access_str_off).unwrap_or("");
    if spec_str.is_empty() || spec_str.starts_with(':') {
        return Err(Error::INVAL);
    }
    let mut spec = Spec::new(btf, relo.type_id, relo.kind);

    if kind::is_type_based(relo.kind) {
        return if spec_str == "0" { Ok(spec) } else { Err(Error::INVAL) };
    }

    spec.raw = parse_access_string(spec_str)?;
    let mut id = view::skip_mods_and_typedefs(btf, relo.type_id).ok_or(Error::INVAL)?;
    let first = spec.raw[0];
    spec.access.push(Accessor { type_id: id, idx: first, name: None });

    if kind::is_enumval_based(relo.kind) {
        if !view::is_any_enum(btf.kind(id)) || spec.raw.len() > 1 || first >= btf.vlen(id) {
            return Err(Error::INVAL);
        }
        let e = btf.enumerator(id, first).ok_or(Error::INVAL)?;
        spec.access[0].name = Some(e.name.to_string());
        return Ok(spec);
    }
    if !kind::is_field_based(relo.kind) {
        return Err(Error::INVAL);
    }

    let size = view::resolve_size(btf, id)?;
    spec.bit_offset = scaled_bits(first, size);

    for step in 1..spec.raw.len() {
        id = view::skip_mods_and_typedefs(btf, id).ok_or(Error::INVAL)?;
        let idx = spec.raw[step];
        let k = btf.kind(id);
        if view::is_composite(k) {
            if idx >= btf.vlen(id) {
                return Err(Error::INVAL);
            }
            let m = btf.member(id, idx).ok_or(Error::INVAL)?;
            spec.bit_offset = spec.bit_offset.wrapping_add(m.bit_offset);
            if !m.name.is_empty() {
                spec.access.push(Accessor { type_id: id, idx, name: Some(m.name.to_string()) });
            }
            id = m.type_id;
        } else if k == Some(BTF_KIND_ARRAY) {
            let (elem, _, nelems) = btf.array(id).ok_or(Error::INVAL)?;
            id = view::skip_mods_and_typedefs(btf, elem).ok_or(Error::INVAL)?;
            let flex = is_flex_array(btf, spec.access.last(), nelems);
            if !flex && idx >= nelems {
                return Err(Error::INVAL);
            }
            spec.access.push(Accessor { type_id: id, idx, name: None });
            let size = view::resolve_size(btf, id)?;
            spec.bit_offset = spec.bit_offset.wrapping_add(scaled_bits(idx, size));
        } else {
            pr_warn!(
                "prog '{}': relo for [{}] {} (at idx {}) captures type [{}] of unexpected kind {}",
                prog_name,
                relo.type_id,
                spec_str,
                step,
                id,
                view::kind_str(k)
            );
            return Err(Error::INVAL);
        }
    }
    Ok(spec)
}

/// Formats a spec the way libbpf's logs show it:
/// `<kind> [id] struct name.field[3] (0:1:3 @ offset 12)` (at most 255 bytes).
pub fn format_spec(spec: &Spec<'_>) -> String {
    use core::fmt::Write;
    let btf = spec.btf;
    let id = spec.root_type_id;
    let name = btf.name(id);
    let mut s = String::new();
    let _ = write!(
        s,
        "<{}> [{}] {} {}",
        kind::kind_str(spec.kind),
        id,
        view::kind_str(btf.kind(id)),
        if name.is_empty() { "<anon>" } else { name }
    );
    if kind::is_enumval_based(spec.kind) {
        if let (Some(t), Some(&idx)) = (view::skip_mods_and_typedefs(btf, id), spec.raw.first()) {
            if let Some(e) = btf.enumerator(t, idx) {
                let signed = btf.kflag(t);
                if btf.kind(t) == Some(BTF_KIND_ENUM) {
                    if signed {
                        let _ = write!(s, "::{} = {}", e.name, e.value as u32 as i32);
                    } else {
                        let _ = write!(s, "::{} = {}", e.name, e.value as u32);
                    }
                } else if signed {
                    let _ = write!(s, "::{} = {}", e.name, e.value as i64);
                } else {
                    let _ = write!(s, "::{} = {}", e.name, e.value);
                }
            }
        }
    } else if kind::is_field_based(spec.kind) {
        for (i, acc) in spec.access.iter().enumerate() {
            match &acc.name {
                Some(n) => {
                    let _ = write!(s, ".{n}");
                }
                None if i > 0 || acc.idx > 0 => {
                    let _ = write!(s, "[{}]", acc.idx);
                }
                None => {}
            }
        }
        s.push_str(" (");
        for (i, r) in spec.raw.iter().enumerate() {
            let _ = write!(s, "{}{}", if i == 0 { "" } else { ":" }, r);
        }
        if spec.bit_offset % 8 != 0 {
            let _ = write!(s, " @ offset {}.{})", spec.bit_offset / 8, spec.bit_offset % 8);
        } else {
            let _ = write!(s, " @ offset {})", spec.bit_offset / 8);
        }
    }
    if s.len() > 255 {
        let mut cut = 255;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_strings() {
        assert_eq!(parse_access_string("0").unwrap(), vec![0]);
        assert_eq!(parse_access_string("0:1:22:3").unwrap(), vec![0, 1, 22, 3]);
        assert_eq!(parse_access_string(""), Err(Error::INVAL));
        assert_eq!(parse_access_string(":1"), Err(Error::INVAL));
        assert_eq!(parse_access_string("0:"), Err(Error::INVAL));
        assert_eq!(parse_access_string("0::1"), Err(Error::INVAL));
        assert_eq!(parse_access_string("0:x"), Err(Error::INVAL));
        assert_eq!(parse_access_string("0:-1"), Err(Error::INVAL));
        assert_eq!(parse_access_string("99999999999"), Err(Error::INVAL));
        let long = vec!["1"; 65].join(":");
        assert_eq!(parse_access_string(&long), Err(Error::TOO_BIG));
        let max = vec!["1"; 64].join(":");
        assert_eq!(parse_access_string(&max).unwrap().len(), 64);
    }
}
