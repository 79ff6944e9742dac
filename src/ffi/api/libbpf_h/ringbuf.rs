//! Ring buffers (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.

use crate::error::{Error, Result};
use crate::ffi::api::libbpf_h::types::*;
use crate::ffi::ctypes::*;
use crate::ffi::entry::ffi;
use crate::ffi::opts;
use crate::ringbuf::consumer::{Ring, RingBuffer, SampleFn};
use crate::ringbuf::user::UserRingBuffer;

/// The C callback and its context as the core's sample closure.
fn sample_fn(cb: ring_buffer_sample_fn, ctx: *mut c_void) -> Option<SampleFn> {
    let cb = cb?;
    Some(Box::new(move |data: *mut u8, size: usize| {
        // SAFETY: the caller's callback, with its own context and a sample
        // inside the ring mapping that stays mapped during the call.
        unsafe { cb(ctx, data.cast(), size) }
    }))
}

/// Borrows the manager behind a C handle (`EINVAL` for NULL).
///
/// # Safety
/// `rb` is NULL or a live handle from `ring_buffer__new()`.
unsafe fn manager<'a>(rb: *const ring_buffer) -> Result<&'a RingBuffer> {
    // SAFETY: forwarded contract.
    unsafe { rb.cast::<RingBuffer>().as_ref() }.ok_or(Error::INVAL)
}

/// Borrows the ring behind a C handle (`EINVAL` for NULL).
///
/// # Safety
/// `r` is NULL or a live handle from `ring_buffer__ring()`.
unsafe fn ring_of<'a>(r: *const ring) -> Result<&'a Ring> {
    // SAFETY: forwarded contract.
    unsafe { r.cast::<Ring>().as_ref() }.ok_or(Error::INVAL)
}

/// Borrows the producer behind a C handle (`EINVAL` for NULL).
///
/// # Safety
/// `rb` is NULL or a live handle from `user_ring_buffer__new()`.
unsafe fn producer<'a>(rb: *const user_ring_buffer) -> Result<&'a UserRingBuffer> {
    // SAFETY: forwarded contract.
    unsafe { rb.cast::<UserRingBuffer>().as_ref() }.ok_or(Error::INVAL)
}

/// Bytes of ring `r` produced but not consumed yet (record headers and
/// padding included). 0 (errno `EINVAL`) for a NULL ring.
#[no_mangle]
pub unsafe extern "C" fn ring__avail_data_size(r: *const ring) -> size_t {
    // SAFETY: `r` comes from ring_buffer__ring().
    ffi("ring__avail_data_size", || Ok(unsafe { ring_of(r) }?.avail_data_size()))
}

/// Consumes every committed sample of ring `r` without waiting, calling its
/// callback for each. Returns the number of samples (at most `INT_MAX`), or
/// the callback's negative return value (errno set from it), which stops
/// consumption after that sample.
#[no_mangle]
pub unsafe extern "C" fn ring__consume(r: *mut ring) -> c_int {
    // SAFETY: `r` comes from ring_buffer__ring().
    ffi("ring__consume", || unsafe { ring_of(r) }?.consume_n(c_int::MAX as usize))
}

/// As `ring__consume()`, handing out at most `n` samples.
#[no_mangle]
pub unsafe extern "C" fn ring__consume_n(r: *mut ring, n: size_t) -> c_int {
    // SAFETY: `r` comes from ring_buffer__ring().
    ffi("ring__consume_n", || unsafe { ring_of(r) }?.consume_n(n))
}

/// The consumer position of ring `r` (a free-running byte count), read
/// with acquire ordering. 0 (errno `EINVAL`) for a NULL ring.
#[no_mangle]
pub unsafe extern "C" fn ring__consumer_pos(r: *const ring) -> c_ulong {
    // SAFETY: `r` comes from ring_buffer__ring().
    ffi("ring__consumer_pos", || Ok(unsafe { ring_of(r) }?.consumer_pos() as c_ulong))
}

/// The fd of the map ring `r` consumes (still owned by the caller).
/// `-EINVAL` for a NULL ring.
#[no_mangle]
pub unsafe extern "C" fn ring__map_fd(r: *const ring) -> c_int {
    // SAFETY: `r` comes from ring_buffer__ring().
    ffi("ring__map_fd", || Ok(unsafe { ring_of(r) }?.map_fd()))
}

/// The producer position of ring `r` (a free-running byte count), read
/// with acquire ordering. 0 (errno `EINVAL`) for a NULL ring.
#[no_mangle]
pub unsafe extern "C" fn ring__producer_pos(r: *const ring) -> c_ulong {
    // SAFETY: `r` comes from ring_buffer__ring().
    ffi("ring__producer_pos", || Ok(unsafe { ring_of(r) }?.producer_pos() as c_ulong))
}

