//! Program commands of `bpf(2)`: load, test run, map binding, attach and
//! detach to a target fd, query, stream read, struct_ops association.
//!
//! These are single syscalls with no policy; the libbpf behaviour around
//! loading (retries, log handling) is in `crate::bpf_api::prog`.

use std::os::fd::{OwnedFd, RawFd};

use crate::error::Result;
use crate::impl_attr;
use crate::sys::bpf::{self, cmd};

/// Attributes of `BPF_PROG_LOAD`, up to `fd_array_cnt` (6.13+).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProgLoadAttr {
    /// `enum bpf_prog_type`.
    pub prog_type: u32,
    pub insn_cnt: u32,
    /// Address of `insn_cnt` `struct bpf_insn`.
    pub insns: u64,
    /// Address of a NUL-terminated license string.
    pub license: u64,
    /// Verifier log level (0: no log).
    pub log_level: u32,
    pub log_size: u32,
    /// Address of the log buffer (`log_size` bytes).
    pub log_buf: u64,
    pub kern_version: u32,
    /// `BPF_F_*` load flags.
    pub prog_flags: u32,
    pub prog_name: [u8; 16],
    pub prog_ifindex: u32,
    pub expected_attach_type: u32,
    pub prog_btf_fd: u32,
    pub func_info_rec_size: u32,
    pub func_info: u64,
    pub func_info_cnt: u32,
    pub line_info_rec_size: u32,
    pub line_info: u64,
    pub line_info_cnt: u32,
    pub attach_btf_id: u32,
    /// `attach_prog_fd` or `attach_btf_obj_fd` (one union in the kernel).
    pub attach_prog_fd: u32,
    pub core_relo_cnt: u32,
    pub fd_array: u64,
    pub core_relos: u64,
    pub core_relo_rec_size: u32,
    /// Output: the size the whole verifier log needs.
    pub log_true_size: u32,
    pub prog_token_fd: i32,
    pub fd_array_cnt: u32,
}
impl_attr!(ProgLoadAttr, fd_array_cnt: u32);

impl ProgLoadAttr {
    /// Copies `name` into `prog_name` (at most 15 bytes and a NUL).
    pub fn set_name(&mut self, name: &[u8]) {
        self.prog_name = [0; 16];
        let n = name.iter().position(|&b| b == 0).unwrap_or(name.len()).min(15);
        self.prog_name[..n].copy_from_slice(&name[..n]);
    }
}

/// One `BPF_PROG_LOAD`. Returns the program fd; the kernel writes
/// `log_true_size` (and, on `E2BIG`, the record sizes it expects) back into
/// `attr`.
///
/// # Safety
/// Every address in `attr` is valid for the sizes its companion fields give.
pub unsafe fn load(attr: &mut ProgLoadAttr) -> Result<OwnedFd> {
    // SAFETY: forwarded contract.
    unsafe { bpf::call_fd(cmd::BPF_PROG_LOAD, attr) }
}

/// Attributes of `BPF_PROG_TEST_RUN` (`attr.test`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TestRunAttr {
    pub prog_fd: u32,
    /// Output: the program's return value.
    pub retval: u32,
    pub data_size_in: u32,
    /// In: room in `data_out`; out: size of the output packet.
    pub data_size_out: u32,
    pub data_in: u64,
    pub data_out: u64,
    pub repeat: u32,
    /// Output: mean run time in ns.
    pub duration: u32,
    pub ctx_size_in: u32,
    /// In: room in `ctx_out`; out: size of the output context.
    pub ctx_size_out: u32,
    pub ctx_in: u64,
    pub ctx_out: u64,
    pub flags: u32,
    pub cpu: u32,
    pub batch_size: u32,
}
impl_attr!(TestRunAttr);

/// Runs a program on test input (`BPF_PROG_TEST_RUN`); outputs are written
/// back into `attr` even when the call fails (`ENOSPC`: output truncated).
///
/// # Safety
/// Input buffers are readable and output buffers writable for the sizes given.
pub unsafe fn test_run(attr: &mut TestRunAttr) -> Result<()> {
    // SAFETY: forwarded contract.
    unsafe { bpf::call(cmd::BPF_PROG_TEST_RUN, attr) }.map(drop)
}

/// Attributes of `BPF_PROG_BIND_MAP`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BindMapAttr {
    pub prog_fd: u32,
    pub map_fd: u32,
    pub flags: u32,
}
impl_attr!(BindMapAttr);

/// Keeps `map_fd` alive as long as the program (as if it used it).
pub fn bind_map(prog_fd: RawFd, map_fd: RawFd, flags: u32) -> Result<()> {
    let mut a = BindMapAttr { prog_fd: prog_fd as u32, map_fd: map_fd as u32, flags };
    // SAFETY: no pointers.
    unsafe { bpf::call(cmd::BPF_PROG_BIND_MAP, &mut a) }.map(drop)
}

