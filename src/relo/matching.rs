//! Matching a local spec against a target type: field lookup through named
//! and anonymous members, and the three type relations CO-RE uses —
//! field compatibility, type compatibility (`bpf_core_type_exists`,
//! `TYPE_SIZE`, `TYPE_ID_TARGET`, typed ksyms) and the stricter type match
//! (`bpf_core_type_matches`).
//!
//! Every function answers `Ok(true)` / `Ok(false)`, or an error for BTF that
//! cannot be walked (dangling ids, loops, nesting too deep).

use super::kind;
use super::spec::{self, Accessor, Spec, SPEC_MAX_LEN};
use super::view::{self, essential_name_len, skip_mods_and_typedefs as skip, TypeView};
use crate::error::{Error, Result};
use crate::uapi::btf::*;

/// Recursion budget of the type relations (libbpf's depth and level limits).
const MAX_DEPTH: i32 = 32;

fn skip_or_inval(btf: &dyn TypeView, id: u32) -> Result<u32> {
    skip(btf, id).ok_or(Error::INVAL)
}

fn int_offset(btf: &dyn TypeView, id: u32) -> u32 {
    btf.int_info(id).1
}

fn same_essential(a: &str, b: &str) -> bool {
    let la = essential_name_len(a);
    let lb = essential_name_len(b);
    la == lb && a.as_bytes()[..la] == b.as_bytes()[..lb]
}

/// Do two names match for `bpf_core_type_matches`: both anonymous, or the
/// same up to their flavor suffixes.
pub fn names_match(local: &str, targ: &str) -> bool {
    if targ.is_empty() {
        return local.is_empty();
    }
    same_essential(local, targ)
}

/// Can a field of local type `local_id` be read as a field of target type
/// `targ_id`: any two structs/unions, pointers, floats; enums and forward
/// declarations with matching (or absent) names; integers that are not
/// legacy bitfield-ints; arrays whose elements are compatible.
pub fn fields_are_compat(lb: &dyn TypeView, mut lid: u32, tb: &dyn TypeView, mut tid: u32) -> Result<bool> {
    for _ in 0..=SPEC_MAX_LEN {
        lid = skip_or_inval(lb, lid)?;
        tid = skip_or_inval(tb, tid)?;
        let (lk, tk) = (lb.kind(lid), tb.kind(tid));
        if view::is_composite(lk) && view::is_composite(tk) {
            return Ok(true);
        }
        if !view::kinds_core_compat(lk, tk) {
            return Ok(false);
        }
        match lk {
            Some(BTF_KIND_PTR | BTF_KIND_FLOAT) => return Ok(true),
            Some(BTF_KIND_FWD | BTF_KIND_ENUM | BTF_KIND_ENUM64) => {
                let (ln, tn) = (lb.name(lid), tb.name(tid));
                let (ll, tl) = (essential_name_len(ln), essential_name_len(tn));
                return Ok(ll == 0 || tl == 0 || (ll == tl && ln.as_bytes()[..ll] == tn.as_bytes()[..tl]));
            }
            Some(BTF_KIND_INT) => return Ok(int_offset(lb, lid) == 0 && int_offset(tb, tid) == 0),
            Some(BTF_KIND_ARRAY) => {
                lid = lb.array(lid).ok_or(Error::INVAL)?.0;
                tid = tb.array(tid).ok_or(Error::INVAL)?.0;
            }
            _ => return Ok(false),
        }
    }
    Err(Error::INVAL)
}

/// Type compatibility for type-based relocations and typed ksyms. The roots'
/// names were already matched by the caller; below them names are ignored:
/// same kinds (enums of both widths mix), integers without bit offsets,
/// pointers and arrays compared through what they point to / contain,
/// function prototypes by argument count and argument/return types.
pub fn types_are_compat(lb: &dyn TypeView, lid: u32, tb: &dyn TypeView, tid: u32) -> Result<bool> {
    types_are_compat_level(lb, lid, tb, tid, MAX_DEPTH)
}

