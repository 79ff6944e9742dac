//! Rust mirrors of the three opts structs whose C definitions hold anonymous
//! unions (`opts.kprobe_multi.cnt`, `opts.replace_fd`, `opts.count`), which
//! cbindgen cannot emit. Their C definitions are hand-written in
//! `include-src/bpf.head.h`; cbindgen never reads this file. The layouts are
//! asserted below, and the C side by the ABI check of `make check`.
#![allow(non_camel_case_types)]

use core::mem::{offset_of, size_of};

use crate::ffi::ctypes::*;
use crate::ffi::opts::Opts;

/// `struct bpf_prog_attach_opts`.
#[repr(C)]
pub struct bpf_prog_attach_opts {
    pub sz: size_t,
    pub flags: __u32,
    /// `replace_prog_fd` and `replace_fd` in C (one union).
    pub replace_fd: c_int,
    pub relative_fd: c_int,
    pub relative_id: __u32,
    pub expected_revision: __u64,
}
// SAFETY: #[repr(C)], starts with `sz`, plain data.
unsafe impl Opts for bpf_prog_attach_opts {
    const NAME: &'static str = "bpf_prog_attach_opts";
    const KNOWN_END: usize = offset_of!(bpf_prog_attach_opts, expected_revision) + 8;
}

/// `struct bpf_prog_query_opts`.
#[repr(C)]
pub struct bpf_prog_query_opts {
    pub sz: size_t,
    pub query_flags: __u32,
    pub attach_flags: __u32,
    pub prog_ids: *mut __u32,
    /// `prog_cnt` and `count` in C (one union).
    pub count: __u32,
    pub prog_attach_flags: *mut __u32,
    pub link_ids: *mut __u32,
    pub link_attach_flags: *mut __u32,
    pub revision: __u64,
}
// SAFETY: #[repr(C)], starts with `sz`, plain data.
unsafe impl Opts for bpf_prog_query_opts {
    const NAME: &'static str = "bpf_prog_query_opts";
    const KNOWN_END: usize = offset_of!(bpf_prog_query_opts, revision) + 8;
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct link_perf_event {
    pub bpf_cookie: __u64,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct link_kprobe_multi {
    pub flags: __u32,
    pub cnt: __u32,
    pub syms: *mut *const c_char,
    pub addrs: *const c_ulong,
    pub cookies: *const __u64,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct link_uprobe_multi {
    pub flags: __u32,
    pub cnt: __u32,
    pub path: *const c_char,
    pub offsets: *const c_ulong,
    pub ref_ctr_offsets: *const c_ulong,
    pub cookies: *const __u64,
    pub pid: __u32,
    pub path_fd: c_int,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct link_tracing {
    pub cookie: __u64,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct link_netfilter {
    pub pf: __u32,
    pub hooknum: __u32,
    pub priority: __s32,
    pub flags: __u32,
}

/// The shape shared by `tcx`, `netkit` and `cgroup`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct link_relative {
    pub relative_fd: __u32,
    pub relative_id: __u32,
    pub expected_revision: __u64,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct link_tracing_multi {
    pub ids: *mut __u32,
    pub cookies: *mut __u64,
    pub cnt: __u32,
}

/// The anonymous union of `struct bpf_link_create_opts`.
#[repr(C)]
#[derive(Clone, Copy)]
pub union link_create_target {
    pub perf_event: link_perf_event,
    pub kprobe_multi: link_kprobe_multi,
    pub uprobe_multi: link_uprobe_multi,
    pub tracing: link_tracing,
    pub netfilter: link_netfilter,
    pub tcx: link_relative,
    pub netkit: link_relative,
    pub cgroup: link_relative,
    pub tracing_multi: link_tracing_multi,
}

/// `struct bpf_link_create_opts`.
#[repr(C)]
pub struct bpf_link_create_opts {
    pub sz: size_t,
    pub flags: __u32,
    pub iter_info: *mut bpf_iter_link_info,
    pub iter_info_len: __u32,
    pub target_btf_id: __u32,
    pub target: link_create_target,
}
// SAFETY: #[repr(C)], starts with `sz`, plain data.
unsafe impl Opts for bpf_link_create_opts {
    const NAME: &'static str = "bpf_link_create_opts";
    const KNOWN_END: usize = offset_of!(bpf_link_create_opts, target) + size_of::<link_uprobe_multi>();
}

// Layouts of libbpf 1.8 on x86-64 (../shared/abi/layouts.tsv).
const _: () = {
    assert!(size_of::<bpf_prog_attach_opts>() == 32);
    assert!(offset_of!(bpf_prog_attach_opts, replace_fd) == 12);
    assert!(offset_of!(bpf_prog_attach_opts, relative_fd) == 16);
    assert!(offset_of!(bpf_prog_attach_opts, relative_id) == 20);
    assert!(offset_of!(bpf_prog_attach_opts, expected_revision) == 24);

    assert!(size_of::<bpf_prog_query_opts>() == 64);
    assert!(offset_of!(bpf_prog_query_opts, prog_ids) == 16);
    assert!(offset_of!(bpf_prog_query_opts, count) == 24);
    assert!(offset_of!(bpf_prog_query_opts, prog_attach_flags) == 32);
    assert!(offset_of!(bpf_prog_query_opts, link_ids) == 40);
    assert!(offset_of!(bpf_prog_query_opts, link_attach_flags) == 48);
    assert!(offset_of!(bpf_prog_query_opts, revision) == 56);

    assert!(size_of::<bpf_link_create_opts>() == 80);
    assert!(offset_of!(bpf_link_create_opts, iter_info) == 16);
    assert!(offset_of!(bpf_link_create_opts, iter_info_len) == 24);
    assert!(offset_of!(bpf_link_create_opts, target_btf_id) == 28);
    assert!(offset_of!(bpf_link_create_opts, target) == 32);
    assert!(size_of::<link_kprobe_multi>() == 32);
    assert!(offset_of!(link_kprobe_multi, cookies) == 24);
    assert!(size_of::<link_uprobe_multi>() == 48);
    assert!(offset_of!(link_uprobe_multi, pid) == 40);
    assert!(offset_of!(link_uprobe_multi, path_fd) == 44);
    assert!(size_of::<link_netfilter>() == 16);
    assert!(size_of::<link_relative>() == 16);
    assert!(offset_of!(link_relative, expected_revision) == 8);
    assert!(size_of::<link_tracing_multi>() == 24);
    assert!(offset_of!(link_tracing_multi, cnt) == 16);
};
