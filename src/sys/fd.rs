//! File descriptors: every fd oxbpf creates is `O_CLOEXEC`, never 0, 1 or 2,
//! and owned by exactly one value that closes it when dropped.

use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};

use crate::error::{Error, Result};

/// Takes ownership of a freshly created fd (`raw` >= 0, already close-on-exec),
/// moving it to 3 or above when it landed on stdin, stdout or stderr (which
/// happens when a program closed them).
pub fn adopt(raw: RawFd) -> Result<OwnedFd> {
    if raw < 0 {
        return Err(Error::BAD_FD);
    }
    // SAFETY: the caller hands over a fd it just created and owns.
    let fd = unsafe { OwnedFd::from_raw_fd(raw) };
    if raw > 2 {
        return Ok(fd);
    }
    // SAFETY: F_DUPFD_CLOEXEC on a valid fd; the result is checked.
    let moved = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 3) };
    if moved < 0 {
        return Err(Error::last_os_error());
    }
    drop(fd);
    // SAFETY: `moved` is a new fd we own.
    Ok(unsafe { OwnedFd::from_raw_fd(moved) })
}

/// Hands an owned fd over to C (the caller becomes responsible for closing it).
pub fn release(fd: OwnedFd) -> RawFd {
    fd.into_raw_fd()
}

/// Takes ownership of an fd handed over by the application (a perf event
/// fd given to an attach call): it is closed when the owner drops it. The
/// caller guarantees the fd is open and no longer used by anyone else.
pub fn own(raw: RawFd) -> Result<OwnedFd> {
    if raw < 0 {
        return Err(Error::BAD_FD);
    }
    // SAFETY: per the contract, ownership of `raw` is handed over.
    Ok(unsafe { OwnedFd::from_raw_fd(raw) })
}

/// Closes an fd and reports `close(2)`'s error (dropping an `OwnedFd`
/// ignores it).
pub fn close(fd: OwnedFd) -> Result<()> {
    let raw = fd.into_raw_fd();
    // SAFETY: `raw` was owned by `fd` and is not used again.
    if unsafe { libc::close(raw) } < 0 {
        return Err(Error::last_os_error());
    }
    Ok(())
}

/// Closes a raw fd that a handle owns as a plain number (as libbpf's
/// `btf->fd`); errors are ignored, as `close()` results are.
pub fn close_raw(fd: RawFd) {
    if fd >= 0 {
        // SAFETY: the caller owns `fd` and never uses it again.
        unsafe { libc::close(fd) };
    }
}

/// Duplicates `fd` (close-on-exec, >= 3).
pub fn dup(fd: RawFd) -> Result<OwnedFd> {
    // SAFETY: fcntl on a caller-provided fd; the result is checked.
    let new = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 3) };
    if new < 0 {
        return Err(Error::last_os_error());
    }
    adopt(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_fds_are_moved_up() {
        // SAFETY: plain libc calls on fds this test owns.
        unsafe {
            let saved = libc::fcntl(0, libc::F_DUPFD_CLOEXEC, 10);
            assert!(saved >= 10);
            libc::close(0);
            let fd = libc::open(c"/dev/null".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC);
            assert_eq!(fd, 0);
            let owned = adopt(fd).unwrap();
            assert!(owned.as_raw_fd() >= 3);
            assert!(libc::fcntl(owned.as_raw_fd(), libc::F_GETFD) & libc::FD_CLOEXEC != 0);
            libc::dup2(saved, 0);
            libc::close(saved);
        }
    }
}
