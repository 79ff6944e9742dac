//! Creating and loading BTF (`btf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.

use crate::btf::Btf;
use crate::ffi::api::btf_h::types::*;
use crate::ffi::btf_handle::*;
use crate::ffi::ctypes::*;
use crate::ffi::entry::ffi;

/// Frees a BTF object (NULL is ignored), closing its kernel fd if it was
/// loaded. A split BTF keeps its base alive until both are freed.
#[no_mangle]
pub unsafe extern "C" fn btf__free(btf: *mut btf) {
    ffi("btf__free", || {
        // SAFETY: NULL or a handle from this library, not used afterwards.
        unsafe { btf_free(btf) };
        Ok(())
    })
}

/// Reads the BTF of the kernel BTF object with id `id` (vmlinux, a module's,
/// or one loaded by a program). Returns a new BTF, or NULL with `errno` (the
/// kernel's, e.g. `ENOENT` for an unknown id, or `EINVAL` if unparsable).
#[no_mangle]
pub unsafe extern "C" fn btf__load_from_kernel_by_id(id: __u32) -> *mut btf {
    ffi("btf__load_from_kernel_by_id", || Btf::load_from_kernel_by_id(id, None).map(btf_into_c))
}

/// Like `btf__load_from_kernel_by_id()`, parsing the object's BTF as split
/// BTF on `base_btf` (needed for module BTF, split on vmlinux).
#[no_mangle]
pub unsafe extern "C" fn btf__load_from_kernel_by_id_split(id: __u32, base_btf: *mut btf) -> *mut btf {
    ffi("btf__load_from_kernel_by_id_split", || {
        // SAFETY: NULL or a live handle.
        let base = unsafe { btf_arc(base_btf) };
        Btf::load_from_kernel_by_id(id, base).map(btf_into_c)
    })
}

/// Loads the BTF into the kernel (`BPF_BTF_LOAD`) and keeps the new fd
/// (`btf__fd()`). Returns 0, or a negative errno: `-EEXIST` when already
/// loaded, the kernel's error otherwise (the kernel's log is then printed
/// at warning level).
#[no_mangle]
pub unsafe extern "C" fn btf__load_into_kernel(btf: *mut btf) -> c_int {
    ffi("btf__load_into_kernel", || {
        // SAFETY: NULL or a live handle, used by this thread only.
        unsafe { btf_mut(btf) }?.load_into_kernel().map(|_| 0)
    })
}

/// Reads the split BTF of kernel module `module_name` from
/// `/sys/kernel/btf/<module_name>`, on `vmlinux_btf`. Returns a new BTF, or
/// NULL with `errno` (`ENOENT` when the module has no BTF).
#[no_mangle]
pub unsafe extern "C" fn btf__load_module_btf(module_name: *const c_char, vmlinux_btf: *mut btf) -> *mut btf {
    ffi("btf__load_module_btf", || {
        // SAFETY: a NUL-terminated string (NULL is refused).
        let name = core::str::from_utf8(unsafe { c_bytes(module_name) }?).map_err(|_| crate::error::Error::INVAL)?;
        // SAFETY: NULL or a live handle.
        let base = unsafe { btf_arc(vmlinux_btf) }.ok_or(crate::error::Error::INVAL)?;
        Btf::load_module(name, base).map(btf_into_c)
    })
}

/// Loads the running kernel's BTF: `/sys/kernel/btf/vmlinux` (memory-mapped
/// when possible), else a vmlinux image in the usual places (`/boot`,
/// `/lib/modules/<release>`, `/usr/lib/debug`). Returns a new BTF, or NULL
/// with `errno` (`ESRCH` when none is found).
#[no_mangle]
pub unsafe extern "C" fn btf__load_vmlinux_btf() -> *mut btf {
    ffi("btf__load_vmlinux_btf", || Btf::load_vmlinux().map(btf_into_c))
}

/// Parses `size` bytes of raw BTF at `data` (copied; either byte order).
/// Returns a new BTF, or NULL with `errno`: `EINVAL` for malformed data,
/// `EOPNOTSUPP` for a foreign-endian header of unsupported length.
#[no_mangle]
pub unsafe extern "C" fn btf__new(data: *const c_void, size: __u32) -> *mut btf {
    ffi("btf__new", || {
        // SAFETY: the caller passes `size` readable bytes.
        let bytes = unsafe { bytes_arg(data, size) }?;
        Btf::parse(bytes).map(btf_into_c)
    })
}

/// Like `btf__new()`, as split BTF on `base_btf` (types and strings continue
/// the base's; NULL means standalone).
#[no_mangle]
pub unsafe extern "C" fn btf__new_split(data: *const c_void, size: __u32, base_btf: *mut btf) -> *mut btf {
    ffi("btf__new_split", || {
        // SAFETY: the caller passes `size` readable bytes and a live base.
        let (bytes, base) = unsafe { (bytes_arg(data, size)?, btf_arc(base_btf)) };
        Btf::from_blob(crate::sys::blob::Blob::copy_from(bytes), base).map(btf_into_c)
    })
}