fn types_are_compat_level(lb: &dyn TypeView, mut lid: u32, tb: &dyn TypeView, mut tid: u32, level: i32) -> Result<bool> {
    if !view::kinds_core_compat(lb.kind(lid), tb.kind(tid)) {
        return Ok(false);
    }
    let mut depth = MAX_DEPTH;
    loop {
        depth -= 1;
        if depth < 0 {
            return Err(Error::INVAL);
        }
        lid = skip_or_inval(lb, lid)?;
        tid = skip_or_inval(tb, tid)?;
        let (lk, tk) = (lb.kind(lid), tb.kind(tid));
        if !view::kinds_core_compat(lk, tk) {
            return Ok(false);
        }
        match lk {
            Some(
                BTF_KIND_UNKN | BTF_KIND_STRUCT | BTF_KIND_UNION | BTF_KIND_ENUM | BTF_KIND_FWD | BTF_KIND_ENUM64,
            ) => return Ok(true),
            Some(BTF_KIND_INT) => return Ok(int_offset(lb, lid) == 0 && int_offset(tb, tid) == 0),
            Some(BTF_KIND_PTR) => {
                lid = lb.type_ref(lid);
                tid = tb.type_ref(tid);
            }
            Some(BTF_KIND_ARRAY) => {
                lid = lb.array(lid).ok_or(Error::INVAL)?.0;
                tid = tb.array(tid).ok_or(Error::INVAL)?.0;
            }
            Some(BTF_KIND_FUNC_PROTO) => {
                let n = lb.vlen(lid);
                if n != tb.vlen(tid) {
                    return Ok(false);
                }
                for i in 0..n {
                    if level <= 0 {
                        return Err(Error::INVAL);
                    }
                    let lp = lb.param(lid, i).ok_or(Error::INVAL)?.1;
                    let tp = tb.param(tid, i).ok_or(Error::INVAL)?.1;
                    let lp = skip_or_inval(lb, lp)?;
                    let tp = skip_or_inval(tb, tp)?;
                    if !types_are_compat_level(lb, lp, tb, tp, level - 1)? {
                        return Ok(false);
                    }
                }
                lid = skip_or_inval(lb, lb.type_ref(lid))?;
                tid = skip_or_inval(tb, tb.type_ref(tid))?;
            }
            _ => {
                pr_warn!(
                    "unexpected kind {} relocated, local [{}], target [{}]",
                    view::kind_str(lk),
                    lid,
                    tid
                );
                return Ok(false);
            }
        }
    }
}

/// `bpf_core_type_matches` semantics: modifiers and typedefs ignored; names
/// must match (flavors aside) at every level; same kinds, except that a
/// struct/union behind a pointer also matches a forward declaration of the
/// same kind and enums of both widths mix; integers by size and signedness;
/// arrays by length and element; pointers by pointee; structs/unions when
/// every local member has a same-named matching member in the target
/// (members behind pointers only by name and kind); enums when sizes are
/// equal and every local enumerator name exists in the target; function
/// prototypes by arity, argument and return types.
pub fn types_match(lb: &dyn TypeView, lid: u32, tb: &dyn TypeView, tid: u32) -> Result<bool> {
    types_match_level(lb, lid, tb, tid, false, MAX_DEPTH)
}

fn enums_match(lb: &dyn TypeView, lid: u32, tb: &dyn TypeView, tid: u32) -> bool {
    if lb.size(lid) != tb.size(tid) {
        return false;
    }
    let (ln, tn) = (lb.vlen(lid), tb.vlen(tid));
    if ln > tn {
        return false;
    }
    (0..ln).all(|i| {
        let Some(le) = lb.enumerator(lid, i) else { return false };
        (0..tn).any(|j| tb.enumerator(tid, j).is_some_and(|te| names_match(le.name, te.name)))
    })
}

fn composites_match(lb: &dyn TypeView, lid: u32, tb: &dyn TypeView, tid: u32, behind_ptr: bool, level: i32) -> Result<bool> {
    let (ln, tn) = (lb.vlen(lid), tb.vlen(tid));
    if ln > tn {
        return Ok(false);
    }
    for i in 0..ln {
        let lm = lb.member(lid, i).ok_or(Error::INVAL)?;
        let mut matched = false;
        for j in 0..tn {
            let tm = tb.member(tid, j).ok_or(Error::INVAL)?;
            if !names_match(lm.name, tm.name) {
                continue;
            }
            if types_match_level(lb, lm.type_id, tb, tm.type_id, behind_ptr, level - 1)? {
                matched = true;
                break;
            }
        }
        if !matched {
            return Ok(false);
        }
    }
    Ok(true)
}

