//! Types of `btf.h`: handles, enums, the dump callback and opts.
#![allow(non_camel_case_types)]

use crate::ffi::ctypes::*;
use crate::impl_opts;

/// BPF Type Format data: kernel, module or program types, possibly split on a base.
pub struct btf {
    _opaque: [u8; 0],
}

/// The `.BTF.ext` section of an object: func info, line info and CO-RE relocations.
pub struct btf_ext {
    _opaque: [u8; 0],
}

/// A BTF-to-C printer.
pub struct btf_dump {
    _opaque: [u8; 0],
}

/// Byte order of BTF data.
#[repr(C)]
pub enum btf_endianness {
    BTF_LITTLE_ENDIAN = 0,
    BTF_BIG_ENDIAN = 1,
}

/// What a forward declaration declares.
#[repr(C)]
pub enum btf_fwd_kind {
    BTF_FWD_STRUCT = 0,
    BTF_FWD_UNION = 1,
    BTF_FWD_ENUM = 2,
}

/// Options of `btf__new_empty_opts()`.
#[repr(C)]
pub struct btf_new_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Base BTF the new BTF is split on (NULL: standalone).
    pub base_btf: *mut btf,
    /// Emit a layout section describing each kind's record sizes.
    pub add_layout: bool,
}
impl_opts!(btf_new_opts, add_layout: bool);

/// Options of `btf__dedup()`.
#[repr(C)]
pub struct btf_dedup_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// `.BTF.ext` whose type ids are rewritten along with the types.
    pub btf_ext: *mut btf_ext,
    /// Treat every hash as colliding (for tests).
    pub force_collisions: bool,
}
impl_opts!(btf_dedup_opts, force_collisions: bool);

/// Options of `btf__permute()`.
#[repr(C)]
pub struct btf_permute_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// `.BTF.ext` whose type ids are rewritten along with the types.
    pub btf_ext: *mut btf_ext,
}
impl_opts!(btf_permute_opts, btf_ext: *mut btf_ext);

/// Receives the C text `btf_dump` produces, printf-style.
pub type btf_dump_printf_fn_t = Option<unsafe extern "C" fn(ctx: *mut c_void, fmt: *const c_char, args: va_list)>;

/// Options of `btf_dump__new()`.
#[repr(C)]
pub struct btf_dump_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
}
impl_opts!(btf_dump_opts, sz: size_t);

/// Options of `btf_dump__emit_type_decl()`.
#[repr(C)]
pub struct btf_dump_emit_type_decl_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Name of the declared field or variable (NULL: an abstract declarator).
    pub field_name: *const c_char,
    /// Indentation of the declaration, in tabs.
    pub indent_level: c_int,
    /// Leave out `const`, `volatile` and `restrict`.
    pub strip_mods: bool,
}
impl_opts!(btf_dump_emit_type_decl_opts, strip_mods: bool);

/// Options of `btf_dump__dump_type_data()`.
#[repr(C)]
pub struct btf_dump_type_data_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Indentation unit (default: a tab).
    pub indent_str: *const c_char,
    /// Starting indentation.
    pub indent_level: c_int,
    /// Print everything on one line.
    pub compact: bool,
    /// Leave out member names.
    pub skip_names: bool,
    /// Print members whose value is zero too.
    pub emit_zeroes: bool,
    /// Print char arrays as strings.
    pub emit_strings: bool,
}
impl_opts!(btf_dump_type_data_opts, emit_strings: bool);
