//! `.BTF` and `.BTF.ext`: each object's types are appended to the output
//! BTF (a global's VAR or FUNC once, pointing at its definition's type),
//! its DATASEC variables collected per output section, and its `.BTF.ext`
//! records rebased; at finalisation every output section with BTF gets its
//! DATASEC and the `.BTF.ext` section is built.

use super::elf64::{OutSection, Order, Shdr, SHT_PROGBITS};
use super::input::{errstr, show, SrcObj};
use super::symbols::is_non_static;
use super::{ExtRecs, Linker, SecVar};
use crate::btf::{BtfExt, InfoSec};
use crate::error::{Error, Result};
use crate::uapi::btf::BTF_KIND_DATASEC;

const BTF_MAGIC: u16 = 0xeb9f;
const BTF_EXT_HDR_LEN: u32 = 32;

/// Which `.BTF.ext` records.
#[derive(Clone, Copy)]
enum ExtKind {
    Func,
    Line,
    CoreRelo,
}

fn ext_recs(s: &mut super::DstSec, kind: ExtKind) -> &mut ExtRecs {
    match kind {
        ExtKind::Func => &mut s.func_info,
        ExtKind::Line => &mut s.line_info,
        ExtKind::CoreRelo => &mut s.core_relo_info,
    }
}

fn word(rec: &[u8], i: usize) -> u32 {
    u32::from_ne_bytes([rec[i * 4], rec[i * 4 + 1], rec[i * 4 + 2], rec[i * 4 + 3]])
}

fn set_word(rec: &mut [u8], i: usize, v: u32) {
    rec[i * 4..i * 4 + 4].copy_from_slice(&v.to_ne_bytes());
}

impl Linker {
    /// Appends the types of `obj` and records its DATASECs' variables.
    pub(crate) fn append_btf(&mut self, obj: &mut SrcObj) -> Result<()> {
        let Some(src) = obj.btf.as_ref() else { return Ok(()) };
        let start_id = self.btf.type_cnt();
        let n = src.type_cnt();
        obj.btf_type_map = vec![0; n as usize + 1];
        for i in 1..n {
            let t = src.type_at(i)?;
            if t.kind() == BTF_KIND_DATASEC {
                continue;
            }
            let mut glob = None;
            if is_non_static(&t) {
                // Globals' VARs and FUNCs exist once; those without a
                // global symbol belong to sections deduplicated away
                // (license, version).
                let Some(g) = src.str_bytes(t.name_off()).and_then(|name| self.find_glob_sym(name)) else { continue };
                let gs = &mut self.glob_syms[g];
                if gs.underlying_btf_id == 0 {
                    gs.underlying_btf_id = -(t.type_id() as i64);
                }
                if gs.btf_id != 0 {
                    obj.btf_type_map[i as usize] = gs.btf_id;
                    continue;
                }
                glob = Some(g);
            }
            let id = self.btf.add_type(src, t).inspect_err(|_| {
                pr_warn!("failed to append BTF type #{i} from file '{}'", obj.filename);
            })?;
            obj.btf_type_map[i as usize] = id;
            if let Some(g) = glob {
                self.glob_syms[g].btf_id = id;
                self.glob_syms[g].underlying_btf_id = -(t.type_id() as i64);
            }
        }

        // The new types refer to the object's ids: map them.
        for id in start_id..self.btf.type_cnt() {
            let slots = crate::btf::id_slots(self.btf.type_at(id)?.words())?;
            let words = self.btf.type_words_mut(id)?;
            for at in slots {
                let old = words[at];
                let new = obj.btf_type_map.get(old as usize).copied().unwrap_or(0);
                if new == 0 && old != 0 {
                    pr_warn!("failed to find new ID mapping for original BTF type ID {old}");
                    return Err(Error::INVAL);
                }
                words[at] = new;
            }
        }

        // Point globals' VARs and FUNCs at their (new) definitions' types.
        for g in 0..self.glob_syms.len() {
            let u = self.glob_syms[g].underlying_btf_id;
            if u >= 0 {
                continue;
            }
            let mapped = obj.btf_type_map.get(u.unsigned_abs() as usize).copied().ok_or(Error::INVAL)?;
            self.glob_syms[g].underlying_btf_id = mapped as i64;
            let btf_id = self.glob_syms[g].btf_id;
            self.btf.type_words_mut(btf_id)?[2] = mapped;
        }

        self.append_datasec_vars(obj)
    }

