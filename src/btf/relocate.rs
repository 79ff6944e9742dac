//! Moving split BTF from its distilled base onto a full base
//! (`btf__relocate()`).
//!
//! Each distilled base type is looked up in the new base by name (and kind
//! compatibility): INT by name, size and encoding; FLOAT and ENUM by name
//! and size (an ENUM also finds an ENUM64); FWD by name and struct/union
//! flavor; STRUCT/UNION by name, and by size too when the new base has
//! several of that name or when the split BTF embeds it (a member, possibly
//! through typedefs, modifiers and arrays, not through a pointer). Every
//! distilled type must find exactly one match. Then the split types'
//! references to the distilled base point to the matches, split ids move
//! to follow the new base's type count, and names shared with the
//! distilled base use the new base's strings.

use std::collections::HashMap;
use std::sync::Arc;

use super::data::Btf;
use super::fields::{id_slots, str_slots};
use crate::error::{Error, Result};
use crate::uapi::btf::*;

/// Marks (temporarily, in the id map) a distilled struct/union that a split
/// struct/union embeds: its size must match too.
const EMBEDDED: u32 = u32::MAX;

/// A distilled base type, sorted by name then size (largest first).
struct NameInfo<'a> {
    name: &'a [u8],
    size: u32,
    id: u32,
}

impl Btf {
    /// Rebases this split BTF from its distilled base onto `base` (see the
    /// module docs). Nothing changes on failure: `EINVAL` when this BTF is
    /// not split, `base` is its current base, the current base is not a
    /// distilled base (only named INT, FLOAT, ENUM, STRUCT, UNION and FWD),
    /// or a distilled type finds no match or more than one; `ENOENT` for a
    /// name of the distilled base that no match provides.
    pub fn relocate(&mut self, base: Arc<Btf>) -> Result<()> {
        let dist = self.base().ok_or(Error::INVAL)?.clone();
        if Arc::ptr_eq(&dist, &base) {
            return Err(Error::INVAL);
        }
        let nr_dist = dist.type_cnt();
        let nr_base = base.type_cnt();
        let nr_types = self.type_cnt();
        for (i, t) in dist.types() {
            let ok = matches!(
                t.kind(),
                BTF_KIND_INT | BTF_KIND_FLOAT | BTF_KIND_ENUM | BTF_KIND_STRUCT | BTF_KIND_UNION | BTF_KIND_FWD
            );
            if !ok {
                pr_warn!("type [{i}] in distilled based BTF has unexpected kind [{}]", t.kind());
                return Err(Error::INVAL);
            }
            if t.name_off() == 0 {
                pr_warn!("type [{i}], kind [{}] is invalid for distilled base BTF; it is anonymous", t.kind());
                return Err(Error::INVAL);
            }
        }
        let mut id_map = vec![0u32; nr_types as usize];
        for id in nr_dist..nr_types {
            id_map[id as usize] = id - nr_dist + nr_base;
        }
        let str_map = map_distilled(self, &dist, &base, &mut id_map)?;

        // New records: ids through the map, strings onto the new base.
        let dist_strs = dist.str_end();
        let mut words = self.type_words().to_vec();
        let offs = self.type_offs.clone();
        for (i, &start) in offs.iter().enumerate() {
            let end = offs.get(i + 1).map_or(words.len(), |&o| o as usize);
            let rec = &mut words[start as usize..end];
            for at in id_slots(rec).ok_or(Error::INVAL)? {
                rec[at] = *id_map.get(rec[at] as usize).ok_or(Error::INVAL)?;
            }
            for at in str_slots(rec) {
                let off = rec[at];
                if off == 0 {
                    continue;
                }
                rec[at] = if off >= dist_strs {
                    off - dist_strs + base.str_end()
                } else {
                    match str_map.get(&off) {
                        Some(&m) => m,
                        None => {
                            pr_warn!("string '{}' [offset {off}] is not mapped to base BTF", dist.name(off).unwrap_or(""));
                            return Err(Error::NOENT);
                        }
                    }
                };
            }
        }
        self.rebase(base, words, offs);
        Ok(())
    }

    /// Puts this split BTF on `base` with these own records.
    fn rebase(&mut self, base: Arc<Btf>, words: Vec<u32>, offs: Vec<u32>) {
        self.start_id = base.type_cnt();
        self.start_str_off = base.str_end();
        self.base = Some(base);
        self.replace_own(words, offs, None);
    }
}

