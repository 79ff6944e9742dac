//! The load pipeline's steps in loader mode: what `prepare` and `load`
//! record instead of calling the kernel. Each function takes the object
//! and feeds its generator; `src/object/load.rs` (and its BTF, map and
//! attach helpers) call them when [`Object::generates_loader`] is true.

use crate::error::{Error, Result};
use crate::uapi::bpf_enums::{map as mt, prog as pt, prog_flags};
use crate::uapi::btf::{bpf_core_relo, BTF_KIND_FUNC, BTF_KIND_VAR};

use super::emit::{ExternRelo, Generator, MapSpec, ProgSpec};
use crate::object::load::{InfoSrc, ProgLoadAttrs};
use crate::object::map_def::{Map, Slot as InitSlot};
use crate::object::program::ExtInfo;
use crate::object::reloc::{DataKind, RelocKind};
use crate::object::{Object, State};

/// Runs `f` with the generator taken out of the object (so `f` may read
/// the object while feeding it).
fn with_gen<R>(
    o: &mut Object,
    f: impl FnOnce(&mut Generator, &mut Object) -> Result<R>,
) -> Result<R> {
    let mut g = o
        .gen
        .as_mut()
        .and_then(|s| s.gen.take())
        .ok_or(Error::INVAL)?;
    let res = f(&mut g, o);
    if let Some(s) = o.gen.as_mut() {
        s.gen = Some(g);
    }
    res
}

/// Start of `prepare`: a fresh generator for the object's maps.
pub fn start(o: &mut Object) {
    let nr_maps = o.maps.len();
    let swap = o.little_endian != cfg!(target_endian = "little");
    if let Some(s) = o.gen.as_mut() {
        let mut g = Generator::new(nr_maps, s.sink.gen_hash());
        g.set_swapped(swap);
        s.gen = Some(g);
        s.started = true;
    }
}

/// Start of `load`: a loader can only be generated from the beginning of
/// the pipeline, not for an object prepared without one (`EFAULT`, the
/// error libbpf ends with then).
pub fn check_start(o: &Object) -> Result<()> {
    match &o.gen {
        Some(s) if !s.started && o.state >= State::Prepared => {
            crate::pr_warn!("object '{}': bpf_object__gen_loader() must be called before the object is prepared", o.name_str());
            Err(Error::new(libc::EFAULT))
        }
        _ => Ok(()),
    }
}

/// The object's BTF, loaded by the loader.
pub fn load_btf(o: &mut Object) -> Result<()> {
    let Some(btf) = o.btf.clone() else {
        return Ok(());
    };
    with_gen(o, |g, _| g.load_btf(btf.raw_data()))
}

/// Every map, in object order, created by the loader: inner templates,
/// global data images (frozen for `.rodata` and `.kconfig`), map-in-map
/// `values`. Maps a loader can not create are refused: pinned or reused
/// ones (`EINVAL`), struct_ops and arena maps (`EOPNOTSUPP`), and maps
/// not to be created at all (`EFAULT`, as libbpf ends).
pub fn create_maps(o: &mut Object) -> Result<()> {
    with_gen(o, |g, o| {
        for i in 0..o.maps.len() {
            if let Err(e) = create_map(g, o, i) {
                crate::pr_warn!("map '{}': failed to create: {e}", o.maps[i].name_str());
                return Err(e);
            }
        }
        Ok(())
    })
}

fn spec_of(m: &Map) -> MapSpec {
    let no_btf = crate::object::create::takes_no_btf(m.def.map_type);
    MapSpec {
        map_type: m.def.map_type,
        name: m.name.as_bytes().to_vec(),
        key_size: m.def.key_size,
        value_size: m.def.value_size,
        max_entries: m.def.max_entries,
        map_flags: m.def.map_flags,
        numa_node: m.numa_node,
        map_ifindex: m.ifindex,
        btf_key_type_id: if no_btf { 0 } else { m.btf_key_type_id },
        btf_value_type_id: if no_btf { 0 } else { m.btf_value_type_id },
        map_extra: m.map_extra,
        has_inner: false,
    }
}

