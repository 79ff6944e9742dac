//! The remaining `bpf(2)` commands (statistics, tokens) and the memlock
//! rlimit that older kernels charge BPF memory against.

use std::os::fd::{OwnedFd, RawFd};

use crate::error::{Error, Result};
use crate::impl_attr;
use crate::sys::bpf::{self, cmd};

/// Attributes of `BPF_ENABLE_STATS`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EnableStatsAttr {
    /// `enum bpf_stats_type`.
    pub type_: u32,
}
impl_attr!(EnableStatsAttr);

/// Turns on a kind of run-time statistics for as long as the returned fd
/// stays open.
pub fn enable_stats(type_: u32) -> Result<OwnedFd> {
    let mut a = EnableStatsAttr { type_ };
    // SAFETY: no pointers.
    unsafe { bpf::call_fd(cmd::BPF_ENABLE_STATS, &mut a) }
}

/// Attributes of `BPF_TOKEN_CREATE`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TokenCreateAttr {
    pub flags: u32,
    pub bpffs_fd: u32,
}
impl_attr!(TokenCreateAttr);

/// Creates a BPF token from a bpffs mounted with delegation options.
pub fn token_create(bpffs_fd: RawFd, flags: u32) -> Result<OwnedFd> {
    let mut a = TokenCreateAttr { flags, bpffs_fd: bpffs_fd as u32 };
    // SAFETY: no pointers.
    unsafe { bpf::call_fd(cmd::BPF_TOKEN_CREATE, &mut a) }
}

/// Sets both the soft and hard `RLIMIT_MEMLOCK` of the process to `bytes`.
pub fn set_memlock_rlimit(bytes: u64) -> Result<()> {
    let lim = libc::rlimit { rlim_cur: bytes as libc::rlim_t, rlim_max: bytes as libc::rlim_t };
    // SAFETY: `lim` is a valid rlimit.
    if unsafe { libc::setrlimit(libc::RLIMIT_MEMLOCK, &lim) } != 0 {
        return Err(Error::last_os_error());
    }
    Ok(())
}
