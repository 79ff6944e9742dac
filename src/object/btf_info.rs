//! What the object loader reads from (and fixes in) the object's BTF at
//! open: DATASEC sizes and variable offsets clang leaves out, BTF-defined
//! maps of `.maps` (every attribute, inner-map templates, `values`), the
//! BTF types of global data maps and whether they can be mmap()ed.

use std::ffi::CString;
use std::sync::Arc;

use crate::btf::{Btf, BtfExt, Type};
use crate::error::{Error, Result};
use crate::uapi::bpf_enums::{map as mt, map_flags};
use crate::uapi::btf::*;

use super::elf::{self, lossy, Elf};
use super::map_def::{self, Map, MapDef, PIN_BY_NAME};
use super::subprog::{ExtInfos, ExtSec};
use super::Object;

/// Parses `.BTF` and `.BTF.ext`. A bad `.BTF` is fatal only when the object
/// needs BTF (BTF-defined maps, struct_ops, externs); a bad `.BTF.ext` is
/// ignored with a warning.
pub fn init_btf(o: &mut Object, elf: &Elf, btf: Option<&[u8]>, ext: Option<&[u8]>) -> Result<()> {
    let needs_btf = o.maps_shndx.is_some() || o.has_st_ops || !o.externs.is_empty();
    let Some(data) = btf else {
        if ext.is_some() {
            crate::pr_debug!("Ignore ELF section .BTF.ext because its depending ELF section .BTF is not found.");
        }
        if needs_btf {
            crate::pr_warn!("BTF is required, but is missing or corrupted.");
            return Err(Error::NOENT);
        }
        return Ok(());
    };
    let mut b = match Btf::parse(data) {
        Ok(b) => b,
        Err(e) => {
            crate::pr_warn!("Error loading ELF section .BTF: {e}.");
            if needs_btf {
                crate::pr_warn!("BTF is required, but is missing or corrupted.");
                return Err(e);
            }
            return Ok(());
        }
    };
    b.set_pointer_size(8).ok();
    if let Some(ext) = ext {
        match BtfExt::parse(ext) {
            Ok(x) => {
                o.ext_infos = ext_infos(&b, elf, &x);
                o.has_core_relos = x.core_relo_sections().any(|s| !s.is_empty());
                o.btf_ext = Some(x);
            }
            Err(e) => crate::pr_warn!("Error loading ELF section .BTF.ext: {e}. Ignored and continue."),
        }
    }
    o.btf = Some(Arc::new(b));
    Ok(())
}

/// func_info and line_info records by ELF section index.
fn ext_infos(b: &Btf, elf: &Elf, x: &BtfExt) -> ExtInfos {
    let conv = |secs: &mut dyn Iterator<Item = crate::btf::InfoSec<'_>>| -> Vec<ExtSec> {
        secs.map(|s| {
            let name = b.str_bytes(s.sec_name_off).unwrap_or(b"");
            let sec_idx = if name.is_empty() { None } else { elf.section_by_name(name).map(|sec| sec.index) };
            let words = s.data.chunks_exact(4).map(|c| u32::from_ne_bytes([c[0], c[1], c[2], c[3]])).collect();
            ExtSec { sec_idx, rec_size: s.rec_size, words }
        })
        .collect()
    };
    ExtInfos { func: conv(&mut x.func_info_sections()), line: conv(&mut x.line_info_sections()) }
}

/// The object's BTF, mutable (it is shared only once handed to C as a
/// base of split BTF; then it can no longer change: `EBUSY`).
pub fn btf_mut(o: &mut Object) -> Result<Option<&mut Btf>> {
    match o.btf.as_mut() {
        None => Ok(None),
        Some(a) => Arc::get_mut(a).map(Some).ok_or(Error::BUSY),
    }
}

