//! Map operations (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::error::Error;
use crate::ffi::ctypes::*;
use crate::ffi::handles;
use crate::ffi::api::libbpf_h::types::*;

/// Registers a struct_ops map's implementation with the kernel (through a
/// BPF link for maps declared with `BPF_F_LINK`). `EINVAL` for a map that
/// is not a created struct_ops map; `EOPNOTSUPP` otherwise for now (the
/// loader does not build struct_ops maps yet).
#[no_mangle]
pub unsafe extern "C" fn bpf_map__attach_struct_ops(map: *const bpf_map) -> *mut bpf_link {
    crate::ffi::entry::ffi("bpf_map__attach_struct_ops", || {
        // SAFETY: `map` is NULL or a live map handle.
        let m = unsafe { struct_ops_ref(map) }?;
        crate::link::struct_ops::attach(&m, None).map(crate::ffi::link_handle::link_into_c)
    })
}

/// What struct_ops attachment needs to know about a map handle.
///
/// # Safety
/// `map` is NULL or a live map handle.
pub(crate) unsafe fn struct_ops_ref(map: *const bpf_map) -> crate::error::Result<crate::link::struct_ops::MapRef> {
    // SAFETY: forwarded contract.
    let fd = unsafe { bpf_map__fd(map) };
    // SAFETY: forwarded contract.
    let mut r = unsafe { handles::map(map) }?;
    let m = r.map()?;
    Ok(crate::link::struct_ops::MapRef::of(m, (fd >= 0).then_some(fd)))
}

/// Whether skeleton attaching attaches this (struct_ops) map.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__autoattach(map: *const bpf_map) -> bool {
    crate::ffi::entry::ffi("bpf_map__autoattach", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok(m.autoattach)
    })
}

/// Whether the map is created when its object loads (true by default).
#[no_mangle]
pub unsafe extern "C" fn bpf_map__autocreate(map: *const bpf_map) -> bool {
    crate::ffi::entry::ffi("bpf_map__autocreate", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok(m.autocreate)
    })
}

/// BTF type id of the key in the object's BTF (0: none or NULL map).
#[no_mangle]
pub unsafe extern "C" fn bpf_map__btf_key_type_id(map: *const bpf_map) -> __u32 {
    crate::ffi::entry::ffi("bpf_map__btf_key_type_id", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok(m.btf_key_type_id)
    })
}

/// BTF type id of the value in the object's BTF (0: none or NULL map).
#[no_mangle]
pub unsafe extern "C" fn bpf_map__btf_value_type_id(map: *const bpf_map) -> __u32 {
    crate::ffi::entry::ffi("bpf_map__btf_value_type_id", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok(m.btf_value_type_id)
    })
}

/// Deletes an element; `key_sz` must be the key size.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__delete_elem(map: *const bpf_map, key: *const c_void, key_sz: size_t, flags: __u64) -> c_int {
    crate::ffi::entry::ffi("bpf_map__delete_elem", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let created = r.owner.obj.map_is_created(r.idx) || r.inner;
        let fd = r.map()?.check_elem_op(created, key_sz, None, flags)?;
        // SAFETY: the caller passes buffers of the sizes it gives (checked
        // above against the map's sizes).
        let key = unsafe { bytes(key.cast(), key_sz) };
        crate::bpf_api::object::map_delete(fd, key, flags).map(|()| 0)
    })
}

/// The program set with `bpf_map__set_exclusive_program()`, or NULL.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__exclusive_program(map: *mut bpf_map) -> *mut bpf_program {
    crate::ffi::entry::ffi("bpf_map__exclusive_program", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let excl = r.map()?.excl_prog;
        Ok(excl.map_or(core::ptr::null_mut(), |i| r.owner.prog_ptr(i)))
    })
}

/// The map's fd once created (or reused); -1 before, `-EINVAL` for NULL.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__fd(map: *const bpf_map) -> c_int {
    crate::ffi::entry::ffi("bpf_map__fd", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let created = r.owner.obj.map_is_created(r.idx) || r.inner;
        Ok(if created { r.map().ok().and_then(|m| m.raw_fd()).unwrap_or(-1) } else { -1 })
    })
}

