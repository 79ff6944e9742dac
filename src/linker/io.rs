//! The linker's only contact with files: the output (a path created at
//! start, or a caller's fd) and the inputs (paths, fds, memory), around the
//! pure [`Linker`].

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::fd::{AsRawFd, IntoRawFd, OwnedFd, RawFd};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::input::errstr;
use super::Linker;
use crate::error::{Error, Result};

/// Where the linked object goes.
enum Output {
    /// A file created by the linker (closed once written).
    Owned(OwnedFd),
    /// A caller's fd (never closed here).
    Borrowed(RawFd),
}

/// A link writing to a file: what `struct bpf_linker *` holds.
pub struct FileLink {
    pub linker: Linker,
    /// None once finalised.
    out: Option<Output>,
}

impl FileLink {
    /// Creates (or truncates) `path`, mode 0644, and starts a link into
    /// it. Errors: those of `open(2)`.
    pub fn create(path: &[u8]) -> Result<FileLink> {
        let shown = String::from_utf8_lossy(path).into_owned();
        let path = Path::new(OsStr::from_bytes(path));
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o644)
            .custom_flags(libc::O_CLOEXEC)
            .open(path)
            .map_err(|e| {
                let e = Error::from(e);
                pr_warn!("failed to create '{shown}': {}", e.neg());
                e
            })?;
        let fd = crate::sys::fd::adopt(file.into_raw_fd())?;
        Ok(FileLink { linker: Linker::new(&shown)?, out: Some(Output::Owned(fd)) })
    }

    /// Starts a link written to the caller's `fd` at finalisation (named
    /// `fd:N` in messages). `EINVAL` for a negative fd.
    pub fn on_fd(fd: RawFd) -> Result<FileLink> {
        if fd < 0 {
            return Err(Error::INVAL);
        }
        Ok(FileLink { linker: Linker::new(&format!("fd:{fd}"))?, out: Some(Output::Borrowed(fd)) })
    }

    fn check_open(&self) -> Result<()> {
        if self.out.is_none() || !self.linker.is_open() {
            return Err(Error::INVAL);
        }
        Ok(())
    }

    /// Adds the object read from `bytes` (or the error reading it).
    fn add_read(&mut self, bytes: Result<Vec<u8>>, name: &str) -> Result<()> {
        match bytes {
            Ok(bytes) => self.linker.add_bytes(&bytes, name),
            Err(e) => {
                pr_debug!("linker: adding object file '{name}'...");
                pr_warn!("failed to parse ELF file '{name}': {e}");
                Err(Error::INVAL)
            }
        }
    }

    /// Adds the object file at `path`. `ENOENT` etc. when it can't be
    /// opened; the linker's errors otherwise.
    pub fn add_file(&mut self, path: &[u8]) -> Result<()> {
        self.check_open()?;
        let shown = String::from_utf8_lossy(path).into_owned();
        let mut file = File::open(Path::new(OsStr::from_bytes(path))).map_err(|e| {
            let e = Error::from(e);
            pr_warn!("failed to open file '{shown}': {}", errstr(e));
            e
        })?;
        let mut bytes = Vec::new();
        let read = file.read_to_end(&mut bytes).map(|_| bytes).map_err(Error::from);
        self.add_read(read, &shown)
    }

    /// Adds the object open as the caller's `fd` (read from its start; the
    /// fd stays open). `EINVAL` for a negative fd.
    pub fn add_fd(&mut self, fd: RawFd) -> Result<()> {
        self.check_open()?;
        if fd < 0 {
            return Err(Error::INVAL);
        }
        let read = crate::sys::fs::read_all_at(fd);
        self.add_read(read, &format!("fd:{fd}"))
    }

    /// Adds the object in memory at `buf` (`addr` and `len` name it in
    /// messages, as `mem:ADDR+LEN`). `EFAULT` for a missing buffer of a
    /// non-zero length.
    pub fn add_buf(&mut self, buf: Option<&[u8]>, addr: usize, len: usize) -> Result<()> {
        self.check_open()?;
        let name = if addr == 0 { format!("mem:(nil)+{len}") } else { format!("mem:{addr:#x}+{len}") };
        let buf = match buf {
            Some(b) => b,
            None if len == 0 => &[],
            None => {
                pr_warn!("failed to write '{name}': {}", errstr(Error::FAULT));
                return Err(Error::FAULT);
            }
        };
        self.linker.add_bytes(buf, &name)
    }

    /// Links what was added and writes the output; the output file the
    /// linker created is closed. `EINVAL` when already finalised or when
    /// writing fails.
    pub fn finalize(&mut self) -> Result<()> {
        self.check_open()?;
        let bytes = self.linker.finalize()?;
        let out = self.out.take().ok_or(Error::INVAL)?;
        let fd = match &out {
            Output::Owned(fd) => fd.as_raw_fd(),
            Output::Borrowed(fd) => *fd,
        };
        crate::sys::fs::write_all_at(fd, &bytes).map_err(|e| {
            pr_warn!("failed to write ELF contents: {e}");
            Error::INVAL
        })
    }
}
