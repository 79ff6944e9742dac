//! BPF objects (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::ffi::ctypes::*;
use crate::ffi::handles;
use crate::not_implemented;
use crate::ffi::api::btf_h::types::*;
use crate::ffi::api::libbpf_h::types::*;

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__btf(obj: *const bpf_object) -> *mut btf {
    not_implemented!()
}

/// The fd of the object's BTF in the kernel, or -1 when it has none loaded.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__btf_fd(obj: *const bpf_object) -> c_int {
    // SAFETY: `obj` is NULL or a live handle.
    unsafe { handles::object(obj) }.ok().and_then(|h| h.obj.btf_raw_fd()).unwrap_or(-1)
}

/// Closes an object: every program, map, BTF and token fd it holds is
/// closed and every mapping unmapped. NULL (or an error pointer) is ignored.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__close(obj: *mut bpf_object) {
    if (obj as isize) < 0 && (obj as isize) > -4096 {
        return;
    }
    // SAFETY: `obj` is NULL or a handle from bpf_object__open*(), not used afterwards.
    unsafe { crate::ffi::handles::free_object(obj) }
}

/// The map named `name` (a name starting with a dot is the section name
/// of a global data map, such as `".rodata"`), or NULL with `errno = ENOENT`.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__find_map_by_name(obj: *const bpf_object, name: *const c_char) -> *mut bpf_map {
    crate::ffi::entry::ffi("bpf_object__find_map_by_name", || {
        // SAFETY: `obj` is NULL or a live handle; `name` a C string.
        let (h, name) = unsafe { (handles::object(obj)?, crate::ffi::cstr::bytes(name).ok_or(crate::error::Error::INVAL)?) };
        h.obj.find_map(name).map(|i| h.map_ptr(i, false)).ok_or(crate::error::Error::NOENT)
    })
}

/// The fd of the map named `name`: -1 before the map is created,
/// `-ENOENT` when there is no such map.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__find_map_fd_by_name(obj: *const bpf_object, name: *const c_char) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { crate::ffi::api::libbpf_h::map::bpf_map__fd(bpf_object__find_map_by_name(obj, name)) }
}

/// The entry-point program named `name`, or NULL with `errno = ENOENT`.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__find_program_by_name(obj: *const bpf_object, name: *const c_char) -> *mut bpf_program {
    crate::ffi::entry::ffi("bpf_object__find_program_by_name", || {
        // SAFETY: `obj` is NULL or a live handle; `name` a C string.
        let (h, name) = unsafe { (handles::object(obj)?, crate::ffi::cstr::bytes(name).ok_or(crate::error::Error::INVAL)?) };
        h.obj.find_program(name).map(|i| h.prog_ptr(i)).ok_or(crate::error::Error::NOENT)
    })
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__gen_loader(obj: *mut bpf_object, opts: *mut gen_loader_opts) -> c_int {
    not_implemented!()
}

/// The kernel version the object carries (its `version` section, else the
/// running kernel's); 0 for a NULL object.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__kversion(obj: *const bpf_object) -> c_uint {
    // SAFETY: `obj` is NULL or a live handle.
    unsafe { handles::object(obj) }.map_or(0, |h| h.obj.kern_version)
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__load(obj: *mut bpf_object) -> c_int {
    not_implemented!()
}

/// The object's name (at most 15 characters), or NULL with `errno =
/// EINVAL` for a NULL object.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__name(obj: *const bpf_object) -> *const c_char {
    crate::ffi::entry::ffi("bpf_object__name", || {
        // SAFETY: `obj` is NULL or a live handle.
        let h = unsafe { handles::object(obj) }?;
        Ok(h.obj.name.as_ptr())
    })
}

/// The map after `map` (the first one when `map` is NULL); NULL at the end.
/// NULL with `errno = EINVAL` for a NULL object or a map of another object.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__next_map(obj: *const bpf_object, map: *const bpf_map) -> *mut bpf_map {
    // SAFETY: `obj` and `map` are NULL or live handles.
    unsafe { step_map(obj, map, true) }
}

/// The entry-point program after `prog` (the first one when `prog` is
/// NULL), skipping subprograms; NULL at the end. NULL with `errno =
/// EINVAL` when `prog` belongs to another object.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__next_program(obj: *const bpf_object, prog: *mut bpf_program) -> *mut bpf_program {
    // SAFETY: `obj` and `prog` are NULL or live handles.
    unsafe { step_program(obj, prog, true) }
}

