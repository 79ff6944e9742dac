//! USDT attachments (`bpf_program__attach_usdt()`, `SEC("usdt/...")`):
//! the object-level work is [`crate::usdt::attach`]; this file gives it
//! this layer's uprobes (one perf-event uprobe per site, or one
//! multi-uprobe link) and wraps the result in a [`Link`].

use crate::bpf_api::object::Mem;
use crate::error::Result;
use crate::object::Object;
use crate::usdt::attach::{self as usdt, Request, Uprobes};

use super::uprobe::{self, UprobeOptions};
use super::uprobe_multi::{self, UprobeMultiOptions};
use super::{Link, Prog};

/// The uprobes of one program.
struct ProgUprobes<'a>(&'a Prog);

impl Uprobes for ProgUprobes<'_> {
    type Link = Link;

    fn uprobe(
        &self,
        pid: i32,
        path: &str,
        offset: u64,
        ref_ctr_offset: u64,
        cookie: u64,
    ) -> Result<Link> {
        let o = UprobeOptions {
            ref_ctr_offset,
            bpf_cookie: cookie,
            ..Default::default()
        };
        uprobe::attach(self.0, pid, path, offset, &o)
    }

    fn uprobe_multi(
        &self,
        pid: i32,
        path: &str,
        offsets: &[u64],
        ref_ctr_offsets: &[u64],
        cookies: &[u64],
    ) -> Result<Link> {
        let o = UprobeMultiOptions {
            offsets: Some(Mem::of(offsets)),
            ref_ctr_offsets: Some(Mem::of(ref_ctr_offsets)),
            cookies: Some(Mem::of(cookies)),
            cnt: offsets.len(),
            ..Default::default()
        };
        uprobe_multi::attach(self.0, pid, Some(path), None, &o)
    }
}

/// Attaches program `prog` of `o` to a USDT probe (see
/// [`crate::usdt::attach::attach`] for the rules and errors).
pub fn attach(o: &mut Object, prog: usize, req: &Request<'_>) -> Result<Link> {
    let p = Prog::of(o.programs.get(prog).ok_or(crate::error::Error::INVAL)?);
    let u = usdt::attach(o, prog, req, &ProgUprobes(&p))?;
    Ok(Link::usdt(u))
}
