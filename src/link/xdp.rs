//! XDP programs through BPF links (`bpf_program__attach_xdp()`).

use crate::bpf_api::link::Target;
use crate::error::Result;

use super::{attach_fd, Link, Prog};

/// Attaches `prog` to network device `ifindex` (the link's target field
/// holds the ifindex). `EINVAL` for a program without fd; else the
/// kernel's answer (`EBUSY` when a program is attached without a link).
pub fn attach(prog: &Prog, ifindex: i32) -> Result<Link> {
    attach_fd(prog, ifindex, "xdp", 0, Target::None)
}