fn types_match_level(
    lb: &dyn TypeView,
    mut lid: u32,
    tb: &dyn TypeView,
    mut tid: u32,
    mut behind_ptr: bool,
    level: i32,
) -> Result<bool> {
    if level <= 0 {
        return Err(Error::INVAL);
    }
    let mut depth = MAX_DEPTH;
    loop {
        depth -= 1;
        if depth < 0 {
            return Err(Error::INVAL);
        }
        lid = skip_or_inval(lb, lid)?;
        tid = skip_or_inval(tb, tid)?;
        if !names_match(lb.name(lid), tb.name(tid)) {
            return Ok(false);
        }
        let (lk, tk) = (lb.kind(lid).unwrap_or(u32::MAX), tb.kind(tid).unwrap_or(u32::MAX));
        match lk {
            BTF_KIND_UNKN => return Ok(lk == tk),
            BTF_KIND_FWD => {
                let lf = lb.kflag(lid);
                if behind_ptr {
                    if lk == tk {
                        return Ok(lf == tb.kflag(tid));
                    }
                    return Ok((tk == BTF_KIND_STRUCT && !lf) || (tk == BTF_KIND_UNION && lf));
                }
                return Ok(lk == tk && lf == tb.kflag(tid));
            }
            BTF_KIND_ENUM | BTF_KIND_ENUM64 => {
                if !view::is_any_enum(Some(tk)) {
                    return Ok(false);
                }
                return Ok(enums_match(lb, lid, tb, tid));
            }
            BTF_KIND_STRUCT | BTF_KIND_UNION => {
                if behind_ptr {
                    if lk == tk {
                        return Ok(true);
                    }
                    if tk != BTF_KIND_FWD {
                        return Ok(false);
                    }
                    return Ok((lk == BTF_KIND_UNION) == tb.kflag(tid));
                }
                if lk != tk {
                    return Ok(false);
                }
                return composites_match(lb, lid, tb, tid, behind_ptr, level);
            }
            BTF_KIND_INT => {
                if lk != tk {
                    return Ok(false);
                }
                let ls = lb.int_info(lid).0 & BTF_INT_SIGNED;
                let ts = tb.int_info(tid).0 & BTF_INT_SIGNED;
                return Ok(lb.size(lid) == tb.size(tid) && ls == ts);
            }
            BTF_KIND_PTR => {
                if lk != tk {
                    return Ok(false);
                }
                behind_ptr = true;
                lid = lb.type_ref(lid);
                tid = tb.type_ref(tid);
            }
            BTF_KIND_ARRAY => {
                if lk != tk {
                    return Ok(false);
                }
                let la = lb.array(lid).ok_or(Error::INVAL)?;
                let ta = tb.array(tid).ok_or(Error::INVAL)?;
                if la.2 != ta.2 {
                    return Ok(false);
                }
                lid = la.0;
                tid = ta.0;
            }
            BTF_KIND_FUNC_PROTO => {
                if lk != tk {
                    return Ok(false);
                }
                let n = lb.vlen(lid);
                if n != tb.vlen(tid) {
                    return Ok(false);
                }
                for i in 0..n {
                    let lp = lb.param(lid, i).ok_or(Error::INVAL)?.1;
                    let tp = tb.param(tid, i).ok_or(Error::INVAL)?.1;
                    if !types_match_level(lb, lp, tb, tp, behind_ptr, level - 1)? {
                        return Ok(false);
                    }
                }
                lid = lb.type_ref(lid);
                tid = tb.type_ref(tid);
            }
            _ => {
                pr_warn!(
                    "unexpected kind {} relocated, local [{}], target [{}]",
                    view::kind_str(lb.kind(lid)),
                    lid,
                    tid
                );
                return Ok(false);
            }
        }
    }
}

