//! Opening an object: ELF bytes to an [`Object`] value, in named steps
//! (sections, programs, BTF, externs, maps, program types, relocations).
//! Nothing here talks to the kernel.

use std::collections::HashMap;
use std::ffi::CString;

use crate::error::{Error, Result};
use crate::uapi::bpf_insn;

use super::elf::{self, lossy, Elf, Section};
use super::map_def::{self, Map, Slot};
use super::program::Program;
use super::reloc::{self, DataKind, MapSite, RelocContext};
use super::{btf_info, sec_def, Object, OpenOptions, State};

const LICENSE_LEN: usize = 64;
/// Largest path libbpf accepts (PATH_MAX, NUL included).
pub const PATH_MAX: usize = 4096;

/// Role of each ELF section, found by [`collect_sections`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SecKind {
    Unused,
    Relo,
    Data(DataKind),
    StructOps,
}

/// What the section scan found.
struct Scan {
    kinds: Vec<SecKind>,
    btf: Option<usize>,
    btf_ext: Option<usize>,
}

/// `bpf_object__open_file()`: reads and opens the object at `path`.
pub fn open_file(path: &str, opts: &OpenOptions) -> Result<Object> {
    crate::pr_debug!("loading object from {path}");
    let bytes = std::fs::read(path).map_err(|e| {
        let err = Error::from(e);
        crate::pr_warn!("elf: failed to open {path}: {err}");
        err
    })?;
    open(&bytes, Some(path), None, opts)
}

/// `bpf_object__open_mem()`: opens an object from a buffer; `default_name`
/// names it unless the options do.
pub fn open_mem(bytes: &[u8], default_name: &[u8], opts: &OpenOptions) -> Result<Object> {
    let name = opts.object_name.as_deref().unwrap_or(default_name);
    crate::pr_debug!("loading object '{}' from buffer", lossy(name));
    open(bytes, None, Some(default_name), opts)
}

/// Calls the `prog_setup_fn` of every program whose SEC() handler is a
/// custom one, as the last step of opening.
pub fn run_setup_callbacks<C: super::ObjectCell, H: super::HandlerCalls>(cell: &C, calls: &H) -> Result<()> {
    let todo: Vec<(usize, usize, i64, String)> = cell.with(|o| {
        o.programs
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let d = p.sec_def.as_ref()?;
                match &d.handler {
                    sec_def::Handler::Custom(cb) if cb.setup != 0 => Some((i, cb.setup, d.cookie, p.name_str().into_owned())),
                    _ => None,
                }
            })
            .collect()
    });
    for (idx, func, cookie, name) in todo {
        let ret = calls.setup(idx, func, cookie);
        if ret < 0 {
            let err = Error::new(ret);
            crate::pr_warn!("prog '{name}': failed to initialize: {err}");
            return Err(err);
        }
    }
    Ok(())
}

