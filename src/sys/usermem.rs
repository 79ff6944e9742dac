//! Memory the application owns and hands to the library by address: log
//! buffers, `fd_array`s, func/line info given through a SEC() handler.
//!
//! A [`UserMem`] is created at the C boundary (`unsafe`: the caller vouches
//! that the address stays valid as long as libbpf's documentation says);
//! from then on it travels as an opaque value that only the kernel-call
//! layer turns back into an address.

/// An application-owned buffer: an address and a length in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UserMem {
    addr: usize,
    len: usize,
}

impl UserMem {
    /// The empty buffer (NULL, 0).
    pub const NONE: UserMem = UserMem { addr: 0, len: 0 };

    /// Wraps an application buffer.
    ///
    /// # Safety
    /// Unless `addr` is 0, it must point to `len` bytes that stay valid for
    /// reading and writing for as long as the value is used.
    pub unsafe fn new(addr: usize, len: usize) -> UserMem {
        UserMem { addr, len }
    }

    pub fn addr(&self) -> usize {
        self.addr
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn is_null(&self) -> bool {
        self.addr == 0
    }

    /// The buffer's text up to its first NUL (for printing a verifier log
    /// the library itself asked the kernel to write).
    pub fn text(&self) -> String {
        if self.addr == 0 || self.len == 0 {
            return String::new();
        }
        // SAFETY: per the constructor's contract the buffer is readable.
        let bytes = unsafe { core::slice::from_raw_parts(self.addr as *const u8, self.len) };
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        String::from_utf8_lossy(&bytes[..end]).into_owned()
    }
}

impl UserMem {
    /// Lets `f` edit the buffer in place (a verifier log the library
    /// post-processes); None (f not called) for an empty buffer.
    pub fn with_bytes_mut<R>(&self, f: impl FnOnce(&mut [u8]) -> R) -> Option<R> {
        if self.addr == 0 || self.len == 0 {
            return None;
        }
        // SAFETY: per the constructor's contract the buffer is writable and
        // nothing else accesses it during the call.
        Some(f(unsafe { core::slice::from_raw_parts_mut(self.addr as *mut u8, self.len) }))
    }
}

impl UserMem {
    /// A copy of the buffer; `ENOMEM` when that much memory can not be
    /// allocated (a hostile length), an empty vector for NULL.
    pub fn to_vec(&self) -> crate::error::Result<Vec<u8>> {
        let mut v = Vec::new();
        if self.addr == 0 || self.len == 0 {
            return Ok(v);
        }
        v.try_reserve_exact(self.len).map_err(|_| crate::error::Error::NOMEM)?;
        // SAFETY: per the constructor's contract the buffer is readable for
        // `len` bytes; `v` has room for them.
        unsafe {
            core::ptr::copy_nonoverlapping(self.addr as *const u8, v.as_mut_ptr(), self.len);
            v.set_len(self.len);
        }
        Ok(v)
    }
}