fn create_map(g: &mut Generator, o: &mut Object, i: usize) -> Result<()> {
    let m = &mut o.maps[i];
    if !m.autocreate {
        // (libbpf's generator ends with the same EFAULT: maps missing)
        crate::pr_warn!(
            "map '{}': a loader program creates every map (autocreate is off)",
            m.name_str()
        );
        return Err(Error::new(libc::EFAULT));
    }
    if m.pin_path.is_some() || m.reused {
        crate::pr_warn!(
            "map '{}': a loader program can not pin or reuse maps",
            m.name_str()
        );
        return Err(Error::INVAL);
    }
    if m.is_struct_ops() || m.def.map_type == mt::ARENA {
        crate::pr_warn!(
            "map '{}': a loader program can not create this type of map",
            m.name_str()
        );
        return Err(Error::NOT_SUPPORTED);
    }
    crate::object::create::set_def_max_entries(m)?;
    if crate::object::create::takes_no_btf(m.def.map_type) {
        m.btf_key_type_id = 0;
        m.btf_value_type_id = 0;
    }
    let mut spec = spec_of(m);
    if m.is_map_in_map() {
        if let Some(mut inner) = m.inner.take() {
            crate::object::create::set_def_max_entries(&mut inner)?;
            g.map_create(&spec_of(&inner), None).inspect_err(|e| {
                crate::pr_warn!("map '{}': failed to create inner map: {e}", m.name_str());
            })?;
            spec.has_inner = true;
        } else if m.inner_map_fd.is_some() {
            crate::pr_warn!(
                "map '{}': an inner map fd can not be used by a loader program",
                m.name_str()
            );
            return Err(Error::INVAL);
        }
    }
    g.map_create(&spec, Some(i))?;
    if m.is_internal() {
        let size = m.def.value_size as usize;
        let mut value = vec![0u8; size];
        if let Some(img) = m.mmaped.as_ref() {
            let src = img.as_slice();
            let n = size.min(src.len());
            value[..n].copy_from_slice(&src[..n]);
        }
        g.map_update_initial(i, &value)?;
        if matches!(m.data, Some(DataKind::Rodata | DataKind::Kconfig)) {
            g.map_freeze(i)?;
        }
    }
    if m.def.map_type != mt::PROG_ARRAY {
        let slots: Vec<(usize, usize)> = m
            .init_slots
            .iter()
            .enumerate()
            .filter_map(|(k, s)| match s {
                Some(InitSlot::Map(t)) => Some((k, *t)),
                _ => None,
            })
            .collect();
        for (k, t) in slots {
            g.populate_outer(i, k as u32, t)?;
        }
        o.maps[i].init_slots.clear();
    }
    Ok(())
}

/// A BTF attach target of program `i`: found by the loader in the kernel
/// it runs on, unless it is a function of a BPF program given by fd
/// (resolved now). Returns the placeholder (object fd, type id) the
/// program is prepared with.
pub fn record_attach_target(o: &mut Object, i: usize, target: &str) -> Result<(u32, u32)> {
    let p = &o.programs[i];
    if p.prog_type == pt::EXT || p.attach_prog_fd != 0 {
        return crate::object::sanitize::find_attach_btf_id(o, i, target);
    }
    let (prefix, kind) = crate::object::sanitize::target_prefix_kind(p.expected_attach_type);
    let full = format!("{prefix}{target}");
    if full.len() >= 128 {
        return Err(Error::NOSPC);
    }
    with_gen(o, |g, _| {
        g.record_attach_target(&full, kind);
        Ok((0, 1))
    })
}

