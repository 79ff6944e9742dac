//! BTF objects in the kernel (`bpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.

use crate::bpf_api::{self, LogBuf};
use crate::ffi::api::bpf_h::map::{fd_by_id, get_next_id};
use crate::ffi::api::bpf_h::types::*;
use crate::ffi::ctypes::*;
use crate::ffi::entry::ffi;
use crate::ffi::opts;
use crate::opts_set;
use crate::sys::bpf::ptr_to_u64;
use crate::sys::fd;
use crate::sys::obj::IdKind;

/// Opens the BTF object with id `id`. Returns a new fd or a negative errno
/// (`-ENOENT`: no such object).
#[no_mangle]
pub unsafe extern "C" fn bpf_btf_get_fd_by_id(id: __u32) -> c_int {
    // SAFETY: NULL opts.
    unsafe { bpf_btf_get_fd_by_id_opts(id, core::ptr::null()) }
}

/// Opens the BTF object with id `id` with `opts->open_flags` and
/// `opts->token_fd`. Returns a new fd or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_btf_get_fd_by_id_opts(id: __u32, opts: *const bpf_get_fd_by_id_opts) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { fd_by_id("bpf_btf_get_fd_by_id_opts", IdKind::Btf, id, opts) }
}

/// Fills `*info` (at most `*info_len` bytes) about a BTF object (the raw
/// BTF and the name only when the caller set buffers); `*info_len` becomes
/// the number of bytes filled. Returns 0 or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_btf_get_info_by_fd(btf_fd: c_int, info: *mut bpf_btf_info, info_len: *mut __u32) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { crate::ffi::api::bpf_h::obj::bpf_obj_get_info_by_fd(btf_fd, info.cast(), info_len) }
}

/// Writes the smallest BTF object id greater than `start_id` into
/// `*next_id`. Returns 0, or a negative errno (`-ENOENT` past the last).
#[no_mangle]
pub unsafe extern "C" fn bpf_btf_get_next_id(start_id: __u32, next_id: *mut __u32) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { get_next_id("bpf_btf_get_next_id", IdKind::Btf, start_id, next_id) }
}

/// Loads `btf_size` bytes of raw BTF into the kernel. `opts` (may be NULL)
/// gives flags, a token and a log: with `log_level` the kernel logs from
/// the start; with level 0 and a `log_buf` the load is retried at level 1
/// only if it fails; a `log_size` without `log_buf` is `-EINVAL`; a buffer
/// too small gives `-ENOSPC`. `opts->log_true_size` receives the size the
/// full log needs. Returns the BTF fd or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_btf_load(btf_data: *const c_void, btf_size: size_t, opts: *mut bpf_btf_load_opts) -> c_int {
    ffi("bpf_btf_load", || {
        bpf_api::memlock::bump().ok();
        // SAFETY: `opts` is NULL or the caller's struct.
        let o = unsafe { opts::read(opts.cast_const()) }?;
        let log = LogBuf { buf: ptr_to_u64(o.log_buf), size: o.log_size, level: o.log_level };
        // SAFETY: the addresses are the caller's, passed on as libbpf does.
        let (res, true_size) = unsafe { bpf_api::btf::load(ptr_to_u64(btf_data), btf_size, log, o.btf_flags, o.token_fd as i32) };
        if let Some(size) = true_size {
            opts_set!(opts, bpf_btf_load_opts, log_true_size, size);
        }
        Ok(fd::release(res?))
    })
}