/// Opens the BPF object file at `path` with default options (see
/// `bpf_object__open_file()`). NULL with `errno` set on failure.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__open(path: *const c_char) -> *mut bpf_object {
    // SAFETY: forwarded from the caller.
    unsafe { bpf_object__open_file(path, core::ptr::null()) }
}

/// Opens the BPF ELF object at `path`: parses its programs, maps, BTF and
/// relocations, nothing is created in the kernel yet. `opts` may be NULL.
/// Returns the object, or NULL with `errno` set: `EINVAL` (NULL path, bad
/// options), the file's open error, `LIBBPF_ERRNO__FORMAT` for a malformed
/// object, `EOPNOTSUPP` for a legacy `SEC("maps")` section.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__open_file(path: *const c_char, opts: *const bpf_object_open_opts) -> *mut bpf_object {
    crate::ffi::entry::ffi("bpf_object__open_file", || {
        // SAFETY: the caller passes a C string (checked for NULL).
        let path = unsafe { crate::ffi::cstr::string(path) }.ok_or(crate::error::Error::INVAL)?;
        // SAFETY: `opts` is NULL or points to the caller's options.
        let opts = unsafe { open_options(opts) }?;
        let obj = crate::object::open::open_file(&path, &opts)?;
        finish_open(obj)
    })
}

/// Opens a BPF ELF object held in memory (`obj_buf_sz` bytes at
/// `obj_buf`, not kept after the call). Its default name is
/// `"<address>-<size>"` in hex unless `opts->object_name` says otherwise.
/// Returns the object, or NULL with `errno` set (`EINVAL` for a NULL or
/// empty buffer; otherwise as `bpf_object__open_file()`).
#[no_mangle]
pub unsafe extern "C" fn bpf_object__open_mem(obj_buf: *const c_void, obj_buf_sz: size_t, opts: *const bpf_object_open_opts) -> *mut bpf_object {
    crate::ffi::entry::ffi("bpf_object__open_mem", || {
        if obj_buf.is_null() || obj_buf_sz == 0 {
            return Err(crate::error::Error::INVAL);
        }
        // SAFETY: `opts` is NULL or points to the caller's options.
        let opts = unsafe { open_options(opts) }?;
        // SAFETY: the caller's buffer holds `obj_buf_sz` readable bytes for the call.
        let bytes = unsafe { core::slice::from_raw_parts(obj_buf.cast::<u8>(), obj_buf_sz) };
        let name = format!("{:x}-{:x}", obj_buf as usize, obj_buf_sz);
        let obj = crate::object::open::open_mem(bytes, name.as_bytes(), &opts)?;
        finish_open(obj)
    })
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__pin(object: *mut bpf_object, path: *const c_char) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__pin_maps(obj: *mut bpf_object, path: *const c_char) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__pin_programs(obj: *mut bpf_object, path: *const c_char) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__prepare(obj: *mut bpf_object) -> c_int {
    not_implemented!()
}

/// The map before `map` (the last one when `map` is NULL); NULL at the
/// start. NULL with `errno = EINVAL` for a NULL object or a map of another
/// object.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__prev_map(obj: *const bpf_object, map: *const bpf_map) -> *mut bpf_map {
    // SAFETY: `obj` and `map` are NULL or live handles.
    unsafe { step_map(obj, map, false) }
}

/// The entry-point program before `prog` (the last one when `prog` is
/// NULL); NULL at the start. NULL with `errno = EINVAL` when `prog` belongs
/// to another object.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__prev_program(obj: *const bpf_object, prog: *mut bpf_program) -> *mut bpf_program {
    // SAFETY: `obj` and `prog` are NULL or live handles.
    unsafe { step_program(obj, prog, false) }
}

/// Sets the kernel version passed when loading programs. `-EINVAL` once
/// the object was loaded (or a load was attempted).
#[no_mangle]
pub unsafe extern "C" fn bpf_object__set_kversion(obj: *mut bpf_object, kern_version: __u32) -> c_int {
    crate::ffi::entry::ffi("bpf_object__set_kversion", || {
        // SAFETY: `obj` is NULL or a live handle.
        let h = unsafe { handles::object(obj) }?;
        h.obj.set_kversion(kern_version).map(|()| 0)
    })
}

/// The fd of the BPF token the object uses, or -1 when it uses none.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__token_fd(obj: *const bpf_object) -> c_int {
    // SAFETY: `obj` is NULL or a live handle.
    unsafe { handles::object(obj) }.ok().and_then(|h| h.obj.token_raw_fd()).unwrap_or(-1)
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__unpin(object: *mut bpf_object, path: *const c_char) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__unpin_maps(obj: *mut bpf_object, path: *const c_char) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__unpin_programs(obj: *mut bpf_object, path: *const c_char) -> c_int {
    not_implemented!()
}

