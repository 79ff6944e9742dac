//! The C handles of objects, programs and maps.
//!
//! `struct bpf_object *` is a `Box<ObjectHandle>` handed out by
//! `bpf_object__open*` and taken back by `bpf_object__close`. Programs and
//! maps live inside the object; their C handles point at small records
//! (`ProgHandle`, `MapHandle`) that name the owning object and an index.
//! The records sit in vectors that never grow after open, so the pointers
//! stay valid for the object's lifetime.
//!
//! Resolving a handle copies the record first and only then borrows the
//! object, so no reference derived from the handle is alive while the
//! object is borrowed mutably. Application callbacks that re-enter the
//! library (SEC() handlers) are called through [`Cell`], which never keeps a
//! borrow across the call.

use crate::error::{Error, Result};
use crate::ffi::api::libbpf_h::types::{bpf_map, bpf_object, bpf_program};
use crate::object::{Map, Object, ObjectCell, Program};

/// What `struct bpf_object *` points to.
pub struct ObjectHandle {
    pub obj: Object,
    progs: Vec<ProgHandle>,
    maps: Vec<MapHandle>,
    inner_maps: Vec<MapHandle>,
}

#[derive(Clone, Copy)]
struct ProgHandle {
    owner: *mut ObjectHandle,
    idx: usize,
}

#[derive(Clone, Copy)]
struct MapHandle {
    owner: *mut ObjectHandle,
    idx: usize,
    inner: bool,
}

/// Boxes `obj` and returns its C handle (to be released by [`free_object`]).
pub fn new_object(obj: Object) -> *mut bpf_object {
    let nprogs = obj.programs.len();
    let nmaps = obj.maps.len();
    let raw = Box::into_raw(Box::new(ObjectHandle { obj, progs: Vec::new(), maps: Vec::new(), inner_maps: Vec::new() }));
    // SAFETY: `raw` is the unique pointer to a live box; the vectors are
    // filled once here and never resized afterwards.
    unsafe {
        (*raw).progs = (0..nprogs).map(|idx| ProgHandle { owner: raw, idx }).collect();
        (*raw).maps = (0..nmaps).map(|idx| MapHandle { owner: raw, idx, inner: false }).collect();
        (*raw).inner_maps = (0..nmaps).map(|idx| MapHandle { owner: raw, idx, inner: true }).collect();
    }
    raw.cast()
}

/// Takes back and drops an object handed out by [`new_object`].
///
/// # Safety
/// `p` came from [`new_object`] and is not used afterwards.
pub unsafe fn free_object(p: *mut bpf_object) {
    if !p.is_null() {
        // SAFETY: per the contract, `p` is the boxed handle.
        drop(unsafe { Box::from_raw(p.cast::<ObjectHandle>()) });
    }
}

/// The object behind a handle (`EINVAL` for NULL).
///
/// # Safety
/// `p` is NULL or a live object handle; no other borrow of it is alive.
pub unsafe fn object<'a>(p: *const bpf_object) -> Result<&'a mut ObjectHandle> {
    // SAFETY: per the contract.
    unsafe { p.cast_mut().cast::<ObjectHandle>().as_mut() }.ok_or(Error::INVAL)
}

impl ObjectHandle {
    /// The C handle of program `idx`.
    pub fn prog_ptr(&self, idx: usize) -> *mut bpf_program {
        self.progs.get(idx).map_or(core::ptr::null_mut(), |h| (h as *const ProgHandle).cast_mut().cast())
    }

    /// The C handle of map `idx` (or of its inner map template).
    pub fn map_ptr(&self, idx: usize, inner: bool) -> *mut bpf_map {
        let v = if inner { &self.inner_maps } else { &self.maps };
        v.get(idx).map_or(core::ptr::null_mut(), |h| (h as *const MapHandle).cast_mut().cast())
    }

    /// The object's C handle.
    pub fn as_ptr(&self) -> *mut bpf_object {
        (self as *const ObjectHandle).cast_mut().cast()
    }

    /// Which program a program handle of this object is, if it is one.
    pub fn prog_index(&self, p: *const bpf_program) -> Option<usize> {
        let base = self.progs.as_ptr() as usize;
        let addr = p as usize;
        let sz = core::mem::size_of::<ProgHandle>();
        (addr >= base && (addr - base) % sz == 0 && (addr - base) / sz < self.progs.len()).then(|| (addr - base) / sz)
    }

    /// Which map a map handle of this object is (top-level maps only).
    pub fn map_index(&self, m: *const bpf_map) -> Option<usize> {
        let base = self.maps.as_ptr() as usize;
        let addr = m as usize;
        let sz = core::mem::size_of::<MapHandle>();
        (addr >= base && (addr - base) % sz == 0 && (addr - base) / sz < self.maps.len()).then(|| (addr - base) / sz)
    }
}

/// The object and index behind a program handle (`EINVAL` for NULL).
///
/// # Safety
/// `p` is NULL or a live program handle; no borrow of its object is alive.
pub unsafe fn program<'a>(p: *const bpf_program) -> Result<(&'a mut ObjectHandle, usize)> {
    if p.is_null() {
        return Err(Error::INVAL);
    }
    // SAFETY: a program handle points at a `ProgHandle` record; it is copied
    // out before the owner is borrowed.
    let h = unsafe { p.cast::<ProgHandle>().read() };
    // SAFETY: the owner outlives its handles (contract).
    Ok((unsafe { &mut *h.owner }, h.idx))
}

/// The program behind a handle.
///
/// # Safety
/// As [`program`].
pub unsafe fn prog_mut<'a>(p: *const bpf_program) -> Result<&'a mut Program> {
    // SAFETY: forwarded contract.
    let (o, i) = unsafe { program(p) }?;
    Ok(&mut o.obj.programs[i])
}

/// Where a map handle leads.
pub struct MapRef<'a> {
    pub owner: &'a mut ObjectHandle,
    pub idx: usize,
    /// The handle is the inner map template of map `idx`.
    pub inner: bool,
}

impl MapRef<'_> {
    /// The map itself (`EINVAL` for an inner template already consumed).
    pub fn map(&mut self) -> Result<&mut Map> {
        let m = &mut self.owner.obj.maps[self.idx];
        if self.inner {
            m.inner.as_deref_mut().ok_or(Error::INVAL)
        } else {
            Ok(m)
        }
    }
}

/// The object and index behind a map handle (`EINVAL` for NULL).
///
/// # Safety
/// `m` is NULL or a live map handle; no borrow of its object is alive.
pub unsafe fn map<'a>(m: *const bpf_map) -> Result<MapRef<'a>> {
    if m.is_null() {
        return Err(Error::INVAL);
    }
    // SAFETY: a map handle points at a `MapHandle` record, copied out first.
    let h = unsafe { m.cast::<MapHandle>().read() };
    // SAFETY: the owner outlives its handles (contract).
    Ok(MapRef { owner: unsafe { &mut *h.owner }, idx: h.idx, inner: h.inner })
}

/// An object reached through its raw handle for each access, so that
/// callbacks into the application may re-enter the library in between.
pub struct Cell(pub *mut ObjectHandle);

impl ObjectCell for Cell {
    fn with<R>(&self, f: impl FnOnce(&mut Object) -> R) -> R {
        // SAFETY: the handle is live for the whole operation and the borrow
        // ends with `f`, before any application code runs.
        f(unsafe { &mut (*self.0).obj })
    }
}
