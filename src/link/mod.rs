//! Links: a BPF program attached to a hook, owned by a [`Link`] that
//! detaches it when destroyed (`struct bpf_link`).
//!
//! One file per attach kind, each with one constructor that validates its
//! options, makes the kernel calls and returns a [`Link`] (cilium/ebpf's
//! shape): [`perf_event`], [`tracepoint`], [`raw_tracepoint`], [`kprobe`]
//! (and ksyscall), [`kprobe_multi`], [`uprobe`], [`uprobe_multi`],
//! [`trace`] (fentry/fexit/fmod_ret/tp_btf/LSM), [`tracing_multi`],
//! [`freplace`], [`iter`], [`cgroup`], [`netns`], [`sockmap`], [`xdp`],
//! [`tcx`], [`netkit`], [`netfilter`], [`struct_ops`]. [`auto`] reads a
//! program's SEC() name and picks the constructor (`bpf_program__attach`).
//!
//! Pure helpers: [`glob`] (libbpf's `*`/`?` patterns), [`elf_syms`] (symbol
//! offsets in ELF binaries, for uprobes), [`zip`] (ELF files stored in
//! archives), [`binary_path`] (finding `libc.so.6` like libbpf).
//! System calls go through `crate::sys` (tracefs, `perf_event_open`) and
//! `crate::bpf_api::link` (`BPF_LINK_CREATE`).
//!
//! A link holds the fd `bpf_link__fd()` returns and what tearing it down
//! takes: closing a BPF link fd; for perf-event links, disabling and closing
//! the perf event (and the BPF link made over it), then removing the
//! tracefs probe event a legacy kprobe/uprobe created; for struct_ops maps
//! attached without a link, clearing the map's value. A *disconnected* link
//! does none of this when destroyed: its fds stay open and the program
//! stays attached.

use std::ffi::{CStr, CString};
use std::os::fd::{AsRawFd, IntoRawFd, OwnedFd, RawFd};

use crate::error::{Error, Result};
use crate::object::Program;

pub mod auto;
pub mod binary_path;
pub mod cgroup;
pub mod elf_syms;
pub mod features;
pub mod freplace;
pub mod glob;
pub mod iter;
pub mod kprobe;
pub mod kprobe_multi;
pub mod netfilter;
pub mod netkit;
pub mod netns;
pub mod perf_event;
pub mod probe_event;
pub mod raw_tracepoint;
pub mod sockmap;
pub mod struct_ops;
pub mod tcx;
pub mod trace;
pub mod tracepoint;
pub mod tracing_multi;
pub mod uprobe;
pub mod uprobe_multi;
pub mod usdt;
pub mod xdp;
pub mod zip;

/// What an attach constructor needs to know about a program: a snapshot,
/// so that no borrow of the object is held while attaching (application
/// callbacks may re-enter the library).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prog {
    pub name: String,
    /// The SEC() name (without a leading `?`).
    pub sec_name: String,
    /// The program fd once loaded.
    pub fd: Option<RawFd>,
    pub prog_type: u32,
    pub expected_attach_type: u32,
}

/// libbpf's two wordings for "this program has no fd".
pub(crate) const NOT_LOADED: &str = "can't attach before loaded";
pub(crate) const NO_FD: &str = "can't attach BPF program without FD (was it loaded?)";

impl Prog {
    /// The snapshot of a program of an object.
    pub fn of(p: &Program) -> Prog {
        Prog {
            name: p.name_str().into_owned(),
            sec_name: p.sec_name_str().into_owned(),
            fd: p.fd.as_ref().map(|f| f.as_raw_fd()),
            prog_type: p.prog_type,
            expected_attach_type: p.expected_attach_type,
        }
    }

    /// The program fd, or `EINVAL` after logging `prog '<name>': <why>`.
    pub(crate) fn fd_or(&self, why: &str) -> Result<RawFd> {
        self.fd.ok_or_else(|| {
            crate::pr_warn!("prog '{}': {why}", self.name);
            Error::INVAL
        })
    }
}

/// A link made by `BPF_LINK_CREATE` with the program's expected attach
/// type on `target_fd` (a cgroup, netns, map, ifindex or program), which
/// `what` names in the warning logged on failure.
pub(crate) fn attach_fd(
    prog: &Prog,
    target_fd: i32,
    what: &str,
    flags: u32,
    target: crate::bpf_api::link::Target<'_>,
) -> Result<Link> {
    let prog_fd = prog.fd_or(NOT_LOADED)?;
    let req = crate::bpf_api::link::LinkRequest {
        prog_fd,
        target_fd,
        attach_type: prog.expected_attach_type,
        flags,
        target,
    };
    let fd = crate::bpf_api::link::create_link(&req).inspect_err(|e| {
        crate::pr_warn!("prog '{}': failed to attach to {what}: {e}", prog.name)
    })?;
    Ok(Link::from_fd(fd))
}

