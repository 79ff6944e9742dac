//! Links, iterators and raw tracepoints (`bpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.

use crate::bpf_api;
use crate::error::Error;
use crate::ffi::api::bpf_h::map::{fd_by_id, get_next_id};
use crate::ffi::api::bpf_h::types::*;
use crate::ffi::ctypes::*;
use crate::ffi::entry::ffi;
use crate::ffi::opts;
use crate::ffi::union_opts::*;
use crate::sys::link::{self, LinkUpdateAttr, TaskFdQueryAttr};
use crate::sys::obj::IdKind;
use crate::sys::{bpf::ptr_to_u64, fd};

/// Opens a new instance of the iterator link `link_fd`: each `read(2)` of
/// the returned fd runs the iterator program. Returns the fd or a negative
/// errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_iter_create(link_fd: c_int) -> c_int {
    ffi("bpf_iter_create", || Ok(fd::release(link::iter_create(link_fd)?)))
}

/// Attaches the program to `target_fd` for `attach_type` through a link.
/// The member of `opts` the attach type uses is passed (iterator info,
/// perf-event cookie, kprobe/uprobe multi, tracing cookie, netfilter hook,
/// tcx/netkit/cgroup position, tracing multi) or `opts->target_btf_id`;
/// bytes set beyond that member are `-EINVAL`. Tracing programs fall back
/// to a raw tracepoint open on kernels refusing them with `-EINVAL`.
/// Returns the link fd or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_link_create(prog_fd: c_int, target_fd: c_int, attach_type: enum_bpf_attach_type, opts: *const bpf_link_create_opts) -> c_int {
    ffi("bpf_link_create", || {
        // SAFETY: `opts` is NULL or the caller's struct of `opts->sz` bytes.
        unsafe { opts::read(opts) }?;
        let image = (!opts.is_null()).then(|| {
            // The struct's bytes as the caller laid them out (zero past `sz`,
            // whose tail `opts::read` checked), padding included.
            let mut image = [0u8; bpf_api::link::OPTS_SIZE];
            // SAFETY: the caller's struct holds `sz` readable bytes.
            unsafe {
                let sz = opts.cast::<usize>().read().min(image.len());
                core::ptr::copy_nonoverlapping(opts.cast::<u8>(), image.as_mut_ptr(), sz);
            }
            image
        });
        // SAFETY: the addresses are the caller's, passed on as libbpf does.
        Ok(fd::release(unsafe { bpf_api::link::create(prog_fd, target_fd, attach_type, image.as_ref()) }?))
    })
}

/// Detaches the link from its hook; the fd stays open (a defunct link).
/// Returns 0 or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_link_detach(link_fd: c_int) -> c_int {
    ffi("bpf_link_detach", || link::detach(link_fd).map(|_| 0))
}

/// Opens the link with id `id`. Returns a new fd or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_link_get_fd_by_id(id: __u32) -> c_int {
    // SAFETY: NULL opts.
    unsafe { bpf_link_get_fd_by_id_opts(id, core::ptr::null()) }
}

/// Opens the link with id `id` with `opts->open_flags` and
/// `opts->token_fd`. Returns a new fd or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_link_get_fd_by_id_opts(id: __u32, opts: *const bpf_get_fd_by_id_opts) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { fd_by_id("bpf_link_get_fd_by_id_opts", IdKind::Link, id, opts) }
}

/// Fills `*info` (at most `*info_len` bytes) about a link; `*info_len`
/// becomes the number of bytes filled. Returns 0 or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_link_get_info_by_fd(link_fd: c_int, info: *mut bpf_link_info, info_len: *mut __u32) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { crate::ffi::api::bpf_h::obj::bpf_obj_get_info_by_fd(link_fd, info.cast(), info_len) }
}

/// Writes the smallest link id greater than `start_id` into `*next_id`.
/// Returns 0, or a negative errno (`-ENOENT` past the last link).
#[no_mangle]
pub unsafe extern "C" fn bpf_link_get_next_id(start_id: __u32, next_id: *mut __u32) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { get_next_id("bpf_link_get_next_id", IdKind::Link, start_id, next_id) }
}

