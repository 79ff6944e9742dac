//! Instruction relocations: recording them from the ELF `.rel*` sections
//! (against maps, global data, subprograms and externs) and applying the
//! data ones to a program image. Pure functions over the object model.

use crate::error::{Error, Result};
use crate::uapi::bpf_enums::insn as op;
use crate::uapi::bpf_insn;

use super::elf::{self, Symbol};

/// What an instruction refers to. The order is libbpf's, which breaks ties
/// when sorting relocations of one instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RelocKind {
    /// `ld_imm64` of a BTF-defined map (`.maps`).
    Ld64,
    /// Call of a subprogram.
    Call,
    /// `ld_imm64` of an address in a global data section.
    Data,
    /// `ld_imm64` of an extern (`.kconfig` value or `.ksyms` symbol).
    ExternLd64,
    /// Call of an extern kernel function (kfunc).
    ExternCall,
    /// `ld_imm64` of a subprogram's address (callback).
    SubprogAddr,
    /// A CO-RE relocation already applied (kept to explain a poisoned
    /// instruction in the verifier log).
    Core,
}

/// One relocation of a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reloc {
    /// Instruction index within the program's image.
    pub insn_idx: usize,
    pub kind: RelocKind,
    /// Index of the map (Ld64, Data).
    pub map_idx: usize,
    /// Offset of the symbol (Data: within the section; Call/SubprogAddr: byte
    /// offset of the target in `.text`).
    pub sym_off: u32,
    /// Index of the extern (ExternLd64, ExternCall).
    pub ext_idx: usize,
    /// The CO-RE record (Core).
    pub core: crate::relo::CoreRelo,
}

impl Reloc {
    /// The record of an applied CO-RE relocation at `insn_idx`.
    pub fn new_core(insn_idx: usize) -> Reloc {
        Reloc::new(insn_idx, RelocKind::Core)
    }

    fn new(insn_idx: usize, kind: RelocKind) -> Reloc {
        Reloc { insn_idx, kind, map_idx: 0, sym_off: 0, ext_idx: 0, core: Default::default() }
    }
}

/// Which kind of global data a section holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataKind {
    Data,
    Bss,
    Rodata,
    Kconfig,
}

/// What a map looks like to relocation: where it lives in the ELF.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapSite {
    /// None for BTF-defined maps.
    pub data: Option<DataKind>,
    pub sec_idx: usize,
    pub sec_offset: u64,
    /// For the debug log.
    pub name: String,
}

/// What relocation recording needs to know about the object.
pub struct RelocContext<'a> {
    pub text_shndx: Option<usize>,
    pub maps_shndx: Option<usize>,
    pub symbols_shndx: usize,
    /// Global-data kind of each section, by ELF index.
    pub data_sections: &'a dyn Fn(usize) -> Option<DataKind>,
    pub maps: &'a [MapSite],
    /// Symbol index of each extern, in extern order.
    pub extern_syms: &'a [usize],
    pub section_name: &'a dyn Fn(usize) -> String,
}

pub fn is_ldimm64(insn: &bpf_insn) -> bool {
    insn.code == op::LD_IMM64
}

pub fn is_call(insn: &bpf_insn) -> bool {
    insn.code == op::CALL
}

/// A `call` of a subprogram (`src_reg == BPF_PSEUDO_CALL`).
pub fn is_subprog_call(insn: &bpf_insn) -> bool {
    insn.code == op::CALL && insn.src_reg() == op::PSEUDO_CALL && insn.dst_reg() == 0 && insn.off == 0
}

/// An `ld_imm64` of a subprogram's address.
pub fn is_pseudo_func(insn: &bpf_insn) -> bool {
    is_ldimm64(insn) && insn.src_reg() == op::PSEUDO_FUNC
}

/// An extern: undefined global or weak symbol of no type.
pub fn sym_is_extern(sym: &Symbol) -> bool {
    sym.shndx == elf::SHN_UNDEF && (sym.bind == elf::STB_GLOBAL || sym.bind == elf::STB_WEAK) && sym.kind == elf::STT_NOTYPE
}

/// A subprogram symbol in `.text`: a section symbol (static functions) or a
/// global/weak function.
pub fn sym_is_subprog(sym: &Symbol, text_shndx: Option<usize>) -> bool {
    if Some(sym.shndx) != text_shndx {
        return false;
    }
    if sym.bind == elf::STB_LOCAL && sym.kind == elf::STT_SECTION {
        return true;
    }
    (sym.bind == elf::STB_GLOBAL || sym.bind == elf::STB_WEAK) && sym.kind == elf::STT_FUNC
}

