//! Map operations (`bpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.

use crate::bpf_api::{self, LogBuf};
use crate::error::Error;
use crate::ffi::api::bpf_h::types::*;
use crate::ffi::ctypes::*;
use crate::ffi::entry::ffi;
use crate::ffi::opts;
use crate::opts_set;
use crate::sys::bpf::{cmd, ptr_to_u64};
use crate::sys::fd;
use crate::sys::map::{self, BatchAttr, MapCreateAttr};
use crate::sys::obj::{self as obj, IdKind};

/// Creates a map of `map_type` named `map_name` (NULL: unnamed; only the
/// first 15 bytes are kept) with the given key and value sizes and maximum
/// number of entries; `opts` (may be NULL) adds BTF type ids, flags,
/// `map_extra`, NUMA node, offload ifindex, inner map, token, exclusive
/// program hash and a log for the kernel's reasons of refusal (kernels after
/// 6.18; `log_opts->true_size` is 0 where unsupported). The first call
/// raises `RLIMIT_MEMLOCK` on kernels that need it.
///
/// Returns the new map fd (close-on-exec), or a negative errno (`errno` set):
/// `-EINVAL` for bad opts or attributes, `-E2BIG`, `-EPERM`, ...
#[no_mangle]
pub unsafe extern "C" fn bpf_map_create(map_type: enum_bpf_map_type, map_name: *const c_char, key_size: __u32, value_size: __u32, max_entries: __u32, opts: *const bpf_map_create_opts) -> c_int {
    ffi("bpf_map_create", || {
        bpf_api::memlock::bump().ok();
        // SAFETY: `opts` is NULL or the caller's struct of `opts->sz` bytes.
        let o = unsafe { opts::read(opts) }?;
        let attr = MapCreateAttr {
            map_type,
            key_size,
            value_size,
            max_entries,
            map_flags: o.map_flags,
            inner_map_fd: o.inner_map_fd,
            numa_node: o.numa_node,
            map_ifindex: o.map_ifindex,
            btf_fd: o.btf_fd,
            btf_key_type_id: o.btf_key_type_id,
            btf_value_type_id: o.btf_value_type_id,
            btf_vmlinux_value_type_id: o.btf_vmlinux_value_type_id,
            map_extra: o.map_extra,
            value_type_btf_obj_fd: o.value_type_btf_obj_fd,
            map_token_fd: o.token_fd as i32,
            excl_prog_hash: ptr_to_u64(o.excl_prog_hash),
            excl_prog_hash_size: o.excl_prog_hash_size,
            ..Default::default()
        };
        // SAFETY: a non-NULL name is the caller's NUL-terminated string.
        let name = (!map_name.is_null()).then(|| unsafe { core::ffi::CStr::from_ptr(map_name) }.to_bytes());
        let log_opts = o.log_opts;
        let log = if log_opts.is_null() {
            None
        } else {
            // SAFETY: a non-NULL `log_opts` is the caller's struct.
            let l = unsafe { opts::read(log_opts) }?;
            Some(LogBuf { buf: ptr_to_u64(l.buf), size: l.size, level: l.level })
        };
        // SAFETY: the addresses come from the caller, as in libbpf.
        let (res, true_size) = unsafe { bpf_api::map::create(attr, name, log) };
        if let Some(size) = true_size {
            opts_set!(log_opts, bpf_log_opts, true_size, size);
        }
        Ok(fd::release(res?))
    })
}

/// Deletes elements by key, `*count` keys from `keys` (packed, key size
/// each). On return `*count` is the number deleted, also on failure (the
/// keys before the one that failed). Returns 0 or a negative errno
/// (`-ENOENT` for a missing key).
#[no_mangle]
pub unsafe extern "C" fn bpf_map_delete_batch(fd: c_int, keys: *const c_void, count: *mut __u32, opts: *const bpf_map_batch_opts) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { batch("bpf_map_delete_batch", cmd::BPF_MAP_DELETE_BATCH, fd, core::ptr::null_mut(), core::ptr::null_mut(), keys as *mut c_void, core::ptr::null_mut(), count, opts) }
}

/// Deletes `key`. Returns 0, or a negative errno (`-ENOENT`: no such key).
#[no_mangle]
pub unsafe extern "C" fn bpf_map_delete_elem(fd: c_int, key: *const c_void) -> c_int {
    // SAFETY: the caller passes a key of the map's key size.
    ffi("bpf_map_delete_elem", || unsafe { map::delete_elem(fd, key, 0) }.map(|_| 0))
}

/// Deletes `key` with `flags` (`BPF_F_LOCK`, ...). Returns 0 or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_map_delete_elem_flags(fd: c_int, key: *const c_void, flags: __u64) -> c_int {
    // SAFETY: the caller passes a key of the map's key size.
    ffi("bpf_map_delete_elem_flags", || unsafe { map::delete_elem(fd, key, flags) }.map(|_| 0))
}