/// Writes the key after `cur_key` (the first key when `cur_key` is NULL)
/// into `next_key`; `key_sz` must be the key size. `-ENOENT` after the
/// last key.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__get_next_key(map: *const bpf_map, cur_key: *const c_void, next_key: *mut c_void, key_sz: size_t) -> c_int {
    crate::ffi::entry::ffi("bpf_map__get_next_key", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let created = r.owner.obj.map_is_created(r.idx) || r.inner;
        let fd = r.map()?.check_elem_op(created, key_sz, None, 0)?;
        // SAFETY: both keys are `key_sz` bytes (checked above).
        let (cur, next) = unsafe { (bytes(cur_key.cast(), key_sz), bytes_mut(next_key.cast(), key_sz)) };
        crate::bpf_api::object::map_next_key(fd, cur, next).map(|()| 0)
    })
}

/// Network device the map is offloaded to (0: none).
#[no_mangle]
pub unsafe extern "C" fn bpf_map__ifindex(map: *const bpf_map) -> __u32 {
    crate::ffi::entry::ffi("bpf_map__ifindex", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok(m.ifindex)
    })
}

/// The initial image of a global data map (`*psize` set to its value
/// size): a private copy before load, the map's live memory after load for
/// mmap-able maps. NULL for other maps.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__initial_value(map: *const bpf_map, psize: *mut size_t) -> *mut c_void {
    crate::ffi::entry::ffi("bpf_map__initial_value", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        let Some(img) = m.mmaped.as_ref() else { return Ok(core::ptr::null_mut()) };
        if !psize.is_null() {
            // SAFETY: the caller passes a writable size_t.
            unsafe { *psize = m.def.value_size as size_t };
        }
        Ok(img.as_ptr().cast())
    })
}

/// The inner map template of a map-in-map (NULL once the outer map is
/// created); NULL with `errno = EINVAL` for other maps.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__inner_map(map: *mut bpf_map) -> *mut bpf_map {
    crate::ffi::entry::ffi("bpf_map__inner_map", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        if !m.is_map_in_map() {
            return Err(Error::INVAL);
        }
        Ok(if m.inner.is_some() && !r.inner { r.owner.map_ptr(r.idx, true) } else { core::ptr::null_mut() })
    })
}

/// Whether the map holds global data (`.data`, `.rodata`, `.bss`, `.kconfig`).
#[no_mangle]
pub unsafe extern "C" fn bpf_map__is_internal(map: *const bpf_map) -> bool {
    crate::ffi::entry::ffi("bpf_map__is_internal", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok(m.is_internal())
    })
}

/// Whether the map is pinned (by this object) in bpffs.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__is_pinned(map: *const bpf_map) -> bool {
    crate::ffi::entry::ffi("bpf_map__is_pinned", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok(m.pinned)
    })
}

/// Key size in bytes.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__key_size(map: *const bpf_map) -> __u32 {
    crate::ffi::entry::ffi("bpf_map__key_size", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok(m.def.key_size)
    })
}

/// Looks up and deletes an element (the head of a queue or stack when the
/// key size is 0), with the size checks of `bpf_map__lookup_elem()`.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__lookup_and_delete_elem(map: *const bpf_map, key: *const c_void, key_sz: size_t, value: *mut c_void, value_sz: size_t, flags: __u64) -> c_int {
    crate::ffi::entry::ffi("bpf_map__lookup_and_delete_elem", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let created = r.owner.obj.map_is_created(r.idx) || r.inner;
        let fd = r.map()?.check_elem_op(created, key_sz, Some(value_sz), flags)?;
        // SAFETY: the caller passes buffers of the sizes it gives (checked
        // above against the map's sizes).
        let key = unsafe { bytes(key.cast(), key_sz) };
        crate::bpf_api::object::map_lookup_and_delete(fd, key, unsafe { bytes_mut(value.cast(), value_sz) }, flags).map(|()| 0)
    })
}

/// Looks up `key` in a created map into `value`, after libbpf's size
/// checks: `key_sz` must be the key size, `value_sz` the value size (for
/// per-CPU maps, the value size rounded up to 8 times the number of
/// possible CPUs, unless `BPF_F_CPU`/`BPF_F_ALL_CPUS`). `-ENOENT` before
/// the map exists, `-EINVAL` on a size mismatch, else the kernel's answer.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__lookup_elem(map: *const bpf_map, key: *const c_void, key_sz: size_t, value: *mut c_void, value_sz: size_t, flags: __u64) -> c_int {
    crate::ffi::entry::ffi("bpf_map__lookup_elem", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let created = r.owner.obj.map_is_created(r.idx) || r.inner;
        let fd = r.map()?.check_elem_op(created, key_sz, Some(value_sz), flags)?;
        // SAFETY: the caller passes buffers of the sizes it gives (checked
        // above against the map's sizes).
        let key = unsafe { bytes(key.cast(), key_sz) };
        crate::bpf_api::object::map_lookup(fd, key, unsafe { bytes_mut(value.cast(), value_sz) }, flags).map(|()| 0)
    })
}

