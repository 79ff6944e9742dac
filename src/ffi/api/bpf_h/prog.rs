//! Program operations (`bpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.

use crate::bpf_api::prog::{LoadRequest, Position};
use crate::bpf_api::{self, LogBuf};
use crate::error::Error;
use crate::ffi::api::bpf_h::map::{fd_by_id, get_next_id};
use crate::ffi::api::bpf_h::types::*;
use crate::ffi::ctypes::*;
use crate::ffi::entry::ffi;
use crate::ffi::opts;
use crate::ffi::union_opts::*;
use crate::opts_set;
use crate::sys::bpf::ptr_to_u64;
use crate::sys::fd;
use crate::sys::obj::IdKind;
use crate::sys::prog::{self, ProgLoadAttr, QueryAttr, TestRunAttr};

/// Associates the program with a struct_ops map (kernels after 6.18; older
/// ones answer `-EINVAL`). Returns 0 or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_assoc_struct_ops(prog_fd: c_int, map_fd: c_int, opts: *mut bpf_prog_assoc_struct_ops_opts) -> c_int {
    ffi("bpf_prog_assoc_struct_ops", || {
        // SAFETY: `opts` is NULL or the caller's struct.
        let o = unsafe { opts::read(opts.cast_const()) }?;
        prog::assoc_struct_ops(prog_fd, map_fd, o.flags).map(|_| 0)
    })
}

