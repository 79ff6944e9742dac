//! `.BTF.ext` data (`btf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.

use crate::btf::BtfExt;
use crate::error::Error;
use crate::ffi::api::btf_h::types::*;
use crate::ffi::btf_handle::*;
use crate::ffi::ctypes::*;
use crate::ffi::entry::ffi;

/// The byte order `btf_ext__raw_data()` produces: `BTF_LITTLE_ENDIAN` or
/// `BTF_BIG_ENDIAN` (that of the parsed data, unless changed).
#[no_mangle]
pub unsafe extern "C" fn btf_ext__endianness(btf_ext: *const btf_ext) -> enum_btf_endianness {
    ffi("btf_ext__endianness", || {
        // SAFETY: NULL or a live handle.
        Ok(unsafe { ext_ref(btf_ext) }?.is_big_endian() as enum_btf_endianness)
    })
}

/// Frees `.BTF.ext` data (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn btf_ext__free(btf_ext: *mut btf_ext) {
    ffi("btf_ext__free", || {
        // SAFETY: NULL or a handle from this library, not used afterwards.
        unsafe { ext_free(btf_ext) };
        Ok(())
    })
}

/// Parses `size` bytes of `.BTF.ext` section data (copied; either byte
/// order): function info, line info and CO-RE relocation records per ELF
/// section, every offset, count and record size checked. Returns NULL with
/// `errno`: `EINVAL` for malformed data, `EOPNOTSUPP` for an unknown version
/// or flags.
#[no_mangle]
pub unsafe extern "C" fn btf_ext__new(data: *const __u8, size: __u32) -> *mut btf_ext {
    ffi("btf_ext__new", || {
        if data.is_null() {
            return Err(Error::INVAL);
        }
        // SAFETY: the caller passes `size` readable bytes.
        let bytes = unsafe { core::slice::from_raw_parts(data, size as usize) };
        BtfExt::parse(bytes).map(ext_into_c)
    })
}

/// The `.BTF.ext` bytes in the byte order of `btf_ext__endianness()`,
/// storing their length in `*size`; valid until the data is freed.
#[no_mangle]
pub unsafe extern "C" fn btf_ext__raw_data(btf_ext: *const btf_ext, size: *mut __u32) -> *const c_void {
    ffi("btf_ext__raw_data", || {
        // SAFETY: NULL or a live handle.
        let raw = unsafe { ext_ref(btf_ext) }?.raw_data();
        if size.is_null() {
            return Err(Error::INVAL);
        }
        // SAFETY: a writable u32 per the API.
        unsafe { *size = raw.len() as __u32 };
        Ok(raw.as_ptr().cast::<c_void>())
    })
}

/// Chooses the byte order of `btf_ext__raw_data()`. Returns 0, or `-EINVAL`
/// for a value that is neither `BTF_LITTLE_ENDIAN` nor `BTF_BIG_ENDIAN`.
#[no_mangle]
pub unsafe extern "C" fn btf_ext__set_endianness(btf_ext: *mut btf_ext, endian: enum_btf_endianness) -> c_int {
    ffi("btf_ext__set_endianness", || {
        // SAFETY: NULL or a live handle, used by this thread only.
        let e = unsafe { ext_mut(btf_ext) }?;
        if endian > 1 {
            return Err(Error::INVAL);
        }
        e.set_big_endian(endian == 1);
        Ok(0)
    })
}