/// Clang leaves DATASEC sizes and variable offsets at 0: they come from the
/// ELF section and symbols. Hidden global variables become static (and so
/// are not mmap()ed for skeletons). Variables are sorted by offset.
pub fn fixup_btf(o: &mut Object, elf: &Elf) -> Result<()> {
    let Some(b) = btf_mut(o)? else { return Ok(()) };
    let ids: Vec<u32> = b.types().filter(|(_, t)| t.is_datasec()).map(|(id, _)| id).collect();
    for id in ids {
        fixup_datasec(b, elf, id)?;
    }
    Ok(())
}

fn fixup_datasec(b: &mut Btf, elf: &Elf, id: u32) -> Result<()> {
    let t = b.type_at(id)?;
    let Some(name) = b.str_bytes(t.name_off()).map(<[u8]>::to_vec) else {
        crate::pr_debug!("No name found in string section for DATASEC kind.");
        return Err(Error::NOENT);
    };
    let shown = lossy(&name).into_owned();
    let mut size = t.size();
    let mut secinfos: Vec<(u32, u32, u32)> = t.secinfos().map(|v| (v.type_id, v.offset, v.size)).collect();
    let mut linkage_fix = Vec::new();
    if name != b".kconfig" && name != b".ksyms" {
        let fixup_offsets = size == 0;
        if fixup_offsets {
            let found = elf.section_by_name(&name).map(|s| s.data_size() as u32).filter(|&s| s != 0);
            let Some(sz) = found else {
                crate::pr_debug!("sec '{shown}': failed to determine size from ELF: size 0, err -ENOENT");
                return Err(Error::NOENT);
            };
            size = sz;
        }
        for (i, v) in secinfos.iter_mut().enumerate() {
            let Some(vt) = b.type_by_id(v.0).filter(Type::is_var) else {
                crate::pr_debug!("sec '{shown}': unexpected non-VAR type found");
                return Err(Error::INVAL);
            };
            let linkage = vt.var_linkage().unwrap_or(0);
            if linkage == BTF_VAR_STATIC || linkage == BTF_VAR_GLOBAL_EXTERN {
                continue;
            }
            let Some(var_name) = b.str_bytes(vt.name_off()).filter(|n| !n.is_empty()) else {
                crate::pr_debug!("sec '{shown}': failed to find name of DATASEC's member #{i}");
                return Err(Error::NOENT);
            };
            let sym = elf.symbols().find(|s| {
                s.kind == elf::STT_OBJECT && (s.bind == elf::STB_GLOBAL || s.bind == elf::STB_WEAK) && s.name == Some(var_name)
            });
            let Some(sym) = sym else {
                crate::pr_debug!("sec '{shown}': failed to find ELF symbol for VAR '{}'", lossy(var_name));
                return Err(Error::NOENT);
            };
            if fixup_offsets {
                v.1 = sym.value as u32;
            }
            if sym.visibility == elf::STV_HIDDEN || sym.visibility == elf::STV_INTERNAL {
                linkage_fix.push(v.0);
            }
        }
    }
    secinfos.sort_by_key(|v| v.1);
    let words = b.type_words_mut(id)?;
    words[2] = size;
    for (i, v) in secinfos.iter().enumerate() {
        let at = 3 + i * 3;
        if let Some(w) = words.get_mut(at..at + 3) {
            w.copy_from_slice(&[v.0, v.1, v.2]);
        }
    }
    for var in linkage_fix {
        if let Some(w) = b.type_words_mut(var)?.get_mut(3) {
            *w = BTF_VAR_STATIC;
        }
    }
    Ok(())
}

/// What a `.maps` definition says (libbpf's `struct btf_map_def`); also
/// compared by the static linker (`src/linker/`).
#[derive(Clone, Debug, Default)]
pub(crate) struct BtfMapDef {
    pub map_type: u32,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub map_flags: u32,
    pub numa_node: u32,
    pub pinning: u32,
    pub map_extra: u64,
    pub key_type_id: u32,
    pub value_type_id: u32,
    pub has_inner: bool,
}

/// libbpf's lower-case kind names, as its messages print them.
fn kind_lower(t: &Type) -> String {
    if t.kind() == BTF_KIND_UNKN {
        return "void".into();
    }
    crate::btf::kind_name(t.kind()).to_ascii_lowercase()
}