/// The type-specific `map_extra` value.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__map_extra(map: *const bpf_map) -> __u64 {
    crate::ffi::entry::ffi("bpf_map__map_extra", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok(m.map_extra)
    })
}

/// Creation flags (`BPF_F_*`).
#[no_mangle]
pub unsafe extern "C" fn bpf_map__map_flags(map: *const bpf_map) -> __u32 {
    crate::ffi::entry::ffi("bpf_map__map_flags", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok(m.def.map_flags)
    })
}

/// Maximum number of entries.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__max_entries(map: *const bpf_map) -> __u32 {
    crate::ffi::entry::ffi("bpf_map__max_entries", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok(m.def.max_entries)
    })
}

/// The map's name: its variable name, `<obj>.data`-style names for
/// `.data`/`.rodata`/`.bss`, the section name for `.data.*`/`.rodata.*`.
/// NULL for a NULL map.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__name(map: *const bpf_map) -> *const c_char {
    crate::ffi::entry::ffi("bpf_map__name", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok(m.user_name().as_ptr())
    })
}

/// NUMA node the map is created on (with `BPF_F_NUMA_NODE`).
#[no_mangle]
pub unsafe extern "C" fn bpf_map__numa_node(map: *const bpf_map) -> __u32 {
    crate::ffi::entry::ffi("bpf_map__numa_node", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok(m.numa_node)
    })
}

/// Pins the created map at `path`, or at its pin path when `path` is NULL
/// (bpffs only; the parent directory is created). Pinning again at the
/// same path succeeds. `-EINVAL` when the map has no fd, the paths
/// conflict or none is known; `-EEXIST` when pinned elsewhere.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__pin(map: *mut bpf_map, path: *const c_char) -> c_int {
    crate::ffi::entry::ffi("bpf_map__pin", || {
        // SAFETY: `map` is NULL or a live map handle; `path` NULL or a C string.
        let r = unsafe { handles::map(map) }.inspect_err(|_| crate::pr_warn!("invalid map pointer"))?;
        // SAFETY: as above.
        let path = unsafe { crate::ffi::cstr::string(path) };
        r.owner.obj.pin_map(r.idx, path.as_deref()).map(|()| 0)
    })
}

/// The path the map is (or will be) pinned at, or NULL.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__pin_path(map: *const bpf_map) -> *const c_char {
    crate::ffi::entry::ffi("bpf_map__pin_path", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok(m.pin_path.as_ref().map_or(core::ptr::null(), |p| p.as_ptr()))
    })
}

/// Makes the map a handle of the existing map `fd` (duplicated): its
/// definition is taken from the kernel and the map is not created at load.
/// 0 on success, a negative errno when `fd` is not a map.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__reuse_fd(map: *mut bpf_map, fd: c_int) -> c_int {
    crate::ffi::entry::ffi("bpf_map__reuse_fd", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        crate::object::create::reuse_fd(r.map()?, fd).map(|()| 0)
    })
}

/// Chooses whether skeleton attaching attaches this struct_ops map;
/// `-EINVAL` for any other map.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__set_autoattach(map: *mut bpf_map, autoattach: bool) -> c_int {
    crate::ffi::entry::ffi("bpf_map__set_autoattach", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok({ if !m.is_struct_ops() { return Err(Error::INVAL); } m.autoattach = autoattach; 0 })
    })
}

/// Chooses whether the map is created at load. `-EBUSY` once it exists.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__set_autocreate(map: *mut bpf_map, autocreate: bool) -> c_int {
    crate::ffi::entry::ffi("bpf_map__set_autocreate", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let created = r.owner.obj.map_is_created(r.idx);
        let m = r.map()?;
        if created {
            return Err(Error::BUSY);
        }
        m.autocreate = autocreate;
        Ok(0)
    })
}

