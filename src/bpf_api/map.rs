//! Map creation as libbpf does it.

use std::os::fd::OwnedFd;

use crate::bpf_api::{features, LogBuf};
use crate::error::Result;
use crate::sys::bpf::CommonAttr;
use crate::sys::map::{self, MapCreateAttr};

/// Creates a map from `attr` (every field but the name), with `name` copied
/// in when the kernel supports object names (truncated to 15 bytes).
///
/// With `log`, kernels that take common attributes (after 6.18) write the
/// reasons for a refusal into it; the second value is then the size the
/// full log needs (`Some(0)` on kernels without that support, where the map
/// is created without a log). Without `log` it is `None`.
///
/// Call [`crate::bpf_api::memlock::bump`] first (libbpf does it before
/// validating anything).
///
/// # Safety
/// The addresses in `attr` and `log` are valid for the sizes given.
pub unsafe fn create(mut attr: MapCreateAttr, name: Option<&[u8]>, log: Option<LogBuf>) -> (Result<OwnedFd>, Option<u32>) {
    if let Some(name) = name {
        if features::prog_name() {
            attr.set_name(name);
        }
    }
    match log {
        Some(log) if features::common_attrs() => {
            let mut common = CommonAttr { log_buf: log.buf, log_size: log.size, log_level: log.level, log_true_size: 0 };
            // SAFETY: forwarded contract.
            let res = unsafe { map::create_with_log(&attr, &mut common) };
            (res, Some(common.log_true_size))
        }
        // SAFETY: forwarded contract.
        Some(_) => (unsafe { map::create(&attr) }, Some(0)),
        // SAFETY: forwarded contract.
        None => (unsafe { map::create(&attr) }, None),
    }
}

/// A safe form for Rust callers: a map of `map_type` with the given sizes
/// and flags, no BTF.
pub fn create_simple(map_type: u32, name: &str, key_size: u32, value_size: u32, max_entries: u32, map_flags: u32) -> Result<OwnedFd> {
    crate::bpf_api::memlock::bump().ok();
    let attr = MapCreateAttr { map_type, key_size, value_size, max_entries, map_flags, ..Default::default() };
    // SAFETY: no addresses in `attr`, no log.
    unsafe { create(attr, Some(name.as_bytes()), None) }.0
}
