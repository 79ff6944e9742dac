//! Section contents and relocations: each input section is appended to the
//! output section of the same name at its alignment; relocation entries
//! follow, their offsets and symbols rebased onto the output.

use super::elf64::*;
use super::input::{show, SrcObj, SrcSec};
use super::Linker;
use crate::error::{Error, Result};

/// `BPF_JMP | BPF_CALL`: a call instruction's opcode.
const BPF_JMP_CALL: u8 = 0x85;
const INSN_SIZE: u64 = 8;

fn is_data_sec(s: &SrcSec) -> bool {
    !s.skipped && (s.ephemeral || s.hdr.sh_type == SHT_PROGBITS || s.hdr.sh_type == SHT_NOBITS)
}

fn is_relo_sec(s: &SrcSec) -> bool {
    !s.skipped && !s.ephemeral && s.hdr.sh_type == SHT_REL
}

fn align_up(v: u64, align: u64) -> Result<u64> {
    v.checked_add(align - 1).map(|x| x / align * align).ok_or(Error::TOO_BIG)
}

impl Linker {
    /// Starts output section `id` from input section `src`: an ephemeral
    /// shell, or an ELF section with the input's type, flags, alignment and
    /// entry size.
    fn init_sec(&mut self, id: usize, src: &SrcSec) -> Result<()> {
        let d = &mut self.secs[id];
        d.sec_sz = 0;
        d.elf_idx = 0;
        d.ephemeral = src.ephemeral;
        if src.ephemeral {
            return Ok(());
        }
        self.materialize(id)?;
        let d = &mut self.secs[id];
        d.hdr.sh_type = src.hdr.sh_type;
        d.hdr.sh_flags = src.hdr.sh_flags;
        d.hdr.sh_size = 0;
        d.hdr.sh_link = 0;
        d.hdr.sh_info = 0;
        d.hdr.sh_addralign = src.hdr.sh_addralign;
        d.hdr.sh_entsize = src.hdr.sh_entsize;
        d.data.clear();
        Ok(())
    }

    /// Whether input section `src` can be merged into output section `id`
    /// (same type, flags and entry size, unless either is ephemeral).
    fn secs_match(&self, id: usize, src: &SrcSec) -> bool {
        let d = &self.secs[id];
        if d.ephemeral || src.ephemeral {
            return true;
        }
        let name = show(&d.name);
        if d.hdr.sh_type != src.hdr.sh_type {
            pr_warn!("sec {name} types mismatch");
            return false;
        }
        if d.hdr.sh_flags != src.hdr.sh_flags {
            pr_warn!("sec {name} flags mismatch");
            return false;
        }
        if d.hdr.sh_entsize != src.hdr.sh_entsize {
            pr_warn!("sec {name} entsize mismatch");
            return false;
        }
        true
    }

    /// Appends input section `src` to output section `id` at the larger of
    /// both alignments; records where it landed in `src.dst_off`. An
    /// ephemeral output section becomes a real one at its first real input.
    fn extend_sec(&mut self, id: usize, src: &mut SrcSec) -> Result<()> {
        if src.ephemeral {
            return Ok(());
        }
        if self.secs[id].ephemeral {
            self.init_sec(id, src)?;
        }
        let d = &mut self.secs[id];
        let align = d.hdr.sh_addralign.max(1).max(src.hdr.sh_addralign);
        let start = align_up(d.sec_sz, align)?;
        let end = start.checked_add(src.hdr.sh_size).ok_or(Error::TOO_BIG)?;
        // libbpf keeps section sizes in an int: larger ones (only hostile
        // alignments or sizes get there) are refused, not allocated.
        if end > i32::MAX as u64 {
            pr_warn!("section '{}' would grow to {end} bytes, too large", show(&d.name));
            return Err(Error::TOO_BIG);
        }
        if src.hdr.sh_type != SHT_NOBITS {
            let start_us = usize::try_from(start)?;
            d.data.resize(start_us, 0);
            d.data.extend_from_slice(src.data);
        }
        d.sec_sz = end;
        d.hdr.sh_size = end;
        d.hdr.sh_addralign = align;
        src.dst_off = start;
        Ok(())
    }

    /// Merges the code and data sections (and ephemeral ones) of `obj`.
    pub(crate) fn append_sec_data(&mut self, obj: &mut SrcObj) -> Result<()> {
        for i in 1..obj.secs.len() {
            if !is_data_sec(&obj.secs[i]) {
                continue;
            }
            let name = obj.secs[i].name.clone();
            let id = match self.find_dst_sec(&name) {
                None => {
                    let id = self.add_dst_sec(&name);
                    if let Err(e) = self.init_sec(id, &obj.secs[i]) {
                        pr_warn!("failed to init section '{}'", show(&name));
                        return Err(e);
                    }
                    id
                }
                Some(id) => {
                    if !self.secs_match(id, &obj.secs[i]) {
                        pr_warn!("ELF sections {} are incompatible", show(&name));
                        return Err(Error::INVAL);
                    }
                    if name == b"license" || name == b"version" {
                        let d = &self.secs[id];
                        let src = &obj.secs[i];
                        if d.sec_sz != src.hdr.sh_size || d.data != src.data {
                            pr_warn!("non-identical contents of section '{}' are not supported", show(&name));
                            return Err(Error::INVAL);
                        }
                        obj.secs[i].skipped = true;
                        obj.secs[i].dst_id = id;
                        continue;
                    }
                    id
                }
            };
            obj.secs[i].dst_id = id;
            let mut src = std::mem::take(&mut obj.secs[i]);
            let r = self.extend_sec(id, &mut src);
            obj.secs[i] = src;
            r?;
        }
        Ok(())
    }

