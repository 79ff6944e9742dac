//! Attaching programs (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::ffi::ctypes::*;
use crate::not_implemented;
use crate::ffi::api::libbpf_h::types::*;

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach(prog: *const bpf_program) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_cgroup(prog: *const bpf_program, cgroup_fd: c_int) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_cgroup_opts(prog: *const bpf_program, cgroup_fd: c_int, opts: *const bpf_cgroup_opts) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_freplace(prog: *const bpf_program, target_fd: c_int, attach_func_name: *const c_char) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_iter(prog: *const bpf_program, opts: *const bpf_iter_attach_opts) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_kprobe(prog: *const bpf_program, retprobe: bool, func_name: *const c_char) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_kprobe_multi_opts(prog: *const bpf_program, pattern: *const c_char, opts: *const bpf_kprobe_multi_opts) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_kprobe_opts(prog: *const bpf_program, func_name: *const c_char, opts: *const bpf_kprobe_opts) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_ksyscall(prog: *const bpf_program, syscall_name: *const c_char, opts: *const bpf_ksyscall_opts) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_lsm(prog: *const bpf_program) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_netfilter(prog: *const bpf_program, opts: *const bpf_netfilter_opts) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_netkit(prog: *const bpf_program, ifindex: c_int, opts: *const bpf_netkit_opts) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_netns(prog: *const bpf_program, netns_fd: c_int) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_perf_event(prog: *const bpf_program, pfd: c_int) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_perf_event_opts(prog: *const bpf_program, pfd: c_int, opts: *const bpf_perf_event_opts) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_raw_tracepoint(prog: *const bpf_program, tp_name: *const c_char) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_raw_tracepoint_opts(prog: *const bpf_program, tp_name: *const c_char, opts: *mut bpf_raw_tracepoint_opts) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_sockmap(prog: *const bpf_program, map_fd: c_int) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_tcx(prog: *const bpf_program, ifindex: c_int, opts: *const bpf_tcx_opts) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_trace(prog: *const bpf_program) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_trace_opts(prog: *const bpf_program, opts: *const bpf_trace_opts) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_tracepoint(prog: *const bpf_program, tp_category: *const c_char, tp_name: *const c_char) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_tracepoint_opts(prog: *const bpf_program, tp_category: *const c_char, tp_name: *const c_char, opts: *const bpf_tracepoint_opts) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_tracing_multi(prog: *const bpf_program, pattern: *const c_char, opts: *const bpf_tracing_multi_opts) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_uprobe(prog: *const bpf_program, retprobe: bool, pid: pid_t, binary_path: *const c_char, func_offset: size_t) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_uprobe_multi(prog: *const bpf_program, pid: pid_t, binary_path: *const c_char, func_pattern: *const c_char, opts: *const bpf_uprobe_multi_opts) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_uprobe_opts(prog: *const bpf_program, pid: pid_t, binary_path: *const c_char, func_offset: size_t, opts: *const bpf_uprobe_opts) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_usdt(prog: *const bpf_program, pid: pid_t, binary_path: *const c_char, usdt_provider: *const c_char, usdt_name: *const c_char, opts: *const bpf_usdt_opts) -> *mut bpf_link {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_xdp(prog: *const bpf_program, ifindex: c_int) -> *mut bpf_link {
    not_implemented!()
}
