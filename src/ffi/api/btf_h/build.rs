//! Building BTF (`btf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
//! Every `btf__add_*()` returns the new type's id (or 0 for the functions
//! adding a member, enumerator, parameter or variable to the last type), or
//! a negative errno: `-EINVAL` for a bad argument, `-E2BIG` for an out of
//! range value, `-ENOMEM`.

use crate::btf::Btf;
use crate::error::{Error, Result};
use crate::ffi::api::btf_h::types::*;
use crate::ffi::btf_handle::*;
use crate::ffi::ctypes::*;
use crate::ffi::entry::ffi;

/// A type id argument: negative ids are `EINVAL`.
fn id_arg(id: c_int) -> Result<u32> {
    u32::try_from(id).map_err(|_| Error::INVAL)
}

/// An optional name: NULL is the empty name.
///
/// # Safety
/// `s` is NULL or a NUL-terminated string.
unsafe fn name_arg<'a>(s: *const c_char) -> &'a [u8] {
    // SAFETY: per the contract.
    unsafe { c_bytes(s) }.unwrap_or(&[])
}

/// Runs `f` on the BTF behind `btf` (exclusively borrowed for the call).
fn with_btf<R: crate::ffi::entry::CReturn>(name: &str, btf: *mut btf, f: impl FnOnce(&mut Btf) -> Result<R>) -> R {
    ffi(name, || {
        // SAFETY: NULL or a live handle that the caller does not use
        // concurrently (libbpf's contract for modifying BTF).
        f(unsafe { btf_mut(btf) }?)
    })
}

/// Appends an ARRAY of `nr_elems` elements of `elem_type_id`, indexed by
/// `index_type_id`.
#[no_mangle]
pub unsafe extern "C" fn btf__add_array(btf: *mut btf, index_type_id: c_int, elem_type_id: c_int, nr_elems: __u32) -> c_int {
    with_btf("btf__add_array", btf, |b| {
        b.add_array(id_arg(index_type_id)?, id_arg(elem_type_id)?, nr_elems).map(|id| id as c_int)
    })
}

/// Appends a CONST modifier of `ref_type_id`.
#[no_mangle]
pub unsafe extern "C" fn btf__add_const(btf: *mut btf, ref_type_id: c_int) -> c_int {
    with_btf("btf__add_const", btf, |b| {
        b.add_const(id_arg(ref_type_id)?).map(|id| id as c_int)
    })
}

/// Appends a DATASEC `name` of `byte_sz` bytes; add its variables with
/// `btf__add_datasec_var_info()`.
#[no_mangle]
pub unsafe extern "C" fn btf__add_datasec(btf: *mut btf, name: *const c_char, byte_sz: __u32) -> c_int {
    with_btf("btf__add_datasec", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_datasec(unsafe { name_arg(name) }, byte_sz).map(|id| id as c_int)
    })
}

/// Adds variable `var_type_id` at `offset`, of `byte_sz` bytes, to the last
/// type, which must be a DATASEC.
#[no_mangle]
pub unsafe extern "C" fn btf__add_datasec_var_info(btf: *mut btf, var_type_id: c_int, offset: __u32, byte_sz: __u32) -> c_int {
    with_btf("btf__add_datasec_var_info", btf, |b| {
        b.add_datasec_var_info(id_arg(var_type_id)?, offset, byte_sz).map(|_| 0)
    })
}

/// Appends a DECL_TAG with the kind flag set: the declaration attribute
/// `value` on `ref_type_id`, or on its member/parameter `component_idx`
/// (-1: the declaration itself).
#[no_mangle]
pub unsafe extern "C" fn btf__add_decl_attr(btf: *mut btf, value: *const c_char, ref_type_id: c_int, component_idx: c_int) -> c_int {
    with_btf("btf__add_decl_attr", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_decl_attr(unsafe { name_arg(value) }, id_arg(ref_type_id)?, component_idx).map(|id| id as c_int)
    })
}

/// Appends a DECL_TAG `value` on `ref_type_id`, or on its member/parameter
/// `component_idx` (-1: the declaration itself).
#[no_mangle]
pub unsafe extern "C" fn btf__add_decl_tag(btf: *mut btf, value: *const c_char, ref_type_id: c_int, component_idx: c_int) -> c_int {
    with_btf("btf__add_decl_tag", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_decl_tag(unsafe { name_arg(value) }, id_arg(ref_type_id)?, component_idx).map(|id| id as c_int)
    })
}

/// Appends an ENUM `name` (NULL or empty: anonymous) of `bytes_sz` bytes (1,
/// 2, 4 or 8); add enumerators with `btf__add_enum_value()`.
#[no_mangle]
pub unsafe extern "C" fn btf__add_enum(btf: *mut btf, name: *const c_char, bytes_sz: __u32) -> c_int {
    with_btf("btf__add_enum", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_enum(unsafe { name_arg(name) }, bytes_sz).map(|id| id as c_int)
    })
}

