//! Building BTF: empty BTF (standalone or split), one `add_*` method per
//! kind, and copying types from another BTF.
//!
//! Every method checks its arguments before changing anything; strings are
//! added in call order and deduplicated (an existing string, here or in the
//! base, is reused), so the bytes produced match libbpf's for the same calls.
//! Type ids given as arguments may point forward (to types not added yet):
//! only their range is checked.

use std::collections::HashMap;
use std::sync::Arc;

use super::data::{Btf, Store, BTF_MAX_NR_TYPES};
use super::header::Header;
use super::types::{known_layouts, record_words, Type, TYPE_WORDS};
use crate::error::{Error, Result};
use crate::uapi::btf::*;

/// What a forward declaration declares (`enum btf_fwd_kind`).
pub const BTF_FWD_STRUCT: u32 = 0;
pub const BTF_FWD_UNION: u32 = 1;
pub const BTF_FWD_ENUM: u32 = 2;

fn check_id(id: u32) -> Result<()> {
    if id > BTF_MAX_NR_TYPES {
        return Err(Error::INVAL);
    }
    Ok(())
}

fn nonempty(name: &[u8]) -> Result<&[u8]> {
    if name.is_empty() {
        return Err(Error::INVAL);
    }
    Ok(name)
}

impl Btf {
    /// An empty BTF: VOID only, the empty string at offset 0, a 32-byte
    /// header, pointer size 8 (the host's).
    pub fn new_empty() -> Btf {
        Btf::new_empty_with(None, false)
    }

    /// An empty BTF split on `base`: its ids and string offsets continue
    /// the base's; it inherits the base's byte order.
    pub fn new_empty_split(base: Arc<Btf>) -> Btf {
        Btf::new_empty_with(Some(base), false)
    }

    /// An empty BTF, split on `base` if given, with a layout section
    /// describing every kind this library knows when `add_layout` is set.
    pub fn new_empty_with(base: Option<Arc<Btf>>, add_layout: bool) -> Btf {
        let strs = if base.is_some() { Vec::new() } else { vec![0] };
        let store = Store::Owned { types: Vec::new(), strs };
        let mut btf = Btf::with_store(base, store, Header::new_v2());
        btf.ptr_sz.store(core::mem::size_of::<usize>() as i32, std::sync::atomic::Ordering::Relaxed);
        if add_layout {
            btf.layouts = Some(known_layouts());
        }
        btf
    }

    /// Appends one complete record; returns its id.
    pub(crate) fn push_type(&mut self, words: &[u32]) -> Result<u32> {
        let id = self.type_cnt();
        if id > BTF_MAX_NR_TYPES {
            return Err(Error::TOO_BIG);
        }
        let (types, _) = self.ensure_owned();
        let off = u32::try_from(types.len()).map_err(|_| Error::NOMEM)?;
        types.extend_from_slice(words);
        self.type_offs.push(off);
        self.index_new_type(id);
        Ok(id)
    }

    /// Appends one vlen element to the last own type, which must satisfy
    /// `is_kind`; sets its kind flag when `set_kflag`.
    fn push_elem(&mut self, is_kind: impl Fn(Type<'_>) -> bool, elem: &[u32], set_kflag: bool) -> Result<()> {
        let last = self.last_type()?;
        if !is_kind(last) {
            return Err(Error::INVAL);
        }
        if last.vlen() == BTF_MAX_VLEN {
            return Err(Error::TOO_BIG);
        }
        let info = btf_info_enc(last.kind(), last.kflag() || set_kflag, last.vlen() + 1);
        let at = *self.type_offs.last().ok_or(Error::INVAL)? as usize;
        let (types, _) = self.ensure_owned();
        types[at + 1] = info;
        types.extend_from_slice(elem);
        Ok(())
    }

    /// The last own type (`EINVAL` when there is none).
    fn last_type(&self) -> Result<Type<'_>> {
        if self.type_offs.is_empty() {
            return Err(Error::INVAL);
        }
        self.type_at(self.type_cnt() - 1)
    }

    /// Adds `name` unless empty (then 0).
    fn add_name(&mut self, name: &[u8]) -> Result<u32> {
        if name.is_empty() {
            Ok(0)
        } else {
            self.add_str(name)
        }
    }

