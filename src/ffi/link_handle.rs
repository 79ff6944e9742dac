//! `struct bpf_link *` handles: a `Box<Link>` handed out by the attach
//! functions and `bpf_link__open()`, taken back by `bpf_link__destroy()`.

use crate::error::{Error, Result};
use crate::ffi::api::libbpf_h::types::bpf_link;
use crate::link::{Attached, Link};

/// Hands a link to C (to be released with `bpf_link__destroy()`).
pub fn link_into_c(l: Link) -> *mut bpf_link {
    Box::into_raw(Box::new(l)).cast()
}

/// The C handle of an auto-attach result (a handle made by an application
/// callback is passed on as it is).
pub fn attached_into_c(a: Attached) -> *mut bpf_link {
    match a {
        Attached::Link(l) => link_into_c(l),
        Attached::Handle(h) => h as *mut bpf_link,
    }
}

/// Whether `p` is NULL or one of the error-encoding pointers of libbpf's
/// old API (the last 4095 addresses), which `bpf_link__destroy()` ignores.
pub fn is_err_or_null(p: *const bpf_link) -> bool {
    p.is_null() || (p as usize) >= (-4095isize) as usize
}

/// Borrows a link (`EINVAL` for NULL).
///
/// # Safety
/// `p` is NULL or a live link handle, not used concurrently.
pub unsafe fn link_mut<'a>(p: *const bpf_link) -> Result<&'a mut Link> {
    // SAFETY: per the contract.
    unsafe { p.cast_mut().cast::<Link>().as_mut() }.ok_or(Error::INVAL)
}

/// Takes a link back from C.
///
/// # Safety
/// `p` is a live link handle that is not used afterwards.
pub unsafe fn link_from_c(p: *mut bpf_link) -> Box<Link> {
    // SAFETY: per the contract, `p` came from `link_into_c`.
    unsafe { Box::from_raw(p.cast::<Link>()) }
}