/// The size in bytes of ring `r`'s data area (the map's `max_entries`).
/// 0 (errno `EINVAL`) for a NULL ring.
#[no_mangle]
pub unsafe extern "C" fn ring__size(r: *const ring) -> size_t {
    // SAFETY: `r` comes from ring_buffer__ring().
    ffi("ring__size", || Ok(unsafe { ring_of(r) }?.size()))
}

/// Adds another `BPF_MAP_TYPE_RINGBUF` map to `rb`, with its own callback
/// and context. Returns 0, or a negative errno: `-EINVAL` if the map is not
/// a ring buffer, the error of getting its info, mapping it or adding it to
/// epoll otherwise.
#[no_mangle]
pub unsafe extern "C" fn ring_buffer__add(rb: *mut ring_buffer, map_fd: c_int, sample_cb: ring_buffer_sample_fn, ctx: *mut c_void) -> c_int {
    ffi("ring_buffer__add", || {
        // SAFETY: `rb` is NULL or a live handle from ring_buffer__new(), not
        // borrowed elsewhere during this call.
        let rb = unsafe { rb.cast::<RingBuffer>().as_mut() }.ok_or(Error::INVAL)?;
        rb.add(map_fd, sample_fn(sample_cb, ctx))?;
        Ok(0)
    })
}

/// Consumes every committed sample of every ring without waiting, ring by
/// ring in the order they were added. Returns the number of samples (at
/// most `INT_MAX`), or a callback's negative return value (errno set from
/// it), which stops consumption after that sample.
#[no_mangle]
pub unsafe extern "C" fn ring_buffer__consume(rb: *mut ring_buffer) -> c_int {
    // SAFETY: `rb` comes from ring_buffer__new().
    ffi("ring_buffer__consume", || unsafe { manager(rb) }?.consume())
}

/// As `ring_buffer__consume()`, handing out at most `n` samples in total.
#[no_mangle]
pub unsafe extern "C" fn ring_buffer__consume_n(rb: *mut ring_buffer, n: size_t) -> c_int {
    // SAFETY: `rb` comes from ring_buffer__new().
    ffi("ring_buffer__consume_n", || unsafe { manager(rb) }?.consume_n(n))
}

/// The epoll fd that becomes readable when a ring has data; each event's
/// `data.u32` is the ring's index (as `ring_buffer__ring()` takes it). Owned
/// by `rb`. `-EINVAL` for NULL.
#[no_mangle]
pub unsafe extern "C" fn ring_buffer__epoll_fd(rb: *const ring_buffer) -> c_int {
    // SAFETY: `rb` comes from ring_buffer__new().
    ffi("ring_buffer__epoll_fd", || Ok(unsafe { manager(rb) }?.epoll_fd()))
}

/// Unmaps every ring, closes the epoll fd and frees `rb` (NULL is a no-op).
/// The map fds stay open.
#[no_mangle]
pub unsafe extern "C" fn ring_buffer__free(rb: *mut ring_buffer) {
    if !rb.is_null() {
        // SAFETY: `rb` came from ring_buffer__new() and is not used again.
        drop(unsafe { Box::from_raw(rb.cast::<RingBuffer>()) });
    }
}

/// Creates a consumer of `BPF_MAP_TYPE_RINGBUF` map `map_fd`: maps its
/// consumer page (read-write) and its producer page and data (read-only)
/// and watches it with a new epoll fd. `sample_cb(ctx, data, size)` runs for
/// every sample; a negative return stops consumption. Returns NULL with
/// errno `EINVAL` (bad opts, not a ring buffer map) or the errno of the
/// failing call.
#[no_mangle]
pub unsafe extern "C" fn ring_buffer__new(map_fd: c_int, sample_cb: ring_buffer_sample_fn, ctx: *mut c_void, opts: *const ring_buffer_opts) -> *mut ring_buffer {
    ffi("ring_buffer__new", || {
        // SAFETY: `opts` is NULL or a caller's opts struct of `sz` bytes.
        unsafe { opts::read(opts) }?;
        let rb = RingBuffer::new(map_fd, sample_fn(sample_cb, ctx))?;
        Ok(Box::into_raw(Box::new(rb)).cast::<ring_buffer>())
    })
}

/// Waits up to `timeout_ms` milliseconds (-1: forever, 0: not at all) for
/// rings with data, then consumes those rings. Returns the number of
/// samples (at most `INT_MAX`; 0 on timeout), a callback's negative return
/// value, or `-errno` of `epoll_wait()` (`-EINTR`).
#[no_mangle]
pub unsafe extern "C" fn ring_buffer__poll(rb: *mut ring_buffer, timeout_ms: c_int) -> c_int {
    // SAFETY: `rb` comes from ring_buffer__new().
    ffi("ring_buffer__poll", || unsafe { manager(rb) }?.poll(timeout_ms))
}