/// Converts the caller's open options.
///
/// # Safety
/// `opts` is NULL or points to at least `opts->sz` readable bytes whose
/// string fields are NULL or C strings.
pub(crate) unsafe fn open_options(opts: *const bpf_object_open_opts) -> crate::error::Result<crate::object::OpenOptions> {
    // SAFETY: per the contract.
    let o = unsafe { crate::ffi::opts::read(opts) }?;
    // SAFETY: string fields are NULL or C strings (contract).
    unsafe {
        Ok(crate::object::OpenOptions {
            object_name: crate::ffi::cstr::bytes(o.object_name).map(<[u8]>::to_vec),
            relaxed_maps: o.relaxed_maps,
            pin_root_path: crate::ffi::cstr::string(o.pin_root_path),
            kconfig: crate::ffi::cstr::string(o.kconfig),
            btf_custom_path: crate::ffi::cstr::string(o.btf_custom_path),
            kernel_log_buf: crate::object::UserBuf { addr: o.kernel_log_buf as usize, size: o.kernel_log_size },
            kernel_log_level: o.kernel_log_level,
            bpf_token_path: crate::ffi::cstr::string(o.bpf_token_path),
        })
    }
}

/// Calls custom SEC() handler callbacks with C program handles.
pub(crate) struct CHandlers(pub *mut handles::ObjectHandle);

impl crate::object::HandlerCalls for CHandlers {
    fn setup(&self, prog: usize, func: usize, cookie: i64) -> i32 {
        // SAFETY: the handle is live; only the address is read here.
        let p = unsafe { (*self.0).prog_ptr(prog) };
        // SAFETY: `func` is the address of the application's
        // `libbpf_prog_setup_fn_t` callback, registered as such.
        let f: unsafe extern "C" fn(*mut bpf_program, c_long) -> c_int = unsafe { core::mem::transmute(func) };
        // SAFETY: calling the application's callback with a live program handle.
        unsafe { f(p, cookie as c_long) }
    }
}

/// Hands a freshly opened object to C, after its custom setup callbacks.
pub(crate) fn finish_open(obj: crate::object::Object) -> crate::error::Result<*mut bpf_object> {
    let p = handles::new_object(obj);
    let cell = handles::Cell(p.cast());
    if let Err(e) = crate::object::open::run_setup_callbacks(&cell, &CHandlers(p.cast())) {
        // SAFETY: `p` was just created and is not handed out.
        unsafe { handles::free_object(p) };
        return Err(e);
    }
    Ok(p)
}

/// Program iteration for `bpf_object__next_program`/`prev_program`.
///
/// # Safety
/// `obj` and `prog` are NULL or live handles.
unsafe fn step_program(obj: *const bpf_object, prog: *const bpf_program, forward: bool) -> *mut bpf_program {
    crate::ffi::entry::ffi("bpf_object__next_program", || {
        // SAFETY: per the contract.
        let h = unsafe { handles::object(obj) }?;
        let from = if prog.is_null() {
            None
        } else {
            match h.prog_index(prog) {
                Some(i) => Some(i),
                None => {
                    crate::pr_warn!("error: program handler doesn't match object");
                    return Err(crate::error::Error::INVAL);
                }
            }
        };
        Ok(h.obj.step_program(from, forward).map_or(core::ptr::null_mut(), |i| h.prog_ptr(i)))
    })
}

/// Map iteration for `bpf_object__next_map`/`prev_map`.
///
/// # Safety
/// `obj` and `map` are NULL or live handles.
unsafe fn step_map(obj: *const bpf_object, map: *const bpf_map, forward: bool) -> *mut bpf_map {
    let name = if forward { "bpf_object__next_map" } else { "bpf_object__prev_map" };
    crate::ffi::entry::ffi(name, || {
        // SAFETY: per the contract.
        let h = unsafe { handles::object(obj) }?;
        let n = h.obj.maps.len();
        let next = if map.is_null() {
            if forward { (n > 0).then_some(0) } else { n.checked_sub(1) }
        } else {
            let Some(i) = h.map_index(map) else {
                crate::pr_warn!("error in {name}: map handler doesn't belong to object");
                return Err(crate::error::Error::INVAL);
            };
            if forward { Some(i + 1).filter(|&j| j < n) } else { i.checked_sub(1) }
        };
        Ok(next.map_or(core::ptr::null_mut(), |i| h.map_ptr(i, false)))
    })
}
