//! Phase 1 of deduplication: the own string section, rebuilt.
//!
//! Every string field of the own types (in type order, each record's name
//! before its members'), then of `.BTF.ext`, is visited once; offset 0 and
//! base strings stay; any other string found in the base (split BTF) is
//! referenced there; the rest are appended to a new section the first time
//! they are met and shared afterwards. Without a base the new section
//! starts with the empty string. Unreferenced strings disappear.

use super::{Dedup, ExtWrites};
use crate::btf::data::{cstr_bytes, Btf};
use crate::btf::ext::BtfExt;
use crate::btf::fields::str_slots;
use crate::btf::index::{hash_bytes, SlotTable};
use crate::error::{Error, Result};

/// A string section under construction, each string once.
struct Interner {
    buf: Vec<u8>,
    index: SlotTable,
}

impl Interner {
    fn new(expect: usize) -> Interner {
        Interner { buf: Vec::with_capacity(expect), index: SlotTable::with_capacity(expect / 16) }
    }

    /// The offset of `s` in the section, appended if new.
    fn intern(&mut self, s: &[u8]) -> u32 {
        let h = hash_bytes(s);
        let buf = &self.buf;
        if let Some(off) = self.index.probe(h).find(|&o| cstr_bytes(buf, o as usize) == s) {
            return off;
        }
        let off = self.buf.len() as u32;
        self.buf.extend_from_slice(s);
        self.buf.push(0);
        let buf = &self.buf;
        self.index.insert(h, off, |k| hash_bytes(cstr_bytes(buf, k as usize)));
        off
    }
}

/// Rebuilds the string section: rewrites the own records' string fields in
/// `d` and returns the new section with the new values of `ext`'s string
/// fields. `EINVAL` for a string offset out of range, `ENOMEM` past the
/// largest string offset.
pub(super) fn dedup(d: &mut Dedup<'_>, btf: &Btf, ext: Option<&BtfExt>) -> Result<(Vec<u8>, ExtWrites)> {
    let old = btf.str_section();
    let start = btf.start_str_off();
    let base = d.base;
    let mut new = Interner::new(old.len());
    if base.is_none() {
        new.intern(b"");
    }
    let remap = |off: u32, new: &mut Interner| -> Result<u32> {
        if off == 0 || off < start {
            return Ok(off);
        }
        let rel = (off - start) as usize;
        if rel >= old.len() {
            pr_warn!("btf_dedup: invalid string offset {off}");
            return Err(Error::INVAL);
        }
        let s = cstr_bytes(old, rel);
        if let Some(b) = base {
            if let Ok(found) = b.find_str(s) {
                return Ok(found);
            }
        }
        let at = new.intern(s) as u64 + start as u64;
        if at > super::MAX_ID as u64 {
            return Err(Error::NOMEM);
        }
        Ok(at as u32)
    };
    for id in d.start_id..d.cnt {
        let r = d.range(id);
        // `Slots` holds no borrow: the record can be rewritten while walking it.
        for i in str_slots(&d.words[r.clone()]) {
            d.words[r.start + i] = remap(d.words[r.start + i], &mut new)?;
        }
    }
    let mut ext_out = Vec::new();
    if let Some(ext) = ext {
        for at in ext.str_off_fields() {
            ext_out.push((at, remap(ext.word_at(at), &mut new)?));
        }
    }
    Ok((new.buf, ext_out))
}