/// Records the relocation of instruction `insn_idx` (program-relative) of
/// program `prog_name`, whose ELF entry points at symbol `sym`
/// (`sym_name` for messages).
pub fn record(
    ctx: &RelocContext,
    prog_name: &str,
    insn: &bpf_insn,
    insn_idx: usize,
    sym: &Symbol,
    sym_name: &str,
) -> Result<Reloc> {
    if !is_call(insn) && !is_ldimm64(insn) {
        crate::pr_warn!("prog '{prog_name}': invalid relo against '{sym_name}' for insns[{insn_idx}].code 0x{:x}", insn.code);
        return Err(Error::RELOC);
    }

    if sym_is_extern(sym) {
        let Some(ext_idx) = ctx.extern_syms.iter().position(|&s| s == sym.index) else {
            crate::pr_warn!("prog '{prog_name}': extern relo failed to find extern for '{sym_name}' ({})", sym.index);
            return Err(Error::RELOC);
        };
        crate::pr_debug!("prog '{prog_name}': found extern #{ext_idx} '{sym_name}' (sym {}) for insn #{insn_idx}", sym.index);
        let kind = if is_call(insn) { RelocKind::ExternCall } else { RelocKind::ExternLd64 };
        return Ok(Reloc { ext_idx, ..Reloc::new(insn_idx, kind) });
    }

    if is_call(insn) {
        if insn.src_reg() != op::PSEUDO_CALL {
            crate::pr_warn!("prog '{prog_name}': incorrect bpf_call opcode");
            return Err(Error::RELOC);
        }
        if sym.shndx == 0 || Some(sym.shndx) != ctx.text_shndx {
            crate::pr_warn!(
                "prog '{prog_name}': bad call relo against '{sym_name}' in section '{}'",
                (ctx.section_name)(sym.shndx)
            );
            return Err(Error::RELOC);
        }
        if sym.value % 8 != 0 || sym.value > u32::MAX as u64 {
            crate::pr_warn!("prog '{prog_name}': bad call relo against '{sym_name}' at offset {}", sym.value);
            return Err(Error::RELOC);
        }
        return Ok(Reloc { sym_off: sym.value as u32, ..Reloc::new(insn_idx, RelocKind::Call) });
    }

    if sym.shndx == 0 || sym.shndx >= elf::SHN_LORESERVE {
        crate::pr_warn!(
            "prog '{prog_name}': invalid relo against '{sym_name}' in special section 0x{:x}; forgot to initialize global var?..",
            sym.shndx
        );
        return Err(Error::RELOC);
    }

    if sym_is_subprog(sym, ctx.text_shndx) {
        if sym.value % 8 != 0 || insn.imm % 8 != 0 || sym.value > u32::MAX as u64 {
            crate::pr_warn!("prog '{prog_name}': bad subprog addr relo against '{sym_name}' at offset {}+{}", sym.value, insn.imm);
            return Err(Error::RELOC);
        }
        return Ok(Reloc { sym_off: sym.value as u32, ..Reloc::new(insn_idx, RelocKind::SubprogAddr) });
    }

    let data_kind = if sym.shndx == ctx.symbols_shndx { Some(DataKind::Kconfig) } else { (ctx.data_sections)(sym.shndx) };
    let sec_name = (ctx.section_name)(sym.shndx);

    let Some(kind) = data_kind else {
        // A reference to a BTF-defined map.
        if ctx.maps_shndx != Some(sym.shndx) {
            crate::pr_warn!("prog '{prog_name}': bad map relo against '{sym_name}' in section '{sec_name}'");
            return Err(Error::RELOC);
        }
        let found = ctx.maps.iter().position(|m| m.data.is_none() && m.sec_idx == sym.shndx && m.sec_offset == sym.value);
        let Some(map_idx) = found else {
            crate::pr_warn!("prog '{prog_name}': map relo failed to find map for section '{sec_name}', off {}", sym.value);
            return Err(Error::RELOC);
        };
        let m = &ctx.maps[map_idx];
        crate::pr_debug!("prog '{prog_name}': found map {map_idx} ({}, sec {}, off {}) for insn #{insn_idx}", m.name, m.sec_idx, m.sec_offset);
        return Ok(Reloc { map_idx, ..Reloc::new(insn_idx, RelocKind::Ld64) });
    };

    if kind == DataKind::Kconfig || (ctx.data_sections)(sym.shndx).is_none() {
        crate::pr_warn!("prog '{prog_name}': bad data relo against section '{sec_name}'");
        return Err(Error::RELOC);
    }
    let found = ctx.maps.iter().position(|m| m.data == Some(kind) && m.sec_idx == sym.shndx);
    let Some(map_idx) = found else {
        crate::pr_warn!("prog '{prog_name}': data relo failed to find map for section '{sec_name}'");
        return Err(Error::RELOC);
    };
    if sym.value > u32::MAX as u64 {
        crate::pr_warn!("prog '{prog_name}': bad data relo against '{sym_name}' at offset {}", sym.value);
        return Err(Error::RELOC);
    }
    let m = &ctx.maps[map_idx];
    crate::pr_debug!("prog '{prog_name}': found data map {map_idx} ({}, sec {}, off {}) for insn {insn_idx}", m.name, m.sec_idx, m.sec_offset);
    Ok(Reloc { map_idx, sym_off: sym.value as u32, ..Reloc::new(insn_idx, RelocKind::Data) })
}