    /// Appends the relocation sections of `obj`, rebasing offsets and
    /// mapping symbols; references through section symbols get the
    /// referenced section's new offset added where it is stored.
    pub(crate) fn append_elf_relos(&mut self, obj: &mut SrcObj) -> Result<()> {
        let order = obj.order;
        for i in 1..obj.secs.len() {
            if !is_relo_sec(&obj.secs[i]) {
                continue;
            }
            let linked = obj.secs[i].hdr.sh_info as usize;
            let Some(linked_sec) = obj.secs.get(linked) else { return Err(Error::INVAL) };
            if linked_sec.skipped {
                continue;
            }
            let (linked_dst, linked_off, linked_exec) =
                (linked_sec.dst_id, linked_sec.dst_off, linked_sec.hdr.sh_flags & SHF_EXECINSTR != 0);
            let name = obj.secs[i].name.clone();
            let id = match self.find_dst_sec(&name) {
                None => {
                    let id = self.add_dst_sec(&name);
                    if let Err(e) = self.init_sec(id, &obj.secs[i]) {
                        pr_warn!("failed to init section '{}'", show(&name));
                        return Err(e);
                    }
                    id
                }
                Some(id) => {
                    if !self.secs_match(id, &obj.secs[i]) {
                        pr_warn!("sections {} are not compatible", show(&name));
                        return Err(Error::INVAL);
                    }
                    id
                }
            };
            let linked_elf_idx = self.secs.get(linked_dst).map_or(0, |s| s.elf_idx);
            self.secs[id].hdr.sh_link = super::SYMTAB_IDX as u32;
            self.secs[id].hdr.sh_info = u32::try_from(linked_elf_idx)?;
            obj.secs[i].dst_id = id;
            let mut src = std::mem::take(&mut obj.secs[i]);
            let r = self.extend_sec(id, &mut src);
            let (base, data) = (src.dst_off, src.data);
            obj.secs[i] = src;
            r?;
            for (n, b) in data.chunks_exact(REL_SIZE).enumerate() {
                let rel = Rel::decode(order, b);
                let (src_sym_idx, kind) = (rel.sym(), rel.kind());
                let dst_sym_idx = obj.sym_map.get(src_sym_idx).copied().unwrap_or(0);
                let new = Rel {
                    r_offset: rel.r_offset.checked_add(linked_off).ok_or(Error::INVAL)?,
                    r_info: Rel::info(dst_sym_idx, kind),
                };
                let at = usize::try_from(base)? + n * REL_SIZE;
                let mut enc = Vec::with_capacity(REL_SIZE);
                new.encode(order, &mut enc);
                self.secs[id].data[at..at + REL_SIZE].copy_from_slice(&enc);

                let Some(src_sym) = obj.syms.get(src_sym_idx) else { continue };
                if src_sym.kind() != STT_SECTION {
                    continue;
                }
                // The target section's offset in its output section; a
                // section symbol outside the section table has none.
                let target_off = obj.secs.get(src_sym.st_shndx as usize).filter(|_| src_sym.st_shndx < SHN_LORESERVE);
                let target_off = target_off.map_or(0, |s| s.dst_off);
                let target_exec = obj
                    .secs
                    .get(src_sym.st_shndx as usize)
                    .is_some_and(|s| s.hdr.sh_flags & SHF_EXECINSTR != 0);
                let patched = self.secs.get_mut(linked_dst).map(|s| &mut s.data);
                let Some(patched) = patched else { return Err(Error::INVAL) };
                let at = usize::try_from(new.r_offset).map_err(|_| Error::INVAL)?;
                if linked_exec {
                    // A reference from code: the instruction's immediate
                    // holds an offset into the target section (in
                    // instructions for calls, in bytes otherwise).
                    let Some(insn) = patched.get_mut(at..at.saturating_add(INSN_SIZE as usize)) else {
                        pr_warn!("ELF relo #{n} in section '{}' points past its section in '{}'", show(&name), obj.filename);
                        return Err(Error::INVAL);
                    };
                    let imm = order.u32(insn, 4);
                    let add = if insn[0] == BPF_JMP_CALL { target_off / INSN_SIZE } else { target_off };
                    order.set32(insn, 4, imm.wrapping_add(add as u32));
                } else if kind == R_BPF_64_ABS64 && target_exec {
                    // A pointer to a static function from data: the offset
                    // of the function in its section, stored in place.
                    let Some(slot) = patched.get_mut(at..at.saturating_add(8)) else {
                        pr_warn!("ELF relo #{n} in section '{}' points past its section in '{}'", show(&name), obj.filename);
                        return Err(Error::INVAL);
                    };
                    let v = order.u64(slot, 0);
                    order.set64(slot, 0, v.wrapping_add(target_off));
                } else {
                    pr_warn!("relocation against STT_SECTION in non-exec section is not supported!");
                    return Err(Error::INVAL);
                }
            }
        }
        Ok(())
    }
}
