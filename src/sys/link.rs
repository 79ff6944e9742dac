//! Link commands of `bpf(2)`: create, update, detach, iterators, raw
//! tracepoints and `BPF_TASK_FD_QUERY`.
//!
//! Which member of the `link_create` union a given attach type uses is
//! libbpf policy, in `crate::bpf_api::link`.

use core::ffi::{c_char, c_void};
use std::os::fd::{OwnedFd, RawFd};

use crate::error::Result;
use crate::impl_attr;
use crate::sys::bpf::{self, cmd, ptr_to_u64};

/// `link_create.iter_info`: the `union bpf_iter_link_info` of an iterator.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkIter {
    pub iter_info: u64,
    pub iter_info_len: u32,
    pub _pad: u32,
}

/// `link_create.perf_event`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkPerfEvent {
    pub bpf_cookie: u64,
}

/// `link_create.kprobe_multi`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkKprobeMulti {
    pub flags: u32,
    pub cnt: u32,
    pub syms: u64,
    pub addrs: u64,
    pub cookies: u64,
}

/// `link_create.tracing` (its `target_btf_id` overlays the union's first word).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkTracing {
    pub target_btf_id: u32,
    pub _pad: u32,
    pub cookie: u64,
}

/// `link_create.netfilter`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkNetfilter {
    pub pf: u32,
    pub hooknum: u32,
    pub priority: i32,
    pub flags: u32,
}

/// `link_create.tcx`, `.netkit` and `.cgroup` (the mprog position).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkRelative {
    /// `relative_fd`, or `relative_id` with `BPF_F_ID` in `flags`.
    pub relative_fd: u32,
    pub _pad: u32,
    pub expected_revision: u64,
}

/// `link_create.uprobe_multi`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkUprobeMulti {
    pub path: u64,
    pub offsets: u64,
    pub ref_ctr_offsets: u64,
    pub cookies: u64,
    pub cnt: u32,
    pub flags: u32,
    pub pid: u32,
    pub path_fd: u32,
}

/// `link_create.tracing_multi` (kernels after 6.18).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkTracingMulti {
    pub ids: u64,
    pub cookies: u64,
    pub cnt: u32,
    pub _pad: u32,
}

/// The per-attach-type union of `link_create`.
#[repr(C)]
#[derive(Clone, Copy)]
pub union LinkTarget {
    pub target_btf_id: u32,
    pub iter: LinkIter,
    pub perf_event: LinkPerfEvent,
    pub kprobe_multi: LinkKprobeMulti,
    pub tracing: LinkTracing,
    pub netfilter: LinkNetfilter,
    /// `tcx`, `netkit` and `cgroup`.
    pub relative: LinkRelative,
    pub uprobe_multi: LinkUprobeMulti,
    pub tracing_multi: LinkTracingMulti,
    pub raw: [u64; 6],
}

/// Constructors filling one member of a zeroed union: every byte the
/// kernel may read is initialised (the members have no implicit padding).
impl LinkTarget {
    pub fn btf_id(target_btf_id: u32) -> LinkTarget {
        let mut t = LinkTarget::default();
        t.target_btf_id = target_btf_id;
        t
    }
    pub fn iter(v: LinkIter) -> LinkTarget {
        let mut t = LinkTarget::default();
        t.iter = v;
        t
    }
    pub fn perf_event(v: LinkPerfEvent) -> LinkTarget {
        let mut t = LinkTarget::default();
        t.perf_event = v;
        t
    }
    pub fn kprobe_multi(v: LinkKprobeMulti) -> LinkTarget {
        let mut t = LinkTarget::default();
        t.kprobe_multi = v;
        t
    }
    pub fn tracing(v: LinkTracing) -> LinkTarget {
        let mut t = LinkTarget::default();
        t.tracing = v;
        t
    }
    pub fn netfilter(v: LinkNetfilter) -> LinkTarget {
        let mut t = LinkTarget::default();
        t.netfilter = v;
        t
    }
    pub fn relative(v: LinkRelative) -> LinkTarget {
        let mut t = LinkTarget::default();
        t.relative = v;
        t
    }
    pub fn uprobe_multi(v: LinkUprobeMulti) -> LinkTarget {
        let mut t = LinkTarget::default();
        t.uprobe_multi = v;
        t
    }
    pub fn tracing_multi(v: LinkTracingMulti) -> LinkTarget {
        let mut t = LinkTarget::default();
        t.tracing_multi = v;
        t
    }
}

impl LinkTarget {
    /// The union as six words (every member is plain data).
    pub fn words(&self) -> [u64; 6] {
        // SAFETY: every bit pattern is a valid `[u64; 6]`, the size of the union.
        unsafe { self.raw }
    }
}

impl Default for LinkTarget {
    fn default() -> Self {
        LinkTarget { raw: [0; 6] }
    }
}

impl core::fmt::Debug for LinkTarget {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // SAFETY: every bit pattern is a valid `[u64; 6]`.
        write!(f, "LinkTarget({:x?})", unsafe { self.raw })
    }
}

/// Attributes of `BPF_LINK_CREATE` (`attr.link_create`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct LinkCreateAttr {
    /// Program fd (or struct_ops map fd).
    pub prog_fd: u32,
    /// Target fd or ifindex.
    pub target_fd: u32,
    pub attach_type: u32,
    pub flags: u32,
    pub target: LinkTarget,
}
impl_attr!(LinkCreateAttr);

