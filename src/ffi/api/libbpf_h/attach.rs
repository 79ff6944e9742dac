//! Attaching programs (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::bpf_api::object::Mem;
use crate::error::{Error, Result};
use crate::ffi::api::libbpf_h::types::*;
use crate::ffi::ctypes::*;
use crate::ffi::handles;
use crate::ffi::link_handle::{attached_into_c, link_into_c};
use crate::link::{self, Position, Prog};
use crate::sys::usermem::UserMem;

/// The snapshot of a program handle the attach functions work on.
///
/// # Safety
/// `prog` is NULL or a live program handle.
pub(crate) unsafe fn prog_ref(prog: *const bpf_program) -> Result<Prog> {
    // SAFETY: forwarded contract; the borrow ends here.
    let (h, i) = unsafe { handles::program(prog) }?;
    Ok(Prog::of(&h.obj.programs[i]))
}

/// A C string argument that must be given.
///
/// # Safety
/// `s` is NULL or a C string.
unsafe fn text<'a>(s: *const c_char) -> Result<std::borrow::Cow<'a, str>> {
    // SAFETY: forwarded contract.
    let b = unsafe { crate::ffi::cstr::bytes(s) }.ok_or(Error::INVAL)?;
    Ok(String::from_utf8_lossy(b))
}

/// An optional C string argument.
///
/// # Safety
/// `s` is NULL or a C string.
unsafe fn opt_text(s: *const c_char) -> Option<String> {
    // SAFETY: forwarded contract.
    unsafe { crate::ffi::cstr::string(s) }
}

/// An application array of `cnt` elements of `elem` bytes, read by the
/// kernel (None for NULL).
///
/// # Safety
/// `p` is NULL or points to `cnt` elements (libbpf's contract for the
/// arrays of its opts).
unsafe fn user_array<'a, T>(p: *const T, cnt: usize) -> Option<Mem<'a>> {
    // SAFETY: per the contract.
    (!p.is_null()).then(|| Mem::user(unsafe { UserMem::new(p as usize, cnt.saturating_mul(core::mem::size_of::<T>())) }))
}

/// Calls an application SEC() handler's attach callback.
struct CAttach(*const bpf_program);

impl link::auto::CustomAttach for CAttach {
    fn call(&self, func: usize, cookie: i64) -> (i32, usize) {
        // SAFETY: `func` is the address of the application's
        // `libbpf_prog_attach_fn_t`, registered as such.
        let f: unsafe extern "C" fn(*const bpf_program, c_long, *mut *mut bpf_link) -> c_int = unsafe { core::mem::transmute(func) };
        let mut out: *mut bpf_link = core::ptr::null_mut();
        // SAFETY: the application's callback, with a live program handle
        // and a slot for the link.
        let ret = unsafe { f(self.0, cookie as c_long, &mut out) };
        (ret, out as usize)
    }

    fn usdt(&self, path: &str, provider: &str, name: &str) -> Result<link::Link> {
        // SAFETY: `self.0` is a live program handle; the borrow ends with the call.
        let (h, i) = unsafe { handles::program(self.0) }?;
        let req = crate::usdt::attach::Request { pid: -1, path: Some(path), provider, name, cookie: 0 };
        link::usdt::attach(&mut h.obj, i, &req)
    }
}

/// The section definition of a program handle.
///
/// # Safety
/// `prog` is NULL or a live program handle.
pub(crate) unsafe fn prog_sec_def(prog: *const bpf_program) -> Result<Option<std::sync::Arc<crate::object::sec_def::SecDef>>> {
    // SAFETY: forwarded contract; the borrow ends here.
    let (h, i) = unsafe { handles::program(prog) }?;
    Ok(h.obj.programs[i].sec_def.clone())
}

/// One program of a skeleton: auto-attached unless skipped (see
/// `link::auto::skeleton_attach`); the link handle, or NULL.
///
/// # Safety
/// `prog` is a live program handle.
pub(crate) unsafe fn skeleton_attach_prog(prog: *const bpf_program) -> Result<*mut bpf_link> {
    let (p, autoload, autoattach, def) = {
        // SAFETY: per the contract; the borrow ends with this block.
        let (h, i) = unsafe { handles::program(prog) }?;
        let pr = &h.obj.programs[i];
        (Prog::of(pr), pr.autoload, pr.autoattach, pr.sec_def.clone())
    };
    let res = link::auto::skeleton_attach(&p, autoload, autoattach, def.as_deref(), &CAttach(prog))?;
    Ok(res.map_or(core::ptr::null_mut(), attached_into_c))
}

