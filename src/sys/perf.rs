//! `perf_event_open(2)`, the enable/disable ioctls, and the slots of a
//! `BPF_MAP_TYPE_PERF_EVENT_ARRAY` that hold perf event fds.

use core::ffi::c_void;
use core::marker::PhantomData;
use std::os::fd::{OwnedFd, RawFd};

use crate::error::{Error, Result};
use crate::uapi::perf::{perf_event_attr, PERF_EVENT_IOC_DISABLE, PERF_EVENT_IOC_ENABLE, PERF_EVENT_IOC_SET_BPF, PERF_FLAG_FD_CLOEXEC};

/// A `perf_event_attr` the kernel may read for as long as `'a`: one of
/// ours, or a C caller's, which may be older or newer than our struct (the
/// kernel reads the size it announces).
#[derive(Clone, Copy, Debug)]
pub struct AttrRef<'a> {
    ptr: *const perf_event_attr,
    _life: PhantomData<&'a perf_event_attr>,
}

impl<'a> AttrRef<'a> {
    /// One of our attrs.
    pub fn new(attr: &'a perf_event_attr) -> AttrRef<'a> {
        AttrRef { ptr: attr, _life: PhantomData }
    }

    /// A caller's attr.
    ///
    /// # Safety
    /// `ptr` is readable for the size in its `size` field (or 64 bytes, the
    /// first version, when that is 0) during `'a`.
    pub unsafe fn from_raw(ptr: *const perf_event_attr) -> AttrRef<'a> {
        AttrRef { ptr, _life: PhantomData }
    }
}

/// Opens a perf event (`pid` -1 and a `cpu` for a per-CPU event) with
/// `PERF_FLAG_FD_CLOEXEC` added to `flags`; the fd is moved to 3 or above.
pub fn open(attr: AttrRef<'_>, pid: i32, cpu: i32, group_fd: i32, flags: u64) -> Result<OwnedFd> {
    // SAFETY: `AttrRef` guarantees the attr is readable for its size; the
    // other arguments are plain integers.
    let fd = unsafe {
        libc::syscall(libc::SYS_perf_event_open, attr.ptr, pid, cpu, group_fd, (flags | PERF_FLAG_FD_CLOEXEC) as libc::c_ulong)
    };
    if fd < 0 {
        return Err(Error::last_os_error());
    }
    crate::sys::fd::adopt(fd as i32)
}

/// Opens a kprobe or uprobe perf event: `attr` is complete but for
/// `config1`, which becomes the address of `name` (the kernel function, or
/// the path of the binary) for the duration of the call.
pub fn open_probe(attr: &perf_event_attr, name: &core::ffi::CStr, pid: i32, cpu: i32) -> Result<OwnedFd> {
    let mut a = *attr;
    a.config1 = name.as_ptr() as u64;
    open(AttrRef::new(&a), pid, cpu, -1, 0)
}

/// `PERF_EVENT_IOC_SET_BPF`: runs BPF program `prog_fd` on every event of
/// perf event `fd` (the pre-BPF-link way of attaching).
pub fn set_bpf(fd: RawFd, prog_fd: RawFd) -> Result<()> {
    // SAFETY: the request takes an integer (the program fd) by value.
    let r = unsafe { libc::ioctl(fd, PERF_EVENT_IOC_SET_BPF as libc::c_ulong, prog_fd as libc::c_ulong) };
    if r < 0 {
        return Err(Error::last_os_error());
    }
    Ok(())
}

fn ioctl_noarg(fd: RawFd, request: u64) -> Result<()> {
    // SAFETY: the enable/disable requests take an integer argument only.
    let r = unsafe { libc::ioctl(fd, request as libc::c_ulong, 0) };
    if r < 0 {
        return Err(Error::last_os_error());
    }
    Ok(())
}

/// `PERF_EVENT_IOC_ENABLE`.
pub fn enable(fd: RawFd) -> Result<()> {
    ioctl_noarg(fd, PERF_EVENT_IOC_ENABLE)
}

/// `PERF_EVENT_IOC_DISABLE`.
pub fn disable(fd: RawFd) -> Result<()> {
    ioctl_noarg(fd, PERF_EVENT_IOC_DISABLE)
}

/// Stores perf event `event_fd` in slot `key` of a perf event array map.
pub fn set_array_slot(map_fd: RawFd, key: i32, event_fd: RawFd) -> Result<()> {
    let value: u32 = event_fd as u32;
    // SAFETY: key and value are 4-byte locals, the sizes of a perf event
    // array's key and value; the kernel refuses other map types itself.
    unsafe {
        crate::sys::map::update_elem(
            map_fd,
            (&key as *const i32).cast::<c_void>(),
            (&value as *const u32).cast::<c_void>(),
            0,
        )
    }
}

/// Empties slot `key` of a perf event array map.
pub fn clear_array_slot(map_fd: RawFd, key: i32) -> Result<()> {
    // SAFETY: the key is a 4-byte local, the key size of a perf event array.
    unsafe { crate::sys::map::delete_elem(map_fd, (&key as *const i32).cast::<c_void>(), 0) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uapi::perf::{PERF_COUNT_SW_BPF_OUTPUT, PERF_SAMPLE_RAW, PERF_TYPE_SOFTWARE};
    use std::os::fd::AsRawFd;

    #[test]
    fn bpf_output_event_opens_and_toggles() {
        let attr = perf_event_attr {
            type_: PERF_TYPE_SOFTWARE,
            size: core::mem::size_of::<perf_event_attr>() as u32,
            config: PERF_COUNT_SW_BPF_OUTPUT,
            sample_period_or_freq: 1,
            sample_type: PERF_SAMPLE_RAW,
            wakeup_events_or_watermark: 1,
            ..Default::default()
        };
        let fd = match open(AttrRef::new(&attr), -1, 0, -1, 0) {
            Ok(fd) => fd,
            Err(e) if e == Error::PERM || e == Error::new(libc::EACCES) => return, // not root
            Err(e) => panic!("perf_event_open: {e:?}"),
        };
        assert!(fd.as_raw_fd() > 2);
        // SAFETY: F_GETFD on our own fd.
        assert!(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFD) } & libc::FD_CLOEXEC != 0);
        enable(fd.as_raw_fd()).unwrap();
        disable(fd.as_raw_fd()).unwrap();
        assert_eq!(enable(-1).unwrap_err(), Error::BAD_FD);
        assert_eq!(set_array_slot(-1, 0, fd.as_raw_fd()).unwrap_err(), Error::BAD_FD);
    }
}