    /// Collects the variables of each DATASEC of `obj` for its output
    /// section; a global seen before keeps its entry (its size updated).
    fn append_datasec_vars(&mut self, obj: &SrcObj) -> Result<()> {
        let Some(src) = obj.btf.as_ref() else { return Ok(()) };
        for sec in obj.secs.iter().skip(1) {
            if sec.sec_type_id == 0 || sec.skipped {
                continue;
            }
            let dst_id = sec.dst_id;
            self.secs[dst_id].has_btf = true;
            let vars: Vec<_> = src.type_at(sec.sec_type_id)?.secinfos().collect();
            for v in vars {
                let new_id = obj.btf_type_map.get(v.type_id as usize).copied().unwrap_or(0);
                let t = self.btf.type_at(new_id)?;
                let mut glob = None;
                if is_non_static(&t) {
                    let name = self.btf.str_bytes(t.name_off()).unwrap_or(&[]).to_vec();
                    if let Some(g) = self.find_glob_sym(&name) {
                        if self.glob_syms[g].sec_id != dst_id {
                            pr_warn!("global '{}': section mismatch {} vs {}", show(&name), self.glob_syms[g].sec_id, dst_id);
                            return Err(Error::INVAL);
                        }
                        glob = Some(g);
                    }
                }
                if let Some(g) = glob {
                    if let Some(var_idx) = self.glob_syms[g].var_idx {
                        if t.is_func() {
                            continue;
                        }
                        let underlying = self.glob_syms[g].underlying_btf_id;
                        let sz = u32::try_from(underlying).map_err(|_| Error::INVAL).and_then(|u| self.btf.resolve_size(u));
                        let sz = match sz {
                            Ok(sz) => sz,
                            Err(e) => {
                                let name = self.glob_syms[g].name.clone();
                                pr_warn!("global '{}': failed to resolve size of underlying type: {}", show(&name), e.neg());
                                return Err(Error::INVAL);
                            }
                        };
                        if let Some(var) = self.secs[dst_id].sec_vars.get_mut(var_idx) {
                            var.size = sz;
                        }
                        continue;
                    }
                }
                let offset = u32::try_from(sec.dst_off).map_err(|_| Error::TOO_BIG)?.wrapping_add(v.offset);
                let vars = &mut self.secs[dst_id].sec_vars;
                vars.push(SecVar { type_id: new_id, offset, size: v.size });
                if let Some(g) = glob {
                    self.glob_syms[g].var_idx = Some(vars.len() - 1);
                }
            }
        }
        Ok(())
    }