/// Attaches the program the way its SEC() name says (kprobe, uprobe,
/// tracepoint, raw tracepoint, fentry/fexit/fmod_ret/tp_btf/freplace, LSM,
/// iterator, kprobe/uprobe multi, ksyscall; or an application handler's
/// attach callback). NULL with `errno`: `EOPNOTSUPP` when the section has
/// no auto-attach or names no target, `EINVAL` for a program not loaded or
/// a target that does not parse, else the attach function's error.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach(prog: *const bpf_program) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let (p, def) = unsafe { (prog_ref(prog)?, prog_sec_def(prog)?) };
        link::auto::program_attach(&p, def.as_deref(), &CAttach(prog)).map(attached_into_c)
    })
}

/// Attaches a cgroup program to cgroup v2 directory `cgroup_fd` through a
/// BPF link (the program's expected attach type). NULL with `errno`:
/// `EINVAL` for a program not loaded, else the kernel's answer.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_cgroup(prog: *const bpf_program, cgroup_fd: c_int) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_cgroup", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { prog_ref(prog) }?;
        link::cgroup::attach(&p, cgroup_fd, &Position::default()).map(link_into_c)
    })
}

/// `bpf_program__attach_cgroup()` placed among the cgroup's programs by
/// `opts` (`BPF_F_BEFORE`/`BPF_F_AFTER` relative to a program or link fd
/// or id, expected revision). NULL with `errno`: `EINVAL` for bad opts or
/// both a relative fd and id, else as the plain call.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_cgroup_opts(prog: *const bpf_program, cgroup_fd: c_int, opts: *const bpf_cgroup_opts) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_cgroup_opts", || {
        // SAFETY: `opts` is NULL or the caller's options.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { prog_ref(prog) }?;
        let pos = Position { flags: o.flags, relative_fd: o.relative_fd, relative_id: o.relative_id, expected_revision: o.expected_revision };
        link::cgroup::attach(&p, cgroup_fd, &pos).map(link_into_c)
    })
}

/// Attaches an EXT program in place of function `attach_func_name` of the
/// loaded program `target_fd`, or (both 0/NULL) onto the target set before
/// load. NULL with `errno`: `EINVAL` when only one of them is given, for a
/// program that is not `BPF_PROG_TYPE_EXT` or not loaded, a target without
/// BTF or without that function; else the kernel's answer.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_freplace(prog: *const bpf_program, target_fd: c_int, attach_func_name: *const c_char) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_freplace", || {
        // SAFETY: `prog` is NULL or a live program handle; the name NULL or a C string.
        let (p, func) = unsafe { (prog_ref(prog)?, opt_text(attach_func_name)) };
        link::freplace::attach(&p, target_fd, func.as_deref()).map(link_into_c)
    })
}

/// Attaches an iterator program; `opts->link_info` (of `link_info_len`
/// bytes) says what to iterate over (a map, cgroup, task), none for the
/// iterator's default. Read it with `bpf_iter_create(bpf_link__fd())`.
/// NULL with `errno`: `EINVAL` for bad opts or a program not loaded, else
/// the kernel's answer.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_iter(prog: *const bpf_program, opts: *const bpf_iter_attach_opts) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_iter", || {
        // SAFETY: `opts` is NULL or the caller's options.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { prog_ref(prog) }?;
        // SAFETY: `link_info` points to `link_info_len` bytes (libbpf's contract).
        let info = unsafe { user_array(o.link_info.cast::<u8>().cast_const(), o.link_info_len as usize) }.unwrap_or_default();
        link::iter::attach(&p, info, o.link_info_len).map(link_into_c)
    })
}

/// Attaches a kprobe (or kretprobe) on kernel function `func_name`. See
/// `bpf_program__attach_kprobe_opts()`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_kprobe(prog: *const bpf_program, retprobe: bool, func_name: *const c_char) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_kprobe", || {
        // SAFETY: `prog` is NULL or a live program handle; the name NULL or a C string.
        let (p, func) = unsafe { (prog_ref(prog)?, text(func_name)?) };
        let o = link::kprobe::KprobeOptions { retprobe, ..Default::default() };
        link::kprobe::attach(&p, &func, &o).map(link_into_c)
    })
}