/// Attaches the program to `attachable_fd` (a cgroup, sockmap, netns, ...)
/// for `type` with `flags` (`BPF_F_ALLOW_OVERRIDE`, `BPF_F_ALLOW_MULTI`,
/// ...). Returns 0 or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_attach(prog_fd: c_int, attachable_fd: c_int, r#type: enum_bpf_attach_type, flags: c_uint) -> c_int {
    ffi("bpf_prog_attach", || {
        let pos = Position { flags, ..Default::default() };
        prog::attach(&bpf_api::prog::attach_attr(prog_fd, attachable_fd, r#type, pos, 0)?).map(|_| 0)
    })
}

/// Attaches the program to `target` with the options: flags, the program
/// to replace (`BPF_F_REPLACE`), the position relative to another program
/// by fd or id (`BPF_F_BEFORE`/`BPF_F_AFTER`; both fd and id is `-EINVAL`)
/// and the expected mprog revision. Returns 0 or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_attach_opts(prog_fd: c_int, target: c_int, r#type: enum_bpf_attach_type, opts: *const bpf_prog_attach_opts) -> c_int {
    ffi("bpf_prog_attach_opts", || {
        // SAFETY: `opts` is NULL or the caller's struct.
        let o = unsafe { opts::read(opts) }?;
        let pos = Position { flags: o.flags, relative_fd: o.relative_fd, relative_id: o.relative_id, expected_revision: o.expected_revision };
        prog::attach(&bpf_api::prog::attach_attr(prog_fd, target, r#type, pos, o.replace_fd)?).map(|_| 0)
    })
}

/// Keeps `map_fd` bound to the program (alive as long as it is).
/// Returns 0 or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_bind_map(prog_fd: c_int, map_fd: c_int, opts: *const bpf_prog_bind_opts) -> c_int {
    ffi("bpf_prog_bind_map", || {
        // SAFETY: `opts` is NULL or the caller's struct.
        let o = unsafe { opts::read(opts) }?;
        prog::bind_map(prog_fd, map_fd, o.flags).map(|_| 0)
    })
}

/// Detaches the program attached to `attachable_fd` for `type` (the only
/// one, for targets that hold one). Returns 0 or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_detach(attachable_fd: c_int, r#type: enum_bpf_attach_type) -> c_int {
    // SAFETY: NULL opts.
    unsafe { bpf_prog_detach_opts(0, attachable_fd, r#type, core::ptr::null()) }
}

/// Detaches program `prog_fd` from `attachable_fd` for `type`.
/// Returns 0 or a negative errno (`-ENOENT`: not attached there).
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_detach2(prog_fd: c_int, attachable_fd: c_int, r#type: enum_bpf_attach_type) -> c_int {
    // SAFETY: NULL opts.
    unsafe { bpf_prog_detach_opts(prog_fd, attachable_fd, r#type, core::ptr::null()) }
}

/// Detaches program `prog_fd` from `target` with the options (flags,
/// relative fd or id, expected revision; see [`bpf_prog_attach_opts`]).
/// Returns 0 or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_detach_opts(prog_fd: c_int, target: c_int, r#type: enum_bpf_attach_type, opts: *const bpf_prog_detach_opts) -> c_int {
    ffi("bpf_prog_detach_opts", || {
        // SAFETY: `opts` is NULL or the caller's struct.
        let o = unsafe { opts::read(opts) }?;
        let pos = Position { flags: o.flags, relative_fd: o.relative_fd, relative_id: o.relative_id, expected_revision: o.expected_revision };
        prog::detach(&bpf_api::prog::attach_attr(prog_fd, target, r#type, pos, 0)?).map(|_| 0)
    })
}

/// Opens the program with id `id`. Returns a new fd or a negative errno
/// (`-ENOENT`: no such program).
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_get_fd_by_id(id: __u32) -> c_int {
    // SAFETY: NULL opts.
    unsafe { bpf_prog_get_fd_by_id_opts(id, core::ptr::null()) }
}

/// Opens the program with id `id` with `opts->open_flags` and
/// `opts->token_fd`. Returns a new fd or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_get_fd_by_id_opts(id: __u32, opts: *const bpf_get_fd_by_id_opts) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { fd_by_id("bpf_prog_get_fd_by_id_opts", IdKind::Prog, id, opts) }
}

/// Fills `*info` (at most `*info_len` bytes) with what the kernel knows
/// about the program (arrays only where the caller set pointers and
/// counts); `*info_len` becomes the number of bytes filled.
/// Returns 0 or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_get_info_by_fd(prog_fd: c_int, info: *mut bpf_prog_info, info_len: *mut __u32) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { crate::ffi::api::bpf_h::obj::bpf_obj_get_info_by_fd(prog_fd, info.cast(), info_len) }
}

/// Writes the smallest program id greater than `start_id` into `*next_id`.
/// Returns 0, or a negative errno (`-ENOENT` past the last program).
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_get_next_id(start_id: __u32, next_id: *mut __u32) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { get_next_id("bpf_prog_get_next_id", IdKind::Prog, start_id, next_id) }
}

/// Loads `insn_cnt` instructions as a program of `prog_type` under
/// `license`, named `prog_name` (first 15 bytes). `opts` (may be NULL) sets
/// the expected attach type, attach target (BTF id with a program fd or a
/// module BTF fd, not both), BTF with func and line info, flags, `fd_array`,
/// token, `attempts` on `EAGAIN` (default 5) and the verifier log:
/// with `log_level` the log is written from the start; with level 0 and a
/// `log_buf` the load is retried at level 1 only if it fails. `log_buf` and
/// `log_size` go together (else `-EINVAL`); a buffer too small gives
/// `-ENOSPC`. `opts->log_true_size` receives the size the full log needs.
///
/// Returns the program fd, or a negative errno (`-EACCES`/`-EINVAL` when
/// the verifier refuses the program, `-E2BIG`, `-EPERM`, ...).
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_load(prog_type: enum_bpf_prog_type, prog_name: *const c_char, license: *const c_char, insns: *const bpf_insn, insn_cnt: size_t, opts: *mut bpf_prog_load_opts) -> c_int {
    ffi("bpf_prog_load", || {
        bpf_api::memlock::bump().ok();
        // SAFETY: `opts` is NULL or the caller's struct of `opts->sz` bytes.
        let o = unsafe { opts::read(opts.cast_const()) }?;
        // SAFETY: a non-NULL name is the caller's NUL-terminated string.
        let name = (!prog_name.is_null()).then(|| unsafe { core::ffi::CStr::from_ptr(prog_name) }.to_bytes());
        let req = LoadRequest {
            attr: ProgLoadAttr {
                prog_type,
                insns: ptr_to_u64(insns),
                license: ptr_to_u64(license),
                expected_attach_type: o.expected_attach_type,
                prog_btf_fd: o.prog_btf_fd,
                prog_flags: o.prog_flags,
                prog_ifindex: o.prog_ifindex,
                kern_version: o.kern_version,
                prog_token_fd: o.token_fd as i32,
                attach_btf_id: o.attach_btf_id,
                func_info_rec_size: o.func_info_rec_size,
                func_info: ptr_to_u64(o.func_info),
                func_info_cnt: o.func_info_cnt,
                line_info_rec_size: o.line_info_rec_size,
                line_info: ptr_to_u64(o.line_info),
                line_info_cnt: o.line_info_cnt,
                fd_array: ptr_to_u64(o.fd_array),
                fd_array_cnt: o.fd_array_cnt,
                ..Default::default()
            },
            name,
            insn_cnt,
            attempts: o.attempts,
            attach_prog_fd: o.attach_prog_fd,
            attach_btf_obj_fd: o.attach_btf_obj_fd,
            log: LogBuf { buf: ptr_to_u64(o.log_buf), size: o.log_size, level: o.log_level },
        };
        // SAFETY: the addresses are the caller's, passed on as libbpf does.
        let (res, true_size) = unsafe { bpf_api::prog::load(&req) };
        if let Some(size) = true_size {
            opts_set!(opts, bpf_prog_load_opts, log_true_size, size);
        }
        Ok(fd::release(res?))
    })
}

/// The legacy query: lists in `prog_ids` (room for `*prog_cnt` ids) the
/// programs attached to `target_fd` for `type`; `*attach_flags` (if not
/// NULL) and `*prog_cnt` receive the attach flags and the number attached.
/// Returns 0 or a negative errno (`-ENOSPC`: `prog_ids` too small).
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_query(target_fd: c_int, r#type: enum_bpf_attach_type, query_flags: __u32, attach_flags: *mut __u32, prog_ids: *mut __u32, prog_cnt: *mut __u32) -> c_int {
    ffi("bpf_prog_query", || {
        if prog_cnt.is_null() {
            return Err(Error::INVAL);
        }
        let mut attr = QueryAttr {
            target_fd: target_fd as u32,
            attach_type: r#type,
            query_flags,
            prog_ids: ptr_to_u64(prog_ids),
            // SAFETY: checked non-NULL; the caller's counter.
            count: unsafe { *prog_cnt },
            ..Default::default()
        };
        // SAFETY: `prog_ids` has room for `*prog_cnt` ids (caller contract).
        let res = unsafe { prog::query(&mut attr) };
        if !attach_flags.is_null() {
            // SAFETY: the caller's output.
            unsafe { *attach_flags = attr.attach_flags };
        }
        // SAFETY: as above.
        unsafe { *prog_cnt = attr.count };
        res.map(|_| 0)
    })
}

/// Lists what is attached to `target` for `type`: program ids, link ids and
/// their attach flags into the arrays of `opts` (room for `opts->count`
/// entries each); `opts->count`, `opts->attach_flags` and `opts->revision`
/// receive the results. Returns 0 or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_query_opts(target: c_int, r#type: enum_bpf_attach_type, opts: *mut bpf_prog_query_opts) -> c_int {
    ffi("bpf_prog_query_opts", || {
        // SAFETY: `opts` is NULL or the caller's struct.
        let o = unsafe { opts::read(opts.cast_const()) }?;
        let mut attr = QueryAttr {
            target_fd: target as u32,
            attach_type: r#type,
            query_flags: o.query_flags,
            count: o.count,
            prog_ids: ptr_to_u64(o.prog_ids),
            link_ids: ptr_to_u64(o.link_ids),
            prog_attach_flags: ptr_to_u64(o.prog_attach_flags),
            link_attach_flags: ptr_to_u64(o.link_attach_flags),
            ..Default::default()
        };
        // SAFETY: the arrays hold `count` entries (caller contract).
        let res = unsafe { prog::query(&mut attr) };
        opts_set!(opts, bpf_prog_query_opts, attach_flags, attr.attach_flags);
        opts_set!(opts, bpf_prog_query_opts, revision, attr.revision);
        opts_set!(opts, bpf_prog_query_opts, count, attr.count);
        res.map(|_| 0)
    })
}

/// Reads up to `buf_len` bytes of the program's BPF stream `stream_id`
/// (`BPF_STREAM_STDOUT`, `BPF_STREAM_STDERR`) into `buf`. Returns the
/// number of bytes read, or a negative errno (`-EINVAL` on kernels without
/// streams).
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_stream_read(prog_fd: c_int, stream_id: __u32, buf: *mut c_void, buf_len: __u32, opts: *mut bpf_prog_stream_read_opts) -> c_int {
    ffi("bpf_prog_stream_read", || {
        // SAFETY: `opts` is NULL or the caller's struct.
        unsafe { opts::read(opts.cast_const()) }?;
        // SAFETY: `buf` holds `buf_len` bytes (caller contract).
        unsafe { prog::stream_read(prog_fd, stream_id, buf.cast(), buf_len) }.map(|n| n as c_int)
    })
}

/// Runs the program once or `opts->repeat` times on `data_in`/`ctx_in`,
/// with flags, CPU and batch size; `opts->retval`, `duration` (mean ns per
/// run), `data_size_out` and `ctx_size_out` receive the results, and the
/// output packet and context land in `data_out`/`ctx_out` when given.
/// Returns 0 or a negative errno (`-ENOSPC`: an output buffer was too
/// small, truncated; `-ENOTSUPP` for program types without test runs).
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_test_run_opts(prog_fd: c_int, opts: *mut bpf_test_run_opts) -> c_int {
    ffi("bpf_prog_test_run_opts", || {
        // SAFETY: `opts` is NULL or the caller's struct.
        let o = unsafe { opts::read(opts.cast_const()) }?;
        let mut attr = TestRunAttr {
            prog_fd: prog_fd as u32,
            batch_size: o.batch_size,
            cpu: o.cpu,
            flags: o.flags,
            repeat: o.repeat as u32,
            duration: o.duration,
            ctx_size_in: o.ctx_size_in,
            ctx_size_out: o.ctx_size_out,
            data_size_in: o.data_size_in,
            data_size_out: o.data_size_out,
            ctx_in: ptr_to_u64(o.ctx_in),
            ctx_out: ptr_to_u64(o.ctx_out),
            data_in: ptr_to_u64(o.data_in),
            data_out: ptr_to_u64(o.data_out),
            ..Default::default()
        };
        // SAFETY: buffers sized as announced (caller contract).
        let res = unsafe { prog::test_run(&mut attr) };
        opts_set!(opts, bpf_test_run_opts, data_size_out, attr.data_size_out);
        opts_set!(opts, bpf_test_run_opts, ctx_size_out, attr.ctx_size_out);
        opts_set!(opts, bpf_test_run_opts, duration, attr.duration);
        opts_set!(opts, bpf_test_run_opts, retval, attr.retval);
        res.map(|_| 0)
    })
}
