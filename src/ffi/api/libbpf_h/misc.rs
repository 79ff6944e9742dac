//! Statistics, tokens and memlock (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::ffi::ctypes::*;
use crate::error::Error;
use crate::ffi::api::libbpf_h::types::*;

/// The attach type of an attachable built-in SEC() name (`cgroup/connect4`,
/// `xdp`, ...). 0 on success; `-EINVAL` for unknown or non-attachable
/// names and NULL arguments.
#[no_mangle]
pub unsafe extern "C" fn libbpf_attach_type_by_name(name: *const c_char, attach_type: *mut enum_bpf_attach_type) -> c_int {
    crate::ffi::entry::ffi("libbpf_attach_type_by_name", || {
        // SAFETY: `name` is NULL or a C string.
        let name = unsafe { crate::ffi::cstr::string(name) }.ok_or(Error::INVAL)?;
        if attach_type.is_null() {
            return Err(Error::INVAL);
        }
        let at = crate::object::sec_def::attach_type_by_name(&name)?;
        // SAFETY: checked non-NULL.
        unsafe { *attach_type = at };
        Ok(0)
    })
}

/// The name of a `BPF_*` attach type (`"cgroup_inet_ingress"`), or NULL when unknown.
#[no_mangle]
pub unsafe extern "C" fn libbpf_bpf_attach_type_str(t: enum_bpf_attach_type) -> *const c_char {
    crate::ffi::entry::ffi("libbpf_bpf_attach_type_str", || Ok(name_ptr(&crate::names::c::ATTACH_TYPES, t)))
}

/// The name of a `BPF_LINK_TYPE_*` value (`"raw_tracepoint"`), or NULL when unknown.
#[no_mangle]
pub unsafe extern "C" fn libbpf_bpf_link_type_str(t: enum_bpf_link_type) -> *const c_char {
    crate::ffi::entry::ffi("libbpf_bpf_link_type_str", || Ok(name_ptr(&crate::names::c::LINK_TYPES, t)))
}

/// The name of a `BPF_MAP_TYPE_*` value (`"hash"`), or NULL when unknown.
#[no_mangle]
pub unsafe extern "C" fn libbpf_bpf_map_type_str(t: enum_bpf_map_type) -> *const c_char {
    crate::ffi::entry::ffi("libbpf_bpf_map_type_str", || Ok(name_ptr(&crate::names::c::MAP_TYPES, t)))
}

/// The name of a `BPF_PROG_TYPE_*` value (`"socket_filter"`), or NULL when unknown.
#[no_mangle]
pub unsafe extern "C" fn libbpf_bpf_prog_type_str(t: enum_bpf_prog_type) -> *const c_char {
    crate::ffi::entry::ffi("libbpf_bpf_prog_type_str", || Ok(name_ptr(&crate::names::c::PROG_TYPES, t)))
}

/// The id of `name` in the running kernel's BTF as an attach target of
/// `attach_type` (looked up as `btf_trace_<name>` for raw tracepoints,
/// `bpf_lsm_<name>` for LSM, `bpf_iter_<name>` for iterators, else the
/// function itself). A negative errno when missing (`-ENOENT`) or when
/// vmlinux BTF is unavailable.
#[no_mangle]
pub unsafe extern "C" fn libbpf_find_vmlinux_btf_id(name: *const c_char, attach_type: enum_bpf_attach_type) -> c_int {
    crate::ffi::entry::ffi("libbpf_find_vmlinux_btf_id", || {
        // SAFETY: `name` is NULL or a C string.
        let name = unsafe { crate::ffi::cstr::string(name) }.ok_or(Error::INVAL)?;
        crate::object::sanitize::vmlinux_btf_id(&name, attach_type).map(|id| id as c_int)
    })
}

/// The major version of the libbpf API this library implements (1).
#[no_mangle]
pub extern "C" fn libbpf_major_version() -> __u32 {
    env!("CARGO_PKG_VERSION_MAJOR").parse().unwrap_or(0)
}

/// The minor version of the libbpf API this library implements (8).
#[no_mangle]
pub extern "C" fn libbpf_minor_version() -> __u32 {
    env!("CARGO_PKG_VERSION_MINOR").parse().unwrap_or(0)
}

/// The number of possible CPUs (read once from
/// `/sys/devices/system/cpu/possible`): the size of per-CPU map values is this
/// count times the rounded value size. Negative errno on failure.
#[no_mangle]
pub extern "C" fn libbpf_num_possible_cpus() -> c_int {
    crate::ffi::entry::ffi("libbpf_num_possible_cpus", || Ok(crate::cpus::num_possible()? as c_int))
}

