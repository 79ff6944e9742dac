//! `.BTF.ext` data (`btf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::ffi::ctypes::*;
use crate::not_implemented;
use crate::ffi::api::btf_h::types::*;

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf_ext__endianness(btf_ext: *const btf_ext) -> enum_btf_endianness {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf_ext__free(btf_ext: *mut btf_ext) {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf_ext__new(data: *const __u8, size: __u32) -> *mut btf_ext {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf_ext__raw_data(btf_ext: *const btf_ext, size: *mut __u32) -> *const c_void {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf_ext__set_endianness(btf_ext: *mut btf_ext, endian: enum_btf_endianness) -> c_int {
    not_implemented!()
}