    /// INT `name` of `byte_sz` bytes (1, 2, 4, 8 or 16) with `encoding`
    /// (`BTF_INT_SIGNED` / `_CHAR` / `_BOOL`).
    pub fn add_int(&mut self, name: impl AsRef<[u8]>, byte_sz: usize, encoding: u32) -> Result<u32> {
        let name = name.as_ref();
        nonempty(name)?;
        if !byte_sz.is_power_of_two() || byte_sz > 16 {
            return Err(Error::INVAL);
        }
        if encoding & !(BTF_INT_SIGNED | BTF_INT_CHAR | BTF_INT_BOOL) != 0 {
            return Err(Error::INVAL);
        }
        let name_off = self.add_name(name)?;
        let sz = byte_sz as u32;
        self.push_type(&[name_off, btf_info_enc(BTF_KIND_INT, false, 0), sz, (encoding << 24) | (sz * 8)])
    }

    /// FLOAT `name` of 2, 4, 8, 12 or 16 bytes.
    pub fn add_float(&mut self, name: impl AsRef<[u8]>, byte_sz: usize) -> Result<u32> {
        let name = name.as_ref();
        nonempty(name)?;
        if ![2, 4, 8, 12, 16].contains(&byte_sz) {
            return Err(Error::INVAL);
        }
        let name_off = self.add_name(name)?;
        self.push_type(&[name_off, btf_info_enc(BTF_KIND_FLOAT, false, 0), byte_sz as u32])
    }

    /// A one-record kind referring to `ref_id` (PTR, TYPEDEF, modifiers,
    /// TYPE_TAG, FWD, FUNC), named `name` (may be empty).
    fn add_ref(&mut self, kind: u32, name: &[u8], ref_id: u32, kflag: bool, vlen: u32) -> Result<u32> {
        check_id(ref_id)?;
        let name_off = self.add_name(name)?;
        self.push_type(&[name_off, btf_info_enc(kind, kflag, vlen), ref_id])
    }

    /// PTR to `ref_id`.
    pub fn add_ptr(&mut self, ref_id: u32) -> Result<u32> {
        self.add_ref(BTF_KIND_PTR, b"", ref_id, false, 0)
    }

    /// CONST of `ref_id`.
    pub fn add_const(&mut self, ref_id: u32) -> Result<u32> {
        self.add_ref(BTF_KIND_CONST, b"", ref_id, false, 0)
    }

    /// VOLATILE of `ref_id`.
    pub fn add_volatile(&mut self, ref_id: u32) -> Result<u32> {
        self.add_ref(BTF_KIND_VOLATILE, b"", ref_id, false, 0)
    }

    /// RESTRICT of `ref_id`.
    pub fn add_restrict(&mut self, ref_id: u32) -> Result<u32> {
        self.add_ref(BTF_KIND_RESTRICT, b"", ref_id, false, 0)
    }

    /// TYPEDEF `name` of `ref_id`.
    pub fn add_typedef(&mut self, name: impl AsRef<[u8]>, ref_id: u32) -> Result<u32> {
        let name = name.as_ref();
        self.add_ref(BTF_KIND_TYPEDEF, nonempty(name)?, ref_id, false, 0)
    }

    /// TYPE_TAG `value` on `ref_id` (`btf_type_tag`).
    pub fn add_type_tag(&mut self, value: impl AsRef<[u8]>, ref_id: u32) -> Result<u32> {
        let value = value.as_ref();
        self.add_ref(BTF_KIND_TYPE_TAG, nonempty(value)?, ref_id, false, 0)
    }

    /// TYPE_TAG with the kind flag: an arbitrary type attribute `value`.
    pub fn add_type_attr(&mut self, value: impl AsRef<[u8]>, ref_id: u32) -> Result<u32> {
        let value = value.as_ref();
        self.add_ref(BTF_KIND_TYPE_TAG, nonempty(value)?, ref_id, true, 0)
    }

    /// FWD `name` of a struct or union, or (for `BTF_FWD_ENUM`) an empty
    /// 4-byte ENUM.
    pub fn add_fwd(&mut self, name: impl AsRef<[u8]>, fwd_kind: u32) -> Result<u32> {
        let name = name.as_ref();
        nonempty(name)?;
        match fwd_kind {
            BTF_FWD_STRUCT | BTF_FWD_UNION => self.add_ref(BTF_KIND_FWD, name, 0, fwd_kind == BTF_FWD_UNION, 0),
            BTF_FWD_ENUM => self.add_enum(name, 4),
            _ => Err(Error::INVAL),
        }
    }

