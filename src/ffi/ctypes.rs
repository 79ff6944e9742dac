//! C spellings used by the FFI declarations.
//!
//! cbindgen does not read this file, so every name here is printed in the
//! headers exactly as spelled (`__u32`, `pid_t`), or renamed by
//! `cbindgen.toml` to the kernel's tag (`enum_bpf_prog_type` becomes
//! `enum bpf_prog_type`). Kernel enums arrive as plain integers: a value the
//! kernel added after us must never become an invalid Rust enum.
#![allow(non_camel_case_types)]

pub use core::ffi::{c_char, c_int, c_long, c_uint, c_ulong, c_void};

pub type __u8 = u8;
pub type __u16 = u16;
pub type __u32 = u32;
pub type __u64 = u64;
pub type __s8 = i8;
pub type __s16 = i16;
pub type __s32 = i32;
pub type __s64 = i64;
pub type pid_t = libc::pid_t;
pub type size_t = usize;

/// A `va_list` as a callback receives it (x86-64 passes it as a pointer).
pub type va_list = *mut c_void;

pub type enum_bpf_prog_type = c_uint;
pub type enum_bpf_map_type = c_uint;
pub type enum_bpf_attach_type = c_uint;
pub type enum_bpf_link_type = c_uint;
pub type enum_bpf_func_id = c_uint;
pub type enum_bpf_stats_type = c_uint;
pub type enum_btf_func_linkage = c_uint;

pub type enum_libbpf_strict_mode = c_uint;
pub type enum_libbpf_print_level = c_int;
pub type enum_btf_endianness = c_uint;
pub type enum_btf_fwd_kind = c_uint;
pub type enum_probe_attach_mode = c_uint;
pub type enum_bpf_tc_attach_point = c_uint;
pub type enum_bpf_perf_event_ret = c_int;

pub use crate::uapi::{
    bpf_btf_info, bpf_func_info, bpf_insn, bpf_iter_link_info, bpf_line_info, bpf_link_info, bpf_map_info,
    bpf_prog_info, btf_array, btf_decl_tag, btf_enum, btf_enum64, btf_member, btf_param, btf_type, btf_var,
    btf_var_secinfo, perf_event_attr, perf_event_header,
};