/// Looks for the target member matching the named local accessor `lacc`
/// inside the struct/union `tid`, descending into anonymous members. On
/// success the target accessor has been pushed to `ts` (raw steps and bit
/// offset follow the path taken) and `next` holds the member's type.
fn match_member(
    lb: &dyn TypeView,
    lacc: &Accessor,
    tb: &dyn TypeView,
    tid: u32,
    ts: &mut Spec<'_>,
    next: &mut u32,
) -> Result<bool> {
    let tid = skip_or_inval(tb, tid)?;
    if !view::is_composite(tb.kind(tid)) {
        return Ok(false);
    }
    let lm = lb.member(lacc.type_id, lacc.idx).ok_or(Error::INVAL)?;
    for i in 0..tb.vlen(tid) {
        let m = tb.member(tid, i).ok_or(Error::INVAL)?;
        if ts.raw.len() == SPEC_MAX_LEN {
            return Err(Error::TOO_BIG);
        }
        ts.bit_offset = ts.bit_offset.wrapping_add(m.bit_offset);
        ts.raw.push(i);
        if m.name.is_empty() {
            if match_member(lb, lacc, tb, m.type_id, ts, next)? {
                return Ok(true);
            }
        } else if m.name == lm.name {
            ts.access.push(Accessor { type_id: tid, idx: i, name: Some(m.name.to_string()) });
            *next = m.type_id;
            let compat = fields_are_compat(lb, lm.type_id, tb, m.type_id)?;
            if !compat {
                ts.access.pop();
            }
            return Ok(compat);
        }
        ts.bit_offset = ts.bit_offset.wrapping_sub(m.bit_offset);
        ts.raw.pop();
    }
    Ok(false)
}

/// Tries to match the local spec against candidate `tid` of target BTF `tb`.
/// Returns whether it matched and the (possibly partial, for logs) target spec.
pub fn spec_match<'t>(local: &Spec<'_>, tb: &'t dyn TypeView, tid: u32) -> Result<(bool, Spec<'t>)> {
    let mut ts = Spec::new(tb, tid, local.kind);

    if kind::is_type_based(local.kind) {
        let ok = if local.kind == kind::TYPE_MATCHES {
            types_match(local.btf, local.root_type_id, tb, tid)?
        } else {
            types_are_compat(local.btf, local.root_type_id, tb, tid)?
        };
        return Ok((ok, ts));
    }

    let Some(first) = local.access.first() else { return Err(Error::INVAL) };

    if kind::is_enumval_based(local.kind) {
        let Some(tid) = skip(tb, tid) else { return Ok((false, ts)) };
        if !view::is_any_enum(tb.kind(tid)) {
            return Ok((false, ts));
        }
        let lname = first.name.as_deref().unwrap_or("");
        for i in 0..tb.vlen(tid) {
            let Some(e) = tb.enumerator(tid, i) else { continue };
            if same_essential(lname, e.name) {
                ts.access.push(Accessor { type_id: tid, idx: i, name: Some(e.name.to_string()) });
                ts.raw.push(i);
                return Ok((true, ts));
            }
        }
        return Ok((false, ts));
    }

    if !kind::is_field_based(local.kind) {
        return Err(Error::INVAL);
    }

    let mut tid = tid;
    for (i, lacc) in local.access.iter().enumerate() {
        tid = skip_or_inval(tb, tid)?;
        if lacc.name.is_some() {
            let mut next = tid;
            if !match_member(local.btf, lacc, tb, tid, &mut ts, &mut next)? {
                return Ok((false, ts));
            }
            tid = next;
            continue;
        }
        if i > 0 {
            if tb.kind(tid) != Some(BTF_KIND_ARRAY) {
                return Ok((false, ts));
            }
            let (elem, _, nelems) = tb.array(tid).ok_or(Error::INVAL)?;
            let flex = spec::is_flex_array(tb, ts.access.last(), nelems);
            if !flex && lacc.idx >= nelems {
                return Ok((false, ts));
            }
            tid = skip_or_inval(tb, elem)?;
        }
        if ts.raw.len() == SPEC_MAX_LEN {
            return Err(Error::TOO_BIG);
        }
        ts.access.push(Accessor { type_id: tid, idx: lacc.idx, name: None });
        ts.raw.push(lacc.idx);
        let size = view::resolve_size(tb, tid)?;
        ts.bit_offset = ts.bit_offset.wrapping_add((u64::from(lacc.idx).wrapping_mul(size).wrapping_mul(8)) as u32);
    }
    Ok((true, ts))
}