/// Opens an object from its bytes. `path` names a file-backed object (and
/// derives its name); in-memory objects pass their name as `mem_name`.
pub fn open(bytes: &[u8], path: Option<&str>, mem_name: Option<&[u8]>, opts: &OpenOptions) -> Result<Object> {
    if opts.kernel_log_buf.len() > u32::MAX as usize || (!opts.kernel_log_buf.is_empty() && opts.kernel_log_buf.is_null()) {
        return Err(Error::INVAL);
    }
    let token_path = match &opts.bpf_token_path {
        Some(p) => Some(p.clone()),
        None => std::env::var("LIBBPF_BPF_TOKEN_PATH").ok(),
    };
    if token_path.as_ref().is_some_and(|p| p.len() >= PATH_MAX) {
        return Err(Error::new(libc::ENAMETOOLONG));
    }
    if opts.btf_custom_path.as_ref().is_some_and(|p| p.len() >= PATH_MAX) {
        return Err(Error::new(libc::ENAMETOOLONG));
    }

    let name_override = opts.object_name.as_deref().or(mem_name);
    let display_path = match (path, name_override) {
        (Some(p), _) if mem_name.is_none() => p.to_string(),
        (_, Some(n)) => lossy(n).into_owned(),
        _ => String::new(),
    };
    let obj_name = object_name(path.filter(|_| mem_name.is_none()), name_override);
    let mut obj = Object {
        name: CString::new(obj_name).map_err(|_| Error::INVAL)?,
        path: display_path,
        license: CString::default(),
        kern_version: super::running_kernel_version(),
        state: State::Open,
        programs: Vec::new(),
        maps: Vec::new(),
        externs: Vec::new(),
        kconfig_map: None,
        fd_array: Vec::new(),
        kernel_btf: None,
        text_shndx: None,
        maps_shndx: None,
        symbols_shndx: 0,
        little_endian: true,
        has_rodata: false,
        has_st_ops: false,
        btf: None,
        btf_ext: None,
        ext_infos: Default::default(),
        has_core_relos: false,
        kconfig: opts.kconfig.clone(),
        btf_custom_path: opts.btf_custom_path.clone(),
        log_buf: opts.kernel_log_buf,
        log_level: opts.kernel_log_level,
        token_path,
        token_fd: None,
        feat_cache: None,
        usdt: None,
        gen: None,
    };

    let elf = Elf::parse(bytes, &obj.path)?;
    obj.little_endian = elf.little_endian;
    obj.symbols_shndx = elf.symtab_idx;
    let scan = collect_sections(&mut obj, &elf)?;
    let section = |i: Option<usize>| i.map(|i| elf.sections[i].data);
    btf_info::init_btf(&mut obj, &elf, section(scan.btf), section(scan.btf_ext))?;
    let kconfig_size = collect_externs(&mut obj, &elf)?;
    btf_info::fixup_btf(&mut obj, &elf)?;
    init_maps(&mut obj, &elf, &scan, opts)?;
    init_kconfig_map(&mut obj, kconfig_size)?;
    init_progs(&mut obj);
    collect_relos(&mut obj, &elf, &scan)?;
    Ok(obj)
}

/// The object name: the option, else the file's base name up to its first
/// dot, at most 15 bytes.
fn object_name(path: Option<&str>, name: Option<&[u8]>) -> Vec<u8> {
    let mut n: Vec<u8> = match name {
        Some(n) => n.to_vec(),
        None => {
            let base = path.unwrap_or("").rsplit('/').next().unwrap_or("");
            let base = base.split('.').next().unwrap_or("");
            base.as_bytes().to_vec()
        }
    };
    if let Some(nul) = n.iter().position(|&b| b == 0) {
        n.truncate(nul);
    }
    n.truncate(map_def::BPF_OBJ_NAME_LEN - 1);
    n
}

fn is_dwarf(name: &[u8]) -> bool {
    name.starts_with(b".debug_")
}

/// Sections libbpf skips without a look.
fn ignored(sec: &Section) -> bool {
    if sec.sh_type == elf::SHT_STRTAB || sec.sh_type == elf::SHT_LLVM_ADDRSIG {
        return true;
    }
    if sec.sh_type == elf::SHT_PROGBITS && sec.size == 0 && sec.name == b".text" {
        return true;
    }
    if is_dwarf(sec.name) {
        return true;
    }
    if let Some(target) = sec.name.strip_prefix(b".rel") {
        if is_dwarf(target) || target == b".BTF" || target == b".BTF.ext" {
            return true;
        }
    }
    false
}

fn is_struct_ops_sec(name: &[u8]) -> bool {
    matches!(name, b".struct_ops" | b".struct_ops.link" | b"?.struct_ops" | b"?.struct_ops.link")
}

