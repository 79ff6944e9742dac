//! BTF and the kernel: loading BTF into it, reading BTF objects back.

use std::os::fd::{AsFd, BorrowedFd};
use std::sync::Arc;

use super::data::Btf;
use crate::error::{Error, Result};
use crate::sys;

/// Size of the log buffer first tried when a load fails (libbpf's
/// `BPF_LOG_BUF_SIZE`).
pub const LOG_BUF_SIZE: usize = (u32::MAX >> 8) as usize;

/// How to load BTF (see [`Btf::load_into_kernel_with`]).
#[derive(Default)]
pub struct LoadOptions<'a> {
    /// A caller's log buffer; without one, a failed load is retried with
    /// growing buffers of our own and the log is printed as a warning.
    pub log_buf: Option<&'a mut [u8]>,
    /// Log level; 0 asks for a log only if the load fails.
    pub log_level: u32,
    /// A BPF token fd (0: none).
    pub token_fd: i32,
}

/// `BPF_F_TOKEN_FD`.
const BPF_F_TOKEN_FD: u32 = 1 << 16;

impl Btf {
    /// Loads this BTF (native byte order) into the kernel and keeps the fd
    /// (closed on drop; see [`Btf::fd`]). `EEXIST` when already loaded; the
    /// kernel's errno on failure, after which the verifier log is printed
    /// as a warning.
    pub fn load_into_kernel(&mut self) -> Result<()> {
        self.load_into_kernel_with(LoadOptions::default())
    }

    /// [`Btf::load_into_kernel`] with a caller's log buffer and level, and
    /// an optional token. A load at level 0 that fails is retried at level 1
    /// to obtain the log; our own log buffers double while the kernel says
    /// `ENOSPC`; a caller's buffer is filled but never printed.
    pub fn load_into_kernel_with(&mut self, opts: LoadOptions<'_>) -> Result<()> {
        if self.fd >= 0 {
            return Err(Error::EXIST);
        }
        let LoadOptions { mut log_buf, mut log_level, token_fd } = opts;
        crate::bpf_api::memlock::bump().ok();
        let raw = self.raw_data_native();
        let mut own: Vec<u8> = Vec::new();
        let flags = if token_fd != 0 { BPF_F_TOKEN_FD } else { 0 };
        let res = loop {
            let log: Option<&mut [u8]> = if log_level == 0 {
                None
            } else if let Some(buf) = log_buf.as_deref_mut() {
                Some(buf)
            } else {
                let size = if own.is_empty() { LOG_BUF_SIZE } else { own.len() * 2 };
                own = vec![0u8; size];
                Some(&mut own[..])
            };
            match sys::btf::load_with_log(raw, log, log_level, flags, token_fd).0 {
                Ok(fd) => break Ok(fd),
                Err(_) if log_level == 0 => log_level = 1,
                Err(e) if log_buf.is_none() && e.errno() == libc::ENOSPC && own.len() <= (u32::MAX / 2) as usize => {}
                Err(e) => break Err(e),
            }
        };
        match res {
            Ok(fd) => {
                self.fd = sys::fd::release(fd);
                Ok(())
            }
            Err(e) => {
                pr_warn!("BTF loading error: {} ({e})", e.neg());
                let end = own.iter().position(|&b| b == 0).unwrap_or(own.len());
                if log_buf.is_none() && end > 0 {
                    let log = String::from_utf8_lossy(&own[..end]);
                    crate::log::print_raw(
                        crate::log::Level::Warn,
                        &format!("libbpf: -- BEGIN BTF LOAD LOG ---\n{log}\n-- END BTF LOAD LOG --\n"),
                    );
                }
                Err(e)
            }
        }
    }

    /// Reads the BTF of the kernel object behind `fd` (split on `base`).
    pub fn from_kernel_fd(fd: BorrowedFd<'_>, base: Option<Arc<Btf>>) -> Result<Btf> {
        let info = sys::btf::info(fd, None)?;
        let mut size = info.btf_size as usize;
        loop {
            let mut buf = vec![0u8; size];
            let info = sys::btf::info(fd, Some(&mut buf))?;
            if info.btf_size as usize <= size {
                buf.truncate(info.btf_size as usize);
                return Btf::parse_maybe_split(&buf, base);
            }
            // It grew in between (cannot really happen): try again.
            size = info.btf_size as usize;
        }
    }

    /// Reads kernel BTF object `id` (split on `base`, as module BTF is on
    /// vmlinux). The fd used is not kept.
    pub fn load_from_kernel_by_id(id: u32, base: Option<Arc<Btf>>) -> Result<Btf> {
        let fd = sys::obj::fd_by_id(sys::obj::IdKind::Btf, id, 0, 0)?;
        Btf::from_kernel_fd(fd.as_fd(), base)
    }

    fn parse_maybe_split(data: &[u8], base: Option<Arc<Btf>>) -> Result<Btf> {
        match base {
            Some(b) => Btf::parse_split(data, b),
            None => Btf::parse(data),
        }
    }
}
