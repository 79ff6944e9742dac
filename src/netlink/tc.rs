//! TC through rtnetlink: hooks (the clsact qdisc, or any qdisc for
//! `BPF_TC_QDISC`) and cls_bpf filters in direct-action mode, with
//! `bpf_tc_*()`'s argument rules.

use crate::error::{Error, Result};
use crate::netlink::message::{attrs_after, parse_attrs, Message, Request, TcMsg};
use crate::netlink::{converse, Step, Transport};
use crate::uapi::netlink::*;

/// `enum bpf_tc_attach_point`.
pub const BPF_TC_INGRESS: u32 = 1 << 0;
pub const BPF_TC_EGRESS: u32 = 1 << 1;
pub const BPF_TC_CUSTOM: u32 = 1 << 2;
pub const BPF_TC_QDISC: u32 = 1 << 3;
/// Both sides of clsact: the qdisc itself.
const BOTH: u32 = BPF_TC_INGRESS | BPF_TC_EGRESS;
/// `BPF_TC_F_REPLACE`.
pub const BPF_TC_F_REPLACE: u32 = 1 << 0;

/// A `struct bpf_tc_hook` as read from the caller.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hook {
    pub ifindex: i32,
    pub attach_point: u32,
    pub parent: u32,
    /// Qdisc handle (`BPF_TC_QDISC`).
    pub handle: u32,
    /// Qdisc kind without its NUL (`BPF_TC_QDISC`); `None` when NULL.
    pub qdisc: Option<Vec<u8>>,
}

/// A `struct bpf_tc_opts` as read from the caller.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub prog_fd: i32,
    pub flags: u32,
    pub prog_id: u32,
    pub handle: u32,
    pub priority: u32,
}

/// What the kernel says about an attached filter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FilterInfo {
    pub prog_id: u32,
    pub handle: u32,
    pub priority: u32,
}

fn check_ifindex(hook: &Hook) -> Result<()> {
    if hook.ifindex <= 0 {
        return Err(Error::INVAL);
    }
    Ok(())
}

/// The qdisc request for `hook`: clsact for ingress and/or egress (a
/// parent there is `EINVAL`), the named qdisc under `parent` with `handle`
/// for `BPF_TC_QDISC` (a NULL name is `EINVAL`); custom parents have no
/// qdisc to manage (`EOPNOTSUPP`); other attach points are `EINVAL`.
pub fn qdisc_request(hook: &Hook, cmd: u16, flags: u16) -> Result<Request> {
    let mut tc = TcMsg { family: AF_UNSPEC, ifindex: hook.ifindex, ..Default::default() };
    let kind: &[u8] = match hook.attach_point {
        BPF_TC_INGRESS | BPF_TC_EGRESS | BOTH => {
            if hook.parent != 0 {
                return Err(Error::INVAL);
            }
            tc.parent = TC_H_CLSACT;
            tc.handle = tc_h_make(TC_H_CLSACT, 0);
            b"clsact"
        }
        BPF_TC_QDISC => {
            tc.parent = hook.parent;
            tc.handle = hook.handle;
            hook.qdisc.as_deref().ok_or(Error::INVAL)?
        }
        BPF_TC_CUSTOM => return Err(Error::NOT_SUPPORTED),
        _ => return Err(Error::INVAL),
    };
    let mut req = Request::new(cmd, NLM_F_REQUEST | NLM_F_ACK | flags, &tc.to_bytes());
    req.add_str(TCA_KIND, kind)?;
    Ok(req)
}

/// Creates the hook's qdisc; `EEXIST` when it is there already (callers
/// may ignore that), `EINVAL` for a bad ifindex.
pub fn hook_create_with<T: Transport>(t: &mut T, hook: &Hook) -> Result<()> {
    check_ifindex(hook)?;
    let mut req = qdisc_request(hook, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL)?;
    converse(t, &mut req, |_| Ok(Step::Continue))
}

/// Destroys a hook: for ingress or egress alone, removes every filter of
/// that side (the clsact qdisc stays); for both sides and for
/// `BPF_TC_QDISC`, deletes the qdisc itself. Custom parents are
/// `EOPNOTSUPP`, other attach points `EINVAL`.
pub fn hook_destroy_with<T: Transport>(t: &mut T, hook: &Hook) -> Result<()> {
    check_ifindex(hook)?;
    match hook.attach_point {
        BPF_TC_INGRESS | BPF_TC_EGRESS => detach_with(t, hook, &Filter::default(), true),
        BOTH | BPF_TC_QDISC => {
            let mut req = qdisc_request(hook, RTM_DELQDISC, 0)?;
            converse(t, &mut req, |_| Ok(Step::Continue))
        }
        BPF_TC_CUSTOM => Err(Error::NOT_SUPPORTED),
        _ => Err(Error::INVAL),
    }
}

