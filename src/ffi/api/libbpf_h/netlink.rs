//! XDP and TC through netlink (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.

use crate::error::Error;
use crate::ffi::api::libbpf_h::types::*;
use crate::ffi::ctypes::*;
use crate::ffi::entry::ffi;
use crate::ffi::opts;
use crate::netlink::{tc, xdp};
use crate::opts_set;

/// Reads a `bpf_tc_hook` (NULL is `EINVAL`) under the `sz` rule.
///
/// # Safety
/// `hook` is NULL or the caller's struct; its `qdisc` is NULL or a C string.
unsafe fn read_hook(hook: *const bpf_tc_hook) -> crate::error::Result<tc::Hook> {
    if hook.is_null() {
        return Err(Error::INVAL);
    }
    // SAFETY: forwarded contract.
    let h = unsafe { opts::read(hook) }?;
    // SAFETY: a non-NULL `qdisc` is the caller's C string.
    let qdisc = (!h.qdisc.is_null()).then(|| unsafe { core::ffi::CStr::from_ptr(h.qdisc) }.to_bytes().to_vec());
    Ok(tc::Hook { ifindex: h.ifindex, attach_point: h.attach_point as u32, parent: h.parent, handle: h.handle, qdisc })
}

/// Reads a `bpf_tc_opts` (NULL is `EINVAL`) under the `sz` rule.
///
/// # Safety
/// `o` is NULL or the caller's struct.
unsafe fn read_filter(o: *const bpf_tc_opts) -> crate::error::Result<tc::Filter> {
    if o.is_null() {
        return Err(Error::INVAL);
    }
    // SAFETY: forwarded contract.
    let o = unsafe { opts::read(o) }?;
    Ok(tc::Filter { prog_fd: o.prog_fd, flags: o.flags, prog_id: o.prog_id, handle: o.handle, priority: o.priority })
}

/// Writes what the kernel reported about a filter back into the caller's opts.
fn write_filter(o: *mut bpf_tc_opts, info: &tc::FilterInfo) {
    opts_set!(o, bpf_tc_opts, prog_id, info.prog_id);
    opts_set!(o, bpf_tc_opts, handle, info.handle);
    opts_set!(o, bpf_tc_opts, priority, info.priority);
}

/// Attaches `opts->prog_fd` as a cls_bpf filter in direct-action mode at
/// the hook (the clsact ingress or egress side, or `BPF_TC_CUSTOM` with a
/// parent). `opts->handle` and `opts->priority` of 0 let the kernel pick
/// them; `BPF_TC_F_REPLACE` replaces an existing filter with the same
/// handle and priority (without it an existing one is `-EEXIST`). On
/// success fills `opts->prog_id`, `handle` and `priority`. Returns 0 or a
/// negative errno: `-EINVAL` for NULL arguments, `opts->prog_id` set, a zero
/// `prog_fd`, priority above 0xFFFF, unknown flags or a bad hook.
#[no_mangle]
pub unsafe extern "C" fn bpf_tc_attach(hook: *const bpf_tc_hook, opts: *mut bpf_tc_opts) -> c_int {
    ffi("bpf_tc_attach", || {
        // SAFETY: the caller's structs, or NULL.
        let (h, f) = unsafe { (read_hook(hook)?, read_filter(opts)?) };
        let info = tc::attach(&h, &f)?;
        write_filter(opts, &info);
        Ok(0)
    })
}

/// Detaches the filter identified by `opts->handle` and `opts->priority`
/// (both required; `prog_fd`, `prog_id` and `flags` must be 0). Returns 0
/// or a negative errno (`-ENOENT` when there is no such filter, `-EINVAL`
/// for bad arguments).
#[no_mangle]
pub unsafe extern "C" fn bpf_tc_detach(hook: *const bpf_tc_hook, opts: *const bpf_tc_opts) -> c_int {
    ffi("bpf_tc_detach", || {
        // SAFETY: the caller's structs, or NULL.
        let (h, f) = unsafe { (read_hook(hook)?, read_filter(opts)?) };
        tc::detach(&h, &f).map(|()| 0)
    })
}

/// Creates the hook's qdisc: clsact for `BPF_TC_INGRESS`, `BPF_TC_EGRESS`
/// or both, or for `BPF_TC_QDISC` the qdisc named `hook->qdisc` with
/// `hook->parent` and `hook->handle`. Returns 0, `-EEXIST` when it exists
/// already (callers usually ignore that), `-EOPNOTSUPP` for
/// `BPF_TC_CUSTOM`, `-EINVAL` for NULL, a bad ifindex or attach point.
#[no_mangle]
pub unsafe extern "C" fn bpf_tc_hook_create(hook: *mut bpf_tc_hook) -> c_int {
    ffi("bpf_tc_hook_create", || {
        // SAFETY: the caller's struct, or NULL.
        let h = unsafe { read_hook(hook) }?;
        tc::hook_create(&h).map(|()| 0)
    })
}

/// Destroys a hook: for `BPF_TC_INGRESS` or `BPF_TC_EGRESS` alone, removes
/// every filter on that side; for both, deletes the clsact qdisc (and all
/// its filters); for `BPF_TC_QDISC`, deletes that qdisc. Returns 0 or a
/// negative errno (`-EOPNOTSUPP` for `BPF_TC_CUSTOM`, `-EINVAL` for bad
/// arguments, the kernel's error otherwise).
#[no_mangle]
pub unsafe extern "C" fn bpf_tc_hook_destroy(hook: *mut bpf_tc_hook) -> c_int {
    ffi("bpf_tc_hook_destroy", || {
        // SAFETY: the caller's struct, or NULL.
        let h = unsafe { read_hook(hook) }?;
        tc::hook_destroy(&h).map(|()| 0)
    })
}

