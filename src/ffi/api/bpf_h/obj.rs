//! Pinning and object info (`bpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.

use crate::error::Error;
use crate::ffi::api::bpf_h::types::*;
use crate::ffi::ctypes::*;
use crate::ffi::entry::ffi;
use crate::ffi::opts;
use crate::sys::{fd, info, obj};

/// Opens the BPF object pinned at `pathname` (a bpffs path). Returns a new
/// fd or a negative errno (`-ENOENT`, `-EACCES`, ...).
#[no_mangle]
pub unsafe extern "C" fn bpf_obj_get(pathname: *const c_char) -> c_int {
    // SAFETY: NULL opts.
    unsafe { bpf_obj_get_opts(pathname, core::ptr::null()) }
}

/// Fills the info struct of any BPF object (program, map, BTF, link):
/// the kernel writes at most `*info_len` bytes into `info` and stores the
/// number written in `*info_len`. Returns 0 or a negative errno (`-E2BIG`
/// when `info` is larger than the kernel's struct and the extra bytes are
/// not zero).
#[no_mangle]
pub unsafe extern "C" fn bpf_obj_get_info_by_fd(bpf_fd: c_int, info: *mut c_void, info_len: *mut __u32) -> c_int {
    ffi("bpf_obj_get_info_by_fd", || {
        if info_len.is_null() {
            return Err(Error::INVAL);
        }
        // SAFETY: checked non-NULL; `info` holds `*info_len` bytes (caller contract).
        let len = unsafe { info::get_info_by_fd(bpf_fd, info, *info_len) }?;
        // SAFETY: as above.
        unsafe { *info_len = len };
        Ok(0)
    })
}

/// Opens the BPF object pinned at `pathname` with `opts->file_flags`
/// (`BPF_F_RDONLY`, `BPF_F_WRONLY`, `BPF_F_PATH_FD` with `opts->path_fd`
/// as the directory `pathname` is relative to). Returns a new fd or a
/// negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_obj_get_opts(pathname: *const c_char, opts: *const bpf_obj_get_opts) -> c_int {
    ffi("bpf_obj_get_opts", || {
        // SAFETY: `opts` is NULL or the caller's struct.
        let o = unsafe { opts::read(opts) }?;
        // SAFETY: `pathname` is the caller's string (NULL: `-EFAULT` from the kernel).
        Ok(fd::release(unsafe { obj::get(pathname, o.file_flags, o.path_fd) }?))
    })
}

/// Pins the object `fd` at `pathname` in a bpffs, so it outlives the
/// process. Returns 0 or a negative errno (`-EEXIST`: path taken).
#[no_mangle]
pub unsafe extern "C" fn bpf_obj_pin(fd: c_int, pathname: *const c_char) -> c_int {
    // SAFETY: NULL opts.
    unsafe { bpf_obj_pin_opts(fd, pathname, core::ptr::null()) }
}

/// [`bpf_obj_pin`] with `opts->file_flags` (`BPF_F_PATH_FD`) and
/// `opts->path_fd`. Returns 0 or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_obj_pin_opts(fd: c_int, pathname: *const c_char, opts: *const bpf_obj_pin_opts) -> c_int {
    ffi("bpf_obj_pin_opts", || {
        // SAFETY: `opts` is NULL or the caller's struct.
        let o = unsafe { opts::read(opts) }?;
        // SAFETY: `pathname` is the caller's string.
        unsafe { obj::pin(fd, pathname, o.file_flags, o.path_fd) }.map(|_| 0)
    })
}