/// Replaces the program of a link with `new_prog_fd`; with `BPF_F_REPLACE`
/// in `opts->flags`, only if the link still runs `opts->old_prog_fd`
/// (struct_ops links: `opts->old_map_fd`; giving both is `-EINVAL`).
/// Returns 0 or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_link_update(link_fd: c_int, new_prog_fd: c_int, opts: *const bpf_link_update_opts) -> c_int {
    ffi("bpf_link_update", || {
        // SAFETY: `opts` is NULL or the caller's struct.
        let o = unsafe { opts::read(opts) }?;
        if o.old_prog_fd != 0 && o.old_map_fd != 0 {
            return Err(Error::INVAL);
        }
        let old = if o.old_prog_fd != 0 { o.old_prog_fd } else { o.old_map_fd };
        let attr = LinkUpdateAttr { link_fd: link_fd as u32, new_prog_fd: new_prog_fd as u32, flags: o.flags, old_prog_fd: old };
        link::update(&attr).map(|_| 0)
    })
}

/// Attaches a raw tracepoint program to the tracepoint `name` (NULL for
/// tracing programs whose target was given at load). Returns the link fd
/// or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_raw_tracepoint_open(name: *const c_char, prog_fd: c_int) -> c_int {
    let mut o = bpf_raw_tp_opts { sz: core::mem::size_of::<bpf_raw_tp_opts>(), tp_name: name, cookie: 0 };
    // SAFETY: a valid opts struct.
    unsafe { bpf_raw_tracepoint_open_opts(prog_fd, &mut o) }
}

/// [`bpf_raw_tracepoint_open`] with `opts->tp_name` and a cookie the
/// program reads with `bpf_get_attach_cookie()`. Returns the link fd or a
/// negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_raw_tracepoint_open_opts(prog_fd: c_int, opts: *mut bpf_raw_tp_opts) -> c_int {
    ffi("bpf_raw_tracepoint_open_opts", || {
        // SAFETY: `opts` is NULL or the caller's struct.
        let o = unsafe { opts::read(opts.cast_const()) }?;
        // SAFETY: the name is the caller's string or NULL.
        Ok(fd::release(unsafe { link::raw_tracepoint_open(o.tp_name, prog_fd, o.cookie) }?))
    })
}

/// Asks what BPF attachment fd `fd` of process `pid` is: `*prog_id`,
/// `*fd_type` (`BPF_FD_TYPE_*`), `*probe_offset`, `*probe_addr` and the
/// tracepoint, symbol or file name in `buf` (room for `*buf_len` bytes;
/// `*buf_len` becomes the name's length). Returns 0 or a negative errno
/// (`-ENOSPC`: name truncated; `-ENOTSUPP`: not a BPF attachment).
#[no_mangle]
pub unsafe extern "C" fn bpf_task_fd_query(pid: c_int, fd: c_int, flags: __u32, buf: *mut c_char, buf_len: *mut __u32, prog_id: *mut __u32, fd_type: *mut __u32, probe_offset: *mut __u64, probe_addr: *mut __u64) -> c_int {
    ffi("bpf_task_fd_query", || {
        if buf_len.is_null() || prog_id.is_null() || fd_type.is_null() || probe_offset.is_null() || probe_addr.is_null() {
            return Err(Error::INVAL);
        }
        let mut attr = TaskFdQueryAttr {
            pid: pid as u32,
            fd: fd as u32,
            flags,
            buf: ptr_to_u64(buf),
            // SAFETY: checked non-NULL; the caller's counter.
            buf_len: unsafe { *buf_len },
            ..Default::default()
        };
        // SAFETY: `buf` holds `*buf_len` bytes (caller contract).
        let res = unsafe { link::task_fd_query(&mut attr) };
        // SAFETY: all outputs checked non-NULL above.
        unsafe {
            *buf_len = attr.buf_len;
            *prog_id = attr.prog_id;
            *fd_type = attr.fd_type;
            *probe_offset = attr.probe_offset;
            *probe_addr = attr.probe_addr;
        }
        res.map(|_| 0)
    })
}
