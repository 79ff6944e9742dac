//! `BPF_BTF_LOAD`: handing raw BTF to the kernel.

use std::os::fd::OwnedFd;

use crate::error::Result;
use crate::impl_attr;
use crate::sys::bpf::{self, cmd};

/// Attributes of `BPF_BTF_LOAD`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BtfLoadAttr {
    /// Address of the raw BTF (header, types, strings).
    pub btf: u64,
    pub btf_log_buf: u64,
    pub btf_size: u32,
    pub btf_log_size: u32,
    pub btf_log_level: u32,
    /// Output: the size the whole log needs.
    pub btf_log_true_size: u32,
    pub btf_flags: u32,
    pub btf_token_fd: i32,
}
impl_attr!(BtfLoadAttr, btf_token_fd: i32);

/// One `BPF_BTF_LOAD`; returns the BTF object fd. `btf_log_true_size` is
/// written back into `attr`.
///
/// # Safety
/// `btf` is readable for `btf_size` bytes, `btf_log_buf` writable for
/// `btf_log_size` bytes.
pub unsafe fn load(attr: &mut BtfLoadAttr) -> Result<OwnedFd> {
    // SAFETY: forwarded contract.
    unsafe { bpf::call_fd(cmd::BPF_BTF_LOAD, attr) }
}

/// Loads `data` with no log: the safe form for Rust callers.
pub fn load_bytes(data: &[u8], btf_flags: u32, token_fd: i32) -> Result<OwnedFd> {
    let mut a = BtfLoadAttr {
        btf: bpf::ptr_to_u64(data.as_ptr()),
        btf_size: u32::try_from(data.len())?,
        btf_flags,
        btf_token_fd: token_fd,
        ..Default::default()
    };
    // SAFETY: `data` is readable for its length; there is no log buffer.
    unsafe { load(&mut a) }
}

const _: () = {
    use crate::sys::bpf::Attr;
    assert!(BtfLoadAttr::SIZE == 40);
};

/// Loads `data` with `log` (if any) as the log buffer at `log_level` (0:
/// no log), `btf_flags` and `token_fd`: the safe form for the BTF core.
/// Returns the fd or the error, and the size the full log needs.
pub fn load_with_log(
    data: &[u8],
    log: Option<&mut [u8]>,
    log_level: u32,
    btf_flags: u32,
    token_fd: i32,
) -> (Result<OwnedFd>, u32) {
    let mut a = BtfLoadAttr {
        btf: bpf::ptr_to_u64(data.as_ptr()),
        btf_size: data.len().min(u32::MAX as usize) as u32,
        btf_flags,
        btf_token_fd: token_fd,
        ..Default::default()
    };
    if let Some(buf) = log.filter(|_| log_level != 0) {
        a.btf_log_buf = bpf::ptr_to_u64(buf.as_mut_ptr());
        a.btf_log_size = buf.len().min(u32::MAX as usize) as u32;
        a.btf_log_level = log_level;
    }
    // SAFETY: `data` is readable for its length, the log buffer (if any)
    // writable for its length; both outlive the call.
    let res = unsafe { load(&mut a) };
    (res, a.btf_log_true_size)
}

/// `BPF_OBJ_GET_INFO_BY_FD` on a BTF object: its info, with up to
/// `data.len()` bytes of its raw BTF copied into `data` when given
/// (`btf_size` in the result is the full size either way).
pub fn info(fd: std::os::fd::BorrowedFd<'_>, data: Option<&mut [u8]>) -> Result<crate::uapi::bpf::bpf_btf_info> {
    use std::os::fd::AsRawFd;
    let mut info = crate::uapi::bpf::bpf_btf_info::default();
    if let Some(buf) = data {
        info.btf = bpf::ptr_to_u64(buf.as_mut_ptr());
        info.btf_size = buf.len().min(u32::MAX as usize) as u32;
    }
    // SAFETY: the only pointer set in `info` is `data`, writable for
    // `btf_size` bytes for the duration of the call.
    unsafe { crate::sys::info::get_info(fd.as_raw_fd(), &mut info) }?;
    Ok(info)
}

/// The name of the BTF object behind `fd` ("vmlinux", a module's name, or
/// empty) and whether it is kernel BTF.
pub fn name_and_kernel_flag(fd: std::os::fd::BorrowedFd<'_>) -> Result<(String, bool)> {
    use std::os::fd::AsRawFd;
    let mut name = [0u8; 64];
    let mut info = crate::uapi::bpf::bpf_btf_info {
        name: bpf::ptr_to_u64(name.as_mut_ptr()),
        name_len: name.len() as u32,
        ..Default::default()
    };
    // SAFETY: the only pointer set in `info` is `name`, writable for
    // `name_len` bytes for the duration of the call.
    unsafe { crate::sys::info::get_info(fd.as_raw_fd(), &mut info) }?;
    let len = name.iter().position(|&b| b == 0).unwrap_or(name.len());
    Ok((String::from_utf8_lossy(&name[..len]).into_owned(), info.kernel_btf != 0))
}
