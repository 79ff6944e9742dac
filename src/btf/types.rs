//! Typed, read-only views of BTF type records.
//!
//! A record is `struct btf_type` (3 words) followed by kind-specific data;
//! every part of every record is a multiple of 4 bytes, so a record is a
//! `&[u32]` in native byte order. [`Type`] wraps such a slice and offers an
//! accessor for every kind; accessors of another kind return `None` or an
//! empty iterator, never panic.

use crate::uapi::btf::*;

/// Number of words of `struct btf_type`.
pub const TYPE_WORDS: usize = 3;

/// Words following `struct btf_type` for a kind: `(fixed, per vlen element)`,
/// or None for a kind this library does not know.
pub const fn kind_extra_words(kind: u32) -> Option<(usize, usize)> {
    Some(match kind {
        BTF_KIND_UNKN => (0, 0),
        BTF_KIND_INT => (1, 0),
        BTF_KIND_PTR | BTF_KIND_FWD | BTF_KIND_TYPEDEF | BTF_KIND_VOLATILE | BTF_KIND_CONST
        | BTF_KIND_RESTRICT | BTF_KIND_FUNC | BTF_KIND_FLOAT | BTF_KIND_TYPE_TAG => (0, 0),
        BTF_KIND_ARRAY => (3, 0),
        BTF_KIND_STRUCT | BTF_KIND_UNION => (0, 3),
        BTF_KIND_ENUM => (0, 2),
        BTF_KIND_FUNC_PROTO => (0, 2),
        BTF_KIND_VAR => (1, 0),
        BTF_KIND_DATASEC => (0, 3),
        BTF_KIND_DECL_TAG => (1, 0),
        BTF_KIND_ENUM64 => (0, 3),
        _ => return None,
    })
}

/// The layout section libbpf 1.8 emits for the kinds it knows (indexed by kind).
pub fn known_layouts() -> Vec<btf_layout> {
    (0..NR_BTF_KINDS)
        .map(|k| {
            let (fixed, per) = kind_extra_words(k).unwrap_or((0, 0));
            btf_layout { info_sz: (fixed * 4) as u8, elem_sz: (per * 4) as u8, flags: 0 }
        })
        .collect()
}

/// Size in words of a record with this `info`, using `layouts` (the layout
/// section, if any) for kinds this library does not know. None when the kind
/// is unknown and undescribed.
pub fn record_words(info: u32, layouts: &[btf_layout]) -> Option<usize> {
    let kind = btf_info_kind(info);
    let vlen = btf_info_vlen(info) as usize;
    let (fixed, per) = match kind_extra_words(kind) {
        // VOID is id 0 only: a record of kind UNKN is malformed.
        Some(_) if kind == BTF_KIND_UNKN => return None,
        Some(sizes) => sizes,
        None => {
            let l = layouts.get(kind as usize)?;
            if l.info_sz % 4 != 0 || l.elem_sz % 4 != 0 {
                return None;
            }
            (l.info_sz as usize / 4, l.elem_sz as usize / 4)
        }
    };
    Some(TYPE_WORDS + fixed + per * vlen)
}

/// Whether `kind` is one whose third word is a size (rather than a type id).
pub const fn kind_has_size(kind: u32) -> bool {
    matches!(
        kind,
        BTF_KIND_INT | BTF_KIND_STRUCT | BTF_KIND_UNION | BTF_KIND_ENUM | BTF_KIND_ENUM64 | BTF_KIND_DATASEC | BTF_KIND_FLOAT
    )
}

/// Whether `kind` is one whose third word references another type.
pub const fn kind_has_type(kind: u32) -> bool {
    matches!(
        kind,
        BTF_KIND_PTR
            | BTF_KIND_TYPEDEF
            | BTF_KIND_VOLATILE
            | BTF_KIND_CONST
            | BTF_KIND_RESTRICT
            | BTF_KIND_FUNC
            | BTF_KIND_FUNC_PROTO
            | BTF_KIND_VAR
            | BTF_KIND_DECL_TAG
            | BTF_KIND_TYPE_TAG
    )
}

