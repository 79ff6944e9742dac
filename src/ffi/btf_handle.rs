//! `struct btf *` and `struct btf_ext *` handles.
//!
//! A `struct btf *` is `Arc::into_raw` of an `Arc<Btf>`: split BTF created
//! from C keeps its base alive through the same `Arc`, and BTF owned by
//! another object (`bpf_object__btf()`) can be handed out as
//! `Arc::as_ptr`. Only handles made by [`btf_into_c`] are freed by
//! `btf__free()`. A `struct btf_ext *` is a `Box<BtfExt>`.

use std::sync::Arc;

use crate::btf::{Btf, BtfExt};
use crate::error::{Error, Result};
use crate::ffi::api::btf_h::types::{btf, btf_ext};

/// Hands a new BTF to C (to be freed with `btf__free()`).
pub fn btf_into_c(b: Btf) -> *mut btf {
    Arc::into_raw(Arc::new(b)) as *mut btf
}

/// Hands a BTF that is already shared (e.g. the base of a split BTF also
/// handed out) to C, as a handle of its own (to be freed with
/// `btf__free()`).
pub fn btf_shared_into_c(b: Arc<Btf>) -> *mut btf {
    Arc::into_raw(b) as *mut btf
}

/// Hands a shared BTF to C without giving up ownership (the pointer lives
/// as long as the `Arc` it came from).
pub fn btf_as_c(b: &Arc<Btf>) -> *mut btf {
    Arc::as_ptr(b) as *mut btf
}

/// Borrows a C handle (`EINVAL` for NULL).
///
/// # Safety
/// `p` is NULL or a live `struct btf *` from this library.
pub unsafe fn btf_ref<'a>(p: *const btf) -> Result<&'a Btf> {
    // SAFETY: per the contract, a non-NULL `p` points to a live `Btf`.
    unsafe { p.cast::<Btf>().as_ref() }.ok_or(Error::INVAL)
}

/// Borrows a C handle mutably (`EINVAL` for NULL).
///
/// # Safety
/// `p` is NULL or a live `struct btf *` from this library, not used
/// concurrently (libbpf's contract for every function modifying BTF).
pub unsafe fn btf_mut<'a>(p: *mut btf) -> Result<&'a mut Btf> {
    // SAFETY: as above; the caller guarantees exclusive use for the call.
    unsafe { p.cast::<Btf>().as_mut() }.ok_or(Error::INVAL)
}

/// A new strong reference to the BTF behind a C handle (for split BTF
/// holding its base).
///
/// # Safety
/// `p` is NULL or a live `struct btf *` that lives inside an `Arc<Btf>`.
pub unsafe fn btf_arc(p: *const btf) -> Option<Arc<Btf>> {
    if p.is_null() {
        return None;
    }
    let p = p.cast::<Btf>();
    // SAFETY: `p` came from `Arc::into_raw`/`Arc::as_ptr` of a live Arc;
    // taking a new count and rebuilding an Arc from it is balanced.
    unsafe {
        Arc::increment_strong_count(p);
        Some(Arc::from_raw(p))
    }
}

/// Releases a handle made by [`btf_into_c`].
///
/// # Safety
/// `p` is NULL or a handle from [`btf_into_c`], not used afterwards.
pub unsafe fn btf_free(p: *mut btf) {
    if !p.is_null() {
        // SAFETY: the handle owns one strong count.
        drop(unsafe { Arc::from_raw(p.cast::<Btf>()) });
    }
}

/// Hands a `.BTF.ext` to C.
pub fn ext_into_c(e: BtfExt) -> *mut btf_ext {
    Box::into_raw(Box::new(e)) as *mut btf_ext
}

/// Borrows a `.BTF.ext` handle (`EINVAL` for NULL).
///
/// # Safety
/// `p` is NULL or a live handle from [`ext_into_c`].
pub unsafe fn ext_ref<'a>(p: *const btf_ext) -> Result<&'a BtfExt> {
    // SAFETY: per the contract.
    unsafe { p.cast::<BtfExt>().as_ref() }.ok_or(Error::INVAL)
}

/// Borrows a `.BTF.ext` handle mutably (`EINVAL` for NULL).
///
/// # Safety
/// As [`ext_ref`], and not used concurrently.
pub unsafe fn ext_mut<'a>(p: *mut btf_ext) -> Result<&'a mut BtfExt> {
    // SAFETY: per the contract.
    unsafe { p.cast::<BtfExt>().as_mut() }.ok_or(Error::INVAL)
}

/// Releases a `.BTF.ext` handle.
///
/// # Safety
/// `p` is NULL or a handle from [`ext_into_c`], not used afterwards.
pub unsafe fn ext_free(p: *mut btf_ext) {
    if !p.is_null() {
        // SAFETY: the handle owns the box.
        drop(unsafe { Box::from_raw(p.cast::<BtfExt>()) });
    }
}

/// A C string argument as bytes (`EINVAL` for NULL).
///
/// # Safety
/// `s` is NULL or a NUL-terminated string.
pub unsafe fn c_bytes<'a>(s: *const core::ffi::c_char) -> Result<&'a [u8]> {
    if s.is_null() {
        return Err(Error::INVAL);
    }
    // SAFETY: per the contract.
    Ok(unsafe { core::ffi::CStr::from_ptr(s) }.to_bytes())
}

/// An optional C string argument as text: NULL is "" (anonymous); bytes
/// that are not UTF-8 are `EINVAL`.
///
/// # Safety
/// `s` is NULL or a NUL-terminated string.
pub unsafe fn c_name<'a>(s: *const core::ffi::c_char) -> Result<&'a str> {
    if s.is_null() {
        return Ok("");
    }
    // SAFETY: per the contract.
    core::str::from_utf8(unsafe { c_bytes(s) }?).map_err(|_| Error::INVAL)
}

/// A C path argument (`EINVAL` for NULL).
///
/// # Safety
/// `s` is NULL or a NUL-terminated string.
pub unsafe fn c_path<'a>(s: *const core::ffi::c_char) -> Result<&'a std::path::Path> {
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: per the contract.
    Ok(std::path::Path::new(std::ffi::OsStr::from_bytes(unsafe { c_bytes(s) }?)))
}