/// An integer attribute, encoded as `int (*name)[value]`.
fn field_int(b: &Btf, map: &str, attr: &str, type_id: u32) -> Result<u32> {
    let t = b.skip_mods_and_typedefs(type_id).and_then(|id| b.type_at(id))?;
    if !t.is_ptr() {
        crate::pr_warn!("map '{map}': attr '{attr}': expected PTR, got {}.", kind_lower(&t));
        return Err(Error::INVAL);
    }
    let Some(arr) = b.type_by_id(t.type_id()) else {
        crate::pr_warn!("map '{map}': attr '{attr}': type [{}] not found.", t.type_id());
        return Err(Error::INVAL);
    };
    match arr.array() {
        Some(a) => Ok(a.nelems),
        None => {
            crate::pr_warn!("map '{map}': attr '{attr}': expected ARRAY, got {}.", kind_lower(&arr));
            Err(Error::INVAL)
        }
    }
}

/// A 64-bit attribute: `int (*name)[value]` or an enum with one value.
fn field_long(b: &Btf, map: &str, attr: &str, type_id: u32) -> Result<u64> {
    let t = b.skip_mods_and_typedefs(type_id).and_then(|id| b.type_at(id))?;
    if t.is_ptr() {
        return field_int(b, map, attr, type_id).map(u64::from);
    }
    if !t.is_any_enum() {
        crate::pr_warn!("map '{map}': attr '{attr}': expected ENUM or ENUM64, got {}.", kind_lower(&t));
        return Err(Error::INVAL);
    }
    if t.vlen() != 1 {
        crate::pr_warn!("map '{map}': attr '{attr}': invalid __ulong");
        return Err(Error::INVAL);
    }
    let v = t.enumerators().next().map_or(0, |e| e.value);
    Ok(if t.is_enum() { v as u32 as u64 } else { v })
}

