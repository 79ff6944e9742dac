//! Symbols: locals are copied; globals are resolved by name across objects
//! (extern to definition, strong over weak, strong against strong is a
//! conflict), after checking with BTF that both declarations agree.

use super::elf64::*;
use super::input::{show, str_at, SrcObj, BTF_EXTERN_SEC};
use super::{GlobSym, Linker};
use crate::btf::{Btf, Type};
use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::object::btf_info::{parse_map_def, BtfMapDef};
use crate::uapi::btf::*;

/// The section of jump tables (kept as is, never resolved).
const JUMPTABLES_SEC: &[u8] = b".jumptables";
/// Most type records one BTF compatibility check visits.
const MAX_MATCH_STEPS: usize = 100_000;

/// libbpf's lower-case kind names, as its messages print them.
pub fn kind_str(t: &Type) -> &'static str {
    match t.kind() {
        BTF_KIND_UNKN => "void",
        BTF_KIND_INT => "int",
        BTF_KIND_PTR => "ptr",
        BTF_KIND_ARRAY => "array",
        BTF_KIND_STRUCT => "struct",
        BTF_KIND_UNION => "union",
        BTF_KIND_ENUM => "enum",
        BTF_KIND_FWD => "fwd",
        BTF_KIND_TYPEDEF => "typedef",
        BTF_KIND_VOLATILE => "volatile",
        BTF_KIND_CONST => "const",
        BTF_KIND_RESTRICT => "restrict",
        BTF_KIND_FUNC => "func",
        BTF_KIND_FUNC_PROTO => "func_proto",
        BTF_KIND_VAR => "var",
        BTF_KIND_DATASEC => "datasec",
        BTF_KIND_FLOAT => "float",
        BTF_KIND_DECL_TAG => "decl_tag",
        BTF_KIND_TYPE_TAG => "type_tag",
        BTF_KIND_ENUM64 => "enum64",
        _ => "unknown",
    }
}

/// A VAR or FUNC that is not static.
pub fn is_non_static(t: &Type) -> bool {
    (t.is_var() && t.var_linkage() != Some(BTF_VAR_STATIC)) || (t.is_func() && t.vlen() != BTF_FUNC_STATIC)
}

fn name_of<'b>(btf: &'b Btf, t: &Type) -> &'b str {
    btf.name(t.name_off()).unwrap_or("")
}

/// Whether type `id1` of `btf1` and `id2` of `btf2` declare the same thing
/// for global `sym`: same kinds and names, sizes of scalars, members of
/// structs (only when `exact`; behind pointers only the shape counts and a
/// forward declaration matches its struct or union), prototypes; array
/// lengths and parameter names are ignored. Says why in a message when not.
pub fn btf_types_match(sym: &str, exact: bool, btf1: &Btf, id1: u32, btf2: &Btf, id2: u32) -> bool {
    let mut steps = MAX_MATCH_STEPS;
    types_match(sym, exact, btf1, id1, btf2, id2, &mut steps)
}

