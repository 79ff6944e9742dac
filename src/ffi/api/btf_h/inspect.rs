//! Inspecting BTF (`btf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.

use crate::error::Error;
use crate::ffi::api::btf_h::types::*;
use crate::ffi::btf_handle::*;
use crate::ffi::ctypes::*;
use crate::ffi::entry::{ffi, set_errno};

/// The alignment in bytes of type `id`: scalars align on their size capped
/// at the pointer size, structs and unions on their largest member's (1 when
/// their layout shows they are packed). Returns 0 with `errno = EINVAL` for
/// kinds without an alignment (VOID, FUNC, ...) and for unknown ids.
#[no_mangle]
pub unsafe extern "C" fn btf__align_of(btf: *const btf, id: __u32) -> c_int {
    ffi("btf__align_of", || {
        // SAFETY: NULL or a live handle.
        match unsafe { btf_ref(btf) }.and_then(|b| b.align_of(id)) {
            Ok(align) => Ok(align as c_int),
            // libbpf reports "no alignment" as 0 with errno set.
            Err(e) => {
                set_errno(e);
                Ok(0)
            }
        }
    })
}

/// The base BTF a split BTF is built on, or NULL for standalone BTF.
#[no_mangle]
pub unsafe extern "C" fn btf__base_btf(btf: *const btf) -> *const btf {
    ffi("btf__base_btf", || {
        // SAFETY: NULL or a live handle.
        Ok(unsafe { btf_ref(btf) }?.base().map_or(core::ptr::null(), |b| btf_as_c(b) as *const btf))
    })
}

/// The byte order `btf__raw_data()` produces: `BTF_LITTLE_ENDIAN` or
/// `BTF_BIG_ENDIAN` (that of the parsed data, unless changed).
#[no_mangle]
pub unsafe extern "C" fn btf__endianness(btf: *const btf) -> enum_btf_endianness {
    ffi("btf__endianness", || {
        // SAFETY: NULL or a live handle.
        Ok(unsafe { btf_ref(btf) }?.is_big_endian() as enum_btf_endianness)
    })
}

/// The fd of this BTF in the kernel, or -1 when not loaded.
#[no_mangle]
pub unsafe extern "C" fn btf__fd(btf: *const btf) -> c_int {
    ffi("btf__fd", || {
        // SAFETY: NULL or a live handle.
        Ok(unsafe { btf_ref(btf) }?.fd())
    })
}

/// The smallest id of a type named `type_name`, of any kind, base types
/// included ("void" is 0). Returns `-ENOENT` when there is none.
#[no_mangle]
pub unsafe extern "C" fn btf__find_by_name(btf: *const btf, type_name: *const c_char) -> __s32 {
    ffi("btf__find_by_name", || {
        // SAFETY: a live handle and a NUL-terminated string (NULL refused).
        let (b, name) = unsafe { (btf_ref(btf)?, c_bytes(type_name)?) };
        b.find_by_name(name).map(|id| id as __s32)
    })
}

/// The smallest id of a type of `kind` named `type_name`, base types
/// included ("void" and `BTF_KIND_UNKN` give 0). Returns `-ENOENT` when there
/// is none. Lookups use a hash index built on first use.
#[no_mangle]
pub unsafe extern "C" fn btf__find_by_name_kind(btf: *const btf, type_name: *const c_char, kind: __u32) -> __s32 {
    ffi("btf__find_by_name_kind", || {
        // SAFETY: a live handle and a NUL-terminated string (NULL refused).
        let (b, name) = unsafe { (btf_ref(btf)?, c_bytes(type_name)?) };
        b.find_by_name_kind(name, kind).map(|id| id as __s32)
    })
}

/// The string at `offset` (same as `btf__str_by_offset()`).
#[no_mangle]
pub unsafe extern "C" fn btf__name_by_offset(btf: *const btf, offset: __u32) -> *const c_char {
    // SAFETY: forwarded as is.
    unsafe { btf__str_by_offset(btf, offset) }
}

/// The pointer size this BTF assumes: set explicitly or by the ELF class, or
/// the size of its `long`; 0 when it cannot tell.
#[no_mangle]
pub unsafe extern "C" fn btf__pointer_size(btf: *const btf) -> size_t {
    ffi("btf__pointer_size", || {
        // SAFETY: NULL or a live handle.
        Ok(unsafe { btf_ref(btf) }?.pointer_size().unwrap_or(0) as size_t)
    })
}

