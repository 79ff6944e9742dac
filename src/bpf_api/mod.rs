//! libbpf's behaviour around the raw `bpf(2)` commands of `crate::sys`:
//! what `bpf.h`'s functions do beyond one syscall.
//!
//! - [`memlock`]: the `RLIMIT_MEMLOCK` bump before the first object is
//!   created, and `libbpf_set_memlock_rlim`;
//! - [`features`]: the few kernel feature probes these functions need
//!   (object names, memcg accounting, common attributes), cached;
//! - [`map`]: map creation (name truncation, the map-creation log);
//! - [`prog`]: program load (`EAGAIN` attempts, func/line info record-size
//!   fix-ups, the log-buffer retry rule, `log_true_size`), and the
//!   attach/detach/query argument rules;
//! - [`btf`]: BTF load with the same log rules;
//! - [`link`]: which `link_create` member an attach type uses, and the
//!   raw-tracepoint fallback.
//!
//! Functions taking user addresses (`u64`) hand them to the kernel as they
//! are, like libbpf: they are `unsafe`, and the C caller's pointers must be
//! valid for what the command does with them.

pub mod btf;
pub mod features;
pub mod link;
pub mod map;
pub mod memlock;
pub mod object;
pub mod prog;
pub mod probe;

#[cfg(test)]
mod kernel_tests;

/// A log buffer the kernel writes into, as a C caller gave it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LogBuf {
    /// Address of the buffer (0: none).
    pub buf: u64,
    /// Its size in bytes.
    pub size: u32,
    /// Requested level (0: only on failure, when `buf` is set).
    pub level: u32,
}