/// Classifies every section: license, version, programs, global data,
/// relocations, BTF. Refuses legacy `SEC("maps")` definitions.
fn collect_sections(obj: &mut Object, elf: &Elf) -> Result<Scan> {
    let mut scan = Scan { kinds: vec![SecKind::Unused; elf.sections.len()], btf: None, btf_ext: None };
    for sec in elf.sections.iter().skip(1) {
        if ignored(sec) {
            continue;
        }
        let idx = sec.index;
        crate::pr_debug!(
            "elf: section({idx}) {}, size {}, link {}, flags {:x}, type={}",
            lossy(sec.name),
            sec.data_size(),
            sec.link,
            sec.flags,
            sec.sh_type
        );
        match sec.name {
            b"license" => {
                let end = sec.data.iter().position(|&b| b == 0).unwrap_or(sec.data.len()).min(LICENSE_LEN - 1);
                obj.license = CString::new(&sec.data[..end]).map_err(|_| Error::FORMAT)?;
                crate::pr_debug!("license of {} is {}", obj.path, obj.license.to_string_lossy());
            }
            b"version" => {
                if sec.data.len() != 4 {
                    crate::pr_warn!("invalid kver section in {}", obj.path);
                    return Err(Error::FORMAT);
                }
                let raw = [sec.data[0], sec.data[1], sec.data[2], sec.data[3]];
                obj.kern_version = if elf.little_endian { u32::from_le_bytes(raw) } else { u32::from_be_bytes(raw) };
                crate::pr_debug!("kernel version of {} is {:x}", obj.path, obj.kern_version);
            }
            b"maps" => {
                crate::pr_warn!("elf: legacy map definitions in 'maps' section are not supported by libbpf v1.0+");
                return Err(Error::NOT_SUPPORTED);
            }
            b".maps" => obj.maps_shndx = Some(idx),
            b".BTF" | b".BTF.ext" => {
                if sec.sh_type != elf::SHT_PROGBITS {
                    crate::pr_warn!("elf: section {} of {} is not PROGBITS", lossy(sec.name), obj.path);
                    return Err(Error::FORMAT);
                }
                if sec.name == b".BTF" {
                    scan.btf = Some(idx);
                } else {
                    scan.btf_ext = Some(idx);
                }
            }
            _ if sec.sh_type == elf::SHT_SYMTAB => {}
            _ if sec.sh_type == elf::SHT_PROGBITS && !sec.data.is_empty() => {
                if sec.is_exec() {
                    if sec.name == b".text" {
                        obj.text_shndx = Some(idx);
                    }
                    add_programs(obj, elf, sec)?;
                } else if sec.name == b".data" || sec.name.starts_with(b".data.") {
                    scan.kinds[idx] = SecKind::Data(DataKind::Data);
                } else if sec.name == b".rodata" || sec.name.starts_with(b".rodata.") {
                    scan.kinds[idx] = SecKind::Data(DataKind::Rodata);
                } else if is_struct_ops_sec(sec.name) {
                    scan.kinds[idx] = SecKind::StructOps;
                    obj.has_st_ops = true;
                } else {
                    crate::pr_info!("elf: skipping unrecognized data section({idx}) {}", lossy(sec.name));
                }
            }
            _ if sec.sh_type == elf::SHT_REL => {
                let target = sec.info as usize;
                if sec.entsize != elf::REL64_SIZE || target >= elf.sections.len() {
                    crate::pr_warn!("elf: relocation section {} of {} is corrupted", lossy(sec.name), obj.path);
                    return Err(Error::FORMAT);
                }
                let rest = sec.name.strip_prefix(b".rel").unwrap_or(b"");
                let wanted = elf.sections[target].is_exec() || is_struct_ops_sec(rest) || rest == b".maps";
                if !wanted {
                    crate::pr_info!(
                        "elf: skipping relo section({idx}) {} for section({target}) {}",
                        lossy(sec.name),
                        lossy(elf.sections[target].name)
                    );
                    continue;
                }
                scan.kinds[idx] = SecKind::Relo;
            }
            _ if sec.sh_type == elf::SHT_NOBITS && (sec.name == b".bss" || sec.name.starts_with(b".bss.")) => {
                scan.kinds[idx] = SecKind::Data(DataKind::Bss);
            }
            _ => crate::pr_info!("elf: skipping section({idx}) {} (size {})", lossy(sec.name), sec.size),
        }
    }

    if !elf.little_endian {
        for p in &mut obj.programs {
            p.insns.iter_mut().for_each(bswap_insn);
        }
        crate::pr_debug!("converted {} BPF programs to native byte order", obj.programs.len());
    }
    obj.programs.sort_by_key(|p| (p.sec_idx, p.sec_insn_off));
    Ok(scan)
}

