//! `bpf_link_create()`'s rules: which member of the `link_create` union an
//! attach type fills from `struct bpf_link_create_opts`, which combinations
//! are refused, and the fallback to `BPF_RAW_TRACEPOINT_OPEN` for tracing
//! programs on kernels without `BPF_LINK_CREATE` support for them.
//!
//! The options arrive as the image of the C struct (80 bytes, zero past the
//! caller's `sz`, see `crate::ffi::opts`), so "all bytes after this member
//! are zero" checks see exactly what libbpf's `OPTS_ZEROED` sees.

use core::ffi::CStr;
use std::os::fd::OwnedFd;

use crate::bpf_api::object::Mem;
use crate::error::{Error, Result};
use crate::sys::link::{self, LinkCreateAttr, LinkTarget};
use crate::uapi::attach_type::*;
use crate::uapi::flags::BPF_F_ID;

/// Size of `struct bpf_link_create_opts` (libbpf 1.8, x86-64).
pub const OPTS_SIZE: usize = 80;
/// Offsets inside that struct.
const FLAGS: usize = 8;
const ITER_INFO: usize = 16;
const ITER_INFO_LEN: usize = 24;
const TARGET_BTF_ID: usize = 28;
const UNION: usize = 32;

fn u32_at(b: &[u8; OPTS_SIZE], off: usize) -> u32 {
    u32::from_ne_bytes(b[off..off + 4].try_into().unwrap_or_default())
}

fn u64_at(b: &[u8; OPTS_SIZE], off: usize) -> u64 {
    u64::from_ne_bytes(b[off..off + 8].try_into().unwrap_or_default())
}

/// libbpf's `OPTS_ZEROED`: every byte from `end` on is zero.
fn zeroed_from(b: &[u8; OPTS_SIZE], end: usize) -> bool {
    b[end.min(OPTS_SIZE)..].iter().all(|&x| x == 0)
}

/// The `tcx`/`netkit`/`cgroup` members: relative fd or id (which adds
/// `BPF_F_ID` to the link flags; both is `EINVAL`) and expected revision.
fn relative(b: &[u8; OPTS_SIZE], attr: &mut LinkCreateAttr) -> Result<()> {
    let (fd, id) = (u32_at(b, UNION), u32_at(b, UNION + 4));
    if fd != 0 && id != 0 {
        return Err(Error::INVAL);
    }
    let rel = if id != 0 {
        attr.flags |= BPF_F_ID;
        id
    } else {
        fd
    };
    attr.target = LinkTarget::relative(link::LinkRelative { relative_fd: rel, _pad: 0, expected_revision: u64_at(b, UNION + 8) });
    if !zeroed_from(b, UNION + 16) {
        return Err(Error::INVAL);
    }
    Ok(())
}

fn is_cgroup(t: u32) -> bool {
    matches!(
        t,
        BPF_CGROUP_INET_INGRESS
            | BPF_CGROUP_INET_EGRESS
            | BPF_CGROUP_INET_SOCK_CREATE
            | BPF_CGROUP_INET_SOCK_RELEASE
            | BPF_CGROUP_INET4_BIND
            | BPF_CGROUP_INET6_BIND
            | BPF_CGROUP_INET4_POST_BIND
            | BPF_CGROUP_INET6_POST_BIND
            | BPF_CGROUP_INET4_CONNECT
            | BPF_CGROUP_INET6_CONNECT
            | BPF_CGROUP_UNIX_CONNECT
            | BPF_CGROUP_INET4_GETPEERNAME
            | BPF_CGROUP_INET6_GETPEERNAME
            | BPF_CGROUP_UNIX_GETPEERNAME
            | BPF_CGROUP_INET4_GETSOCKNAME
            | BPF_CGROUP_INET6_GETSOCKNAME
            | BPF_CGROUP_UNIX_GETSOCKNAME
            | BPF_CGROUP_UDP4_SENDMSG
            | BPF_CGROUP_UDP6_SENDMSG
            | BPF_CGROUP_UNIX_SENDMSG
            | BPF_CGROUP_UDP4_RECVMSG
            | BPF_CGROUP_UDP6_RECVMSG
            | BPF_CGROUP_UNIX_RECVMSG
            | BPF_CGROUP_SOCK_OPS
            | BPF_CGROUP_DEVICE
            | BPF_CGROUP_SYSCTL
            | BPF_CGROUP_GETSOCKOPT
            | BPF_CGROUP_SETSOCKOPT
            | BPF_LSM_CGROUP
    )
}

