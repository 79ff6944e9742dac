//! Ring buffers (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::ffi::ctypes::*;
use crate::not_implemented;
use crate::ffi::api::libbpf_h::types::*;

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn ring__avail_data_size(r: *const ring) -> size_t {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn ring__consume(r: *mut ring) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn ring__consume_n(r: *mut ring, n: size_t) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn ring__consumer_pos(r: *const ring) -> c_ulong {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn ring__map_fd(r: *const ring) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn ring__producer_pos(r: *const ring) -> c_ulong {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn ring__size(r: *const ring) -> size_t {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn ring_buffer__add(rb: *mut ring_buffer, map_fd: c_int, sample_cb: ring_buffer_sample_fn, ctx: *mut c_void) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn ring_buffer__consume(rb: *mut ring_buffer) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn ring_buffer__consume_n(rb: *mut ring_buffer, n: size_t) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn ring_buffer__epoll_fd(rb: *const ring_buffer) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn ring_buffer__free(rb: *mut ring_buffer) {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn ring_buffer__new(map_fd: c_int, sample_cb: ring_buffer_sample_fn, ctx: *mut c_void, opts: *const ring_buffer_opts) -> *mut ring_buffer {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn ring_buffer__poll(rb: *mut ring_buffer, timeout_ms: c_int) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn ring_buffer__ring(rb: *mut ring_buffer, idx: c_uint) -> *mut ring {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn user_ring_buffer__discard(rb: *mut user_ring_buffer, sample: *mut c_void) {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn user_ring_buffer__free(rb: *mut user_ring_buffer) {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn user_ring_buffer__new(map_fd: c_int, opts: *const user_ring_buffer_opts) -> *mut user_ring_buffer {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn user_ring_buffer__reserve(rb: *mut user_ring_buffer, size: __u32) -> *mut c_void {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn user_ring_buffer__reserve_blocking(rb: *mut user_ring_buffer, size: __u32, timeout_ms: c_int) -> *mut c_void {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn user_ring_buffer__submit(rb: *mut user_ring_buffer, sample: *mut c_void) {
    not_implemented!()
}