fn types_match(sym: &str, mut exact: bool, b1: &Btf, mut id1: u32, b2: &Btf, mut id2: u32, steps: &mut usize) -> bool {
    loop {
        if *steps == 0 {
            pr_warn!("global '{sym}': type graph too large to compare");
            return false;
        }
        *steps -= 1;
        let (Ok(i1), Ok(i2)) = (b1.skip_mods_and_typedefs(id1), b2.skip_mods_and_typedefs(id2)) else {
            pr_warn!("global '{sym}': invalid BTF type");
            return false;
        };
        let (Ok(t1), Ok(t2)) = (b1.type_at(i1), b2.type_at(i2)) else {
            pr_warn!("global '{sym}': invalid BTF type");
            return false;
        };
        if !exact && t1.is_fwd() != t2.is_fwd() {
            let (n1, n2) = (name_of(b1, &t1), name_of(b2, &t2));
            if n1 != n2 {
                pr_warn!("global '{sym}': incompatible forward declaration names '{n1}' and '{n2}'");
                return false;
            }
            let (fwd, other) = if t1.is_fwd() { (t1, t2) } else { (t2, t1) };
            if (fwd.kflag() && other.is_union()) || (!fwd.kflag() && other.is_struct()) {
                return true;
            }
            let what = if fwd.kflag() { "union" } else { "struct" };
            pr_warn!("global '{sym}': incompatible {what} forward declaration and concrete kind {}", kind_str(&other));
            return false;
        }
        if t1.kind() != t2.kind() {
            pr_warn!("global '{sym}': incompatible BTF kinds {} and {}", kind_str(&t1), kind_str(&t2));
            return false;
        }
        // libbpf prints a NULL name, "(null)", for the kinds it doesn't name.
        let mut n1 = "(null)";
        if matches!(
            t1.kind(),
            BTF_KIND_STRUCT | BTF_KIND_UNION | BTF_KIND_ENUM | BTF_KIND_ENUM64 | BTF_KIND_FWD | BTF_KIND_FUNC | BTF_KIND_VAR
        ) {
            let n2 = name_of(b2, &t2);
            n1 = name_of(b1, &t1);
            if n1 != n2 {
                pr_warn!("global '{sym}': incompatible {} names '{n1}' and '{n2}'", kind_str(&t1));
                return false;
            }
        }
        match t1.kind() {
            BTF_KIND_UNKN | BTF_KIND_FWD => return true,
            BTF_KIND_INT | BTF_KIND_FLOAT | BTF_KIND_ENUM | BTF_KIND_ENUM64 => {
                if t1.size() != t2.size() {
                    pr_warn!("global '{sym}': incompatible {} '{n1}' size {} and {}", kind_str(&t1), t1.size(), t2.size());
                    return false;
                }
                return true;
            }
            BTF_KIND_PTR => {
                exact = false;
                (id1, id2) = (t1.type_id(), t2.type_id());
            }
            BTF_KIND_ARRAY => {
                let (Some(a1), Some(a2)) = (t1.array(), t2.array()) else { return false };
                (id1, id2) = (a1.elem_type, a2.elem_type);
            }
            BTF_KIND_FUNC => {
                if (t1.vlen() == BTF_FUNC_STATIC) != (t2.vlen() == BTF_FUNC_STATIC) {
                    pr_warn!("global '{sym}': incompatible func '{n1}' linkage");
                    return false;
                }
                (id1, id2) = (t1.type_id(), t2.type_id());
            }
            BTF_KIND_VAR => {
                if (t1.var_linkage() == Some(BTF_VAR_STATIC)) != (t2.var_linkage() == Some(BTF_VAR_STATIC)) {
                    pr_warn!("global '{sym}': incompatible var '{n1}' linkage");
                    return false;
                }
                (id1, id2) = (t1.type_id(), t2.type_id());
            }
            BTF_KIND_STRUCT | BTF_KIND_UNION => {
                if !exact {
                    return true;
                }
                if t1.vlen() != t2.vlen() {
                    pr_warn!("global '{sym}': incompatible number of {} fields {} and {}", kind_str(&t1), t1.vlen(), t2.vlen());
                    return false;
                }
                for (i, (m1, m2)) in t1.members().zip(t2.members()).enumerate() {
                    let (mn1, mn2) = (b1.name(m1.name_off).unwrap_or(""), b2.name(m2.name_off).unwrap_or(""));
                    if mn1 != mn2 {
                        pr_warn!("global '{sym}': incompatible field #{i} names '{mn1}' and '{mn2}'");
                        return false;
                    }
                    if m1.offset != m2.offset {
                        pr_warn!("global '{sym}': incompatible field #{i} ('{mn1}') offsets");
                        return false;
                    }
                    if !types_match(sym, exact, b1, m1.type_id, b2, m2.type_id, steps) {
                        return false;
                    }
                }
                return true;
            }
            BTF_KIND_FUNC_PROTO => {
                if t1.vlen() != t2.vlen() {
                    pr_warn!("global '{sym}': incompatible number of {} params {} and {}", kind_str(&t1), t1.vlen(), t2.vlen());
                    return false;
                }
                for (p1, p2) in t1.params().zip(t2.params()) {
                    if !types_match(sym, exact, b1, p1.type_id, b2, p2.type_id, steps) {
                        return false;
                    }
                }
                (id1, id2) = (t1.type_id(), t2.type_id());
            }
            _ => {
                pr_warn!("global '{sym}': unsupported BTF kind {}", kind_str(&t1));
                return false;
            }
        }
    }
}