/// Ring `idx` of `rb` (0 is the map given to `ring_buffer__new()`, then the
/// added ones in order), valid until `rb` is freed. NULL with errno `ERANGE`
/// past the last ring.
#[no_mangle]
pub unsafe extern "C" fn ring_buffer__ring(rb: *mut ring_buffer, idx: c_uint) -> *mut ring {
    // SAFETY: `rb` comes from ring_buffer__new().
    ffi("ring_buffer__ring", || Ok((unsafe { manager(rb) }?.ring(idx as usize)? as *const Ring).cast_mut().cast::<ring>()))
}

/// Discards a sample reserved with `user_ring_buffer__reserve*()`: the
/// kernel skips it. The sample must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn user_ring_buffer__discard(rb: *mut user_ring_buffer, sample: *mut c_void) {
    ffi("user_ring_buffer__discard", || {
        // SAFETY: `rb` comes from user_ring_buffer__new().
        let rb = unsafe { producer(rb) }?;
        if sample.is_null() {
            return Err(Error::INVAL);
        }
        rb.discard(sample.cast());
        Ok(())
    })
}

/// Unmaps the ring, closes the epoll fd and frees `rb` (NULL is a no-op).
/// The map fd stays open.
#[no_mangle]
pub unsafe extern "C" fn user_ring_buffer__free(rb: *mut user_ring_buffer) {
    if !rb.is_null() {
        // SAFETY: `rb` came from user_ring_buffer__new() and is not used again.
        drop(unsafe { Box::from_raw(rb.cast::<UserRingBuffer>()) });
    }
}

/// Creates a producer for `BPF_MAP_TYPE_USER_RINGBUF` map `map_fd`: maps
/// the kernel's consumer page (read-only) and the producer page and data
/// (read-write), and an epoll fd waiting for the kernel to drain. Returns
/// NULL with errno `EINVAL` (bad opts, wrong map type) or the errno of the
/// failing call.
#[no_mangle]
pub unsafe extern "C" fn user_ring_buffer__new(map_fd: c_int, opts: *const user_ring_buffer_opts) -> *mut user_ring_buffer {
    ffi("user_ring_buffer__new", || {
        // SAFETY: `opts` is NULL or a caller's opts struct of `sz` bytes.
        unsafe { opts::read(opts) }?;
        let rb = UserRingBuffer::new(map_fd)?;
        Ok(Box::into_raw(Box::new(rb)).cast::<user_ring_buffer>())
    })
}

/// Reserves `size` bytes in the ring and returns where to write them (8-byte
/// aligned); submit or discard the sample afterwards, in any order relative
/// to other samples. NULL with errno `E2BIG` when `size` can never fit (or
/// uses the top two bits), `ENOSPC` when the ring is full for now.
#[no_mangle]
pub unsafe extern "C" fn user_ring_buffer__reserve(rb: *mut user_ring_buffer, size: __u32) -> *mut c_void {
    // SAFETY: `rb` comes from user_ring_buffer__new().
    ffi("user_ring_buffer__reserve", || Ok(unsafe { producer(rb) }?.reserve(size)?.cast::<c_void>()))
}

/// As `user_ring_buffer__reserve()`, but while the ring is full, waits for
/// the kernel to drain it: up to `timeout_ms` milliseconds, or without limit
/// for -1 (a last attempt is made when the time is up). NULL with errno
/// `EINVAL` for another negative timeout, `ENOSPC` when still full at the
/// end, `E2BIG` as for `reserve`, or the errno of `epoll_wait()` (`EINTR`).
#[no_mangle]
pub unsafe extern "C" fn user_ring_buffer__reserve_blocking(rb: *mut user_ring_buffer, size: __u32, timeout_ms: c_int) -> *mut c_void {
    ffi("user_ring_buffer__reserve_blocking", || {
        // SAFETY: `rb` comes from user_ring_buffer__new().
        Ok(unsafe { producer(rb) }?.reserve_blocking(size, timeout_ms)?.cast::<c_void>())
    })
}

/// Publishes a sample reserved with `user_ring_buffer__reserve*()` to the
/// kernel (release ordering: its bytes are visible before it is). The sample
/// must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn user_ring_buffer__submit(rb: *mut user_ring_buffer, sample: *mut c_void) {
    ffi("user_ring_buffer__submit", || {
        // SAFETY: `rb` comes from user_ring_buffer__new().
        let rb = unsafe { producer(rb) }?;
        if sample.is_null() {
            return Err(Error::INVAL);
        }
        rb.submit(sample.cast());
        Ok(())
    })
}
