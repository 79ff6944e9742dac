//! The `bpf(2)` system call.
//!
//! Each command has its own `#[repr(C)]` attribute struct holding exactly the
//! fields it uses (defined next to the code that issues the command), and
//! [`bpf`] passes `size_of` that struct: older kernels reject unknown
//! non-zero tails, so an attr never covers more than it needs.

use core::ffi::c_long;
use std::os::fd::OwnedFd;

use crate::error::{Error, Result};

/// `enum bpf_cmd`.
pub mod cmd {
    pub const BPF_MAP_CREATE: u32 = 0;
    pub const BPF_MAP_LOOKUP_ELEM: u32 = 1;
    pub const BPF_MAP_UPDATE_ELEM: u32 = 2;
    pub const BPF_MAP_DELETE_ELEM: u32 = 3;
    pub const BPF_MAP_GET_NEXT_KEY: u32 = 4;
    pub const BPF_PROG_LOAD: u32 = 5;
    pub const BPF_OBJ_PIN: u32 = 6;
    pub const BPF_OBJ_GET: u32 = 7;
    pub const BPF_PROG_ATTACH: u32 = 8;
    pub const BPF_PROG_DETACH: u32 = 9;
    pub const BPF_PROG_TEST_RUN: u32 = 10;
    pub const BPF_PROG_GET_NEXT_ID: u32 = 11;
    pub const BPF_MAP_GET_NEXT_ID: u32 = 12;
    pub const BPF_PROG_GET_FD_BY_ID: u32 = 13;
    pub const BPF_MAP_GET_FD_BY_ID: u32 = 14;
    pub const BPF_OBJ_GET_INFO_BY_FD: u32 = 15;
    pub const BPF_PROG_QUERY: u32 = 16;
    pub const BPF_RAW_TRACEPOINT_OPEN: u32 = 17;
    pub const BPF_BTF_LOAD: u32 = 18;
    pub const BPF_BTF_GET_FD_BY_ID: u32 = 19;
    pub const BPF_TASK_FD_QUERY: u32 = 20;
    pub const BPF_MAP_LOOKUP_AND_DELETE_ELEM: u32 = 21;
    pub const BPF_MAP_FREEZE: u32 = 22;
    pub const BPF_BTF_GET_NEXT_ID: u32 = 23;
    pub const BPF_MAP_LOOKUP_BATCH: u32 = 24;
    pub const BPF_MAP_LOOKUP_AND_DELETE_BATCH: u32 = 25;
    pub const BPF_MAP_UPDATE_BATCH: u32 = 26;
    pub const BPF_MAP_DELETE_BATCH: u32 = 27;
    pub const BPF_LINK_CREATE: u32 = 28;
    pub const BPF_LINK_UPDATE: u32 = 29;
    pub const BPF_LINK_GET_FD_BY_ID: u32 = 30;
    pub const BPF_LINK_GET_NEXT_ID: u32 = 31;
    pub const BPF_ENABLE_STATS: u32 = 32;
    pub const BPF_ITER_CREATE: u32 = 33;
    pub const BPF_LINK_DETACH: u32 = 34;
    pub const BPF_PROG_BIND_MAP: u32 = 35;
    pub const BPF_TOKEN_CREATE: u32 = 36;
    pub const BPF_PROG_STREAM_READ_BY_FD: u32 = 37;
    pub const BPF_PROG_ASSOC_STRUCT_OPS: u32 = 38;
}

/// Issues `bpf(cmd, attr, sizeof(*attr))`. Returns the syscall's
/// non-negative result, or the errno it failed with.
///
/// `A` must be a `#[repr(C)]` attribute struct of plain data whose layout
/// matches the kernel's `union bpf_attr` member for `cmd`.
pub fn bpf<A>(cmd: u32, attr: &mut A) -> Result<c_long> {
    let size = core::mem::size_of::<A>();
    // SAFETY: `attr` is a valid, exclusively borrowed buffer of `size` bytes;
    // the kernel reads and may write at most `size` bytes of it.
    let ret = unsafe { libc::syscall(libc::SYS_bpf, cmd as c_long, attr as *mut A, size as c_long) };
    if ret < 0 {
        Err(Error::last_os_error())
    } else {
        Ok(ret)
    }
}

/// [`bpf`] for commands that return a new fd; the fd is close-on-exec
/// (the kernel creates BPF fds with O_CLOEXEC) and moved off 0, 1 and 2.
pub fn bpf_fd<A>(cmd: u32, attr: &mut A) -> Result<OwnedFd> {
    let fd = bpf(cmd, attr)?;
    crate::sys::fd::adopt(fd as i32)
}

/// A pointer as the kernel's `__aligned_u64` attr field.
pub fn ptr_to_u64<T>(p: *const T) -> u64 {
    p as usize as u64
}

/// `BPF_COMMON_ATTRS`: a flag ORed into the command when a
/// `struct bpf_common_attr` travels in the 4th and 5th syscall arguments
/// (kernels after 6.18; older ones reject the command with `EINVAL`).
pub const BPF_COMMON_ATTRS: u32 = 1 << 16;

/// A `bpf(2)` attribute struct: the member of the kernel's `union bpf_attr`
/// one command reads, written down as a `#[repr(C)]` struct.
///
/// # Safety
/// The type must be `#[repr(C)]` plain data valid when all-zero, laid out as
/// the kernel's member, and `SIZE` must not exceed `size_of::<Self>()`.
pub unsafe trait Attr: Sized {
    /// Bytes passed as the syscall's `size`: the offset just past the last
    /// field the command uses (libbpf's `offsetofend(union bpf_attr, last)`),
    /// so kernels that predate a later field never see a non-zero tail.
    const SIZE: usize;
}

