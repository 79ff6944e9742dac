//! `bpf(2)` commands on BTF objects: load, open by id, query info.

use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd};

use super::bpf::{bpf, bpf_fd, cmd, ptr_to_u64};
use crate::error::Result;

/// `union bpf_attr` for `BPF_BTF_LOAD`.
#[repr(C)]
#[derive(Default)]
struct BtfLoadAttr {
    btf: u64,
    btf_log_buf: u64,
    btf_size: u32,
    btf_log_size: u32,
    btf_log_level: u32,
    btf_log_true_size: u32,
    btf_flags: u32,
    btf_token_fd: u32,
}

/// What to load and how.
#[derive(Default)]
pub struct LoadOpts<'a> {
    /// Verifier log buffer (NUL-terminated by the kernel).
    pub log: Option<&'a mut [u8]>,
    pub log_level: u32,
    /// `BPF_F_TOKEN_FD` and friends.
    pub flags: u32,
    pub token_fd: i32,
    /// Set to the size the full log needs (when the kernel reports it).
    pub log_true_size: u32,
}

/// `BPF_BTF_LOAD`: loads raw BTF, returning the new BTF object's fd.
pub fn load(data: &[u8], opts: &mut LoadOpts<'_>) -> Result<OwnedFd> {
    let mut attr = BtfLoadAttr {
        btf: ptr_to_u64(data.as_ptr()),
        btf_size: data.len() as u32,
        btf_flags: opts.flags,
        btf_token_fd: opts.token_fd as u32,
        ..Default::default()
    };
    if let Some(log) = opts.log.as_deref_mut() {
        attr.btf_log_buf = ptr_to_u64(log.as_mut_ptr());
        attr.btf_log_size = log.len().min(u32::MAX as usize) as u32;
        attr.btf_log_level = opts.log_level;
    }
    let res = bpf_fd(cmd::BPF_BTF_LOAD, &mut attr);
    opts.log_true_size = attr.btf_log_true_size;
    res
}

/// `union bpf_attr` for `BPF_BTF_GET_FD_BY_ID`.
#[repr(C)]
#[derive(Default)]
struct GetFdByIdAttr {
    id: u32,
    next_id: u32,
    open_flags: u32,
}

/// `BPF_BTF_GET_FD_BY_ID`: opens the kernel BTF object `id`.
pub fn get_fd_by_id(id: u32) -> Result<OwnedFd> {
    let mut attr = GetFdByIdAttr { id, ..Default::default() };
    bpf_fd(cmd::BPF_BTF_GET_FD_BY_ID, &mut attr)
}

/// `union bpf_attr` for `BPF_OBJ_GET_INFO_BY_FD`.
#[repr(C)]
#[derive(Default)]
struct InfoAttr {
    bpf_fd: u32,
    info_len: u32,
    info: u64,
}

/// `struct bpf_btf_info`.
#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, Default)]
pub struct BtfInfo {
    pub btf: u64,
    pub btf_size: u32,
    pub id: u32,
    pub name: u64,
    pub name_len: u32,
    pub kernel_btf: u32,
}

/// `BPF_OBJ_GET_INFO_BY_FD` on a BTF fd. When `data` is given, the kernel
/// copies up to its length of raw BTF into it; `info.btf_size` is the full
/// size either way.
pub fn get_info(fd: BorrowedFd<'_>, data: Option<&mut [u8]>) -> Result<BtfInfo> {
    let mut info = BtfInfo::default();
    if let Some(buf) = data {
        info.btf = ptr_to_u64(buf.as_mut_ptr());
        info.btf_size = buf.len().min(u32::MAX as usize) as u32;
    }
    let mut attr = InfoAttr {
        bpf_fd: fd.as_raw_fd() as u32,
        info_len: core::mem::size_of::<BtfInfo>() as u32,
        info: ptr_to_u64(&mut info as *mut BtfInfo),
    };
    bpf(cmd::BPF_OBJ_GET_INFO_BY_FD, &mut attr)?;
    Ok(info)
}
