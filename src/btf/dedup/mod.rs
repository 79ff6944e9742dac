//! BTF deduplication (`btf__dedup()`), with libbpf's semantics and output.
//!
//! BTF built from several compilation units repeats every type each unit
//! uses, sometimes only as a forward declaration. Deduplication keeps one
//! record per distinct type and rewrites every reference to it:
//!
//! 1. **strings**: the own string section is rebuilt with only the strings
//!    types (and `.BTF.ext`) refer to, each once, in the order they are met
//!    (skipped when the strings are known to be unique already); a string
//!    the base has is referenced in the base;
//! 2. **primitive types** (INT, FLOAT, ENUM/ENUM64, FWD): equal records
//!    merge; an enum forward declaration merges into its definition;
//! 3. **structs, unions and typedefs**: a type merges into a canonical one
//!    when the type graphs they root are equivalent (see `equiv.rs`): a
//!    side-by-side walk that tolerates forward declarations on either side
//!    and records, as it goes, which type of one graph corresponds to which
//!    of the other; a successful walk also resolves the forward
//!    declarations it met and maps the structs it passed through;
//! 4. **forward declarations** left over resolve to the only struct/union
//!    of their name, when there is exactly one;
//! 5. **reference types** (pointers, modifiers, arrays, functions and their
//!    prototypes, tags), once what they refer to is final, merge when equal;
//! 6. the canonical types are **compacted** in id order and every reference
//!    (and each type id in `.BTF.ext`) is **remapped**.
//!
//! Split BTF is deduplicated against its base: base types never change,
//! they are candidates like any other, and a split type only merges into a
//! base type when that needs no change to the base.
//!
//! Candidates sharing a signature hash are tried in the order libbpf tries
//! them (`table.rs`), so that the same input gives libbpf's bytes. Nothing
//! is changed unless the whole operation succeeds; no recursion depends on
//! the input's depth.

mod equiv;
mod sig;
mod strings;
mod table;

use super::data::Btf;
use super::ext::BtfExt;
use super::fields::id_slots;
use super::types::record_words;
use crate::error::{Error, Result};
use crate::uapi::btf::*;
use sig::*;
use table::CandTable;

/// The largest valid type id; map values above it are markers.
const MAX_ID: u32 = 0x7fff_ffff;
/// Not deduplicated yet.
const UNPROCESSED: u32 = u32::MAX;
/// Being deduplicated (a reference cycle when met again).
const IN_PROGRESS: u32 = u32::MAX - 1;

/// A comparison of two records.
type RecordEq = fn(&[u32], &[u32]) -> bool;

/// New values of `.BTF.ext` fields: (byte offset, value).
type ExtWrites = Vec<(usize, u32)>;

/// What a successful run produces, applied by [`Btf::dedup`].
struct Output {
    types: Vec<u32>,
    offs: Vec<u32>,
    strs: Option<Vec<u8>>,
    /// New values of the `.BTF.ext` string and type id fields.
    ext_strs: ExtWrites,
    ext_ids: ExtWrites,
}

/// The state of one deduplication.
struct Dedup<'a> {
    base: Option<&'a Btf>,
    start_id: u32,
    /// Number of ids, base included (`type_cnt`).
    cnt: u32,
    /// Own records (rewritten in place) and the word offset of each.
    words: Vec<u32>,
    offs: Vec<u32>,
    /// Canonical representative of each id (or a marker).
    map: Vec<u32>,
    /// Correspondences found by the current graph walk: canonical-side id →
    /// candidate-side id, and the canonical-side ids in the order added.
    hypot_map: Vec<u32>,
    hypot_list: Vec<u32>,
    /// The current walk would need a base FWD resolved (impossible: the
    /// base does not change), so its graphs do not count as equivalent.
    hypot_adjust_canon: bool,
    table: CandTable,
    /// Shallow signature of every type (see [`Dedup::compute_shapes`]);
    /// empty when candidate filtering by member shapes is off.
    shapes: Vec<u32>,
    /// Reused buffers.
    cands: Vec<u32>,
    walk: Vec<(u32, u32)>,
    ref_stack: Vec<RefFrame>,
}

