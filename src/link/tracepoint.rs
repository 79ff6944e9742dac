//! Tracepoints (`bpf_program__attach_tracepoint_opts()`): a perf event on
//! the tracepoint's id (read from tracefs), then a perf-event link.

use std::os::fd::OwnedFd;

use crate::error::Result;
use crate::sys::{perf, tracefs};

use super::perf_event::{self, PerfEventOptions};
use super::probe_event::tracepoint_attr;
use super::{Link, Prog};

/// Opens the perf event of tracepoint `category/name` (all processes,
/// through CPU 0's event, as libbpf does).
pub fn open(category: &str, name: &str) -> Result<OwnedFd> {
    let id = tracefs::event_id(category, name).inspect_err(|e| {
        crate::pr_warn!("failed to determine tracepoint '{category}/{name}' perf event ID: {e}")
    })?;
    perf::open(perf::AttrRef::new(&tracepoint_attr(id)), -1, 0, -1, 0).inspect_err(|e| {
        crate::pr_warn!("tracepoint '{category}/{name}' perf_event_open() failed: {e}")
    })
}

/// Attaches `prog` to tracepoint `category/name`, with `cookie` for
/// `bpf_get_attach_cookie()`. Errors: the tracepoint's id file's (`ENOENT`
/// for an unknown tracepoint), `perf_event_open`'s, or the attachment's.
pub fn attach(prog: &Prog, category: &str, name: &str, cookie: u64) -> Result<Link> {
    let pname = &prog.name;
    let pfd = open(category, name).inspect_err(|e| {
        crate::pr_warn!(
            "prog '{pname}': failed to create tracepoint '{category}/{name}' perf event: {e}"
        )
    })?;
    let opts = PerfEventOptions {
        bpf_cookie: cookie,
        ..Default::default()
    };
    perf_event::attach_owned(prog, pfd, &opts).inspect_err(|e| {
        crate::pr_warn!("prog '{pname}': failed to attach to tracepoint '{category}/{name}': {e}")
    })
}