/// Attaches to the kernel functions matching `pattern` (`*`, `?`), or to
/// those of `opts->syms`/`opts->addrs` (`cnt` entries, optional
/// `cookies`), with one multi-kprobe link. NULL with `errno`: `EINVAL` for
/// both or neither a pattern and arrays, symbols with addresses, no
/// count, `unique_match` unmet, return plus session probes, a program not
/// loaded; `ENOENT` when nothing matches; else the tracefs read's
/// (`EPERM` under lockdown) or the kernel's answer.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_kprobe_multi_opts(prog: *const bpf_program, pattern: *const c_char, opts: *const bpf_kprobe_multi_opts) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_kprobe_multi_opts", || {
        // SAFETY: `opts` is NULL or the caller's options.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `prog` is NULL or a live program handle; `pattern` NULL or a C string.
        let (p, pattern) = unsafe { (prog_ref(prog)?, opt_text(pattern)) };
        // SAFETY: the arrays hold `cnt` entries (libbpf's contract).
        let opts = unsafe {
            link::kprobe_multi::KprobeMultiOptions {
                syms: user_array(o.syms.cast_const(), o.cnt),
                addrs: user_array(o.addrs, o.cnt),
                cookies: user_array(o.cookies, o.cnt),
                cnt: o.cnt,
                retprobe: o.retprobe,
                session: o.session,
                unique_match: o.unique_match,
            }
        };
        link::kprobe_multi::attach(&p, pattern.as_deref(), &opts).map(link_into_c)
    })
}

/// Attaches a kprobe on `func_name` + `opts->offset` (a kretprobe with
/// `retprobe`), through the kprobe PMU or a legacy tracefs event
/// (`attach_mode`), with `bpf_cookie`. NULL with `errno`: `EINVAL` for bad
/// opts, NULL name or a program not loaded; `EOPNOTSUPP` for an attach
/// mode the kernel lacks; `ENOENT` when the kernel has neither kprobe PMU
/// nor kprobe events (lockdown); else the kernel's answer.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_kprobe_opts(prog: *const bpf_program, func_name: *const c_char, opts: *const bpf_kprobe_opts) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_kprobe_opts", || {
        // SAFETY: `opts` is NULL or the caller's options.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `prog` is NULL or a live program handle; the name NULL or a C string.
        let (p, func) = unsafe { (prog_ref(prog)?, text(func_name)?) };
        let ko = link::kprobe::KprobeOptions {
            bpf_cookie: o.bpf_cookie,
            offset: o.offset as u64,
            retprobe: o.retprobe,
            attach_mode: o.attach_mode as u32,
        };
        link::kprobe::attach(&p, &func, &ko).map(link_into_c)
    })
}

/// Attaches a kprobe (kretprobe with `opts->retprobe`) on the kernel
/// handler of system call `syscall_name` (`__x64_sys_<name>` where the
/// kernel has syscall wrappers, else `__se_sys_<name>`). Errors as
/// `bpf_program__attach_kprobe_opts()`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_ksyscall(prog: *const bpf_program, syscall_name: *const c_char, opts: *const bpf_ksyscall_opts) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_ksyscall", || {
        // SAFETY: `opts` is NULL or the caller's options.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `prog` is NULL or a live program handle; the name NULL or a C string.
        let (p, name) = unsafe { (prog_ref(prog)?, text(syscall_name)?) };
        link::kprobe::attach_syscall(&p, &name, o.bpf_cookie, o.retprobe).map(link_into_c)
    })
}

/// Attaches an LSM program to the hook it was loaded for. NULL with
/// `errno`: `EINVAL` for a program not loaded, else the kernel's answer
/// (`EPERM` under lockdown).
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_lsm(prog: *const bpf_program) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_lsm", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { prog_ref(prog) }?;
        link::trace::attach(&p, 0).map(link_into_c)
    })
}

