//! The edits libbpf makes to an object's BTF for its extern sections, so
//! that the kernel accepts it: `.kconfig` variables become allocated at
//! their offsets in the `.kconfig` map; `.ksyms` entries become 4-byte int
//! variables (functions point at a `dummy_ksym` variable instead, their
//! nameless parameters borrowing its name).

use super::collect::{ExternLayout, KCONFIG_SEC, KSYMS_SEC};
use crate::btf::Btf;
use crate::error::{Error, Result};
use crate::relo::view::TypeView;
use crate::uapi::btf::*;

const W_NAME: usize = 0;
const W_INFO: usize = 1;
const W_SIZE_TYPE: usize = 2;
const W_EXTRA: usize = 3;

/// The first 32-bit INT of `btf` (0 when none).
fn find_int32(btf: &Btf) -> u32 {
    (1..btf.type_cnt()).find(|&id| btf.type_by_id(id).is_some_and(|t| t.is_int() && t.int_bits() == 32)).unwrap_or(0)
}

/// Adds `dummy_ksym` when `.ksyms` holds a function (before collecting).
/// Returns its id (0 when not needed).
pub fn add_dummy_ksym_var(btf: &mut Btf) -> Result<u32> {
    let Ok(sec) = btf.find_by_name_kind(KSYMS_SEC.as_bytes(), BTF_KIND_DATASEC) else { return Ok(0) };
    let has_func = (0..TypeView::vlen(btf, sec))
        .filter_map(|i| btf.datasec_var(sec, i))
        .any(|v| TypeView::kind(btf, v.0) == Some(BTF_KIND_FUNC));
    if !has_func {
        return Ok(0);
    }
    let int_id = find_int32(btf);
    btf.add_var("dummy_ksym", BTF_VAR_GLOBAL_ALLOCATED, int_id).map_err(|e| {
        pr_warn!("cannot create a dummy_ksym var");
        e
    })
}