/// The name of a kind, as libbpf prints it (`"STRUCT"`), or `"UNKNOWN"`.
pub fn kind_name(kind: u32) -> &'static str {
    const NAMES: [&str; NR_BTF_KINDS as usize] = [
        "UNKNOWN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD", "TYPEDEF", "VOLATILE", "CONST",
        "RESTRICT", "FUNC", "FUNC_PROTO", "VAR", "DATASEC", "FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64",
    ];
    NAMES.get(kind as usize).copied().unwrap_or("UNKNOWN")
}

static VOID: [u32; TYPE_WORDS] = [0; TYPE_WORDS];

/// A type record (native byte order). Copyable; borrows the BTF data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Type<'a> {
    w: &'a [u32],
}

/// `struct btf_array`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Array {
    pub elem_type: u32,
    pub index_type: u32,
    pub nelems: u32,
}

/// `struct btf_member`, with the kind flag of its struct applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member {
    pub name_off: u32,
    pub type_id: u32,
    /// The raw `offset` word.
    pub offset: u32,
    /// Offset in bits from the start of the struct.
    pub bit_offset: u32,
    /// Size of a bitfield in bits; 0 when not a bitfield (or kflag is off).
    pub bitfield_size: u32,
}

/// `struct btf_enum` / `struct btf_enum64`, values widened to 64 bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Enumerator {
    pub name_off: u32,
    /// The raw value bits: for ENUM, the 32-bit value (sign-extended when
    /// the enum is signed, as its kflag says); for ENUM64, the 64-bit value.
    pub value: u64,
}

/// `struct btf_param`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    pub name_off: u32,
    pub type_id: u32,
}

/// `struct btf_var_secinfo`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VarSecinfo {
    pub type_id: u32,
    pub offset: u32,
    pub size: u32,
}

impl<'a> Type<'a> {
    /// A view of one record; `words` must hold at least the 3 header words
    /// (shorter input is seen as VOID).
    #[inline]
    pub fn new(words: &'a [u32]) -> Type<'a> {
        if words.len() < TYPE_WORDS {
            return Type::void();
        }
        Type { w: words }
    }

    /// The VOID type (id 0): all-zero.
    pub fn void() -> Type<'static> {
        Type { w: &VOID }
    }