/// Restricts the map to one program of the same object (the kernel
/// checks the program's hash). `-EINVAL` once the map exists or for a
/// program of another object.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__set_exclusive_program(map: *mut bpf_map, prog: *mut bpf_program) -> c_int {
    crate::ffi::entry::ffi("bpf_map__set_exclusive_program", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        if r.owner.obj.map_is_created(r.idx) {
            crate::pr_warn!("exclusive programs must be set before map creation");
            return Err(Error::INVAL);
        }
        let Some(pi) = r.owner.prog_index(prog) else {
            crate::pr_warn!("excl_prog and map must be from the same bpf object");
            return Err(Error::INVAL);
        };
        r.map()?.excl_prog = Some(pi);
        Ok(0)
    })
}

/// Sets the device to offload the map to. `-EBUSY` once the map exists.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__set_ifindex(map: *mut bpf_map, ifindex: __u32) -> c_int {
    crate::ffi::entry::ffi("bpf_map__set_ifindex", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let created = r.owner.obj.map_is_created(r.idx);
        let m = r.map()?;
        if created {
            return Err(Error::BUSY);
        }
        m.ifindex = ifindex;
        Ok(0)
    })
}

/// Replaces the initial image of a global data map before load. `size`
/// must equal the value size. `-EBUSY` once the map exists, `-EINVAL` for
/// other maps or sizes.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__set_initial_value(map: *mut bpf_map, data: *const c_void, size: size_t) -> c_int {
    crate::ffi::entry::ffi("bpf_map__set_initial_value", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let created = r.owner.obj.map_is_created(r.idx);
        let m = r.map()?;
        let data = if data.is_null() {
            &[][..]
        } else {
            // SAFETY: the caller passes `size` readable bytes.
            unsafe { core::slice::from_raw_parts(data.cast::<u8>(), size) }
        };
        m.set_initial_value(created, data).map(|()| 0)
    })
}

/// Uses `fd` as the inner map template of a map-in-map (dropping the
/// template from BTF). `-EINVAL` for other maps or when already set.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__set_inner_map_fd(map: *mut bpf_map, fd: c_int) -> c_int {
    crate::ffi::entry::ffi("bpf_map__set_inner_map_fd", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok({ m.set_inner_map_fd(fd)?; 0 })
    })
}

/// Sets the key size. `-EBUSY` once the map exists.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__set_key_size(map: *mut bpf_map, size: __u32) -> c_int {
    crate::ffi::entry::ffi("bpf_map__set_key_size", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let created = r.owner.obj.map_is_created(r.idx);
        let m = r.map()?;
        if created {
            return Err(Error::BUSY);
        }
        m.def.key_size = size;
        Ok(0)
    })
}

/// Sets `map_extra`. `-EBUSY` once the map exists.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__set_map_extra(map: *mut bpf_map, map_extra: __u64) -> c_int {
    crate::ffi::entry::ffi("bpf_map__set_map_extra", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let created = r.owner.obj.map_is_created(r.idx);
        let m = r.map()?;
        if created {
            return Err(Error::BUSY);
        }
        m.map_extra = map_extra;
        Ok(0)
    })
}

/// Sets the creation flags. `-EBUSY` once the map exists.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__set_map_flags(map: *mut bpf_map, flags: __u32) -> c_int {
    crate::ffi::entry::ffi("bpf_map__set_map_flags", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let created = r.owner.obj.map_is_created(r.idx);
        let m = r.map()?;
        if created {
            return Err(Error::BUSY);
        }
        m.def.map_flags = flags;
        Ok(0)
    })
}

/// Sets the maximum number of entries (rounded up to a power-of-2 number
/// of pages for ring buffers). `-EBUSY` once the map exists.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__set_max_entries(map: *mut bpf_map, max_entries: __u32) -> c_int {
    crate::ffi::entry::ffi("bpf_map__set_max_entries", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let created = r.owner.obj.map_is_created(r.idx);
        let m = r.map()?;
        if created {
            return Err(Error::BUSY);
        }
        m.def.max_entries = max_entries;
        m.adjust_ringbuf_size();
        Ok(0)
    })
}

/// Sets the NUMA node. `-EBUSY` once the map exists.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__set_numa_node(map: *mut bpf_map, numa_node: __u32) -> c_int {
    crate::ffi::entry::ffi("bpf_map__set_numa_node", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let created = r.owner.obj.map_is_created(r.idx);
        let m = r.map()?;
        if created {
            return Err(Error::BUSY);
        }
        m.numa_node = numa_node;
        Ok(0)
    })
}

