//! Distilling a split BTF's base (`btf__distill_base()`).
//!
//! Module BTF is split on the vmlinux BTF it was built against; to load it
//! on a slightly different kernel, it carries a *distilled base*: just
//! enough of the old base for [`Btf::relocate`] to find the same types in
//! the new one. The distilled base holds the base types the split BTF
//! refers to that can be found again by name: named INT, FLOAT and FWD as
//! they are, named STRUCT/UNION without members (name and size), named
//! ENUM/ENUM64 as an empty sized ENUM. Everything else the split BTF
//! reaches in the base (pointers, arrays, typedefs, modifiers, prototypes,
//! anonymous structs/unions/enums, and what those refer to) is copied into
//! the new split BTF after its own types. Ids are renumbered accordingly;
//! the split types keep their order.

use std::collections::HashMap;
use std::sync::Arc;

use super::data::Btf;
use super::fields::{id_slots, str_slots};
use super::types::Type;
use crate::error::{Error, Result};
use crate::uapi::btf::*;

/// Copies record `t` of `src` into `dst`, its strings added to `dst` (the
/// mapping of source offsets kept in `strs`); type ids are left as they
/// are. Returns the new id.
fn copy_type(dst: &mut Btf, src: &Btf, t: Type<'_>, strs: &mut HashMap<u32, u32>) -> Result<u32> {
    let mut words = t.words().to_vec();
    for at in str_slots(&words) {
        let off = words[at];
        if off == 0 {
            continue;
        }
        words[at] = match strs.get(&off) {
            Some(&m) => m,
            None => {
                let m = dst.add_str(src.str_bytes(off).ok_or(Error::INVAL)?)?;
                strs.insert(off, m);
                m
            }
        };
    }
    dst.push_type(&words)
}

struct Distill<'a> {
    src: &'a Btf,
    /// First split id (the old base's type count).
    split_start: u32,
    /// Old base id → new id (the id itself while only marked as needed).
    id_map: Vec<u32>,
    strs: HashMap<u32, u32>,
}

impl Distill<'_> {
    /// Marks the base types split type `id` needs: those it refers to, and
    /// what they refer to in turn, except through named structs/unions
    /// (which the distilled base holds without members).
    fn mark(&mut self, id: u32) -> Result<()> {
        let mut todo = vec![id];
        while let Some(id) = todo.pop() {
            let t = self.src.type_at(id)?;
            for at in id_slots(t.words()).ok_or(Error::INVAL)? {
                let r = t.words()[at];
                if r == 0 || r >= self.split_start || self.id_map[r as usize] > 0 {
                    continue;
                }
                let bt = self.src.type_at(r)?;
                match bt.kind() {
                    BTF_KIND_INT | BTF_KIND_FLOAT | BTF_KIND_FWD | BTF_KIND_ARRAY | BTF_KIND_STRUCT | BTF_KIND_UNION
                    | BTF_KIND_TYPEDEF | BTF_KIND_ENUM | BTF_KIND_ENUM64 | BTF_KIND_PTR | BTF_KIND_CONST
                    | BTF_KIND_RESTRICT | BTF_KIND_VOLATILE | BTF_KIND_FUNC_PROTO | BTF_KIND_TYPE_TAG => {}
                    k => {
                        pr_warn!("unexpected reference to base type[{r}] of kind [{k}] when creating distilled base BTF.");
                        return Err(Error::INVAL);
                    }
                }
                self.id_map[r as usize] = r;
                if !(bt.is_composite() && bt.name_off() != 0) {
                    todo.push(r);
                }
            }
        }
        Ok(())
    }

    /// Adds the needed base types that go to `dst`: to the distilled base
    /// (`to_base`) the named INT/FLOAT/FWD and memberless named
    /// STRUCT/UNION/ENUM, otherwise (the split BTF) the rest, whole.
    fn add_needed(&mut self, dst: &mut Btf, to_base: bool) -> Result<()> {
        for i in 1..self.split_start {
            if self.id_map[i as usize] == 0 {
                continue;
            }
            let t = self.src.type_at(i)?;
            let named = t.name_off() != 0;
            let name = self.src.str_bytes(t.name_off()).ok_or(Error::INVAL)?;
            let added = match t.kind() {
                BTF_KIND_INT | BTF_KIND_FLOAT | BTF_KIND_FWD if to_base => copy_type(dst, self.src, t, &mut self.strs)?,
                BTF_KIND_INT | BTF_KIND_FLOAT | BTF_KIND_FWD => continue,
                BTF_KIND_STRUCT if to_base && named => dst.add_struct(name, t.size())?,
                BTF_KIND_UNION if to_base && named => dst.add_union(name, t.size())?,
                BTF_KIND_ENUM | BTF_KIND_ENUM64 if to_base && named => dst.add_enum(name, t.size())?,
                BTF_KIND_STRUCT | BTF_KIND_UNION | BTF_KIND_ENUM | BTF_KIND_ENUM64 if to_base || named => continue,
                BTF_KIND_STRUCT | BTF_KIND_UNION | BTF_KIND_ENUM | BTF_KIND_ENUM64 => {
                    copy_type(dst, self.src, t, &mut self.strs)?
                }
                BTF_KIND_ARRAY | BTF_KIND_TYPEDEF | BTF_KIND_PTR | BTF_KIND_CONST | BTF_KIND_RESTRICT
                | BTF_KIND_VOLATILE | BTF_KIND_FUNC_PROTO | BTF_KIND_TYPE_TAG => {
                    if to_base {
                        continue;
                    }
                    copy_type(dst, self.src, t, &mut self.strs)?
                }
                k => {
                    pr_warn!(
                        "unexpected kind when adding base type '{}'[{i}] of kind [{k}] to distilled base BTF.",
                        String::from_utf8_lossy(name)
                    );
                    return Err(Error::INVAL);
                }
            };
            self.id_map[i as usize] = added;
        }
        Ok(())
    }
}

impl Btf {
    /// Splits this split BTF's base into a distilled base (see the module
    /// docs) and a new split BTF on it holding this BTF's types (same
    /// order) followed by the base types it needs that the distilled base
    /// does not describe. The distilled base has this BTF's byte order.
    /// `EINVAL` when this BTF is not split or refers to base types that
    /// cannot be distilled (FUNC, VAR, DATASEC, tags on declarations).
    pub fn distill_base(&self) -> Result<(Arc<Btf>, Btf)> {
        let old_base = self.base().ok_or(Error::INVAL)?;
        let n = self.type_cnt();
        let mut d = Distill { src: self, split_start: old_base.type_cnt(), id_map: vec![0; n as usize], strs: HashMap::new() };
        for id in self.start_id()..n {
            d.mark(id)?;
        }
        let mut base = Btf::new_empty();
        base.set_big_endian(self.is_big_endian());
        d.add_needed(&mut base, true)?;
        let base = Arc::new(base);
        let mut split = Btf::new_empty_split(base.clone());
        for (_, t) in self.own_types() {
            copy_type(&mut split, self, t, &mut d.strs)?;
        }
        d.add_needed(&mut split, false)?;
        // Split ids move down by as many ids as the base lost.
        let shift = d.split_start - base.type_cnt();
        for id in split.start_id()..split.type_cnt() {
            let words = split.type_words_mut(id)?;
            for at in id_slots(words).ok_or(Error::INVAL)? {
                let r = words[at];
                let mapped = d.id_map.get(r as usize).copied().unwrap_or(0);
                if mapped != 0 {
                    words[at] = mapped;
                } else if r >= d.split_start {
                    words[at] = r - shift;
                }
            }
        }
        Ok((base, split))
    }
}