/// Appends an ENUM64 `name` (NULL or empty: anonymous) of `bytes_sz` bytes,
/// signed or not; add enumerators with `btf__add_enum64_value()`.
#[no_mangle]
pub unsafe extern "C" fn btf__add_enum64(btf: *mut btf, name: *const c_char, bytes_sz: __u32, is_signed: bool) -> c_int {
    with_btf("btf__add_enum64", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_enum64(unsafe { name_arg(name) }, bytes_sz, is_signed).map(|id| id as c_int)
    })
}

/// Adds enumerator `name` = `value` to the last type, which must be an ENUM64.
#[no_mangle]
pub unsafe extern "C" fn btf__add_enum64_value(btf: *mut btf, name: *const c_char, value: __u64) -> c_int {
    with_btf("btf__add_enum64_value", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_enum64_value(unsafe { name_arg(name) }, value).map(|_| 0)
    })
}

/// Adds enumerator `name` = `value` to the last type, which must be an ENUM.
/// `-E2BIG` when `value` fits neither 32-bit signed nor unsigned; a negative
/// value marks the enum signed.
#[no_mangle]
pub unsafe extern "C" fn btf__add_enum_value(btf: *mut btf, name: *const c_char, value: __s64) -> c_int {
    with_btf("btf__add_enum_value", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_enum_value(unsafe { name_arg(name) }, value).map(|_| 0)
    })
}

/// Adds member `name` (NULL or empty: anonymous) of `field_type_id` at
/// `bit_offset` to the last type, which must be a STRUCT or UNION; a
/// non-zero `bit_size` (at most 255) makes it a bitfield and sets the kind
/// flag. Union members must be at offset 0.
#[no_mangle]
pub unsafe extern "C" fn btf__add_field(btf: *mut btf, name: *const c_char, field_type_id: c_int, bit_offset: __u32, bit_size: __u32) -> c_int {
    with_btf("btf__add_field", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_field(unsafe { name_arg(name) }, id_arg(field_type_id)?, bit_offset, bit_size).map(|_| 0)
    })
}

/// Appends a FLOAT `name` of `byte_sz` bytes (2, 4, 8, 12 or 16).
#[no_mangle]
pub unsafe extern "C" fn btf__add_float(btf: *mut btf, name: *const c_char, byte_sz: size_t) -> c_int {
    with_btf("btf__add_float", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_float(unsafe { name_arg(name) }, byte_sz).map(|id| id as c_int)
    })
}

/// Appends a FUNC `name` with `linkage` (`BTF_FUNC_STATIC`, `_GLOBAL` or
/// `_EXTERN`) and prototype `proto_type_id`.
#[no_mangle]
pub unsafe extern "C" fn btf__add_func(btf: *mut btf, name: *const c_char, linkage: enum_btf_func_linkage, proto_type_id: c_int) -> c_int {
    with_btf("btf__add_func", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_func(unsafe { name_arg(name) }, linkage, id_arg(proto_type_id)?).map(|id| id as c_int)
    })
}

/// Adds parameter `name` (NULL or empty: unnamed) of `type_id` to the last
/// type, which must be a FUNC_PROTO.
#[no_mangle]
pub unsafe extern "C" fn btf__add_func_param(btf: *mut btf, name: *const c_char, type_id: c_int) -> c_int {
    with_btf("btf__add_func_param", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_func_param(unsafe { name_arg(name) }, id_arg(type_id)?).map(|_| 0)
    })
}

/// Appends a FUNC_PROTO returning `ret_type_id` (0: void); add parameters
/// with `btf__add_func_param()`.
#[no_mangle]
pub unsafe extern "C" fn btf__add_func_proto(btf: *mut btf, ret_type_id: c_int) -> c_int {
    with_btf("btf__add_func_proto", btf, |b| {
        b.add_func_proto(id_arg(ret_type_id)?).map(|id| id as c_int)
    })
}

/// Appends a forward declaration `name`: a FWD for `BTF_FWD_STRUCT` and
/// `BTF_FWD_UNION` (kind flag set for unions), an empty 4-byte ENUM for
/// `BTF_FWD_ENUM`.
#[no_mangle]
pub unsafe extern "C" fn btf__add_fwd(btf: *mut btf, name: *const c_char, fwd_kind: enum_btf_fwd_kind) -> c_int {
    with_btf("btf__add_fwd", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_fwd(unsafe { name_arg(name) }, fwd_kind).map(|id| id as c_int)
    })
}