/// Attaches a netfilter program to hook `opts->hooknum` of protocol family
/// `opts->pf` at `opts->priority`. NULL with `errno`: `EINVAL` for bad opts
/// or a program not loaded, else the kernel's answer.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_netfilter(prog: *const bpf_program, opts: *const bpf_netfilter_opts) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_netfilter", || {
        // SAFETY: `opts` is NULL or the caller's options.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { prog_ref(prog) }?;
        let no = link::netfilter::NetfilterOptions { pf: o.pf, hooknum: o.hooknum, priority: o.priority, flags: o.flags };
        link::netfilter::attach(&p, &no).map(link_into_c)
    })
}

/// Attaches a program to netkit device `ifindex` (primary or peer, from
/// the expected attach type), placed by `opts` as for tcx. NULL with
/// `errno`: `EINVAL` for ifindex 0, bad opts, both a relative fd and id, a
/// program not loaded; else the kernel's answer.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_netkit(prog: *const bpf_program, ifindex: c_int, opts: *const bpf_netkit_opts) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_netkit", || {
        // SAFETY: `opts` is NULL or the caller's options.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { prog_ref(prog) }?;
        let pos = Position { flags: o.flags, relative_fd: o.relative_fd, relative_id: o.relative_id, expected_revision: o.expected_revision };
        link::netkit::attach(&p, ifindex, &pos).map(link_into_c)
    })
}

/// Attaches a flow dissector or sk_lookup program to the network namespace
/// `netns_fd` (an open `/proc/…/ns/net`). NULL with `errno`: `EINVAL` for
/// a program not loaded, else the kernel's answer.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_netns(prog: *const bpf_program, netns_fd: c_int) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_netns", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { prog_ref(prog) }?;
        link::netns::attach(&p, netns_fd).map(link_into_c)
    })
}

/// Attaches the program to perf event `pfd`, which the link then owns
/// (closed when the link is destroyed). See
/// `bpf_program__attach_perf_event_opts()`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_perf_event(prog: *const bpf_program, pfd: c_int) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_perf_event", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { prog_ref(prog) }?;
        link::perf_event::attach(&p, pfd, &Default::default()).map(link_into_c)
    })
}

/// Attaches the program to perf event `pfd` through a BPF link (with
/// `opts->bpf_cookie`), or the perf ioctl (`force_ioctl_attach`, or
/// kernels without perf links), then enables the event unless
/// `dont_enable`. On success the link owns `pfd`. NULL with `errno`:
/// `EINVAL` for a negative fd, bad opts or a program not loaded;
/// `EOPNOTSUPP` for a cookie through the ioctl; else the kernel's answer.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_perf_event_opts(prog: *const bpf_program, pfd: c_int, opts: *const bpf_perf_event_opts) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_perf_event_opts", || {
        // SAFETY: `opts` is NULL or the caller's options.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { prog_ref(prog) }?;
        let po = link::perf_event::PerfEventOptions {
            bpf_cookie: o.bpf_cookie,
            force_ioctl_attach: o.force_ioctl_attach,
            dont_enable: o.dont_enable,
        };
        link::perf_event::attach(&p, pfd, &po).map(link_into_c)
    })
}

/// Attaches to raw tracepoint `tp_name` (`BPF_RAW_TRACEPOINT_OPEN`). NULL
/// with `errno`: `EINVAL` for a program not loaded, else the kernel's
/// answer (`ENOENT` for an unknown tracepoint).
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_raw_tracepoint(prog: *const bpf_program, tp_name: *const c_char) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_raw_tracepoint", || {
        // SAFETY: `prog` is NULL or a live program handle; the name NULL or a C string.
        let (p, name) = unsafe { (prog_ref(prog)?, opt_text(tp_name)) };
        link::raw_tracepoint::attach(&p, name.as_deref(), 0).map(link_into_c)
    })
}

/// `bpf_program__attach_raw_tracepoint()` with `opts->cookie` for
/// `bpf_get_attach_cookie()`. `EINVAL` for bad opts.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_raw_tracepoint_opts(prog: *const bpf_program, tp_name: *const c_char, opts: *mut bpf_raw_tracepoint_opts) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_raw_tracepoint_opts", || {
        // SAFETY: `opts` is NULL or the caller's options.
        let o = unsafe { crate::ffi::opts::read(opts.cast_const()) }?;
        // SAFETY: `prog` is NULL or a live program handle; the name NULL or a C string.
        let (p, name) = unsafe { (prog_ref(prog)?, opt_text(tp_name)) };
        link::raw_tracepoint::attach(&p, name.as_deref(), o.cookie).map(link_into_c)
    })
}