/// Sorts relocations by instruction (then kind), as the call relocation
/// step expects.
pub fn sort(relos: &mut [Reloc]) {
    relos.sort_by(|a, b| a.insn_idx.cmp(&b.insn_idx).then(a.kind.cmp(&b.kind)));
}

/// The relocation of instruction `insn_idx`, if any (relocations sorted).
pub fn find(relos: &[Reloc], insn_idx: usize) -> Option<&Reloc> {
    relos.binary_search_by(|r| r.insn_idx.cmp(&insn_idx)).ok().map(|i| &relos[i])
}

/// Base of the helper id written into the `ld_imm64` of a map that is not
/// created (libbpf's value, so verifier logs read the same).
pub const POISON_LDIMM64_MAP_BASE: i32 = 2_001_000_000;

/// How a map is referenced by relocated code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapRef {
    /// The map will be created: its fd (or a placeholder until it is).
    Fd(i32),
    /// The map will not be created: loads of it are poisoned.
    NotCreated,
}

/// Applies the map and global-data relocations of a program image:
/// `ld_imm64` of a map gets `BPF_PSEUDO_MAP_FD` + its fd, of global data
/// `BPF_PSEUDO_MAP_VALUE` + fd + offset. References to maps that are not
/// created become calls of an invalid helper (`POISON_LDIMM64_MAP_BASE` +
/// map index), which the verifier reports only if the code is reachable.
/// Extern and subprogram relocations are left to their own steps.
pub fn apply_data(prog_name: &str, insns: &mut [bpf_insn], relos: &[Reloc], maps: &[MapRef]) -> Result<()> {
    for (i, r) in relos.iter().enumerate() {
        match r.kind {
            RelocKind::Ld64 | RelocKind::Data => {
                let map = maps.get(r.map_idx).copied().ok_or(Error::RELOC)?;
                if r.insn_idx + 1 >= insns.len() {
                    crate::pr_warn!("prog '{prog_name}': relo #{i}: ld_imm64 at insn #{} is truncated", r.insn_idx);
                    return Err(Error::RELOC);
                }
                match map {
                    MapRef::Fd(fd) => {
                        if r.kind == RelocKind::Data {
                            insns[r.insn_idx + 1].imm = insns[r.insn_idx].imm.wrapping_add(r.sym_off as i32);
                            insns[r.insn_idx].set_src_reg(op::PSEUDO_MAP_VALUE);
                        } else {
                            insns[r.insn_idx].set_src_reg(op::PSEUDO_MAP_FD);
                        }
                        insns[r.insn_idx].imm = fd;
                    }
                    MapRef::NotCreated => {
                        crate::pr_debug!(
                            "prog '{prog_name}': relo #{i}: poisoning insn #{} that loads map #{}",
                            r.insn_idx,
                            r.map_idx
                        );
                        for insn in &mut insns[r.insn_idx..r.insn_idx + 2] {
                            *insn = bpf_insn { code: op::CALL, regs: 0, off: 0, imm: POISON_LDIMM64_MAP_BASE + r.map_idx as i32 };
                        }
                    }
                }
            }
            RelocKind::SubprogAddr => {
                let insn = insns.get(r.insn_idx).ok_or(Error::RELOC)?;
                if insn.src_reg() != op::PSEUDO_FUNC {
                    crate::pr_warn!("prog '{prog_name}': relo #{i}: bad insn");
                    return Err(Error::INVAL);
                }
            }
            RelocKind::Call | RelocKind::ExternLd64 | RelocKind::ExternCall | RelocKind::Core => {}
        }
    }
    Ok(())
}