/// Parses a map definition struct (`def`), its inner one into `inner`
/// (None when parsing an inner definition itself).
pub(crate) fn parse_map_def(b: &Btf, map: &str, def: Type, strict: bool, out: &mut BtfMapDef, mut inner: Option<&mut BtfMapDef>) -> Result<()> {
    let is_inner = inner.is_none();
    let vlen = def.vlen() as usize;
    for (i, m) in def.members().enumerate() {
        let Some(name) = b.name(m.name_off) else {
            crate::pr_warn!("map '{map}': invalid field #{i}.");
            return Err(Error::INVAL);
        };
        match name {
            "type" => out.map_type = field_int(b, map, name, m.type_id)?,
            "max_entries" => out.max_entries = field_int(b, map, name, m.type_id)?,
            "map_flags" => out.map_flags = field_int(b, map, name, m.type_id)?,
            "numa_node" => out.numa_node = field_int(b, map, name, m.type_id)?,
            "key_size" | "value_size" => {
                let sz = field_int(b, map, name, m.type_id)?;
                let slot = if name == "key_size" { &mut out.key_size } else { &mut out.value_size };
                let what = &name[..name.len() - 5];
                if *slot != 0 && *slot != sz {
                    crate::pr_warn!("map '{map}': conflicting {what} size {} != {sz}.", *slot);
                    return Err(Error::INVAL);
                }
                *slot = sz;
            }
            "key" | "value" => {
                let Some(t) = b.type_by_id(m.type_id) else {
                    crate::pr_warn!("map '{map}': {name} type [{}] not found.", m.type_id);
                    return Err(Error::INVAL);
                };
                if !t.is_ptr() {
                    crate::pr_warn!("map '{map}': {name} spec is not PTR: {}.", kind_lower(&t));
                    return Err(Error::INVAL);
                }
                let sz = b.resolve_size(t.type_id()).map_err(|e| {
                    crate::pr_warn!("map '{map}': can't determine {name} size for type [{}]: {}.", t.type_id(), e.neg());
                    e
                })?;
                let (slot, id) = if name == "key" { (&mut out.key_size, &mut out.key_type_id) } else { (&mut out.value_size, &mut out.value_type_id) };
                if *slot != 0 && *slot != sz {
                    crate::pr_warn!("map '{map}': conflicting {name} size {} != {sz}.", *slot);
                    return Err(Error::INVAL);
                }
                *slot = sz;
                *id = t.type_id();
            }
            "values" => {
                let is_map_in_map = map_def::is_map_in_map(out.map_type);
                let is_prog_array = out.map_type == mt::PROG_ARRAY;
                let desc = if is_map_in_map { "map-in-map inner" } else { "prog-array value" };
                if is_inner {
                    crate::pr_warn!("map '{map}': multi-level inner maps not supported.");
                    return Err(Error::NOT_SUPPORTED);
                }
                if i != vlen - 1 {
                    crate::pr_warn!("map '{map}': '{name}' member should be last.");
                    return Err(Error::INVAL);
                }
                if !is_map_in_map && !is_prog_array {
                    crate::pr_warn!("map '{map}': should be map-in-map or prog-array.");
                    return Err(Error::NOT_SUPPORTED);
                }
                if out.value_size != 0 && out.value_size != 4 {
                    crate::pr_warn!("map '{map}': conflicting value size {} != 4.", out.value_size);
                    return Err(Error::INVAL);
                }
                out.value_size = 4;
                let Some(t) = b.type_by_id(m.type_id) else {
                    crate::pr_warn!("map '{map}': {desc} type [{}] not found.", m.type_id);
                    return Err(Error::INVAL);
                };
                let Some(arr) = t.array().filter(|a| a.nelems == 0) else {
                    crate::pr_warn!("map '{map}': {desc} spec is not a zero-sized array.");
                    return Err(Error::INVAL);
                };
                let ptr = b.skip_mods_and_typedefs(arr.elem_type).and_then(|id| b.type_at(id))?;
                if !ptr.is_ptr() {
                    crate::pr_warn!("map '{map}': {desc} def is of unexpected kind {}.", kind_lower(&ptr));
                    return Err(Error::INVAL);
                }
                let target = b.skip_mods_and_typedefs(ptr.type_id()).and_then(|id| b.type_at(id))?;
                if is_prog_array {
                    if !target.is_func_proto() {
                        crate::pr_warn!("map '{map}': prog-array value def is of unexpected kind {}.", kind_lower(&target));
                        return Err(Error::INVAL);
                    }
                    continue;
                }
                if !target.is_struct() {
                    crate::pr_warn!("map '{map}': map-in-map inner def is of unexpected kind {}.", kind_lower(&target));
                    return Err(Error::INVAL);
                }
                let inner_name = format!("{map}.inner");
                let inner_def = inner.as_deref_mut().ok_or(Error::INVAL)?;
                parse_map_def(b, &inner_name, target, strict, inner_def, None)?;
                out.has_inner = true;
            }
            "pinning" => {
                if is_inner {
                    crate::pr_warn!("map '{map}': inner def can't be pinned.");
                    return Err(Error::INVAL);
                }
                let v = field_int(b, map, name, m.type_id)?;
                if v != 0 && v != PIN_BY_NAME {
                    crate::pr_warn!("map '{map}': invalid pinning value {v}.");
                    return Err(Error::INVAL);
                }
                out.pinning = v;
            }
            "map_extra" => out.map_extra = field_long(b, map, name, m.type_id)?,
            _ => {
                if strict {
                    crate::pr_warn!("map '{map}': unknown field '{name}'.");
                    return Err(Error::NOT_SUPPORTED);
                }
                crate::pr_debug!("map '{map}': ignoring unknown field '{name}'.");
            }
        }
    }
    if out.map_type == mt::UNSPEC {
        crate::pr_warn!("map '{map}': map type isn't specified.");
        return Err(Error::INVAL);
    }
    Ok(())
}

