//! Read-only views of whole files (ELF binaries searched for uprobe
//! symbols): a private mapping when the file has a size, else (procfs
//! files and the like) a copy read into memory.

use std::os::fd::AsRawFd;

use crate::error::{Error, Result};

/// The bytes of a file, mapped or read.
pub enum FileBytes {
    Mapped { addr: *mut u8, len: usize },
    Read(Vec<u8>),
}

// SAFETY: a private read-only mapping owned by this value; only shared
// references to its bytes are handed out.
unsafe impl Send for FileBytes {}
// SAFETY: as above.
unsafe impl Sync for FileBytes {}

impl FileBytes {
    /// Opens `path` and maps (or reads) all of it. The open error (e.g.
    /// `ENOENT`) on failure.
    pub fn open(path: &str) -> Result<FileBytes> {
        let f = std::fs::File::open(path).map_err(Error::from)?;
        let len = f.metadata().map_err(Error::from)?.len();
        let Ok(len) = usize::try_from(len) else { return Err(Error::TOO_BIG) };
        if len > 0 {
            // SAFETY: a fresh private read-only mapping of an open file;
            // the result is checked.
            let p = unsafe { libc::mmap(core::ptr::null_mut(), len, libc::PROT_READ, libc::MAP_PRIVATE, f.as_raw_fd(), 0) };
            if p != libc::MAP_FAILED {
                return Ok(FileBytes::Mapped { addr: p.cast(), len });
            }
        }
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut &f, &mut v).map_err(Error::from)?;
        Ok(FileBytes::Read(v))
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        match self {
            // SAFETY: `addr` maps `len` readable bytes for as long as `self` lives.
            FileBytes::Mapped { addr, len } => unsafe { core::slice::from_raw_parts(*addr, *len) },
            FileBytes::Read(v) => v,
        }
    }
}

impl Drop for FileBytes {
    fn drop(&mut self) {
        if let FileBytes::Mapped { addr, len } = *self {
            // SAFETY: unmaps exactly the region this value owns.
            unsafe { libc::munmap(addr.cast(), len) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapped_and_read_files() {
        let exe = FileBytes::open("/proc/self/exe").unwrap();
        assert_eq!(&exe.bytes()[..4], b"\x7fELF");
        assert!(matches!(exe, FileBytes::Mapped { .. }));
        let status = FileBytes::open("/proc/self/status").unwrap();
        assert!(status.bytes().starts_with(b"Name:"));
        assert_eq!(FileBytes::open("/ox/none").err(), Some(Error::NOENT));
    }
}