/// Swaps the byte order of one instruction (and its register nibbles).
fn bswap_insn(insn: &mut bpf_insn) {
    insn.regs = insn.regs.rotate_left(4);
    insn.off = insn.off.swap_bytes();
    insn.imm = insn.imm.swap_bytes();
}

fn insns_from_bytes(data: &[u8]) -> Vec<bpf_insn> {
    data.chunks_exact(8)
        .map(|c| bpf_insn {
            code: c[0],
            regs: c[1],
            off: i16::from_ne_bytes([c[2], c[3]]),
            imm: i32::from_ne_bytes([c[4], c[5], c[6], c[7]]),
        })
        .collect()
}

/// One program per function symbol of executable section `sec`.
fn add_programs(obj: &mut Object, elf: &Elf, sec: &Section) -> Result<()> {
    let sec_name = lossy(sec.name).into_owned();
    for sym in elf.symbols() {
        if sym.shndx != sec.index || sym.kind != elf::STT_FUNC {
            continue;
        }
        let (off, size) = (sym.value, sym.size);
        let Some(name) = sym.name else {
            crate::pr_warn!("sec '{sec_name}': failed to get symbol name for offset {off}");
            return Err(Error::FORMAT);
        };
        let end = off.checked_add(size);
        if end.is_none_or(|e| e > sec.data.len() as u64) {
            crate::pr_warn!("sec '{sec_name}': program at offset {off} crosses section boundary");
            return Err(Error::FORMAT);
        }
        if Some(sec.index) != obj.text_shndx && sym.bind == elf::STB_LOCAL {
            crate::pr_warn!("sec '{sec_name}': program '{}' is static and not supported", lossy(name));
            return Err(Error::NOT_SUPPORTED);
        }
        if size == 0 || size % 8 != 0 || off % 8 != 0 {
            crate::pr_warn!("sec '{sec_name}': corrupted program '{}', offset {off}, size {size}", lossy(name));
            return Err(Error::INVAL);
        }
        crate::pr_debug!(
            "sec '{sec_name}': found program '{}' at insn offset {} ({off} bytes), code size {} insns ({size} bytes)",
            lossy(name),
            off / 8,
            size / 8
        );
        let code = insns_from_bytes(&sec.data[off as usize..(off + size) as usize]);
        let mut prog = Program::new(name, sec.name, sec.index, (off / 8) as usize, code, obj.log_level)?;
        prog.sym_global = sym.bind != elf::STB_LOCAL;
        prog.mark_btf_static = prog.sym_global && (sym.visibility == elf::STV_HIDDEN || sym.visibility == elf::STV_INTERNAL);
        obj.programs.push(prog);
    }
    Ok(())
}