fn fill_map(m: &mut Map, d: &BtfMapDef) {
    m.def = MapDef { map_type: d.map_type, key_size: d.key_size, value_size: d.value_size, max_entries: d.max_entries, map_flags: d.map_flags };
    m.map_extra = d.map_extra;
    m.numa_node = d.numa_node;
    m.btf_key_type_id = d.key_type_id;
    m.btf_value_type_id = d.value_type_id;
    m.adjust_ringbuf_size();
    crate::pr_debug!("map '{}': found type = {}.", m.name_str(), d.map_type);
}

/// The BTF-defined maps of `.maps`, in DATASEC order.
pub fn init_btf_maps(o: &mut Object, elf: &Elf, strict: bool, pin_root: Option<&str>) -> Result<()> {
    let Some(shndx) = o.maps_shndx else { return Ok(()) };
    let Some(b) = o.btf.clone() else { return Err(Error::NOENT) };
    let data_len = elf.sections[shndx].data_size() as u64;
    let Ok(sec_id) = b.find_by_name_kind(b".maps", BTF_KIND_DATASEC) else {
        crate::pr_warn!("DATASEC '.maps' not found.");
        return Err(Error::NOENT);
    };
    let sec = b.type_at(sec_id)?;
    for (var_idx, vi) in sec.secinfos().enumerate() {
        let var = b.type_by_id(vi.type_id).unwrap_or_else(|| Type::void());
        let name = b.str_bytes(var.name_off()).unwrap_or(b"");
        if name.is_empty() {
            crate::pr_warn!("map #{var_idx}: empty name.");
            return Err(Error::INVAL);
        }
        let shown = lossy(name).into_owned();
        if vi.offset as u64 + vi.size as u64 > data_len {
            crate::pr_warn!("map '{shown}' BTF data is corrupted.");
            return Err(Error::INVAL);
        }
        if !var.is_var() {
            crate::pr_warn!("map '{shown}': unexpected var kind {}.", kind_lower(&var));
            return Err(Error::INVAL);
        }
        let linkage = var.var_linkage().unwrap_or(0);
        if linkage != BTF_VAR_GLOBAL_ALLOCATED {
            let l = match linkage {
                BTF_VAR_STATIC => "static",
                BTF_VAR_GLOBAL_EXTERN => "extern",
                _ => "unknown",
            };
            crate::pr_warn!("map '{shown}': unsupported map linkage {l}.");
            return Err(Error::NOT_SUPPORTED);
        }
        let def = b.skip_mods_and_typedefs(var.type_id()).and_then(|id| b.type_at(id))?;
        if !def.is_struct() {
            crate::pr_warn!("map '{shown}': unexpected def kind {}.", kind_lower(&var));
            return Err(Error::INVAL);
        }
        if def.size() > vi.size {
            crate::pr_warn!("map '{shown}': invalid def size.");
            return Err(Error::INVAL);
        }
        let mut m = Map::new(CString::new(name).map_err(|_| Error::INVAL)?);
        m.sec_idx = shndx;
        m.sec_offset = vi.offset as u64;
        m.btf_var_idx = var_idx;
        m.var_size = vi.size as u64;
        crate::pr_debug!("map '{shown}': at sec_idx {shndx}, offset {}.", vi.offset);
        let (mut d, mut inner) = (BtfMapDef::default(), BtfMapDef::default());
        parse_map_def(&b, &shown, def, strict, &mut d, Some(&mut inner))?;
        fill_map(&mut m, &d);
        if let Some(last) = def.members().last().filter(|mm| b.name(mm.name_off) == Some("values")) {
            m.values_offset = Some(last.bit_offset / 8);
        }
        if d.pinning == PIN_BY_NAME {
            let root = pin_root.unwrap_or(map_def::BPF_FS_DEFAULT_PATH);
            let path = super::pin::join(root, &shown).map_err(|e| {
                crate::pr_warn!("map '{shown}': couldn't build pin path.");
                e
            })?;
            m.pin_path = Some(CString::new(path).map_err(|_| Error::INVAL)?);
        }
        if d.has_inner {
            let mut im = Map::new(CString::new(format!("{shown}.inner")).map_err(|_| Error::INVAL)?);
            im.sec_idx = shndx;
            fill_map(&mut im, &inner);
            m.inner = Some(Box::new(im));
        }
        o.maps.push(m);
    }
    if o.maps.iter().any(|m| m.def.map_type == mt::ARENA) {
        crate::pr_warn!("arena maps are not supported yet");
        return Err(Error::NOT_SUPPORTED);
    }
    Ok(())
}

