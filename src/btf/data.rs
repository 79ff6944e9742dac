//! [`Btf`]: the BTF data of one object (kernel, module or program), possibly
//! split on a base, with its accessors. Parsing, building, resolving and
//! serialising live in sibling modules as further `impl Btf` blocks.

use std::ffi::CStr;
use std::ops::Range;
use std::sync::atomic::AtomicI32;
use std::sync::{Arc, OnceLock};

use super::header::Header;
use super::index::{hash_bytes, SlotTable};
use super::types::Type;
use crate::error::{Error, Result};
use crate::sys::blob::Blob;
use crate::uapi::btf::*;

/// Where the type and string sections live.
pub(crate) enum Store {
    /// As parsed, unmodified: ranges of the original blob (types in words,
    /// strings in bytes). The types are 4-byte aligned in the blob.
    Blob { blob: Blob, types: Range<usize>, strs: Range<usize> },
    /// Built or modified: sections of their own.
    Owned { types: Vec<u32>, strs: Vec<u8> },
}

/// BTF data: types by id, strings by offset, on an optional base.
///
/// Immutable once shared (`Arc<Btf>`); the lazily built name and string
/// indexes and cached serialisations are thread-safe.
pub struct Btf {
    pub(crate) base: Option<Arc<Btf>>,
    /// Id of the first own type: 1, or the base's type count.
    pub(crate) start_id: u32,
    /// Offset of the first own string: 0, or the end of the base's strings.
    pub(crate) start_str_off: u32,
    pub(crate) store: Store,
    /// Word offset of each own type in the type section.
    pub(crate) type_offs: Vec<u32>,
    /// Header fields kept for serialisation (length, version, flags).
    pub(crate) hdr: Header,
    /// The layout section (one entry per kind), when the BTF has one.
    pub(crate) layouts: Option<Vec<btf_layout>>,
    /// Whether the byte order to write out is the non-native one.
    pub(crate) swapped: bool,
    /// Pointer size: 0 not determined yet, -1 undeterminable, else 4 or 8.
    pub(crate) ptr_sz: AtomicI32,
    /// A kernel BTF object fd, or -1; closed on drop.
    pub(crate) fd: i32,
    /// Own types with a non-empty name, by name.
    pub(crate) names: OnceLock<SlotTable>,
    /// Own strings (section-relative offsets), by content.
    pub(crate) strs_index: OnceLock<SlotTable>,
    /// Serialisations, `[native, swapped]`, built on demand.
    pub(crate) raw: [OnceLock<Vec<u8>>; 2],
    /// Whether the own strings are known to be unique and all referenced,
    /// so that deduplication leaves the string section as it is: true for
    /// BTF that started with no strings of its own (built from scratch) and
    /// after a deduplication, as libbpf tracks it.
    pub(crate) strs_deduped: bool,
}

impl Drop for Btf {
    fn drop(&mut self) {
        if self.fd >= 0 {
            crate::sys::fd::close_raw(self.fd);
        }
    }
}

impl Btf {
    /// An empty BTF around a store; callers fill in the rest.
    pub(crate) fn with_store(base: Option<Arc<Btf>>, store: Store, hdr: Header) -> Btf {
        let (start_id, start_str_off, swapped) = match &base {
            Some(b) => (b.type_cnt(), b.str_end(), b.swapped),
            None => (1, 0, false),
        };
        let own_strs = match &store {
            Store::Blob { strs, .. } => strs.len(),
            Store::Owned { strs, .. } => strs.len(),
        };
        let strs_deduped = own_strs == 0 || (base.is_none() && own_strs == 1);
        Btf {
            base,
            start_id,
            start_str_off,
            store,
            type_offs: Vec::new(),
            hdr,
            layouts: None,
            swapped,
            ptr_sz: AtomicI32::new(0),
            fd: -1,
            names: OnceLock::new(),
            strs_index: OnceLock::new(),
            raw: [OnceLock::new(), OnceLock::new()],
            strs_deduped,
        }
    }