/// Sets (or with NULL clears) the path the map is pinned at.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__set_pin_path(map: *mut bpf_map, path: *const c_char) -> c_int {
    crate::ffi::entry::ffi("bpf_map__set_pin_path", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok({
            // SAFETY: `path` is NULL or a C string.
            m.pin_path = unsafe { crate::ffi::cstr::bytes(path) }.map(|b| std::ffi::CString::new(b).unwrap_or_default());
            0
        })
    })
}

/// Sets the map type. `-EBUSY` once the map exists.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__set_type(map: *mut bpf_map, r#type: enum_bpf_map_type) -> c_int {
    crate::ffi::entry::ffi("bpf_map__set_type", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let created = r.owner.obj.map_is_created(r.idx);
        let m = r.map()?;
        if created {
            return Err(Error::BUSY);
        }
        m.def.map_type = r#type;
        Ok(0)
    })
}

/// Sets the value size; for a global data map the initial image is
/// resized (kept contents, zero-filled growth) and the last variable of its
/// BTF section, an array, follows. `-EBUSY` once the map exists,
/// `-EOPNOTSUPP` for a mapped non-array map.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__set_value_size(map: *mut bpf_map, size: __u32) -> c_int {
    crate::ffi::entry::ffi("bpf_map__set_value_size", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let created = r.owner.obj.map_is_created(r.idx);
        if r.inner {
            return r.map()?.set_value_size(created, size).map(|()| 0);
        }
        r.owner.obj.set_map_value_size(r.idx, size).map(|()| 0)
    })
}

/// The map type (`BPF_MAP_TYPE_*`).
#[no_mangle]
pub unsafe extern "C" fn bpf_map__type(map: *const bpf_map) -> enum_bpf_map_type {
    crate::ffi::entry::ffi("bpf_map__type", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok(m.def.map_type)
    })
}

/// Removes the map's pin at `path` (or at its pin path when NULL).
#[no_mangle]
pub unsafe extern "C" fn bpf_map__unpin(map: *mut bpf_map, path: *const c_char) -> c_int {
    crate::ffi::entry::ffi("bpf_map__unpin", || {
        // SAFETY: `map` is NULL or a live map handle; `path` NULL or a C string.
        let r = unsafe { handles::map(map) }.inspect_err(|_| crate::pr_warn!("invalid map pointer"))?;
        // SAFETY: as above.
        let path = unsafe { crate::ffi::cstr::string(path) };
        r.owner.obj.unpin_map(r.idx, path.as_deref()).map(|()| 0)
    })
}

/// Creates or updates an element, with the size checks of
/// `bpf_map__lookup_elem()`.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__update_elem(map: *const bpf_map, key: *const c_void, key_sz: size_t, value: *const c_void, value_sz: size_t, flags: __u64) -> c_int {
    crate::ffi::entry::ffi("bpf_map__update_elem", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let created = r.owner.obj.map_is_created(r.idx) || r.inner;
        let fd = r.map()?.check_elem_op(created, key_sz, Some(value_sz), flags)?;
        // SAFETY: the caller passes buffers of the sizes it gives (checked
        // above against the map's sizes).
        let key = unsafe { bytes(key.cast(), key_sz) };
        crate::bpf_api::object::map_update(fd, key.unwrap_or(&[]), unsafe { bytes(value.cast(), value_sz) }.unwrap_or(&[]), flags).map(|()| 0)
    })
}

/// Value size in bytes.
#[no_mangle]
pub unsafe extern "C" fn bpf_map__value_size(map: *const bpf_map) -> __u32 {
    crate::ffi::entry::ffi("bpf_map__value_size", || {
        // SAFETY: `map` is NULL or a live map handle.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        Ok(m.def.value_size)
    })
}

/// `len` bytes at `p` (None for NULL or 0 bytes).
///
/// # Safety
/// `p` is NULL or readable for `len` bytes during the caller's use.
unsafe fn bytes<'a>(p: *const u8, len: usize) -> Option<&'a [u8]> {
    // SAFETY: per the contract.
    (!p.is_null() && len != 0).then(|| unsafe { core::slice::from_raw_parts(p, len) })
}

/// `len` writable bytes at `p` (an empty slice for NULL).
///
/// # Safety
/// `p` is NULL or writable for `len` bytes during the caller's use.
unsafe fn bytes_mut<'a>(p: *mut u8, len: usize) -> &'a mut [u8] {
    if p.is_null() || len == 0 {
        return &mut [];
    }
    // SAFETY: per the contract.
    unsafe { core::slice::from_raw_parts_mut(p, len) }
}
