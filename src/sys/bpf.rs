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
