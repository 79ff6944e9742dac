//! `BPF_OBJ_GET_INFO_BY_FD`: what the kernel tells about a program, map,
//! BTF object or link. The info layouts are in `crate::uapi::bpf`.

use core::ffi::c_void;
use std::os::fd::RawFd;

use crate::error::Result;
use crate::impl_attr;
use crate::sys::bpf::{self, cmd, ptr_to_u64};

/// Attributes of `BPF_OBJ_GET_INFO_BY_FD` (`attr.info`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InfoAttr {
    pub bpf_fd: u32,
    /// In: size of the caller's struct; out: bytes the kernel filled.
    pub info_len: u32,
    pub info: u64,
}
impl_attr!(InfoAttr);

/// Fills the info struct at `info` (`info_len` bytes, any version of the
/// struct: the kernel writes at most that many bytes, and refuses with
/// `E2BIG` a larger struct whose extra bytes are not zero). Returns the
/// number of bytes the kernel filled.
///
/// # Safety
/// `info` is readable and writable for `info_len` bytes; array pointers
/// inside it are valid for the counts they announce.
pub unsafe fn get_info_by_fd(fd: RawFd, info: *mut c_void, info_len: u32) -> Result<u32> {
    let mut a = InfoAttr { bpf_fd: fd as u32, info_len, info: ptr_to_u64(info) };
    // SAFETY: forwarded contract.
    unsafe { bpf::call(cmd::BPF_OBJ_GET_INFO_BY_FD, &mut a) }?;
    Ok(a.info_len)
}

/// Fills a typed info struct (`bpf_prog_info`, `bpf_map_info`, ...) and
/// returns the number of bytes the kernel filled.
///
/// # Safety
/// Array pointers set inside `info` are valid for the counts they announce.
pub unsafe fn get_info<T>(fd: RawFd, info: &mut T) -> Result<u32> {
    let len = core::mem::size_of::<T>() as u32;
    // SAFETY: `info` is a valid exclusive `T`; forwarded contract otherwise.
    unsafe { get_info_by_fd(fd, (info as *mut T).cast(), len) }
}

/// The kernel's `bpf_map_info` for a map fd (no array pointers requested).
/// A fd that is not a BPF object is `EINVAL`, a closed one `EBADF`.
pub fn map_info(fd: RawFd) -> Result<crate::uapi::bpf_map_info> {
    let mut info = crate::uapi::bpf_map_info::default();
    // SAFETY: a zeroed info struct sets no array pointers.
    unsafe { get_info(fd, &mut info) }?;
    Ok(info)
}
