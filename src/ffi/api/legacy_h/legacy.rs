//! Functions of `libbpf_legacy.h`: pre-1.0 names kept for source compatibility.
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::ffi::ctypes::*;
use crate::ffi::api::btf_h::types::*;
use crate::ffi::api::libbpf_h::types::*;

/// The old name of `bpf_map__pin_path()`: the path the map is (or will be)
/// pinned at, or NULL when it has none (NULL with `errno = EINVAL` for a NULL map).
#[no_mangle]
pub unsafe extern "C" fn bpf_map__get_pin_path(map: *const bpf_map) -> *const c_char {
    // SAFETY: forwarded as is.
    unsafe { crate::ffi::api::libbpf_h::map::bpf_map__pin_path(map) }
}

/// The old name of `bpf_program__expected_attach_type()`: the program's
/// expected attach type (`BPF_*`).
#[no_mangle]
pub unsafe extern "C" fn bpf_program__get_expected_attach_type(prog: *const bpf_program) -> enum_bpf_attach_type {
    // SAFETY: forwarded as is.
    unsafe { crate::ffi::api::libbpf_h::program::bpf_program__expected_attach_type(prog) }
}

/// The old name of `bpf_program__type()`: the program's type (`BPF_PROG_TYPE_*`).
#[no_mangle]
pub unsafe extern "C" fn bpf_program__get_type(prog: *const bpf_program) -> enum_bpf_prog_type {
    // SAFETY: forwarded as is.
    unsafe { crate::ffi::api::libbpf_h::program::bpf_program__type(prog) }
}

/// The old name of `btf__raw_data()`.
#[no_mangle]
pub unsafe extern "C" fn btf__get_raw_data(btf: *const btf, size: *mut __u32) -> *const c_void {
    // SAFETY: forwarded as is.
    unsafe { crate::ffi::api::btf_h::inspect::btf__raw_data(btf, size) }
}

/// The old name of `btf_ext__raw_data()`.
#[no_mangle]
pub unsafe extern "C" fn btf_ext__get_raw_data(btf_ext: *const btf_ext, size: *mut __u32) -> *const c_void {
    // SAFETY: forwarded as is.
    unsafe { crate::ffi::api::btf_h::ext::btf_ext__raw_data(btf_ext, size) }
}

/// The old name of `btf__load_vmlinux_btf()`.
#[no_mangle]
pub unsafe extern "C" fn libbpf_find_kernel_btf() -> *mut btf {
    // SAFETY: no arguments.
    unsafe { crate::ffi::api::btf_h::parse::btf__load_vmlinux_btf() }
}

/// The error a pre-1.0 API encoded in a returned pointer: 0 for a valid
/// pointer, `-errno` for NULL (libbpf 1.x returns NULL and sets errno), and
/// the encoded value for an error pointer (`(void *)-EINVAL`), setting errno.
#[no_mangle]
pub extern "C" fn libbpf_get_error(ptr: *const c_void) -> c_long {
    let value = ptr as isize;
    if ptr.is_null() {
        return -(errno::errno().0 as c_long);
    }
    if (-4095..0).contains(&value) {
        errno::set_errno(errno::Errno(-(value as i32)));
        return value as c_long;
    }
    0
}

/// Accepted for source compatibility: since libbpf 1.0 every strict
/// behaviour is always on, so any mode is a no-op returning 0.
#[no_mangle]
pub extern "C" fn libbpf_set_strict_mode(mode: enum_libbpf_strict_mode) -> c_int {
    0
}
