//! Links (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.

use crate::error::Error;
use crate::ffi::api::libbpf_h::types::*;
use crate::ffi::ctypes::*;
use crate::ffi::link_handle::{is_err_or_null, link_from_c, link_into_c, link_mut};

/// Detaches the link (unless disconnected) and frees it. For links over
/// perf events the perf event fd is closed too, and a legacy kprobe/uprobe
/// event is removed from tracefs. Returns 0, or the negative errno of the
/// teardown (the link is freed anyway). NULL is ignored (returns 0).
#[no_mangle]
pub unsafe extern "C" fn bpf_link__destroy(link: *mut bpf_link) -> c_int {
    crate::ffi::entry::ffi("bpf_link__destroy", || {
        if is_err_or_null(link) {
            return Ok(0);
        }
        // SAFETY: a live link handle, not used by the caller afterwards.
        let l = unsafe { link_from_c(link) };
        l.destroy().map(|()| 0)
    })
}

/// Detaches the link from its hook (`BPF_LINK_DETACH`) while keeping the
/// link object and its fd. Returns 0 or the kernel's negative errno
/// (`-EINVAL` for links that are no BPF link, e.g. perf-ioctl ones).
#[no_mangle]
pub unsafe extern "C" fn bpf_link__detach(link: *mut bpf_link) -> c_int {
    crate::ffi::entry::ffi("bpf_link__detach", || {
        // SAFETY: `link` is NULL or a live link handle.
        let l = unsafe { link_mut(link) }?;
        l.detach().map(|()| 0)
    })
}

/// Releases the link's ownership of the attachment: destroying it later
/// keeps the program attached and its fds open. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn bpf_link__disconnect(link: *mut bpf_link) {
    crate::ffi::entry::ffi("bpf_link__disconnect", || {
        // SAFETY: `link` is NULL or a live link handle.
        if let Ok(l) = unsafe { link_mut(link) } {
            l.disconnect();
        }
        Ok(())
    })
}

/// The link's fd (a BPF link; for links made through the perf ioctl, the
/// perf event's). `-EINVAL` for NULL.
#[no_mangle]
pub unsafe extern "C" fn bpf_link__fd(link: *const bpf_link) -> c_int {
    crate::ffi::entry::ffi("bpf_link__fd", || {
        // SAFETY: `link` is NULL or a live link handle.
        let l = unsafe { link_mut(link) }?;
        Ok(l.fd())
    })
}

/// Opens the BPF link pinned at `path` in bpffs; the link remembers `path`
/// as its pin path. Destroying it closes the fd (the pin keeps the link
/// alive). NULL with `errno` set on failure (the kernel's answer, e.g.
/// `ENOENT`).
#[no_mangle]
pub unsafe extern "C" fn bpf_link__open(path: *const c_char) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_link__open", || {
        // SAFETY: `path` is NULL or a C string.
        let path = unsafe { crate::ffi::cstr::string(path) }.ok_or(Error::INVAL)?;
        crate::link::Link::open_pinned(&path).map(link_into_c)
    })
}

/// Pins the link at `path` (in bpffs; missing parent directory created),
/// which keeps it attached beyond the process. 0 on success; `-EBUSY` when
/// already pinned, `-EINVAL` for a path outside bpffs, else the kernel's
/// negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_link__pin(link: *mut bpf_link, path: *const c_char) -> c_int {
    crate::ffi::entry::ffi("bpf_link__pin", || {
        // SAFETY: `link` is NULL or a live link handle; `path` NULL or a C string.
        let (l, path) = unsafe { (link_mut(link)?, crate::ffi::cstr::string(path).ok_or(Error::INVAL)?) };
        l.pin(&path).map(|()| 0)
    })
}

/// Where the link is pinned, or NULL when it is not (the string lives as
/// long as the link, until unpinned).
#[no_mangle]
pub unsafe extern "C" fn bpf_link__pin_path(link: *const bpf_link) -> *const c_char {
    crate::ffi::entry::ffi("bpf_link__pin_path", || {
        // SAFETY: `link` is NULL or a live link handle.
        let l = unsafe { link_mut(link) }?;
        Ok(l.pin_path().map_or(core::ptr::null(), |p| p.as_ptr()))
    })
}

/// Removes the link's pin. 0 on success; `-EINVAL` when not pinned, else
/// `unlink()`'s negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_link__unpin(link: *mut bpf_link) -> c_int {
    crate::ffi::entry::ffi("bpf_link__unpin", || {
        // SAFETY: `link` is NULL or a live link handle.
        let l = unsafe { link_mut(link) }?;
        l.unpin().map(|()| 0)
    })
}

/// Makes struct_ops link `link` register `map` instead. 0 on success;
/// `-EINVAL` for a map that is not a created struct_ops map or a link that
/// is no struct_ops BPF link; `-EOPNOTSUPP` (struct_ops maps are not
/// built by the loader yet); else the kernel's negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_link__update_map(link: *mut bpf_link, map: *const bpf_map) -> c_int {
    crate::ffi::entry::ffi("bpf_link__update_map", || {
        // SAFETY: `map` is NULL or a live map handle.
        let m = unsafe { crate::ffi::api::libbpf_h::map::struct_ops_ref(map) }?;
        // SAFETY: `link` is NULL or a live link handle.
        let l = unsafe { link_mut(link) }?;
        crate::link::struct_ops::update_map(l, &m, None).map(|()| 0)
    })
}

/// Replaces the link's program with `prog` (`BPF_LINK_UPDATE`). 0 on
/// success; `-EINVAL` for a program not loaded, else the kernel's negative
/// errno (links that are no BPF link cannot be updated).
#[no_mangle]
pub unsafe extern "C" fn bpf_link__update_program(link: *mut bpf_link, prog: *mut bpf_program) -> c_int {
    crate::ffi::entry::ffi("bpf_link__update_program", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { crate::ffi::api::libbpf_h::attach::prog_ref(prog) }?;
        // SAFETY: `link` is NULL or a live link handle.
        let l = unsafe { link_mut(link) }?;
        l.update_program(&p).map(|()| 0)
    })
}
