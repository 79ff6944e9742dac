//! BPF iterators (`bpf_program__attach_iter()`): a `BPF_TRACE_ITER` link,
//! optionally on a map, cgroup or task described by a
//! `union bpf_iter_link_info`; `bpf_iter_create()` on the link then runs it.

use crate::bpf_api::link::{create_link, LinkRequest, Target};
use crate::bpf_api::object::Mem;
use crate::error::Result;
use crate::uapi::bpf_enums::attach;

use super::{Link, Prog};

/// Attaches iterator program `prog`, with `info` (`len` bytes, kernel-read)
/// describing what to iterate over. `EINVAL` for a program without fd;
/// else the kernel's answer.
pub fn attach(prog: &Prog, info: Mem<'_>, len: u32) -> Result<Link> {
    let prog_fd = prog.fd_or(super::NOT_LOADED)?;
    let req = LinkRequest {
        prog_fd,
        target_fd: 0,
        attach_type: attach::TRACE_ITER,
        flags: 0,
        target: Target::Iter { info, len },
    };
    let fd = create_link(&req).inspect_err(|e| {
        crate::pr_warn!("prog '{}': failed to attach to iterator: {e}", prog.name)
    })?;
    Ok(Link::from_fd(fd))
}
