//! Perf buffers (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.

use crate::error::{Error, Result};
use crate::ffi::api::libbpf_h::types::*;
use crate::ffi::ctypes::*;
use crate::ffi::entry::ffi;
use crate::ffi::opts;
use crate::perfbuf::buffer::{bpf_output_attr, Handler, LostFn, Params, PerfBuffer, SampleFn};
use crate::sys::perf::AttrRef;

/// Borrows the manager behind a C handle (`EINVAL` for NULL).
///
/// # Safety
/// `pb` is NULL or a live handle from `perf_buffer__new*()`, not borrowed
/// elsewhere during the call.
unsafe fn manager<'a>(pb: *const perf_buffer) -> Result<&'a mut PerfBuffer> {
    // SAFETY: forwarded contract.
    unsafe { pb.cast::<PerfBuffer>().cast_mut().as_mut() }.ok_or(Error::INVAL)
}

fn into_handle(pb: PerfBuffer) -> *mut perf_buffer {
    Box::into_raw(Box::new(pb)).cast()
}

/// The mapping of ring `buf_idx` (the perf control page, then the data) in
/// `*buf`, and the size of its data area in `*buf_size`. Returns 0, or
/// `-EINVAL` for an index out of range or NULL arguments.
#[no_mangle]
pub unsafe extern "C" fn perf_buffer__buffer(pb: *mut perf_buffer, buf_idx: c_int, buf: *mut *mut c_void, buf_size: *mut size_t) -> c_int {
    ffi("perf_buffer__buffer", || {
        // SAFETY: `pb` comes from perf_buffer__new*().
        let pb = unsafe { manager(pb) }?;
        let idx = usize::try_from(buf_idx).map_err(|_| Error::INVAL)?;
        if buf.is_null() || buf_size.is_null() {
            return Err(Error::INVAL);
        }
        let (addr, size) = pb.buffer(idx)?;
        // SAFETY: both output pointers are non-NULL and the caller's.
        unsafe {
            buf.write(addr.cast());
            buf_size.write(size);
        }
        Ok(0)
    })
}

/// The number of per-CPU rings (one per online CPU, or per requested CPU).
/// 0 (errno `EINVAL`) for NULL.
#[no_mangle]
pub unsafe extern "C" fn perf_buffer__buffer_cnt(pb: *const perf_buffer) -> size_t {
    // SAFETY: `pb` comes from perf_buffer__new*().
    ffi("perf_buffer__buffer_cnt", || Ok(unsafe { manager(pb) }?.buffer_cnt()))
}

/// The perf event fd of ring `buf_idx` (owned by `pb`), e.g. to poll it
/// alone. `-EINVAL` for an index out of range.
#[no_mangle]
pub unsafe extern "C" fn perf_buffer__buffer_fd(pb: *const perf_buffer, buf_idx: size_t) -> c_int {
    // SAFETY: `pb` comes from perf_buffer__new*().
    ffi("perf_buffer__buffer_fd", || unsafe { manager(pb) }?.buffer_fd(buf_idx))
}

/// Reads every ring without waiting, calling the callbacks for each
/// record. Returns 0, or the first error: -1 (`LIBBPF_PERF_EVENT_ERROR`,
/// from a raw callback or an unknown record type) with errno set.
#[no_mangle]
pub unsafe extern "C" fn perf_buffer__consume(pb: *mut perf_buffer) -> c_int {
    // SAFETY: `pb` comes from perf_buffer__new*().
    ffi("perf_buffer__consume", || unsafe { manager(pb) }?.consume())
}

/// Reads ring `buf_idx` without waiting. Returns 0, the error a callback
/// stopped with, or `-EINVAL` for an index out of range.
#[no_mangle]
pub unsafe extern "C" fn perf_buffer__consume_buffer(pb: *mut perf_buffer, buf_idx: size_t) -> c_int {
    // SAFETY: `pb` comes from perf_buffer__new*().
    ffi("perf_buffer__consume_buffer", || unsafe { manager(pb) }?.consume_buffer(buf_idx))
}

/// The epoll fd watching every ring (owned by `pb`). `-EINVAL` for NULL.
#[no_mangle]
pub unsafe extern "C" fn perf_buffer__epoll_fd(pb: *const perf_buffer) -> c_int {
    // SAFETY: `pb` comes from perf_buffer__new*().
    ffi("perf_buffer__epoll_fd", || Ok(unsafe { manager(pb) }?.epoll_fd()))
}

/// Empties the map slots it filled, disables, unmaps and closes every perf
/// event, closes the epoll fd and frees `pb` (NULL is a no-op).
#[no_mangle]
pub unsafe extern "C" fn perf_buffer__free(pb: *mut perf_buffer) {
    if !pb.is_null() {
        // SAFETY: `pb` came from perf_buffer__new*() and is not used again.
        drop(unsafe { Box::from_raw(pb.cast::<PerfBuffer>()) });
    }
}

