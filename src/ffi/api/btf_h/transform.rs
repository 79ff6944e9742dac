//! Deduplication, distilling, relocation and permutation (`btf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::ffi::ctypes::*;
use crate::not_implemented;
use crate::ffi::api::btf_h::types::*;

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__dedup(btf: *mut btf, opts: *const btf_dedup_opts) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__distill_base(src_btf: *const btf, new_base_btf: *mut *mut btf, new_split_btf: *mut *mut btf) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__permute(btf: *mut btf, id_map: *mut __u32, id_map_cnt: __u32, opts: *const btf_permute_opts) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__relocate(btf: *mut btf, base_btf: *const btf) -> c_int {
    not_implemented!()
}