/// Records the object's extern symbols (undefined global/weak, no type).
/// Collects the externs (undefined untyped global or weak symbols) with
/// their BTF, sorted and laid out as libbpf does, and rewrites the extern
/// DATASECs of the BTF for the kernel (see `crate::externs`). Returns the
/// size of the `.kconfig` map to create, if any.
fn collect_externs(obj: &mut Object, elf: &Elf) -> Result<Option<u32>> {
    use crate::externs::{btf_fixup, collect, ExternSymbol};
    let symtab = &elf.sections[elf.symtab_idx];
    if symtab.entsize != 24 {
        return Err(Error::FORMAT);
    }
    let syms: Vec<ExternSymbol> = elf
        .symbols()
        .filter(|sym| reloc::sym_is_extern(sym))
        .filter_map(|sym| {
            let name = sym.name.filter(|n| !n.is_empty())?;
            Some(ExternSymbol { sym_idx: sym.index, name: lossy(name).into_owned(), is_weak: sym.bind == elf::STB_WEAK })
        })
        .collect();
    let dummy = match btf_info::btf_mut(obj)? {
        Some(b) => btf_fixup::add_dummy_ksym_var(b)?,
        None => 0,
    };
    crate::pr_debug!("looking for externs among {} symbols...", elf.symbols().count());
    let layout = collect::collect_externs(obj.btf.as_deref().map(|b| b as &dyn crate::relo::view::TypeView), &syms)?;
    if let Some(b) = btf_info::btf_mut(obj)? {
        btf_fixup::fixup_extern_sections(b, &layout, dummy)?;
    }
    obj.externs = layout.externs;
    Ok(layout.kconfig_size)
}

/// The `.kconfig` map (after the global data maps), sized for the kconfig externs.
fn init_kconfig_map(obj: &mut Object, size: Option<u32>) -> Result<()> {
    let Some(size) = size else { return Ok(()) };
    let mut map = map_def::new_internal_map(obj.name.as_bytes(), DataKind::Kconfig, b".kconfig", obj.symbols_shndx, size as usize, None)?;
    btf_info::fill_internal_map_info(obj.btf.as_deref(), &mut map);
    crate::pr_debug!("map '{}' (global data): at sec_idx {}, offset 0, flags {:x}.", map.name_str(), obj.symbols_shndx, map.def.map_flags);
    obj.kconfig_map = Some(obj.maps.len());
    obj.maps.push(map);
    Ok(())
}

/// Builds the maps: BTF-defined ones, then one per non-empty global data
/// section.
fn init_maps(obj: &mut Object, elf: &Elf, scan: &Scan, opts: &OpenOptions) -> Result<()> {
    if obj.has_st_ops {
        crate::pr_warn!("struct_ops init: struct_ops maps are not supported yet");
        return Err(Error::NOT_SUPPORTED);
    }
    btf_info::init_btf_maps(obj, elf, !opts.relaxed_maps, opts.pin_root_path.as_deref())?;
    for (idx, kind) in scan.kinds.iter().enumerate() {
        let SecKind::Data(kind) = *kind else { continue };
        let sec = &elf.sections[idx];
        let size = sec.data_size();
        if size == 0 {
            continue;
        }
        if kind == DataKind::Rodata {
            obj.has_rodata = true;
        }
        let init = (kind != DataKind::Bss).then_some(sec.data);
        let mut map = map_def::new_internal_map(obj.name.as_bytes(), kind, sec.name, idx, size, init)?;
        btf_info::fill_internal_map_info(obj.btf.as_deref(), &mut map);
        crate::pr_debug!(
            "map '{}' (global data): at sec_idx {idx}, offset 0, flags {:x}.",
            map.name_str(),
            map.def.map_flags
        );
        obj.maps.push(map);
    }
    Ok(())
}

/// Gives each entry-point program the type and attach type of its SEC()
/// definition (subprograms have none, and are not reported).
fn init_progs(obj: &mut Object) {
    for i in 0..obj.programs.len() {
        if obj.is_subprog(i) {
            continue;
        }
        let p = &mut obj.programs[i];
        let sec = p.sec_name_str().into_owned();
        match sec_def::find(&sec) {
            Some(d) => {
                p.prog_type = d.prog_type;
                p.expected_attach_type = d.expected_attach_type;
                p.sec_def = Some(d);
            }
            None => crate::pr_debug!("prog '{}': unrecognized ELF section name '{sec}'", p.name_str()),
        }
    }
}

