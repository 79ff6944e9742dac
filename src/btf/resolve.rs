//! Sizes, alignments and the types behind modifiers and typedefs.
//!
//! Type graphs may contain loops (hostile input, or legitimately through
//! pointers): every walk here is bounded, by depth for chains and by a work
//! budget for the recursive alignment computation, so no input makes them
//! loop forever, overflow the stack or take exponential time.

use std::sync::atomic::Ordering;

use super::data::Btf;
use super::types::Type;
use crate::error::{Error, Result};
use crate::uapi::btf::*;

/// Longest modifier/typedef/array chain followed (libbpf's limit).
pub const MAX_RESOLVE_DEPTH: usize = 32;
/// Deepest nesting `align_of` descends into.
const MAX_ALIGN_DEPTH: usize = 256;
/// Most types `align_of` visits for one query.
const MAX_ALIGN_VISITS: usize = 1 << 20;

/// Names an integer type may have when it is C's `long`.
const LONG_NAMES: [&[u8]; 11] = [
    b"long",
    b"long int",
    b"int long",
    b"unsigned long",
    b"long unsigned",
    b"unsigned long int",
    b"unsigned int long",
    b"long unsigned int",
    b"long int unsigned",
    b"int unsigned long",
    b"int long unsigned",
];

impl Btf {
    /// The size of a `long` in this BTF (4 or 8), found from its integer
    /// types, or None when no `long` is described.
    fn guess_ptr_size(&self) -> Option<u32> {
        if let Some(b) = &self.base {
            if let Some(sz) = b.known_ptr_size() {
                return Some(sz);
            }
        }
        self.types().find_map(|(_, t)| {
            let fits = t.is_int() && (t.size() == 4 || t.size() == 8);
            (fits && self.str_bytes(t.name_off()).is_some_and(|n| LONG_NAMES.contains(&n))).then(|| t.size())
        })
    }

    /// The pointer size decided so far (set, or guessed on an earlier call).
    fn known_ptr_size(&self) -> Option<u32> {
        let v = self.ptr_sz.load(Ordering::Relaxed);
        (v > 0).then_some(v as u32)
    }

    /// The pointer size this BTF assumes: set explicitly, or guessed from its
    /// `long` type; None when it cannot tell (callers then assume the host's).
    pub fn pointer_size(&self) -> Option<u32> {
        let mut v = self.ptr_sz.load(Ordering::Relaxed);
        if v == 0 {
            v = self.guess_ptr_size().map_or(-1, |s| s as i32);
            self.ptr_sz.store(v, Ordering::Relaxed);
        }
        (v > 0).then_some(v as u32)
    }

    /// The pointer size used for computations: [`Btf::pointer_size`] or the
    /// host's.
    pub fn ptr_size_or_host(&self) -> u32 {
        self.pointer_size().unwrap_or(core::mem::size_of::<usize>() as u32)
    }

    /// Overrides the pointer size: 4 or 8, else `EINVAL`.
    pub fn set_pointer_size(&mut self, size: usize) -> Result<()> {
        if size != 4 && size != 8 {
            return Err(Error::INVAL);
        }
        self.ptr_sz.store(size as i32, Ordering::Relaxed);
        Ok(())
    }

    /// The size in bytes of type `id`, following typedefs, modifiers, VARs,
    /// tags and arrays (multiplying element counts). `EINVAL` for a type
    /// without a size (VOID, FWD, FUNC, ...), an unknown id or a chain longer
    /// than 32; `E2BIG` when the size overflows 32 bits.
    pub fn resolve_size(&self, id: u32) -> Result<u32> {
        let mut nelems: u32 = 1;
        let mut t = self.type_by_id(id);
        let mut size = None;
        for _ in 0..MAX_RESOLVE_DEPTH {
            let Some(cur) = t.filter(|t| !t.is_void() && !t.is_fwd()) else { break };
            let next = match cur.kind() {
                BTF_KIND_INT | BTF_KIND_STRUCT | BTF_KIND_UNION | BTF_KIND_ENUM | BTF_KIND_ENUM64 | BTF_KIND_DATASEC
                | BTF_KIND_FLOAT => {
                    size = Some(cur.size());
                    break;
                }
                BTF_KIND_PTR => {
                    size = Some(self.ptr_size_or_host());
                    break;
                }
                BTF_KIND_TYPEDEF | BTF_KIND_VOLATILE | BTF_KIND_CONST | BTF_KIND_RESTRICT | BTF_KIND_VAR
                | BTF_KIND_DECL_TAG | BTF_KIND_TYPE_TAG => cur.type_id(),
                BTF_KIND_ARRAY => {
                    let a = cur.array().ok_or(Error::INVAL)?;
                    if nelems != 0 && a.nelems > u32::MAX / nelems {
                        return Err(Error::TOO_BIG);
                    }
                    nelems *= a.nelems;
                    a.elem_type
                }
                _ => return Err(Error::INVAL),
            };
            t = self.type_by_id(next);
        }
        let size = size.ok_or(Error::INVAL)?;
        if nelems != 0 && size > u32::MAX / nelems {
            return Err(Error::TOO_BIG);
        }
        Ok(nelems * size)
    }