    /// Appends the `.BTF.ext` records of `obj` to their output sections,
    /// rebased (instruction offsets, type ids, strings).
    pub(crate) fn append_btf_ext(&mut self, obj: &SrcObj) -> Result<()> {
        let (Some(ext), Some(src)) = (obj.btf_ext.as_ref(), obj.btf.as_ref()) else { return Ok(()) };
        let kinds: [(ExtKind, Vec<InfoSec<'_>>); 3] = [
            (ExtKind::Func, ext.func_info_sections().collect()),
            (ExtKind::Line, ext.line_info_sections().collect()),
            (ExtKind::CoreRelo, ext.core_relo_sections().collect()),
        ];
        for (kind, secs) in kinds {
            for info in secs {
                let sec_name = src.str_bytes(info.sec_name_off).unwrap_or(&[]);
                let Some(s) = obj.find_sec(sec_name) else {
                    pr_warn!("can't find section '{}' referenced from .BTF.ext", show(sec_name));
                    return Err(Error::INVAL);
                };
                let (dst_id, dst_off) = (obj.secs[s].dst_id, obj.secs[s].dst_off);
                let dst_off = u32::try_from(dst_off).map_err(|_| Error::TOO_BIG)?;
                let recs = ext_recs(&mut self.secs[dst_id], kind);
                if recs.rec_sz == 0 {
                    recs.rec_sz = info.rec_size;
                }
                if recs.rec_sz != info.rec_size {
                    pr_warn!("incompatible .BTF.ext record sizes for section '{}'", show(sec_name));
                    return Err(Error::INVAL);
                }
                for rec in info.records() {
                    let mut r = rec.to_vec();
                    let v = word(&r, 0).wrapping_add(dst_off);
                    set_word(&mut r, 0, v);
                    let map = |id: u32| obj.btf_type_map.get(id as usize).copied().unwrap_or(0);
                    match kind {
                        ExtKind::Func => {
                            let v = map(word(&r, 1));
                            set_word(&mut r, 1, v);
                        }
                        ExtKind::Line => {
                            for i in [1, 2] {
                                let s = src.str_bytes(word(&r, i)).ok_or(Error::INVAL)?;
                                let off = self.btf.add_str(s)?;
                                set_word(&mut r, i, off);
                            }
                        }
                        ExtKind::CoreRelo => {
                            let v = map(word(&r, 1));
                            set_word(&mut r, 1, v);
                            let s = src.str_bytes(word(&r, 2)).ok_or(Error::INVAL)?;
                            let off = self.btf.add_str(s)?;
                            set_word(&mut r, 2, off);
                        }
                    }
                    let recs = ext_recs(&mut self.secs[dst_id], kind);
                    recs.recs.extend_from_slice(&r);
                    recs.cnt += 1;
                }
            }
        }
        Ok(())
    }

    /// Adds the output DATASECs, builds `.BTF.ext` and returns the `.BTF`
    /// and `.BTF.ext` sections to write (none when no object had BTF).
    pub(crate) fn finalize_btf(&mut self, order: Order) -> Result<Vec<OutSection>> {
        if self.btf.type_cnt() == 1 {
            return Ok(Vec::new());
        }
        for i in 1..self.secs.len() {
            if !self.secs[i].has_btf {
                continue;
            }
            let name = self.secs[i].name.clone();
            let size = u32::try_from(self.secs[i].sec_sz).map_err(|_| Error::TOO_BIG);
            if let Err(e) = size.and_then(|sz| self.btf.add_datasec(&name, sz)) {
                pr_warn!("failed to add consolidated BTF type for datasec '{}': {}", show(&name), e.neg());
                return Err(e);
            }
            for v in self.secs[i].sec_vars.clone() {
                self.btf.add_datasec_var_info(v.type_id, v.offset, v.size).map_err(|_| Error::INVAL)?;
            }
        }
        let mut ext = self.finalize_btf_ext().inspect_err(|e| {
            pr_warn!(".BTF.ext generation failed: {}", errstr(*e));
        })?;
        // Deduplicate the merged types, rewriting the .BTF.ext type ids along.
        self.btf.dedup(ext.as_mut()).inspect_err(|e| {
            pr_warn!("BTF dedup failed: {}", errstr(*e));
        })?;
        self.btf.set_big_endian(order.big);
        let mut out = vec![self.btf_section(b".BTF", self.btf.raw_data().to_vec())?];
        if let Some(ext) = ext.as_mut() {
            ext.set_big_endian(order.big);
            out.push(self.btf_section(b".BTF.ext", ext.raw_data().to_vec())?);
        }
        Ok(out)
    }

    /// A `.BTF`-like data section: named `name`, 8-byte aligned.
    fn btf_section(&mut self, name: &[u8], data: Vec<u8>) -> Result<OutSection> {
        let sh_name = self.strtab.add(name)?;
        Ok(OutSection { hdr: Shdr { sh_name, sh_type: SHT_PROGBITS, sh_addralign: 8, ..Default::default() }, data })
    }

    /// The output `.BTF.ext`: func info, line info and CO-RE relocations of
    /// every output section; None when there are none.
    fn finalize_btf_ext(&mut self) -> Result<Option<BtfExt>> {
        let mut sizes = [(0u32, 0usize); 3];
        let names = ["func_info", "line_info", "core_relo_info"];
        let kinds = [ExtKind::Func, ExtKind::Line, ExtKind::CoreRelo];
        for s in self.secs.iter_mut().skip(1) {
            for (k, kind) in kinds.iter().enumerate() {
                let r = ext_recs(s, *kind);
                if r.cnt == 0 {
                    continue;
                }
                let (rec_sz, total) = &mut sizes[k];
                if *rec_sz == 0 {
                    *rec_sz = r.rec_sz;
                }
                if *rec_sz != r.rec_sz {
                    pr_warn!("mismatch in {} record size {} != {}", names[k], rec_sz, r.rec_sz);
                    return Err(Error::INVAL);
                }
                *total += 8 + r.recs.len();
            }
        }
        if sizes.iter().all(|&(_, total)| total == 0) {
            return Ok(None);
        }
        let lens: Vec<u32> =
            sizes.iter().map(|&(_, t)| if t == 0 { Ok(0) } else { u32::try_from(t + 4) }).collect::<core::result::Result<_, _>>()?;
        let mut data = Vec::new();
        data.extend_from_slice(&BTF_MAGIC.to_ne_bytes());
        data.push(1); // version
        data.push(0); // flags
        for v in [BTF_EXT_HDR_LEN, 0, lens[0], lens[0], lens[1], lens[0] + lens[1], lens[2]] {
            data.extend_from_slice(&v.to_ne_bytes());
        }
        for (k, kind) in kinds.iter().enumerate() {
            if lens[k] == 0 {
                continue;
            }
            data.extend_from_slice(&sizes[k].0.to_ne_bytes());
            for i in 1..self.secs.len() {
                if ext_recs(&mut self.secs[i], *kind).cnt == 0 {
                    continue;
                }
                let name = self.secs[i].name.clone();
                let name_off = self.btf.add_str(&name)?;
                let r = ext_recs(&mut self.secs[i], *kind);
                data.extend_from_slice(&name_off.to_ne_bytes());
                data.extend_from_slice(&u32::try_from(r.cnt)?.to_ne_bytes());
                data.extend_from_slice(&r.recs);
            }
        }
        BtfExt::parse(&data).map(Some).inspect_err(|e| {
            pr_warn!("failed to parse final .BTF.ext data: {}", errstr(*e));
        })
    }
}