/// The raw BTF bytes, in the byte order of `btf__endianness()`, storing their
/// length in `*size`: the original bytes of unmodified parsed BTF, else a
/// serialisation valid until the BTF is modified or freed.
#[no_mangle]
pub unsafe extern "C" fn btf__raw_data(btf: *const btf, size: *mut __u32) -> *const c_void {
    ffi("btf__raw_data", || {
        // SAFETY: NULL or a live handle.
        let raw = unsafe { btf_ref(btf) }?.raw_data();
        if size.is_null() {
            return Err(Error::INVAL);
        }
        // SAFETY: a writable u32 per the API.
        unsafe { *size = raw.len() as __u32 };
        Ok(raw.as_ptr().cast::<c_void>())
    })
}

/// The size in bytes of type `type_id`, through typedefs, modifiers, VARs
/// and arrays. Returns a negative errno: `-EINVAL` for types without a size
/// or chains over 32 deep, `-E2BIG` if the size overflows 32 bits.
#[no_mangle]
pub unsafe extern "C" fn btf__resolve_size(btf: *const btf, type_id: __u32) -> __s64 {
    ffi("btf__resolve_size", || {
        // SAFETY: NULL or a live handle.
        unsafe { btf_ref(btf) }?.resolve_size(type_id).map(|s| s as __s64)
    })
}

/// The id behind modifiers, typedefs and VARs of `type_id`. Returns
/// `-EINVAL` when that is VOID or FWD, or the chain is over 32 deep.
#[no_mangle]
pub unsafe extern "C" fn btf__resolve_type(btf: *const btf, type_id: __u32) -> c_int {
    ffi("btf__resolve_type", || {
        // SAFETY: NULL or a live handle.
        unsafe { btf_ref(btf) }?.resolve_type(type_id).map(|id| id as c_int)
    })
}

/// Chooses the byte order of `btf__raw_data()`. Returns 0, or `-EINVAL` for
/// a value that is neither `BTF_LITTLE_ENDIAN` nor `BTF_BIG_ENDIAN`.
#[no_mangle]
pub unsafe extern "C" fn btf__set_endianness(btf: *mut btf, endian: enum_btf_endianness) -> c_int {
    ffi("btf__set_endianness", || {
        // SAFETY: NULL or a live handle, used by this thread only.
        let b = unsafe { btf_mut(btf) }?;
        if endian > 1 {
            return Err(Error::INVAL);
        }
        b.set_big_endian(endian == 1);
        Ok(0)
    })
}

/// Sets the kernel fd of this BTF (closed by `btf__free()`; the previous fd
/// is left open).
#[no_mangle]
pub unsafe extern "C" fn btf__set_fd(btf: *mut btf, fd: c_int) {
    ffi("btf__set_fd", || {
        // SAFETY: NULL or a live handle, used by this thread only.
        unsafe { btf_mut(btf) }?.set_fd(fd);
        Ok(())
    })
}

/// Sets the pointer size (4 or 8) used for sizes and alignments. Returns 0,
/// or `-EINVAL` for another value.
#[no_mangle]
pub unsafe extern "C" fn btf__set_pointer_size(btf: *mut btf, ptr_sz: size_t) -> c_int {
    ffi("btf__set_pointer_size", || {
        // SAFETY: NULL or a live handle, used by this thread only.
        unsafe { btf_mut(btf) }?.set_pointer_size(ptr_sz).map(|_| 0)
    })
}

/// The NUL-terminated string at `offset` (in the base for split BTF's low
/// offsets). Returns NULL with `errno = EINVAL` for an offset out of range.
#[no_mangle]
pub unsafe extern "C" fn btf__str_by_offset(btf: *const btf, offset: __u32) -> *const c_char {
    ffi("btf__str_by_offset", || {
        // SAFETY: NULL or a live handle.
        let s = unsafe { btf_ref(btf) }?.str_by_offset(offset).ok_or(Error::INVAL)?;
        Ok(s.as_ptr())
    })
}

/// The type with id `id` (0 is VOID; base types for split BTF). Returns NULL
/// with `errno = EINVAL` when `id` is not below `btf__type_cnt()`.
#[no_mangle]
pub unsafe extern "C" fn btf__type_by_id(btf: *const btf, id: __u32) -> *const btf_type {
    ffi("btf__type_by_id", || {
        // SAFETY: NULL or a live handle.
        let t = unsafe { btf_ref(btf) }?.type_by_id(id).ok_or(Error::INVAL)?;
        Ok(t.as_ptr().cast::<btf_type>())
    })
}

/// The number of type ids, VOID and base types included: ids run from 0 to
/// `btf__type_cnt() - 1`.
#[no_mangle]
pub unsafe extern "C" fn btf__type_cnt(btf: *const btf) -> __u32 {
    ffi("btf__type_cnt", || {
        // SAFETY: NULL or a live handle.
        Ok(unsafe { btf_ref(btf) }?.type_cnt())
    })
}
