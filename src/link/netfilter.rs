//! Netfilter programs through BPF links (`bpf_program__attach_netfilter()`).

use crate::bpf_api::link::{create_link, LinkRequest, Target};
use crate::error::Result;
use crate::uapi::bpf_enums::attach;

use super::{Link, Prog};

/// `struct bpf_netfilter_opts`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NetfilterOptions {
    /// Protocol family (`NFPROTO_IPV4`, ...).
    pub pf: u32,
    /// Hook (`NF_INET_LOCAL_IN`, ...).
    pub hooknum: u32,
    pub priority: i32,
    /// `BPF_F_NETFILTER_IP_DEFRAG`.
    pub flags: u32,
}

/// Attaches `prog` to a netfilter hook. `EINVAL` for a program without fd;
/// else the kernel's answer.
pub fn attach(prog: &Prog, opts: &NetfilterOptions) -> Result<Link> {
    let prog_fd = prog.fd_or(super::NOT_LOADED)?;
    let req = LinkRequest {
        prog_fd,
        target_fd: 0,
        attach_type: attach::NETFILTER,
        flags: 0,
        target: Target::Netfilter {
            pf: opts.pf,
            hooknum: opts.hooknum,
            priority: opts.priority,
            flags: opts.flags,
        },
    };
    let fd = create_link(&req).inspect_err(|e| {
        crate::pr_warn!("prog '{}': failed to attach to netfilter: {e}", prog.name)
    })?;
    Ok(Link::from_fd(fd))
}
