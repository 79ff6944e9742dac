//! What a dumper remembers between calls: per-type flags, the names it has
//! handed out (with their `___N` suffixes) and cached alignments.

use std::collections::HashMap;

use super::super::data::Btf;
use super::super::index::hash_bytes;
use crate::uapi::btf::*;

/// Topological ordering state of a type (2 bits).
pub(super) const ORDER_MASK: u16 = 0b0000_0000_0000_0011;
pub(super) const ORDERING: u16 = 0b0000_0000_0000_0001;
pub(super) const ORDERED: u16 = 0b0000_0000_0000_0010;
/// Emission state of a type (2 bits).
pub(super) const EMIT_MASK: u16 = 0b0000_0000_0000_1100;
pub(super) const EMITTING: u16 = 0b0000_0000_0000_0100;
pub(super) const EMITTED: u16 = 0b0000_0000_0000_1000;
/// A forward declaration (or, for a typedef, its definition) was printed.
pub(super) const FWD_EMITTED: u16 = 0b0000_0000_0001_0000;
/// The type's printed name is decided.
pub(super) const NAME_RESOLVED: u16 = 0b0000_0000_0010_0000;
/// Some other type refers to this one.
pub(super) const REFERENCED: u16 = 0b0000_0000_0100_0000;
/// The type's name got a `___N` suffix (see [`Names::renamed`]).
pub(super) const RENAMED: u16 = 0b0000_0000_1000_0000;
/// The type is being walked by the current call (a walk that reaches it
/// again follows a loop no C type has).
pub(super) const ACTIVE: u16 = 0b0000_0001_0000_0000;

/// Per-type flags, indexed by type id; id 0 (VOID) is ordered and emitted.
#[derive(Default)]
pub(super) struct Flags {
    bits: Vec<u16>,
    /// Highest id whose references have been marked.
    pub(super) marked_up_to: u32,
}

impl Flags {
    /// Makes room for ids below `cnt`.
    pub(super) fn grow(&mut self, cnt: u32) {
        if self.bits.is_empty() {
            self.bits.push(ORDERED | EMITTED);
        }
        if (cnt as usize) > self.bits.len() {
            self.bits.resize(cnt as usize, 0);
        }
    }

    pub(super) fn get(&self, id: u32) -> u16 {
        self.bits.get(id as usize).copied().unwrap_or(0)
    }

    pub(super) fn has(&self, id: u32, flag: u16) -> bool {
        self.get(id) & flag != 0
    }

    pub(super) fn set(&mut self, id: u32, flag: u16) {
        if let Some(b) = self.bits.get_mut(id as usize) {
            *b |= flag;
        }
    }

    pub(super) fn clear(&mut self, id: u32, flag: u16) {
        if let Some(b) = self.bits.get_mut(id as usize) {
            *b &= !flag;
        }
    }

    pub(super) fn order(&self, id: u32) -> u16 {
        self.get(id) & ORDER_MASK
    }

    pub(super) fn set_order(&mut self, id: u32, state: u16) {
        if let Some(b) = self.bits.get_mut(id as usize) {
            *b = (*b & !ORDER_MASK) | state;
        }
    }

    pub(super) fn emit(&self, id: u32) -> u16 {
        self.get(id) & EMIT_MASK
    }

    pub(super) fn set_emit(&mut self, id: u32, state: u16) {
        if let Some(b) = self.bits.get_mut(id as usize) {
            *b = (*b & !EMIT_MASK) | state;
        }
    }

