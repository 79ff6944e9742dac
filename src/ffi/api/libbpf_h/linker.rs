//! The static linker (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.

use crate::error::Error;
use crate::ffi::api::libbpf_h::types::*;
use crate::ffi::ctypes::*;
use crate::linker::io::FileLink;

/// The link behind a `struct bpf_linker *` (`EINVAL` for NULL).
///
/// # Safety
/// `linker` is NULL or came from `bpf_linker__new*()` and was not freed.
unsafe fn link<'a>(linker: *mut bpf_linker) -> crate::error::Result<&'a mut FileLink> {
    // SAFETY: per the contract, a live box handed out by `into_c`.
    unsafe { linker.cast::<FileLink>().as_mut() }.ok_or(Error::INVAL)
}

fn into_c(link: FileLink) -> *mut bpf_linker {
    Box::into_raw(Box::new(link)).cast()
}

/// Adds the BPF object in memory at `buf` (`buf_sz` bytes) to the link, as
/// `bpf_linker__add_file()` does for a file. 0 on success; a negative errno
/// on failure (`-EINVAL` for bad opts, a finalised linker or a malformed or
/// conflicting object, `-EOPNOTSUPP` for an unsupported kind of object or a
/// byte order different from earlier objects', `-EFAULT` for a NULL buffer
/// with a size).
#[no_mangle]
pub unsafe extern "C" fn bpf_linker__add_buf(linker: *mut bpf_linker, buf: *mut c_void, buf_sz: size_t, opts: *const bpf_linker_file_opts) -> c_int {
    crate::ffi::entry::ffi("bpf_linker__add_buf", || {
        // SAFETY: `opts` is NULL or a caller's opts struct.
        unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `linker` is NULL or a live linker.
        let link = unsafe { link(linker) }?;
        // SAFETY: a non-NULL `buf` holds `buf_sz` readable bytes, unchanged
        // during the call.
        let bytes = (!buf.is_null()).then(|| unsafe { core::slice::from_raw_parts(buf.cast::<u8>(), buf_sz) });
        link.add_buf(bytes, buf as usize, buf_sz)?;
        Ok(0)
    })
}

/// Adds the BPF object open as `fd` to the link (read from its start; the
/// fd stays open and the caller's; it is named `fd:N` in messages). 0 on
/// success; a negative errno as `bpf_linker__add_file()`, `-EINVAL` for a
/// negative fd.
#[no_mangle]
pub unsafe extern "C" fn bpf_linker__add_fd(linker: *mut bpf_linker, fd: c_int, opts: *const bpf_linker_file_opts) -> c_int {
    crate::ffi::entry::ffi("bpf_linker__add_fd", || {
        // SAFETY: `opts` is NULL or a caller's opts struct.
        unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `linker` is NULL or a live linker.
        unsafe { link(linker) }?.add_fd(fd)?;
        Ok(0)
    })
}

/// Adds the BPF object file `filename` to the link: merges its sections
/// into the output's, resolves its global symbols against earlier objects'
/// (externs to definitions, strong over weak; two strong definitions or
/// disagreeing declarations are errors), appends its BTF and `.BTF.ext`.
/// 0 on success; a negative errno on failure: that of `open()` for a file
/// that can't be opened, `-EINVAL` for bad opts, a finalised linker, a
/// malformed object or conflicting symbols, `-EOPNOTSUPP` for a file that
/// is not a 64-bit BPF relocatable object or whose byte order differs from
/// the earlier objects', `-ENOENT` for globals without BTF.
#[no_mangle]
pub unsafe extern "C" fn bpf_linker__add_file(linker: *mut bpf_linker, filename: *const c_char, opts: *const bpf_linker_file_opts) -> c_int {
    crate::ffi::entry::ffi("bpf_linker__add_file", || {
        // SAFETY: `opts` is NULL or a caller's opts struct.
        unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `linker` is NULL or a live linker.
        let link = unsafe { link(linker) }?;
        // SAFETY: `filename` is NULL or a C string.
        let path = unsafe { crate::ffi::cstr::bytes(filename) }.ok_or(Error::INVAL)?;
        link.add_file(path)?;
        Ok(0)
    })
}

/// Completes the link and writes the output object (an ELF relocatable in
/// the inputs' byte order, with the merged `.BTF` and `.BTF.ext`); closes
/// the file the linker created. Nothing can be added afterwards. 0 on
/// success; `-EINVAL` when already finalised, on inconsistent BTF info or
/// when the output can't be written.
#[no_mangle]
pub unsafe extern "C" fn bpf_linker__finalize(linker: *mut bpf_linker) -> c_int {
    crate::ffi::entry::ffi("bpf_linker__finalize", || {
        // SAFETY: `linker` is NULL or a live linker.
        unsafe { link(linker) }?.finalize()?;
        Ok(0)
    })
}

/// Frees the linker (closing its output file if not finalised; a file it
/// created stays as it is, empty if nothing was written). NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn bpf_linker__free(linker: *mut bpf_linker) {
    crate::ffi::entry::ffi("bpf_linker__free", || {
        if !linker.is_null() {
            // SAFETY: a box handed out by `into_c`, freed once.
            drop(unsafe { Box::from_raw(linker.cast::<FileLink>()) });
        }
        Ok(())
    })
}

/// Starts a static link whose output is `filename` (created, or truncated,
/// with mode 0644 right away; written by `bpf_linker__finalize()`). Returns
/// the linker, or NULL with `errno` set: `EINVAL` for a NULL name or bad
/// opts, else `open()`'s error.
#[no_mangle]
pub unsafe extern "C" fn bpf_linker__new(filename: *const c_char, opts: *mut bpf_linker_opts) -> *mut bpf_linker {
    crate::ffi::entry::ffi("bpf_linker__new", || {
        // SAFETY: `opts` is NULL or a caller's opts struct.
        unsafe { crate::ffi::opts::read(opts.cast_const()) }?;
        // SAFETY: `filename` is NULL or a C string.
        let path = unsafe { crate::ffi::cstr::bytes(filename) }.ok_or(Error::INVAL)?;
        Ok(into_c(FileLink::create(path)?))
    })
}

/// Starts a static link whose output is written to the caller's `fd` by
/// `bpf_linker__finalize()` (the file is truncated to the object's size;
/// the fd is never closed by the linker). Returns the linker, or NULL with
/// `errno` set to `EINVAL` for a negative fd or bad opts.
#[no_mangle]
pub unsafe extern "C" fn bpf_linker__new_fd(fd: c_int, opts: *mut bpf_linker_opts) -> *mut bpf_linker {
    crate::ffi::entry::ffi("bpf_linker__new_fd", || {
        if fd < 0 {
            return Err(Error::INVAL);
        }
        // SAFETY: `opts` is NULL or a caller's opts struct.
        unsafe { crate::ffi::opts::read(opts.cast_const()) }?;
        Ok(into_c(FileLink::on_fd(fd)?))
    })
}
