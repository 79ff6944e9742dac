//! Program line info (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.

use crate::error::Error;
use crate::ffi::api::libbpf_h::types::*;
use crate::ffi::ctypes::*;
use crate::ffi::entry::ffi;
use crate::prog_linfo::{ProgLinfo, Source};
use crate::sys::usermem::UserMem;

/// The handle behind a `struct bpf_prog_linfo *` (NULL is `EINVAL`).
///
/// # Safety
/// `p` is NULL or a handle from `bpf_prog_linfo__new()` not freed yet.
unsafe fn linfo<'a>(p: *const bpf_prog_linfo) -> crate::error::Result<&'a ProgLinfo> {
    // SAFETY: per the contract, a non-NULL `p` is a live boxed `ProgLinfo`.
    unsafe { p.cast::<ProgLinfo>().as_ref() }.ok_or(Error::INVAL)
}

/// Frees line info from `bpf_prog_linfo__new()`; NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_linfo__free(prog_linfo: *mut bpf_prog_linfo) {
    if !prog_linfo.is_null() {
        // SAFETY: a handle from `bpf_prog_linfo__new`, taken back once.
        drop(unsafe { Box::from_raw(prog_linfo.cast::<ProgLinfo>()) });
    }
}

/// The line info record of the instruction at `insn_off`: the last record,
/// from record `nr_skip` on, starting at or before it (records are sorted by
/// instruction offset; `nr_skip` continues a search past records already
/// seen). NULL with `errno = ENOENT` when there is none.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_linfo__lfind(prog_linfo: *const bpf_prog_linfo, insn_off: __u32, nr_skip: __u32) -> *const bpf_line_info {
    ffi("bpf_prog_linfo__lfind", || {
        // SAFETY: NULL or a live handle.
        let l = unsafe { linfo(prog_linfo) }?;
        Ok(l.record_ptr(l.lfind(insn_off, nr_skip)?).cast())
    })
}

/// The line info record of JIT-ed address `addr` in JIT-ed function
/// `func_idx` (0: the main program, then its subprograms in
/// `jited_ksyms` order): the last of the function's records, from its
/// record `nr_skip` on, whose address is at or before `addr`. NULL with
/// `errno = ENOENT` when there is none or when the info had no JIT-ed
/// line info.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_linfo__lfind_addr_func(prog_linfo: *const bpf_prog_linfo, addr: __u64, func_idx: __u32, nr_skip: __u32) -> *const bpf_line_info {
    ffi("bpf_prog_linfo__lfind_addr_func", || {
        // SAFETY: NULL or a live handle.
        let l = unsafe { linfo(prog_linfo) }?;
        Ok(l.record_ptr(l.lfind_addr_func(addr, func_idx, nr_skip)?).cast())
    })
}

/// Copies the line info of a `struct bpf_prog_info` filled by
/// `bpf_prog_get_info_by_fd()` with `line_info` (and, for address
/// lookups, `jited_line_info`, `jited_ksyms` and `jited_func_lens`)
/// requested. The info may be freed afterwards. Returns the new handle
/// (free it with `bpf_prog_linfo__free()`), or NULL with `errno = EINVAL`
/// when there is no line info, its records are smaller than 4 bytes, or
/// the JIT-ed info is inconsistent.
#[no_mangle]
pub unsafe extern "C" fn bpf_prog_linfo__new(info: *const bpf_prog_info) -> *mut bpf_prog_linfo {
    ffi("bpf_prog_linfo__new", || {
        // SAFETY: `info` is NULL or the caller's struct.
        let i = unsafe { info.as_ref() }.ok_or(Error::INVAL)?;
        let bytes = |n: u32, size: u32| n as usize * size as usize;
        // SAFETY: the caller's info announces each array's element count
        // and size; the arrays stay valid during the call.
        let src = unsafe {
            Source {
                nr_line_info: i.nr_line_info,
                line_info_rec_size: i.line_info_rec_size,
                line_info: UserMem::new(i.line_info as usize, bytes(i.nr_line_info, i.line_info_rec_size)),
                nr_jited_line_info: i.nr_jited_line_info,
                jited_line_info_rec_size: i.jited_line_info_rec_size,
                jited_line_info: UserMem::new(i.jited_line_info as usize, bytes(i.nr_jited_line_info, i.jited_line_info_rec_size)),
                nr_jited_ksyms: i.nr_jited_ksyms,
                jited_ksyms: UserMem::new(i.jited_ksyms as usize, bytes(i.nr_jited_ksyms, 8)),
                nr_jited_func_lens: i.nr_jited_func_lens,
                jited_func_lens: UserMem::new(i.jited_func_lens as usize, bytes(i.nr_jited_func_lens, 4)),
            }
        };
        Ok(Box::into_raw(Box::new(ProgLinfo::new(&src)?)).cast())
    })
}