/// Reads every relocation section: program relocations and `.maps` ones
/// (`values` initialisers).
fn collect_relos(obj: &mut Object, elf: &Elf, scan: &Scan) -> Result<()> {
    for (idx, kind) in scan.kinds.iter().enumerate() {
        if *kind != SecKind::Relo {
            continue;
        }
        let sec = &elf.sections[idx];
        let target = sec.info as usize;
        if scan.kinds.get(target) == Some(&SecKind::StructOps) {
            crate::pr_warn!("struct_ops maps are not supported yet");
            return Err(Error::NOT_SUPPORTED);
        } else if Some(target) == obj.maps_shndx {
            collect_map_relos(obj, elf, sec)?;
        } else {
            collect_prog_relos(obj, elf, scan, sec)?;
        }
    }
    for p in &mut obj.programs {
        reloc::sort(&mut p.relos);
    }
    Ok(())
}

fn collect_prog_relos(obj: &mut Object, elf: &Elf, scan: &Scan, rel_sec: &Section) -> Result<()> {
    let target_idx = rel_sec.info as usize;
    let target = &elf.sections[target_idx];
    let relo_name = lossy(rel_sec.name).into_owned();
    crate::pr_debug!("sec '{relo_name}': collecting relocation for section({target_idx}) '{}'", lossy(target.name));
    let sites: Vec<MapSite> = obj.maps.iter().map(|m| MapSite { data: m.data, sec_idx: m.sec_idx, sec_offset: m.sec_offset, name: m.name_str().into_owned() }).collect();
    let extern_syms: Vec<usize> = obj.externs.iter().map(|e| e.sym_idx).collect();
    let kinds = &scan.kinds;
    let data_sections = |i: usize| match kinds.get(i) {
        Some(SecKind::Data(k)) => Some(*k),
        _ => None,
    };
    let section_name = |i: usize| elf.section(i).map(|s| lossy(s.name).into_owned()).unwrap_or_else(|| "<?>".into());
    let ctx = RelocContext {
        text_shndx: obj.text_shndx,
        maps_shndx: obj.maps_shndx,
        symbols_shndx: obj.symbols_shndx,
        data_sections: &data_sections,
        maps: &sites,
        extern_syms: &extern_syms,
        section_name: &section_name,
    };
    for (i, rel) in elf.rels(rel_sec)?.iter().enumerate() {
        let Some(sym) = elf.symbol(rel.sym) else {
            crate::pr_warn!("sec '{relo_name}': symbol #{} not found for relo #{i}", rel.sym);
            return Err(Error::FORMAT);
        };
        if sym.shndx >= elf.sections.len() && sym.shndx < elf::SHN_LORESERVE {
            crate::pr_warn!(
                "sec '{relo_name}': corrupted symbol #{} pointing to invalid section #{} for relo #{i}",
                rel.sym,
                sym.shndx
            );
            return Err(Error::FORMAT);
        }
        if rel.offset % 8 != 0 || rel.offset >= target.data.len() as u64 {
            crate::pr_warn!("sec '{relo_name}': invalid offset 0x{:x} for relo #{i}", rel.offset);
            return Err(Error::FORMAT);
        }
        let insn_idx = (rel.offset / 8) as usize;
        let sym_name = if sym.kind == elf::STT_SECTION && sym.name_off == 0 {
            section_name(sym.shndx)
        } else {
            sym.name.map(|n| lossy(n).into_owned()).unwrap_or_else(|| "<?".into())
        };
        crate::pr_debug!("sec '{relo_name}': relo #{i}: insn #{insn_idx} against '{sym_name}'");
        let Some(pi) = super::subprog::find_prog_by_sec_insn(&obj.programs, target_idx, insn_idx) else {
            crate::pr_debug!(
                "sec '{relo_name}': relo #{i}: couldn't find program in section '{}' for insn #{insn_idx}, probably overridden weak function, skipping...",
                lossy(target.name)
            );
            continue;
        };
        let prog = &obj.programs[pi];
        let local = insn_idx - prog.sec_insn_off;
        let r = reloc::record(&ctx, &prog.name_str(), &prog.insns[local], local, &sym, &sym_name)?;
        obj.programs[pi].relos.push(r);
    }
    Ok(())
}