    /// The record's words (header and kind-specific data).
    pub fn words(&self) -> &'a [u32] {
        self.w
    }

    /// Address of the record, for handing to C.
    pub fn as_ptr(&self) -> *const u32 {
        self.w.as_ptr()
    }

    #[inline]
    pub fn name_off(&self) -> u32 {
        self.w[0]
    }
    #[inline]
    pub fn info(&self) -> u32 {
        self.w[1]
    }
    #[inline]
    pub fn kind(&self) -> u32 {
        btf_info_kind(self.w[1])
    }
    #[inline]
    pub fn vlen(&self) -> u32 {
        btf_info_vlen(self.w[1])
    }
    #[inline]
    pub fn kflag(&self) -> bool {
        btf_info_kflag(self.w[1])
    }
    /// The third word: the size of INT, STRUCT, UNION, ENUM, ENUM64, DATASEC
    /// and FLOAT; the referenced type of the other kinds.
    #[inline]
    pub fn size_or_type(&self) -> u32 {
        self.w[2]
    }
    /// Size in bytes (meaningful for the kinds with a size).
    #[inline]
    pub fn size(&self) -> u32 {
        self.w[2]
    }
    /// Referenced type id (meaningful for PTR, TYPEDEF, modifiers, FUNC,
    /// FUNC_PROTO's return type, VAR, DECL_TAG, TYPE_TAG).
    #[inline]
    pub fn type_id(&self) -> u32 {
        self.w[2]
    }

    pub fn is_void(&self) -> bool {
        self.kind() == BTF_KIND_UNKN
    }
    pub fn is_int(&self) -> bool {
        self.kind() == BTF_KIND_INT
    }
    pub fn is_ptr(&self) -> bool {
        self.kind() == BTF_KIND_PTR
    }
    pub fn is_array(&self) -> bool {
        self.kind() == BTF_KIND_ARRAY
    }
    pub fn is_struct(&self) -> bool {
        self.kind() == BTF_KIND_STRUCT
    }
    pub fn is_union(&self) -> bool {
        self.kind() == BTF_KIND_UNION
    }
    /// STRUCT or UNION.
    pub fn is_composite(&self) -> bool {
        matches!(self.kind(), BTF_KIND_STRUCT | BTF_KIND_UNION)
    }
    pub fn is_enum(&self) -> bool {
        self.kind() == BTF_KIND_ENUM
    }
    pub fn is_enum64(&self) -> bool {
        self.kind() == BTF_KIND_ENUM64
    }
    /// ENUM or ENUM64.
    pub fn is_any_enum(&self) -> bool {
        matches!(self.kind(), BTF_KIND_ENUM | BTF_KIND_ENUM64)
    }
    pub fn is_fwd(&self) -> bool {
        self.kind() == BTF_KIND_FWD
    }
    pub fn is_typedef(&self) -> bool {
        self.kind() == BTF_KIND_TYPEDEF
    }
    /// A modifier: VOLATILE, CONST, RESTRICT or TYPE_TAG (as `btf_is_mod()`).
    pub fn is_mod(&self) -> bool {
        matches!(self.kind(), BTF_KIND_VOLATILE | BTF_KIND_CONST | BTF_KIND_RESTRICT | BTF_KIND_TYPE_TAG)
    }
    pub fn is_func(&self) -> bool {
        self.kind() == BTF_KIND_FUNC
    }
    pub fn is_func_proto(&self) -> bool {
        self.kind() == BTF_KIND_FUNC_PROTO
    }
    pub fn is_var(&self) -> bool {
        self.kind() == BTF_KIND_VAR
    }
    pub fn is_datasec(&self) -> bool {
        self.kind() == BTF_KIND_DATASEC
    }
    pub fn is_float(&self) -> bool {
        self.kind() == BTF_KIND_FLOAT
    }
    pub fn is_decl_tag(&self) -> bool {
        self.kind() == BTF_KIND_DECL_TAG
    }
    pub fn is_type_tag(&self) -> bool {
        self.kind() == BTF_KIND_TYPE_TAG
    }

    /// The word after `struct btf_type`, for kinds that have one.
    fn extra(&self, i: usize) -> u32 {
        self.w.get(TYPE_WORDS + i).copied().unwrap_or(0)
    }

    /// INT: the encoding word (encoding, offset, bits).
    pub fn int_data(&self) -> Option<u32> {
        self.is_int().then(|| self.extra(0))
    }
    /// INT: `BTF_INT_SIGNED` / `BTF_INT_CHAR` / `BTF_INT_BOOL` bits.
    pub fn int_encoding(&self) -> u8 {
        ((self.int_data().unwrap_or(0) & 0x0f00_0000) >> 24) as u8
    }
    /// INT: legacy bit offset.
    pub fn int_offset(&self) -> u8 {
        ((self.int_data().unwrap_or(0) & 0x00ff_0000) >> 16) as u8
    }
    /// INT: number of bits.
    pub fn int_bits(&self) -> u8 {
        (self.int_data().unwrap_or(0) & 0x0000_00ff) as u8
    }

    /// ARRAY: element type, index type, element count.
    pub fn array(&self) -> Option<Array> {
        self.is_array().then(|| Array { elem_type: self.extra(0), index_type: self.extra(1), nelems: self.extra(2) })
    }

    /// VAR: the linkage (`BTF_VAR_*`).
    pub fn var_linkage(&self) -> Option<u32> {
        self.is_var().then(|| self.extra(0))
    }

    /// DECL_TAG: the member/parameter index, -1 for the type itself.
    pub fn decl_tag_component_idx(&self) -> Option<i32> {
        self.is_decl_tag().then(|| self.extra(0) as i32)
    }

    /// The vlen elements of `n` words each (empty for another kind).
    fn elems(&self, kinds: &[u32], n: usize) -> core::slice::ChunksExact<'a, u32> {
        let body: &'a [u32] = if kinds.contains(&self.kind()) { &self.w[TYPE_WORDS..] } else { &[] };
        body.chunks_exact(n)
    }

    /// STRUCT/UNION: the members, bit offsets decoded per the kind flag.
    pub fn members(&self) -> impl ExactSizeIterator<Item = Member> + 'a {
        let kflag = self.kflag();
        self.elems(&[BTF_KIND_STRUCT, BTF_KIND_UNION], 3).map(move |m| Member {
            name_off: m[0],
            type_id: m[1],
            offset: m[2],
            bit_offset: if kflag { m[2] & 0x00ff_ffff } else { m[2] },
            bitfield_size: if kflag { m[2] >> 24 } else { 0 },
        })
    }

    /// The `i`th member of a STRUCT/UNION.
    pub fn member(&self, i: usize) -> Option<Member> {
        self.members().nth(i)
    }

    /// ENUM/ENUM64: the enumerators.
    pub fn enumerators(&self) -> impl Iterator<Item = Enumerator> + 'a {
        let signed = self.kflag();
        let e32 = self.elems(&[BTF_KIND_ENUM], 2).map(move |e| Enumerator {
            name_off: e[0],
            value: if signed { e[1] as i32 as i64 as u64 } else { e[1] as u64 },
        });
        let e64 = self
            .elems(&[BTF_KIND_ENUM64], 3)
            .map(|e| Enumerator { name_off: e[0], value: (e[2] as u64) << 32 | e[1] as u64 });
        e32.chain(e64)
    }

    /// FUNC_PROTO: the parameters.
    pub fn params(&self) -> impl ExactSizeIterator<Item = Param> + 'a {
        self.elems(&[BTF_KIND_FUNC_PROTO], 2).map(|p| Param { name_off: p[0], type_id: p[1] })
    }

    /// DATASEC: the variables.
    pub fn secinfos(&self) -> impl ExactSizeIterator<Item = VarSecinfo> + 'a {
        self.elems(&[BTF_KIND_DATASEC], 3).map(|v| VarSecinfo { type_id: v[0], offset: v[1], size: v[2] })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_sizes() {
        let l = known_layouts();
        assert_eq!(record_words(btf_info_enc(BTF_KIND_INT, false, 0), &l), Some(4));
        assert_eq!(record_words(btf_info_enc(BTF_KIND_STRUCT, true, 2), &l), Some(9));
        assert_eq!(record_words(btf_info_enc(BTF_KIND_ENUM64, false, 1), &l), Some(6));
        assert_eq!(record_words(btf_info_enc(20, false, 1), &l), None);
        assert_eq!(record_words(btf_info_enc(BTF_KIND_UNKN, false, 0), &l), None);
        let mut ext = known_layouts();
        ext.push(btf_layout { info_sz: 4, elem_sz: 8, flags: 0 });
        assert_eq!(record_words(btf_info_enc(20, false, 2), &ext), Some(3 + 1 + 4));
        assert_eq!(known_layouts()[BTF_KIND_DATASEC as usize], btf_layout { info_sz: 0, elem_sz: 12, flags: 0 });
    }

    #[test]
    fn views() {
        let s = [7, btf_info_enc(BTF_KIND_STRUCT, true, 2), 8, 1, 2, 3 | (5 << 24), 4, 5, 32];
        let t = Type::new(&s);
        assert!(t.is_composite() && t.kflag());
        let m: Vec<_> = t.members().collect();
        assert_eq!((m[0].bit_offset, m[0].bitfield_size), (3, 5));
        assert_eq!((m[1].bit_offset, m[1].bitfield_size), (32, 0));
        assert_eq!(t.params().count(), 0);
        assert!(t.array().is_none());
        let e = [1, btf_info_enc(BTF_KIND_ENUM, true, 1), 4, 2, (-3i32) as u32];
        assert_eq!(Type::new(&e).enumerators().next().unwrap().value as i64, -3);
        assert!(Type::new(&[1, 2]).is_void());
    }
}