/// Only the map fds of already relocated `ld_imm64`s change: writes `fds`
/// (by map index) into every map reference of the image.
pub fn patch_map_fds(insns: &mut [bpf_insn], relos: &[Reloc], fds: &[i32]) {
    for r in relos {
        // (a `.kconfig` extern is a value of the `.kconfig` map)
        if !matches!(r.kind, RelocKind::Ld64 | RelocKind::Data | RelocKind::ExternLd64) {
            continue;
        }
        let (Some(insn), Some(&fd)) = (insns.get_mut(r.insn_idx), fds.get(r.map_idx)) else { continue };
        if is_ldimm64(insn) && matches!(insn.src_reg(), op::PSEUDO_MAP_FD | op::PSEUDO_MAP_VALUE) {
            insn.imm = fd;
        }
    }
}

/// For a loader program (which does not know map fds): every relocated
/// map reference names the map by its index in the `fd_array` of the load
/// instead (`BPF_PSEUDO_MAP_IDX`, `BPF_PSEUDO_MAP_IDX_VALUE`).
pub fn use_map_indices(insns: &mut [bpf_insn], relos: &[Reloc]) {
    for r in relos {
        if !matches!(r.kind, RelocKind::Ld64 | RelocKind::Data | RelocKind::ExternLd64) {
            continue;
        }
        let Some(insn) = insns.get_mut(r.insn_idx) else { continue };
        if !is_ldimm64(insn) {
            continue;
        }
        let src = match insn.src_reg() {
            op::PSEUDO_MAP_FD => op::PSEUDO_MAP_IDX,
            op::PSEUDO_MAP_VALUE => op::PSEUDO_MAP_IDX_VALUE,
            _ => continue,
        };
        insn.set_src_reg(src);
        insn.imm = r.map_idx as i32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ldimm64(dst: u8, imm: i32) -> [bpf_insn; 2] {
        let mut a = bpf_insn { code: op::LD_IMM64, regs: 0, off: 0, imm };
        a.set_dst_reg(dst);
        [a, bpf_insn::default()]
    }

    fn sym(index: usize, shndx: usize, value: u64, bind: u8, kind: u8) -> Symbol<'static> {
        Symbol { index, name_off: 0, name: Some(b"s"), value, size: 0, shndx, bind, kind, visibility: 0 }
    }

    fn ctx<'a>(maps: &'a [MapSite], data: &'a dyn Fn(usize) -> Option<DataKind>, names: &'a dyn Fn(usize) -> String) -> RelocContext<'a> {
        RelocContext {
            text_shndx: Some(2),
            maps_shndx: Some(5),
            symbols_shndx: 9,
            data_sections: data,
            maps,
            extern_syms: &[42],
            section_name: names,
        }
    }

    #[test]
    fn records_each_kind() {
        let maps = [
            MapSite { data: None, sec_idx: 5, sec_offset: 0, name: "a".into() },
            MapSite { data: None, sec_idx: 5, sec_offset: 32, name: "b".into() },
            MapSite { data: Some(DataKind::Rodata), sec_idx: 6, sec_offset: 0, name: "x.rodata".into() },
        ];
        let data = |i: usize| if i == 6 { Some(DataKind::Rodata) } else { None };
        let names = |i: usize| format!("sec{i}");
        let c = ctx(&maps, &data, &names);
        let ld = ldimm64(1, 0)[0];
        let r = record(&c, "p", &ld, 3, &sym(1, 5, 32, elf::STB_GLOBAL, elf::STT_OBJECT), "m").unwrap();
        assert_eq!((r.kind, r.map_idx, r.insn_idx), (RelocKind::Ld64, 1, 3));
        let r = record(&c, "p", &ld, 0, &sym(1, 6, 16, elf::STB_LOCAL, elf::STT_OBJECT), "v").unwrap();
        assert_eq!((r.kind, r.map_idx, r.sym_off), (RelocKind::Data, 2, 16));
        let call = bpf_insn { code: op::CALL, regs: op::PSEUDO_CALL << 4, off: 0, imm: -1 };
        let r = record(&c, "p", &call, 7, &sym(3, 2, 64, elf::STB_GLOBAL, elf::STT_FUNC), "f").unwrap();
        assert_eq!((r.kind, r.sym_off), (RelocKind::Call, 64));
        let r = record(&c, "p", &ld, 1, &sym(4, 2, 0, elf::STB_LOCAL, elf::STT_SECTION), ".text").unwrap();
        assert_eq!(r.kind, RelocKind::SubprogAddr);
        let r = record(&c, "p", &ld, 1, &sym(42, 0, 0, elf::STB_GLOBAL, elf::STT_NOTYPE), "ext").unwrap();
        assert_eq!((r.kind, r.ext_idx), (RelocKind::ExternLd64, 0));
    }

    #[test]
    fn refuses_bad_references() {
        let maps = [MapSite { data: None, sec_idx: 5, sec_offset: 0, name: "a".into() }];
        let data = |_: usize| None;
        let names = |i: usize| format!("sec{i}");
        let c = ctx(&maps, &data, &names);
        let ld = ldimm64(1, 0)[0];
        let mov = bpf_insn { code: 0xb7, ..Default::default() };
        // not a call/ldimm64
        assert_eq!(record(&c, "p", &mov, 0, &sym(1, 5, 0, 1, 1), "m").unwrap_err(), Error::RELOC);
        // no map at that offset
        assert_eq!(record(&c, "p", &ld, 0, &sym(1, 5, 8, 1, 1), "m").unwrap_err(), Error::RELOC);
        // undefined section (uninitialized global)
        assert_eq!(record(&c, "p", &ld, 0, &sym(1, 0, 0, elf::STB_LOCAL, 1), "m").unwrap_err(), Error::RELOC);
        // call outside .text
        let call = bpf_insn { code: op::CALL, regs: op::PSEUDO_CALL << 4, off: 0, imm: -1 };
        assert_eq!(record(&c, "p", &call, 0, &sym(3, 4, 0, 1, elf::STT_FUNC), "f").unwrap_err(), Error::RELOC);
        // misaligned call target
        assert_eq!(record(&c, "p", &call, 0, &sym(3, 2, 4, 1, elf::STT_FUNC), "f").unwrap_err(), Error::RELOC);
    }

    #[test]
    fn applies_map_and_data_references() {
        let mut insns = [ldimm64(1, 0), ldimm64(2, 8), ldimm64(3, 0)].concat();
        let relos = [
            Reloc { map_idx: 0, ..Reloc::new(0, RelocKind::Ld64) },
            Reloc { map_idx: 1, sym_off: 16, ..Reloc::new(2, RelocKind::Data) },
            Reloc { map_idx: 2, ..Reloc::new(4, RelocKind::Ld64) },
        ];
        apply_data("p", &mut insns, &relos, &[MapRef::Fd(10), MapRef::Fd(11), MapRef::NotCreated]).unwrap();
        assert_eq!((insns[0].src_reg(), insns[0].imm), (op::PSEUDO_MAP_FD, 10));
        assert_eq!((insns[2].src_reg(), insns[2].imm, insns[3].imm), (op::PSEUDO_MAP_VALUE, 11, 24));
        assert_eq!((insns[4].code, insns[4].imm), (op::CALL, POISON_LDIMM64_MAP_BASE + 2));
        assert_eq!((insns[5].code, insns[5].imm), (op::CALL, POISON_LDIMM64_MAP_BASE + 2));
        patch_map_fds(&mut insns, &relos, &[20, 21, 22]);
        assert_eq!((insns[0].imm, insns[2].imm, insns[3].imm), (20, 21, 24));
        assert_eq!(insns[4].imm, POISON_LDIMM64_MAP_BASE + 2);
    }

    #[test]
    fn truncated_ldimm64_is_an_error() {
        let mut insns = [ldimm64(1, 0)[0]];
        let relos = [Reloc { map_idx: 0, ..Reloc::new(0, RelocKind::Ld64) }];
        assert_eq!(apply_data("p", &mut insns, &relos, &[MapRef::Fd(3)]).unwrap_err(), Error::RELOC);
    }
}
