//! The read-only view of a BTF that the CO-RE engine works on.
//!
//! The engine never touches BTF bytes itself: it asks a [`TypeView`] for the
//! kind, name and parts of a type id. `crate::btf::Btf` implements it (see
//! `relo::btf_impl`); the unit tests implement it over hand-built types. Every
//! accessor is total: an id or index out of range yields `None`/a neutral
//! value, so hostile BTF can make a relocation fail but never panic.

use crate::uapi::btf::*;

/// One member of a struct or union, decoded (bitfield layout resolved from
/// the kind flag).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member<'a> {
    pub name: &'a str,
    pub type_id: u32,
    pub bit_offset: u32,
    /// 0 when the member is not a bitfield.
    pub bitfield_size: u32,
}

/// One enumerator of an ENUM or ENUM64. `value` is the 64-bit value as the
/// CO-RE engine reports it: an ENUM's 32-bit value sign-extended, an ENUM64's
/// two halves joined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Enumerator<'a> {
    pub name: &'a str,
    pub value: u64,
}

/// Read access to one BTF (a split BTF answers for its base's ids as well).
pub trait TypeView {
    /// One past the last valid type id (`btf__type_cnt`).
    fn type_cnt(&self) -> u32;
    /// `BTF_KIND_*` of `id`; id 0 (void) is `BTF_KIND_UNKN`. `None` when out of range.
    fn kind(&self, id: u32) -> Option<u32>;
    /// The type's name ("" when anonymous or unreadable).
    fn name(&self, id: u32) -> &str;
    /// The type's name as bytes (no UTF-8 check): what indexes hash.
    fn name_bytes(&self, id: u32) -> &[u8] {
        self.name(id).as_bytes()
    }
    /// The string at offset `off` of the string section (`None` when out of range).
    fn str_at(&self, off: u32) -> Option<&str>;
    /// Number of members/enumerators/params/vars.
    fn vlen(&self, id: u32) -> u32;
    /// The kind flag.
    fn kflag(&self, id: u32) -> bool;
    /// The size word (INT, FLOAT, STRUCT, UNION, ENUM, ENUM64, DATASEC).
    fn size(&self, id: u32) -> u32;
    /// The type word (PTR, TYPEDEF, modifiers, TYPE_TAG, FUNC, VAR, FUNC_PROTO's return, DECL_TAG).
    fn type_ref(&self, id: u32) -> u32;
    /// INT encoding: (encoding flags, bit offset, bits).
    fn int_info(&self, id: u32) -> (u32, u32, u32);
    /// ARRAY: (element type, index type, number of elements).
    fn array(&self, id: u32) -> Option<(u32, u32, u32)>;
    /// Member `idx` of a STRUCT/UNION.
    fn member(&self, id: u32, idx: u32) -> Option<Member<'_>>;
    /// Enumerator `idx` of an ENUM/ENUM64.
    fn enumerator(&self, id: u32, idx: u32) -> Option<Enumerator<'_>>;
    /// Parameter `idx` of a FUNC_PROTO: (name, type).
    fn param(&self, id: u32, idx: u32) -> Option<(&str, u32)>;
    /// VAR linkage.
    fn var_linkage(&self, id: u32) -> u32;
    /// Variable `idx` of a DATASEC: (VAR type id, offset, size).
    fn datasec_var(&self, id: u32, idx: u32) -> Option<(u32, u32, u32)>;
    /// FUNC linkage (the vlen field of a FUNC).
    fn func_linkage(&self, id: u32) -> u32 {
        self.vlen(id)
    }
}