    /// Replaces the own types (records and their word offsets) and, when
    /// given, the own string section; drops every index and cached
    /// serialisation. The caller guarantees the records are well formed.
    pub(crate) fn replace_own(&mut self, types: Vec<u32>, offs: Vec<u32>, strs: Option<Vec<u8>>) {
        let strs = match (strs, core::mem::replace(&mut self.store, Store::Owned { types: Vec::new(), strs: Vec::new() })) {
            (Some(s), _) => {
                self.strs_index = OnceLock::new();
                s
            }
            (None, Store::Owned { strs, .. }) => strs,
            (None, Store::Blob { blob, strs, .. }) => blob.bytes()[strs].to_vec(),
        };
        self.store = Store::Owned { types, strs };
        self.type_offs = offs;
        self.names = OnceLock::new();
        self.raw = [OnceLock::new(), OnceLock::new()];
    }

    /// The own type section, as native words.
    #[inline]
    pub(crate) fn type_words(&self) -> &[u32] {
        match &self.store {
            Store::Blob { blob, types, .. } => &blob.words()[types.clone()],
            Store::Owned { types, .. } => types,
        }
    }

    /// The own string section.
    #[inline]
    pub fn str_section(&self) -> &[u8] {
        match &self.store {
            Store::Blob { blob, strs, .. } => &blob.bytes()[strs.clone()],
            Store::Owned { strs, .. } => strs,
        }
    }

    /// One past the last valid string offset (own and base strings).
    pub fn str_end(&self) -> u32 {
        self.start_str_off + self.str_section().len() as u32
    }

    /// Number of type ids, including VOID and the base's types: valid ids
    /// are `0..type_cnt()`.
    pub fn type_cnt(&self) -> u32 {
        self.start_id + self.type_offs.len() as u32
    }

    /// Id of the first type of this BTF (1, or the base's type count).
    pub fn start_id(&self) -> u32 {
        self.start_id
    }

    /// Offset of the first string of this BTF (0, or the base's string end).
    pub fn start_str_off(&self) -> u32 {
        self.start_str_off
    }

    /// The base this BTF is split on.
    pub fn base(&self) -> Option<&Arc<Btf>> {
        self.base.as_ref()
    }