/// Builds the `BPF_LINK_CREATE` attr from the options image (`None`: NULL
/// opts), refusing what libbpf refuses with `EINVAL`: an iterator info and a
/// target BTF id together, or bytes set past the member the attach type uses.
pub fn build_attr(prog_fd: i32, target_fd: i32, attach_type: u32, opts: Option<&[u8; OPTS_SIZE]>) -> Result<LinkCreateAttr> {
    let zero = [0u8; OPTS_SIZE];
    let b = opts.unwrap_or(&zero);
    let iter_info_len = u32_at(b, ITER_INFO_LEN);
    let target_btf_id = u32_at(b, TARGET_BTF_ID);
    if (iter_info_len != 0 || target_btf_id != 0)
        && ((iter_info_len != 0 && target_btf_id != 0) || !zeroed_from(b, TARGET_BTF_ID + 4))
    {
        return Err(Error::INVAL);
    }
    let mut attr = LinkCreateAttr {
        prog_fd: prog_fd as u32,
        target_fd: target_fd as u32,
        attach_type,
        flags: u32_at(b, FLAGS),
        ..Default::default()
    };
    if target_btf_id != 0 {
        attr.target = LinkTarget::btf_id(target_btf_id);
        return Ok(attr);
    }
    let check = |end: usize| if zeroed_from(b, end) { Ok(()) } else { Err(Error::INVAL) };
    match attach_type {
        BPF_TRACE_ITER => {
            attr.target = LinkTarget::iter(link::LinkIter { iter_info: u64_at(b, ITER_INFO), iter_info_len, _pad: 0 });
        }
        BPF_PERF_EVENT => {
            attr.target = LinkTarget::perf_event(link::LinkPerfEvent { bpf_cookie: u64_at(b, UNION) });
            check(UNION + 8)?;
        }
        BPF_TRACE_KPROBE_MULTI | BPF_TRACE_KPROBE_SESSION => {
            attr.target = LinkTarget::kprobe_multi(link::LinkKprobeMulti {
                flags: u32_at(b, UNION),
                cnt: u32_at(b, UNION + 4),
                syms: u64_at(b, UNION + 8),
                addrs: u64_at(b, UNION + 16),
                cookies: u64_at(b, UNION + 24),
            });
            check(UNION + 32)?;
        }
        BPF_TRACE_UPROBE_MULTI | BPF_TRACE_UPROBE_SESSION => {
            attr.target = LinkTarget::uprobe_multi(link::LinkUprobeMulti {
                flags: u32_at(b, UNION),
                cnt: u32_at(b, UNION + 4),
                path: u64_at(b, UNION + 8),
                offsets: u64_at(b, UNION + 16),
                ref_ctr_offsets: u64_at(b, UNION + 24),
                cookies: u64_at(b, UNION + 32),
                pid: u32_at(b, UNION + 40),
                path_fd: u32_at(b, UNION + 44),
            });
            check(UNION + 48)?;
        }
        BPF_TRACE_FENTRY_MULTI | BPF_TRACE_FEXIT_MULTI | BPF_TRACE_FSESSION_MULTI => {
            attr.target = LinkTarget::tracing_multi(link::LinkTracingMulti {
                ids: u64_at(b, UNION),
                cookies: u64_at(b, UNION + 8),
                cnt: u32_at(b, UNION + 16),
                _pad: 0,
            });
            check(UNION + 24)?;
        }
        BPF_TRACE_RAW_TP | BPF_TRACE_FENTRY | BPF_TRACE_FEXIT | BPF_MODIFY_RETURN | BPF_TRACE_FSESSION | BPF_LSM_MAC => {
            attr.target = LinkTarget::tracing(link::LinkTracing { target_btf_id: 0, _pad: 0, cookie: u64_at(b, UNION) });
            check(UNION + 8)?;
        }
        BPF_NETFILTER => {
            attr.target = LinkTarget::netfilter(link::LinkNetfilter {
                pf: u32_at(b, UNION),
                hooknum: u32_at(b, UNION + 4),
                priority: u32_at(b, UNION + 8) as i32,
                flags: u32_at(b, UNION + 12),
            });
            check(UNION + 16)?;
        }
        BPF_TCX_INGRESS | BPF_TCX_EGRESS | BPF_NETKIT_PRIMARY | BPF_NETKIT_PEER => relative(b, &mut attr)?,
        t if is_cgroup(t) => relative(b, &mut attr)?,
        _ => check(FLAGS + 4)?,
    }
    Ok(attr)
}