    /// The id behind modifiers, type tags, typedefs and VARs. `EINVAL` when
    /// that is VOID or FWD, the id is unknown, or the chain is longer than 32.
    pub fn resolve_type(&self, id: u32) -> Result<u32> {
        let mut id = id;
        let mut t = self.type_by_id(id);
        let mut depth = 0;
        while depth < MAX_RESOLVE_DEPTH {
            match t {
                Some(cur) if !cur.is_void() && !cur.is_fwd() && (cur.is_mod() || cur.is_typedef() || cur.is_var()) => {
                    id = cur.type_id();
                    t = self.type_by_id(id);
                    depth += 1;
                }
                _ => break,
            }
        }
        match t {
            Some(cur) if depth < MAX_RESOLVE_DEPTH && !cur.is_void() && !cur.is_fwd() => Ok(id),
            _ => Err(Error::INVAL),
        }
    }

    /// The id behind modifiers, type tags and typedefs (not VARs), with at
    /// most 32 steps; the id itself when it is none of those.
    pub fn skip_mods_and_typedefs(&self, id: u32) -> Result<u32> {
        let mut id = id;
        for _ in 0..MAX_RESOLVE_DEPTH {
            let t = self.type_at(id)?;
            if !(t.is_mod() || t.is_typedef()) {
                return Ok(id);
            }
            id = t.type_id();
        }
        Err(Error::INVAL)
    }

    /// The alignment of type `id` in bytes: a scalar's is its size capped at
    /// the pointer size; a struct's is its members' largest, or 1 when its
    /// layout shows it is packed. `EINVAL` for kinds without an alignment and
    /// for graphs too deep or too large to be a C type.
    pub fn align_of(&self, id: u32) -> Result<u32> {
        let mut budget = MAX_ALIGN_VISITS;
        self.align_rec(id, 0, &mut budget)
    }

    fn align_rec(&self, id: u32, depth: usize, budget: &mut usize) -> Result<u32> {
        if depth > MAX_ALIGN_DEPTH || *budget == 0 {
            pr_warn!("btf: type [{id}]: type graph too deep to compute its alignment");
            return Err(Error::INVAL);
        }
        *budget -= 1;
        let t: Type<'_> = self.type_at(id)?;
        match t.kind() {
            BTF_KIND_INT | BTF_KIND_ENUM | BTF_KIND_ENUM64 | BTF_KIND_FLOAT => Ok(self.ptr_size_or_host().min(t.size())),
            BTF_KIND_PTR => Ok(self.ptr_size_or_host()),
            BTF_KIND_TYPEDEF | BTF_KIND_VOLATILE | BTF_KIND_CONST | BTF_KIND_RESTRICT | BTF_KIND_TYPE_TAG => {
                self.align_rec(t.type_id(), depth + 1, budget)
            }
            BTF_KIND_ARRAY => self.align_rec(t.array().ok_or(Error::INVAL)?.elem_type, depth + 1, budget),
            BTF_KIND_STRUCT | BTF_KIND_UNION => {
                let mut max_align = 1;
                for m in t.members() {
                    let align = self.align_rec(m.type_id, depth + 1, budget)?;
                    if align == 0 {
                        return Ok(0);
                    }
                    max_align = max_align.max(align);
                    // A member off its natural alignment: the struct is packed.
                    if m.bitfield_size == 0 && m.bit_offset % (8 * align) != 0 {
                        return Ok(1);
                    }
                }
                // So is one whose size is not a multiple of its alignment.
                if t.size() % max_align != 0 {
                    return Ok(1);
                }
                Ok(max_align)
            }
            kind => {
                pr_warn!("unsupported BTF_KIND:{kind}");
                Err(Error::INVAL)
            }
        }
    }
}