/// Short kind names as libbpf prints them in logs.
pub fn kind_str(kind: Option<u32>) -> &'static str {
    match kind {
        Some(BTF_KIND_UNKN) => "void",
        Some(BTF_KIND_INT) => "int",
        Some(BTF_KIND_PTR) => "ptr",
        Some(BTF_KIND_ARRAY) => "array",
        Some(BTF_KIND_STRUCT) => "struct",
        Some(BTF_KIND_UNION) => "union",
        Some(BTF_KIND_ENUM) => "enum",
        Some(BTF_KIND_FWD) => "fwd",
        Some(BTF_KIND_TYPEDEF) => "typedef",
        Some(BTF_KIND_VOLATILE) => "volatile",
        Some(BTF_KIND_CONST) => "const",
        Some(BTF_KIND_RESTRICT) => "restrict",
        Some(BTF_KIND_FUNC) => "func",
        Some(BTF_KIND_FUNC_PROTO) => "func_proto",
        Some(BTF_KIND_VAR) => "var",
        Some(BTF_KIND_DATASEC) => "datasec",
        Some(BTF_KIND_FLOAT) => "float",
        Some(BTF_KIND_DECL_TAG) => "decl_tag",
        Some(BTF_KIND_TYPE_TAG) => "type_tag",
        Some(BTF_KIND_ENUM64) => "enum64",
        _ => "unknown",
    }
}

pub fn is_any_enum(kind: Option<u32>) -> bool {
    matches!(kind, Some(BTF_KIND_ENUM) | Some(BTF_KIND_ENUM64))
}

pub fn is_composite(kind: Option<u32>) -> bool {
    matches!(kind, Some(BTF_KIND_STRUCT) | Some(BTF_KIND_UNION))
}

fn is_mod_or_typedef(kind: u32) -> bool {
    matches!(
        kind,
        BTF_KIND_TYPEDEF | BTF_KIND_VOLATILE | BTF_KIND_CONST | BTF_KIND_RESTRICT | BTF_KIND_TYPE_TAG
    )
}

/// Same kind, or both enums of either width: the kinds CO-RE may pair up.
pub fn kinds_core_compat(a: Option<u32>, b: Option<u32>) -> bool {
    a.is_some() && (a == b || (is_any_enum(a) && is_any_enum(b)))
}

/// Follows typedefs and modifiers (const, volatile, restrict, type tags) from
/// `id` to the first other type. Returns that id, or `None` if the chain
/// leaves the BTF or loops.
pub fn skip_mods_and_typedefs(btf: &dyn TypeView, mut id: u32) -> Option<u32> {
    // A chain longer than the number of types must be a loop.
    for _ in 0..=btf.type_cnt() {
        let kind = btf.kind(id)?;
        if !is_mod_or_typedef(kind) {
            return Some(id);
        }
        id = btf.type_ref(id);
    }
    None
}

/// The size in bytes of type `id` (`btf__resolve_size`): follows typedefs,
/// modifiers and variables, multiplies array dimensions; pointers take 8
/// bytes (BPF targets). Errors with `EINVAL` for sizeless kinds, `E2BIG` on overflow.
pub fn resolve_size(btf: &dyn TypeView, mut id: u32) -> crate::error::Result<u64> {
    use crate::error::Error;
    let mut nelems: u64 = 1;
    for _ in 0..32 {
        let size = match btf.kind(id) {
            Some(BTF_KIND_INT | BTF_KIND_STRUCT | BTF_KIND_UNION | BTF_KIND_ENUM | BTF_KIND_ENUM64)
            | Some(BTF_KIND_DATASEC | BTF_KIND_FLOAT) => u64::from(btf.size(id)),
            Some(BTF_KIND_PTR) => 8,
            Some(
                BTF_KIND_TYPEDEF
                | BTF_KIND_VOLATILE
                | BTF_KIND_CONST
                | BTF_KIND_RESTRICT
                | BTF_KIND_VAR
                | BTF_KIND_DECL_TAG
                | BTF_KIND_TYPE_TAG,
            ) => {
                id = btf.type_ref(id);
                continue;
            }
            Some(BTF_KIND_ARRAY) => {
                let (elem, _, n) = btf.array(id).ok_or(Error::INVAL)?;
                if nelems != 0 && u64::from(n) > u64::from(u32::MAX) / nelems {
                    return Err(Error::TOO_BIG);
                }
                nelems *= u64::from(n);
                id = elem;
                continue;
            }
            _ => return Err(Error::INVAL),
        };
        let total = nelems.checked_mul(size).ok_or(Error::TOO_BIG)?;
        if total > u64::from(u32::MAX) {
            return Err(Error::TOO_BIG);
        }
        return Ok(total);
    }
    Err(Error::INVAL)
}