/// Attaches an sk_skb or sk_msg program to sockmap or sockhash `map_fd`
/// through a BPF link (its expected attach type says which hook). NULL
/// with `errno`: `EINVAL` for a program not loaded, else the kernel's
/// answer.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_sockmap(prog: *const bpf_program, map_fd: c_int) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_sockmap", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { prog_ref(prog) }?;
        link::sockmap::attach(&p, map_fd).map(link_into_c)
    })
}

/// Attaches a tc program to device `ifindex` through tcx (ingress or
/// egress, from the expected attach type), placed by `opts`
/// (`BPF_F_BEFORE`/`BPF_F_AFTER` relative to a program or link fd or id,
/// expected revision). NULL with `errno`: `EINVAL` for ifindex 0, bad
/// opts, both a relative fd and id, a program not loaded; else the
/// kernel's answer.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_tcx(prog: *const bpf_program, ifindex: c_int, opts: *const bpf_tcx_opts) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_tcx", || {
        // SAFETY: `opts` is NULL or the caller's options.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { prog_ref(prog) }?;
        let pos = Position { flags: o.flags, relative_fd: o.relative_fd, relative_id: o.relative_id, expected_revision: o.expected_revision };
        link::tcx::attach(&p, ifindex, &pos).map(link_into_c)
    })
}

/// Attaches a fentry/fexit/fmod_ret/tp_btf (or freplace) program to the
/// target it was loaded for. NULL with `errno`: `EINVAL` for a program not
/// loaded, else the kernel's answer (`EPERM` under lockdown).
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_trace(prog: *const bpf_program) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_trace", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { prog_ref(prog) }?;
        link::trace::attach(&p, 0).map(link_into_c)
    })
}

/// `bpf_program__attach_trace()` with `opts->cookie` for
/// `bpf_get_attach_cookie()`. `EINVAL` for bad opts.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_trace_opts(prog: *const bpf_program, opts: *const bpf_trace_opts) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_trace_opts", || {
        // SAFETY: `opts` is NULL or the caller's options.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { prog_ref(prog) }?;
        link::trace::attach(&p, o.cookie).map(link_into_c)
    })
}

/// Attaches to tracepoint `tp_category/tp_name` (its id read from tracefs)
/// through a perf event. See `bpf_program__attach_tracepoint_opts()`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_tracepoint(prog: *const bpf_program, tp_category: *const c_char, tp_name: *const c_char) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_tracepoint", || {
        // SAFETY: `prog` is NULL or a live program handle; names NULL or C strings.
        let (p, cat, name) = unsafe { (prog_ref(prog)?, text(tp_category)?, text(tp_name)?) };
        link::tracepoint::attach(&p, &cat, &name, 0).map(link_into_c)
    })
}

/// Attaches to tracepoint `tp_category/tp_name` with `opts->bpf_cookie`.
/// NULL with `errno`: `EINVAL` for bad opts or NULL names, `ENOENT` for an
/// unknown tracepoint, `EINVAL` for a program not loaded, else the
/// kernel's answer.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_tracepoint_opts(prog: *const bpf_program, tp_category: *const c_char, tp_name: *const c_char, opts: *const bpf_tracepoint_opts) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_tracepoint_opts", || {
        // SAFETY: `opts` is NULL or the caller's options.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `prog` is NULL or a live program handle; names NULL or C strings.
        let (p, cat, name) = unsafe { (prog_ref(prog)?, text(tp_category)?, text(tp_name)?) };
        link::tracepoint::attach(&p, &cat, &name, o.bpf_cookie).map(link_into_c)
    })
}

