//! The object's BTF in the kernel: sanitised for what the running kernel
//! supports (a copy is rewritten, the object keeps the original), then
//! loaded; its fd is what maps and programs refer to. Also the BTF lookups
//! of load preparation: exception callbacks and attach targets of
//! fentry/fexit/LSM/iterator/freplace programs.

use std::sync::Arc;

use crate::btf::{Btf, LoadOptions, Type};
use crate::error::{Error, Result};
use crate::uapi::bpf_enums::{attach, prog as pt};
use crate::uapi::btf::*;

use super::features::Feature;
use super::Object;

/// Which BTF kinds and forms the kernel accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BtfSupport {
    pub func: bool,
    pub func_global: bool,
    pub datasec: bool,
    pub qmark_datasec: bool,
    pub float: bool,
    pub decl_tag: bool,
    pub type_tag: bool,
    pub enum64: bool,
}

impl BtfSupport {
    pub const ALL: BtfSupport = BtfSupport {
        func: true,
        func_global: true,
        datasec: true,
        qmark_datasec: true,
        float: true,
        decl_tag: true,
        type_tag: true,
        enum64: true,
    };

    fn of(o: &Object) -> BtfSupport {
        BtfSupport {
            func: o.supports(Feature::BtfFunc),
            func_global: o.supports(Feature::BtfGlobalFunc),
            datasec: o.supports(Feature::BtfDatasec),
            qmark_datasec: o.supports(Feature::BtfQmarkDatasec),
            float: o.supports(Feature::BtfFloat),
            decl_tag: o.supports(Feature::BtfDeclTag),
            type_tag: o.supports(Feature::BtfTypeTag),
            enum64: o.supports(Feature::BtfEnum64),
        }
    }
}

const fn info(kind: u32, kflag: bool, vlen: u32) -> u32 {
    ((kflag as u32) << 31) | (kind << 24) | vlen
}

/// Replaces characters the kernel refuses in a DATASEC turned STRUCT name.
fn underscore_name(b: &mut Btf, off: u32, all: bool) -> Result<()> {
    if off == 0 {
        return Ok(());
    }
    let s = b.str_mut(off)?;
    for (i, c) in s.iter_mut().enumerate() {
        if (*c == b'.' || *c == b'?') && (all || i == 0) {
            *c = b'_';
        }
    }
    Ok(())
}

