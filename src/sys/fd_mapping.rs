//! Memory shared with the kernel through `mmap()` of a file descriptor:
//! the pages of a BPF ring buffer map and the ring of a perf event. The
//! kernel writes this memory concurrently, so it is read and written only
//! through the accessors here (atomics with explicit ordering, or byte
//! copies of ranges the protocol says are stable), never through Rust
//! references to plain bytes.

use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::os::fd::RawFd;

use crate::error::{Error, Result};

/// The system page size.
pub fn page_size() -> usize {
    // SAFETY: sysconf has no memory effects.
    let sz = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if sz > 0 {
        sz as usize
    } else {
        4096
    }
}

/// A `MAP_SHARED` mapping of `len` bytes of an fd, unmapped on drop.
#[derive(Debug)]
pub struct FdMapping {
    addr: *mut u8,
    len: usize,
}

// SAFETY: the mapping is shared memory whose every access goes through
// atomics or copies; the value only owns the address range.
unsafe impl Send for FdMapping {}
// SAFETY: as above.
unsafe impl Sync for FdMapping {}

impl FdMapping {
    /// Maps `len` bytes (> 0) of `fd` starting at `offset` (a multiple of
    /// the page size), read-only or read-write.
    pub fn new(fd: RawFd, len: usize, offset: usize, writable: bool) -> Result<FdMapping> {
        if len == 0 {
            return Err(Error::INVAL);
        }
        let off = libc::off_t::try_from(offset).map_err(|_| Error::TOO_BIG)?;
        let prot = if writable { libc::PROT_READ | libc::PROT_WRITE } else { libc::PROT_READ };
        // SAFETY: a fresh mapping chosen by the kernel; the result is checked.
        let p = unsafe { libc::mmap(core::ptr::null_mut(), len, prot, libc::MAP_SHARED, fd, off) };
        if p == libc::MAP_FAILED {
            return Err(Error::last_os_error());
        }
        Ok(FdMapping { addr: p.cast(), len })
    }

    /// The mapped length.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the mapping is empty (never: `new` refuses 0).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The start address.
    pub fn addr(&self) -> *mut u8 {
        self.addr
    }

    /// The address of byte `off` (at most `len`: one past the end is allowed).
    pub fn at(&self, off: usize) -> *mut u8 {
        assert!(off <= self.len, "offset {off} past a mapping of {}", self.len);
        self.addr.wrapping_add(off)
    }

    fn checked<T>(&self, off: usize) -> *mut T {
        let size = core::mem::size_of::<T>();
        assert!(
            off.checked_add(size).is_some_and(|end| end <= self.len) && off % core::mem::align_of::<T>() == 0,
            "access of {size} bytes at {off} outside a mapping of {}",
            self.len
        );
        self.addr.wrapping_add(off).cast()
    }

    fn atomic_usize(&self, off: usize) -> &AtomicUsize {
        // SAFETY: in bounds and aligned (checked); the memory lives as long as
        // `self` and is only accessed atomically at this offset.
        unsafe { &*self.checked::<AtomicUsize>(off) }
    }

    fn atomic_u32(&self, off: usize) -> &AtomicU32 {
        // SAFETY: as `atomic_usize`.
        unsafe { &*self.checked::<AtomicU32>(off) }
    }

    /// Load-acquire of the `unsigned long` at `off`.
    #[inline]
    pub fn load_acquire(&self, off: usize) -> usize {
        self.atomic_usize(off).load(Ordering::Acquire)
    }

    /// Plain (relaxed) load of the `unsigned long` at `off`.
    #[inline]
    pub fn load_relaxed(&self, off: usize) -> usize {
        self.atomic_usize(off).load(Ordering::Relaxed)
    }

    /// Store-release of the `unsigned long` at `off` (a writable mapping).
    #[inline]
    pub fn store_release(&self, off: usize, v: usize) {
        self.atomic_usize(off).store(v, Ordering::Release)
    }

    /// Load-acquire of the `u32` at `off`.
    #[inline]
    pub fn load_acquire_u32(&self, off: usize) -> u32 {
        self.atomic_u32(off).load(Ordering::Acquire)
    }

