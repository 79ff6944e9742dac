//! Reordering types (`btf__permute()`).
//!
//! The caller gives the new id of every own type: `id_map[id - offset] =
//! new id`, where the offset is 0 for base BTF (so `id_map[0]`, VOID, must
//! be 0 and the map has `type_cnt` entries) and the first own id for split
//! BTF (one entry per own type). The new ids must be own ids, each used
//! once. Records move to their new places, every reference to an own type
//! (and every type id in `.BTF.ext`) follows; references to the base and
//! strings are unchanged.

use super::data::Btf;
use super::ext::BtfExt;
use super::fields::id_slots;
use crate::error::{Error, Result};

impl Btf {
    /// Reorders the own types by `id_map` (see the module docs), rewriting
    /// `ext`'s type ids along. `EINVAL` (nothing changed) for a map of the
    /// wrong length, a base BTF map not sending VOID to 0, a new id out of
    /// the own range or given twice, or a type id (here or in `ext`) out of
    /// range.
    pub fn permute(&mut self, id_map: &[u32], ext: Option<&mut BtfExt>) -> Result<()> {
        let start = self.start_id();
        let cnt = self.type_cnt();
        let offset = if self.base().is_some() { start } else { 0 };
        if id_map.len() as u64 != (cnt - offset) as u64 || (offset == 0 && id_map.first() != Some(&0)) {
            return Err(Error::INVAL);
        }
        let new_of = |old: u32| id_map[(old - offset) as usize];
        // order[new - start] = old
        let mut order = vec![u32::MAX; (cnt - start) as usize];
        for old in start..cnt {
            let new = new_of(old);
            if new < start || new >= cnt {
                return Err(Error::INVAL);
            }
            let slot = &mut order[(new - start) as usize];
            if *slot != u32::MAX {
                return Err(Error::INVAL);
            }
            *slot = old;
        }
        let remap = |id: u32| -> Result<u32> {
            match id {
                id if id < start => Ok(id),
                id if id >= cnt => Err(Error::INVAL),
                id => Ok(new_of(id)),
            }
        };
        let mut words = Vec::with_capacity(self.type_words().len());
        let mut offs = Vec::with_capacity(order.len());
        for &old in &order {
            let rec = self.type_at(old)?.words();
            let at = words.len();
            offs.push(at as u32);
            words.extend_from_slice(rec);
            let rec = &mut words[at..];
            for i in id_slots(rec).ok_or(Error::INVAL)? {
                rec[i] = remap(rec[i])?;
            }
        }
        if let Some(ext) = ext {
            let fields = ext.type_id_fields();
            let new: Vec<(usize, u32)> = fields.into_iter().map(|at| Ok((at, remap(ext.word_at(at))?))).collect::<Result<_>>()?;
            ext.set_words(new);
        }
        self.replace_own(words, offs, None);
        Ok(())
    }
}
