//! Program line info (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::ffi::ctypes::*;
use crate::not_implemented;
use crate::ffi::api::libbpf_h::types::*;

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_linfo__free(prog_linfo: *mut bpf_prog_linfo) {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_linfo__lfind(prog_linfo: *const bpf_prog_linfo, insn_off: __u32, nr_skip: __u32) -> *const bpf_line_info {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_linfo__lfind_addr_func(prog_linfo: *const bpf_prog_linfo, addr: __u64, func_idx: __u32, nr_skip: __u32) -> *const bpf_line_info {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_linfo__new(info: *const bpf_prog_info) -> *mut bpf_prog_linfo {
    not_implemented!()
}
