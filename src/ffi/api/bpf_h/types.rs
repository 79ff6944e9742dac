//! Types of `bpf.h`: the opts structs of the low-level syscall API.
#![allow(non_camel_case_types)]

use crate::ffi::ctypes::*;
use crate::impl_opts;

/// Where the kernel writes a log (used by `struct bpf_map_create_opts`).
#[repr(C)]
pub struct bpf_log_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Log buffer.
    pub buf: *mut c_char,
    /// Size of `buf`.
    pub size: __u32,
    /// Log level.
    pub level: __u32,
    /// Output: the size the full log needs.
    pub true_size: __u32,
}
impl_opts!(bpf_log_opts, true_size: __u32);

/// Options of `bpf_map_create()`.
#[repr(C)]
pub struct bpf_map_create_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// BTF object holding the key and value types.
    pub btf_fd: __u32,
    pub btf_key_type_id: __u32,
    pub btf_value_type_id: __u32,
    /// Kernel BTF type of a struct_ops map's value.
    pub btf_vmlinux_value_type_id: __u32,
    /// Template inner map of a map-in-map.
    pub inner_map_fd: __u32,
    /// `BPF_F_*` map flags.
    pub map_flags: __u32,
    /// Extra per-type attribute (bloom filter hashes, arena address).
    pub map_extra: __u64,
    /// NUMA node (with `BPF_F_NUMA_NODE`).
    pub numa_node: __u32,
    /// Device to offload the map to.
    pub map_ifindex: __u32,
    /// Module BTF fd holding `btf_vmlinux_value_type_id`.
    pub value_type_btf_obj_fd: __s32,
    /// BPF token fd.
    pub token_fd: __u32,
    /// Hash of the only program allowed to use the map.
    pub excl_prog_hash: *const c_void,
    /// Size of `excl_prog_hash`.
    pub excl_prog_hash_size: __u32,
    /// Where the kernel writes its log about this map.
    pub log_opts: *mut bpf_log_opts,
}
impl_opts!(bpf_map_create_opts, log_opts: *mut bpf_log_opts);

/// Options of `bpf_prog_load()`.
#[repr(C)]
pub struct bpf_prog_load_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Retries on `EAGAIN` (default 5).
    pub attempts: c_int,
    pub expected_attach_type: enum_bpf_attach_type,
    pub prog_btf_fd: __u32,
    pub prog_flags: __u32,
    pub prog_ifindex: __u32,
    pub kern_version: __u32,
    pub attach_btf_id: __u32,
    pub attach_prog_fd: __u32,
    pub attach_btf_obj_fd: __u32,
    /// Map and BTF fds the instructions refer to by index.
    pub fd_array: *const c_int,
    pub func_info: *const c_void,
    pub func_info_cnt: __u32,
    pub func_info_rec_size: __u32,
    pub line_info: *const c_void,
    pub line_info_cnt: __u32,
    pub line_info_rec_size: __u32,
    /// Verifier log level; with no `log_buf`, the log is only requested on failure.
    pub log_level: __u32,
    pub log_size: __u32,
    pub log_buf: *mut c_char,
    /// Output: the log size the full verifier log needs.
    pub log_true_size: __u32,
    pub token_fd: __u32,
    /// Number of entries in `fd_array`.
    pub fd_array_cnt: __u32,
}
impl_opts!(bpf_prog_load_opts, fd_array_cnt: __u32);

/// Options of `bpf_btf_load()`.
#[repr(C)]
pub struct bpf_btf_load_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    pub log_buf: *mut c_char,
    pub log_level: __u32,
    pub log_size: __u32,
    /// Output: the log size the full log needs.
    pub log_true_size: __u32,
    pub btf_flags: __u32,
    pub token_fd: __u32,
}
impl_opts!(bpf_btf_load_opts, token_fd: __u32);

/// Options of the batch map operations.
#[repr(C)]
pub struct bpf_map_batch_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    pub elem_flags: __u64,
    pub flags: __u64,
}
impl_opts!(bpf_map_batch_opts, flags: __u64);

/// Options of `bpf_obj_pin_opts()`.
#[repr(C)]
pub struct bpf_obj_pin_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    pub file_flags: __u32,
    /// Directory fd the path is relative to (with `BPF_F_PATH_FD`).
    pub path_fd: c_int,
}
impl_opts!(bpf_obj_pin_opts, path_fd: c_int);

