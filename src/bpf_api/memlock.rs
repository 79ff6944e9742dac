//! `RLIMIT_MEMLOCK` handling.
//!
//! Kernels before 5.11 charge BPF maps and programs against the memlock
//! rlimit, whose default (64 KiB or 8 MiB) is far too small. Like libbpf,
//! the first call that creates a map, program or BTF object raises the
//! limit once (to `RLIM_INFINITY` unless `libbpf_set_memlock_rlim` chose
//! another value, 0 meaning "leave it alone"), and only when the kernel does
//! not account BPF memory to the memory cgroup instead.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::error::{Error, Result};

static BUMPED: AtomicBool = AtomicBool::new(false);
static LIMIT: AtomicU64 = AtomicU64::new(u64::MAX);

/// Raises the memlock rlimit if this has not been attempted yet and the
/// kernel needs it. Later calls do nothing. The result of the attempt is
/// returned, but the creating functions ignore it, like libbpf.
pub fn bump() -> Result<()> {
    if BUMPED.swap(true, Ordering::AcqRel) {
        return Ok(());
    }
    if crate::bpf_api::features::memcg_account() {
        return Ok(());
    }
    match LIMIT.load(Ordering::Acquire) {
        0 => Ok(()),
        bytes => crate::sys::misc::set_memlock_rlimit(bytes),
    }
}

/// Chooses the limit [`bump`] sets (`u64::MAX`: infinity, 0: none).
/// `EBUSY` once a map, program or BTF object has been created (the bump
/// already happened or was skipped).
pub fn set_limit(bytes: u64) -> Result<()> {
    if BUMPED.load(Ordering::Acquire) {
        return Err(Error::BUSY);
    }
    LIMIT.store(bytes, Ordering::Release);
    Ok(())
}