/// Whether two parsed map definitions agree (inner maps included).
fn map_defs_match(sym: &str, b1: &Btf, d1: &BtfMapDef, i1: Option<&BtfMapDef>, b2: &Btf, d2: &BtfMapDef, i2: Option<&BtfMapDef>) -> bool {
    let reason = if d1.map_type != d2.map_type {
        "type"
    } else if d1.key_size != d2.key_size {
        "key_size"
    } else if (d1.key_type_id != 0) != (d2.key_type_id != 0)
        || (d1.key_type_id != 0 && !btf_types_match(sym, true, b1, d1.key_type_id, b2, d2.key_type_id))
    {
        "key type"
    } else if d1.value_size != d2.value_size {
        "value_size"
    } else if (d1.value_type_id != 0) != (d2.value_type_id != 0) {
        "value type"
    } else if d1.value_type_id != 0 && !btf_types_match(sym, true, b1, d1.value_type_id, b2, d2.value_type_id) {
        // libbpf names this case "key type" too.
        "key type"
    } else if d1.max_entries != d2.max_entries {
        "max_entries"
    } else if d1.map_flags != d2.map_flags {
        "map_flags"
    } else if d1.numa_node != d2.numa_node {
        "numa_node"
    } else if d1.pinning != d2.pinning {
        "pinning"
    } else if d1.has_inner != d2.has_inner {
        "inner map"
    } else {
        if d1.has_inner {
            if let (Some(i1), Some(i2)) = (i1, i2) {
                return map_defs_match(&format!("{sym}.inner"), b1, i1, None, b2, i2, None);
            }
        }
        return true;
    };
    pr_warn!("global '{sym}': map {reason} mismatch");
    false
}

/// Where the BTF of each global name of an object is (see
/// `Linker::find_glob_sym_btf`), found in one pass over its types.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct GlobBtf {
    /// The first non-static DATASEC entry: (DATASEC id, its type, the last
    /// non-static VAR/FUNC of the name before that DATASEC or 0).
    first_in_datasec: Option<(u32, u32, u32)>,
    /// The last non-static VAR/FUNC of the name.
    last_non_static: u32,
}

fn index_glob_btf(btf: &Btf) -> Result<HashMap<Vec<u8>, GlobBtf>> {
    let mut idx: HashMap<Vec<u8>, GlobBtf> = HashMap::new();
    for i in 1..btf.type_cnt() {
        let t = btf.type_at(i)?;
        if is_non_static(&t) {
            let name = btf.str_bytes(t.name_off()).unwrap_or(&[]);
            idx.entry(name.to_vec()).or_default().last_non_static = i;
            continue;
        }
        if !t.is_datasec() {
            continue;
        }
        for vi in t.secinfos() {
            let Some(vt) = btf.type_by_id(vi.type_id) else { continue };
            if vt.var_linkage() == Some(BTF_VAR_STATIC) || (vt.is_func() && vt.vlen() == BTF_FUNC_STATIC) {
                continue;
            }
            let name = btf.str_bytes(vt.name_off()).unwrap_or(&[]);
            let g = idx.entry(name.to_vec()).or_default();
            if g.first_in_datasec.is_none() {
                g.first_in_datasec = Some((i, vi.type_id, g.last_non_static));
            }
        }
    }
    Ok(idx)
}