/// The program type and expected attach type a SEC() name stands for
/// (custom handlers first, then libbpf's table). 0 on success; `-ESRCH`
/// when nothing matches, `-EINVAL` for NULL arguments.
#[no_mangle]
pub unsafe extern "C" fn libbpf_prog_type_by_name(name: *const c_char, prog_type: *mut enum_bpf_prog_type, expected_attach_type: *mut enum_bpf_attach_type) -> c_int {
    crate::ffi::entry::ffi("libbpf_prog_type_by_name", || {
        // SAFETY: `name` is NULL or a C string.
        let name = unsafe { crate::ffi::cstr::string(name) }.ok_or(Error::INVAL)?;
        if prog_type.is_null() || expected_attach_type.is_null() {
            return Err(Error::INVAL);
        }
        let (pt, at) = crate::object::sec_def::prog_type_by_name(&name)?;
        // SAFETY: both outputs were checked non-NULL.
        unsafe {
            *prog_type = pt;
            *expected_attach_type = at;
        }
        Ok(0)
    })
}

/// Registers a custom SEC() handler: programs in sections matching `sec`
/// (`"name"`, `"name+"` or `"name/"` forms; NULL for a fallback taking
/// every unknown section) get `prog_type` and `exp_attach_type`, and the
/// callbacks of `opts` are called at open, before load and to attach.
/// Custom handlers are matched before libbpf's own. Returns the handler id
/// (> 0); `-EBUSY` when a fallback exists already, `-EINVAL` for bad opts.
#[no_mangle]
pub unsafe extern "C" fn libbpf_register_prog_handler(sec: *const c_char, prog_type: enum_bpf_prog_type, exp_attach_type: enum_bpf_attach_type, opts: *const libbpf_prog_handler_opts) -> c_int {
    crate::ffi::entry::ffi("libbpf_register_prog_handler", || {
        // SAFETY: `opts` is NULL or the caller's options.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `sec` is NULL or a C string.
        let sec = unsafe { crate::ffi::cstr::string(sec) };
        let callbacks = crate::object::sec_def::CustomCallbacks {
            setup: o.prog_setup_fn.map_or(0, |f| f as usize),
            prepare_load: o.prog_prepare_load_fn.map_or(0, |f| f as usize),
            attach: o.prog_attach_fn.map_or(0, |f| f as usize),
        };
        crate::object::sec_def::register(sec.as_deref(), prog_type, exp_attach_type, o.cookie as i64, callbacks)
    })
}

/// Installs the callback every log message goes through and returns the
/// previous one (the default prints warnings and info to stderr, honouring
/// `LIBBPF_LOG_LEVEL=warn|info|debug`). NULL turns logging off. Safe to call
/// from any thread.
#[no_mangle]
pub unsafe extern "C" fn libbpf_set_print(r#fn: libbpf_print_fn_t) -> libbpf_print_fn_t {
    let f: Option<crate::log::PrintFn> = r#fn.map(|f| {
        // SAFETY: the C prototype of libbpf_print_fn_t takes the level as an
        // int-sized enum and the va_list as a pointer, as `PrintFn` does.
        unsafe { core::mem::transmute::<_, crate::log::PrintFn>(f) }
    });
    // SAFETY: as above, in the other direction.
    crate::log::set_print(f).map(|f| unsafe { core::mem::transmute::<crate::log::PrintFn, _>(f) })
}

/// Writes the text of an error code (a system errno or a `LIBBPF_ERRNO__*`
/// code, either sign) into `buf`, always NUL-terminated. Returns 0, or for a
/// system errno the result of `strerror_r()`; `-ERANGE` when a libbpf text was
/// truncated; `-ENOENT` for an unknown libbpf code; `-EINVAL` for a NULL or
/// empty buffer.
#[no_mangle]
pub unsafe extern "C" fn libbpf_strerror(err: c_int, buf: *mut c_char, size: size_t) -> c_int {
    crate::ffi::entry::ffi("libbpf_strerror", || {
        if buf.is_null() || size == 0 {
            return Err(Error::INVAL);
        }
        // SAFETY: the caller passes a writable buffer of `size` bytes.
        let out = unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), size) };
        match crate::error::strerror_into(err, out) {
            ret if ret < 0 => Err(Error::new(ret)),
            ret => Ok(ret),
        }
    })
}

/// Removes a handler registered with `libbpf_register_prog_handler()`.
/// Objects opened before keep using it. 0 on success; `-EINVAL` for ids
/// <= 0, `-ENOENT` for unknown ids.
#[no_mangle]
pub unsafe extern "C" fn libbpf_unregister_prog_handler(handler_id: c_int) -> c_int {
    crate::ffi::entry::ffi("libbpf_unregister_prog_handler", || crate::object::sec_def::unregister(handler_id).map(|()| 0))
}

/// The libbpf API version as a string, `"v<major>.<minor>"` (`"v1.8"`).
#[no_mangle]
pub extern "C" fn libbpf_version_string() -> *const c_char {
    concat!("v", env!("CARGO_PKG_VERSION_MAJOR"), ".", env!("CARGO_PKG_VERSION_MINOR"), "\0").as_ptr().cast()
}

/// A table entry as a C string pointer, NULL past the table's end.
fn name_ptr(table: &[std::ffi::CString], value: u32) -> *const c_char {
    table.get(value as usize).map_or(core::ptr::null(), |s| s.as_ptr())
}
