//! Deduplication, distilling, relocation and permutation (`btf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.

use crate::ffi::api::btf_h::types::*;
use crate::ffi::btf_handle::*;
use crate::ffi::ctypes::*;
use crate::ffi::entry::ffi;

/// Deduplicates `btf`'s types and strings in place: one record per distinct
/// type (structs and unions merged across compilation units by comparing
/// their type graphs, forward declarations resolved to definitions,
/// reference types merged once their targets are), unreferenced and
/// duplicate strings dropped, types renumbered in their original order.
/// Split BTF is deduplicated against its base, which never changes.
/// `opts->btf_ext`, if set, has its type ids and string offsets rewritten
/// to match; `opts->force_collisions` is accepted (it only changes how the
/// candidates are stored, never the result).
/// Returns 0, or a negative errno, the BTF and `.BTF.ext` then unchanged:
/// `-EINVAL` for bad opts or malformed BTF, `-ELOOP` for reference types
/// referring to each other in a loop, `-ENOMEM`.
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

/// Creates a distilled base for the split BTF `src_btf` and a new split BTF
/// on it: the distilled base holds just enough of `src_btf`'s base to find
/// the same types again by name (named INT, FLOAT, FWD; named STRUCT/UNION
/// and ENUM without members), the new split BTF holds `src_btf`'s types
/// followed by the other base types they need. Both are returned through
/// `new_base_btf` and `new_split_btf` and freed separately with
/// `btf__free()`. Returns 0, or a negative errno: `-EINVAL` when an output
/// pointer is NULL, `src_btf` is not split BTF, or it refers to base types
/// that cannot be distilled; `-ENOMEM`.
#[no_mangle]
pub unsafe extern "C" fn btf__distill_base(src_btf: *const btf, new_base_btf: *mut *mut btf, new_split_btf: *mut *mut btf) -> c_int {
    ffi("btf__distill_base", || {
        if new_base_btf.is_null() || new_split_btf.is_null() {
            return Err(crate::error::Error::INVAL);
        }
        // SAFETY: NULL or a live handle.
        let (base, split) = unsafe { btf_ref(src_btf) }?.distill_base()?;
        // SAFETY: both pointers are non-NULL and writable per the contract.
        unsafe {
            *new_base_btf = btf_shared_into_c(base);
            *new_split_btf = btf_into_c(split);
        }
        Ok(0)
    })
}

/// Reorders the types of `btf` in place: `id_map[id - start]` is the new id
/// of type `id`, where `start` is 0 for base BTF (`id_map_cnt` must then be
/// `btf__type_cnt(btf)` and `id_map[0]` 0: VOID stays) and the first own id
/// for split BTF (`id_map_cnt` is the number of own types). New ids must be
/// distinct ids of this BTF's own types. Every reference is updated, and
/// the type ids of `opts->btf_ext` if given. Returns 0, or `-EINVAL` (the
/// BTF unchanged) for bad opts or a bad map.
#[no_mangle]
pub unsafe extern "C" fn btf__permute(btf: *mut btf, id_map: *mut __u32, id_map_cnt: __u32, opts: *const btf_permute_opts) -> c_int {
    ffi("btf__permute", || {
        // SAFETY: NULL or the caller's opts of `sz` bytes.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        if id_map.is_null() {
            return Err(crate::error::Error::INVAL);
        }
        // SAFETY: the caller passes `id_map_cnt` readable entries.
        let map = unsafe { core::slice::from_raw_parts(id_map, id_map_cnt as usize) };
        // SAFETY: NULL or live handles, not used concurrently during the call.
        let (b, ext) = unsafe { (btf_mut(btf)?, if o.btf_ext.is_null() { None } else { Some(ext_mut(o.btf_ext)?) }) };
        b.permute(map, ext).map(|()| 0)
    })
}

/// Moves the split BTF `btf` from its (distilled) base onto `base_btf`:
/// each distilled base type is matched by name, kind and size in
/// `base_btf`, references and names are rewritten to the matches, and
/// `btf`'s own ids follow `base_btf`'s type count. `base_btf` must outlive
/// `btf`. Returns 0, or a negative errno (`btf` unchanged): `-EINVAL` when
/// `btf` is not split, `base_btf` is NULL or already its base, or a
/// distilled type has no match or several; `-ENOENT` for an unmatched name.
#[no_mangle]
pub unsafe extern "C" fn btf__relocate(btf: *mut btf, base_btf: *const btf) -> c_int {
    ffi("btf__relocate", || {
        if base_btf.is_null() || core::ptr::eq(btf as *const btf, base_btf) {
            return Err(crate::error::Error::INVAL);
        }
        // SAFETY: live handles inside Arcs; `btf` is not used concurrently.
        let base = unsafe { btf_arc(base_btf) }.ok_or(crate::error::Error::INVAL)?;
        unsafe { btf_mut(btf) }?.relocate(base).map(|()| 0)
    })
}