/// The alignment of type `id` in bytes (`btf__align_of`): scalars align to
/// their size (at most 8), pointers to 8, arrays to their element; a
/// struct/union to its strictest member, or 1 when its layout shows it is
/// packed. Fails with `EINVAL` for kinds without alignment.
pub fn align_of(btf: &dyn TypeView, id: u32) -> crate::error::Result<u32> {
    align_of_depth(btf, id, 32)
}

fn align_of_depth(btf: &dyn TypeView, id: u32, depth: u32) -> crate::error::Result<u32> {
    use crate::error::Error;
    if depth == 0 {
        return Err(Error::INVAL);
    }
    match btf.kind(id) {
        Some(BTF_KIND_INT | BTF_KIND_ENUM | BTF_KIND_ENUM64 | BTF_KIND_FLOAT) => Ok(btf.size(id).min(8)),
        Some(BTF_KIND_PTR) => Ok(8),
        Some(BTF_KIND_TYPEDEF | BTF_KIND_VOLATILE | BTF_KIND_CONST | BTF_KIND_RESTRICT | BTF_KIND_TYPE_TAG) => {
            align_of_depth(btf, btf.type_ref(id), depth - 1)
        }
        Some(BTF_KIND_ARRAY) => align_of_depth(btf, btf.array(id).ok_or(Error::INVAL)?.0, depth - 1),
        Some(BTF_KIND_STRUCT | BTF_KIND_UNION) => {
            let mut max_align = 1;
            for i in 0..btf.vlen(id) {
                let m = btf.member(id, i).ok_or(Error::INVAL)?;
                let align = align_of_depth(btf, m.type_id, depth - 1)?;
                if align == 0 {
                    return Err(Error::INVAL);
                }
                max_align = max_align.max(align);
                if m.bitfield_size == 0 && m.bit_offset % (8 * align) != 0 {
                    return Ok(1);
                }
            }
            if btf.size(id) % max_align != 0 {
                return Ok(1);
            }
            Ok(max_align)
        }
        k => {
            pr_warn!("unsupported BTF_KIND:{}", k.unwrap_or(0));
            Err(Error::INVAL)
        }
    }
}

/// Length of the "essential" part of a CO-RE name: everything before the last
/// `___` flavor separator (`task_struct___v2` → `task_struct`). A separator
/// counts only between a non-underscore and a non-underscore character.
pub fn essential_name_len(name: &str) -> usize {
    essential_len_bytes(name.as_bytes())
}

/// [`essential_name_len`] over bytes.
pub fn essential_len_bytes(b: &[u8]) -> usize {
    let n = b.len();
    if n >= 5 {
        for i in (0..=n - 5).rev() {
            let s = &b[i..];
            if s[0] != b'_' && s[1] == b'_' && s[2] == b'_' && s[3] == b'_' && s[4] != b'_' {
                return i + 1;
            }
        }
    }
    n
}

/// The essential part of `name` (see [`essential_name_len`]).
pub fn essential_name(name: &str) -> &str {
    &name[..essential_name_len(name)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn essential_names() {
        assert_eq!(essential_name("task_struct___v2"), "task_struct");
        assert_eq!(essential_name("foo___a___b"), "foo___a");
        assert_eq!(essential_name("foo"), "foo");
        assert_eq!(essential_name("foo____x"), "foo____x");
        assert_eq!(essential_name("___x"), "___x");
        assert_eq!(essential_name("a___b"), "a");
        assert_eq!(essential_name("a___"), "a___");
        assert_eq!(essential_name(""), "");
    }
}
