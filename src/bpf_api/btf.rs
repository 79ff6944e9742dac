//! BTF loading as libbpf does it: the log-buffer retry rule and
//! `log_true_size`.

use std::os::fd::OwnedFd;

use crate::bpf_api::LogBuf;
use crate::error::{Error, Result};
use crate::sys::bpf::ptr_to_u64;
use crate::sys::btf::{self, BtfLoadAttr};

/// Loads raw BTF (`size` bytes at address `data`).
///
/// Log rules (shared with program loading): with a `log.level`, the kernel
/// logs into `log.buf` from the start; with level 0 and a buffer, the load
/// is first tried without a log and, only if it fails, retried with level 1
/// so the buffer explains the failure. A log size without a buffer is
/// `EINVAL`. A buffer too small for the log makes the kernel fail with
/// `ENOSPC` (log truncated).
///
/// Returns the fd and, once the kernel was called, the size the full log
/// needs (`log_true_size`; `None` when the arguments were refused before).
///
/// Call [`crate::bpf_api::memlock::bump`] first.
///
/// # Safety
/// `data` is readable for `size` bytes and `log.buf` writable for
/// `log.size` bytes.
pub unsafe fn load(data: u64, size: usize, log: LogBuf, btf_flags: u32, token_fd: i32) -> (Result<OwnedFd>, Option<u32>) {
    if log.size != 0 && log.buf == 0 {
        return (Err(Error::INVAL), None);
    }
    let mut attr = BtfLoadAttr {
        btf: data,
        btf_size: size as u32,
        btf_flags,
        btf_token_fd: token_fd,
        ..Default::default()
    };
    if log.level != 0 {
        attr.btf_log_buf = log.buf;
        attr.btf_log_size = log.size;
        attr.btf_log_level = log.level;
    }
    // SAFETY: forwarded contract.
    let mut res = unsafe { btf::load(&mut attr) };
    if res.is_err() && log.buf != 0 && log.level == 0 {
        attr.btf_log_buf = log.buf;
        attr.btf_log_size = log.size;
        attr.btf_log_level = 1;
        // SAFETY: forwarded contract.
        res = unsafe { btf::load(&mut attr) };
    }
    (res, Some(attr.btf_log_true_size))
}

/// A safe form for Rust callers: loads `data`, with `log` (if any) filled
/// under the rules of [`load`] at `log_level`. Returns the fd or the error
/// and the size the full log needs.
pub fn load_bytes(data: &[u8], log: Option<&mut [u8]>, log_level: u32) -> (Result<OwnedFd>, u32) {
    crate::bpf_api::memlock::bump().ok();
    let log = match log {
        Some(buf) => LogBuf { buf: ptr_to_u64(buf.as_mut_ptr()), size: buf.len().min(u32::MAX as usize) as u32, level: log_level },
        None => LogBuf { level: log_level, ..Default::default() },
    };
    // SAFETY: `data` and the log buffer are valid slices for their lengths.
    let (res, true_size) = unsafe { load(ptr_to_u64(data.as_ptr()), data.len(), log, 0, 0) };
    (res, true_size.unwrap_or(0))
}