    /// The type with id `id` (0 is VOID), from the base when below
    /// [`Btf::start_id`]; None when out of range.
    #[inline]
    pub fn type_by_id(&self, id: u32) -> Option<Type<'_>> {
        if id < self.start_id {
            return match &self.base {
                _ if id == 0 => Some(Type::void()),
                Some(b) => b.type_by_id(id),
                None => None,
            };
        }
        let i = (id - self.start_id) as usize;
        let start = *self.type_offs.get(i)? as usize;
        let words = self.type_words();
        let end = self.type_offs.get(i + 1).map_or(words.len(), |&o| o as usize);
        words.get(start..end).map(Type::new)
    }

    /// Like [`Btf::type_by_id`], with `EINVAL` for an id out of range.
    pub fn type_at(&self, id: u32) -> Result<Type<'_>> {
        self.type_by_id(id).ok_or(Error::INVAL)
    }

    /// Every type id from 1 to the last, base types included, with its type.
    pub fn types(&self) -> impl Iterator<Item = (u32, Type<'_>)> + '_ {
        (1..self.type_cnt()).filter_map(move |id| self.type_by_id(id).map(|t| (id, t)))
    }

    /// The own types (from [`Btf::start_id`]), with their ids.
    pub fn own_types(&self) -> impl Iterator<Item = (u32, Type<'_>)> + '_ {
        self.own_types_from(self.start_id)
    }

    /// The own types from id `first` on (ids below [`Btf::start_id`] are
    /// skipped), walking the records in order.
    pub fn own_types_from(&self, first: u32) -> impl Iterator<Item = (u32, Type<'_>)> + '_ {
        let words = self.type_words();
        let offs = &self.type_offs;
        let from = first.saturating_sub(self.start_id) as usize;
        (from..offs.len()).map(move |i| {
            let end = offs.get(i + 1).map_or(words.len(), |&o| o as usize);
            let rec = words.get(offs[i] as usize..end).map_or(Type::void(), Type::new);
            (self.start_id + i as u32, rec)
        })
    }

    /// The NUL-terminated string at `off` (base strings below
    /// [`Btf::start_str_off`]); None when out of range.
    pub fn str_by_offset(&self, off: u32) -> Option<&CStr> {
        if off < self.start_str_off {
            return self.base.as_ref()?.str_by_offset(off);
        }
        let rel = (off - self.start_str_off) as usize;
        let strs = self.str_section();
        CStr::from_bytes_until_nul(strs.get(rel..)?).ok()
    }

    /// The string at `off` as bytes (without the NUL).
    #[inline]
    pub fn str_bytes(&self, off: u32) -> Option<&[u8]> {
        if off < self.start_str_off {
            return self.base.as_ref()?.str_bytes(off);
        }
        let rest = self.str_section().get((off - self.start_str_off) as usize..)?;
        Some(&rest[..nul_position(rest)?])
    }

    /// The string at `off` as UTF-8: None when out of range or not UTF-8.
    pub fn name(&self, off: u32) -> Option<&str> {
        self.str_by_offset(off)?.to_str().ok()
    }

    /// The name of type `id` ("" when anonymous or unknown).
    pub fn type_name(&self, id: u32) -> &str {
        self.type_by_id(id).and_then(|t| self.name(t.name_off())).unwrap_or("")
    }

    /// The kernel fd of this BTF (-1 when not loaded).
    pub fn fd(&self) -> i32 {
        self.fd
    }

    /// Sets the fd (the previous one is not closed; the new one is closed
    /// when this BTF is dropped), as `btf__set_fd()` does.
    pub fn set_fd(&mut self, fd: i32) {
        self.fd = fd;
    }

    /// Gives up the fd without closing it (-1 when none).
    pub fn take_fd(&mut self) -> i32 {
        core::mem::replace(&mut self.fd, -1)
    }

    /// Whether the output byte order is big endian.
    pub fn is_big_endian(&self) -> bool {
        cfg!(target_endian = "big") != self.swapped
    }

    /// Chooses the byte order of [`Btf::raw_data`] (and nothing else: the
    /// data stays native in memory).
    pub fn set_big_endian(&mut self, big: bool) {
        let swapped = cfg!(target_endian = "big") != big;
        if swapped != self.swapped {
            self.swapped = swapped;
        }
    }

    /// The layout section entries, when this BTF has one.
    pub fn layouts(&self) -> Option<&[btf_layout]> {
        self.layouts.as_deref()
    }

    /// Makes the sections modifiable (copying them out of the parsed blob)
    /// and drops cached serialisations. Indexes stay valid.
    pub(crate) fn ensure_owned(&mut self) -> (&mut Vec<u32>, &mut Vec<u8>) {
        if let Store::Blob { blob, types, strs } = &self.store {
            let t = blob.words()[types.clone()].to_vec();
            let s = blob.bytes()[strs.clone()].to_vec();
            self.store = Store::Owned { types: t, strs: s };
        }
        self.raw = [OnceLock::new(), OnceLock::new()];
        match &mut self.store {
            Store::Owned { types, strs } => (types, strs),
            Store::Blob { .. } => unreachable!("converted above"),
        }
    }

    /// The own-string index, built on first use.
    fn strs_index(&self) -> &SlotTable {
        self.strs_index.get_or_init(|| {
            let strs = self.str_section();
            let mut table = SlotTable::with_capacity(strs.len() / 16);
            let mut off = 0usize;
            while off < strs.len() {
                let s = cstr_bytes(strs, off);
                if find_in(&table, strs, s).is_none() {
                    table.insert(hash_bytes(s), off as u32, |k| hash_bytes(cstr_bytes(strs, k as usize)));
                }
                off += s.len() + 1;
            }
            table
        })
    }

    /// The offset of string `s` (base strings first), or `ENOENT`.
    pub fn find_str(&self, s: &[u8]) -> Result<u32> {
        if let Some(base) = &self.base {
            if let Ok(off) = base.find_str(s) {
                return Ok(off);
            }
        }
        let strs = self.str_section();
        match find_in(self.strs_index(), strs, s) {
            Some(off) => Ok(self.start_str_off + off),
            None => Err(Error::NOENT),
        }
    }

    /// Adds string `s` unless present (here or in the base); returns its
    /// offset. `EINVAL` for a string with a NUL inside, `ENOMEM` past the
    /// largest string offset.
    pub fn add_str(&mut self, s: &[u8]) -> Result<u32> {
        if s.contains(&0) {
            return Err(Error::INVAL);
        }
        if let Ok(off) = self.find_str(s) {
            return Ok(off);
        }
        let start = self.start_str_off;
        if start as u64 + self.str_section().len() as u64 + s.len() as u64 + 1 > BTF_MAX_STR_OFFSET_LIBBPF as u64 {
            return Err(Error::NOMEM);
        }
        self.strs_index();
        let mut index = self.strs_index.take().unwrap_or_default();
        let (_, strs) = self.ensure_owned();
        let off = strs.len();
        strs.extend_from_slice(s);
        strs.push(0);
        let strs: &[u8] = strs;
        index.insert(hash_bytes(s), off as u32, |k| hash_bytes(cstr_bytes(strs, k as usize)));
        let _ = self.strs_index.set(index);
        Ok(start + off as u32)
    }

    /// The bytes (without the NUL) of the own string at `off`, to change in
    /// place (as libbpf's loader renames sections for old kernels); `EINVAL`
    /// for a base string or a bad offset. Writing a NUL shortens the string.
    /// Drops the string and name indexes and cached serialisations.
    pub fn str_mut(&mut self, off: u32) -> Result<&mut [u8]> {
        if off < self.start_str_off || off >= self.str_end() {
            return Err(Error::INVAL);
        }
        let rel = (off - self.start_str_off) as usize;
        self.strs_index = OnceLock::new();
        self.names = OnceLock::new();
        let (_, strs) = self.ensure_owned();
        let len = cstr_bytes(strs, rel).len();
        Ok(&mut strs[rel..rel + len])
    }

    /// The own name index, built on first use.
    pub(crate) fn names(&self) -> &SlotTable {
        self.names.get_or_init(|| {
            let mut table = SlotTable::with_capacity(self.type_offs.len());
            for (id, t) in self.own_types() {
                if let Some(name) = self.str_bytes(t.name_off()).filter(|n| !n.is_empty()) {
                    table.insert(hash_bytes(name), id, |k| self.name_hash(k));
                }
            }
            table
        })
    }

    fn name_hash(&self, id: u32) -> u64 {
        let name = self.type_by_id(id).and_then(|t| self.str_bytes(t.name_off())).unwrap_or(&[]);
        hash_bytes(name)
    }

    /// Records a type just appended (the name index follows along when built).
    pub(crate) fn index_new_type(&mut self, id: u32) {
        let hash = self.type_by_id(id).and_then(|t| self.str_bytes(t.name_off())).filter(|n| !n.is_empty()).map(hash_bytes);
        if let (Some(hash), Some(mut table)) = (hash, self.names.take()) {
            table.insert(hash, id, |k| self.name_hash(k));
            let _ = self.names.set(table);
        }
    }

    /// Forgets the name index (after a type's name or kind changed).
    pub(crate) fn invalidate_names(&mut self) {
        self.names = OnceLock::new();
    }

    /// The first type, base included, named `name` whose kind satisfies
    /// `want`.
    fn find_first(&self, name: &[u8], want: &dyn Fn(u32) -> bool) -> Option<u32> {
        if let Some(id) = self.base.as_ref().and_then(|b| b.find_first(name, want)) {
            return Some(id);
        }
        if name.is_empty() {
            return self
                .own_types()
                .find(|(_, t)| want(t.kind()) && self.str_bytes(t.name_off()) == Some(b""))
                .map(|(id, _)| id);
        }
        let hash = hash_bytes(name);
        self.names().probe(hash).find(|&id| {
            self.type_by_id(id)
                .is_some_and(|t| want(t.kind()) && self.str_bytes(t.name_off()) == Some(name))
        })
    }

    /// The smallest id of a type named `name` (any kind, base included);
    /// "void" is 0. `ENOENT` when there is none.
    pub fn find_by_name(&self, name: &[u8]) -> Result<u32> {
        if name == b"void" {
            return Ok(0);
        }
        self.find_first(name, &|_| true).ok_or(Error::NOENT)
    }

    /// The smallest id of a type of `kind` named `name` (base included);
    /// "void" and kind UNKN give 0. `ENOENT` when there is none.
    pub fn find_by_name_kind(&self, name: &[u8], kind: u32) -> Result<u32> {
        if kind == BTF_KIND_UNKN || name == b"void" {
            return Ok(0);
        }
        self.find_first(name, &|k| k == kind).ok_or(Error::NOENT)
    }

    /// Like [`Btf::find_by_name_kind`], among own types only.
    pub fn find_own_by_name_kind(&self, name: &[u8], kind: u32) -> Result<u32> {
        if kind == BTF_KIND_UNKN || name == b"void" {
            return Ok(0);
        }
        let found = if name.is_empty() {
            self.own_types().find(|(_, t)| t.kind() == kind && self.str_bytes(t.name_off()) == Some(b"")).map(|(id, _)| id)
        } else {
            self.names().probe(hash_bytes(name)).find(|&id| {
                self.type_by_id(id).is_some_and(|t| t.kind() == kind && self.str_bytes(t.name_off()) == Some(name))
            })
        };
        found.ok_or(Error::NOENT)
    }

    /// Every id (base first, ascending) of a type named exactly `name`
    /// (non-empty), of any kind.
    pub fn ids_named(&self, name: &[u8]) -> Vec<u32> {
        let mut out = self.base.as_ref().map(|b| b.ids_named(name)).unwrap_or_default();
        if !name.is_empty() {
            let own = self.names().probe(hash_bytes(name)).filter(|&id| {
                self.type_by_id(id).is_some_and(|t| self.str_bytes(t.name_off()) == Some(name))
            });
            out.extend(own);
        }
        out
    }
}

/// libbpf's limit on string offsets.
pub(crate) const BTF_MAX_STR_OFFSET_LIBBPF: u32 = 0x7fff_ffff;
/// libbpf's limit on the number of types.
pub(crate) const BTF_MAX_NR_TYPES: u32 = 0x7fff_ffff;

/// Where the first NUL of `s` is. BTF names are short and this is a hot path
/// (lookups, printing types as C): eight bytes at a time, no call.
#[inline]
fn nul_position(s: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut chunks = s.chunks_exact(8);
    let mut at = 0;
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        // Non-zero exactly when some byte of `w` is zero; the lowest
        // flagged byte is the first zero one.
        let z = w.wrapping_sub(LO) & !w & HI;
        if z != 0 {
            return Some(at + (z.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks.remainder().iter().position(|&b| b == 0).map(|p| at + p)
}

/// The bytes of the NUL-terminated string at `off` (to the end if unterminated).
pub(crate) fn cstr_bytes(strs: &[u8], off: usize) -> &[u8] {
    let rest = strs.get(off..).unwrap_or(&[]);
    match rest.iter().position(|&b| b == 0) {
        Some(n) => &rest[..n],
        None => rest,
    }
}

/// The section-relative offset of `s` in an own-string index.
fn find_in(table: &SlotTable, strs: &[u8], s: &[u8]) -> Option<u32> {
    table.probe(hash_bytes(s)).find(|&off| cstr_bytes(strs, off as usize) == s)
}

const _: () = assert!(core::mem::size_of::<btf_layout>() == 4);

// Kernel BTF is shared across threads (`Arc<Btf>`).
const _: fn() = || {
    fn shareable<T: Send + Sync>() {}
    shareable::<Btf>();
    shareable::<super::ext::BtfExt>();
};