/// Where a program goes among those of a multi-program attach point
/// (tcx, netkit, cgroup): `struct bpf_{tcx,netkit,cgroup}_opts`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    /// `BPF_F_BEFORE`, `BPF_F_AFTER`, `BPF_F_ID`, `BPF_F_LINK`, `BPF_F_REPLACE`.
    pub flags: u32,
    pub relative_fd: u32,
    pub relative_id: u32,
    /// Fail with `ESTALE` unless the attach point is at this revision (0: any).
    pub expected_revision: u64,
}

impl Position {
    /// The link flags and `link_create` member: a relative id adds
    /// `BPF_F_ID`. `EINVAL` when both a relative fd and id are given.
    pub(crate) fn target(
        &self,
        prog: &Prog,
    ) -> Result<(u32, crate::bpf_api::link::Target<'static>)> {
        if self.relative_fd != 0 && self.relative_id != 0 {
            crate::pr_warn!(
                "prog '{}': relative_fd and relative_id cannot be set at the same time",
                prog.name
            );
            return Err(Error::INVAL);
        }
        let (flags, rel) = if self.relative_id != 0 {
            (
                self.flags | crate::uapi::bpf_enums::link_flags::ID,
                self.relative_id,
            )
        } else {
            (self.flags, self.relative_fd)
        };
        Ok((
            flags,
            crate::bpf_api::link::Target::Relative {
                fd_or_id: rel,
                expected_revision: self.expected_revision,
            },
        ))
    }
}

/// A dynamic probe event created through tracefs (legacy kprobe/uprobe
/// attachment), removed when its link is destroyed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegacyProbe {
    /// The event name (`libbpf_<pid>_<n>_<target>_0x<offset>`).
    pub name: String,
    /// A kprobe (else a uprobe).
    pub kprobe: bool,
    pub retprobe: bool,
}

/// What must be undone when a link goes away.
#[derive(Debug)]
enum Holder {
    /// A BPF link (or raw tracepoint) fd: closing it detaches.
    Fd(OwnedFd),
    /// A perf event the program runs on, through a BPF link or the
    /// `PERF_EVENT_IOC_SET_BPF` ioctl.
    Perf {
        perf_fd: OwnedFd,
        bpf_link: Option<OwnedFd>,
        legacy: Option<LegacyProbe>,
    },
    /// A struct_ops map: through a BPF link, or registered by its value.
    StructOps {
        map_fd: RawFd,
        bpf_link: Option<OwnedFd>,
    },
    /// A USDT attachment: uprobe links and the spec ids they use.
    Usdt(Box<crate::usdt::manager::UsdtLink<Link>>),
}

/// An attachment (`struct bpf_link`).
#[derive(Debug)]
pub struct Link {
    /// What `bpf_link__fd()` returns.
    fd: RawFd,
    holder: Option<Holder>,
    pin_path: Option<CString>,
    disconnected: bool,
}

impl Link {
    /// A link whose fd detaches the program when closed.
    pub fn from_fd(fd: OwnedFd) -> Link {
        Link {
            fd: fd.as_raw_fd(),
            holder: Some(Holder::Fd(fd)),
            pin_path: None,
            disconnected: false,
        }
    }

    /// A perf-event based link (the BPF link's fd is the link's fd when
    /// there is one, else the perf event's).
    pub(crate) fn perf(perf_fd: OwnedFd, bpf_link: Option<OwnedFd>) -> Link {
        let fd = bpf_link.as_ref().unwrap_or(&perf_fd).as_raw_fd();
        Link {
            fd,
            holder: Some(Holder::Perf {
                perf_fd,
                bpf_link,
                legacy: None,
            }),
            pin_path: None,
            disconnected: false,
        }
    }

    /// A struct_ops map registration: through a BPF link, or (no link) the
    /// map's own fd, which the map keeps owning.
    pub(crate) fn struct_ops(map_fd: RawFd, bpf_link: Option<OwnedFd>) -> Link {
        let fd = bpf_link.as_ref().map_or(map_fd, |l| l.as_raw_fd());
        Link {
            fd,
            holder: Some(Holder::StructOps { map_fd, bpf_link }),
            pin_path: None,
            disconnected: false,
        }
    }

    /// A USDT attachment. Like libbpf's, it has no fd of its own:
    /// `bpf_link__fd()` gives 0.
    pub(crate) fn usdt(u: crate::usdt::manager::UsdtLink<Link>) -> Link {
        Link {
            fd: 0,
            holder: Some(Holder::Usdt(Box::new(u))),
            pin_path: None,
            disconnected: false,
        }
    }