/// The map definition behind VAR `var_id`, parsed strictly.
fn parse_def(btf: &Btf, sym: &str, var_id: u32) -> Result<(BtfMapDef, BtfMapDef)> {
    let t = btf.type_at(var_id)?;
    let def = btf.type_at(btf.skip_mods_and_typedefs(t.type_id())?)?;
    let (mut d, mut inner) = (BtfMapDef::default(), BtfMapDef::default());
    parse_map_def(btf, sym, def, true, &mut d, Some(&mut inner))?;
    Ok((d, inner))
}

impl Linker {
    /// Copies every symbol of `obj` (but the null one) into the output.
    pub(crate) fn append_elf_syms(&mut self, obj: &mut SrcObj) -> Result<()> {
        obj.sym_map = vec![0; obj.syms.len() + 1];
        let strs = obj.strtab();
        for i in 1..obj.syms.len() {
            let sym = obj.syms[i];
            let Some(name) = str_at(strs, sym.st_name as usize) else {
                pr_warn!("can't fetch symbol name for symbol #{i} in '{}'", obj.filename);
                return Err(Error::INVAL);
            };
            self.append_elf_sym(obj, sym, name, i)?;
        }
        Ok(())
    }

    /// The BTF describing global `name`: (its DATASEC id or 0, its VAR or
    /// FUNC id). As libbpf decides, scanning types in order: the first
    /// DATASEC entry of that name that is not static, unless a non-static
    /// VAR/FUNC of that name met before it is another type (ambiguous);
    /// else the last non-static VAR/FUNC of that name.
    fn find_glob_sym_btf(obj: &mut SrcObj, name: &[u8]) -> Result<(u32, u32)> {
        let Some(btf) = &obj.btf else {
            pr_warn!("failed to find BTF info for object '{}'", obj.filename);
            return Err(Error::INVAL);
        };
        if obj.glob_btf.is_none() {
            obj.glob_btf = Some(index_glob_btf(btf)?);
        }
        let found = obj.glob_btf.as_ref().and_then(|idx| idx.get(name));
        if let Some(g) = found {
            if let Some((ds, ty, before)) = g.first_in_datasec {
                if before != 0 && before != ty {
                    pr_warn!("global/extern '{}' BTF is ambiguous: both types #{before} and #{ty} match", show(name));
                    return Err(Error::INVAL);
                }
                return Ok((ds, ty));
            }
            if g.last_non_static != 0 {
                return Ok((0, g.last_non_static));
            }
        }
        pr_warn!("failed to find BTF info for global/extern symbol '{}'", show(name));
        Err(Error::NOENT)
    }

    /// Whether global `g` and symbol `name` of `obj` (BTF `btf_id`) agree.
    fn glob_syms_match(&self, name: &str, g: usize, obj: &SrcObj, btf_id: u32) -> bool {
        let glob = &self.glob_syms[g];
        let Some(src_btf) = obj.btf.as_ref() else { return false };
        if glob.btf_id == 0 || btf_id == 0 {
            pr_warn!("BTF info is missing for global symbol '{name}'");
            return false;
        }
        let Some(src_t) = src_btf.type_by_id(btf_id) else { return false };
        if !src_t.is_var() && !src_t.is_func() {
            pr_warn!("only extern variables and functions are supported, but got '{}' for '{name}'", kind_str(&src_t));
            return false;
        }
        if glob.sec_id != 0 && self.secs.get(glob.sec_id).is_some_and(|s| s.name == b".maps") {
            return self.glob_map_defs_match(name, g, src_btf, btf_id);
        }
        btf_types_match(name, true, &self.btf, glob.btf_id, src_btf, btf_id)
    }

