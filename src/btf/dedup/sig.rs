//! Type signatures: the hashes under which canonical candidates are filed
//! and the shallow comparisons deciding whether two records can be the same
//! type.
//!
//! The hash values are libbpf's exactly (`h * 31 + field` over the fields
//! named below, in 64-bit wrapping arithmetic): they decide which types are
//! filed together, and so, through the candidate order, which of several
//! matching types becomes canonical. A record is `&[u32]`; fields past the
//! end of a (malformed) record read as 0, and comparisons never index out
//! of bounds.

use crate::uapi::btf::*;

/// Word `i` of record `w` (0 when absent).
#[inline]
pub(super) fn wd(w: &[u32], i: usize) -> u32 {
    w.get(i).copied().unwrap_or(0)
}

#[inline]
pub(super) fn kind(w: &[u32]) -> u32 {
    btf_info_kind(wd(w, 1))
}

#[inline]
pub(super) fn vlen(w: &[u32]) -> usize {
    btf_info_vlen(wd(w, 1)) as usize
}

#[inline]
fn mix(h: u64, v: u32) -> u64 {
    h.wrapping_mul(31).wrapping_add(v as u64)
}

/// Name, info and size/type.
pub(super) fn hash_common(w: &[u32]) -> u64 {
    mix(mix(mix(0, wd(w, 0)), wd(w, 1)), wd(w, 2))
}

/// TYPEDEF: name and info (the target is compared through the type graph).
pub(super) fn hash_typedef(w: &[u32]) -> u64 {
    mix(mix(0, wd(w, 0)), wd(w, 1))
}

/// INT and DECL_TAG: the common fields and the word after them.
pub(super) fn hash_int_tag(w: &[u32]) -> u64 {
    mix(hash_common(w), wd(w, 3))
}

/// ENUM and ENUM64: the name only, so that forward declarations (no
/// values, any size) meet their definitions.
pub(super) fn hash_enum(w: &[u32]) -> u64 {
    mix(0, wd(w, 0))
}

/// STRUCT/UNION: the common fields and each member's name and offset, not
/// its type (not final yet when structs are compared).
pub(super) fn hash_struct(w: &[u32]) -> u64 {
    let mut h = hash_common(w);
    for i in 0..vlen(w) {
        h = mix(mix(h, wd(w, 3 + 3 * i)), wd(w, 5 + 3 * i));
    }
    h
}

/// ARRAY: the common fields, element type, index type and count.
pub(super) fn hash_array(w: &[u32]) -> u64 {
    mix(mix(mix(hash_common(w), wd(w, 3)), wd(w, 4)), wd(w, 5))
}

/// FUNC_PROTO: the common fields (return type included) and each
/// parameter's name and type.
pub(super) fn hash_fnproto(w: &[u32]) -> u64 {
    let mut h = hash_common(w);
    for i in 0..vlen(w) {
        h = mix(mix(h, wd(w, 3 + 2 * i)), wd(w, 4 + 2 * i));
    }
    h
}

/// A fine key for an ENUM/ENUM64: the whole record for a full enum (the
/// enums it can be equal to), the name for a forward declaration (see
/// [`fwd_enum_key`]).
pub(super) fn enum_key(w: &[u32]) -> u64 {
    if vlen(w) == 0 {
        return fwd_enum_key(hash_enum(w));
    }
    w.iter().fold(0x0e_u64, |h, &x| (h ^ x as u64).wrapping_mul(0x100_0000_01b3)).rotate_left(17) ^ 0xe11e
}

/// The fine key of the enum forward declarations of a name (given by its
/// [`hash_enum`]).
pub(super) fn fwd_enum_key(name_hash: u64) -> u64 {
    name_hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0xf0d
}

/// Same name, info and size/type.
pub(super) fn equal_common(a: &[u32], b: &[u32]) -> bool {
    wd(a, 0) == wd(b, 0) && wd(a, 1) == wd(b, 1) && wd(a, 2) == wd(b, 2)
}

/// Same name and info.
pub(super) fn equal_typedef(a: &[u32], b: &[u32]) -> bool {
    wd(a, 0) == wd(b, 0) && wd(a, 1) == wd(b, 1)
}

/// INT / DECL_TAG: common fields and the extra word.
pub(super) fn equal_int_tag(a: &[u32], b: &[u32]) -> bool {
    equal_common(a, b) && wd(a, 3) == wd(b, 3)
}

/// `n` words from `from` equal in both records.
fn same_words(a: &[u32], b: &[u32], from: usize, n: usize) -> bool {
    (from..from + n).all(|i| wd(a, i) == wd(b, i))
}