    /// FUNC `name` with `linkage` (`BTF_FUNC_STATIC/GLOBAL/EXTERN`) and
    /// prototype `proto_id`.
    pub fn add_func(&mut self, name: impl AsRef<[u8]>, linkage: u32, proto_id: u32) -> Result<u32> {
        let name = name.as_ref();
        nonempty(name)?;
        if linkage > BTF_FUNC_EXTERN {
            return Err(Error::INVAL);
        }
        self.add_ref(BTF_KIND_FUNC, name, proto_id, false, linkage)
    }

    /// ARRAY of `nr_elems` elements of `elem_id`, indexed by `index_id`.
    pub fn add_array(&mut self, index_id: u32, elem_id: u32, nr_elems: u32) -> Result<u32> {
        check_id(index_id)?;
        check_id(elem_id)?;
        self.push_type(&[0, btf_info_enc(BTF_KIND_ARRAY, false, 0), 0, elem_id, index_id, nr_elems])
    }

    /// STRUCT `name` (may be empty) of `byte_sz` bytes, without members yet.
    pub fn add_struct(&mut self, name: impl AsRef<[u8]>, byte_sz: u32) -> Result<u32> {
        let name = name.as_ref();
        let name_off = self.add_name(name)?;
        self.push_type(&[name_off, btf_info_enc(BTF_KIND_STRUCT, false, 0), byte_sz])
    }

    /// UNION `name` (may be empty) of `byte_sz` bytes, without members yet.
    pub fn add_union(&mut self, name: impl AsRef<[u8]>, byte_sz: u32) -> Result<u32> {
        let name = name.as_ref();
        let name_off = self.add_name(name)?;
        self.push_type(&[name_off, btf_info_enc(BTF_KIND_UNION, false, 0), byte_sz])
    }

    /// A member of the last type (a STRUCT or UNION): `name` (may be empty)
    /// of `type_id` at `bit_offset`; a bitfield of `bit_size` bits when
    /// non-zero (which turns the kind flag on). Union members sit at 0.
    pub fn add_field(&mut self, name: impl AsRef<[u8]>, type_id: u32, bit_offset: u32, bit_size: u32) -> Result<()> {
        let name = name.as_ref();
        let last = self.last_type()?;
        if !last.is_composite() {
            return Err(Error::INVAL);
        }
        check_id(type_id)?;
        let is_bitfield = bit_size != 0 || bit_offset % 8 != 0;
        if is_bitfield && (bit_size == 0 || bit_size > 255 || bit_offset > 0x00ff_ffff) {
            return Err(Error::INVAL);
        }
        if last.is_union() && bit_offset != 0 {
            return Err(Error::INVAL);
        }
        let name_off = self.add_name(name)?;
        self.push_elem(|t| t.is_composite(), &[name_off, type_id, bit_offset | (bit_size << 24)], is_bitfield)
    }

    fn check_enum_size(byte_sz: u32) -> Result<()> {
        if !byte_sz.is_power_of_two() || byte_sz > 8 {
            return Err(Error::INVAL);
        }
        Ok(())
    }

    /// ENUM `name` (may be empty) of `byte_sz` bytes (1, 2, 4 or 8),
    /// unsigned until a negative value is added.
    pub fn add_enum(&mut self, name: impl AsRef<[u8]>, byte_sz: u32) -> Result<u32> {
        let name = name.as_ref();
        Self::check_enum_size(byte_sz)?;
        let name_off = self.add_name(name)?;
        self.push_type(&[name_off, btf_info_enc(BTF_KIND_ENUM, false, 0), byte_sz])
    }

    /// An enumerator of the last type (an ENUM): `name` = `value`, which
    /// must fit 32 bits signed or unsigned (`E2BIG` otherwise); a negative
    /// value makes the enum signed.
    pub fn add_enum_value(&mut self, name: impl AsRef<[u8]>, value: i64) -> Result<()> {
        let name = name.as_ref();
        if !self.last_type()?.is_enum() {
            return Err(Error::INVAL);
        }
        nonempty(name)?;
        if value < i32::MIN as i64 || value > u32::MAX as i64 {
            return Err(Error::TOO_BIG);
        }
        let name_off = self.add_name(name)?;
        self.push_elem(|t| t.is_enum(), &[name_off, value as u32], value < 0)
    }