    /// Whether the `.maps` definitions of global `g` and of `btf_id` agree.
    fn glob_map_defs_match(&self, name: &str, g: usize, src_btf: &Btf, btf_id: u32) -> bool {
        if !src_btf.type_by_id(btf_id).is_some_and(|t| t.is_var()) {
            pr_warn!("global '{name}': invalid map definition type [{btf_id}]");
            return false;
        }
        let Ok((src, src_inner)) = parse_def(src_btf, name, btf_id) else {
            pr_warn!("global '{name}': invalid map definition");
            return false;
        };
        let Ok((dst, dst_inner)) = parse_def(&self.btf, name, self.glob_syms[g].btf_id) else {
            pr_warn!("global '{name}': invalid dst map definition");
            return false;
        };
        map_defs_match(name, &self.btf, &dst, Some(&dst_inner), src_btf, &src, Some(&src_inner))
    }

    /// An extern resolved to a definition: its VAR becomes allocated, its
    /// FUNC global, and its prototype gets the definition's parameter
    /// names (so that the two prototypes are alike).
    fn complete_extern_btf_info(&mut self, dst_id: u32, src: &Btf, src_id: u32) -> Result<()> {
        let dst_t = self.btf.type_at(dst_id)?;
        if dst_t.is_var() {
            self.btf.type_words_mut(dst_id)?[3] = BTF_VAR_GLOBAL_ALLOCATED;
            return Ok(());
        }
        let dst_proto = dst_t.type_id();
        self.btf.set_type_info(dst_id, btf_info_enc(BTF_KIND_FUNC, false, BTF_FUNC_GLOBAL))?;
        let src_proto = src.type_at(src.type_at(src_id)?.type_id())?;
        let n = self.btf.type_at(dst_proto)?.vlen() as usize;
        for (i, p) in src_proto.params().enumerate().take(n) {
            if p.name_off == 0 {
                continue;
            }
            let s = src.str_bytes(p.name_off).ok_or(Error::INVAL)?.to_vec();
            let off = self.btf.add_str(&s)?;
            if let Some(w) = self.btf.type_words_mut(dst_proto)?.get_mut(3 + 2 * i) {
                *w = off;
            }
        }
        Ok(())
    }

    fn append_elf_sym(&mut self, obj: &mut SrcObj, sym: Sym, name: &[u8], src_idx: usize) -> Result<()> {
        let (kind, bind) = (sym.kind(), sym.bind());
        let is_extern = sym.st_shndx == SHN_UNDEF;
        let mut src_sec: Option<usize> = None;
        let mut dst_sec: Option<usize> = None;
        let mut local = bind == STB_LOCAL;
        if is_extern {
            if obj.btf.is_none() {
                pr_warn!("externs without BTF info are not supported");
                return Err(Error::NOT_SUPPORTED);
            }
        } else if sym.st_shndx < SHN_LORESERVE {
            let s = sym.st_shndx as usize;
            let Some(sec) = obj.secs.get(s) else { return Err(Error::INVAL) };
            if sec.skipped {
                return Ok(());
            }
            let d = sec.dst_id;
            (src_sec, dst_sec) = (Some(s), Some(d));
            if kind == STT_SECTION && self.secs[d].sec_sym_idx != 0 {
                obj.sym_map[src_idx] = self.secs[d].sec_sym_idx;
                return Ok(());
            }
            if sec.name == JUMPTABLES_SEC {
                local = true;
            }
        }
        if !local {
            let (btf_sec_id, btf_id) = Self::find_glob_sym_btf(obj, name)?;
            if is_extern && btf_sec_id != 0 {
                let btf = obj.btf.as_ref().ok_or(Error::INVAL)?;
                let sec_name = btf.str_bytes(btf.type_at(btf_sec_id)?.name_off()).unwrap_or(&[]).to_vec();
                if sec_name != BTF_EXTERN_SEC {
                    let Some(s) = obj.find_sec(&sec_name) else {
                        pr_warn!("failed to find matching ELF sec '{}'", show(&sec_name));
                        return Err(Error::NOENT);
                    };
                    (src_sec, dst_sec) = (Some(s), Some(obj.secs[s].dst_id));
                }
            }
            if let Some(g) = self.find_glob_sym(name) {
                return self.resolve_glob_sym(obj, g, sym, name, src_idx, (src_sec, dst_sec), btf_id);
            }
        }

        let name_off = self.strtab.add(name)?;
        let dst_idx = self.syms.len();
        let mut dst = Sym {
            st_name: name_off,
            st_info: sym.st_info,
            st_other: sym.st_other,
            st_shndx: match dst_sec {
                Some(d) => u16::try_from(self.secs[d].elf_idx).map_err(|_| Error::TOO_BIG)?,
                None => sym.st_shndx,
            },
            st_value: src_sec.map_or(0, |s| obj.secs[s].dst_off).wrapping_add(sym.st_value),
            st_size: sym.st_size,
        };
        obj.sym_map[src_idx] = dst_idx;
        if kind == STT_SECTION {
            if let Some(d) = dst_sec {
                self.secs[d].sec_sym_idx = dst_idx;
                dst.st_value = 0;
            }
        }
        self.syms.push(dst);
        if bind != STB_LOCAL {
            self.add_glob_sym(GlobSym {
                name: name.to_vec(),
                sym_idx: dst_idx,
                sec_id: dst_sec.unwrap_or(0),
                btf_id: 0,
                underlying_btf_id: 0,
                var_idx: None,
                is_extern,
                is_weak: bind == STB_WEAK,
            });
        }
        Ok(())
    }