/// ENUM/ENUM64: common fields and every enumerator (name and value).
pub(super) fn equal_enum(a: &[u32], b: &[u32]) -> bool {
    if !equal_common(a, b) {
        return false;
    }
    let per = if kind(a) == BTF_KIND_ENUM { 2 } else { 3 };
    same_words(a, b, 3, vlen(a) * per)
}

/// An ENUM/ENUM64 without enumerators: a forward declaration.
pub(super) fn is_enum_fwd(w: &[u32]) -> bool {
    matches!(kind(w), BTF_KIND_ENUM | BTF_KIND_ENUM64) && vlen(w) == 0
}

/// Enums that can be the same type: equal, or one is a forward declaration
/// and both are enums of the same name (size and 32/64-bit kind aside).
pub(super) fn compat_enum(a: &[u32], b: &[u32]) -> bool {
    if !is_enum_fwd(a) && !is_enum_fwd(b) {
        return equal_enum(a, b);
    }
    let any_enum = |w: &[u32]| matches!(kind(w), BTF_KIND_ENUM | BTF_KIND_ENUM64);
    wd(a, 0) == wd(b, 0) && any_enum(a) && any_enum(b)
}

/// STRUCT/UNION: common fields and each member's name and offset.
pub(super) fn shallow_equal_struct(a: &[u32], b: &[u32]) -> bool {
    equal_common(a, b) && (0..vlen(a)).all(|i| wd(a, 3 + 3 * i) == wd(b, 3 + 3 * i) && wd(a, 5 + 3 * i) == wd(b, 5 + 3 * i))
}

/// ARRAY: every field, referenced ids included (final when arrays are
/// deduplicated).
pub(super) fn equal_array(a: &[u32], b: &[u32]) -> bool {
    equal_common(a, b) && same_words(a, b, 3, 3)
}

/// ARRAY shape: common fields and element count.
pub(super) fn compat_array(a: &[u32], b: &[u32]) -> bool {
    equal_common(a, b) && wd(a, 5) == wd(b, 5)
}

/// FUNC_PROTO: every field, referenced ids included.
pub(super) fn equal_fnproto(a: &[u32], b: &[u32]) -> bool {
    equal_common(a, b) && same_words(a, b, 3, 2 * vlen(a))
}

/// FUNC_PROTO shape: name, info and parameter names.
pub(super) fn compat_fnproto(a: &[u32], b: &[u32]) -> bool {
    wd(a, 0) == wd(b, 0) && wd(a, 1) == wd(b, 1) && (0..vlen(a)).all(|i| wd(a, 3 + 2 * i) == wd(b, 3 + 2 * i))
}

/// The kind a FWD declares (its kind flag: union, else struct).
pub(super) fn fwd_kind(w: &[u32]) -> u32 {
    if btf_info_kflag(wd(w, 1)) {
        BTF_KIND_UNION
    } else {
        BTF_KIND_STRUCT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libbpf_hash_values() {
        // hash_common = ((0*31 + name)*31 + info)*31 + size
        let w = [7, btf_info_enc(BTF_KIND_INT, false, 0), 4, 32];
        let info = w[1] as u64;
        assert_eq!(hash_common(&w), (7 * 31 + info) * 31 + 4);
        assert_eq!(hash_int_tag(&w), ((7 * 31 + info) * 31 + 4) * 31 + 32);
        assert_eq!(hash_enum(&[9, 0, 0]), 9);
        let s = [3, btf_info_enc(BTF_KIND_STRUCT, false, 1), 8, 5, 1, 64];
        let hs = hash_common(&s);
        assert_eq!(hash_struct(&s), (hs * 31 + 5) * 31 + 64);
        assert!(hash_common(&[u32::MAX; 3]) > 0);
    }

    #[test]
    fn enum_compat() {
        let full = [1, btf_info_enc(BTF_KIND_ENUM64, false, 1), 8, 2, 5, 0];
        let fwd = [1, btf_info_enc(BTF_KIND_ENUM, false, 0), 4];
        let other = [2, btf_info_enc(BTF_KIND_ENUM, false, 0), 4];
        assert!(compat_enum(&full, &fwd) && compat_enum(&fwd, &full));
        assert!(!compat_enum(&full, &other));
        assert!(!equal_enum(&full, &fwd));
        // A record shorter than its vlen compares as zeros, without panicking.
        assert!(!equal_enum(&[1, btf_info_enc(BTF_KIND_ENUM, false, 3), 4], &full));
    }
}