/// `.rel.maps`: pointers in `values` of prog arrays and maps of maps.
fn collect_map_relos(obj: &mut Object, elf: &Elf, rel_sec: &Section) -> Result<()> {
    let rels = elf.rels(rel_sec)?;
    let map_ranges: HashMap<usize, (u64, u64)> = obj.maps.iter().enumerate().filter(|(_, m)| m.data.is_none()).map(|(i, m)| (i, map_var_range(m))).collect();
    for (i, rel) in rels.iter().enumerate() {
        let Some(sym) = elf.symbol(rel.sym) else {
            crate::pr_warn!(".maps relo #{i}: symbol {:x} not found", rel.sym);
            return Err(Error::FORMAT);
        };
        let name = sym.name.map(|n| lossy(n).into_owned()).unwrap_or_else(|| "<?>".into());
        let found = map_ranges.iter().find(|(_, (start, size))| *start <= rel.offset && rel.offset.saturating_add(8) <= start.saturating_add(*size));
        let Some((&mi, &(start, _))) = found else {
            crate::pr_warn!(".maps relo #{i}: cannot find map '{name}' at rel->r_offset {}", rel.offset);
            return Err(Error::INVAL);
        };
        let map = &obj.maps[mi];
        let target = if map.is_map_in_map() {
            if Some(sym.shndx) != obj.maps_shndx {
                crate::pr_warn!(".maps relo #{i}: '{name}' isn't a BTF-defined map");
                return Err(Error::RELOC);
            }
            if map.def.map_type == crate::uapi::bpf_enums::map::HASH_OF_MAPS && map.def.key_size != 4 {
                crate::pr_warn!(".maps relo #{i}: hash-of-maps '{}' should have key size 4.", map.name_str());
                return Err(Error::INVAL);
            }
            match sym.name.and_then(|n| obj.find_map(n)) {
                Some(t) => Slot::Map(t),
                None => {
                    crate::pr_warn!(".maps relo #{i}: '{name}' isn't a valid map reference");
                    return Err(Error::new(libc::ESRCH));
                }
            }
        } else if map.def.map_type == crate::uapi::bpf_enums::map::PROG_ARRAY {
            let Some(t) = sym.name.and_then(|n| obj.find_program(n)) else {
                crate::pr_warn!(".maps relo #{i}: '{name}' isn't a valid program reference");
                return Err(Error::new(libc::ESRCH));
            };
            let p = &obj.programs[t];
            if p.sec_idx != sym.shndx || (p.sec_insn_off as u64) * 8 != sym.value || obj.is_subprog(t) {
                crate::pr_warn!(".maps relo #{i}: '{name}' isn't an entry-point program");
                return Err(Error::RELOC);
            }
            Slot::Prog(t)
        } else {
            return Err(Error::INVAL);
        };
        let values_off = map.values_offset.ok_or(Error::INVAL)?;
        let off = rel.offset - start;
        if off < values_off as u64 {
            return Err(Error::INVAL);
        }
        let off = off - values_off as u64;
        if off % 8 != 0 {
            return Err(Error::INVAL);
        }
        let slot = (off / 8) as usize;
        let map = &mut obj.maps[mi];
        if slot >= map.init_slots.len() {
            map.init_slots.resize(slot + 1, None);
        }
        map.init_slots[slot] = Some(target);
        crate::pr_debug!(".maps relo #{i}: map '{}' slot [{slot}] points to {}", map.name_str(), name);
    }
    Ok(())
}

/// Offset and size of a BTF-defined map's variable in `.maps`.
fn map_var_range(m: &Map) -> (u64, u64) {
    (m.sec_offset, m.var_size)
}
