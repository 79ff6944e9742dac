//! Netlink sockets: `socket(AF_NETLINK)`, bind, send and whole-datagram
//! receive. The protocol logic is in `crate::netlink`.

use std::os::fd::{AsRawFd, OwnedFd};

use crate::error::{code, Error, Result};
use crate::uapi::netlink::{NETLINK_EXT_ACK, SOL_NETLINK};

/// A bound netlink socket (close-on-exec, fd >= 3), closed on drop.
#[derive(Debug)]
pub struct Socket {
    fd: OwnedFd,
    pid: u32,
    ext_ack: bool,
    buf: Vec<u8>,
}

impl Socket {
    /// Opens a socket of netlink protocol `proto`, asks for extended
    /// acknowledgements (see [`Socket::ext_ack`]), binds it and reads back
    /// the port id the kernel chose. An address of unexpected size is
    /// `LIBBPF_ERRNO__INTERNAL`.
    pub fn open(proto: i32) -> Result<Socket> {
        // SAFETY: no pointers; the result is checked.
        let raw = unsafe { libc::socket(libc::AF_NETLINK, libc::SOCK_RAW | libc::SOCK_CLOEXEC, proto) };
        if raw < 0 {
            return Err(Error::last_os_error());
        }
        let fd = crate::sys::fd::adopt(raw)?;
        let one: libc::c_int = 1;
        // SAFETY: `one` is a valid int option value for the call.
        let ext_ack = unsafe {
            libc::setsockopt(
                fd.as_raw_fd(),
                SOL_NETLINK,
                NETLINK_EXT_ACK,
                (&one as *const libc::c_int).cast(),
                core::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        } == 0;
        // SAFETY: an all-zero sockaddr_nl is valid.
        let mut sa: libc::sockaddr_nl = unsafe { core::mem::zeroed() };
        sa.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        let size = core::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        // SAFETY: `sa` is a valid sockaddr_nl of `size` bytes.
        if unsafe { libc::bind(fd.as_raw_fd(), (&sa as *const libc::sockaddr_nl).cast(), size) } < 0 {
            return Err(Error::last_os_error());
        }
        let mut len = size;
        // SAFETY: `sa` is writable for `len` bytes; `len` is updated.
        if unsafe { libc::getsockname(fd.as_raw_fd(), (&mut sa as *mut libc::sockaddr_nl).cast(), &mut len) } < 0 {
            return Err(Error::last_os_error());
        }
        if len != size {
            return Err(Error::new(code::INTERNAL));
        }
        Ok(Socket { fd, pid: sa.nl_pid, ext_ack, buf: vec![0; 4096] })
    }

    /// The port id replies are addressed to.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Whether the kernel accepted `NETLINK_EXT_ACK` (error texts in ACKs).
    pub fn ext_ack(&self) -> bool {
        self.ext_ack
    }

    /// Sends one message to the kernel.
    pub fn send(&self, bytes: &[u8]) -> Result<()> {
        // SAFETY: `bytes` is a valid buffer of its length.
        let n = unsafe { libc::send(self.fd.as_raw_fd(), bytes.as_ptr().cast(), bytes.len(), 0) };
        if n < 0 {
            return Err(Error::last_os_error());
        }
        Ok(())
    }

    /// `recv(2)` into our buffer, retried on `EINTR`/`EAGAIN`.
    fn recv_flags(&mut self, flags: libc::c_int) -> Result<usize> {
        loop {
            // SAFETY: `buf` is writable for its length.
            let n = unsafe { libc::recv(self.fd.as_raw_fd(), self.buf.as_mut_ptr().cast(), self.buf.len(), flags) };
            if n >= 0 {
                return Ok(n as usize);
            }
            let e = Error::last_os_error();
            if e.errno() != libc::EINTR && e.errno() != libc::EAGAIN {
                return Err(e);
            }
        }
    }

    /// Receives the next datagram whole: its size is peeked first and the
    /// buffer grown to fit, so nothing is ever truncated.
    pub fn recv(&mut self) -> Result<Vec<u8>> {
        let want = self.recv_flags(libc::MSG_PEEK | libc::MSG_TRUNC)?;
        if want > self.buf.len() {
            self.buf.resize(want, 0);
        }
        let n = self.recv_flags(0)?;
        Ok(self.buf[..n.min(self.buf.len())].to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_binds_a_port() {
        let s = Socket::open(crate::uapi::netlink::NETLINK_ROUTE).unwrap();
        assert!(s.fd.as_raw_fd() > 2);
        assert_ne!(s.pid(), 0);
        assert!(s.ext_ack());
        assert_eq!(Socket::open(1000).err(), Some(Error::new(libc::EPROTONOSUPPORT)));
    }
}