    /// The USDT attachment behind this link, if it is one.
    pub fn usdt_parts(&self) -> Option<&crate::usdt::manager::UsdtLink<Link>> {
        match &self.holder {
            Some(Holder::Usdt(u)) => Some(u),
            _ => None,
        }
    }

    /// Records the legacy probe event of a perf-event link, removed on
    /// destroy.
    pub(crate) fn set_legacy_probe(&mut self, probe: LegacyProbe) {
        if let Some(Holder::Perf { legacy, .. }) = &mut self.holder {
            *legacy = Some(probe);
        }
    }

    /// The legacy probe event this link removes when destroyed.
    pub fn legacy_probe(&self) -> Option<&LegacyProbe> {
        match &self.holder {
            Some(Holder::Perf { legacy, .. }) => legacy.as_ref(),
            _ => None,
        }
    }

    /// The struct_ops map a struct_ops link registers (None for other links
    /// and for registrations without a BPF link).
    pub(crate) fn struct_ops_map(&mut self) -> Option<&mut RawFd> {
        match &mut self.holder {
            Some(Holder::StructOps {
                map_fd,
                bpf_link: Some(_),
            }) => Some(map_fd),
            _ => None,
        }
    }

    /// `bpf_link__open()`: the link pinned at `path` (which it remembers as
    /// its pin path). Any object pinned there opens, as in libbpf.
    pub fn open_pinned(path: &str) -> Result<Link> {
        let c = CString::new(path).map_err(|_| Error::INVAL)?;
        let fd = crate::bpf_api::object::obj_get(&c).inspect_err(|e| {
            crate::pr_warn!("failed to open link at {path}: {}", -e.errno());
        })?;
        let mut link = Link::from_fd(fd);
        link.pin_path = Some(c);
        Ok(link)
    }

    /// The fd of the link (a BPF link, or the perf event of a link made
    /// with the perf ioctl, or a struct_ops map).
    pub fn fd(&self) -> RawFd {
        self.fd
    }

    /// Where the link is pinned, if it is.
    pub fn pin_path(&self) -> Option<&CStr> {
        self.pin_path.as_deref()
    }

    /// `bpf_link__pin()`: pins the link in bpffs at `path` (its parent
    /// directory is created). `EBUSY` when already pinned, `EINVAL` for a
    /// path outside bpffs, else the kernel's answer.
    pub fn pin(&mut self, path: &str) -> Result<()> {
        if self.pin_path.is_some() {
            return Err(Error::BUSY);
        }
        crate::object::pin::make_parent_dir(path)?;
        crate::object::pin::check_path(path)?;
        let c = CString::new(path).map_err(|_| Error::INVAL)?;
        crate::bpf_api::object::pin(self.fd, &c)?;
        crate::pr_debug!("link fd={}: pinned at {path}", self.fd);
        self.pin_path = Some(c);
        Ok(())
    }

    /// `bpf_link__unpin()`: removes the pin. `EINVAL` when not pinned, else
    /// `unlink(2)`'s error (the pin path is kept then).
    pub fn unpin(&mut self) -> Result<()> {
        let Some(path) = self.pin_path.as_ref() else {
            return Err(Error::INVAL);
        };
        let text = path.to_string_lossy().into_owned();
        std::fs::remove_file(&text).map_err(Error::from)?;
        crate::pr_debug!("link fd={}: unpinned from {text}", self.fd);
        self.pin_path = None;
        Ok(())
    }

    /// `bpf_link__disconnect()`: destroying the link will leave the
    /// attachment (and its fds) in place.
    pub fn disconnect(&mut self) {
        self.disconnected = true;
    }

    /// Whether [`Link::disconnect`] was called.
    pub fn is_disconnected(&self) -> bool {
        self.disconnected
    }

    /// `bpf_link__detach()`: `BPF_LINK_DETACH` on the link's fd (the link
    /// becomes defunct; the fd stays open). The kernel's answer.
    pub fn detach(&self) -> Result<()> {
        crate::sys::link::detach(self.fd)
    }

    /// `bpf_link__update_program()`: runs `prog` in place of the link's
    /// program (`BPF_LINK_UPDATE`). `EINVAL` for a program without fd.
    pub fn update_program(&self, prog: &Prog) -> Result<()> {
        let prog_fd = prog.fd_or("can't use BPF program without FD (was it loaded?)")?;
        crate::sys::link::update(&crate::sys::link::LinkUpdateAttr {
            link_fd: self.fd as u32,
            new_prog_fd: prog_fd as u32,
            ..Default::default()
        })
    }

    /// `bpf_link__destroy()`: detaches (unless disconnected) and frees the
    /// link. The first error met while tearing down is returned (for
    /// perf-event links: the disable ioctl's, or the legacy event removal's).
    pub fn destroy(mut self) -> Result<()> {
        self.release()
    }

