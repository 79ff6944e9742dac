//! cgroup programs through BPF links (`bpf_program__attach_cgroup()` and
//! `_opts()`): the program's expected attach type on a cgroup v2
//! directory fd, optionally placed relative to another program or link.

use crate::error::Result;

use super::{attach_fd, Link, Position, Prog};

/// Attaches `prog` to the cgroup `cgroup_fd` at `pos` (`Position::default()`
/// for the plain call). `EINVAL` for a program without fd or both a
/// relative fd and id; else the kernel's answer.
pub fn attach(prog: &Prog, cgroup_fd: i32, pos: &Position) -> Result<Link> {
    let (flags, target) = pos.target(prog)?;
    attach_fd(prog, cgroup_fd, "cgroup", flags, target)
}