/// Creates a link with libbpf's rules (see [`build_attr`]). When the kernel
/// answers `EINVAL` for a tracing attach type (raw tp, fentry/fexit,
/// fmod_ret, LSM) and the call used nothing beyond the program, the
/// program is attached through `BPF_RAW_TRACEPOINT_OPEN` instead, as older
/// kernels require.
///
/// # Safety
/// Addresses inside the options are valid for the counts they announce.
pub unsafe fn create(prog_fd: i32, target_fd: i32, attach_type: u32, opts: Option<&[u8; OPTS_SIZE]>) -> Result<OwnedFd> {
    let attr = build_attr(prog_fd, target_fd, attach_type, opts)?;
    // SAFETY: forwarded contract.
    let err = match unsafe { link::create(&attr) } {
        Ok(fd) => return Ok(fd),
        Err(e) => e,
    };
    let bare = opts.is_none_or(|b| zeroed_from(b, FLAGS));
    raw_tp_fallback(err, &attr, bare)
}

/// The `BPF_RAW_TRACEPOINT_OPEN` fallback of [`create`] after `err`.
fn raw_tp_fallback(err: Error, attr: &LinkCreateAttr, bare: bool) -> Result<OwnedFd> {
    if err != Error::INVAL || attr.target_fd != 0 || !bare {
        return Err(err);
    }
    match attr.attach_type {
        BPF_TRACE_RAW_TP | BPF_LSM_MAC | BPF_TRACE_FENTRY | BPF_TRACE_FEXIT | BPF_MODIFY_RETURN => {
            // SAFETY: no name; the program fd is the caller's.
            unsafe { link::raw_tracepoint_open(core::ptr::null(), attr.prog_fd as i32, 0) }
        }
        _ => Err(err),
    }
}

/// What a link attaches to, beyond the program, target and attach type:
/// the `link_create` union member, with the memory the kernel reads as
/// [`Mem`] (borrowed Rust data or application memory the C boundary
/// vouched for).
#[derive(Clone, Copy, Debug, Default)]
pub enum Target<'a> {
    #[default]
    None,
    /// `target_btf_id` (freplace onto a given program).
    BtfId(u32),
    /// An iterator's `union bpf_iter_link_info`.
    Iter { info: Mem<'a>, len: u32 },
    PerfEvent { cookie: u64 },
    KprobeMulti { flags: u32, cnt: u32, syms: Mem<'a>, addrs: Mem<'a>, cookies: Mem<'a> },
    UprobeMulti { path: &'a CStr, offsets: Mem<'a>, ref_ctr_offsets: Mem<'a>, cookies: Mem<'a>, cnt: u32, flags: u32, pid: u32 },
    /// fentry/fexit/fmod_ret/tp_btf/LSM cookie.
    Tracing { cookie: u64 },
    Netfilter { pf: u32, hooknum: u32, priority: i32, flags: u32 },
    /// tcx, netkit and cgroup position: a relative fd, or an id (with
    /// `BPF_F_ID` in the request's flags).
    Relative { fd_or_id: u32, expected_revision: u64 },
    TracingMulti { ids: Mem<'a>, cookies: Mem<'a>, cnt: u32 },
}

/// One `BPF_LINK_CREATE`, described with safe values.
#[derive(Clone, Copy, Debug, Default)]
pub struct LinkRequest<'a> {
    pub prog_fd: i32,
    /// Target fd or ifindex.
    pub target_fd: i32,
    pub attach_type: u32,
    pub flags: u32,
    pub target: Target<'a>,
}