/// Attaches a program loaded with a `BPF_TRACE_*_MULTI` attach type to the
/// kernel functions (vmlinux BTF, or `module:pattern`) matching `pattern`,
/// or to the BTF ids of `opts->ids` (`cnt` of them, optional `cookies`).
/// NULL with `errno`: `EINVAL` for both or neither a pattern and ids, a
/// count or cookies with a pattern, no count, a program not loaded;
/// `ENOENT` when nothing matches; else the kernel's answer.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_tracing_multi(prog: *const bpf_program, pattern: *const c_char, opts: *const bpf_tracing_multi_opts) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_tracing_multi", || {
        // SAFETY: `opts` is NULL or the caller's options.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `prog` is NULL or a live program handle; `pattern` NULL or a C string.
        let (p, pattern) = unsafe { (prog_ref(prog)?, opt_text(pattern)) };
        // SAFETY: the arrays hold `cnt` entries (libbpf's contract).
        let to = unsafe {
            link::tracing_multi::TracingMultiOptions {
                ids: user_array(o.ids.cast_const(), o.cnt),
                cookies: user_array(o.cookies.cast_const(), o.cnt),
                cnt: o.cnt,
            }
        };
        link::tracing_multi::attach(&p, pattern.as_deref(), &to).map(link_into_c)
    })
}

/// Attaches a uprobe (uretprobe with `retprobe`) at file offset
/// `func_offset` of `binary_path` for process `pid` (0: this one, -1: all).
/// See `bpf_program__attach_uprobe_opts()`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_uprobe(prog: *const bpf_program, retprobe: bool, pid: pid_t, binary_path: *const c_char, func_offset: size_t) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_uprobe", || {
        // SAFETY: `prog` is NULL or a live program handle; the path NULL or a C string.
        let (p, path) = unsafe { (prog_ref(prog)?, text(binary_path)?) };
        let o = link::uprobe::UprobeOptions { retprobe, ..Default::default() };
        link::uprobe::attach(&p, pid, &path, func_offset as u64, &o).map(link_into_c)
    })
}

/// Attaches one multi-uprobe link to several places of `binary_path`: the
/// functions matching `func_pattern` (a bare file name is searched like
/// libbpf), or `opts->syms` or `opts->offsets` (`cnt` of them, optional
/// `ref_ctr_offsets` and `cookies`), for process `pid` (0: this one, -1:
/// all). NULL with `errno`: `EINVAL` for no path, a pattern with arrays,
/// both or neither names and offsets, no count, return plus session
/// probes, a program not loaded; `ENOENT` for functions not found; else
/// the kernel's answer.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_uprobe_multi(prog: *const bpf_program, pid: pid_t, binary_path: *const c_char, func_pattern: *const c_char, opts: *const bpf_uprobe_multi_opts) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_uprobe_multi", || {
        // SAFETY: `opts` is NULL or the caller's options.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `prog` is NULL or a live program handle; strings NULL or C strings.
        let (p, path, pattern) = unsafe { (prog_ref(prog)?, opt_text(binary_path), opt_text(func_pattern)) };
        let syms = if o.syms.is_null() {
            None
        } else if link::uprobe_multi::UprobeMultiOptions::needs_names(pattern.is_some(), !o.offsets.is_null(), o.cnt) {
            // SAFETY: `syms` holds `cnt` C strings (libbpf's contract).
            let names = unsafe { core::slice::from_raw_parts(o.syms.cast_const(), o.cnt) };
            // SAFETY: each entry is a C string (NULL reads as empty).
            Some(names.iter().map(|&n| unsafe { crate::ffi::cstr::bytes(n) }.unwrap_or_default().to_vec()).collect())
        } else {
            Some(Vec::new())
        };
        // SAFETY: the arrays hold `cnt` entries (libbpf's contract).
        let uo = unsafe {
            link::uprobe_multi::UprobeMultiOptions {
                syms,
                offsets: user_array(o.offsets, o.cnt),
                ref_ctr_offsets: user_array(o.ref_ctr_offsets, o.cnt),
                cookies: user_array(o.cookies, o.cnt),
                cnt: o.cnt,
                retprobe: o.retprobe,
                session: o.session,
            }
        };
        link::uprobe_multi::attach(&p, pid, path.as_deref(), pattern.as_deref(), &uo).map(link_into_c)
    })
}

