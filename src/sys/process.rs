//! The calling process's identity and limits, for diagnostics.

/// The effective user id.
pub fn euid() -> u32 {
    // SAFETY: geteuid has no failure mode and no memory effects.
    unsafe { libc::geteuid() }
}

/// The current `RLIMIT_MEMLOCK` soft limit in bytes; None when unlimited
/// or unknown.
pub fn memlock_limit() -> Option<u64> {
    // SAFETY: `lim` is plain data written by the kernel.
    unsafe {
        let mut lim: libc::rlimit = core::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_MEMLOCK, &mut lim) != 0 || lim.rlim_cur == libc::RLIM_INFINITY {
            return None;
        }
        Some(lim.rlim_cur)
    }
}
