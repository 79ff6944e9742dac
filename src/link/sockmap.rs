//! sk_skb/sk_msg programs on a sockmap or sockhash through BPF links
//! (`bpf_program__attach_sockmap()`).

use crate::bpf_api::link::Target;
use crate::error::Result;

use super::{attach_fd, Link, Prog};

/// Attaches `prog` to the sockmap (or sockhash) `map_fd` with its expected
/// attach type (stream parser, stream verdict, verdict, msg verdict).
/// `EINVAL` for a program without fd; else the kernel's answer.
pub fn attach(prog: &Prog, map_fd: i32) -> Result<Link> {
    attach_fd(prog, map_fd, "sockmap", 0, Target::None)
}
