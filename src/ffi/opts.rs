//! The `sz` rule shared by every libbpf opts struct.
//!
//! Every `struct *_opts` starts with `size_t sz`, the size the caller was
//! compiled with:
//! - NULL opts: every option takes its default (all-zero);
//! - `sz` smaller than ours: an older caller; only the prefix it knows is read,
//!   the rest defaults;
//! - `sz` larger than ours: a newer caller; accepted only if every byte past
//!   the last field we know is zero, else `-EINVAL`;
//! - `sz` smaller than `size_t` itself: `-EINVAL`.
//!
//! "Ours" is the end of the last field we know (`*__last_field` in the
//! headers), not `sizeof`, so tail padding must be zero too, as in libbpf.

use core::mem::{size_of, MaybeUninit};

use crate::error::{Error, Result};

/// A C opts struct. Implemented through [`impl_opts!`], which also makes
/// build.rs emit the `NAME__last_field` macro into the owning header.
///
/// # Safety
/// The type must be `#[repr(C)]`, start with a `size_t sz` field, and be
/// valid when all of its bytes are zero.
pub unsafe trait Opts: Sized {
    /// The C struct name, for messages.
    const NAME: &'static str;
    /// Offset just past the last field this library knows.
    const KNOWN_END: usize;
}

/// `impl_opts!(bpf_foo_opts, last_field: FieldType);` next to the definition.
#[macro_export]
macro_rules! impl_opts {
    ($t:ident, $last:ident : $ty:ty) => {
        // SAFETY: every opts struct is #[repr(C)], starts with `sz` and is
        // plain data (integers, pointers, bools, nullable fn pointers).
        unsafe impl $crate::ffi::opts::Opts for $t {
            const NAME: &'static str = stringify!($t);
            const KNOWN_END: usize = core::mem::offset_of!($t, $last) + core::mem::size_of::<$ty>();
        }
    };
}

/// All-zero opts: every option at its default.
pub fn defaults<T: Opts>() -> T {
    // SAFETY: `Opts` types are valid when zeroed.
    unsafe { MaybeUninit::<T>::zeroed().assume_init() }
}

/// Reads the caller's opts under the `sz` rule (see the module docs).
///
/// # Safety
/// `ptr` is NULL or points to at least `ptr->sz` readable bytes.
pub unsafe fn read<T: Opts>(ptr: *const T) -> Result<T> {
    let mut out = MaybeUninit::<T>::zeroed();
    if ptr.is_null() {
        // SAFETY: `Opts` types are valid when zeroed.
        return Ok(unsafe { out.assume_init() });
    }
    // SAFETY: the caller's struct starts with its size.
    let sz = unsafe { ptr.cast::<usize>().read() };
    if sz < size_of::<usize>() {
        crate::pr_warn!("{} size ({}) is too small", T::NAME, sz);
        return Err(Error::INVAL);
    }
    if sz > T::KNOWN_END {
        // SAFETY: the caller promises `sz` readable bytes.
        let tail = unsafe { core::slice::from_raw_parts(ptr.cast::<u8>().add(T::KNOWN_END), sz - T::KNOWN_END) };
        if tail.iter().any(|&b| b != 0) {
            crate::pr_warn!("{} has non-zero extra bytes", T::NAME);
            return Err(Error::INVAL);
        }
    }
    let n = sz.min(T::KNOWN_END).min(size_of::<T>());
    // SAFETY: `n` bytes are readable from the caller and fit in `out`.
    unsafe { core::ptr::copy_nonoverlapping(ptr.cast::<u8>(), out.as_mut_ptr().cast::<u8>(), n) };
    // SAFETY: a zeroed `T` with a prefix copied from a valid `T`.
    Ok(unsafe { out.assume_init() })
}

/// Whether the caller's struct is large enough to hold a field ending at `end`.
///
/// # Safety
/// `ptr` is NULL or points to a struct starting with `size_t sz`.
pub unsafe fn covers<T>(ptr: *const T, end: usize) -> bool {
    // SAFETY: see the contract above.
    !ptr.is_null() && unsafe { ptr.cast::<usize>().read() } >= end
}

/// Writes an output field back into the caller's opts when its `sz` covers it:
/// `opts_set!(opts_ptr, bpf_test_run_opts, retval, value)`.
#[macro_export]
macro_rules! opts_set {
    ($ptr:expr, $t:ty, $field:ident, $val:expr) => {{
        let ptr: *mut $t = $ptr as *mut $t;
        let off = core::mem::offset_of!($t, $field);
        // SAFETY: the field lies inside the caller's `sz` bytes (checked).
        unsafe {
            let field = core::ptr::addr_of_mut!((*ptr).$field);
            if $crate::ffi::opts::covers(ptr, off + core::mem::size_of_val(&*field)) {
                field.write_unaligned($val);
            }
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[repr(C)]
    struct test_opts {
        sz: usize,
        a: u32,
        b: u8,
    }
    impl_opts!(test_opts, b: u8);

    #[repr(C)]
    struct bigger {
        base: test_opts,
        extra: [u8; 16],
    }

    #[test]
    fn null_means_defaults() {
        let o = unsafe { read::<test_opts>(core::ptr::null()) }.unwrap();
        assert_eq!((o.sz, o.a, o.b), (0, 0, 0));
    }

    #[test]
    fn smaller_sz_reads_prefix_only() {
        let src = test_opts { sz: 12, a: 7, b: 9 };
        let o = unsafe { read(&src) }.unwrap();
        assert_eq!((o.a, o.b), (7, 0));
    }

    #[test]
    fn larger_sz_needs_zero_tail() {
        // Zeroed like LIBBPF_OPTS does: padding bytes must be initialised.
        let mut src: bigger = unsafe { MaybeUninit::zeroed().assume_init() };
        src.base.sz = size_of::<bigger>();
        src.base.a = 1;
        src.base.b = 2;
        let ptr = (&src as *const bigger).cast::<test_opts>();
        let o = unsafe { read(ptr) }.unwrap();
        assert_eq!((o.a, o.b), (1, 2));
        src.extra[3] = 1;
        let ptr = (&src as *const bigger).cast::<test_opts>();
        assert_eq!(unsafe { read(ptr) }.err(), Some(Error::INVAL));
    }

    #[test]
    fn padding_past_last_field_counts_as_tail() {
        // KNOWN_END is 13, sizeof is 16: a non-zero padding byte is refused.
        #[repr(C, align(8))]
        struct Raw([u8; 16]);
        let mut raw = Raw([0u8; 16]);
        raw.0[..8].copy_from_slice(&16usize.to_ne_bytes());
        raw.0[14] = 1;
        let ptr = (&raw as *const Raw).cast::<test_opts>();
        assert_eq!(unsafe { read(ptr) }.err(), Some(Error::INVAL));
    }

    #[test]
    fn tiny_sz_is_invalid() {
        let src = test_opts { sz: 4, a: 0, b: 0 };
        assert_eq!(unsafe { read(&src) }.err(), Some(Error::INVAL));
    }

    #[test]
    fn output_fields_respect_sz() {
        let mut small = test_opts { sz: 12, a: 0, b: 0 };
        opts_set!(&mut small, test_opts, a, 5u32);
        opts_set!(&mut small, test_opts, b, 6u8);
        assert_eq!((small.a, small.b), (5, 0));
    }
}
