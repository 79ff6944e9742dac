//! Programs on perf events (`bpf_program__attach_perf_event_opts()`): a
//! BPF link over the event when the kernel has them, else the
//! `PERF_EVENT_IOC_SET_BPF` ioctl; then the event is enabled. The link owns
//! the perf event fd from then on (destroying the link closes it).

use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use crate::bpf_api::link::{create_link, LinkRequest, Target};
use crate::error::{Error, Result};
use crate::uapi::bpf_enums::attach;

use super::{Link, Prog};

/// `struct bpf_perf_event_opts`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PerfEventOptions {
    /// What `bpf_get_attach_cookie()` returns (BPF links only).
    pub bpf_cookie: u64,
    /// Use the ioctl even where BPF links over perf events exist.
    pub force_ioctl_attach: bool,
    /// Leave the event as it is (disabled events stay disabled).
    pub dont_enable: bool,
}

/// Attaches `prog` to the application's perf event `pfd`. On success the
/// link owns `pfd`; on failure the caller still does. `EINVAL` for a
/// negative fd or a program without fd; `EOPNOTSUPP` for a cookie without
/// BPF link support; else the kernel's answer (with libbpf's hint for
/// `EPROTO`).
pub fn attach(prog: &Prog, pfd: RawFd, opts: &PerfEventOptions) -> Result<Link> {
    if pfd < 0 {
        crate::pr_warn!("prog '{}': invalid perf event FD {pfd}", prog.name);
        return Err(Error::INVAL);
    }
    let bpf_link = attach_to(prog, pfd, opts)?;
    Ok(Link::perf(crate::sys::fd::own(pfd)?, bpf_link))
}

/// [`attach`] for a perf event of ours: closed when attaching fails.
pub fn attach_owned(prog: &Prog, pfd: OwnedFd, opts: &PerfEventOptions) -> Result<Link> {
    let bpf_link = attach_to(prog, pfd.as_raw_fd(), opts)?;
    Ok(Link::perf(pfd, bpf_link))
}

/// The attachment itself; returns the BPF link made, if any.
fn attach_to(prog: &Prog, pfd: RawFd, opts: &PerfEventOptions) -> Result<Option<OwnedFd>> {
    let prog_fd = prog.fd_or(super::NO_FD)?;
    let name = &prog.name;
    let bpf_link = if super::features::perf_link() && !opts.force_ioctl_attach {
        let req = LinkRequest {
            prog_fd,
            target_fd: pfd,
            attach_type: attach::PERF_EVENT,
            flags: 0,
            target: Target::PerfEvent {
                cookie: opts.bpf_cookie,
            },
        };
        let fd = create_link(&req).inspect_err(|e| {
            crate::pr_warn!("prog '{name}': failed to create BPF link for perf_event FD {pfd}: {e}")
        })?;
        Some(fd)
    } else {
        if opts.bpf_cookie != 0 {
            crate::pr_warn!("prog '{name}': user context value is not supported");
            return Err(Error::NOT_SUPPORTED);
        }
        crate::sys::perf::set_bpf(pfd, prog_fd).inspect_err(|e| {
            crate::pr_warn!("prog '{name}': failed to attach to perf_event FD {pfd}: {e}");
            if e.errno() == libc::EPROTO {
                crate::pr_warn!(
                    "prog '{name}': try add PERF_SAMPLE_CALLCHAIN to or remove exclude_callchain_[kernel|user] from pfd {pfd}"
                );
            }
        })?;
        None
    };
    if !opts.dont_enable {
        crate::sys::perf::enable(pfd).inspect_err(|e| {
            crate::pr_warn!("prog '{name}': failed to enable perf_event FD {pfd}: {e}")
        })?;
    }
    Ok(bpf_link)
}