    /// Plain (relaxed) store of the `u32` at `off` (a writable mapping).
    #[inline]
    pub fn store_u32(&self, off: usize, v: u32) {
        self.atomic_u32(off).store(v, Ordering::Relaxed)
    }

    /// Exchanges the `u32` at `off` with acquire-release ordering and
    /// returns the old value (a writable mapping).
    #[inline]
    pub fn swap_u32(&self, off: usize, v: u32) -> u32 {
        self.atomic_u32(off).swap(v, Ordering::AcqRel)
    }

    /// Reads `N` bytes starting at `off` (a range the kernel does not write
    /// while the reader owns it), as one fixed-size load.
    #[inline]
    pub fn read_array<const N: usize>(&self, off: usize) -> [u8; N] {
        assert!(
            off.checked_add(N).is_some_and(|end| end <= self.len),
            "read of {N} bytes at {off} outside a mapping of {}",
            self.len
        );
        // SAFETY: the range is inside the mapping (checked); any byte
        // pattern is a valid array.
        unsafe { core::ptr::read_unaligned(self.addr.add(off).cast::<[u8; N]>()) }
    }

    /// Copies `out.len()` bytes starting at `off` (a range the kernel does
    /// not write while the reader owns it).
    pub fn copy_out(&self, off: usize, out: &mut [u8]) {
        assert!(
            off.checked_add(out.len()).is_some_and(|end| end <= self.len),
            "copy of {} bytes at {off} outside a mapping of {}",
            out.len(),
            self.len
        );
        // SAFETY: the source range is inside the mapping (checked) and cannot
        // overlap `out`, which is ordinary memory.
        unsafe { core::ptr::copy_nonoverlapping(self.addr.add(off), out.as_mut_ptr(), out.len()) };
    }
}

impl Drop for FdMapping {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the region this value owns.
        unsafe { libc::munmap(self.addr.cast(), self.len) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memfd_round_trip() {
        let ps = page_size();
        // SAFETY: a memfd for the test, closed below.
        let fd = unsafe { libc::memfd_create(c"oxbpf-test".as_ptr(), libc::MFD_CLOEXEC) };
        assert!(fd >= 0);
        // SAFETY: sizing the test's own memfd.
        assert_eq!(unsafe { libc::ftruncate(fd, 2 * ps as libc::off_t) }, 0);
        let rw = FdMapping::new(fd, ps, ps, true).unwrap();
        let ro = FdMapping::new(fd, 2 * ps, 0, false).unwrap();
        rw.store_release(8, 0x1234);
        rw.store_u32(16, 7);
        assert_eq!(rw.swap_u32(16, 9), 7);
        assert_eq!(ro.load_acquire(ps + 8), 0x1234);
        assert_eq!(ro.load_relaxed(ps + 8), 0x1234);
        assert_eq!(ro.load_acquire_u32(ps + 16), 9);
        let mut out = [0u8; 4];
        ro.copy_out(ps + 16, &mut out);
        assert_eq!(u32::from_ne_bytes(out), 9);
        assert_eq!(u32::from_ne_bytes(ro.read_array::<4>(ps + 16)), 9);
        assert_eq!(ro.at(ps), ro.addr().wrapping_add(ps));
        assert!(FdMapping::new(fd, 0, 0, false).is_err());
        assert_eq!(FdMapping::new(-1, ps, 0, false).unwrap_err(), Error::BAD_FD);
        // SAFETY: the test's own fd.
        unsafe { libc::close(fd) };
    }

    #[test]
    #[should_panic]
    fn out_of_bounds_is_refused() {
        // SAFETY: a memfd for the test.
        let fd = unsafe { libc::memfd_create(c"oxbpf-test".as_ptr(), libc::MFD_CLOEXEC) };
        // SAFETY: sizing the test's own memfd.
        unsafe { libc::ftruncate(fd, page_size() as libc::off_t) };
        let m = FdMapping::new(fd, page_size(), 0, false).unwrap();
        m.load_acquire(page_size() - 4);
    }
}