/// A copy of `orig` with every kind the kernel does not support replaced by
/// an equivalent it does (VAR/DECL_TAG -> INT, DATASEC -> STRUCT,
/// FUNC_PROTO -> ENUM, FUNC -> TYPEDEF or static FUNC, FLOAT -> empty
/// STRUCT, TYPE_TAG -> CONST, ENUM64 -> UNION, ...).
pub fn sanitize(orig: &Btf, s: BtfSupport) -> Result<Btf> {
    let mut b = Btf::parse(orig.raw_data_native())?;
    b.set_pointer_size(8).ok();
    let mut enum64_placeholder = 0u32;
    for id in 1..b.type_cnt() {
        let t = b.type_at(id)?;
        let (kind, vlen, name_off) = (t.kind(), t.vlen(), t.name_off());
        match kind {
            BTF_KIND_VAR | BTF_KIND_DECL_TAG if (kind == BTF_KIND_VAR && !s.datasec) || (kind == BTF_KIND_DECL_TAG && !s.decl_tag) => {
                let w = b.type_words_mut(id)?;
                w[1] = info(BTF_KIND_INT, false, 0);
                w[2] = 1;
                w[3] = 8; // 8 bits, no encoding
            }
            BTF_KIND_DATASEC if !s.datasec => {
                underscore_name(&mut b, name_off, true)?;
                let var_names: Vec<u32> = {
                    let t = b.type_at(id)?;
                    t.secinfos().map(|v| b.type_by_id(v.type_id).map_or(0, |vt| vt.name_off())).collect()
                };
                let w = b.type_words_mut(id)?;
                w[1] = info(BTF_KIND_STRUCT, false, vlen);
                for (j, name) in var_names.iter().enumerate() {
                    let at = 3 + j * 3;
                    let (ty, off) = (w[at], w[at + 1]);
                    w[at] = *name;
                    w[at + 1] = ty;
                    w[at + 2] = off * 8;
                }
            }
            BTF_KIND_DATASEC if !s.qmark_datasec => {
                if b.str_bytes(name_off).is_some_and(|n| n.first() == Some(&b'?')) {
                    underscore_name(&mut b, name_off, false)?;
                }
            }
            BTF_KIND_FUNC_PROTO if !s.func => {
                let w = b.type_words_mut(id)?;
                w[1] = info(BTF_KIND_ENUM, false, vlen);
                w[2] = 4;
            }
            BTF_KIND_FUNC if !s.func => b.type_words_mut(id)?[1] = info(BTF_KIND_TYPEDEF, false, 0),
            BTF_KIND_FUNC if !s.func_global => b.type_words_mut(id)?[1] = info(BTF_KIND_FUNC, false, 0),
            BTF_KIND_FLOAT if !s.float => {
                let w = b.type_words_mut(id)?;
                w[0] = 0;
                w[1] = info(BTF_KIND_STRUCT, false, 0);
            }
            BTF_KIND_TYPE_TAG if !s.type_tag => {
                let w = b.type_words_mut(id)?;
                w[0] = 0;
                w[1] = info(BTF_KIND_CONST, false, 0);
            }
            BTF_KIND_ENUM if !s.enum64 => b.type_words_mut(id)?[1] = info(BTF_KIND_ENUM, false, vlen),
            BTF_KIND_ENUM64 if !s.enum64 => {
                if enum64_placeholder == 0 {
                    enum64_placeholder = b.add_int("enum64_placeholder", 1, 0)?;
                }
                let w = b.type_words_mut(id)?;
                w[1] = info(BTF_KIND_UNION, false, vlen);
                for j in 0..vlen as usize {
                    w[3 + j * 3 + 1] = enum64_placeholder;
                    w[3 + j * 3 + 2] = 0;
                }
            }
            _ => {}
        }
    }
    Ok(b)
}

/// Hidden global subprograms get a static BTF FUNC, for the verifier's
/// more permissive checking of static functions.
fn mark_static_funcs(o: &mut Object) -> Result<()> {
    let names: Vec<Vec<u8>> = (0..o.programs.len())
        .filter(|&i| o.programs[i].mark_btf_static && o.is_subprog(i))
        .map(|i| o.programs[i].name.as_bytes().to_vec())
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    let Some(b) = super::btf_info::btf_mut(o)? else { return Ok(()) };
    for name in names {
        let found = b
            .types()
            .find(|(_, t)| t.is_func() && t.vlen() == BTF_FUNC_GLOBAL && b.str_bytes(t.name_off()) == Some(&name[..]))
            .map(|(id, _)| id);
        if let Some(id) = found {
            b.type_words_mut(id)?[1] = info(BTF_KIND_FUNC, false, BTF_FUNC_STATIC);
        }
    }
    Ok(())
}

/// Step of prepare: sanitises and loads the object's BTF. BTF is optional
/// for the kernel unless the object has struct_ops maps: a failed load
/// only drops func/line info and typed maps.
pub fn sanitize_and_load_btf(o: &mut Object) -> Result<()> {
    if o.btf.is_none() {
        return Ok(());
    }
    let mandatory = o.has_st_ops;
    if !o.supports(Feature::Btf) {
        if mandatory {
            crate::pr_warn!("Error loading .BTF into kernel: {}. BTF is mandatory, can't proceed.", Error::NOT_SUPPORTED);
            return Err(Error::NOT_SUPPORTED);
        }
        crate::pr_debug!("Kernel doesn't support BTF, skipping uploading it.");
        return Ok(());
    }
    mark_static_funcs(o)?;
    if o.generates_loader() {
        return super::gen_loader::steps::load_btf(o);
    }
    let support = BtfSupport::of(o);
    let (token, log, log_level) = (o.token_raw_fd().unwrap_or(0), o.log_buf, if o.log_level != 0 { 1 } else { 0 });
    let res = (|| {
        let orig = o.btf.as_mut().ok_or(Error::INVAL)?;
        let mut kern = if support != BtfSupport::ALL { Some(sanitize(orig, support)?) } else { None };
        let target: &mut Btf = match kern.as_mut() {
            Some(k) => k,
            None => Arc::get_mut(orig).ok_or(Error::BUSY)?,
        };
        let load = |t: &mut Btf, buf: Option<&mut [u8]>| t.load_into_kernel_with(LoadOptions { log_buf: buf, log_level, token_fd: token });
        let res = if log.is_null() {
            load(target, None)
        } else {
            log.with_bytes_mut(|buf| load(target, Some(buf))).unwrap_or(Err(Error::INVAL))
        };
        res?;
        if let Some(mut k) = kern {
            let fd = k.take_fd();
            Arc::get_mut(orig).ok_or(Error::BUSY)?.set_fd(fd);
        }
        Ok(())
    })();
    match res {
        Ok(()) => Ok(()),
        Err(e) if mandatory => {
            crate::pr_warn!("Error loading .BTF into kernel: {e}. BTF is mandatory, can't proceed.");
            Err(e)
        }
        Err(e) => {
            crate::pr_info!("Error loading .BTF into kernel: {e}. BTF is optional, ignoring.");
            Ok(())
        }
    }
}