/// Maps each distilled base id to its match in `base` (into `id_map`) and
/// returns the distilled names → the matches' names.
fn map_distilled(split: &Btf, dist: &Btf, base: &Btf, id_map: &mut [u32]) -> Result<HashMap<u32, u32>> {
    let nr_dist = dist.type_cnt();
    let mut sorted: Vec<NameInfo<'_>> = (0..nr_dist)
        .map(|id| {
            let (name_off, size) = dist.type_by_id(id).map_or((0, 0), |t| (t.name_off(), t.size()));
            NameInfo { name: dist.str_bytes(name_off).unwrap_or(b""), size, id }
        })
        .collect();
    sorted.sort_by(|a, b| a.name.cmp(b.name).then(b.size.cmp(&a.size)));

    // Distilled structs/unions embedded in split ones must match in size.
    for id in split.start_id()..split.type_cnt() {
        let t = split.type_at(id)?;
        if !t.is_composite() {
            continue;
        }
        for m in t.members() {
            let mut next = m.type_id;
            for _ in 0..split.type_cnt() {
                let Some(nt) = split.type_by_id(next).filter(|_| next != 0) else { break };
                match nt.kind() {
                    BTF_KIND_CONST | BTF_KIND_RESTRICT | BTF_KIND_VOLATILE | BTF_KIND_TYPEDEF | BTF_KIND_TYPE_TAG => {
                        next = nt.type_id()
                    }
                    BTF_KIND_ARRAY => next = nt.array().map_or(0, |a| a.elem_type),
                    BTF_KIND_STRUCT | BTF_KIND_UNION => {
                        if next < nr_dist {
                            id_map[next as usize] = EMBEDDED;
                        }
                        break;
                    }
                    _ => break,
                }
            }
        }
    }

    // Struct/union names the new base has more than once.
    let mut name_cnt: HashMap<u32, u32> = HashMap::new();
    for (_, t) in base.types() {
        if t.is_composite() && t.name_off() != 0 {
            *name_cnt.entry(t.name_off()).or_default() += 1;
        }
    }

    let mut str_map = HashMap::new();
    for (id, bt) in base.types() {
        if bt.name_off() == 0 {
            continue;
        }
        let bk = bt.kind();
        let needs_size = match bk {
            BTF_KIND_INT | BTF_KIND_FLOAT | BTF_KIND_ENUM | BTF_KIND_ENUM64 => true,
            BTF_KIND_FWD => false,
            BTF_KIND_STRUCT | BTF_KIND_UNION => name_cnt.get(&bt.name_off()).copied().unwrap_or(0) > 1,
            _ => continue,
        };
        let name = base.str_bytes(bt.name_off()).ok_or(Error::INVAL)?;
        let matches = |d: &NameInfo<'_>| d.name == name && (!needs_size || d.size == bt.size());
        let first = sorted.partition_point(|d| d.name < name || (d.name == name && needs_size && d.size > bt.size()));
        for d in sorted[first..].iter().take_while(|d| matches(d)) {
            if d.id == 0 || d.id >= nr_dist {
                pr_warn!("base BTF id [{id}] maps to invalid distilled base BTF id [{}]", d.id);
                return Err(Error::INVAL);
            }
            let dt = dist.type_at(d.id)?;
            let compatible = match dt.kind() {
                // As libbpf checks it: the base struct/union's own kind flag.
                BTF_KIND_FWD => match bk {
                    BTF_KIND_FWD => dt.kflag() == bt.kflag(),
                    BTF_KIND_STRUCT => !bt.kflag(),
                    BTF_KIND_UNION => bt.kflag(),
                    _ => false,
                },
                BTF_KIND_INT => bk == BTF_KIND_INT && bt.int_encoding() == dt.int_encoding(),
                BTF_KIND_FLOAT => bk == BTF_KIND_FLOAT,
                BTF_KIND_ENUM => matches!(bk, BTF_KIND_ENUM | BTF_KIND_ENUM64),
                BTF_KIND_STRUCT | BTF_KIND_UNION => id_map[d.id as usize] != EMBEDDED || bt.size() == dt.size(),
                _ => false,
            };
            if !compatible {
                continue;
            }
            let prev = id_map[d.id as usize];
            if prev != 0 && prev != EMBEDDED {
                pr_warn!(
                    "distilled base BTF type '{}' [{}], size {} has multiple candidates of the same size (ids [{id}, {prev}]) in base BTF",
                    String::from_utf8_lossy(name),
                    d.id,
                    bt.size()
                );
                return Err(Error::INVAL);
            }
            id_map[d.id as usize] = id;
            str_map.insert(dt.name_off(), bt.name_off());
        }
    }
    for id in 1..nr_dist {
        let m = id_map[id as usize];
        if m == 0 || m == EMBEDDED {
            pr_warn!("distilled base BTF type '{}' [{id}] is not mapped to base BTF id", dist.type_name(id));
            return Err(Error::INVAL);
        }
    }
    Ok(str_map)
}