    /// ENUM64 `name` (may be empty) of `byte_sz` bytes, signed or not.
    pub fn add_enum64(&mut self, name: impl AsRef<[u8]>, byte_sz: u32, is_signed: bool) -> Result<u32> {
        let name = name.as_ref();
        Self::check_enum_size(byte_sz)?;
        let name_off = self.add_name(name)?;
        self.push_type(&[name_off, btf_info_enc(BTF_KIND_ENUM64, is_signed, 0), byte_sz])
    }

    /// An enumerator of the last type (an ENUM64): `name` = `value`.
    pub fn add_enum64_value(&mut self, name: impl AsRef<[u8]>, value: u64) -> Result<()> {
        let name = name.as_ref();
        if !self.last_type()?.is_enum64() {
            return Err(Error::INVAL);
        }
        nonempty(name)?;
        let name_off = self.add_name(name)?;
        self.push_elem(|t| t.is_enum64(), &[name_off, value as u32, (value >> 32) as u32], false)
    }

    /// FUNC_PROTO returning `ret_id`, without parameters yet.
    pub fn add_func_proto(&mut self, ret_id: u32) -> Result<u32> {
        check_id(ret_id)?;
        self.push_type(&[0, btf_info_enc(BTF_KIND_FUNC_PROTO, false, 0), ret_id])
    }

    /// A parameter of the last type (a FUNC_PROTO): `name` (may be empty)
    /// of `type_id`.
    pub fn add_func_param(&mut self, name: impl AsRef<[u8]>, type_id: u32) -> Result<()> {
        let name = name.as_ref();
        check_id(type_id)?;
        if !self.last_type()?.is_func_proto() {
            return Err(Error::INVAL);
        }
        let name_off = self.add_name(name)?;
        self.push_elem(|t| t.is_func_proto(), &[name_off, type_id], false)
    }

    /// VAR `name` of `type_id` with `linkage` (`BTF_VAR_STATIC`,
    /// `_GLOBAL_ALLOCATED` or `_GLOBAL_EXTERN`).
    pub fn add_var(&mut self, name: impl AsRef<[u8]>, linkage: u32, type_id: u32) -> Result<u32> {
        let name = name.as_ref();
        nonempty(name)?;
        if linkage > BTF_VAR_GLOBAL_EXTERN {
            return Err(Error::INVAL);
        }
        check_id(type_id)?;
        let name_off = self.add_name(name)?;
        self.push_type(&[name_off, btf_info_enc(BTF_KIND_VAR, false, 0), type_id, linkage])
    }

    /// DATASEC `name` of `byte_sz` bytes, without variables yet.
    pub fn add_datasec(&mut self, name: impl AsRef<[u8]>, byte_sz: u32) -> Result<u32> {
        let name = name.as_ref();
        let name_off = self.add_name(nonempty(name)?)?;
        self.push_type(&[name_off, btf_info_enc(BTF_KIND_DATASEC, false, 0), byte_sz])
    }

    /// A variable of the last type (a DATASEC): `var_id` at `offset`, of
    /// `byte_sz` bytes.
    pub fn add_datasec_var_info(&mut self, var_id: u32, offset: u32, byte_sz: u32) -> Result<()> {
        if !self.last_type()?.is_datasec() {
            return Err(Error::INVAL);
        }
        check_id(var_id)?;
        self.push_elem(|t| t.is_datasec(), &[var_id, offset, byte_sz], false)
    }

    fn add_decl(&mut self, value: &[u8], ref_id: u32, component_idx: i32, kflag: bool) -> Result<u32> {
        nonempty(value)?;
        if component_idx < -1 {
            return Err(Error::INVAL);
        }
        check_id(ref_id)?;
        let value_off = self.add_name(value)?;
        self.push_type(&[value_off, btf_info_enc(BTF_KIND_DECL_TAG, kflag, 0), ref_id, component_idx as u32])
    }

