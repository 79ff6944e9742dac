//! Traced binaries and processes, as USDT attachment reads them: a binary
//! opened for positioned reads, `/proc/<pid>/maps`, `realpath`, the
//! current pid, and the x86-64 `uprobe()` syscall probe.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::os::unix::fs::OpenOptionsExt;

use crate::error::{Error, Result};

/// A file opened read-only (close-on-exec) for positioned reads.
#[derive(Debug)]
pub struct ReadOnlyFile {
    file: File,
    size: u64,
}

impl ReadOnlyFile {
    /// Opens `path`; the error is `open(2)`'s.
    pub fn open(path: &str) -> Result<ReadOnlyFile> {
        let file = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_CLOEXEC).open(path)?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        Ok(ReadOnlyFile { file, size })
    }

    /// Fills `buf` from `off`; false on a short read or an error.
    pub fn read_at(&self, off: u64, buf: &mut [u8]) -> bool {
        self.file.read_exact_at(buf, off).is_ok()
    }

    /// The size when opened.
    pub fn size(&self) -> u64 {
        self.size
    }
}

/// The text of `/proc/<pid>/maps`.
pub fn process_maps(pid: i32) -> Result<String> {
    Ok(std::fs::read_to_string(format!("/proc/{pid}/maps"))?)
}

/// `realpath(3)`.
pub fn realpath(path: &str) -> Result<String> {
    let p = std::fs::canonicalize(path)?;
    p.into_os_string().into_string().map_err(|_| Error::INVAL)
}

/// The calling process's id.
pub fn pid() -> i32 {
    // SAFETY: getpid has no failure mode and no memory effects.
    unsafe { libc::getpid() }
}

/// Whether the x86-64 `uprobe()` syscall (number 336) exists in the form
/// libbpf 1.8 relies on: called from outside a uprobe trampoline it fails
/// with `EPROTO`. (Linux 6.18's first version of the syscall answers
/// `ENXIO`; probes on 10-byte nops are refused there, so it does not count.)
pub fn has_uprobe_syscall() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: the syscall takes no arguments; outside a trampoline it
        // only returns an error.
        let r = unsafe { libc::syscall(336) };
        r < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EPROTO)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_processes() {
        let f = ReadOnlyFile::open("/proc/self/exe").unwrap();
        let mut magic = [0u8; 4];
        assert!(f.read_at(0, &mut magic));
        assert_eq!(&magic, b"\x7fELF");
        assert!(!f.read_at(f.size(), &mut magic));
        assert_eq!(ReadOnlyFile::open("/nonexistent/x").unwrap_err(), Error::NOENT);
        assert!(process_maps(pid()).unwrap().contains("r-xp"));
        assert!(realpath("/proc/self/exe").unwrap().starts_with('/'));
        let _ = has_uprobe_syscall();
    }
}
