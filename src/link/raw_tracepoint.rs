//! Raw tracepoints (`bpf_program__attach_raw_tracepoint_opts()`):
//! `BPF_RAW_TRACEPOINT_OPEN` with the tracepoint's name and a cookie.

use std::ffi::CString;

use crate::error::{Error, Result};

use super::{Link, Prog};

/// Attaches `prog` to raw tracepoint `tp_name` (None: the target given at
/// load, for BTF-typed programs). `EINVAL` for a program without fd, else
/// the kernel's answer (`ENOENT` for an unknown tracepoint).
pub fn attach(prog: &Prog, tp_name: Option<&str>, cookie: u64) -> Result<Link> {
    let prog_fd = prog.fd_or(super::NOT_LOADED)?;
    let name = tp_name
        .map(CString::new)
        .transpose()
        .map_err(|_| Error::INVAL)?;
    let fd = crate::bpf_api::link::raw_tracepoint_open(name.as_deref(), prog_fd, cookie)
        .inspect_err(|e| {
            crate::pr_warn!(
                "prog '{}': failed to attach to raw tracepoint '{}': {e}",
                prog.name,
                tp_name.unwrap_or("(null)")
            );
        })?;
    Ok(Link::from_fd(fd))
}