/// Attaches a uprobe at `func_offset` of `binary_path` (plus the offset of
/// `opts->func_name`, found in the binary's `.dynsym`/`.symtab`, `name@VER`
/// accepted) for process `pid` (0: this one, -1: all). A path without `/`
/// is searched in `LD_LIBRARY_PATH` and the library directories (`*.so*`)
/// or `PATH`; `archive.zip!/member.so` probes an uncompressed ELF member.
/// Options: `retprobe`, `ref_ctr_offset` (a USDT semaphore the kernel
/// counts), `bpf_cookie`, `attach_mode`. NULL with `errno`: `EINVAL` for
/// bad opts, NULL path, a legacy probe with a reference counter or a
/// program not loaded; `ENOENT` for a binary or function not found;
/// `EOPNOTSUPP` for an attach mode the kernel lacks; else the kernel's
/// answer.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_uprobe_opts(prog: *const bpf_program, pid: pid_t, binary_path: *const c_char, func_offset: size_t, opts: *const bpf_uprobe_opts) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_uprobe_opts", || {
        // SAFETY: `opts` is NULL or the caller's options.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `prog` is NULL or a live program handle; strings NULL or C strings.
        let (p, path, func) = unsafe { (prog_ref(prog)?, text(binary_path)?, opt_text(o.func_name)) };
        let uo = link::uprobe::UprobeOptions {
            ref_ctr_offset: o.ref_ctr_offset as u64,
            bpf_cookie: o.bpf_cookie,
            retprobe: o.retprobe,
            func_name: func,
            attach_mode: o.attach_mode as u32,
        };
        link::uprobe::attach(&p, pid, &path, func_offset as u64, &uo).map(link_into_c)
    })
}

/// Attaches a loaded program to every site of USDT probe
/// `usdt_provider:usdt_name` in `binary_path` (a path, or a bare name
/// looked up in `$PATH`, or for `*.so` names in the library directories),
/// for process `pid` (0: this process, -1: every process). The program
/// reads the probe's arguments and `opts->usdt_cookie` through
/// `usdt.bpf.h`, whose maps the object must contain. Destroying the link
/// detaches every site; `bpf_link__fd()` of the link is 0.
/// NULL with `errno`: `EINVAL` for a program not loaded, a NULL argument,
/// bad opts (checked against the size of `struct bpf_uprobe_opts`, as
/// libbpf does) or an argument spec it cannot read; `ENOENT` when the
/// binary or the probe is not found; `ESRCH` when the object lacks the
/// USDT maps (and for every later attempt on it); `EBADF` for a binary
/// that is not a 64-bit little-endian executable or shared library;
/// `E2BIG` when the specs map is full; else the uprobes' errors.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_usdt(prog: *const bpf_program, pid: pid_t, binary_path: *const c_char, usdt_provider: *const c_char, usdt_name: *const c_char, opts: *const bpf_usdt_opts) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_usdt", || {
        // libbpf checks these options against the size of struct
        // bpf_uprobe_opts (which starts like bpf_usdt_opts), so sizes up to
        // that struct's are accepted whatever their extra bytes.
        // SAFETY: `opts` is NULL or the caller's options (`sz` bytes).
        unsafe { crate::ffi::opts::read(opts.cast::<bpf_uprobe_opts>()) }?;
        let cookie_end = core::mem::offset_of!(bpf_usdt_opts, usdt_cookie) + core::mem::size_of::<__u64>();
        // SAFETY: non-NULL opts are validated above and hold `sz` bytes,
        // which cover `usdt_cookie` when `sz` reaches its end.
        let cookie = unsafe { opts.as_ref() }.filter(|o| o.sz >= cookie_end).map_or(0, |o| o.usdt_cookie);
        // SAFETY: strings are NULL or C strings.
        let (path, provider, name) = unsafe { (opt_text(binary_path), text(usdt_provider)?, text(usdt_name)?) };
        // SAFETY: `prog` is NULL or a live program handle; the borrow ends with the call.
        let (h, i) = unsafe { handles::program(prog) }?;
        let req = crate::usdt::attach::Request { pid, path: path.as_deref(), provider: &provider, name: &name, cookie };
        link::usdt::attach(&mut h.obj, i, &req).map(link_into_c)
    })
}

/// Attaches an XDP program to network device `ifindex` through a BPF link.
/// NULL with `errno`: `EINVAL` for a program not loaded, else the
/// kernel's answer (`EBUSY` when a program is attached without link).
#[no_mangle]
pub unsafe extern "C" fn bpf_program__attach_xdp(prog: *const bpf_program, ifindex: c_int) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_program__attach_xdp", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { prog_ref(prog) }?;
        link::xdp::attach(&p, ifindex).map(link_into_c)
    })
}
