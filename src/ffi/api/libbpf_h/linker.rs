//! The static linker (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::ffi::ctypes::*;
use crate::not_implemented;
use crate::ffi::api::libbpf_h::types::*;

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_linker__add_buf(linker: *mut bpf_linker, buf: *mut c_void, buf_sz: size_t, opts: *const bpf_linker_file_opts) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_linker__add_fd(linker: *mut bpf_linker, fd: c_int, opts: *const bpf_linker_file_opts) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_linker__add_file(linker: *mut bpf_linker, filename: *const c_char, opts: *const bpf_linker_file_opts) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_linker__finalize(linker: *mut bpf_linker) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_linker__free(linker: *mut bpf_linker) {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_linker__new(filename: *const c_char, opts: *mut bpf_linker_opts) -> *mut bpf_linker {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_linker__new_fd(fd: c_int, opts: *mut bpf_linker_opts) -> *mut bpf_linker {
    not_implemented!()
}
