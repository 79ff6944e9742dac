//! Statistics, tokens and memlock (`bpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.

use crate::ffi::api::bpf_h::types::*;
use crate::ffi::ctypes::*;
use crate::ffi::entry::ffi;
use crate::ffi::opts;
use crate::sys::{fd, misc};

/// Enables run-time statistics of `type` (`BPF_STATS_RUN_TIME`: run time
/// and count of every program) for as long as the returned fd is open.
/// Returns the fd or a negative errno (`-EBUSY` is not used: statistics
/// are reference-counted).
#[no_mangle]
pub unsafe extern "C" fn bpf_enable_stats(r#type: enum_bpf_stats_type) -> c_int {
    ffi("bpf_enable_stats", || Ok(fd::release(misc::enable_stats(r#type)?)))
}

/// Creates a BPF token from `bpffs_fd`, a bpffs mounted with delegation
/// options, to hand BPF rights to an unprivileged user namespace.
/// Returns the token fd or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_token_create(bpffs_fd: c_int, opts: *mut bpf_token_create_opts) -> c_int {
    ffi("bpf_token_create", || {
        // SAFETY: `opts` is NULL or the caller's struct.
        let o = unsafe { opts::read(opts.cast_const()) }?;
        Ok(fd::release(misc::token_create(bpffs_fd, o.flags)?))
    })
}

/// Chooses the `RLIMIT_MEMLOCK` value set before the first map, program or
/// BTF object is created, on kernels that charge BPF memory to it
/// (before 5.11): default `RLIM_INFINITY`, 0 leaves the limit alone.
/// Returns 0, or `-EBUSY` once an object was created.
#[no_mangle]
pub unsafe extern "C" fn libbpf_set_memlock_rlim(memlock_bytes: size_t) -> c_int {
    ffi("libbpf_set_memlock_rlim", || crate::bpf_api::memlock::set_limit(memlock_bytes as u64).map(|_| 0))
}