/// Appends an INT `name` of `byte_sz` bytes (1, 2, 4, 8 or 16) with
/// `encoding` (`BTF_INT_SIGNED`, `BTF_INT_CHAR`, `BTF_INT_BOOL` or 0).
#[no_mangle]
pub unsafe extern "C" fn btf__add_int(btf: *mut btf, name: *const c_char, byte_sz: size_t, encoding: c_int) -> c_int {
    with_btf("btf__add_int", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_int(unsafe { name_arg(name) }, byte_sz, encoding as u32).map(|id| id as c_int)
    })
}

/// Appends a PTR to `ref_type_id` (which may be added later).
#[no_mangle]
pub unsafe extern "C" fn btf__add_ptr(btf: *mut btf, ref_type_id: c_int) -> c_int {
    with_btf("btf__add_ptr", btf, |b| {
        b.add_ptr(id_arg(ref_type_id)?).map(|id| id as c_int)
    })
}

/// Appends a RESTRICT modifier of `ref_type_id`.
#[no_mangle]
pub unsafe extern "C" fn btf__add_restrict(btf: *mut btf, ref_type_id: c_int) -> c_int {
    with_btf("btf__add_restrict", btf, |b| {
        b.add_restrict(id_arg(ref_type_id)?).map(|id| id as c_int)
    })
}

/// Adds string `s` unless already present (in this BTF or its base).
/// Returns its offset, or a negative errno.
#[no_mangle]
pub unsafe extern "C" fn btf__add_str(btf: *mut btf, s: *const c_char) -> c_int {
    with_btf("btf__add_str", btf, |b| {
        // SAFETY: a NUL-terminated string (NULL refused).
        b.add_str(unsafe { c_bytes(s) }?).map(|off| off as c_int)
    })
}

/// Appends a STRUCT `name` (NULL or empty: anonymous) of `sz` bytes; add
/// members with `btf__add_field()`.
#[no_mangle]
pub unsafe extern "C" fn btf__add_struct(btf: *mut btf, name: *const c_char, sz: __u32) -> c_int {
    with_btf("btf__add_struct", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_struct(unsafe { name_arg(name) }, sz).map(|id| id as c_int)
    })
}

/// Appends a TYPE_TAG with the kind flag set: the type attribute `value` on
/// `ref_type_id`.
#[no_mangle]
pub unsafe extern "C" fn btf__add_type_attr(btf: *mut btf, value: *const c_char, ref_type_id: c_int) -> c_int {
    with_btf("btf__add_type_attr", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_type_attr(unsafe { name_arg(value) }, id_arg(ref_type_id)?).map(|id| id as c_int)
    })
}

/// Appends a TYPE_TAG `value` on `ref_type_id`.
#[no_mangle]
pub unsafe extern "C" fn btf__add_type_tag(btf: *mut btf, value: *const c_char, ref_type_id: c_int) -> c_int {
    with_btf("btf__add_type_tag", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_type_tag(unsafe { name_arg(value) }, id_arg(ref_type_id)?).map(|id| id as c_int)
    })
}

/// Appends a TYPEDEF `name` of `ref_type_id`.
#[no_mangle]
pub unsafe extern "C" fn btf__add_typedef(btf: *mut btf, name: *const c_char, ref_type_id: c_int) -> c_int {
    with_btf("btf__add_typedef", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_typedef(unsafe { name_arg(name) }, id_arg(ref_type_id)?).map(|id| id as c_int)
    })
}

/// Appends a UNION `name` (NULL or empty: anonymous) of `sz` bytes; add
/// members (at offset 0) with `btf__add_field()`.
#[no_mangle]
pub unsafe extern "C" fn btf__add_union(btf: *mut btf, name: *const c_char, sz: __u32) -> c_int {
    with_btf("btf__add_union", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        b.add_union(unsafe { name_arg(name) }, sz).map(|id| id as c_int)
    })
}

/// Appends a VAR `name` of `type_id` with `linkage` (`BTF_VAR_STATIC`,
/// `BTF_VAR_GLOBAL_ALLOCATED` or `BTF_VAR_GLOBAL_EXTERN`).
#[no_mangle]
pub unsafe extern "C" fn btf__add_var(btf: *mut btf, name: *const c_char, linkage: c_int, type_id: c_int) -> c_int {
    with_btf("btf__add_var", btf, |b| {
        // SAFETY: NULL or a NUL-terminated string.
        let linkage = u32::try_from(linkage).map_err(|_| Error::INVAL)?;
        b.add_var(unsafe { name_arg(name) }, linkage, id_arg(type_id)?).map(|id| id as c_int)
    })
}