/// Creates a link; returns its fd.
///
/// # Safety
/// Addresses in `attr.target` are valid for the counts they announce.
pub unsafe fn create(attr: &LinkCreateAttr) -> Result<OwnedFd> {
    let mut a = *attr;
    // SAFETY: forwarded contract.
    unsafe { bpf::call_fd(cmd::BPF_LINK_CREATE, &mut a) }
}

/// Attributes of `BPF_LINK_UPDATE`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkUpdateAttr {
    pub link_fd: u32,
    /// New program (or struct_ops map) fd.
    pub new_prog_fd: u32,
    /// `BPF_F_REPLACE`.
    pub flags: u32,
    /// Expected current program (or map) with `BPF_F_REPLACE`.
    pub old_prog_fd: u32,
}
impl_attr!(LinkUpdateAttr);

/// Replaces the program (or struct_ops map) of a link.
pub fn update(attr: &LinkUpdateAttr) -> Result<()> {
    let mut a = *attr;
    // SAFETY: no pointers.
    unsafe { bpf::call(cmd::BPF_LINK_UPDATE, &mut a) }.map(drop)
}

/// Attributes of `BPF_LINK_DETACH`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkDetachAttr {
    pub link_fd: u32,
}
impl_attr!(LinkDetachAttr);

/// Detaches a link from its target; the fd stays valid (defunct link).
pub fn detach(link_fd: RawFd) -> Result<()> {
    let mut a = LinkDetachAttr { link_fd: link_fd as u32 };
    // SAFETY: no pointers.
    unsafe { bpf::call(cmd::BPF_LINK_DETACH, &mut a) }.map(drop)
}

/// Attributes of `BPF_ITER_CREATE`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IterCreateAttr {
    pub link_fd: u32,
    pub flags: u32,
}
impl_attr!(IterCreateAttr);

/// Opens a new iterator instance of an iterator link: `read(2)` on the
/// returned fd runs the program.
pub fn iter_create(link_fd: RawFd) -> Result<OwnedFd> {
    let mut a = IterCreateAttr { link_fd: link_fd as u32, flags: 0 };
    // SAFETY: no pointers.
    unsafe { bpf::call_fd(cmd::BPF_ITER_CREATE, &mut a) }
}

/// Attributes of `BPF_RAW_TRACEPOINT_OPEN`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RawTpAttr {
    /// Address of the tracepoint name (NULL for BTF-typed programs).
    pub name: u64,
    pub prog_fd: u32,
    pub _pad: u32,
    pub cookie: u64,
}
impl_attr!(RawTpAttr);

/// Attaches a raw tracepoint (or tracing) program; returns the link fd.
///
/// # Safety
/// `name` is NULL or a readable NUL-terminated string.
pub unsafe fn raw_tracepoint_open(name: *const c_char, prog_fd: RawFd, cookie: u64) -> Result<OwnedFd> {
    let mut a = RawTpAttr { name: ptr_to_u64(name), prog_fd: prog_fd as u32, _pad: 0, cookie };
    // SAFETY: forwarded contract.
    unsafe { bpf::call_fd(cmd::BPF_RAW_TRACEPOINT_OPEN, &mut a) }
}

/// Attributes of `BPF_TASK_FD_QUERY`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TaskFdQueryAttr {
    pub pid: u32,
    pub fd: u32,
    pub flags: u32,
    /// In: room in `buf`; out: length of the name (without NUL).
    pub buf_len: u32,
    pub buf: u64,
    pub prog_id: u32,
    /// `BPF_FD_TYPE_*`.
    pub fd_type: u32,
    pub probe_offset: u64,
    pub probe_addr: u64,
}
impl_attr!(TaskFdQueryAttr);

/// Asks what BPF attachment the fd `fd` of process `pid` is (raw
/// tracepoint, kprobe, uprobe, tracepoint): outputs land in `attr`, also
/// on `ENOSPC` (name truncated).
///
/// # Safety
/// `attr.buf` is writable for `attr.buf_len` bytes.
pub unsafe fn task_fd_query(attr: &mut TaskFdQueryAttr) -> Result<()> {
    // SAFETY: forwarded contract.
    unsafe { bpf::call(cmd::BPF_TASK_FD_QUERY, attr) }.map(drop)
}

/// Reads into `buf` from an iterator fd (for Rust callers).
pub fn read_iter(fd: RawFd, buf: &mut [u8]) -> Result<usize> {
    // SAFETY: `buf` is writable for its length.
    let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast::<c_void>(), buf.len()) };
    if n < 0 {
        return Err(crate::error::Error::last_os_error());
    }
    Ok(n as usize)
}

const _: () = {
    use core::mem::{offset_of, size_of};
    use crate::sys::bpf::Attr;
    assert!(size_of::<LinkTarget>() == 48);
    assert!(offset_of!(LinkCreateAttr, target) == 16);
    assert!(LinkCreateAttr::SIZE == 64);
    assert!(offset_of!(LinkTracing, cookie) == 8);
    assert!(size_of::<LinkIter>() == 16 && size_of::<LinkTracing>() == 16 && size_of::<LinkRelative>() == 16);
    assert!(size_of::<LinkTracingMulti>() == 24 && size_of::<LinkKprobeMulti>() == 32 && size_of::<LinkUprobeMulti>() == 48);
    assert!(offset_of!(LinkUprobeMulti, path_fd) == 44);
    assert!(LinkUpdateAttr::SIZE == 16);
    assert!(RawTpAttr::SIZE == 24);
    assert!(TaskFdQueryAttr::SIZE == 48);
};
