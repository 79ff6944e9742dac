//! C strings coming in from the application.

use core::ffi::{c_char, CStr};

/// The bytes of a NUL-terminated string (None for NULL).
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that outlives `'a`.
pub unsafe fn bytes<'a>(p: *const c_char) -> Option<&'a [u8]> {
    // SAFETY: per the contract.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_bytes())
}

/// A NUL-terminated string as Rust text (lossy; None for NULL).
///
/// # Safety
/// As [`bytes`].
pub unsafe fn string(p: *const c_char) -> Option<String> {
    // SAFETY: forwarded contract.
    unsafe { bytes(p) }.map(|b| String::from_utf8_lossy(b).into_owned())
}