/// Appends a VOLATILE modifier of `ref_type_id`.
#[no_mangle]
pub unsafe extern "C" fn btf__add_volatile(btf: *mut btf, ref_type_id: c_int) -> c_int {
    with_btf("btf__add_volatile", btf, |b| {
        b.add_volatile(id_arg(ref_type_id)?).map(|id| id as c_int)
    })
}

/// The offset of string `s` (in this BTF or its base). Returns `-ENOENT`
/// when absent.
#[no_mangle]
pub unsafe extern "C" fn btf__find_str(btf: *mut btf, s: *const c_char) -> c_int {
    with_btf("btf__find_str", btf, |b| {
        // SAFETY: a NUL-terminated string (NULL refused).
        b.find_str(unsafe { c_bytes(s) }?).map(|off| off as c_int)
    })
}

/// Appends a copy of type `src_type` of `src_btf` (its strings added to
/// `btf`; the type ids it refers to are kept as they are). Returns the new
/// id, or a negative errno (`-EINVAL` for an unknown kind).
#[no_mangle]
pub unsafe extern "C" fn btf__add_type(btf: *mut btf, src_btf: *const btf, src_type: *const btf_type) -> c_int {
    with_btf("btf__add_type", btf, |b| {
        if src_type.is_null() {
            return Err(Error::INVAL);
        }
        let words = src_type.cast::<u32>();
        // SAFETY: a `struct btf_type` is readable at `src_type`, and the
        // record its kind and vlen describe follows it (the caller's type).
        let head = unsafe { core::slice::from_raw_parts(words, crate::btf::TYPE_WORDS) };
        let same = core::ptr::eq(src_btf.cast::<Btf>(), b as *const Btf);
        let layouts = if same {
            b.layouts().map(<[_]>::to_vec)
        } else {
            // SAFETY: NULL or a live handle.
            unsafe { btf_ref(src_btf) }?.layouts().map(<[_]>::to_vec)
        };
        let n = crate::btf::record_words(head[1], layouts.as_deref().unwrap_or(&[])).ok_or(Error::INVAL)?;
        // SAFETY: as above, the whole record is readable.
        let record = unsafe { core::slice::from_raw_parts(words, n) }.to_vec();
        if same {
            b.add_type_copy(record)
        } else {
            // SAFETY: NULL or a live handle, distinct from `btf`.
            let src = unsafe { btf_ref(src_btf) }?;
            b.add_type(src, crate::btf::Type::new(&record))
        }
        .map(|id| id as c_int)
    })
}

/// Appends every type of `src_btf` (not split BTF: `-EOPNOTSUPP`) with its
/// strings, renumbering the ids they refer to. Returns the id given to the
/// first of them; on failure `btf` is unchanged.
#[no_mangle]
pub unsafe extern "C" fn btf__add_btf(btf: *mut btf, src_btf: *const btf) -> c_int {
    with_btf("btf__add_btf", btf, |b| {
        if core::ptr::eq(src_btf.cast::<Btf>(), b as *const Btf) {
            return b.add_btf_self().map(|id| id as c_int);
        }
        // SAFETY: NULL or a live handle, distinct from `btf`.
        let src = unsafe { btf_ref(src_btf) }?;
        b.add_btf(src).map(|id| id as c_int)
    })
}

/// Creates an empty BTF: VOID only, the empty string at offset 0, pointer
/// size 8. Returns NULL with `errno` on failure.
#[no_mangle]
pub unsafe extern "C" fn btf__new_empty() -> *mut btf {
    ffi("btf__new_empty", || Ok(btf_into_c(Btf::new_empty())))
}

/// Creates an empty BTF from `opts` (NULL: defaults): split on
/// `opts->base_btf` if set, with a layout section describing each kind's
/// record sizes if `opts->add_layout`. Returns NULL with `errno = EINVAL` for
/// bad opts.
#[no_mangle]
pub unsafe extern "C" fn btf__new_empty_opts(opts: *mut btf_new_opts) -> *mut btf {
    ffi("btf__new_empty_opts", || {
        // SAFETY: NULL or the caller's opts of `sz` bytes.
        let o = unsafe { crate::ffi::opts::read(opts as *const btf_new_opts) }?;
        // SAFETY: NULL or a live handle.
        let base = unsafe { btf_arc(o.base_btf) };
        Ok(btf_into_c(Btf::new_empty_with(base, o.add_layout)))
    })
}

/// Creates an empty BTF split on `base_btf` (NULL: standalone): its type ids
/// and string offsets continue the base's.
#[no_mangle]
pub unsafe extern "C" fn btf__new_empty_split(base_btf: *mut btf) -> *mut btf {
    ffi("btf__new_empty_split", || {
        // SAFETY: NULL or a live handle.
        let base = unsafe { btf_arc(base_btf) };
        Ok(btf_into_c(Btf::new_empty_with(base, false)))
    })
}
