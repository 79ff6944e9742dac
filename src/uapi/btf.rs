//! `<linux/btf.h>`: the BTF wire format.

/// `struct btf_header`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct btf_header {
    pub magic: u16,
    pub version: u8,
    pub flags: u8,
    pub hdr_len: u32,
    pub type_off: u32,
    pub type_len: u32,
    pub str_off: u32,
    pub str_len: u32,
}

pub const BTF_MAGIC: u16 = 0xeb9f;
pub const BTF_VERSION: u8 = 1;
pub const BTF_MAX_TYPE: u32 = 0x000f_ffff;
pub const BTF_MAX_NAME_OFFSET: u32 = 0x00ff_ffff;
pub const BTF_MAX_VLEN: u32 = 0xffff;

/// `struct btf_type`: `size` and `type` share the last word.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct btf_type {
    pub name_off: u32,
    pub info: u32,
    pub size_or_type: u32,
}

pub const BTF_KIND_UNKN: u32 = 0;
pub const BTF_KIND_INT: u32 = 1;
pub const BTF_KIND_PTR: u32 = 2;
pub const BTF_KIND_ARRAY: u32 = 3;
pub const BTF_KIND_STRUCT: u32 = 4;
pub const BTF_KIND_UNION: u32 = 5;
pub const BTF_KIND_ENUM: u32 = 6;
pub const BTF_KIND_FWD: u32 = 7;
pub const BTF_KIND_TYPEDEF: u32 = 8;
pub const BTF_KIND_VOLATILE: u32 = 9;
pub const BTF_KIND_CONST: u32 = 10;
pub const BTF_KIND_RESTRICT: u32 = 11;
pub const BTF_KIND_FUNC: u32 = 12;
pub const BTF_KIND_FUNC_PROTO: u32 = 13;
pub const BTF_KIND_VAR: u32 = 14;
pub const BTF_KIND_DATASEC: u32 = 15;
pub const BTF_KIND_FLOAT: u32 = 16;
pub const BTF_KIND_DECL_TAG: u32 = 17;
pub const BTF_KIND_TYPE_TAG: u32 = 18;
pub const BTF_KIND_ENUM64: u32 = 19;
pub const NR_BTF_KINDS: u32 = 20;

pub const BTF_INT_SIGNED: u32 = 1 << 0;
pub const BTF_INT_CHAR: u32 = 1 << 1;
pub const BTF_INT_BOOL: u32 = 1 << 2;

/// `enum btf_func_linkage`.
pub const BTF_FUNC_STATIC: u32 = 0;
pub const BTF_FUNC_GLOBAL: u32 = 1;
pub const BTF_FUNC_EXTERN: u32 = 2;

/// `BTF_VAR_*` linkage of a variable.
pub const BTF_VAR_STATIC: u32 = 0;
pub const BTF_VAR_GLOBAL_ALLOCATED: u32 = 1;
pub const BTF_VAR_GLOBAL_EXTERN: u32 = 2;

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct btf_enum {
    pub name_off: u32,
    pub val: i32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct btf_enum64 {
    pub name_off: u32,
    pub val_lo32: u32,
    pub val_hi32: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct btf_array {
    pub type_: u32,
    pub index_type: u32,
    pub nelems: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct btf_member {
    pub name_off: u32,
    pub type_: u32,
    pub offset: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct btf_param {
    pub name_off: u32,
    pub type_: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct btf_var {
    pub linkage: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct btf_var_secinfo {
    pub type_: u32,
    pub offset: u32,
    pub size: u32,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct btf_decl_tag {
    pub component_idx: i32,
}

/// Length of the original `struct btf_header` (up to `str_len`).
pub const BTF_HDR_LEN_V1: u32 = 24;
/// Length of `struct btf_header` with `layout_off`/`layout_len` (Linux 7.0,
/// libbpf 1.8): the header libbpf 1.8 writes for BTF it builds.
pub const BTF_HDR_LEN: u32 = 32;

/// `struct btf_layout`: one entry of the optional layout section, describing
/// the record of one kind (indexed by kind).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct btf_layout {
    /// Size of the single element following `struct btf_type`.
    pub info_sz: u8,
    /// Size of each of the `vlen` elements following it.
    pub elem_sz: u8,
    pub flags: u16,
}

/// `BTF_INFO_KIND(info)`.
pub const fn btf_info_kind(info: u32) -> u32 {
    (info >> 24) & 0x1f
}

/// `BTF_INFO_VLEN(info)`.
pub const fn btf_info_vlen(info: u32) -> u32 {
    info & 0xffff
}

/// `BTF_INFO_KFLAG(info)`.
pub const fn btf_info_kflag(info: u32) -> bool {
    info >> 31 != 0
}

/// `BTF_INFO_ENC(kind, kflag, vlen)`.
pub const fn btf_info_enc(kind: u32, kflag: bool, vlen: u32) -> u32 {
    ((kflag as u32) << 31) | ((kind & 0x1f) << 24) | (vlen & 0xffff)
}

/// `struct btf_ext_header` (the core_relo fields are optional on the wire).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct btf_ext_header {
    pub magic: u16,
    pub version: u8,
    pub flags: u8,
    pub hdr_len: u32,
    pub func_info_off: u32,
    pub func_info_len: u32,
    pub line_info_off: u32,
    pub line_info_len: u32,
    pub core_relo_off: u32,
    pub core_relo_len: u32,
}

/// `struct btf_ext_info_sec`: the header of one ELF section's records.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct btf_ext_info_sec {
    pub sec_name_off: u32,
    pub num_info: u32,
}

/// `struct bpf_core_relo`: one CO-RE relocation record of `.BTF.ext`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_core_relo {
    pub insn_off: u32,
    pub type_id: u32,
    pub access_str_off: u32,
    /// `enum bpf_core_relo_kind`.
    pub kind: u32,
}