/// The exception callback of main program `i`: the subprogram named by an
/// `exception_callback:<name>` decl tag on it (None when it has none, or
/// several, which the verifier then reports).
pub fn exception_callback(o: &mut Object, i: usize) -> Result<Option<usize>> {
    const PFX: &[u8] = b"exception_callback:";
    if !o.supports(Feature::BtfDeclTag) {
        return Ok(None);
    }
    let Some(b) = o.btf.clone() else { return Ok(None) };
    let prog_name = o.programs[i].name.as_bytes().to_vec();
    let shown = o.programs[i].name_str().into_owned();
    o.programs[i].exception_cb = None;
    let mut multiple = false;
    for (_, t) in b.types() {
        if !t.is_decl_tag() || t.decl_tag_component_idx() != Some(-1) {
            continue;
        }
        let Some(cb_name) = b.str_bytes(t.name_off()).and_then(|n| n.strip_prefix(PFX)) else { continue };
        let target = b.type_by_id(t.type_id()).unwrap_or_else(|| Type::void());
        if !target.is_func() || target.vlen() != BTF_FUNC_GLOBAL {
            crate::pr_warn!("prog '{shown}': exception_callback:<value> decl tag not applied to the main program");
            return Err(Error::INVAL);
        }
        if b.str_bytes(target.name_off()) != Some(&prog_name[..]) {
            continue;
        }
        if o.programs[i].exception_cb.is_some() {
            multiple = true;
            break;
        }
        if cb_name.is_empty() {
            crate::pr_warn!("prog '{shown}': exception_callback:<value> decl tag contains empty value");
            return Err(Error::INVAL);
        }
        for j in 0..o.programs.len() {
            if !o.is_subprog(j) || o.programs[j].name.as_bytes() != cb_name {
                continue;
            }
            let sub = &o.programs[j];
            if !sub.sym_global || sub.mark_btf_static {
                crate::pr_warn!("prog '{shown}': exception callback {} must be a global non-hidden function", sub.name_str());
                return Err(Error::INVAL);
            }
            if o.programs[i].exception_cb.is_some() {
                crate::pr_warn!("prog '{shown}': multiple subprogs with same name as exception callback '{}'", sub.name_str());
                return Err(Error::INVAL);
            }
            o.programs[i].exception_cb = Some(j);
            break;
        }
        if o.programs[i].exception_cb.is_none() {
            crate::pr_warn!("prog '{shown}': cannot find exception callback '{}'", String::from_utf8_lossy(cb_name));
            return Err(Error::NOENT);
        }
    }
    if multiple {
        o.programs[i].exception_cb = None;
    }
    Ok(o.programs[i].exception_cb)
}

/// The kernel BTF prefix and kind of attach targets of `attach_type`.
pub(crate) fn target_prefix_kind(attach_type: u32) -> (&'static str, u32) {
    match attach_type {
        attach::TRACE_RAW_TP => ("btf_trace_", BTF_KIND_TYPEDEF),
        attach::LSM_MAC | attach::LSM_CGROUP => ("bpf_lsm_", BTF_KIND_FUNC),
        attach::TRACE_ITER => ("bpf_iter_", BTF_KIND_FUNC),
        _ => ("", BTF_KIND_FUNC),
    }
}