impl LinkRequest<'_> {
    /// The kernel attr of this request.
    pub fn attr(&self) -> LinkCreateAttr {
        let target = match self.target {
            Target::None => LinkTarget::default(),
            Target::BtfId(id) => LinkTarget::btf_id(id),
            Target::Iter { info, len } => {
                LinkTarget::iter(link::LinkIter { iter_info: info.addr(), iter_info_len: len, _pad: 0 })
            }
            Target::PerfEvent { cookie } => LinkTarget::perf_event(link::LinkPerfEvent { bpf_cookie: cookie }),
            Target::KprobeMulti { flags, cnt, syms, addrs, cookies } => LinkTarget::kprobe_multi(link::LinkKprobeMulti {
                flags,
                cnt,
                syms: syms.addr(),
                addrs: addrs.addr(),
                cookies: cookies.addr(),
            }),
            Target::UprobeMulti { path, offsets, ref_ctr_offsets, cookies, cnt, flags, pid } => {
                LinkTarget::uprobe_multi(link::LinkUprobeMulti {
                    path: crate::sys::bpf::ptr_to_u64(path.as_ptr()),
                    offsets: offsets.addr(),
                    ref_ctr_offsets: ref_ctr_offsets.addr(),
                    cookies: cookies.addr(),
                    cnt,
                    flags,
                    pid,
                    path_fd: 0,
                })
            }
            Target::Tracing { cookie } => LinkTarget::tracing(link::LinkTracing { target_btf_id: 0, _pad: 0, cookie }),
            Target::Netfilter { pf, hooknum, priority, flags } => {
                LinkTarget::netfilter(link::LinkNetfilter { pf, hooknum, priority, flags })
            }
            Target::Relative { fd_or_id, expected_revision } => {
                LinkTarget::relative(link::LinkRelative { relative_fd: fd_or_id, _pad: 0, expected_revision })
            }
            Target::TracingMulti { ids, cookies, cnt } => {
                LinkTarget::tracing_multi(link::LinkTracingMulti { ids: ids.addr(), cookies: cookies.addr(), cnt, _pad: 0 })
            }
        };
        LinkCreateAttr {
            prog_fd: self.prog_fd as u32,
            target_fd: self.target_fd as u32,
            attach_type: self.attach_type,
            flags: self.flags,
            target,
        }
    }

    /// Whether nothing but the program, target and attach type is set
    /// (what the raw tracepoint fallback can express).
    fn is_bare(&self) -> bool {
        self.flags == 0
            && match self.target {
                Target::None => true,
                Target::Tracing { cookie } => cookie == 0,
                Target::Relative { fd_or_id, expected_revision } => fd_or_id == 0 && expected_revision == 0,
                _ => false,
            }
    }
}

/// Creates a link (`bpf_link_create()` with the options the request
/// stands for), with the raw tracepoint fallback of [`create`].
pub fn create_link(req: &LinkRequest<'_>) -> Result<OwnedFd> {
    let attr = req.attr();
    // SAFETY: every address in the attr comes from a `Mem` (borrowed for
    // the request's lifetime, or application memory vouched for) or a
    // `&CStr` borrowed as long.
    let err = match unsafe { link::create(&attr) } {
        Ok(fd) => return Ok(fd),
        Err(e) => e,
    };
    raw_tp_fallback(err, &attr, req.is_bare())
}

