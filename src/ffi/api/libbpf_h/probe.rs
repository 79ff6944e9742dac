//! Kernel feature probes (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.

use crate::error::Error;
use crate::ffi::ctypes::*;
use crate::ffi::entry::ffi;

/// Whether the kernel lets programs of `prog_type` call helper `helper_id`:
/// loads a two-instruction program calling it and reads the verifier's
/// verdict. Returns 1 when supported (including loads refused for other
/// reasons, such as the helper's arguments), 0 when the verifier calls the
/// helper unknown or not allowed for the type, or a negative errno:
/// `-EINVAL` when `opts` is not NULL, `-EOPNOTSUPP` for program types that
/// libbpf does not know, and `-EOPNOTSUPP` *without* setting `errno` (as
/// libbpf) for types that can not be probed this way (tracing, extension,
/// LSM, struct_ops). Needs the privileges loading programs needs.
#[no_mangle]
pub unsafe extern "C" fn libbpf_probe_bpf_helper(prog_type: enum_bpf_prog_type, helper_id: enum_bpf_func_id, opts: *const c_void) -> c_int {
    ffi("libbpf_probe_bpf_helper", || {
        if !opts.is_null() {
            return Err(Error::INVAL);
        }
        crate::bpf_api::probe::helper(prog_type, helper_id)
    })
}

/// Whether the kernel supports maps of `map_type`: creates a small map of
/// that type (with the key, value, flags and BTF it requires). Returns 1 or
/// 0, or a negative errno: `-EINVAL` when `opts` is not NULL, `-EOPNOTSUPP`
/// for types libbpf does not know how to probe, the BTF load's error for
/// local storage maps.
#[no_mangle]
pub unsafe extern "C" fn libbpf_probe_bpf_map_type(map_type: enum_bpf_map_type, opts: *const c_void) -> c_int {
    ffi("libbpf_probe_bpf_map_type", || {
        if !opts.is_null() {
            return Err(Error::INVAL);
        }
        crate::bpf_api::probe::map_type(map_type)
    })
}

/// Whether the kernel supports programs of `prog_type`: loads a program
/// returning 0 (types that need an attach target are judged by the
/// kernel's reason for refusing one). Returns 1 or 0, or a negative errno:
/// `-EINVAL` when `opts` is not NULL, `-EOPNOTSUPP` for types libbpf does
/// not know how to probe.
#[no_mangle]
pub unsafe extern "C" fn libbpf_probe_bpf_prog_type(prog_type: enum_bpf_prog_type, opts: *const c_void) -> c_int {
    ffi("libbpf_probe_bpf_prog_type", || {
        if !opts.is_null() {
            return Err(Error::INVAL);
        }
        crate::bpf_api::probe::prog_type(prog_type)
    })
}