    /// DECL_TAG `value` on `ref_id` (on its member or parameter
    /// `component_idx`, or on the type itself for -1).
    pub fn add_decl_tag(&mut self, value: impl AsRef<[u8]>, ref_id: u32, component_idx: i32) -> Result<u32> {
        let value = value.as_ref();
        self.add_decl(value, ref_id, component_idx, false)
    }

    /// DECL_TAG with the kind flag: an arbitrary declaration attribute.
    pub fn add_decl_attr(&mut self, value: impl AsRef<[u8]>, ref_id: u32, component_idx: i32) -> Result<u32> {
        let value = value.as_ref();
        self.add_decl(value, ref_id, component_idx, true)
    }

    /// Copies type `t` of `src` (strings re-added here, type ids kept as
    /// they are); returns the new id.
    pub fn add_type(&mut self, src: &Btf, t: Type<'_>) -> Result<u32> {
        let n = record_words(t.info(), src.layouts().unwrap_or(&[])).ok_or(Error::INVAL)?;
        let words = t.words().get(..n).ok_or(Error::INVAL)?.to_vec();
        let strings = strings_of(src, &words)?;
        self.push_with_strings(words, strings, &mut HashMap::new())
    }

    /// [`Btf::add_type`] from this BTF itself: appends a copy of record
    /// `words` (whose string offsets are this BTF's).
    pub fn add_type_copy(&mut self, words: Vec<u32>) -> Result<u32> {
        let strings = strings_of(self, &words)?;
        self.push_with_strings(words, strings, &mut HashMap::new())
    }

    /// Appends every type of `src` (not split BTF: `EOPNOTSUPP`), renumbering
    /// their references; returns the id the first one got. Nothing changes
    /// on failure.
    pub fn add_btf(&mut self, src: &Btf) -> Result<u32> {
        let records = collect_records(src)?;
        self.append_records(records)
    }

    /// [`Btf::add_btf`] with this BTF as the source: appends a copy of all
    /// its own types.
    pub fn add_btf_self(&mut self) -> Result<u32> {
        let records = collect_records(self)?;
        self.append_records(records)
    }

    fn append_records(&mut self, records: Vec<Record>) -> Result<u32> {
        let shift = self.type_cnt() - 1;
        let first = self.type_cnt();
        if first as u64 + records.len() as u64 > BTF_MAX_NR_TYPES as u64 {
            return Err(Error::TOO_BIG);
        }
        let strs_before = self.str_section().len();
        let mut cache = HashMap::new();
        let mut ready = Vec::with_capacity(records.len());
        for (mut words, strings) in records {
            let done = self.rewrite_strs(&mut words, strings, &mut cache).and_then(|_| shift_ids(&mut words, shift));
            if let Err(e) = done {
                self.truncate_strs(strs_before);
                return Err(e);
            }
            ready.push(words);
        }
        for words in ready {
            self.push_type(&words)?;
        }
        Ok(first)
    }

    fn push_with_strings(&mut self, mut words: Vec<u32>, strings: Strings, cache: &mut HashMap<u32, u32>) -> Result<u32> {
        self.rewrite_strs(&mut words, strings, cache)?;
        self.push_type(&words)
    }

    /// Drops strings appended past `len` (rolling back a failed operation).
    fn truncate_strs(&mut self, len: usize) {
        if self.str_section().len() > len {
            let (_, strs) = self.ensure_owned();
            strs.truncate(len);
            self.strs_index = Default::default();
        }
    }

    /// Replaces the string offsets of a record by the offsets of the same
    /// strings here (added if needed); `cache` maps source offsets already
    /// seen.
    fn rewrite_strs(&mut self, words: &mut [u32], strings: Strings, cache: &mut HashMap<u32, u32>) -> Result<()> {
        for (at, src_off, bytes) in strings {
            let new = match cache.get(&src_off) {
                Some(&n) => n,
                None => {
                    let n = self.add_str(&bytes)?;
                    cache.insert(src_off, n);
                    n
                }
            };
            words[at] = new;
        }
        Ok(())
    }