/// The filter parent of a hook: the clsact ingress/egress class (no parent
/// given), or the caller's parent for `BPF_TC_CUSTOM` (which needs one).
pub fn filter_parent(hook: &Hook) -> Result<u32> {
    match hook.attach_point {
        BPF_TC_INGRESS | BPF_TC_EGRESS => {
            if hook.parent != 0 {
                return Err(Error::INVAL);
            }
            let min = if hook.attach_point == BPF_TC_INGRESS { TC_H_MIN_INGRESS } else { TC_H_MIN_EGRESS };
            Ok(tc_h_make(TC_H_CLSACT, min))
        }
        BPF_TC_CUSTOM if hook.parent != 0 => Ok(hook.parent),
        _ => Err(Error::INVAL),
    }
}

/// `tcm_info` of a filter: priority in the high half, `ETH_P_ALL` in
/// network order in the low half.
fn filter_info(priority: u32) -> u32 {
    tc_h_make(priority << 16, ETH_P_ALL.to_be() as u32)
}

/// The name cls_bpf shows for a program: `"<name>:[<id>]"`.
pub fn filter_name(prog_name: &[u8], prog_id: u32) -> Vec<u8> {
    let end = prog_name.iter().position(|&b| b == 0).unwrap_or(prog_name.len());
    let mut v = prog_name[..end].to_vec();
    v.extend_from_slice(format!(":[{prog_id}]").as_bytes());
    v
}

/// Reads one reply of a filter request: the program id from `TCA_OPTIONS`,
/// the handle and the priority. A reply echoing our request
/// (`NLM_F_ECHO`) is followed by the acknowledgement in the next datagram;
/// a second echoed filter is `EINVAL`, and so is cls_bpf options without a
/// program id.
fn read_filter(msg: &Message<'_>, found: &mut Option<FilterInfo>) -> Result<Step> {
    let tc = TcMsg::parse(msg.payload)?;
    let attrs = attrs_after(msg.payload, TCMSG_LEN, TCA_OPTIONS)?;
    if attrs.get(TCA_KIND).is_none() {
        return Ok(Step::Continue);
    }
    let unicast = msg.flags & NLM_F_ECHO != 0;
    if unicast && found.is_some() {
        return Err(Error::INVAL);
    }
    let Some(opts) = attrs.get(TCA_OPTIONS) else { return Ok(Step::Continue) };
    let Some(prog_id) = parse_attrs(opts, TCA_BPF_ID).u32(TCA_BPF_ID)? else { return Err(Error::INVAL) };
    *found = Some(FilterInfo { prog_id, handle: tc.handle, priority: (tc.info & 0xFFFF_0000) >> 16 });
    Ok(if unicast { Step::NextDatagram } else { Step::Done })
}

/// The name and id of a program, for the filter's `TCA_BPF_NAME`.
pub type ProgNameId = (Vec<u8>, u32);

/// Attaches a cls_bpf filter (direct action) running `f.prog_fd` at the
/// hook: `f.handle`/`f.priority` 0 let the kernel choose;
/// `BPF_TC_F_REPLACE` replaces the filter with that handle and priority
/// instead of failing with `EEXIST`. `prog` is the program's name and id.
/// Returns what the kernel reports about the new filter (`ENOENT` if it
/// reports nothing). A zero fd, a set `prog_id`, a priority above 0xFFFF,
/// unknown flags or a bad ifindex are `EINVAL`.
pub fn attach_with<T: Transport>(t: &mut T, hook: &Hook, f: &Filter, prog: impl FnOnce(i32) -> Result<ProgNameId>) -> Result<FilterInfo> {
    check_ifindex(hook)?;
    if f.prog_fd == 0 || f.prog_id != 0 || f.priority > u16::MAX as u32 || f.flags & !BPF_TC_F_REPLACE != 0 {
        return Err(Error::INVAL);
    }
    let exclusive = if f.flags & BPF_TC_F_REPLACE != 0 { NLM_F_REPLACE } else { NLM_F_EXCL };
    let parent = filter_parent(hook)?;
    let tc = TcMsg { family: AF_UNSPEC, ifindex: hook.ifindex, handle: f.handle, parent, info: filter_info(f.priority) };
    let flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_ECHO | exclusive;
    let mut req = Request::new(RTM_NEWTFILTER, flags, &tc.to_bytes());
    req.add_str(TCA_KIND, b"bpf")?;
    let nest = req.begin_nested(TCA_OPTIONS)?;
    let (name, id) = prog(f.prog_fd)?;
    req.add(TCA_BPF_FD, &f.prog_fd.to_ne_bytes())?;
    let name = filter_name(&name, id);
    if name.len() >= 256 {
        return Err(Error::new(libc::ENAMETOOLONG));
    }
    req.add_str(TCA_BPF_NAME, &name)?;
    req.add_u32(TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT)?;
    req.end_nested(nest);
    let mut found = None;
    converse(t, &mut req, |m| read_filter(m, &mut found))?;
    found.ok_or(Error::NOENT)
}

