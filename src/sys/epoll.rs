//! `epoll(7)`: one instance per ring buffer or perf buffer manager, waiting
//! on the rings' fds at once.

use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use crate::error::{Error, Result};

/// `EPOLLIN`: data to read (a ring buffer or perf ring has records).
pub const EPOLLIN: u32 = libc::EPOLLIN as u32;
/// `EPOLLOUT`: room to write (the kernel drained a user ring buffer).
pub const EPOLLOUT: u32 = libc::EPOLLOUT as u32;

/// One ready fd as `epoll_wait` reports it: its events and the `u64` of
/// data it was registered with.
pub type Event = libc::epoll_event;

/// An empty event slot for [`Epoll::wait`].
pub const fn empty_event() -> Event {
    libc::epoll_event { events: 0, u64: 0 }
}

/// The `u64` registered with the fd of a reported event.
pub fn event_data(e: &Event) -> u64 {
    e.u64
}

/// An epoll instance (close-on-exec, fd >= 3), closed on drop.
#[derive(Debug)]
pub struct Epoll {
    fd: OwnedFd,
}

impl Epoll {
    /// `epoll_create1(EPOLL_CLOEXEC)`.
    pub fn new() -> Result<Epoll> {
        // SAFETY: no pointers; the result is checked.
        let raw = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
        if raw < 0 {
            return Err(Error::last_os_error());
        }
        Ok(Epoll { fd: crate::sys::fd::adopt(raw)? })
    }

    /// The epoll fd (owned by `self`).
    pub fn raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    /// Watches `fd` for `events`, reporting `data` with it.
    pub fn add(&self, fd: RawFd, events: u32, data: u64) -> Result<()> {
        let mut ev = libc::epoll_event { events, u64: data };
        // SAFETY: `ev` is a valid event for the duration of the call.
        let r = unsafe { libc::epoll_ctl(self.fd.as_raw_fd(), libc::EPOLL_CTL_ADD, fd, &mut ev) };
        if r < 0 {
            return Err(Error::last_os_error());
        }
        Ok(())
    }

    /// Waits up to `timeout_ms` (-1: forever, 0: no wait) for ready fds and
    /// fills the front of `events`; returns how many. An empty slice is
    /// `EINVAL` (as the kernel says for `maxevents == 0`).
    pub fn wait(&self, events: &mut [Event], timeout_ms: i32) -> Result<usize> {
        let max = events.len().min(i32::MAX as usize) as i32;
        // SAFETY: `events` is writable for `max` entries.
        let n = unsafe { libc::epoll_wait(self.fd.as_raw_fd(), events.as_mut_ptr(), max, timeout_ms) };
        if n < 0 {
            return Err(Error::last_os_error());
        }
        Ok(n as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_readiness() {
        let ep = Epoll::new().unwrap();
        assert!(ep.raw_fd() > 2);
        let mut fds = [0; 2];
        // SAFETY: a plain pipe for the test, closed below.
        assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
        ep.add(fds[0], EPOLLIN, 7).unwrap();
        let mut evs = [empty_event(); 2];
        assert_eq!(ep.wait(&mut evs, 0).unwrap(), 0);
        // SAFETY: writes one byte from a valid buffer.
        assert_eq!(unsafe { libc::write(fds[1], b"x".as_ptr().cast(), 1) }, 1);
        assert_eq!(ep.wait(&mut evs, 1000).unwrap(), 1);
        assert_eq!(event_data(&evs[0]), 7);
        assert_eq!(ep.wait(&mut [], 0).unwrap_err(), Error::INVAL);
        assert_eq!(ep.add(-1, EPOLLIN, 0).unwrap_err(), Error::BAD_FD);
        // SAFETY: closes the fds this test opened.
        unsafe {
            libc::close(fds[0]);
            libc::close(fds[1]);
        }
    }
}