/// A global data map's value type (its DATASEC) and, when a global
/// (non-hidden) variable lives in it, `BPF_F_MMAPABLE`.
pub fn fill_internal_map_info(b: Option<&Btf>, m: &mut Map) {
    let Some(b) = b else { return };
    let Some(real) = m.real_name.as_ref() else { return };
    let Ok(id) = b.find_by_name(real.as_bytes()) else { return };
    m.btf_key_type_id = 0;
    m.btf_value_type_id = id;
    let Some(t) = b.type_by_id(id).filter(Type::is_datasec) else { return };
    let mmapable = t.secinfos().any(|v| b.type_by_id(v.type_id).is_some_and(|vt| vt.is_var() && vt.var_linkage() != Some(BTF_VAR_STATIC)));
    if mmapable {
        m.def.map_flags |= map_flags::MMAPABLE;
    }
}

/// Offset of variable `var` in DATASEC `datasec_id`; None when the section
/// has no such variable; `EINVAL` when `datasec_id` is not a DATASEC.
pub fn datasec_var_offset(o: &Object, datasec_id: u32, var: &[u8]) -> Result<Option<u32>> {
    let Some(b) = o.btf.as_deref() else {
        crate::pr_warn!("subskeletons require BTF at runtime (object {})", o.name_str());
        return Err(Error::INVAL);
    };
    let t = b.type_by_id(datasec_id).filter(Type::is_datasec).ok_or(Error::INVAL)?;
    Ok(t.secinfos().find(|v| b.type_by_id(v.type_id).is_some_and(|vt| b.str_bytes(vt.name_off()) == Some(var))).map(|v| v.offset))
}

/// `bpf_map__set_value_size()` on a global data map: the last variable of
/// its DATASEC, an array, grows or shrinks to fill `size` bytes.
pub fn resize_datasec(o: &mut Object, idx: usize, size: u32) -> Result<()> {
    let value_id = o.maps[idx].btf_value_type_id;
    let map_name = o.maps[idx].user_name().to_string_lossy().into_owned();
    let Some(b) = btf_mut(o)? else { return Err(Error::NOENT) };
    let ds = b.type_by_id(value_id).unwrap_or_else(|| Type::void());
    if !ds.is_datasec() {
        crate::pr_warn!("map '{map_name}': cannot be resized, map value type is not a datasec");
        return Err(Error::INVAL);
    }
    let vlen = ds.vlen() as usize;
    let Some(last) = ds.secinfos().last() else {
        crate::pr_warn!("map '{map_name}': cannot be resized, map value datasec is empty");
        return Err(Error::INVAL);
    };
    let var = b.type_at(last.type_id)?;
    let arr_id = b.skip_mods_and_typedefs(var.type_id())?;
    let Some(arr) = b.type_at(arr_id)?.array() else {
        crate::pr_warn!("map '{map_name}': cannot be resized, last var must be an array");
        return Err(Error::INVAL);
    };
    let elem = b.resolve_size(arr.elem_type).unwrap_or(0);
    if elem == 0 || size < last.offset || (size - last.offset) % elem != 0 {
        crate::pr_warn!("map '{map_name}': cannot be resized, element size ({elem}) doesn't align with new total size ({size})");
        return Err(Error::INVAL);
    }
    let new_arr = b.add_array(arr.index_type, arr.elem_type, (size - last.offset) / elem)?;
    let last_var = last.type_id;
    let words = b.type_words_mut(value_id)?;
    words[2] = size;
    let at = 3 + (vlen - 1) * 3 + 2;
    if let Some(w) = words.get_mut(at) {
        *w = size - last.offset;
    }
    b.type_words_mut(last_var)?[2] = new_arr;
    Ok(())
}