/// Attributes of `BPF_PROG_ATTACH` and `BPF_PROG_DETACH`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AttachAttr {
    /// Target fd (cgroup, map, netns) or ifindex (tcx).
    pub target_fd: u32,
    pub attach_bpf_fd: u32,
    pub attach_type: u32,
    pub attach_flags: u32,
    /// Program to replace (`BPF_F_REPLACE`).
    pub replace_bpf_fd: u32,
    /// `relative_fd`, or `relative_id` with `BPF_F_ID`.
    pub relative_fd: u32,
    /// mprog revision the caller expects (0: any).
    pub expected_revision: u64,
}
impl_attr!(AttachAttr, expected_revision: u64);

/// Attaches a program to a target (`BPF_PROG_ATTACH`).
pub fn attach(attr: &AttachAttr) -> Result<()> {
    let mut a = *attr;
    // SAFETY: no pointers.
    unsafe { bpf::call(cmd::BPF_PROG_ATTACH, &mut a) }.map(drop)
}

/// Detaches a program from a target (`BPF_PROG_DETACH`).
pub fn detach(attr: &AttachAttr) -> Result<()> {
    let mut a = *attr;
    // SAFETY: no pointers.
    unsafe { bpf::call(cmd::BPF_PROG_DETACH, &mut a) }.map(drop)
}

/// Attributes of `BPF_PROG_QUERY` (`attr.query`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueryAttr {
    pub target_fd: u32,
    pub attach_type: u32,
    pub query_flags: u32,
    /// Output: the attach flags of the target.
    pub attach_flags: u32,
    pub prog_ids: u64,
    /// In: room in the arrays; out: programs attached.
    pub count: u32,
    pub _pad: u32,
    pub prog_attach_flags: u64,
    pub link_ids: u64,
    pub link_attach_flags: u64,
    /// Output: the mprog revision.
    pub revision: u64,
}
impl_attr!(QueryAttr);

/// Lists the programs attached to a target. Outputs are written back into
/// `attr` (also on `ENOSPC`, when the arrays were too small).
///
/// # Safety
/// Each non-NULL array is writable for `attr.count` `u32`s.
pub unsafe fn query(attr: &mut QueryAttr) -> Result<()> {
    // SAFETY: forwarded contract.
    unsafe { bpf::call(cmd::BPF_PROG_QUERY, attr) }.map(drop)
}

/// Attributes of `BPF_PROG_STREAM_READ_BY_FD`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StreamReadAttr {
    pub stream_buf: u64,
    pub stream_buf_len: u32,
    pub stream_id: u32,
    pub prog_fd: u32,
}
impl_attr!(StreamReadAttr);

/// Reads from a program's BPF stream (`BPF_STREAM_STDOUT`/`STDERR`).
/// Returns the number of bytes read.
///
/// # Safety
/// `buf` is writable for `len` bytes.
pub unsafe fn stream_read(prog_fd: RawFd, stream_id: u32, buf: *mut u8, len: u32) -> Result<usize> {
    let mut a = StreamReadAttr {
        stream_buf: bpf::ptr_to_u64(buf),
        stream_buf_len: len,
        stream_id,
        prog_fd: prog_fd as u32,
    };
    // SAFETY: forwarded contract.
    unsafe { bpf::call(cmd::BPF_PROG_STREAM_READ_BY_FD, &mut a) }.map(|n| n as usize)
}

/// Attributes of `BPF_PROG_ASSOC_STRUCT_OPS`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AssocStructOpsAttr {
    pub map_fd: u32,
    pub prog_fd: u32,
    pub flags: u32,
}
impl_attr!(AssocStructOpsAttr);

/// Associates a program with a struct_ops map (kernels after 6.18).
pub fn assoc_struct_ops(prog_fd: RawFd, map_fd: RawFd, flags: u32) -> Result<()> {
    let mut a = AssocStructOpsAttr { map_fd: map_fd as u32, prog_fd: prog_fd as u32, flags };
    // SAFETY: no pointers.
    unsafe { bpf::call(cmd::BPF_PROG_ASSOC_STRUCT_OPS, &mut a) }.map(drop)
}

const _: () = {
    use core::mem::offset_of;
    use crate::sys::bpf::Attr;
    assert!(offset_of!(ProgLoadAttr, prog_name) == 48);
    assert!(offset_of!(ProgLoadAttr, func_info) == 80);
    assert!(offset_of!(ProgLoadAttr, attach_prog_fd) == 112);
    assert!(offset_of!(ProgLoadAttr, fd_array) == 120);
    assert!(offset_of!(ProgLoadAttr, log_true_size) == 140);
    assert!(ProgLoadAttr::SIZE == 152);
    assert!(TestRunAttr::SIZE == 80);
    assert!(offset_of!(TestRunAttr, ctx_out) == 56);
    assert!(AttachAttr::SIZE == 32);
    assert!(QueryAttr::SIZE == 64);
    assert!(offset_of!(QueryAttr, revision) == 56);
    assert!(StreamReadAttr::SIZE == 24);
    assert!(BindMapAttr::SIZE == 12);
};
