//! Building the extern list of an object at open time.
//!
//! Each extern symbol (undefined, untyped, global or weak) is matched with
//! its BTF VAR/FUNC (which must be declared `extern`) and the DATASEC that
//! holds it (`.kconfig` or `.ksyms`). Kconfig externs get a type class, size
//! and alignment; the list is sorted (kconfig first, by decreasing alignment
//! then increasing size, then ksyms; ties by name) and kconfig externs are
//! given consecutive aligned offsets in the `.kconfig` map.
//!
//! The caller then fixes the object's BTF as libbpf does: in `.kconfig`,
//! each VAR becomes `BTF_VAR_GLOBAL_ALLOCATED` at `data_off` and the DATASEC's
//! size is [`ExternLayout::kconfig_size`]; in `.ksyms`, every entry becomes a
//! 4-byte allocated int variable at offsets 0, 4, 8... (functions point at a
//! dummy variable instead).

use super::{Extern, ExternKind, Kcfg, KcfgType, Ksym};
use crate::error::{Error, Result};
use crate::relo::view::{self, essential_name, TypeView};
use crate::uapi::btf::*;

/// An extern symbol of the object's symbol table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExternSymbol {
    pub sym_idx: usize,
    pub name: String,
    pub is_weak: bool,
}

/// The collected externs and the `.kconfig` map's size (None: no kconfig extern).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExternLayout {
    pub externs: Vec<Extern>,
    pub kconfig_size: Option<u32>,
}

/// The DATASEC names of extern sections.
pub const KCONFIG_SEC: &str = ".kconfig";
pub const KSYMS_SEC: &str = ".ksyms";

fn find_extern_btf_id(btf: &dyn TypeView, name: &str) -> Result<u32> {
    for id in 1..btf.type_cnt() {
        let k = btf.kind(id);
        if k != Some(BTF_KIND_VAR) && k != Some(BTF_KIND_FUNC) {
            continue;
        }
        if btf.name(id) != name {
            continue;
        }
        if k == Some(BTF_KIND_VAR) && btf.var_linkage(id) != BTF_VAR_GLOBAL_EXTERN {
            return Err(Error::INVAL);
        }
        if k == Some(BTF_KIND_FUNC) && btf.func_linkage(id) != BTF_FUNC_EXTERN {
            return Err(Error::INVAL);
        }
        return Ok(id);
    }
    Err(Error::NOENT)
}

fn find_extern_sec_btf_id(btf: &dyn TypeView, ext_id: u32) -> Result<u32> {
    for id in 1..btf.type_cnt() {
        if btf.kind(id) != Some(BTF_KIND_DATASEC) {
            continue;
        }
        if (0..btf.vlen(id)).any(|i| btf.datasec_var(id, i).is_some_and(|v| v.0 == ext_id)) {
            return Ok(id);
        }
    }
    Err(Error::NOENT)
}

/// The storage class of a kconfig extern of type `id` (and its signedness).
pub fn find_kcfg_type(btf: &dyn TypeView, id: u32) -> (KcfgType, bool) {
    let Some(t) = view::skip_mods_and_typedefs(btf, id) else { return (KcfgType::Unknown, false) };
    let size = btf.size(t);
    match btf.kind(t) {
        Some(BTF_KIND_INT) => {
            let enc = btf.int_info(t).0;
            if enc & BTF_INT_BOOL != 0 {
                return (if size == 1 { KcfgType::Bool } else { KcfgType::Unknown }, false);
            }
            let signed = enc & BTF_INT_SIGNED != 0;
            if size == 1 {
                return (KcfgType::Char, signed);
            }
            if !(1..=8).contains(&size) || !size.is_power_of_two() {
                return (KcfgType::Unknown, signed);
            }
            (KcfgType::Int, signed)
        }
        Some(BTF_KIND_ENUM) if size != 4 => (KcfgType::Unknown, false),
        Some(BTF_KIND_ENUM | BTF_KIND_ENUM64) => {
            if btf.name(t) == "libbpf_tristate" {
                (KcfgType::Tristate, false)
            } else {
                (KcfgType::Unknown, false)
            }
        }
        Some(BTF_KIND_ARRAY) => {
            let Some((elem, _, n)) = btf.array(t) else { return (KcfgType::Unknown, false) };
            if n == 0 || find_kcfg_type(btf, elem).0 != KcfgType::Char {
                return (KcfgType::Unknown, false);
            }
            (KcfgType::CharArr, false)
        }
        _ => (KcfgType::Unknown, false),
    }
}