/// Removes filters (`RTM_DELTFILTER`): one filter identified by handle and
/// priority (both required), or with `flush` every filter of the hook
/// (handle and priority must then be 0). A program fd or id, flags, a
/// priority above 0xFFFF or a bad ifindex are `EINVAL`.
pub fn detach_with<T: Transport>(t: &mut T, hook: &Hook, f: &Filter, flush: bool) -> Result<()> {
    check_ifindex(hook)?;
    if f.flags != 0 || f.prog_fd != 0 || f.prog_id != 0 || f.priority > u16::MAX as u32 {
        return Err(Error::INVAL);
    }
    let identified = f.handle != 0 && f.priority != 0;
    let unidentified = f.handle == 0 && f.priority == 0;
    if (flush && !unidentified) || (!flush && !identified) {
        return Err(Error::INVAL);
    }
    let mut tc = TcMsg { family: AF_UNSPEC, ifindex: hook.ifindex, ..Default::default() };
    if !flush {
        tc.handle = f.handle;
        tc.info = filter_info(f.priority);
    }
    tc.parent = filter_parent(hook)?;
    let mut req = Request::new(RTM_DELTFILTER, NLM_F_REQUEST | NLM_F_ACK, &tc.to_bytes());
    if !flush {
        req.add_str(TCA_KIND, b"bpf")?;
    }
    converse(t, &mut req, |_| Ok(Step::Continue))
}

/// Looks up the filter with `f.handle` and `f.priority` (both required;
/// fd, id and flags must be 0) and returns its program id; `ENOENT` when
/// the kernel has no such filter.
pub fn query_with<T: Transport>(t: &mut T, hook: &Hook, f: &Filter) -> Result<FilterInfo> {
    check_ifindex(hook)?;
    if f.flags != 0 || f.prog_fd != 0 || f.prog_id != 0 || f.handle == 0 || f.priority == 0 {
        return Err(Error::INVAL);
    }
    if f.priority > u16::MAX as u32 {
        return Err(Error::INVAL);
    }
    let parent = filter_parent(hook)?;
    let tc = TcMsg { family: AF_UNSPEC, ifindex: hook.ifindex, handle: f.handle, parent, info: filter_info(f.priority) };
    let mut req = Request::new(RTM_GETTFILTER, NLM_F_REQUEST, &tc.to_bytes());
    req.add_str(TCA_KIND, b"bpf")?;
    let mut found = None;
    converse(t, &mut req, |m| read_filter(m, &mut found))?;
    found.ok_or(Error::NOENT)
}

fn open() -> Result<crate::sys::netlink::Socket> {
    crate::netlink::open(NETLINK_ROUTE)
}

/// The name and id of the program behind `fd` (`BPF_OBJ_GET_INFO_BY_FD`).
fn prog_name_id(fd: i32) -> Result<ProgNameId> {
    let mut info = crate::uapi::bpf_prog_info::default();
    // SAFETY: a zeroed info struct requests no arrays.
    unsafe { crate::sys::info::get_info(fd, &mut info) }?;
    Ok((info.name.to_vec(), info.id))
}

/// [`hook_create_with`] over a new socket.
pub fn hook_create(hook: &Hook) -> Result<()> {
    check_ifindex(hook)?;
    hook_create_with(&mut open()?, hook)
}

/// [`hook_destroy_with`] over a new socket.
pub fn hook_destroy(hook: &Hook) -> Result<()> {
    check_ifindex(hook)?;
    hook_destroy_with(&mut open()?, hook)
}

