//! The one wrapper every `extern "C"` entry point runs its body in.
//!
//! It contains panics (a panic becomes an `-LIBBPF_ERRNO__INTERNAL` error
//! return, never an unwind into C or an abort), and turns an internal
//! [`Error`] into libbpf 1.x's convention: int-returning functions return the
//! negative errno, pointer-returning ones NULL, and both set `errno`.

use core::ffi::c_int;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{Error, Result};

/// What a C function returns when it fails with `err`.
pub trait CReturn: Sized {
    fn on_error(err: Error) -> Self;
}

impl CReturn for c_int {
    fn on_error(err: Error) -> Self {
        err.neg()
    }
}

impl CReturn for i64 {
    fn on_error(err: Error) -> Self {
        -(err.errno() as i64)
    }
}

impl<T> CReturn for *mut T {
    fn on_error(_: Error) -> Self {
        core::ptr::null_mut()
    }
}

impl<T> CReturn for *const T {
    fn on_error(_: Error) -> Self {
        core::ptr::null()
    }
}

/// Functions returning a value with no error encoding (sizes, ids, flags,
/// `void`): they report failure through `errno` and return zero/false.
macro_rules! zero_on_error {
    ($($t:ty => $v:expr),* $(,)?) => { $(impl CReturn for $t { fn on_error(_: Error) -> Self { $v } })* };
}
zero_on_error!(() => (), bool => false, u8 => 0, u16 => 0, u32 => 0, u64 => 0, usize => 0);

/// Sets the calling thread's `errno`.
pub fn set_errno(err: Error) {
    errno::set_errno(errno::Errno(err.errno()));
}

/// Runs `body`, containing panics and mapping errors to the C convention.
pub fn ffi<R: CReturn>(name: &str, body: impl FnOnce() -> Result<R>) -> R {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(v)) => v,
        Ok(Err(err)) => {
            set_errno(err);
            R::on_error(err)
        }
        Err(_) => {
            crate::pr_warn!("{name}: internal error (a bug in oxbpf), the call failed");
            set_errno(Error::INTERNAL);
            R::on_error(Error::INTERNAL)
        }
    }
}

/// The body of a function oxbpf does not implement yet: `-EOPNOTSUPP` (or
/// NULL/zero) with `errno = EOPNOTSUPP`. `make api-status` lists every
/// function whose body uses [`not_implemented!`] as not implemented.
pub fn not_implemented<R: CReturn>() -> R {
    set_errno(Error::NOT_SUPPORTED);
    R::on_error(Error::NOT_SUPPORTED)
}

/// Marks an FFI function as not implemented yet (see [`not_implemented`]).
#[macro_export]
macro_rules! not_implemented {
    () => {
        return $crate::ffi::entry::not_implemented()
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_become_negative_errno_and_set_errno() {
        let r: c_int = ffi("t", || Err(Error::new(libc::ENOENT)));
        assert_eq!(r, -libc::ENOENT);
        assert_eq!(errno::errno().0, libc::ENOENT);
        let p: *mut u8 = ffi("t", || Err(Error::TOO_BIG));
        assert!(p.is_null());
        assert_eq!(errno::errno().0, libc::E2BIG);
    }

    #[test]
    fn panics_are_contained() {
        let r: c_int = ffi("t", || -> Result<c_int> { panic!("boom") });
        assert_eq!(r, -crate::error::code::INTERNAL);
        assert_eq!(errno::errno().0, crate::error::code::INTERNAL);
    }

    #[test]
    fn not_implemented_is_honest() {
        let r: c_int = not_implemented();
        assert_eq!(r, -libc::EOPNOTSUPP);
        let p: *const u8 = not_implemented();
        assert!(p.is_null());
        assert_eq!(errno::errno().0, libc::EOPNOTSUPP);
    }
}