/// Applies the extern section edits after [`super::collect_externs`].
pub fn fixup_extern_sections(btf: &mut Btf, layout: &ExternLayout, dummy_var: u32) -> Result<()> {
    let find = |name: &str| layout.externs.iter().find(|e| e.name == name);
    if let Ok(sec) = btf.find_by_name_kind(KSYMS_SEC.as_bytes(), BTF_KIND_DATASEC) {
        if layout.externs.iter().any(|e| e.ksym().is_some()) {
            let int_id = find_int32(btf);
            let dummy_name = btf.type_by_id(dummy_var).map_or(0, |t| t.name_off());
            let n = TypeView::vlen(btf, sec);
            for i in 0..n {
                let (vid, _, _) = btf.datasec_var(sec, i).ok_or(Error::INVAL)?;
                let name = TypeView::name(btf, vid).to_string();
                if find(&name).is_none() {
                    pr_warn!(
                        "failed to find extern definition for BTF {} '{}'",
                        crate::relo::view::kind_str(TypeView::kind(btf, vid)),
                        name
                    );
                    return Err(Error::new(libc::ESRCH));
                }
                if TypeView::kind(btf, vid) == Some(BTF_KIND_FUNC) {
                    let proto = btf.type_ref(vid);
                    let np = TypeView::vlen(btf, proto) as usize;
                    let pw = btf.type_words_mut(proto)?;
                    for j in 0..np {
                        let (name_at, type_at) = (W_EXTRA + 2 * j, W_EXTRA + 2 * j + 1);
                        if pw.get(type_at).is_some_and(|&t| t != 0) && pw.get(name_at) == Some(&0) {
                            pw[name_at] = dummy_name;
                        }
                    }
                    let vw = btf.type_words_mut(vid)?;
                    vw[W_INFO] = (vw[W_INFO] & !0xffff) | BTF_FUNC_GLOBAL;
                    let sw = btf.type_words_mut(sec)?;
                    sw[W_EXTRA + 3 * i as usize] = dummy_var;
                } else {
                    let vw = btf.type_words_mut(vid)?;
                    vw[W_EXTRA] = BTF_VAR_GLOBAL_ALLOCATED;
                    vw[W_SIZE_TYPE] = int_id;
                }
                let sw = btf.type_words_mut(sec)?;
                sw[W_EXTRA + 3 * i as usize + 1] = 4 * i;
                sw[W_EXTRA + 3 * i as usize + 2] = 4;
            }
            btf.type_words_mut(sec)?[W_SIZE_TYPE] = 4 * n;
        }
    }
    if let (Ok(sec), Some(size)) = (btf.find_by_name_kind(KCONFIG_SEC.as_bytes(), BTF_KIND_DATASEC), layout.kconfig_size) {
        btf.type_words_mut(sec)?[W_SIZE_TYPE] = size;
        for i in 0..TypeView::vlen(btf, sec) {
            let (vid, _, _) = btf.datasec_var(sec, i).ok_or(Error::INVAL)?;
            let name = TypeView::name(btf, vid).to_string();
            let Some(k) = find(&name).and_then(|e| e.kcfg()) else {
                pr_warn!("failed to find extern definition for BTF var '{}'", name);
                return Err(Error::new(libc::ESRCH));
            };
            let off = k.data_off;
            btf.type_words_mut(vid)?[W_EXTRA] = BTF_VAR_GLOBAL_ALLOCATED;
            btf.type_words_mut(sec)?[W_EXTRA + 3 * i as usize + 1] = off;
        }
    }
    let _ = W_NAME;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::externs::collect::{collect_externs, ExternSymbol};

    #[test]
    fn extern_sections_are_rewritten() {
        let mut b = Btf::new_empty();
        let int = b.add_int("int", 4, BTF_INT_SIGNED).unwrap();
        let u64t = b.add_int("u64", 8, 0).unwrap();
        let v_hz = b.add_var("CONFIG_HZ", BTF_VAR_GLOBAL_EXTERN, int).unwrap();
        let v_ver = b.add_var("LINUX_KERNEL_VERSION", BTF_VAR_GLOBAL_EXTERN, u64t).unwrap();
        let v_sym = b.add_var("some_sym", BTF_VAR_GLOBAL_EXTERN, 0).unwrap();
        let proto = b.add_func_proto(int).unwrap();
        b.add_func_param("", int).unwrap();
        let f = b.add_func("kf", BTF_FUNC_EXTERN, proto).unwrap();
        let kc = b.add_datasec(".kconfig", 0).unwrap();
        b.add_datasec_var_info(v_hz, 0, 4).unwrap();
        b.add_datasec_var_info(v_ver, 0, 8).unwrap();
        let ks = b.add_datasec(".ksyms", 0).unwrap();
        b.add_datasec_var_info(v_sym, 0, 1).unwrap();
        b.add_datasec_var_info(f, 0, 1).unwrap();
        let dummy = add_dummy_ksym_var(&mut b).unwrap();
        assert!(dummy > 0);
        let syms: Vec<_> = ["CONFIG_HZ", "LINUX_KERNEL_VERSION", "some_sym", "kf"]
            .iter()
            .enumerate()
            .map(|(i, n)| ExternSymbol { sym_idx: i, name: n.to_string(), is_weak: false })
            .collect();
        let layout = collect_externs(Some(&b), &syms).unwrap();
        fixup_extern_sections(&mut b, &layout, dummy).unwrap();
        // .kconfig: LINUX_KERNEL_VERSION (align 8) at 0, CONFIG_HZ at 8
        assert_eq!(TypeView::size(&b, kc), 12);
        assert_eq!(b.datasec_var(kc, 0).unwrap(), (v_hz, 8, 4));
        assert_eq!(b.datasec_var(kc, 1).unwrap(), (v_ver, 0, 8));
        assert_eq!(b.var_linkage(v_hz), BTF_VAR_GLOBAL_ALLOCATED);
        // .ksyms: 4-byte ints at 0 and 4; the function points at dummy_ksym
        assert_eq!(TypeView::size(&b, ks), 8);
        assert_eq!(b.datasec_var(ks, 0).unwrap(), (v_sym, 0, 4));
        assert_eq!(b.datasec_var(ks, 1).unwrap(), (dummy, 4, 4));
        assert_eq!((b.var_linkage(v_sym), b.type_ref(v_sym)), (BTF_VAR_GLOBAL_ALLOCATED, int));
        assert_eq!(b.func_linkage(f), BTF_FUNC_GLOBAL);
        assert_eq!(b.param(proto, 0).unwrap().0, "dummy_ksym");
    }
}
