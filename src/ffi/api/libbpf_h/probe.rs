//! Kernel feature probes (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::ffi::ctypes::*;
use crate::not_implemented;

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn libbpf_probe_bpf_helper(prog_type: enum_bpf_prog_type, helper_id: enum_bpf_func_id, opts: *const c_void) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn libbpf_probe_bpf_map_type(map_type: enum_bpf_map_type, opts: *const c_void) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn libbpf_probe_bpf_prog_type(prog_type: enum_bpf_prog_type, opts: *const c_void) -> c_int {
    not_implemented!()
}
