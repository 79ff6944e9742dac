//! Shared memory mappings: the initial image of a global data map (anonymous,
//! shared) and, once the map exists, the same address remapped onto the
//! map's memory. Unmapped when dropped.

use std::os::fd::RawFd;

use crate::error::{Error, Result};

/// One `mmap()`ed region, unmapped on drop.
#[derive(Debug)]
pub struct Mapping {
    addr: *mut u8,
    len: usize,
}

// SAFETY: the mapping is plain memory owned by this value; access goes
// through `&self`/`&mut self` like any buffer.
unsafe impl Send for Mapping {}
// SAFETY: as above.
unsafe impl Sync for Mapping {}

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

impl Mapping {
    /// A zero-filled, shared, anonymous read-write mapping of `len` bytes (> 0).
    pub fn anonymous(len: usize) -> Result<Mapping> {
        if len == 0 {
            return Err(Error::INVAL);
        }
        // SAFETY: a fresh anonymous mapping; the result is checked.
        let p = unsafe {
            libc::mmap(core::ptr::null_mut(), len, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_SHARED | libc::MAP_ANONYMOUS, -1, 0)
        };
        if p == libc::MAP_FAILED {
            return Err(Error::last_os_error());
        }
        Ok(Mapping { addr: p.cast(), len })
    }

    /// Maps `len` bytes of `fd` (a BPF map) at the address of `self`, in
    /// place of the current pages (`MAP_FIXED`): the address stays the same,
    /// the memory becomes the map's. Read-only when `writable` is false.
    pub fn remap_fd(&mut self, fd: RawFd, writable: bool) -> Result<()> {
        let prot = if writable { libc::PROT_READ | libc::PROT_WRITE } else { libc::PROT_READ };
        // SAFETY: replaces exactly the pages this value owns; the result is checked.
        let p = unsafe { libc::mmap(self.addr.cast(), self.len, prot, libc::MAP_SHARED | libc::MAP_FIXED, fd, 0) };
        if p == libc::MAP_FAILED {
            return Err(Error::last_os_error());
        }
        Ok(())
    }

    /// A new anonymous mapping of `len` bytes holding a copy of this one's
    /// first `min(len, self.len())` bytes.
    pub fn resized(&self, len: usize) -> Result<Mapping> {
        let mut m = Mapping::anonymous(len)?;
        let n = len.min(self.len);
        m.as_mut_slice()[..n].copy_from_slice(&self.as_slice()[..n]);
        Ok(m)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The start address (handed to C by `bpf_map__initial_value`).
    pub fn as_ptr(&self) -> *mut u8 {
        self.addr
    }

    /// The mapped bytes. (Read-only remaps are still readable.)
    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: `addr` maps `len` readable bytes for as long as `self` lives.
        unsafe { core::slice::from_raw_parts(self.addr, self.len) }
    }

    /// The mapped bytes, writable (only before a read-only remap).
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: `addr` maps `len` writable bytes owned by `self`.
        unsafe { core::slice::from_raw_parts_mut(self.addr, self.len) }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the region this value owns.
        unsafe { libc::munmap(self.addr.cast(), self.len) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_and_resize() {
        let mut m = Mapping::anonymous(page_size()).unwrap();
        m.as_mut_slice()[..3].copy_from_slice(b"abc");
        let r = m.resized(2 * page_size()).unwrap();
        assert_eq!(&r.as_slice()[..4], b"abc\0");
        assert_eq!(r.len(), 2 * page_size());
        assert!(Mapping::anonymous(0).is_err());
    }
}
