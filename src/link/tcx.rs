//! tcx programs (TC ingress/egress without qdisc) through BPF links
//! (`bpf_program__attach_tcx()`).

use crate::error::{Error, Result};

use super::{attach_fd, Link, Position, Prog};

/// Attaches `prog` to device `ifindex` with its expected attach type
/// (`BPF_TCX_INGRESS`/`EGRESS`) at `pos`. `EINVAL` for ifindex 0, both a
/// relative fd and id, or a program without fd; else the kernel's answer.
pub fn attach(prog: &Prog, ifindex: i32, pos: &Position) -> Result<Link> {
    if ifindex == 0 {
        crate::pr_warn!(
            "prog '{}': target netdevice ifindex cannot be zero",
            prog.name
        );
        return Err(Error::INVAL);
    }
    let (flags, target) = pos.target(prog)?;
    attach_fd(prog, ifindex, "tcx", flags, target)
}
