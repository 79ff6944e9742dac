//! Deduplication, distilling, relocation and permutation (`btf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::ffi::api::btf_h::types::*;
use crate::ffi::btf_handle::*;
use crate::ffi::ctypes::*;
use crate::ffi::entry::ffi;
use crate::not_implemented;

/// Deduplicates `btf`'s types and strings in place: one record per distinct
/// type (structs and unions merged across compilation units by comparing
/// their type graphs, forward declarations resolved to definitions,
/// reference types merged once their targets are), unreferenced and
/// duplicate strings dropped, types renumbered in their original order.
/// Split BTF is deduplicated against its base, which never changes.
/// `opts->btf_ext`, if set, has its type ids and string offsets rewritten
/// to match; `opts->force_collisions` is accepted (it only changes how the
/// candidates are stored, never the result).
/// Returns 0, or a negative errno: `-EINVAL` for bad opts or malformed BTF
/// (the BTF is then left unchanged), `-ENOMEM`.
#[no_mangle]
pub unsafe extern "C" fn btf__dedup(btf: *mut btf, opts: *const btf_dedup_opts) -> c_int {
    ffi("btf__dedup", || {
        // SAFETY: NULL or the caller's opts of `sz` bytes.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: NULL or live handles, not used concurrently during the call.
        let (b, ext) = unsafe { (btf_mut(btf)?, if o.btf_ext.is_null() { None } else { Some(ext_mut(o.btf_ext)?) }) };
        b.dedup(ext).map(|()| 0)
    })
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
