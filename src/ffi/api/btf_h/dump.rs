//! BTF to C dumping (`btf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::ffi::ctypes::*;
use crate::not_implemented;
use crate::ffi::api::btf_h::types::*;

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf_dump__dump_type(d: *mut btf_dump, id: __u32) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf_dump__dump_type_data(d: *mut btf_dump, id: __u32, data: *const c_void, data_sz: size_t, opts: *const btf_dump_type_data_opts) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf_dump__emit_type_decl(d: *mut btf_dump, id: __u32, opts: *const btf_dump_emit_type_decl_opts) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf_dump__free(d: *mut btf_dump) {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf_dump__new(btf: *const btf, printf_fn: btf_dump_printf_fn_t, ctx: *mut c_void, opts: *const btf_dump_opts) -> *mut btf_dump {
    not_implemented!()
}