/// A reference type being made final.
struct RefFrame {
    id: u32,
    /// Word offset of its record.
    start: usize,
    array: bool,
    /// Next referenced-id field to make final, and how many there are.
    next: usize,
    fields: usize,
}

impl RefFrame {
    /// Word index (in the record) of referenced-id field `n`: ARRAY's
    /// element then index type; otherwise the third word, then (for
    /// FUNC_PROTO) each parameter's type.
    fn field_at(&self, n: usize) -> usize {
        if self.array {
            3 + n
        } else if n == 0 {
            2
        } else {
            2 + 2 * n
        }
    }
}

impl Btf {
    /// Deduplicates this BTF's own types and strings in place (see the
    /// module docs), rewriting the type ids and string offsets of `ext`
    /// along. Errors (the BTF and `ext` are then unchanged): `EINVAL` for
    /// malformed records (unknown kinds, references out of range, bad
    /// string offsets, reference types in a loop), `ENOMEM`.
    pub fn dedup(&mut self, ext: Option<&mut BtfExt>) -> Result<()> {
        let out = run(self, ext.as_deref(), true)?;
        if let Some(ext) = ext {
            ext.set_words(out.ext_strs.iter().chain(&out.ext_ids).copied());
        }
        let strs_changed = out.strs.is_some();
        self.replace_own(out.types, out.offs, out.strs);
        if strs_changed {
            self.strs_deduped = true;
        }
        Ok(())
    }
}

/// One deduplication; `shapes` turns on the candidate filtering by member
/// shapes (off only in tests, to check it changes nothing).
fn run(btf: &Btf, ext: Option<&BtfExt>, shapes: bool) -> Result<Output> {
    let mut d = Dedup::new(btf)?;
    let (strs, ext_strs) = if btf.strs_deduped {
        (None, Vec::new())
    } else {
        let (s, e) = strings::dedup(&mut d, btf, ext).inspect_err(|e| pr_debug!("btf_dedup_strings failed: {e}"))?;
        (Some(s), e)
    };
    if shapes {
        d.compute_shapes();
    }
    d.prep_base()?;
    d.prim_types().inspect_err(|e| pr_debug!("btf_dedup_prim_types failed: {e}"))?;
    d.struct_types().inspect_err(|e| pr_debug!("btf_dedup_struct_types failed: {e}"))?;
    d.resolve_fwds();
    d.ref_types().inspect_err(|e| pr_debug!("btf_dedup_ref_types failed: {e}"))?;
    let (types, offs, new_ids) = d.compact();
    let mut out = Output { types, offs, strs, ext_strs, ext_ids: Vec::new() };
    d.remap(&mut out, &new_ids, ext).inspect_err(|e| pr_debug!("btf_dedup_remap_types failed: {e}"))?;
    Ok(out)
}