/// The bytes, record size and count of a program's func or line info (its
/// own records written in the target's byte order when `swap`).
fn info_bytes(src: InfoSrc, own: &ExtInfo, swap: bool) -> Result<(Vec<u8>, u32, u32)> {
    Ok(match src {
        InfoSrc::None => (Vec::new(), 0, 0),
        InfoSrc::Program => {
            let bytes = own
                .words
                .iter()
                .flat_map(|w| if swap { w.swap_bytes() } else { *w }.to_ne_bytes())
                .collect();
            (bytes, own.rec_size, own.count())
        }
        InfoSrc::User { mem, cnt, rec_size } => {
            let need = (cnt as usize)
                .checked_mul(rec_size as usize)
                .ok_or(Error::INVAL)?;
            let mut v = mem.to_vec()?;
            if v.len() < need {
                return Err(Error::INVAL);
            }
            v.truncate(need);
            (v, rec_size, cnt)
        }
    })
}

/// The load of relocated program `i` with `attrs` (after its SEC()
/// handler's preparation), with its ksym references and CO-RE records.
pub fn load_prog(o: &mut Object, i: usize, attrs: &ProgLoadAttrs) -> Result<()> {
    with_gen(o, |g, o| {
        let p = &o.programs[i];
        let btf = o.btf.as_deref();
        for r in &p.relos {
            match r.kind {
                RelocKind::Core => g.record_core(bpf_core_relo {
                    insn_off: (r.insn_idx * 8) as u32,
                    ..r.core
                }),
                RelocKind::ExternLd64 | RelocKind::ExternCall => {
                    let ext = o.externs.get(r.ext_idx).ok_or(Error::RELOC)?;
                    let Some(k) = ext.ksym() else { continue };
                    let is_var = btf
                        .and_then(|b| b.type_by_id(ext.btf_id))
                        .is_some_and(|t| t.kind() == BTF_KIND_VAR);
                    let is_ld64 = r.kind == RelocKind::ExternLd64;
                    g.record_extern(ExternRelo {
                        name: ext.essent_name.clone().unwrap_or_else(|| ext.name.clone()),
                        kind: if is_ld64 && is_var {
                            BTF_KIND_VAR
                        } else {
                            BTF_KIND_FUNC
                        },
                        is_weak: ext.is_weak,
                        is_typeless: is_ld64 && k.type_id == 0,
                        is_ld64,
                        insn_idx: r.insn_idx,
                    });
                }
                _ => {}
            }
        }
        let swap = o.little_endian != cfg!(target_endian = "little");
        let func_info = info_bytes(attrs.func_info, &p.func_info, swap)?;
        let line_info = info_bytes(attrs.line_info, &p.line_info, swap)?;
        g.prog_load(&ProgSpec {
            prog_type: p.prog_type,
            name: p.name.as_bytes(),
            license: o.license.as_bytes(),
            insns: &p.insns,
            expected_attach_type: attrs.expected_attach_type,
            attach_btf_id: attrs.attach_btf_id,
            prog_ifindex: attrs.prog_ifindex,
            prog_flags: attrs.prog_flags & !prog_flags::TOKEN_FD,
            func_info: (&func_info.0, func_info.1, func_info.2),
            line_info: (&line_info.0, line_info.1, line_info.2),
        })
    })
}

/// Prog arrays with `values`: a loader can not fill them (`EOPNOTSUPP`).
pub fn check_prog_arrays(o: &Object) -> Result<()> {
    match o
        .maps
        .iter()
        .find(|m| m.def.map_type == mt::PROG_ARRAY && !m.init_slots.is_empty())
    {
        Some(m) => {
            crate::pr_warn!(
                "map '{}': a loader program can not initialize prog arrays",
                m.name_str()
            );
            Err(Error::NOT_SUPPORTED)
        }
        None => Ok(()),
    }
}

/// End of `load`: the finished loader goes to the application.
pub fn finish(o: &mut Object) -> Result<()> {
    let Some(s) = o.gen.as_mut() else {
        return Ok(());
    };
    let g = s.gen.take().ok_or(Error::INVAL)?;
    let out = g.finish()?;
    let out = s.output.insert(out);
    crate::pr_debug!(
        "gen: loader of {} instructions and {} bytes of data",
        out.insns.len() / 8,
        out.data.len()
    );
    s.sink.report(&out.insns, &out.data);
    Ok(())
}
