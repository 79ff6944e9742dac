//! Program operations (`bpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::ffi::ctypes::*;
use crate::not_implemented;
use crate::ffi::api::bpf_h::types::*;
use crate::ffi::union_opts::*;

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_assoc_struct_ops(prog_fd: c_int, map_fd: c_int, opts: *mut bpf_prog_assoc_struct_ops_opts) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_attach(prog_fd: c_int, attachable_fd: c_int, r#type: enum_bpf_attach_type, flags: c_uint) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_attach_opts(prog_fd: c_int, target: c_int, r#type: enum_bpf_attach_type, opts: *const bpf_prog_attach_opts) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_bind_map(prog_fd: c_int, map_fd: c_int, opts: *const bpf_prog_bind_opts) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_detach(attachable_fd: c_int, r#type: enum_bpf_attach_type) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_detach2(prog_fd: c_int, attachable_fd: c_int, r#type: enum_bpf_attach_type) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_detach_opts(prog_fd: c_int, target: c_int, r#type: enum_bpf_attach_type, opts: *const bpf_prog_detach_opts) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_get_fd_by_id(id: __u32) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_get_fd_by_id_opts(id: __u32, opts: *const bpf_get_fd_by_id_opts) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_get_info_by_fd(prog_fd: c_int, info: *mut bpf_prog_info, info_len: *mut __u32) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_get_next_id(start_id: __u32, next_id: *mut __u32) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_load(prog_type: enum_bpf_prog_type, prog_name: *const c_char, license: *const c_char, insns: *const bpf_insn, insn_cnt: size_t, opts: *mut bpf_prog_load_opts) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_query(target_fd: c_int, r#type: enum_bpf_attach_type, query_flags: __u32, attach_flags: *mut __u32, prog_ids: *mut __u32, prog_cnt: *mut __u32) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_query_opts(target: c_int, r#type: enum_bpf_attach_type, opts: *mut bpf_prog_query_opts) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_stream_read(prog_fd: c_int, stream_id: __u32, buf: *mut c_void, buf_len: __u32, opts: *mut bpf_prog_stream_read_opts) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_test_run_opts(prog_fd: c_int, opts: *mut bpf_test_run_opts) -> c_int {
    not_implemented!()
}