impl<'a> Dedup<'a> {
    /// Copies the own records and checks them: known kinds, sizes matching
    /// their vlen, type ids in range.
    fn new(btf: &'a Btf) -> Result<Dedup<'a>> {
        let start_id = btf.start_id();
        let cnt = btf.type_cnt();
        let words = btf.type_words().to_vec();
        let offs = btf.type_offs.clone();
        let layouts = btf.layouts().unwrap_or(&[]);
        let mut map = vec![UNPROCESSED; cnt as usize];
        map[0] = 0;
        for (i, &off) in offs.iter().enumerate() {
            let id = start_id + i as u32;
            let end = offs.get(i + 1).map_or(words.len(), |&o| o as usize);
            let w = words.get(off as usize..end).ok_or(Error::INVAL)?;
            let k = kind(w);
            if record_words(wd(w, 1), layouts) != Some(w.len()) || k == BTF_KIND_UNKN || k >= NR_BTF_KINDS {
                pr_debug!("unknown kind {k} for type [{id}]");
                return Err(Error::INVAL);
            }
            for at in id_slots(w).ok_or(Error::INVAL)? {
                if w[at] >= cnt {
                    pr_debug!("type [{id}] refers to type [{}] out of range", w[at]);
                    return Err(Error::INVAL);
                }
            }
            if matches!(k, BTF_KIND_VAR | BTF_KIND_DATASEC) {
                map[id as usize] = id;
            }
        }
        Ok(Dedup {
            base: btf.base().map(|b| &**b),
            start_id,
            cnt,
            words,
            offs,
            hypot_map: vec![UNPROCESSED; cnt as usize],
            hypot_list: Vec::new(),
            hypot_adjust_canon: false,
            table: CandTable::with_capacity(cnt as usize),
            map,
            shapes: Vec::new(),
            cands: Vec::new(),
            walk: Vec::new(),
            ref_stack: Vec::new(),
        })
    }

    /// Word range of own type `id` in `words`.
    fn range(&self, id: u32) -> core::ops::Range<usize> {
        let i = (id - self.start_id) as usize;
        let start = self.offs[i] as usize;
        let end = self.offs.get(i + 1).map_or(self.words.len(), |&o| o as usize);
        start..end
    }

    /// The record of type `id` (own or base; VOID for 0 or an id out of
    /// range).
    fn ty(&self, id: u32) -> &[u32] {
        const VOID: [u32; 3] = [0; 3];
        if id >= self.start_id && id < self.cnt {
            return &self.words[self.range(id)];
        }
        match self.base {
            Some(b) if id != 0 => b.type_by_id(id).map_or(&VOID[..], |t| t.words()),
            _ => &VOID,
        }
    }

    fn is_mapped(&self, id: u32) -> bool {
        self.map[id as usize] <= MAX_ID
    }

    /// Follows the canonical map to the end (bounded: a malformed chain
    /// cannot loop forever).
    fn resolve(&self, mut id: u32) -> u32 {
        for _ in 0..self.cnt {
            let m = self.map[id as usize];
            if m > MAX_ID || m == id {
                break;
            }
            id = m;
        }
        id
    }

    /// A FWD's struct/union when it resolved to one, else the id itself.
    fn resolve_fwd(&self, id: u32) -> u32 {
        if kind(self.ty(id)) != BTF_KIND_FWD {
            return id;
        }
        let r = self.resolve(id);
        if kind(self.ty(r)) != BTF_KIND_FWD {
            r
        } else {
            id
        }
    }

    /// Split BTF: every base type is its own canonical type and a candidate
    /// (VAR and DATASEC aside).
    fn prep_base(&mut self) -> Result<()> {
        for id in 1..self.start_id {
            self.map[id as usize] = id;
            let w = self.ty(id);
            let (coarse, fine) = match kind(w) {
                BTF_KIND_VAR | BTF_KIND_DATASEC => continue,
                BTF_KIND_TYPEDEF => (Some(hash_typedef(w)), None),
                BTF_KIND_CONST | BTF_KIND_VOLATILE | BTF_KIND_RESTRICT | BTF_KIND_PTR | BTF_KIND_FWD
                | BTF_KIND_FUNC | BTF_KIND_FLOAT | BTF_KIND_TYPE_TAG => (Some(hash_common(w)), None),
                BTF_KIND_INT | BTF_KIND_DECL_TAG => (Some(hash_int_tag(w)), None),
                BTF_KIND_ENUM | BTF_KIND_ENUM64 => (Some(hash_enum(w)), Some(enum_key(w))),
                BTF_KIND_STRUCT | BTF_KIND_UNION => (None, Some(self.struct_key(w))),
                BTF_KIND_ARRAY => (Some(hash_array(w)), None),
                BTF_KIND_FUNC_PROTO => (Some(hash_fnproto(w)), None),
                k => {
                    pr_debug!("unknown kind {k} for type [{id}]");
                    return Err(Error::INVAL);
                }
            };
            self.table.add(coarse, fine, id);
        }
        Ok(())
    }

    /// Computes the shallow signature of every type: what a step of the
    /// graph walk compares about a type before looking at the types it
    /// refers to (name; kind, with a FWD counting as the struct/union it
    /// declares and ENUM64 as ENUM; INT/FLOAT/ARRAY/FUNC_PROTO layouts;
    /// modifier/typedef info). Two types whose signatures differ can never
    /// be paired successfully by a walk, nor resolve to the same type.
    ///
    /// A struct/union can therefore only be equivalent to a candidate
    /// whose members' types have the same signatures, and candidates are
    /// filed under a key that includes them (see [`Dedup::struct_key`]):
    /// the other candidates would only be tried by walks bound to fail,
    /// which change nothing. (Filing them apart keeps their relative order:
    /// see `table.rs`.) The exception is BTF where a walk could meet a VAR,
    /// DATASEC or DECL_TAG (malformed): there the walk fails with an error
    /// rather than a mismatch, so every candidate must be tried and the
    /// filter stays off.
    fn compute_shapes(&mut self) {
        let mut shapes = Vec::with_capacity(self.cnt as usize);
        let mut kinds = Vec::with_capacity(self.cnt as usize);
        for id in 0..self.cnt {
            let w = self.ty(id);
            let name = wd(w, 0) as u64;
            let k = kind(w);
            let h = |fields: &[u32]| fields.iter().fold(0x51u64, |h, &f| h.wrapping_mul(0x100_0000_01b3) ^ f as u64);
            let sig = match k {
                BTF_KIND_UNKN => 0,
                BTF_KIND_STRUCT | BTF_KIND_UNION => h(&[k, name as u32]),
                BTF_KIND_FWD => h(&[fwd_kind(w), name as u32]),
                BTF_KIND_ENUM | BTF_KIND_ENUM64 => h(&[BTF_KIND_ENUM, name as u32]),
                BTF_KIND_INT => h(&w[..4.min(w.len())]),
                BTF_KIND_FLOAT => h(&w[..3]),
                BTF_KIND_ARRAY => h(&[wd(w, 0), wd(w, 1), wd(w, 2), wd(w, 5)]),
                BTF_KIND_FUNC_PROTO => {
                    let mut x = h(&[wd(w, 0), wd(w, 1)]);
                    for i in 0..vlen(w) {
                        x = x.wrapping_mul(0x100_0000_01b3) ^ wd(w, 3 + 2 * i) as u64;
                    }
                    x
                }
                _ => h(&[wd(w, 0), wd(w, 1)]),
            };
            shapes.push((sig ^ (sig >> 32)) as u32);
            kinds.push(k as u8);
        }
        let stops_walk = |k: u8| matches!(k as u32, BTF_KIND_VAR | BTF_KIND_DATASEC | BTF_KIND_DECL_TAG);
        for id in 1..self.cnt {
            if stops_walk(kinds[id as usize]) {
                continue;
            }
            let w = self.ty(id);
            let walked_into_bad = id_slots(w).into_iter().flatten().any(|at| stops_walk(kinds.get(w[at] as usize).copied().unwrap_or(0)));
            if walked_into_bad {
                return;
            }
        }
        self.shapes = shapes;
    }

    /// The key a struct/union is filed and looked up under: libbpf's hash,
    /// refined with its members' type signatures when filtering is on.
    fn struct_key(&self, w: &[u32]) -> u64 {
        let h = hash_struct(w);
        if self.shapes.is_empty() {
            return h;
        }
        (0..vlen(w)).fold(h, |h, i| {
            let t = wd(w, 4 + 3 * i) as usize;
            (h ^ self.shapes.get(t).copied().unwrap_or(0) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(23)
        })
    }

    /// The candidate ids under coarse key `key` (libbpf's hash), in order,
    /// in the reused buffer (to give back to `self.cands`).
    fn take_coarse(&mut self, key: u64) -> Vec<u32> {
        let mut c = core::mem::take(&mut self.cands);
        self.table.coarse(key, &mut c);
        c.iter_mut().for_each(|e| *e = self.table.id(*e));
        c
    }

    /// Like [`Dedup::take_coarse`], for a fine key.
    fn take_fine(&mut self, key: u64) -> Vec<u32> {
        let mut c = core::mem::take(&mut self.cands);
        self.table.fine(key, &mut c);
        c.iter_mut().for_each(|e| *e = self.table.id(*e));
        c
    }

    /// ENUM/ENUM64 `id` against the canonical enums of its name: an equal
    /// enum is its canonical type; a forward declaration merges into the
    /// first enum of its name; a full enum resolves the canonical forward
    /// declarations met before its equal (or all of them).
    ///
    /// libbpf walks every enum of the name (all anonymous enums share one
    /// list); a full enum only needs the equal ones (filed under a key of
    /// the whole record) and the forward declarations (under a key of their
    /// own), the pairwise order telling which declarations come before the
    /// equal enum.
    fn prim_enum(&mut self, id: u32) -> u32 {
        let w = self.ty(id);
        let name_key = hash_enum(w);
        if is_enum_fwd(w) {
            let cands = self.take_coarse(name_key);
            let new_id = cands.iter().copied().find(|&c| compat_enum(self.ty(id), self.ty(c))).unwrap_or(id);
            self.cands = cands;
            return new_id;
        }
        let full_key = enum_key(w);
        let mut es = core::mem::take(&mut self.cands);
        self.table.fine(full_key, &mut es);
        let equal = es.iter().copied().find(|&e| equal_enum(self.ty(id), self.ty(self.table.id(e))));
        self.table.fine(fwd_enum_key(name_key), &mut es);
        for &f in &es {
            let c = self.table.id(f);
            if compat_enum(self.ty(id), self.ty(c)) && equal.is_none_or(|e| !self.table.before(e, f)) {
                self.map[c as usize] = id;
            }
        }
        self.cands = es;
        equal.map_or(id, |e| self.table.id(e))
    }

    /// Phase 2: INT, FLOAT, ENUM/ENUM64 and FWD.
    fn prim_types(&mut self) -> Result<()> {
        for id in self.start_id..self.cnt {
            let w = self.ty(id);
            let (h, eq): (u64, RecordEq) = match kind(w) {
                BTF_KIND_INT => (hash_int_tag(w), equal_int_tag),
                BTF_KIND_FWD | BTF_KIND_FLOAT => (hash_common(w), equal_common),
                BTF_KIND_ENUM | BTF_KIND_ENUM64 => {
                    let (h, fine) = (hash_enum(w), enum_key(w));
                    let new_id = self.prim_enum(id);
                    self.map[id as usize] = new_id;
                    if new_id == id {
                        self.table.add(Some(h), Some(fine), id);
                    }
                    continue;
                }
                _ => continue,
            };
            let cands = self.take_coarse(h);
            let new_id = cands.iter().copied().find(|&c| eq(self.ty(id), self.ty(c))).unwrap_or(id);
            self.cands = cands;
            self.map[id as usize] = new_id;
            if new_id == id {
                self.table.add(Some(h), None, id);
            }
        }
        Ok(())
    }

    /// Phase 3: STRUCT, UNION and TYPEDEF, by type graph equivalence.
    fn struct_types(&mut self) -> Result<()> {
        for id in self.start_id..self.cnt {
            if self.is_mapped(id) {
                continue;
            }
            let w = self.ty(id);
            let k = kind(w);
            let (h, fine) = match k {
                BTF_KIND_STRUCT | BTF_KIND_UNION => (self.struct_key(w), true),
                BTF_KIND_TYPEDEF => (hash_typedef(w), false),
                _ => continue,
            };
            let cands = if fine { self.take_fine(h) } else { self.take_coarse(h) };
            let mut new_id = id;
            for &c in &cands {
                // A FWD sharing the hash must not become the canonical type
                // of a struct (that could map both ways into a loop).
                let shallow = if k == BTF_KIND_TYPEDEF {
                    equal_typedef(self.ty(id), self.ty(c))
                } else {
                    shallow_equal_struct(self.ty(id), self.ty(c))
                };
                if !shallow {
                    continue;
                }
                self.clear_hypot();
                let eq = match self.is_equiv(id, c) {
                    Ok(eq) => eq,
                    Err(e) => {
                        self.cands = cands;
                        return Err(e);
                    }
                };
                if !eq {
                    continue;
                }
                self.merge_hypot();
                if self.hypot_adjust_canon {
                    continue;
                }
                new_id = c;
                break;
            }
            self.cands = cands;
            self.map[id as usize] = new_id;
            if new_id == id {
                let (coarse, fine) = if fine { (None, Some(h)) } else { (Some(h), None) };
                self.table.add(coarse, fine, id);
            }
        }
        Ok(())
    }

    /// Phase 4: a FWD still alone resolves to the struct/union of its name
    /// when exactly one canonical struct/union (base included) has it.
    fn resolve_fwds(&mut self) {
        let mut names: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
        for id in 1..self.cnt {
            let w = self.ty(id);
            if !matches!(kind(w), BTF_KIND_STRUCT | BTF_KIND_UNION) || self.map[id as usize] != id {
                continue;
            }
            names.entry(wd(w, 0)).and_modify(|v| *v = 0).or_insert(id);
        }
        for id in self.start_id..self.cnt {
            let w = self.ty(id);
            if kind(w) != BTF_KIND_FWD || self.map[id as usize] != id {
                continue;
            }
            let Some(&cand) = names.get(&wd(w, 0)) else { continue };
            if cand == 0 || kind(self.ty(cand)) != fwd_kind(w) {
                continue;
            }
            self.map[id as usize] = cand;
        }
    }

    /// Phase 5: reference types, each once what it refers to is final.
    fn ref_types(&mut self) -> Result<()> {
        for id in self.start_id..self.cnt {
            self.ref_type(id)?;
        }
        Ok(())
    }

    /// A frame for reference type `id` (own, not final yet): its record's
    /// position and the number of referenced-id fields to make final;
    /// `EINVAL` for a kind that is not a reference type.
    fn ref_frame(&self, id: u32) -> Result<RefFrame> {
        let r = self.range(id);
        let w = &self.words[r.clone()];
        let k = kind(w);
        let fields = match k {
            BTF_KIND_CONST | BTF_KIND_VOLATILE | BTF_KIND_RESTRICT | BTF_KIND_PTR | BTF_KIND_FUNC | BTF_KIND_TYPE_TAG
            | BTF_KIND_DECL_TAG => 1,
            BTF_KIND_ARRAY => 2,
            BTF_KIND_FUNC_PROTO => 1 + vlen(w),
            _ => return Err(Error::INVAL),
        };
        Ok(RefFrame { id, start: r.start, array: k == BTF_KIND_ARRAY, next: 0, fields })
    }

    /// Makes reference type `root` final, depth first (children in field
    /// order before their parent, as a recursion would), and returns its
    /// canonical id. `ELOOP` for a cycle of reference types.
    fn ref_type(&mut self, root: u32) -> Result<u32> {
        match self.map[root as usize] {
            IN_PROGRESS => return Err(Error::new(libc::ELOOP)),
            m if m <= MAX_ID => return Ok(self.resolve(root)),
            _ => {}
        }
        self.map[root as usize] = IN_PROGRESS;
        let mut stack = core::mem::take(&mut self.ref_stack);
        stack.clear();
        let res = self.ref_walk(root, &mut stack);
        self.ref_stack = stack;
        res
    }

    fn ref_walk(&mut self, root: u32, stack: &mut Vec<RefFrame>) -> Result<u32> {
        stack.push(self.ref_frame(root)?);
        loop {
            let f = stack.last_mut().ok_or(Error::INTERNAL)?;
            if f.next < f.fields {
                let at = f.start + f.field_at(f.next);
                let child = self.words[at];
                match self.map[child as usize] {
                    IN_PROGRESS => return Err(Error::new(libc::ELOOP)),
                    m if m <= MAX_ID => {
                        f.next += 1;
                        self.words[at] = self.resolve(child);
                    }
                    _ => {
                        self.map[child as usize] = IN_PROGRESS;
                        let frame = self.ref_frame(child)?;
                        stack.push(frame);
                    }
                }
                continue;
            }
            let id = f.id;
            let new_id = self.finish_ref(id);
            stack.pop();
            match stack.last_mut() {
                Some(p) => {
                    let at = p.start + p.field_at(p.next);
                    p.next += 1;
                    self.words[at] = new_id;
                }
                None => return Ok(new_id),
            }
        }
    }

    /// Finds the canonical type of reference type `id`, whose references
    /// are final.
    fn finish_ref(&mut self, id: u32) -> u32 {
        let w = self.ty(id);
        let (h, eq): (u64, RecordEq) = match kind(w) {
            BTF_KIND_DECL_TAG => (hash_int_tag(w), equal_int_tag),
            BTF_KIND_ARRAY => (hash_array(w), equal_array),
            BTF_KIND_FUNC_PROTO => (hash_fnproto(w), equal_fnproto),
            _ => (hash_common(w), equal_common),
        };
        let cands = self.take_coarse(h);
        let new_id = cands.iter().copied().find(|&c| eq(self.ty(id), self.ty(c))).unwrap_or(id);
        self.cands = cands;
        self.map[id as usize] = new_id;
        if new_id == id {
            self.table.add(Some(h), None, id);
        }
        new_id
    }

    /// Phase 6: the canonical own types in id order; returns the records,
    /// their offsets and the new id of every id (base ids unchanged,
    /// `UNPROCESSED` for dropped ones).
    fn compact(&mut self) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
        let mut new_ids = vec![UNPROCESSED; self.cnt as usize];
        for (id, n) in new_ids.iter_mut().enumerate().take(self.start_id as usize) {
            *n = id as u32;
        }
        let mut types = Vec::with_capacity(self.words.len());
        let mut offs = Vec::new();
        let mut next = self.start_id;
        for id in self.start_id..self.cnt {
            if self.map[id as usize] != id {
                continue;
            }
            offs.push(types.len() as u32);
            types.extend_from_slice(&self.words[self.range(id)]);
            new_ids[id as usize] = next;
            next += 1;
        }
        (types, offs, new_ids)
    }

    /// Phase 7: every reference to its canonical type's new id, in the
    /// records and in `.BTF.ext`.
    fn remap(&self, out: &mut Output, new_ids: &[u32], ext: Option<&BtfExt>) -> Result<()> {
        let final_id = |id: u32| -> Result<u32> {
            if id >= self.cnt {
                return Err(Error::INVAL);
            }
            let n = new_ids[self.resolve(id) as usize];
            if n > MAX_ID {
                return Err(Error::INVAL);
            }
            Ok(n)
        };
        let n = out.offs.len();
        for i in 0..n {
            let start = out.offs[i] as usize;
            let end = out.offs.get(i + 1).map_or(out.types.len(), |&o| o as usize);
            let rec = &mut out.types[start..end];
            for at in id_slots(rec).ok_or(Error::INVAL)? {
                rec[at] = final_id(rec[at])?;
            }
        }
        if let Some(ext) = ext {
            for at in ext.type_id_fields() {
                out.ext_ids.push((at, final_id(ext.word_at(at))?));
            }
        }
        Ok(())
    }
}

/// [`Btf::dedup`] without the member-shape candidate filter: every
/// candidate of a struct's libbpf hash is walked (tests only).
#[cfg(test)]
pub(crate) fn dedup_unfiltered(btf: &mut Btf) -> Result<()> {
    let out = run(btf, None, false)?;
    let strs_changed = out.strs.is_some();
    btf.replace_own(out.types, out.offs, out.strs);
    btf.strs_deduped |= strs_changed;
    Ok(())
}

#[cfg(test)]
mod tests;