    /// The words of own type `id` (`EINVAL` for a base type or a bad id),
    /// to change it in place. Changing the record's length (through its
    /// kind or vlen) corrupts the BTF: use [`Btf::set_type_info`] for the
    /// info word. Drops cached serialisations and the name index.
    pub fn type_words_mut(&mut self, id: u32) -> Result<&mut [u32]> {
        if id < self.start_id || id >= self.type_cnt() {
            return Err(Error::INVAL);
        }
        let i = (id - self.start_id) as usize;
        let start = self.type_offs[i] as usize;
        let end = self.type_offs.get(i + 1).map(|&o| o as usize);
        self.invalidate_names();
        let (types, _) = self.ensure_owned();
        let end = end.unwrap_or(types.len());
        Ok(&mut types[start..end])
    }

    /// Sets the info word (kind, vlen, kflag) of own type `id`; `EINVAL`
    /// when that would change the record's size.
    pub fn set_type_info(&mut self, id: u32, info: u32) -> Result<()> {
        let layouts = self.layouts.clone().unwrap_or_default();
        let words = self.type_words_mut(id)?;
        if record_words(info, &layouts) != Some(words.len()) {
            return Err(Error::INVAL);
        }
        words[1] = info;
        Ok(())
    }
}

/// The non-empty string references of a record: (word index, offset in the
/// source, bytes).
type Strings = Vec<(usize, u32, Vec<u8>)>;
/// A record and its strings, read from a source BTF.
type Record = (Vec<u32>, Strings);

fn strings_of(src: &Btf, words: &[u32]) -> Result<Strings> {
    let mut out = Vec::new();
    for at in str_slots(words) {
        let off = words[at];
        if off != 0 {
            out.push((at, off, src.str_bytes(off).ok_or(Error::INVAL)?.to_vec()));
        }
    }
    Ok(out)
}

/// Every own record of `src` with its strings (`EOPNOTSUPP` for split BTF).
fn collect_records(src: &Btf) -> Result<Vec<Record>> {
    if src.base.is_some() {
        return Err(Error::NOT_SUPPORTED);
    }
    src.own_types()
        .map(|(_, t)| {
            let words = t.words().to_vec();
            let strings = strings_of(src, &words)?;
            Ok((words, strings))
        })
        .collect()
}

/// Indexes (into a record) of the words holding string offsets, in the
/// order libbpf visits them.
pub(crate) fn str_slots(words: &[u32]) -> Vec<usize> {
    let t = Type::new(words);
    let mut out = vec![0];
    let body = TYPE_WORDS;
    let step = match t.kind() {
        BTF_KIND_STRUCT | BTF_KIND_UNION | BTF_KIND_ENUM64 => 3,
        BTF_KIND_ENUM | BTF_KIND_FUNC_PROTO => 2,
        _ => return out,
    };
    out.extend((0..t.vlen() as usize).map(|i| body + i * step).filter(|&i| i < words.len()));
    out
}

/// Indexes (into a record) of the words holding type ids.
pub(crate) fn id_slots(words: &[u32]) -> Result<Vec<usize>> {
    let t = Type::new(words);
    let body = TYPE_WORDS;
    let n = t.vlen() as usize;
    let out = match t.kind() {
        BTF_KIND_INT | BTF_KIND_FWD | BTF_KIND_FLOAT | BTF_KIND_ENUM | BTF_KIND_ENUM64 => vec![],
        BTF_KIND_PTR | BTF_KIND_TYPEDEF | BTF_KIND_VOLATILE | BTF_KIND_CONST | BTF_KIND_RESTRICT | BTF_KIND_FUNC
        | BTF_KIND_VAR | BTF_KIND_DECL_TAG | BTF_KIND_TYPE_TAG => vec![2],
        BTF_KIND_ARRAY => vec![body, body + 1],
        BTF_KIND_STRUCT | BTF_KIND_UNION => (0..n).map(|i| body + i * 3 + 1).collect(),
        BTF_KIND_FUNC_PROTO => std::iter::once(2).chain((0..n).map(|i| body + i * 2 + 1)).collect(),
        BTF_KIND_DATASEC => (0..n).map(|i| body + i * 3).collect(),
        _ => return Err(Error::INVAL),
    };
    Ok(out.into_iter().filter(|&i| i < words.len()).collect())
}

/// Adds `shift` to every non-VOID type id a record refers to.
fn shift_ids(words: &mut [u32], shift: u32) -> Result<()> {
    for at in id_slots(words)? {
        if words[at] != 0 {
            words[at] = words[at].checked_add(shift).ok_or(Error::TOO_BIG)?;
        }
    }
    Ok(())
}