/// [`attach_with`] over a new socket.
pub fn attach(hook: &Hook, f: &Filter) -> Result<FilterInfo> {
    attach_with(&mut open()?, hook, f, prog_name_id)
}

/// [`detach_with`] (one filter) over a new socket.
pub fn detach(hook: &Hook, f: &Filter) -> Result<()> {
    detach_with(&mut open()?, hook, f, false)
}

/// [`query_with`] over a new socket.
pub fn query(hook: &Hook, f: &Filter) -> Result<FilterInfo> {
    query_with(&mut open()?, hook, f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::fake::*;
    use crate::netlink::message::{messages, test_msg as msg};

    fn attr(ty: u16, data: &[u8]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&((NLA_HDRLEN + data.len()) as u16).to_ne_bytes());
        b.extend_from_slice(&ty.to_ne_bytes());
        b.extend_from_slice(data);
        b.resize(align4(b.len()), 0);
        b
    }

    fn ack(seq: u32, pid: u32, err: i32) -> Vec<u8> {
        let mut p = err.to_ne_bytes().to_vec();
        p.extend_from_slice(&[0u8; 16]);
        msg(NLMSG_ERROR, 0, seq, pid, &p)
    }

    fn hook(ap: u32) -> Hook {
        Hook { ifindex: 3, attach_point: ap, ..Default::default() }
    }

    fn filter_reply(seq: u32, flags: u16, handle: u32, prio: u32, id: Option<u32>) -> Vec<u8> {
        let tc = TcMsg { ifindex: 3, handle, parent: 0xFFFF_FFF2, info: filter_info(prio), ..Default::default() };
        let mut p = tc.to_bytes().to_vec();
        p.extend(attr(TCA_KIND, b"bpf\0"));
        let mut o = attr(TCA_BPF_NAME, b"x:[1]\0");
        if let Some(id) = id {
            o.extend(attr(TCA_BPF_ID, &id.to_ne_bytes()));
        }
        p.extend(attr(TCA_OPTIONS | NLA_F_NESTED, &o));
        msg(RTM_NEWTFILTER, flags, seq, 9, &p)
    }

    fn sent_tc(t: &Fake, i: usize) -> (u16, u16, TcMsg, Vec<u8>) {
        let m = messages(&t.sent[i]).next().unwrap();
        (m.msg_type, m.flags, TcMsg::parse(m.payload).unwrap(), m.payload[20..].to_vec())
    }

    #[test]
    fn qdisc_requests() {
        let r = qdisc_request(&hook(BPF_TC_INGRESS | BPF_TC_EGRESS), RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL).unwrap();
        let m = messages(r.bytes()).next().unwrap();
        let tc = TcMsg::parse(m.payload).unwrap();
        assert_eq!((tc.parent, tc.handle, tc.ifindex), (TC_H_CLSACT, 0xFFFF_0000, 3));
        assert_eq!(m.flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
        assert_eq!(attrs_after(m.payload, TCMSG_LEN, TCA_KIND).unwrap().get(TCA_KIND), Some(&b"clsact\0"[..]));
        let q = Hook { qdisc: Some(b"fq".to_vec()), parent: TC_H_ROOT, handle: 0x10000, ..hook(BPF_TC_QDISC) };
        let r = qdisc_request(&q, RTM_DELQDISC, 0).unwrap();
        let m = messages(r.bytes()).next().unwrap();
        let tc = TcMsg::parse(m.payload).unwrap();
        assert_eq!((tc.parent, tc.handle), (TC_H_ROOT, 0x10000));
        assert_eq!(attrs_after(m.payload, TCMSG_LEN, TCA_KIND).unwrap().get(TCA_KIND), Some(&b"fq\0"[..]));
        assert_eq!(qdisc_request(&hook(BPF_TC_QDISC), RTM_NEWQDISC, 0).err(), Some(Error::INVAL));
        assert_eq!(qdisc_request(&Hook { parent: 1, ..hook(BPF_TC_INGRESS) }, RTM_NEWQDISC, 0).err(), Some(Error::INVAL));
        assert_eq!(qdisc_request(&hook(BPF_TC_CUSTOM), RTM_NEWQDISC, 0).err(), Some(Error::NOT_SUPPORTED));
        assert_eq!(qdisc_request(&hook(0), RTM_NEWQDISC, 0).err(), Some(Error::INVAL));
        assert_eq!(qdisc_request(&hook(16), RTM_NEWQDISC, 0).err(), Some(Error::INVAL));
        let long = Hook { qdisc: Some(vec![b'a'; 200]), ..hook(BPF_TC_QDISC) };
        assert_eq!(qdisc_request(&long, RTM_NEWQDISC, 0).err(), Some(Error::new(libc::EMSGSIZE)));
    }

    #[test]
    fn destroy_one_side_flushes_filters() {
        let mut t = Fake::new(9, |r| vec![ack(seq_of(r), 9, 0)]);
        hook_destroy_with(&mut t, &hook(BPF_TC_EGRESS)).unwrap();
        let (ty, _, tc, rest) = sent_tc(&t, 0);
        assert_eq!((ty, tc.parent, tc.handle, tc.info), (RTM_DELTFILTER, 0xFFFF_FFF3, 0, 0));
        assert!(rest.is_empty());
        hook_destroy_with(&mut t, &hook(3)).unwrap();
        assert_eq!(sent_tc(&t, 1).0, RTM_DELQDISC);
        assert_eq!(hook_destroy_with(&mut t, &hook(BPF_TC_CUSTOM)), Err(Error::NOT_SUPPORTED));
        assert_eq!(hook_destroy_with(&mut t, &hook(0)), Err(Error::INVAL));
        assert_eq!(hook_destroy_with(&mut t, &Hook { ifindex: 0, ..hook(3) }), Err(Error::INVAL));
        assert_eq!(t.sent.len(), 2);
    }

    #[test]
    fn attach_echo_then_ack() {
        let mut t = Fake::new(9, |r| {
            let s = seq_of(r);
            vec![filter_reply(s, NLM_F_ECHO | NLM_F_REQUEST, 1, 49152, Some(42)), ack(s, 9, 0)]
        });
        let f = Filter { prog_fd: 5, ..Default::default() };
        let got = attach_with(&mut t, &hook(BPF_TC_INGRESS), &f, |fd| Ok((b"myprog\0\0".to_vec(), fd as u32 + 100))).unwrap();
        assert_eq!(got, FilterInfo { prog_id: 42, handle: 1, priority: 49152 });
        let (ty, flags, tc, rest) = sent_tc(&t, 0);
        assert_eq!(ty, RTM_NEWTFILTER);
        assert_eq!(flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_ECHO | NLM_F_EXCL);
        assert_eq!((tc.parent, tc.handle, tc.info), (0xFFFF_FFF2, 0, 0x0000_0300));
        let attrs = parse_attrs(&rest, TCA_OPTIONS);
        assert_eq!(attrs.get(TCA_KIND), Some(&b"bpf\0"[..]));
        let o = attrs.nested(TCA_OPTIONS, TCA_BPF_ID).unwrap();
        assert_eq!(o.u32(TCA_BPF_FD), Ok(Some(5)));
        assert_eq!(o.get(TCA_BPF_NAME), Some(&b"myprog:[105]\0"[..]));
        assert_eq!(o.u32(TCA_BPF_FLAGS), Ok(Some(TCA_BPF_FLAG_ACT_DIRECT)));
        // Replace: NLM_F_REPLACE instead of NLM_F_EXCL; handle/prio passed.
        let f = Filter { prog_fd: 5, flags: BPF_TC_F_REPLACE, handle: 7, priority: 3, ..Default::default() };
        attach_with(&mut t, &Hook { parent: 0x10002, ..hook(BPF_TC_CUSTOM) }, &f, |_| Ok((vec![], 1))).unwrap();
        let (_, flags, tc, _) = sent_tc(&t, 1);
        assert_eq!(flags & (NLM_F_REPLACE | NLM_F_EXCL), NLM_F_REPLACE);
        assert_eq!((tc.parent, tc.handle, tc.info), (0x10002, 7, 0x0003_0300));
    }

    #[test]
    fn attach_argument_rules() {
        let mut t = Fake::new(9, |_| vec![]);
        let ok = Filter { prog_fd: 5, ..Default::default() };
        let name = |_| Ok((vec![], 1));
        for (h, f) in [
            (hook(BPF_TC_INGRESS), Filter { prog_fd: 0, ..ok }),
            (hook(BPF_TC_INGRESS), Filter { prog_id: 1, ..ok }),
            (hook(BPF_TC_INGRESS), Filter { priority: 0x10000, ..ok }),
            (hook(BPF_TC_INGRESS), Filter { flags: 2, ..ok }),
            (Hook { ifindex: -1, ..hook(BPF_TC_INGRESS) }, ok),
            (Hook { parent: 1, ..hook(BPF_TC_EGRESS) }, ok),
            (hook(BPF_TC_CUSTOM), ok),
            (hook(3), ok),
            (hook(BPF_TC_QDISC), ok),
        ] {
            assert_eq!(attach_with(&mut t, &h, &f, name), Err(Error::INVAL), "{h:?} {f:?}");
        }
        assert!(t.sent.is_empty());
        // The program lookup failing stops the request.
        assert_eq!(attach_with(&mut t, &hook(BPF_TC_INGRESS), &ok, |_| Err(Error::BAD_FD)), Err(Error::BAD_FD));
        // The kernel answering only with an ack: nothing found.
        let mut t = Fake::new(9, |r| vec![ack(seq_of(r), 9, 0)]);
        assert_eq!(attach_with(&mut t, &hook(BPF_TC_INGRESS), &ok, name), Err(Error::NOENT));
        // Options without a program id; two echoed filters.
        let mut t = Fake::new(9, |r| vec![filter_reply(seq_of(r), NLM_F_ECHO, 1, 1, None)]);
        assert_eq!(attach_with(&mut t, &hook(BPF_TC_INGRESS), &ok, name), Err(Error::INVAL));
        let mut t = Fake::new(9, |r| {
            let s = seq_of(r);
            vec![filter_reply(s, NLM_F_ECHO, 1, 1, Some(1)), filter_reply(s, NLM_F_ECHO, 2, 1, Some(2))]
        });
        assert_eq!(attach_with(&mut t, &hook(BPF_TC_INGRESS), &ok, name), Err(Error::INVAL));
    }

    #[test]
    fn detach_and_query_rules() {
        let mut t = Fake::new(9, |r| vec![ack(seq_of(r), 9, 0)]);
        let one = Filter { handle: 1, priority: 1, ..Default::default() };
        detach_with(&mut t, &hook(BPF_TC_INGRESS), &one, false).unwrap();
        let (ty, _, tc, rest) = sent_tc(&t, 0);
        assert_eq!((ty, tc.handle, tc.info), (RTM_DELTFILTER, 1, 0x0001_0300));
        assert_eq!(parse_attrs(&rest, TCA_KIND).get(TCA_KIND), Some(&b"bpf\0"[..]));
        for f in [
            Filter { handle: 0, ..one },
            Filter { priority: 0, ..one },
            Filter { prog_fd: 1, ..one },
            Filter { prog_id: 1, ..one },
            Filter { flags: 1, ..one },
            Filter { priority: 0x10000, ..one },
        ] {
            assert_eq!(detach_with(&mut t, &hook(BPF_TC_INGRESS), &f, false), Err(Error::INVAL), "{f:?}");
            assert_eq!(query_with(&mut t, &hook(BPF_TC_INGRESS), &f), Err(Error::INVAL), "{f:?}");
        }
        assert_eq!(detach_with(&mut t, &hook(BPF_TC_INGRESS), &one, true), Err(Error::INVAL));
        assert_eq!(detach_with(&mut t, &hook(BPF_TC_INGRESS), &Filter { handle: 1, ..Default::default() }, true), Err(Error::INVAL));
        assert_eq!(t.sent.len(), 1);

        let mut t = Fake::new(9, |r| vec![filter_reply(seq_of(r), NLM_F_REQUEST, 1, 1, Some(77))]);
        assert_eq!(query_with(&mut t, &hook(BPF_TC_EGRESS), &one), Ok(FilterInfo { prog_id: 77, handle: 1, priority: 1 }));
        let (ty, flags, tc, _) = sent_tc(&t, 0);
        assert_eq!((ty, flags, tc.parent), (RTM_GETTFILTER, NLM_F_REQUEST, 0xFFFF_FFF3));
        let mut t = Fake::new(9, |r| vec![ack(seq_of(r), 9, -libc::ENOENT)]);
        assert_eq!(query_with(&mut t, &hook(BPF_TC_EGRESS), &one), Err(Error::NOENT));
    }

    #[test]
    fn names() {
        assert_eq!(filter_name(b"abc\0\0\0", 12), b"abc:[12]".to_vec());
        assert_eq!(filter_name(b"", 0), b":[0]".to_vec());
        assert_eq!(filter_parent(&hook(BPF_TC_INGRESS)), Ok(0xFFFF_FFF2));
        assert_eq!(filter_parent(&Hook { parent: 5, ..hook(BPF_TC_CUSTOM) }), Ok(5));
    }
}