    fn release(&mut self) -> Result<()> {
        let Some(holder) = self.holder.take() else {
            return Ok(());
        };
        if self.disconnected {
            // The attachment outlives the process: keep every fd open.
            match holder {
                Holder::Fd(fd) => {
                    let _ = fd.into_raw_fd();
                }
                Holder::Perf {
                    perf_fd, bpf_link, ..
                } => {
                    let _ = perf_fd.into_raw_fd();
                    let _ = bpf_link.map(IntoRawFd::into_raw_fd);
                }
                Holder::StructOps { bpf_link, .. } => {
                    let _ = bpf_link.map(IntoRawFd::into_raw_fd);
                }
                Holder::Usdt(mut u) => {
                    // Its uprobes stay attached, its spec ids stay taken.
                    for mut l in u.take_links() {
                        l.disconnect();
                    }
                }
            }
            return Ok(());
        }
        match holder {
            Holder::Fd(fd) => crate::sys::fd::close(fd),
            Holder::Perf {
                perf_fd,
                bpf_link,
                legacy,
            } => {
                let mut res = crate::sys::perf::disable(perf_fd.as_raw_fd());
                drop(perf_fd);
                drop(bpf_link);
                if let Some(p) = legacy {
                    // The event can only go once its perf event is closed.
                    res = probe_event::remove_legacy(&p);
                }
                res
            }
            Holder::StructOps {
                map_fd,
                bpf_link: None,
            } => crate::bpf_api::object::map_delete(map_fd, Some(&0u32.to_ne_bytes()), 0),
            Holder::StructOps {
                bpf_link: Some(l), ..
            } => crate::sys::fd::close(l),
            Holder::Usdt(mut u) => {
                // As libbpf: the uprobes' teardown errors are not reported.
                u.detach();
                Ok(())
            }
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        let _ = self.release();
    }
}

/// The result of auto-attaching a program (`bpf_program__attach()`, the
/// skeleton): a link of ours, or the handle an application SEC() handler's
/// attach callback returned (already a C `struct bpf_link *`).
#[derive(Debug)]
pub enum Attached {
    Link(Link),
    Handle(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_of_an_fd_closes_it() {
        let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
        let fd: OwnedFd = a.into();
        let raw = fd.as_raw_fd();
        let link = Link::from_fd(fd);
        assert_eq!(link.fd(), raw);
        assert!(link.pin_path().is_none());
        link.destroy().unwrap();
        // The peer sees the other end closed.
        use std::io::Read;
        let mut buf = [0u8; 1];
        assert_eq!((&b).read(&mut buf).unwrap(), 0);
    }

    #[test]
    fn disconnected_links_keep_their_fd() {
        let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
        let fd: OwnedFd = a.into();
        let raw = fd.as_raw_fd();
        let mut link = Link::from_fd(fd);
        link.disconnect();
        link.destroy().unwrap();
        // Still open: writing through the raw fd reaches the peer.
        use std::io::{Read, Write};
        // SAFETY: the test reclaims the fd the link leaked on purpose.
        let mut again =
            unsafe { <std::os::unix::net::UnixStream as std::os::fd::FromRawFd>::from_raw_fd(raw) };
        again.write_all(b"x").unwrap();
        let mut buf = [0u8; 1];
        (&b).read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"x");
    }

    #[test]
    fn positions() {
        let p = Prog {
            name: "p".into(),
            ..Default::default()
        };
        let by_id = Position {
            flags: 1 << 3,
            relative_id: 77,
            expected_revision: 5,
            ..Default::default()
        };
        let (flags, t) = by_id.target(&p).unwrap();
        assert_eq!(flags, (1 << 3) | crate::uapi::bpf_enums::link_flags::ID);
        let req = crate::bpf_api::link::LinkRequest {
            prog_fd: 3,
            target_fd: 4,
            attach_type: 46,
            flags,
            target: t,
        };
        assert_eq!(req.attr().target.words(), [77, 5, 0, 0, 0, 0]);
        let by_fd = Position {
            relative_fd: 9,
            ..Default::default()
        };
        let (flags, t) = by_fd.target(&p).unwrap();
        let req = crate::bpf_api::link::LinkRequest {
            prog_fd: 3,
            target_fd: 4,
            attach_type: 46,
            flags,
            target: t,
        };
        assert_eq!((flags, req.attr().target.words()), (0, [9, 0, 0, 0, 0, 0]));
        let both = Position {
            relative_fd: 1,
            relative_id: 2,
            ..Default::default()
        };
        assert_eq!(both.target(&p).unwrap_err(), Error::INVAL);
    }

    #[test]
    fn unpin_without_pin_is_einval() {
        let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
        let mut link = Link::from_fd(a.into());
        assert_eq!(link.unpin().unwrap_err(), Error::INVAL);
        assert_eq!(
            link.update_program(&Prog::default()).unwrap_err(),
            Error::INVAL
        );
    }
}