/// Options of `bpf_obj_get_opts()`.
#[repr(C)]
pub struct bpf_obj_get_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// `BPF_F_RDONLY` or `BPF_F_WRONLY`.
    pub file_flags: __u32,
    /// Directory fd the path is relative to (with `BPF_F_PATH_FD`).
    pub path_fd: c_int,
}
impl_opts!(bpf_obj_get_opts, path_fd: c_int);

/// Options of `bpf_prog_detach_opts()`.
#[repr(C)]
pub struct bpf_prog_detach_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    pub flags: __u32,
    pub relative_fd: c_int,
    pub relative_id: __u32,
    pub expected_revision: __u64,
}
impl_opts!(bpf_prog_detach_opts, expected_revision: __u64);

/// Options of `bpf_link_update()`.
#[repr(C)]
pub struct bpf_link_update_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Extra flags (`BPF_F_REPLACE`).
    pub flags: __u32,
    /// Expected current program.
    pub old_prog_fd: __u32,
    /// Expected current map (struct_ops links).
    pub old_map_fd: __u32,
}
impl_opts!(bpf_link_update_opts, old_map_fd: __u32);

/// The pre-1.0 test-run description (kept for source compatibility).
#[repr(C)]
pub struct bpf_prog_test_run_attr {
    pub prog_fd: c_int,
    pub repeat: c_int,
    pub data_in: *const c_void,
    pub data_size_in: __u32,
    pub data_out: *mut c_void,
    pub data_size_out: __u32,
    pub retval: __u32,
    pub duration: __u32,
    pub ctx_in: *const c_void,
    pub ctx_size_in: __u32,
    pub ctx_out: *mut c_void,
    pub ctx_size_out: __u32,
}

/// Options of the `bpf_*_get_fd_by_id_opts()` functions.
#[repr(C)]
pub struct bpf_get_fd_by_id_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// `BPF_F_RDONLY` or `BPF_F_WRONLY`.
    pub open_flags: __u32,
    pub token_fd: __u32,
}
impl_opts!(bpf_get_fd_by_id_opts, token_fd: __u32);

/// Options of `bpf_raw_tracepoint_open_opts()`.
#[repr(C)]
pub struct bpf_raw_tp_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    pub tp_name: *const c_char,
    pub cookie: __u64,
}
impl_opts!(bpf_raw_tp_opts, cookie: __u64);

/// Options of `bpf_prog_bind_map()`.
#[repr(C)]
pub struct bpf_prog_bind_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    pub flags: __u32,
}
impl_opts!(bpf_prog_bind_opts, flags: __u32);

/// In and out parameters of `bpf_prog_test_run_opts()`.
#[repr(C)]
pub struct bpf_test_run_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    pub data_in: *const c_void,
    /// Optional output buffer for the packet.
    pub data_out: *mut c_void,
    pub data_size_in: __u32,
    /// In: size of `data_out`; out: bytes the program's output needed.
    pub data_size_out: __u32,
    pub ctx_in: *const c_void,
    pub ctx_out: *mut c_void,
    pub ctx_size_in: __u32,
    /// In: size of `ctx_out`; out: bytes written.
    pub ctx_size_out: __u32,
    /// Output: the program's return value.
    pub retval: __u32,
    pub repeat: c_int,
    /// Output: average run time per repetition, in ns.
    pub duration: __u32,
    pub flags: __u32,
    pub cpu: __u32,
    pub batch_size: __u32,
}
impl_opts!(bpf_test_run_opts, batch_size: __u32);

/// Options of `bpf_token_create()`.
#[repr(C)]
pub struct bpf_token_create_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    pub flags: __u32,
}
impl_opts!(bpf_token_create_opts, flags: __u32);

/// Options of `bpf_prog_stream_read()`.
#[repr(C)]
pub struct bpf_prog_stream_read_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
}
impl_opts!(bpf_prog_stream_read_opts, sz: size_t);

/// Options of `bpf_prog_assoc_struct_ops()`.
#[repr(C)]
pub struct bpf_prog_assoc_struct_ops_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    pub flags: __u32,
}
impl_opts!(bpf_prog_assoc_struct_ops_opts, flags: __u32);