/// Freezes the map: user space can no longer change it (programs still
/// can). Returns 0 or a negative errno (`-EBUSY` if writable mmaps exist).
#[no_mangle]
pub unsafe extern "C" fn bpf_map_freeze(fd: c_int) -> c_int {
    ffi("bpf_map_freeze", || map::freeze(fd).map(|_| 0))
}

/// Opens the map with id `id`. Returns a new fd or a negative errno
/// (`-ENOENT`: no such map).
#[no_mangle]
pub unsafe extern "C" fn bpf_map_get_fd_by_id(id: __u32) -> c_int {
    // SAFETY: NULL opts.
    unsafe { bpf_map_get_fd_by_id_opts(id, core::ptr::null()) }
}

/// Opens the map with id `id`, with `opts->open_flags` (`BPF_F_RDONLY`,
/// `BPF_F_WRONLY`) and `opts->token_fd`. Returns a new fd or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_map_get_fd_by_id_opts(id: __u32, opts: *const bpf_get_fd_by_id_opts) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { fd_by_id("bpf_map_get_fd_by_id_opts", IdKind::Map, id, opts) }
}

/// Fills `*info` (at most `*info_len` bytes) with what the kernel knows
/// about the map; `*info_len` becomes the number of bytes filled.
/// Returns 0 or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_map_get_info_by_fd(map_fd: c_int, info: *mut bpf_map_info, info_len: *mut __u32) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { crate::ffi::api::bpf_h::obj::bpf_obj_get_info_by_fd(map_fd, info.cast(), info_len) }
}

/// Writes the smallest map id greater than `start_id` into `*next_id`.
/// Returns 0, or a negative errno (`-ENOENT` past the last map).
#[no_mangle]
pub unsafe extern "C" fn bpf_map_get_next_id(start_id: __u32, next_id: *mut __u32) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { get_next_id("bpf_map_get_next_id", IdKind::Map, start_id, next_id) }
}

/// Writes the key that follows `key` into `next_key` (the first key when
/// `key` is NULL or not in the map). Returns 0, or a negative errno
/// (`-ENOENT` after the last key).
#[no_mangle]
pub unsafe extern "C" fn bpf_map_get_next_key(fd: c_int, key: *const c_void, next_key: *mut c_void) -> c_int {
    // SAFETY: the caller passes buffers of the map's key size.
    ffi("bpf_map_get_next_key", || unsafe { map::get_next_key(fd, key, next_key) }.map(|_| 0))
}

/// Like [`bpf_map_lookup_batch`], deleting the elements it returns.
#[no_mangle]
pub unsafe extern "C" fn bpf_map_lookup_and_delete_batch(fd: c_int, in_batch: *mut c_void, out_batch: *mut c_void, keys: *mut c_void, values: *mut c_void, count: *mut __u32, opts: *const bpf_map_batch_opts) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { batch("bpf_map_lookup_and_delete_batch", cmd::BPF_MAP_LOOKUP_AND_DELETE_BATCH, fd, in_batch, out_batch, keys, values, count, opts) }
}

/// Copies the value of `key` into `value` and deletes the element (for
/// queues and stacks `key` is NULL: pops the head). Returns 0 or a negative
/// errno (`-ENOENT`: absent or empty).
#[no_mangle]
pub unsafe extern "C" fn bpf_map_lookup_and_delete_elem(fd: c_int, key: *const c_void, value: *mut c_void) -> c_int {
    // SAFETY: the caller passes buffers of the map's sizes.
    ffi("bpf_map_lookup_and_delete_elem", || unsafe { map::lookup_and_delete_elem(fd, key, value, 0) }.map(|_| 0))
}

/// [`bpf_map_lookup_and_delete_elem`] with `flags` (`BPF_F_LOCK`).
#[no_mangle]
pub unsafe extern "C" fn bpf_map_lookup_and_delete_elem_flags(fd: c_int, key: *const c_void, value: *mut c_void, flags: __u64) -> c_int {
    // SAFETY: the caller passes buffers of the map's sizes.
    ffi("bpf_map_lookup_and_delete_elem_flags", || unsafe { map::lookup_and_delete_elem(fd, key, value, flags) }.map(|_| 0))
}

/// Reads up to `*count` elements in one call, starting after the position
/// `in_batch` (NULL: from the start), into `keys` and `values` (packed;
/// per-CPU values take `round_up(value_size, 8) * ncpus` bytes each), and
/// writes the position to resume from into `out_batch`. `*count` becomes the
/// number read, also on failure. Returns 0, or a negative errno: `-ENOENT`
/// when the end of the map was reached (elements may still have been read).
#[no_mangle]
pub unsafe extern "C" fn bpf_map_lookup_batch(fd: c_int, in_batch: *mut c_void, out_batch: *mut c_void, keys: *mut c_void, values: *mut c_void, count: *mut __u32, opts: *const bpf_map_batch_opts) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { batch("bpf_map_lookup_batch", cmd::BPF_MAP_LOOKUP_BATCH, fd, in_batch, out_batch, keys, values, count, opts) }
}