fn sort_key_kind(e: &Extern) -> u8 {
    match e.kind {
        ExternKind::Kcfg(_) => 1,
        ExternKind::Ksym(_) => 2,
    }
}

/// Collects the externs of an object from its extern symbols and BTF.
/// Errors (each logged as libbpf does): no BTF VAR/FUNC for a symbol
/// (`ENOENT`, or `EINVAL` when the one found is not `extern`; `ESRCH` when
/// the object has no BTF), no DATASEC holding it (`ENOENT`), a function or an
/// unsupported type in `.kconfig`, an unknown extern section (`ENOTSUP`).
pub fn collect_externs(btf: Option<&dyn TypeView>, symbols: &[ExternSymbol]) -> Result<ExternLayout> {
    let mut externs = Vec::new();
    for sym in symbols {
        if sym.name.is_empty() {
            continue;
        }
        let Some(btf) = btf else {
            pr_warn!("failed to find BTF for extern '{}': {}", sym.name, -libc::ESRCH);
            return Err(Error::new(libc::ESRCH));
        };
        let btf_id = find_extern_btf_id(btf, &sym.name).map_err(|e| {
            pr_warn!("failed to find BTF for extern '{}': {}", sym.name, e.neg());
            e
        })?;
        let name = btf.name(btf_id).to_string();
        let ess = essential_name(&name);
        let essent_name = (ess.len() != name.len()).then(|| ess.to_string());
        let sec_btf_id = find_extern_sec_btf_id(btf, btf_id).map_err(|e| {
            pr_warn!("failed to find BTF for extern '{}' [{}] section: {}", sym.name, btf_id, e.neg());
            e
        })?;
        let sec_name = btf.name(sec_btf_id);
        let is_func = btf.kind(btf_id) == Some(BTF_KIND_FUNC);
        let kind = if sec_name == KCONFIG_SEC {
            if is_func {
                pr_warn!("extern function {} is unsupported under {} section", name, KCONFIG_SEC);
                return Err(Error::NOT_SUPPORTED);
            }
            let ty = btf.type_ref(btf_id);
            let size = match view::resolve_size(btf, ty) {
                Ok(s) if s > 0 => s as u32,
                Ok(_) => {
                    pr_warn!("failed to resolve size of extern (kcfg) '{}': 0", sym.name);
                    return Err(Error::INVAL);
                }
                Err(e) => {
                    pr_warn!("failed to resolve size of extern (kcfg) '{}': {}", sym.name, e.neg());
                    return Err(e);
                }
            };
            let align = match view::align_of(btf, ty) {
                Ok(a) if a > 0 => a,
                _ => {
                    pr_warn!("failed to determine alignment of extern (kcfg) '{}': 0", sym.name);
                    return Err(Error::INVAL);
                }
            };
            let (kty, is_signed) = find_kcfg_type(btf, ty);
            if kty == KcfgType::Unknown {
                pr_warn!("extern (kcfg) '{}': type is unsupported", sym.name);
                return Err(Error::NOT_SUPPORTED);
            }
            ExternKind::Kcfg(Kcfg { ty: kty, size, align, is_signed, data_off: 0 })
        } else if sec_name == KSYMS_SEC {
            let type_id = view::skip_mods_and_typedefs(btf, btf.type_ref(btf_id)).unwrap_or(0);
            ExternKind::Ksym(Ksym { type_id, ..Default::default() })
        } else {
            pr_warn!("unrecognized extern section '{}'", sec_name);
            return Err(Error::NOT_SUPPORTED);
        };
        externs.push(Extern {
            name,
            essent_name,
            sym_idx: sym.sym_idx,
            btf_id,
            sec_btf_id,
            is_weak: sym.is_weak,
            is_set: false,
            kind,
        });
    }
    pr_debug!("collected {} externs total", externs.len());

    externs.sort_by(|a, b| {
        sort_key_kind(a)
            .cmp(&sort_key_kind(b))
            .then_with(|| match (&a.kind, &b.kind) {
                (ExternKind::Kcfg(x), ExternKind::Kcfg(y)) => y.align.cmp(&x.align).then(x.size.cmp(&y.size)),
                _ => core::cmp::Ordering::Equal,
            })
            .then_with(|| a.name.as_bytes().cmp(b.name.as_bytes()))
    });

    let mut off: u32 = 0;
    let mut kconfig_size = None;
    for (i, e) in externs.iter_mut().enumerate() {
        match &mut e.kind {
            ExternKind::Kcfg(k) => {
                k.data_off = off.div_ceil(k.align) * k.align;
                off = k.data_off + k.size;
                kconfig_size = Some(off);
                pr_debug!("extern (kcfg) #{}: symbol {}, off {}, name {}", i, e.sym_idx, k.data_off, e.name);
            }
            ExternKind::Ksym(_) => {
                pr_debug!("extern (ksym) #{}: symbol {}, name {}", i, e.sym_idx, e.name);
            }
        }
    }
    Ok(ExternLayout { externs, kconfig_size })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relo::testbtf::TestBtf;

    #[test]
    fn layout_and_order() {
        let mut b = TestBtf::new();
        let int = b.int("int", 4, true); // 1
        let u64t = b.int("u64", 8, false); // 2
        let bool_t = {
            let id = b.int("_Bool", 1, false);
            b.types[id as usize].int.0 = BTF_INT_BOOL;
            id
        }; // 3
        let chr = b.int("char", 1, true); // 4
        let arr = b.add_array(chr, 7); // 5
        let tri = b.enum_("libbpf_tristate", 4, false, &[("TRI_NO", 0), ("TRI_YES", 1), ("TRI_MODULE", 2)]);
        let v_ver = b.var("LINUX_KERNEL_VERSION", u64t, BTF_VAR_GLOBAL_EXTERN);
        let v_b = b.var("CONFIG_BPF", bool_t, BTF_VAR_GLOBAL_EXTERN);
        let v_s = b.var("CONFIG_STR", arr, BTF_VAR_GLOBAL_EXTERN);
        let v_t = b.var("CONFIG_TRI", tri, BTF_VAR_GLOBAL_EXTERN);
        let v_k = b.var("bpf_prog_active", int, BTF_VAR_GLOBAL_EXTERN);
        b.datasec(".kconfig", &[(v_ver, 0, 8), (v_b, 0, 1), (v_s, 0, 7), (v_t, 0, 4)]);
        b.datasec(".ksyms", &[(v_k, 0, 4)]);
        let syms: Vec<ExternSymbol> = ["bpf_prog_active", "CONFIG_STR", "CONFIG_TRI", "CONFIG_BPF", "LINUX_KERNEL_VERSION"]
            .iter()
            .enumerate()
            .map(|(i, n)| ExternSymbol { sym_idx: i + 10, name: n.to_string(), is_weak: i == 0 })
            .collect();
        let l = collect_externs(Some(&b), &syms).unwrap();
        let names: Vec<_> = l.externs.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["LINUX_KERNEL_VERSION", "CONFIG_TRI", "CONFIG_BPF", "CONFIG_STR", "bpf_prog_active"]);
        let offs: Vec<_> = l.externs.iter().filter_map(|e| e.kcfg().map(|k| k.data_off)).collect();
        assert_eq!(offs, [0, 8, 12, 13]);
        assert_eq!(l.kconfig_size, Some(20));
        assert_eq!(l.externs[1].kcfg().unwrap().ty, KcfgType::Tristate);
        assert_eq!(l.externs[2].kcfg().unwrap().ty, KcfgType::Bool);
        assert_eq!(l.externs[3].kcfg().unwrap().ty, KcfgType::CharArr);
        assert_eq!(l.externs[4].ksym().unwrap().type_id, int);
        assert!(l.externs[4].is_weak);
    }

    #[test]
    fn errors() {
        let mut b = TestBtf::new();
        let int = b.int("int", 4, true);
        let v = b.var("x", int, BTF_VAR_GLOBAL_ALLOCATED);
        let w = b.var("y", int, BTF_VAR_GLOBAL_EXTERN);
        b.datasec(".weird", &[(w, 0, 4)]);
        let sym = |n: &str| vec![ExternSymbol { sym_idx: 1, name: n.into(), is_weak: false }];
        let _ = v;
        assert_eq!(collect_externs(Some(&b), &sym("x")).unwrap_err(), Error::INVAL);
        assert_eq!(collect_externs(Some(&b), &sym("nope")).unwrap_err(), Error::NOENT);
        assert_eq!(collect_externs(Some(&b), &sym("y")).unwrap_err(), Error::NOT_SUPPORTED);
        assert_eq!(collect_externs(None, &sym("y")).unwrap_err(), Error::new(libc::ESRCH));
    }
}