/// `BPF_RAW_TRACEPOINT_OPEN` (`bpf_raw_tracepoint_open_opts()`): the
/// tracepoint `name` (None for BTF-typed programs) and a cookie.
pub fn raw_tracepoint_open(name: Option<&CStr>, prog_fd: i32, cookie: u64) -> Result<OwnedFd> {
    // SAFETY: the name is NULL or a C string borrowed for the call.
    unsafe { link::raw_tracepoint_open(name.map_or(core::ptr::null(), CStr::as_ptr), prog_fd, cookie) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> [u8; OPTS_SIZE] {
        let mut b = [0u8; OPTS_SIZE];
        b[..8].copy_from_slice(&(OPTS_SIZE as u64).to_ne_bytes());
        b
    }

    #[test]
    fn perf_event_cookie_and_stray_bytes() {
        let mut b = opts();
        b[UNION..UNION + 8].copy_from_slice(&42u64.to_ne_bytes());
        let a = build_attr(3, 4, BPF_PERF_EVENT, Some(&b)).unwrap();
        assert_eq!(unsafe { a.target.perf_event.bpf_cookie }, 42);
        b[UNION + 9] = 1;
        assert_eq!(build_attr(3, 4, BPF_PERF_EVENT, Some(&b)).err(), Some(Error::INVAL));
    }

    #[test]
    fn union_bytes_past_the_member_are_zero() {
        let mut b = opts();
        b[UNION..UNION + 8].copy_from_slice(&42u64.to_ne_bytes());
        let a = build_attr(3, 4, BPF_PERF_EVENT, Some(&b)).unwrap();
        assert_eq!(a.target.words(), [42, 0, 0, 0, 0, 0]);
        let a = build_attr(3, 0, BPF_TRACE_FENTRY, Some(&b)).unwrap();
        assert_eq!(a.target.words(), [0, 42, 0, 0, 0, 0]);
        let a = build_attr(3, 0, BPF_TRACE_ITER, None).unwrap();
        assert_eq!(a.target.words(), [0; 6]);
        let req = LinkRequest { prog_fd: 3, target_fd: 0, attach_type: BPF_TRACE_FENTRY, flags: 0, target: Target::Tracing { cookie: 7 } };
        assert_eq!(req.attr().target.words(), [0, 7, 0, 0, 0, 0]);
        let req = LinkRequest { target: Target::PerfEvent { cookie: 9 }, ..req };
        assert_eq!(req.attr().target.words(), [9, 0, 0, 0, 0, 0]);
        let req = LinkRequest { target: Target::Netfilter { pf: 2, hooknum: 3, priority: -1, flags: 0 }, ..req };
        assert_eq!(req.attr().target.words(), [2 | (3 << 32), 0xffff_ffff, 0, 0, 0, 0]);
    }

    #[test]
    fn relative_id_adds_f_id() {
        let mut b = opts();
        b[UNION + 4..UNION + 8].copy_from_slice(&9u32.to_ne_bytes());
        let a = build_attr(3, 4, BPF_TCX_INGRESS, Some(&b)).unwrap();
        assert_eq!(a.flags & BPF_F_ID, BPF_F_ID);
        assert_eq!(unsafe { a.target.relative.relative_fd }, 9);
        b[UNION..UNION + 4].copy_from_slice(&1u32.to_ne_bytes());
        assert_eq!(build_attr(3, 4, BPF_CGROUP_INET_INGRESS, Some(&b)).err(), Some(Error::INVAL));
    }

    #[test]
    fn iter_info_and_btf_id_exclude_each_other() {
        let mut b = opts();
        b[ITER_INFO_LEN..ITER_INFO_LEN + 4].copy_from_slice(&8u32.to_ne_bytes());
        b[TARGET_BTF_ID..TARGET_BTF_ID + 4].copy_from_slice(&8u32.to_ne_bytes());
        assert_eq!(build_attr(3, 0, BPF_TRACE_ITER, Some(&b)).err(), Some(Error::INVAL));
    }

    #[test]
    fn unknown_types_want_nothing_past_flags() {
        let mut b = opts();
        b[FLAGS..FLAGS + 4].copy_from_slice(&1u32.to_ne_bytes());
        assert!(build_attr(3, 4, 1000, Some(&b)).is_ok());
        b[UNION] = 1;
        assert_eq!(build_attr(3, 4, 1000, Some(&b)).err(), Some(Error::INVAL));
    }
}