/// Looks up the filter identified by `opts->handle` and `opts->priority`
/// (both required; `prog_fd`, `prog_id` and `flags` must be 0) and fills
/// `opts->prog_id`. Returns 0, `-ENOENT` when there is no such filter, or
/// another negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_tc_query(hook: *const bpf_tc_hook, opts: *mut bpf_tc_opts) -> c_int {
    ffi("bpf_tc_query", || {
        // SAFETY: the caller's structs, or NULL.
        let (h, f) = unsafe { (read_hook(hook)?, read_filter(opts)?) };
        let info = tc::query(&h, &f)?;
        write_filter(opts, &info);
        Ok(0)
    })
}

/// Attaches the XDP program `prog_fd` to device `ifindex` (`XDP_FLAGS_*`
/// choose the mode: SKB, DRV, HW; `XDP_FLAGS_UPDATE_IF_NOEXIST` refuses to
/// replace). With `opts->old_prog_fd`, replaces that program only
/// (`XDP_FLAGS_REPLACE`; `-EEXIST` if another one is attached). Returns 0
/// or a negative errno from the kernel (logging its error message).
#[no_mangle]
pub unsafe extern "C" fn bpf_xdp_attach(ifindex: c_int, prog_fd: c_int, flags: __u32, opts: *const bpf_xdp_attach_opts) -> c_int {
    ffi("bpf_xdp_attach", || {
        // SAFETY: `opts` is NULL or the caller's struct.
        let o = unsafe { opts::read(opts) }?;
        xdp::attach(ifindex, prog_fd, flags, o.old_prog_fd).map(|()| 0)
    })
}

/// Detaches the XDP program of device `ifindex` in the mode `flags` give
/// (with `opts->old_prog_fd`: only if that program is the one attached).
/// Returns 0 or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_xdp_detach(ifindex: c_int, flags: __u32, opts: *const bpf_xdp_attach_opts) -> c_int {
    ffi("bpf_xdp_detach", || {
        // SAFETY: `opts` is NULL or the caller's struct.
        let o = unsafe { opts::read(opts) }?;
        xdp::attach(ifindex, -1, flags, o.old_prog_fd).map(|()| 0)
    })
}

/// Fills `opts` with what device `ifindex` has attached: program ids per
/// mode and `attach_mode` (`XDP_ATTACHED_*`), and, when the caller's struct
/// has them, the device's `feature_flags` (`NETDEV_XDP_ACT_*`, 0 on kernels
/// without the netdev family) and `xdp_zc_max_segs`. `flags` may hold at
/// most one mode. A device that does not exist reads as nothing attached,
/// unless features are asked for (`-ENODEV`). Returns 0 or a negative errno
/// (`-EINVAL` for bad flags or opts).
#[no_mangle]
pub unsafe extern "C" fn bpf_xdp_query(ifindex: c_int, flags: c_int, opts: *mut bpf_xdp_query_opts) -> c_int {
    ffi("bpf_xdp_query", || {
        // SAFETY: `opts` is NULL or the caller's struct.
        unsafe { opts::read(opts.cast_const()) }?;
        let info = xdp::query(ifindex, flags)?;
        opts_set!(opts, bpf_xdp_query_opts, prog_id, info.prog_id);
        opts_set!(opts, bpf_xdp_query_opts, drv_prog_id, info.drv_prog_id);
        opts_set!(opts, bpf_xdp_query_opts, hw_prog_id, info.hw_prog_id);
        opts_set!(opts, bpf_xdp_query_opts, skb_prog_id, info.skb_prog_id);
        opts_set!(opts, bpf_xdp_query_opts, attach_mode, info.attach_mode);
        let end = core::mem::offset_of!(bpf_xdp_query_opts, feature_flags) + 8;
        // SAFETY: `opts` is NULL or starts with its `sz`.
        if !unsafe { opts::covers(opts.cast_const(), end) } {
            return Ok(0);
        }
        match xdp::features(ifindex)? {
            Some(f) => {
                opts_set!(opts, bpf_xdp_query_opts, feature_flags, f.flags);
                opts_set!(opts, bpf_xdp_query_opts, xdp_zc_max_segs, f.zc_max_segs);
            }
            None => opts_set!(opts, bpf_xdp_query_opts, feature_flags, 0u64),
        }
        Ok(0)
    })
}

/// Stores in `*prog_id` the id of the XDP program attached to `ifindex`:
/// the only one when no mode is given in `flags`, else the one of that
/// mode (0 when none). Queries like `bpf_xdp_query()` with every field, so
/// a missing device is `-ENODEV`. Returns 0 or a negative errno (`-EINVAL`
/// for a NULL `prog_id` or bad flags).
#[no_mangle]
pub unsafe extern "C" fn bpf_xdp_query_id(ifindex: c_int, flags: c_int, prog_id: *mut __u32) -> c_int {
    ffi("bpf_xdp_query_id", || {
        if prog_id.is_null() {
            return Err(Error::INVAL);
        }
        let id = xdp::query_id(ifindex, flags)?;
        // SAFETY: checked non-NULL; the caller's output.
        unsafe { prog_id.write_unaligned(id) };
        Ok(0)
    })
}