/// Creates a reader of `BPF_MAP_TYPE_PERF_EVENT_ARRAY` map `map_fd`: for
/// every online CPU, opens a `PERF_COUNT_SW_BPF_OUTPUT` event, maps its ring
/// of `page_cnt` pages (a power of two) plus the control page, stores its
/// fd in the map at the CPU's index, and watches it with epoll.
/// `sample_cb(ctx, cpu, data, size)` runs for each sample,
/// `lost_cb(ctx, cpu, count)` when the kernel dropped samples (either may
/// be NULL). `opts->sample_period` makes the kernel wake readers every that
/// many samples. Returns NULL with errno `EINVAL` (bad opts, page count,
/// map type) or the errno of the failing call.
#[no_mangle]
pub unsafe extern "C" fn perf_buffer__new(map_fd: c_int, page_cnt: size_t, sample_cb: perf_buffer_sample_fn, lost_cb: perf_buffer_lost_fn, ctx: *mut c_void, opts: *const perf_buffer_opts) -> *mut perf_buffer {
    ffi("perf_buffer__new", || {
        // SAFETY: `opts` is NULL or a caller's opts struct of `sz` bytes.
        let o = unsafe { opts::read(opts) }?;
        let attr = bpf_output_attr(o.sample_period);
        let sample = sample_cb.map(|cb| {
            Box::new(move |cpu: i32, data: *mut u8, size: u32| {
                // SAFETY: the caller's callback with its context and a sample
                // that stays valid during the call.
                unsafe { cb(ctx, cpu, data.cast(), size) }
            }) as SampleFn
        });
        let lost = lost_cb.map(|cb| {
            Box::new(move |cpu: i32, count: u64| {
                // SAFETY: the caller's callback with its context.
                unsafe { cb(ctx, cpu, count) }
            }) as LostFn
        });
        let params = Params { attr: AttrRef::new(&attr), cpus: Vec::new() };
        Ok(into_handle(PerfBuffer::new(map_fd, page_cnt, params, Handler::Decoded { sample, lost })?))
    })
}

/// As `perf_buffer__new()`, with the caller's `perf_event_attr` and a
/// callback getting every record raw (`event_cb(ctx, cpu, header)`, which
/// returns `LIBBPF_PERF_EVENT_CONT` to go on, `_DONE` to stop reading that
/// ring, `_ERROR` to fail). `opts->cpu_cnt` > 0 opens rings only on
/// `opts->cpus[i]`, stored at `opts->map_keys[i]`. Returns NULL with errno
/// `EINVAL` for a NULL attr, bad opts or CPU lists, as `perf_buffer__new()`
/// otherwise.
#[no_mangle]
pub unsafe extern "C" fn perf_buffer__new_raw(map_fd: c_int, page_cnt: size_t, attr: *mut perf_event_attr, event_cb: perf_buffer_event_fn, ctx: *mut c_void, opts: *const perf_buffer_raw_opts) -> *mut perf_buffer {
    ffi("perf_buffer__new_raw", || {
        if attr.is_null() {
            return Err(Error::INVAL);
        }
        // SAFETY: `opts` is NULL or a caller's opts struct of `sz` bytes.
        let o = unsafe { opts::read(opts) }?;
        let mut cpus = Vec::new();
        if o.cpu_cnt > 0 {
            if o.cpus.is_null() || o.map_keys.is_null() {
                return Err(Error::INVAL);
            }
            let n = o.cpu_cnt as usize;
            // SAFETY: the caller's arrays hold `cpu_cnt` ints each.
            let (c, k) = unsafe { (core::slice::from_raw_parts(o.cpus, n), core::slice::from_raw_parts(o.map_keys, n)) };
            cpus = c.iter().copied().zip(k.iter().copied()).collect();
        }
        let handler = match event_cb {
            Some(cb) => Handler::Raw(Box::new(move |cpu: i32, rec: *mut u8| {
                // SAFETY: the caller's callback with its context and a record
                // that stays valid during the call.
                unsafe { cb(ctx, cpu, rec.cast()) }
            })),
            None => Handler::Decoded { sample: None, lost: None },
        };
        // SAFETY: the caller's attr is readable for its announced size during
        // this call, the only time the kernel reads it.
        let attr = unsafe { AttrRef::from_raw(attr) };
        Ok(into_handle(PerfBuffer::new(map_fd, page_cnt, Params { attr, cpus }, handler)?))
    })
}

/// Waits up to `timeout_ms` milliseconds (-1: forever) for rings with
/// records, then reads those rings. Returns the number of rings that were
/// ready (0 on timeout), `-errno` of `epoll_wait()` (`-EINTR`), or the first
/// error as `perf_buffer__consume()`.
#[no_mangle]
pub unsafe extern "C" fn perf_buffer__poll(pb: *mut perf_buffer, timeout_ms: c_int) -> c_int {
    // SAFETY: `pb` comes from perf_buffer__new*().
    ffi("perf_buffer__poll", || unsafe { manager(pb) }?.poll(timeout_ms))
}