/// `impl_attr!(FooAttr, last_field: Type)` (size ends at that field) or
/// `impl_attr!(FooAttr)` (the whole struct, tail padding included, as
/// libbpf's `offsetofend` of a named member struct).
#[macro_export]
macro_rules! impl_attr {
    ($t:ty, $last:ident : $ty:ty) => {
        // SAFETY: attr structs are #[repr(C)] plain integer data.
        unsafe impl $crate::sys::bpf::Attr for $t {
            const SIZE: usize = core::mem::offset_of!($t, $last) + core::mem::size_of::<$ty>();
        }
    };
    ($t:ty) => {
        // SAFETY: attr structs are #[repr(C)] plain integer data.
        unsafe impl $crate::sys::bpf::Attr for $t {
            const SIZE: usize = core::mem::size_of::<$t>();
        }
    };
}

/// Issues `bpf(cmd, attr, A::SIZE)`; the kernel may write results back into
/// `attr`. Returns the syscall's non-negative result or the errno.
///
/// # Safety
/// Every pointer held in `attr` (as a `u64` address) must be valid for what
/// the command does with it: read for inputs, written for outputs, with the
/// sizes the other fields announce.
#[inline]
pub unsafe fn call<A: Attr>(cmd: u32, attr: &mut A) -> Result<c_long> {
    // SAFETY: forwarded contract; `A::SIZE <= size_of::<A>()`.
    unsafe { call_sized(cmd, attr, A::SIZE) }
}

/// [`call`] with an explicit size (at most `size_of::<A>()`), for the few
/// commands libbpf issues with two different sizes over one member.
///
/// # Safety
/// As [`call`]; `size <= size_of::<A>()`.
#[inline]
pub unsafe fn call_sized<A>(cmd: u32, attr: &mut A, size: usize) -> Result<c_long> {
    debug_assert!(size <= core::mem::size_of::<A>());
    // SAFETY: `attr` is a valid exclusively borrowed buffer of at least
    // `size` bytes; pointer fields are the caller's responsibility.
    unsafe { raw_bpf(cmd as c_long, (attr as *mut A).cast(), size as c_long) }
}

/// The bare `bpf(2)` system call. On x86-64 it is issued inline (no libc
/// wrapper, `errno` untouched: the error comes back in the result), which
/// keeps the element commands as cheap as a C program's own `syscall()`.
///
/// # Safety
/// `attr` is valid for the command, as [`call`] describes.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn raw_bpf(cmd: c_long, attr: *mut core::ffi::c_void, size: c_long) -> Result<c_long> {
    let ret: c_long;
    // SAFETY: the x86-64 syscall ABI: number in rax, arguments in rdi, rsi,
    // rdx; rcx and r11 are clobbered; memory may be read and written (the
    // attr), so no `nomem`/`readonly`.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") libc::SYS_bpf => ret,
            in("rdi") cmd,
            in("rsi") attr,
            in("rdx") size,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    if (-4095..0).contains(&ret) {
        Err(Error::new(-ret as i32))
    } else {
        Ok(ret)
    }
}

/// See the x86-64 version.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
unsafe fn raw_bpf(cmd: c_long, attr: *mut core::ffi::c_void, size: c_long) -> Result<c_long> {
    // SAFETY: as above.
    let ret = unsafe { libc::syscall(libc::SYS_bpf, cmd, attr, size) };
    if ret < 0 {
        Err(Error::last_os_error())
    } else {
        Ok(ret)
    }
}

/// [`call`] for commands that return a new fd (close-on-exec, >= 3).
///
/// # Safety
/// As [`call`].
pub unsafe fn call_fd<A: Attr>(cmd: u32, attr: &mut A) -> Result<OwnedFd> {
    // SAFETY: forwarded contract.
    let fd = unsafe { call(cmd, attr) }?;
    crate::sys::fd::adopt(fd as i32)
}

/// `struct bpf_common_attr`: attributes shared by every command, passed
/// beside the command's own attr with [`BPF_COMMON_ATTRS`] (a log buffer).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CommonAttr {
    pub log_buf: u64,
    pub log_size: u32,
    pub log_level: u32,
    /// Output: the size the whole log needs.
    pub log_true_size: u32,
}

/// Issues `bpf(cmd | BPF_COMMON_ATTRS, attr, A::SIZE, common, sizeof(common))`
/// and returns the new fd. Kernels without common attributes fail it with
/// `EINVAL`.
///
/// # Safety
/// As [`call`], for `attr` and for `common.log_buf`.
pub unsafe fn call_fd_with_common<A: Attr>(cmd: u32, attr: &mut A, common: Option<&mut CommonAttr>) -> Result<OwnedFd> {
    let (ptr, size) = match common {
        Some(c) => (c as *mut CommonAttr, core::mem::size_of::<CommonAttr>()),
        None => (core::ptr::null_mut(), core::mem::size_of::<CommonAttr>()),
    };
    // SAFETY: `attr` and `common` are valid exclusively borrowed buffers of
    // the sizes passed (NULL common is only read by kernels that reject it).
    let ret = unsafe {
        libc::syscall(
            libc::SYS_bpf,
            (cmd | BPF_COMMON_ATTRS) as c_long,
            attr as *mut A,
            A::SIZE as c_long,
            ptr,
            size as c_long,
        )
    };
    if ret < 0 {
        return Err(Error::last_os_error());
    }
    crate::sys::fd::adopt(ret as i32)
}