/// The BTF object fd and type id of attach target `target` of program `i`:
/// a function of the BPF program `attach_prog_fd` (freplace, or tracing
/// programs given one), else a kernel function, tracepoint, LSM hook or
/// iterator in vmlinux BTF (`module:name` names vmlinux explicitly; module
/// BTF is not searched).
pub fn find_attach_btf_id(o: &Object, i: usize, target: &str) -> Result<(u32, u32)> {
    let p = &o.programs[i];
    let name = p.name_str().into_owned();
    if p.prog_type == pt::EXT || p.attach_prog_fd != 0 {
        if p.attach_prog_fd == 0 {
            crate::pr_warn!("prog '{name}': attach program FD is not set");
            return Err(Error::INVAL);
        }
        let id = find_prog_btf_id(target, p.attach_prog_fd).inspect_err(|e| {
            crate::pr_warn!("prog '{name}': failed to find BPF program (FD {}) BTF ID for '{target}': {e}", p.attach_prog_fd);
        })?;
        return Ok((0, id));
    }
    let res = find_vmlinux_btf_id(target, p.expected_attach_type);
    res.inspect_err(|e| crate::pr_warn!("prog '{name}': failed to find kernel BTF type ID of '{target}': {e}"))
}

/// Type id of function `name` in the BTF of loaded program `prog_fd`.
pub fn find_prog_btf_id(name: &str, prog_fd: u32) -> Result<u32> {
    let btf_id = crate::bpf_api::object::prog_btf_id(prog_fd as i32).inspect_err(|e| {
        crate::pr_warn!("failed bpf_prog_get_info_by_fd for FD {prog_fd}: {e}");
    })?;
    if btf_id == 0 {
        crate::pr_warn!("The target program doesn't have BTF");
        return Err(Error::INVAL);
    }
    let btf = Btf::load_from_kernel_by_id(btf_id, None).inspect_err(|e| {
        crate::pr_warn!("Failed to get BTF {btf_id} of the program: {e}");
    })?;
    btf.find_by_name_kind(name.as_bytes(), BTF_KIND_FUNC).inspect_err(|_| {
        crate::pr_warn!("{name} is not found in prog's BTF");
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object_like_btf() -> Btf {
        let mut b = Btf::new_empty();
        let int = b.add_int("int", 4, 1).unwrap();
        let var = b.add_var("x", BTF_VAR_GLOBAL_ALLOCATED, int).unwrap();
        let sec = b.add_datasec(".data", 4).unwrap();
        b.add_datasec_var_info(var, 0, 4).unwrap();
        let proto = b.add_func_proto(int).unwrap();
        b.add_func_param("a", int).unwrap();
        b.add_func("f", BTF_FUNC_GLOBAL, proto).unwrap();
        b.add_float("float", 4).unwrap();
        b.add_type_tag("tag", int).unwrap();
        b.add_decl_tag("dtag", var, -1).unwrap();
        b.add_enum64("e64", 8, false).unwrap();
        b.add_enum64_value("A", 1 << 40).unwrap();
        let _ = sec;
        b
    }

    #[test]
    fn full_support_changes_nothing() {
        let b = object_like_btf();
        let s = sanitize(&b, BtfSupport::ALL).unwrap();
        assert_eq!(s.raw_data_native(), b.raw_data_native());
    }

    #[test]
    fn old_kernel_forms() {
        let b = object_like_btf();
        let none = BtfSupport {
            func: false,
            func_global: false,
            datasec: false,
            qmark_datasec: false,
            float: false,
            decl_tag: false,
            type_tag: false,
            enum64: false,
        };
        let s = sanitize(&b, none).unwrap();
        let kinds: Vec<u32> = (1..s.type_cnt()).map(|id| s.type_at(id).unwrap().kind()).collect();
        // int, var->int, datasec->struct, proto->enum, func->typedef,
        // float->struct, type_tag->const, decl_tag->int, enum64->union,
        // placeholder int.
        assert_eq!(
            kinds,
            vec![
                BTF_KIND_INT,
                BTF_KIND_INT,
                BTF_KIND_STRUCT,
                BTF_KIND_ENUM,
                BTF_KIND_TYPEDEF,
                BTF_KIND_STRUCT,
                BTF_KIND_CONST,
                BTF_KIND_INT,
                BTF_KIND_UNION,
                BTF_KIND_INT
            ]
        );
        let st = s.type_at(3).unwrap();
        assert_eq!(s.str_bytes(st.name_off()), Some(&b"_data"[..]));
        let m = st.members().next().unwrap();
        assert_eq!((s.str_bytes(m.name_off), m.type_id), (Some(&b"x"[..]), 2));
        // The original is untouched.
        assert_eq!(b.type_at(2).unwrap().kind(), BTF_KIND_VAR);
        let only_global = BtfSupport { func_global: false, ..BtfSupport::ALL };
        let s = sanitize(&b, only_global).unwrap();
        assert_eq!(s.type_at(5).unwrap().vlen(), BTF_FUNC_STATIC);
    }
}

impl Object {
    /// `bpf_program__set_attach_target()`: a BPF program to attach to
    /// (`attach_prog_fd`, its function resolved now when named, else at
    /// load), or a kernel function found now in vmlinux BTF.
    pub fn set_attach_target(&mut self, i: usize, attach_prog_fd: i32, func: Option<&str>) -> Result<()> {
        if attach_prog_fd < 0 || self.state >= super::State::Loaded {
            return Err(Error::INVAL);
        }
        if attach_prog_fd != 0 && func.is_none() {
            self.programs[i].attach_prog_fd = attach_prog_fd as u32;
            return Ok(());
        }
        let (obj_fd, id) = if attach_prog_fd != 0 {
            (0, find_prog_btf_id(func.unwrap_or(""), attach_prog_fd as u32)?)
        } else {
            let Some(func) = func else { return Err(Error::INVAL) };
            find_vmlinux_btf_id(func, self.programs[i].expected_attach_type)?
        };
        let p = &mut self.programs[i];
        p.attach_btf_id = id;
        p.attach_btf_obj_fd = obj_fd;
        p.attach_prog_fd = attach_prog_fd as u32;
        Ok(())
    }
}

/// The BTF object fd (0: vmlinux) and type id of kernel attach target
/// `target` for `attach_type` (see [`find_attach_btf_id`]).
pub fn find_vmlinux_btf_id(target: &str, attach_type: u32) -> Result<(u32, u32)> {
    let (module, func) = match target.split_once(':') {
        Some((m, f)) => (Some(m), f),
        None => (None, target),
    };
    if module.is_some_and(|m| !"vmlinux".starts_with(m)) {
        return Err(Error::new(libc::ESRCH));
    }
    let vmlinux = crate::btf::vmlinux_shared().inspect_err(|e| crate::pr_warn!("Error loading vmlinux BTF: {e}"))?;
    let (prefix, kind) = target_prefix_kind(attach_type);
    let full = format!("{prefix}{func}");
    if full.len() >= 128 {
        return Err(Error::new(libc::ENAMETOOLONG));
    }
    match vmlinux.find_by_name_kind(full.as_bytes(), kind) {
        Ok(id) => Ok((0, id)),
        Err(e) if e == Error::NOENT => Err(Error::new(libc::ESRCH)),
        Err(e) => Err(e),
    }
}

/// `libbpf_find_vmlinux_btf_id()`: the vmlinux BTF id of `name` as an
/// attach target of `attach_type` (prefixes such as `btf_trace_` added).
pub fn vmlinux_btf_id(name: &str, attach_type: u32) -> Result<u32> {
    let vmlinux = crate::btf::vmlinux_shared().inspect_err(|_| crate::pr_warn!("vmlinux BTF is not found"))?;
    let (prefix, kind) = target_prefix_kind(attach_type);
    let full = format!("{prefix}{name}");
    if full.len() >= 128 {
        return Err(Error::new(libc::ENAMETOOLONG));
    }
    vmlinux.find_by_name_kind(full.as_bytes(), kind).inspect_err(|_| crate::pr_warn!("{name} is not found in vmlinux BTF"))
}