/// Copies the value stored under `key` into `value` (per-CPU maps: one
/// value per possible CPU, each rounded up to 8 bytes). Returns 0 or a
/// negative errno (`-ENOENT`: no such key).
#[no_mangle]
pub unsafe extern "C" fn bpf_map_lookup_elem(fd: c_int, key: *const c_void, value: *mut c_void) -> c_int {
    // SAFETY: the caller passes buffers of the map's sizes.
    match unsafe { map::lookup_elem(fd, key, value, 0) } {
        Ok(()) => 0,
        Err(e) => {
            crate::ffi::entry::set_errno(e);
            e.neg()
        }
    }
}

/// [`bpf_map_lookup_elem`] with `flags` (`BPF_F_LOCK`, `BPF_F_CPU`).
#[no_mangle]
pub unsafe extern "C" fn bpf_map_lookup_elem_flags(fd: c_int, key: *const c_void, value: *mut c_void, flags: __u64) -> c_int {
    // SAFETY: the caller passes buffers of the map's sizes.
    ffi("bpf_map_lookup_elem_flags", || unsafe { map::lookup_elem(fd, key, value, flags) }.map(|_| 0))
}

/// Creates or updates `*count` elements from `keys` and `values` (packed)
/// with `opts->elem_flags`. `*count` becomes the number written, also on
/// failure. Returns 0 or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_map_update_batch(fd: c_int, keys: *const c_void, values: *const c_void, count: *mut __u32, opts: *const bpf_map_batch_opts) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { batch("bpf_map_update_batch", cmd::BPF_MAP_UPDATE_BATCH, fd, core::ptr::null_mut(), core::ptr::null_mut(), keys as *mut c_void, values as *mut c_void, count, opts) }
}

/// Stores `value` under `key`; `flags` is `BPF_ANY`, `BPF_NOEXIST` (fails
/// with `-EEXIST` if present), `BPF_EXIST` (fails with `-ENOENT` if absent),
/// optionally with `BPF_F_LOCK`. Returns 0 or a negative errno (`-E2BIG`
/// when the map is full).
#[no_mangle]
pub unsafe extern "C" fn bpf_map_update_elem(fd: c_int, key: *const c_void, value: *const c_void, flags: __u64) -> c_int {
    // SAFETY: the caller passes buffers of the map's sizes.
    match unsafe { map::update_elem(fd, key, value, flags) } {
        Ok(()) => 0,
        Err(e) => {
            crate::ffi::entry::set_errno(e);
            e.neg()
        }
    }
}

/// The four batch functions: `*count` in, elements done out.
#[allow(clippy::too_many_arguments)]
unsafe fn batch(name: &str, command: u32, fd: c_int, in_batch: *mut c_void, out_batch: *mut c_void, keys: *mut c_void, values: *mut c_void, count: *mut __u32, opts: *const bpf_map_batch_opts) -> c_int {
    ffi(name, || {
        // SAFETY: `opts` is NULL or the caller's struct.
        let o = unsafe { opts::read(opts) }?;
        if count.is_null() {
            return Err(Error::INVAL);
        }
        let mut attr = BatchAttr {
            in_batch: ptr_to_u64(in_batch),
            out_batch: ptr_to_u64(out_batch),
            keys: ptr_to_u64(keys),
            values: ptr_to_u64(values),
            // SAFETY: checked non-NULL; the caller's counter.
            count: unsafe { *count },
            map_fd: fd as u32,
            elem_flags: o.elem_flags,
            flags: o.flags,
        };
        // SAFETY: the buffers are the caller's, sized by `*count`.
        let res = unsafe { map::batch(command, &mut attr) };
        // SAFETY: as above.
        unsafe { *count = attr.count };
        res.map(|_| 0)
    })
}

/// The `bpf_*_get_fd_by_id_opts` functions.
pub(crate) unsafe fn fd_by_id(name: &str, kind: IdKind, id: u32, opts: *const bpf_get_fd_by_id_opts) -> c_int {
    ffi(name, || {
        // SAFETY: `opts` is NULL or the caller's struct.
        let o = unsafe { opts::read(opts) }?;
        Ok(fd::release(obj::fd_by_id(kind, id, o.open_flags, o.token_fd as i32)?))
    })
}

/// The `bpf_*_get_next_id` functions.
pub(crate) unsafe fn get_next_id(name: &str, kind: IdKind, start_id: u32, next_id: *mut u32) -> c_int {
    ffi(name, || {
        let id = obj::next_id(kind, start_id)?;
        if next_id.is_null() {
            return Err(Error::INVAL);
        }
        // SAFETY: checked non-NULL; the caller's output.
        unsafe { *next_id = id };
        Ok(0)
    })
}
