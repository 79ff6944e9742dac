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