    /// Symbol `name` of `obj` meets global `g` of an earlier object.
    #[allow(clippy::too_many_arguments)]
    fn resolve_glob_sym(
        &mut self,
        obj: &mut SrcObj,
        g: usize,
        sym: Sym,
        name: &[u8],
        src_idx: usize,
        (src_sec, dst_sec): (Option<usize>, Option<usize>),
        btf_id: u32,
    ) -> Result<()> {
        let (kind, bind, vis) = (sym.kind(), sym.bind(), sym.visibility());
        let is_extern = sym.st_shndx == SHN_UNDEF;
        let shown = show(name).into_owned();
        obj.sym_map[src_idx] = self.glob_syms[g].sym_idx;
        let glob = &self.glob_syms[g];
        if !is_extern && !glob.is_extern && !glob.is_weak && bind != STB_WEAK {
            pr_warn!("conflicting non-weak symbol #{src_idx} ({shown}) definition in '{}'", obj.filename);
            return Err(Error::INVAL);
        }
        if !self.glob_syms_match(&shown, g, obj, btf_id) {
            return Err(Error::INVAL);
        }
        let sym_idx = self.glob_syms[g].sym_idx;
        if bind == STB_GLOBAL {
            self.syms[sym_idx].set_bind(STB_GLOBAL);
            self.glob_syms[g].is_weak = false;
        }
        if vis > self.syms[sym_idx].visibility() {
            self.syms[sym_idx].set_visibility(vis);
        }
        if is_extern || (!self.glob_syms[g].is_extern && bind == STB_WEAK) {
            return Ok(());
        }
        // A strong definition (or the first definition of an extern).
        let dst = &mut self.syms[sym_idx];
        dst.set_kind(kind);
        dst.st_shndx = match dst_sec {
            Some(d) => u16::try_from(self.secs[d].elf_idx).map_err(|_| Error::TOO_BIG)?,
            None => sym.st_shndx,
        };
        dst.st_value = src_sec.map_or(0, |s| obj.secs[s].dst_off).wrapping_add(sym.st_value);
        dst.st_size = sym.st_size;
        let glob = &mut self.glob_syms[g];
        glob.sec_id = dst_sec.unwrap_or(0);
        glob.is_extern = false;
        let glob_btf_id = glob.btf_id;
        let src_btf = obj.btf.as_ref().ok_or(Error::INVAL)?;
        if self.complete_extern_btf_info(glob_btf_id, src_btf, btf_id).is_err() {
            return Err(Error::INVAL);
        }
        self.glob_syms[g].underlying_btf_id = 0;
        Ok(())
    }
}