    /// Marks every type referred to by types `marked_up_to + 1 .. cnt` (an
    /// anonymous enum nobody refers to is a top-level declaration). `EINVAL`
    /// for a kind the dumper does not know.
    pub(super) fn mark_references(&mut self, btf: &Btf) -> crate::error::Result<()> {
        let cnt = btf.type_cnt();
        self.grow(cnt);
        if self.marked_up_to + 1 >= cnt {
            return Ok(());
        }
        // Base types (split BTF) by id, own ones walking the records.
        let first = self.marked_up_to + 1;
        let base = (first..btf.start_id()).filter_map(|id| btf.type_by_id(id).map(|t| (id, t)));
        for (_, t) in base.chain(btf.own_types_from(first)) {
            match t.kind() {
                BTF_KIND_INT | BTF_KIND_ENUM | BTF_KIND_ENUM64 | BTF_KIND_FWD | BTF_KIND_FLOAT => {}
                BTF_KIND_VOLATILE | BTF_KIND_CONST | BTF_KIND_RESTRICT | BTF_KIND_PTR | BTF_KIND_TYPEDEF
                | BTF_KIND_FUNC | BTF_KIND_VAR | BTF_KIND_DECL_TAG | BTF_KIND_TYPE_TAG => {
                    self.set(t.type_id(), REFERENCED)
                }
                BTF_KIND_ARRAY => {
                    if let Some(a) = t.array() {
                        self.set(a.index_type, REFERENCED);
                        self.set(a.elem_type, REFERENCED);
                    }
                }
                BTF_KIND_STRUCT | BTF_KIND_UNION => t.members().for_each(|m| self.set(m.type_id, REFERENCED)),
                BTF_KIND_FUNC_PROTO => t.params().for_each(|p| self.set(p.type_id, REFERENCED)),
                BTF_KIND_DATASEC => t.secinfos().for_each(|v| self.set(v.type_id, REFERENCED)),
                // Nothing is recorded as done: the next call starts over,
                // and fails again.
                _ => return Err(crate::error::Error::INVAL),
            }
        }
        self.marked_up_to = cnt - 1;
        Ok(())
    }
}

/// How many times each name has been used in one C namespace: an
/// open-addressing table of `(string offset, uses)`, names compared by
/// content (equal names at different offsets count together), so nothing
/// is copied. Offsets stay valid as types and strings are appended.
#[derive(Default)]
pub(super) struct NameCounts {
    slots: Vec<(u32, u32)>,
    len: usize,
}

/// The name at `off` as libbpf prints it ("(null)" when invalid).
fn name_at(btf: &Btf, off: u32) -> &[u8] {
    btf.str_bytes(off).unwrap_or(b"(null)")
}

impl NameCounts {
    /// Makes room for `n` names without growing.
    pub(super) fn reserve(&mut self, btf: &Btf, n: usize) {
        if (n + 1) * 2 > self.slots.len() {
            self.rehash(btf, ((n + 1) * 2).next_power_of_two());
        }
    }

    fn rehash(&mut self, btf: &Btf, cap: usize) {
        let old = core::mem::replace(&mut self.slots, vec![(0, 0); cap.max(16)]);
        let mask = self.slots.len() - 1;
        for (off, uses) in old.into_iter().filter(|&(_, uses)| uses != 0) {
            let mut i = hash_bytes(name_at(btf, off)) as usize & mask;
            while self.slots[i].1 != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = (off, uses);
        }
    }

    /// Records one more use of the name at `off`; returns how many uses
    /// that name has now (1 for the first).
    pub(super) fn bump(&mut self, btf: &Btf, off: u32) -> u32 {
        if (self.len + 1) * 2 > self.slots.len() {
            self.rehash(btf, (self.slots.len() * 2).max(16));
        }
        let name = name_at(btf, off);
        let mask = self.slots.len() - 1;
        let mut i = hash_bytes(name) as usize & mask;
        loop {
            let (o, uses) = self.slots[i];
            if uses == 0 {
                self.slots[i] = (off, 1);
                self.len += 1;
                return 1;
            }
            if o == off || name_at(btf, o) == name {
                self.slots[i].1 += 1;
                return uses + 1;
            }
            i = (i + 1) & mask;
        }
    }
}

/// The longest name a suffixed duplicate may have (libbpf formats it into a
/// 256-byte buffer).
const MAX_DUP_NAME: usize = 255;

/// `name___N`, cut to libbpf's length limit.
pub(super) fn dup_name(name: &[u8], n: u32) -> Box<[u8]> {
    let mut s = Vec::with_capacity(name.len() + 8);
    s.extend_from_slice(name);
    s.extend_from_slice(b"___");
    s.extend_from_slice(n.to_string().as_bytes());
    s.truncate(MAX_DUP_NAME);
    s.into_boxed_slice()
}

/// Names handed out to types: the two C namespaces (struct/union/enum tags;
/// typedefs and enumerators) and the suffixed names of duplicates.
#[derive(Default)]
pub(super) struct Names {
    pub(super) tags: NameCounts,
    pub(super) idents: NameCounts,
    /// Types whose name got a `___N` suffix.
    pub(super) renamed: HashMap<u32, Box<[u8]>>,
}

/// Alignments computed so far (`align + 1`, 0 when unknown, `u8::MAX` when
/// the type has none), valid for one pointer size.
#[derive(Default)]
pub(super) struct AlignCache {
    pub(super) ptr_sz: u32,
    pub(super) v: Vec<u8>,
}