/// Parses BTF from `path`: raw BTF, or else the `.BTF` section of an ELF
/// file, whose `.BTF.ext` is parsed into `*btf_ext` when `btf_ext` is not
/// NULL (`*btf_ext` is NULL when there is none). Returns a new BTF, or NULL
/// with `errno` (`ENOENT` for no file or no `.BTF`, `EINVAL` for bad BTF,
/// `LIBBPF_ERRNO__FORMAT` for a bad ELF file).
#[no_mangle]
pub unsafe extern "C" fn btf__parse(path: *const c_char, btf_ext: *mut *mut btf_ext) -> *mut btf {
    // SAFETY: the caller passes a path string and NULL or a writable pointer.
    unsafe { parse_common("btf__parse", path, core::ptr::null_mut(), btf_ext, Mode::Any) }
}

/// Parses the `.BTF` (and, into `*btf_ext` if not NULL, `.BTF.ext`) sections
/// of the ELF file at `path`; the pointer size follows the ELF class.
/// Returns a new BTF, or NULL with `errno` (`ENOENT` when there is no
/// `.BTF`, `LIBBPF_ERRNO__FORMAT` for a bad ELF file).
#[no_mangle]
pub unsafe extern "C" fn btf__parse_elf(path: *const c_char, btf_ext: *mut *mut btf_ext) -> *mut btf {
    // SAFETY: as for btf__parse.
    unsafe { parse_common("btf__parse_elf", path, core::ptr::null_mut(), btf_ext, Mode::Elf) }
}

/// Like `btf__parse_elf()` without `.BTF.ext`, as split BTF on `base_btf`.
#[no_mangle]
pub unsafe extern "C" fn btf__parse_elf_split(path: *const c_char, base_btf: *mut btf) -> *mut btf {
    // SAFETY: as for btf__parse.
    unsafe { parse_common("btf__parse_elf_split", path, base_btf, core::ptr::null_mut(), Mode::Elf) }
}

/// Parses a file of raw BTF. Returns a new BTF, or NULL with `errno`
/// (`EPROTO` when the file is not raw BTF).
#[no_mangle]
pub unsafe extern "C" fn btf__parse_raw(path: *const c_char) -> *mut btf {
    // SAFETY: as for btf__parse.
    unsafe { parse_common("btf__parse_raw", path, core::ptr::null_mut(), core::ptr::null_mut(), Mode::Raw) }
}

/// Like `btf__parse_raw()`, as split BTF on `base_btf`.
#[no_mangle]
pub unsafe extern "C" fn btf__parse_raw_split(path: *const c_char, base_btf: *mut btf) -> *mut btf {
    // SAFETY: as for btf__parse.
    unsafe { parse_common("btf__parse_raw_split", path, base_btf, core::ptr::null_mut(), Mode::Raw) }
}

/// Like `btf__parse()` without `.BTF.ext`, as split BTF on `base_btf`.
#[no_mangle]
pub unsafe extern "C" fn btf__parse_split(path: *const c_char, base_btf: *mut btf) -> *mut btf {
    // SAFETY: as for btf__parse.
    unsafe { parse_common("btf__parse_split", path, base_btf, core::ptr::null_mut(), Mode::Any) }
}

enum Mode {
    Raw,
    Elf,
    Any,
}

/// The common body of the `btf__parse*()` functions.
///
/// # Safety
/// `path` is a NUL-terminated string or NULL; `base` NULL or a live handle;
/// `ext_out` NULL or writable.
unsafe fn parse_common(name: &str, path: *const c_char, base: *mut btf, ext_out: *mut *mut btf_ext, mode: Mode) -> *mut btf {
    // btf__parse() clears `*btf_ext` up front; btf__parse_elf() only sets it
    // once the BTF is parsed (as libbpf does).
    if !ext_out.is_null() && matches!(mode, Mode::Any) {
        // SAFETY: writable per the contract.
        unsafe { *ext_out = core::ptr::null_mut() };
    }
    ffi(name, || {
        // SAFETY: per the contract.
        let (path, base) = unsafe { (c_path(path)?, btf_arc(base)) };
        let want_ext = !ext_out.is_null();
        let (btf, ext) = match mode {
            Mode::Raw => (Btf::parse_raw_file(path, base)?, None),
            Mode::Elf => Btf::parse_elf_file(path, base, want_ext)?,
            Mode::Any => Btf::parse_file(path, base, want_ext)?,
        };
        if want_ext {
            // SAFETY: `want_ext` means `ext_out` is writable.
            unsafe { *ext_out = ext.map_or(core::ptr::null_mut(), ext_into_c) };
        }
        Ok(btf_into_c(btf))
    })
}

/// A (pointer, size) argument as a slice (`EINVAL` for NULL).
///
/// # Safety
/// `data` is NULL or points to `size` readable bytes.
unsafe fn bytes_arg<'a>(data: *const c_void, size: __u32) -> crate::error::Result<&'a [u8]> {
    if data.is_null() {
        return Err(crate::error::Error::INVAL);
    }
    // SAFETY: per the contract.
    Ok(unsafe { core::slice::from_raw_parts(data.cast::<u8>(), size as usize) })
}
