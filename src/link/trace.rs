//! BTF-targeted tracing programs: fentry/fexit/fmod_ret/fsession, tp_btf,
//! LSM (and freplace onto the target chosen at load):
//! `bpf_program__attach_trace_opts()` and `bpf_program__attach_lsm()`.
//! A `BPF_LINK_CREATE` with the program's expected attach type; kernels
//! without it for these programs get `BPF_RAW_TRACEPOINT_OPEN`.

use crate::bpf_api::link::{create_link, LinkRequest, Target};
use crate::error::Result;

use super::{Link, Prog};

/// Attaches `prog` to the target it was loaded for, with `cookie` for
/// `bpf_get_attach_cookie()`. `EINVAL` for a program without fd, else the
/// kernel's answer (`EPERM` under lockdown).
pub fn attach(prog: &Prog, cookie: u64) -> Result<Link> {
    let prog_fd = prog.fd_or(super::NOT_LOADED)?;
    let req = LinkRequest {
        prog_fd,
        target_fd: 0,
        attach_type: prog.expected_attach_type,
        flags: 0,
        target: Target::Tracing { cookie },
    };
    let fd = create_link(&req).inspect_err(|e| crate::pr_warn!("prog '{}': failed to attach: {e}", prog.name))?;
    Ok(Link::from_fd(fd))
}
