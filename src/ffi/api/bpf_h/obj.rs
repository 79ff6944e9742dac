//! Pinning and object info (`bpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::ffi::ctypes::*;
use crate::not_implemented;
use crate::ffi::api::bpf_h::types::*;

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_obj_get(pathname: *const c_char) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_obj_get_info_by_fd(bpf_fd: c_int, info: *mut c_void, info_len: *mut __u32) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_obj_get_opts(pathname: *const c_char, opts: *const bpf_obj_get_opts) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_obj_pin(fd: c_int, pathname: *const c_char) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_obj_pin_opts(fd: c_int, pathname: *const c_char, opts: *const bpf_obj_pin_opts) -> c_int {
    not_implemented!()
}
