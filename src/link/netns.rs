//! Network namespace programs (flow dissector, sk_lookup) through BPF links
//! (`bpf_program__attach_netns()`).

use crate::bpf_api::link::Target;
use crate::error::Result;

use super::{attach_fd, Link, Prog};

/// Attaches `prog` to the network namespace `netns_fd` (an open
/// `/proc/<pid>/ns/net`). `EINVAL` for a program without fd; else the
/// kernel's answer.
pub fn attach(prog: &Prog, netns_fd: i32) -> Result<Link> {
    attach_fd(prog, netns_fd, "netns", 0, Target::None)
}
