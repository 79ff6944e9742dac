//! Object commands of `bpf(2)` that work on any BPF object: pinning in
//! bpffs, opening a pinned object, and walking objects by id.

use core::ffi::c_char;
use std::os::fd::OwnedFd;

use crate::error::Result;
use crate::impl_attr;
use crate::sys::bpf::{self, cmd, ptr_to_u64};

/// Attributes of `BPF_OBJ_PIN` and `BPF_OBJ_GET`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ObjAttr {
    /// Address of a NUL-terminated path.
    pub pathname: u64,
    pub bpf_fd: u32,
    /// `BPF_F_RDONLY`, `BPF_F_WRONLY`, `BPF_F_PATH_FD`.
    pub file_flags: u32,
    /// Directory fd `pathname` is relative to (with `BPF_F_PATH_FD`).
    pub path_fd: i32,
}
impl_attr!(ObjAttr, path_fd: i32);

/// Pins `fd` at `pathname` in a bpffs.
///
/// # Safety
/// `pathname` is a readable NUL-terminated string (or NULL: `EFAULT`).
pub unsafe fn pin(fd: i32, pathname: *const c_char, file_flags: u32, path_fd: i32) -> Result<()> {
    let mut a = ObjAttr { pathname: ptr_to_u64(pathname), bpf_fd: fd as u32, file_flags, path_fd };
    // SAFETY: forwarded contract.
    unsafe { bpf::call(cmd::BPF_OBJ_PIN, &mut a) }.map(drop)
}

/// Opens the object pinned at `pathname`; returns a new fd.
///
/// # Safety
/// As [`pin`].
pub unsafe fn get(pathname: *const c_char, file_flags: u32, path_fd: i32) -> Result<OwnedFd> {
    let mut a = ObjAttr { pathname: ptr_to_u64(pathname), bpf_fd: 0, file_flags, path_fd };
    // SAFETY: forwarded contract.
    unsafe { bpf::call_fd(cmd::BPF_OBJ_GET, &mut a) }
}

/// Attributes of the `BPF_*_GET_NEXT_ID` and `BPF_*_GET_FD_BY_ID` commands.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IdAttr {
    /// `start_id`, or the object id for the `GET_FD_BY_ID` commands.
    pub id: u32,
    /// Output of `GET_NEXT_ID`.
    pub next_id: u32,
    /// `BPF_F_RDONLY`/`BPF_F_WRONLY` (maps), `BPF_F_TOKEN_FD`.
    pub open_flags: u32,
    pub token_fd: i32,
}
impl_attr!(IdAttr, token_fd: i32);

/// Size of `GET_NEXT_ID`, which ends at `open_flags`.
const NEXT_ID_SIZE: usize = core::mem::offset_of!(IdAttr, open_flags) + 4;

/// The kind of object an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    Prog,
    Map,
    Btf,
    Link,
}

impl IdKind {
    const fn commands(self) -> (u32, u32) {
        match self {
            IdKind::Prog => (cmd::BPF_PROG_GET_NEXT_ID, cmd::BPF_PROG_GET_FD_BY_ID),
            IdKind::Map => (cmd::BPF_MAP_GET_NEXT_ID, cmd::BPF_MAP_GET_FD_BY_ID),
            IdKind::Btf => (cmd::BPF_BTF_GET_NEXT_ID, cmd::BPF_BTF_GET_FD_BY_ID),
            IdKind::Link => (cmd::BPF_LINK_GET_NEXT_ID, cmd::BPF_LINK_GET_FD_BY_ID),
        }
    }
}

/// The smallest id of that kind greater than `start_id`; `ENOENT` past the last.
pub fn next_id(kind: IdKind, start_id: u32) -> Result<u32> {
    let mut a = IdAttr { id: start_id, ..Default::default() };
    // SAFETY: no pointers; the size covers `start_id`, `next_id`, `open_flags`.
    unsafe { bpf::call_sized(kind.commands().0, &mut a, NEXT_ID_SIZE) }?;
    Ok(a.next_id)
}

/// Opens the object with id `id`; returns a new fd (`ENOENT`: no such id).
pub fn fd_by_id(kind: IdKind, id: u32, open_flags: u32, token_fd: i32) -> Result<OwnedFd> {
    let mut a = IdAttr { id, next_id: 0, open_flags, token_fd };
    // SAFETY: no pointers.
    unsafe { bpf::call_fd(kind.commands().1, &mut a) }
}

const _: () = {
    use crate::sys::bpf::Attr;
    assert!(ObjAttr::SIZE == 20);
    assert!(IdAttr::SIZE == 16);
    assert!(NEXT_ID_SIZE == 12);
};
