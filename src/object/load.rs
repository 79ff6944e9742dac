//! Loading an object: `prepare` (named steps over the object value, then
//! BTF and maps in the kernel) and `load` (the programs), with libbpf's log
//! behaviour and its all-or-nothing rule: a failed prepare or load closes
//! every fd it created and leaves the object "loaded" (not loadable again).
//!
//! The steps, in order:
//! 1. `prepare_token`, `probe_loading` (memlock, trivial program);
//! 2. `resolve_externs` and CO-RE relocation — the plug points of `.kconfig`
//!    / `.ksyms` externs and CO-RE (a later stage of work; objects needing
//!    them fail with `EOPNOTSUPP` until then);
//! 3. `sanitize_maps`, `relocate` (subprogram calls, map and data
//!    references — pure, see [`super::subprog`] and [`super::reloc`]);
//! 4. `sanitize_and_load_btf` (see [`super::sanitize`]);
//! 5. `create_maps` (see [`super::create`]), then map fds into the code;
//! 6. `sanitize_progs` (helper fallbacks for old kernels);
//! 7. at load: every program, then prog-array `values`.
//!
//! With a loader session (`bpf_object__gen_loader()`) the same steps run,
//! but what they would do in the kernel (BTF, maps, programs) is recorded
//! into a loader program by `super::gen_loader::steps`: feature probes
//! answer yes, vmlinux BTF is not loaded, CO-RE relocations, typed ksyms
//! and attach targets are left to the loader, map references use
//! `fd_array` indices.

use std::os::fd::AsRawFd;

use crate::bpf_api::object::{self as kcall, Mem, MemMut, ProgLoad, Records};
use crate::error::{code, Error, Result};
use crate::sys::usermem::UserMem;
use crate::uapi::bpf_enums::{attach, insn as op, prog as pt, prog_flags};

use super::features::{Feature, FeatureCache};
use super::reloc::{self, DataKind, MapRef};
use super::sec_def::{flags as secf, Handler};
use super::{subprog, HandlerCalls, Object, ObjectCell, State};

/// Size of the log buffer libbpf allocates itself (`BPF_LOG_BUF_SIZE`).
pub const LOG_BUF_SIZE: usize = (u32::MAX >> 8) as usize;

/// Where func_info/line_info records for a load come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InfoSrc {
    #[default]
    None,
    /// The program's own prepared records.
    Program,
    /// Records the application supplied (through a SEC() handler).
    User { mem: UserMem, cnt: u32, rec_size: u32 },
}

/// The load attributes of one program, as `struct bpf_prog_load_opts`
/// carries them to a SEC() handler's `prog_prepare_load_fn`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProgLoadAttrs {
    pub expected_attach_type: u32,
    pub prog_btf_fd: u32,
    pub prog_flags: u32,
    pub prog_ifindex: u32,
    pub kern_version: u32,
    pub attach_btf_id: u32,
    pub attach_prog_fd: u32,
    pub attach_btf_obj_fd: u32,
    pub fd_array: UserMem,
    pub fd_array_cnt: u32,
    pub func_info: InfoSrc,
    pub line_info: InfoSrc,
    pub log_level: u32,
    pub log_buf: UserMem,
    pub token_fd: u32,
}

impl Object {
    /// Whether the running kernel supports `f` (through the object's BPF
    /// token when it has one).
    pub fn supports(&self, f: Feature) -> bool {
        if self.generates_loader() {
            // a loader is generated for the newest kernel
            return true;
        }
        match &self.feat_cache {
            Some(c) => c.supports(f),
            None => super::features::process().supports(f),
        }
    }

    /// Closes every map and program fd (after a failed prepare or load).
    pub fn unload(&mut self) {
        for m in &mut self.maps {
            m.fd = None;
        }
        for p in &mut self.programs {
            p.unload();
        }
    }
}

/// `bpf_object__prepare()`: everything but loading the programs.
pub fn prepare<C: ObjectCell>(cell: &C) -> Result<()> {
    cell.with(|o| {
        if o.state >= State::Prepared {
            crate::pr_warn!("object '{}': prepare loading can't be attempted twice", o.name_str());
            return Err(Error::INVAL);
        }
        super::gen_loader::steps::start(o);
        let res = prepare_token(o)
            .and_then(|()| probe_loading(o))
            .and_then(|()| resolve_externs(o))
            .and_then(|()| sanitize_maps(o))
            .and_then(|()| relocate(o))
            .and_then(|()| super::sanitize::sanitize_and_load_btf(o))
            .and_then(|()| super::create::create_maps(o))
            .and_then(|()| fill_map_fds(o))
            .and_then(|()| sanitize_progs(o));
        // vmlinux BTF is needed no further (it stays cached for a while)
        o.kernel_btf = None;
        match res {
            Ok(()) => {
                o.state = State::Prepared;
                Ok(())
            }
            Err(e) => {
                o.unpin_auto_pinned();
                o.unload();
                o.state = State::Loaded;
                Err(e)
            }
        }
    })
}

/// `bpf_object__load()`: prepares (if not done yet), loads every
/// autoloaded program, fills prog-array `values`.
pub fn load<C: ObjectCell, H: HandlerCalls>(cell: &C, hooks: &H) -> Result<()> {
    let (state, native) = cell.with(|o| (o.state, o.little_endian == cfg!(target_endian = "little")));
    if state >= State::Loaded {
        cell.with(|o| crate::pr_warn!("object '{}': load can't be attempted twice", o.name_str()));
        return Err(Error::INVAL);
    }
    // a loader may be generated for a host of the other byte order
    if !native && !cell.with(|o| o.generates_loader()) {
        cell.with(|o| crate::pr_warn!("object '{}': loading non-native endianness is unsupported", o.name_str()));
        return Err(Error::new(code::ENDIAN));
    }
    cell.with(|o| super::gen_loader::steps::check_start(o))?;
    if state < State::Prepared {
        prepare(cell)?;
    }
    let res = load_progs(cell, hooks).and_then(|()| {
        cell.with(|o| {
            if o.generates_loader() {
                super::gen_loader::steps::check_prog_arrays(o).and_then(|()| super::gen_loader::steps::finish(o))
            } else {
                super::create::init_prog_arrays(o)
            }
        })
    });
    cell.with(|o| {
        o.state = State::Loaded;
        if let Err(e) = res {
            o.unpin_auto_pinned();
            o.unload();
            crate::pr_warn!("failed to load object '{}'", o.path);
            return Err(e);
        }
        Ok(())
    })
}

/// Step: a BPF token from bpffs (`bpf_token_path`, `LIBBPF_BPF_TOKEN_PATH`,
/// else `/sys/fs/bpf` when it delegates; an empty path prevents it).
fn prepare_token(o: &mut Object) -> Result<()> {
    if o.token_path.as_deref() == Some("") {
        crate::pr_debug!("object '{}': token is prevented, skipping...", o.name_str());
        return Ok(());
    }
    let mandatory = o.token_path.is_some();
    let path = o.token_path.clone().unwrap_or_else(|| super::map_def::BPF_FS_DEFAULT_PATH.to_string());
    let say = |msg: String| {
        if mandatory {
            crate::pr_warn!("{msg}");
        } else {
            crate::pr_debug!("{msg}");
        }
    };
    let dir = match std::fs::File::open(&path) {
        Ok(d) => d,
        Err(e) => {
            let err = Error::from(e);
            say(format!(
                "object '{}': failed ({err}) to open BPF FS mount at '{path}'{}",
                o.name_str(),
                if mandatory { "" } else { ", skipping optional step..." }
            ));
            return if mandatory { Err(err) } else { Ok(()) };
        }
    };
    match crate::sys::misc::token_create(dir.as_raw_fd(), 0) {
        Ok(fd) => {
            o.feat_cache = Some(Box::new(FeatureCache::new(fd.as_raw_fd())));
            o.token_fd = Some(fd);
            Ok(())
        }
        Err(e) if !mandatory && e.errno() == libc::ENOENT => {
            crate::pr_debug!("object '{}': BPF FS at '{path}' doesn't have BPF token delegation set up, skipping...", o.name_str());
            Ok(())
        }
        Err(e) => {
            say(format!(
                "object '{}': failed ({}) to create BPF token from '{path}'{}",
                o.name_str(),
                e.neg(),
                if mandatory { "" } else { ", skipping optional step..." }
            ));
            if mandatory {
                Err(e)
            } else {
                Ok(())
            }
        }
    }
}

/// Step: the memlock rlimit, then a trivial program must load.
fn probe_loading(o: &mut Object) -> Result<()> {
    if o.generates_loader() {
        return Ok(());
    }
    if let Err(e) = crate::bpf_api::memlock::bump() {
        crate::pr_warn!("Failed to bump RLIMIT_MEMLOCK (err = {e}), you might need to do it explicitly!");
    }
    let insns = [
        crate::uapi::bpf_insn { code: 0xb7, regs: 0, off: 0, imm: 0 },
        crate::uapi::bpf_insn { code: 0x95, regs: 0, off: 0, imm: 0 },
    ];
    let token = o.token_raw_fd().unwrap_or(0);
    let attempt = |prog_type| {
        let mut p = ProgLoad {
            prog_type,
            license: Some(c"GPL"),
            insns: Mem::of(&insns[..]),
            insn_cnt: 2,
            token_fd: token as u32,
            prog_flags: if token != 0 { prog_flags::TOKEN_FD } else { 0 },
            ..Default::default()
        };
        kcall::load_prog(&mut p).0
    };
    match attempt(pt::SOCKET_FILTER).or_else(|_| attempt(pt::TRACEPOINT)) {
        Ok(_) => Ok(()),
        Err(e) => {
            crate::pr_warn!(
                "Error in bpf_object__probe_loading(): {e}. Couldn't load trivial BPF program. Make sure your kernel supports BPF (CONFIG_BPF_SYSCALL=y) and/or that RLIMIT_MEMLOCK is set to big enough value."
            );
            Err(e)
        }
    }
}

/// Step: vmlinux BTF, when CO-RE (without `btf_custom_path`) or typed
/// ksyms need it: the process-wide shared one (see `crate::relo::kernel`),
/// held until the end of `prepare`.
fn load_vmlinux_btf(o: &mut Object) -> Result<()> {
    let typed_ksyms = o.externs.iter().any(|e| e.ksym().is_some_and(|k| k.type_id != 0));
    let core = o.has_core_relos && o.btf_custom_path.is_none();
    if o.kernel_btf.is_some() || o.generates_loader() || !(typed_ksyms || core) {
        return Ok(());
    }
    o.kernel_btf = Some(crate::relo::kernel::vmlinux()?);
    Ok(())
}

/// Step: every `.kconfig` and `.ksyms` extern gets its value (see
/// `crate::externs::resolve_externs`); kconfig values go into the
/// `.kconfig` map's image, module kfuncs into the object's `fd_array`.
fn resolve_externs(o: &mut Object) -> Result<()> {
    load_vmlinux_btf(o)?;
    if o.externs.is_empty() {
        return Ok(());
    }
    let Some(local) = o.btf.clone() else { return Err(Error::INVAL) };
    let targets = match &o.kernel_btf {
        Some(k) => Some(crate::relo::kernel::targets(None, Some(k))?),
        None => None,
    };
    let env = crate::externs::resolve::SystemEnv {
        kconfig: o.kconfig.as_deref(),
        targets: targets.as_ref(),
        defer_typed: o.generates_loader(),
    };
    let kcfg = match o.kconfig_map {
        Some(i) => o.maps.get_mut(i).and_then(|m| m.mmaped.as_mut()).map(|m| m.as_mut_slice()),
        None => None,
    };
    o.fd_array = crate::externs::resolve_externs(&mut o.externs, &*local, kcfg, &env)?;
    Ok(())
}

/// Step: CO-RE relocation of every program's own code (before subprograms
/// are linked), against vmlinux and modules or the custom BTF. Applied
/// relocations are recorded with the program's relocations.
fn relocate_core(o: &mut Object) -> Result<()> {
    use crate::relo::object::{relocate_object, ProgCode, SectionRelos};
    let (Some(local), Some(ext)) = (o.btf.clone(), o.btf_ext.as_ref()) else { return Ok(()) };
    // a loader has the kernel it runs on relocate: records only
    let targets = if o.generates_loader() {
        None
    } else {
        match crate::relo::kernel::targets(o.btf_custom_path.as_deref(), o.kernel_btf.as_deref()) {
            Ok(t) => Some(t),
            Err(e) => {
                crate::pr_warn!("failed to perform CO-RE relocations: {}", e.neg());
                return Err(e);
            }
        }
    };
    let sections: Vec<SectionRelos<'_>> = ext
        .core_relo_sections()
        .map(|s| SectionRelos { sec_name: local.name(s.sec_name_off).unwrap_or(""), relos: s.core_relos().collect() })
        .collect();
    let names: Vec<(String, String)> =
        o.programs.iter().map(|p| (p.name_str().into_owned(), p.sec_name_str().into_owned())).collect();
    let mut progs: Vec<ProgCode<'_>> = o
        .programs
        .iter_mut()
        .zip(&names)
        .map(|(p, (name, sec))| ProgCode {
            name,
            sec_name: sec,
            sec_insn_off: p.sec_insn_off,
            insns: &mut p.insns[..],
            autoload: p.autoload,
        })
        .collect();
    let applied = match &targets {
        Some(t) => relocate_object(&*local, &sections, &mut progs, t)?,
        None => crate::relo::object::record_object(&sections, &mut progs)?,
    };
    drop(progs);
    for (p, insn_idx, core) in applied {
        let prog = &mut o.programs[p];
        prog.relos.push(reloc::Reloc { core, ..reloc::Reloc::new_core(insn_idx) });
        reloc::sort(&mut prog.relos);
    }
    Ok(())
}

/// Patches every extern reference of a relocated main program.
fn relocate_externs(o: &mut Object, i: usize) -> Result<()> {
    let name = o.programs[i].name_str().into_owned();
    let p = &mut o.programs[i];
    for (n, r) in p.relos.iter_mut().enumerate() {
        if !matches!(r.kind, reloc::RelocKind::ExternLd64 | reloc::RelocKind::ExternCall) {
            continue;
        }
        let ext = o.externs.get(r.ext_idx).ok_or(Error::RELOC)?;
        if ext.kcfg().is_some() {
            // the .kconfig map's fd is written with the other map fds
            r.map_idx = o.kconfig_map.ok_or(Error::RELOC)?;
        }
        crate::externs::patch_extern_insn(&name, n, &mut p.insns, r.insn_idx, ext, r.ext_idx, -1)?;
    }
    Ok(())
}

/// Step: global data maps lose `BPF_F_MMAPABLE` on kernels that cannot
/// mmap() arrays.
fn sanitize_maps(o: &mut Object) -> Result<()> {
    if !o.supports(Feature::ArrayMmap) {
        for m in o.maps.iter_mut().filter(|m| m.is_internal()) {
            m.def.map_flags &= !crate::uapi::bpf_enums::map_flags::MMAPABLE;
        }
    }
    Ok(())
}

/// Step: CO-RE (plug point), subprogram linking and map/data references
/// of every autoloaded main program. Map fds are placeholders (-1) until
/// the maps exist.
fn relocate(o: &mut Object) -> Result<()> {
    if o.has_core_relos {
        relocate_core(o)?;
    }
    subprog::mark_pseudo_funcs(&mut o.programs);
    let ext = (!o.ext_infos.func.is_empty() || !o.ext_infos.line.is_empty()) && o.supports(Feature::BtfFunc);
    let ext_infos = std::mem::take(&mut o.ext_infos);
    let mains: Vec<usize> = (0..o.programs.len()).filter(|&i| !o.is_subprog(i) && o.programs[i].autoload).collect();
    let res = (|| {
        for &i in &mains {
            if let Err(e) = subprog::relocate_calls(&mut o.programs, i, o.text_shndx, ext.then_some(&ext_infos)) {
                crate::pr_warn!("prog '{}': failed to relocate calls: {e}", o.programs[i].name_str());
                return Err(e);
            }
            if let Some(j) = super::sanitize::exception_callback(o, i)? {
                if o.programs[j].sub_insn_off == 0 {
                    subprog::append_and_relocate(&mut o.programs, i, j, o.text_shndx, ext.then_some(&ext_infos))?;
                }
            }
        }
        let refs: Vec<MapRef> = o.maps.iter().map(|m| if m.autocreate { MapRef::Fd(-1) } else { MapRef::NotCreated }).collect();
        for &i in &mains {
            let p = &mut o.programs[i];
            let name = p.name_str().into_owned();
            if let Err(e) = reloc::apply_data(&name, &mut p.insns, &p.relos, &refs) {
                crate::pr_warn!("prog '{name}': failed to relocate data references: {e}");
                return Err(e);
            }
            relocate_externs(o, i)?;
        }
        Ok(())
    })();
    o.ext_infos = ext_infos;
    res
}

/// Step: the created maps' fds into every relocated map reference.
fn fill_map_fds(o: &mut Object) -> Result<()> {
    let fds: Vec<i32> = o.maps.iter().map(|m| m.raw_fd().unwrap_or(-1)).collect();
    for i in 0..o.programs.len() {
        if o.is_subprog(i) || !o.programs[i].autoload {
            continue;
        }
        let p = &mut o.programs[i];
        if o.gen.is_some() {
            reloc::use_map_indices(&mut p.insns, &p.relos);
        } else {
            reloc::patch_map_fds(&mut p.insns, &p.relos, &fds);
        }
    }
    Ok(())
}

const BPF_FUNC_PROBE_READ: i32 = 4;
const BPF_FUNC_PROBE_READ_STR: i32 = 45;
const BPF_FUNC_PROBE_READ_USER: i32 = 112;
const BPF_FUNC_PROBE_READ_KERNEL: i32 = 113;
const BPF_FUNC_PROBE_READ_USER_STR: i32 = 114;
const BPF_FUNC_PROBE_READ_KERNEL_STR: i32 = 115;

/// Step: on kernels without `bpf_probe_read_{kernel,user}[_str]`, calls of
/// them become the older `bpf_probe_read[_str]`.
fn sanitize_progs(o: &mut Object) -> Result<()> {
    if o.supports(Feature::ProbeReadKern) {
        return Ok(());
    }
    for p in &mut o.programs {
        for insn in p.insns.iter_mut() {
            if insn.code != op::CALL || insn.src_reg() != 0 || insn.dst_reg() != 0 {
                continue;
            }
            insn.imm = match insn.imm {
                BPF_FUNC_PROBE_READ_KERNEL | BPF_FUNC_PROBE_READ_USER => BPF_FUNC_PROBE_READ,
                BPF_FUNC_PROBE_READ_KERNEL_STR | BPF_FUNC_PROBE_READ_USER_STR => BPF_FUNC_PROBE_READ_STR,
                other => other,
            };
        }
    }
    Ok(())
}

/// Loads every autoloaded main program; the first failure stops.
fn load_progs<C: ObjectCell, H: HandlerCalls>(cell: &C, hooks: &H) -> Result<()> {
    let todo: Vec<usize> = cell.with(|o| (0..o.programs.len()).filter(|&i| !o.is_subprog(i)).collect());
    for i in todo {
        let skip = cell.with(|o| {
            let p = &o.programs[i];
            if !p.autoload {
                crate::pr_debug!("prog '{}': skipped loading", p.name_str());
            }
            !p.autoload
        });
        if skip {
            continue;
        }
        if let Err(e) = load_one(cell, hooks, i) {
            cell.with(|o| crate::pr_warn!("prog '{}': failed to load: {e}", o.programs[i].name_str()));
            return Err(e);
        }
    }
    cell.with(|o| o.programs.iter_mut().for_each(|p| p.relos.clear()));
    Ok(())
}

/// The attributes a program loads with, before its SEC() handler's say.
fn base_attrs(o: &Object, i: usize) -> ProgLoadAttrs {
    let p = &o.programs[i];
    let token = o.token_raw_fd().unwrap_or(0) as u32;
    let with_btf = (o.btf_raw_fd().is_some() || o.loader_has_btf()) && o.supports(Feature::BtfFunc);
    let info = |e: &super::program::ExtInfo| if with_btf && !e.is_empty() { InfoSrc::Program } else { InfoSrc::None };
    ProgLoadAttrs {
        expected_attach_type: p.expected_attach_type,
        prog_btf_fd: if with_btf { o.btf_raw_fd().unwrap_or(0) as u32 } else { 0 },
        prog_flags: p.prog_flags | if token != 0 { prog_flags::TOKEN_FD } else { 0 },
        prog_ifindex: p.ifindex,
        kern_version: o.kern_version,
        attach_btf_id: p.attach_btf_id,
        attach_prog_fd: p.attach_prog_fd,
        attach_btf_obj_fd: p.attach_btf_obj_fd,
        fd_array: UserMem::NONE,
        fd_array_cnt: 0,
        func_info: info(&p.func_info),
        line_info: info(&p.line_info),
        log_level: p.log_level,
        log_buf: UserMem::NONE,
        token_fd: token,
    }
}

/// libbpf's own `prog_prepare_load_fn` for built-in SEC() definitions.
fn builtin_prepare(o: &mut Object, i: usize, flags: i64, attrs: &mut ProgLoadAttrs) -> Result<()> {
    if flags & secf::EXP_ATTACH_OPT != 0 && !o.supports(Feature::ExpAttachType) {
        attrs.expected_attach_type = 0;
    }
    if flags & secf::SLEEPABLE != 0 {
        attrs.prog_flags |= prog_flags::SLEEPABLE;
    }
    if o.programs[i].prog_type == pt::XDP && flags & secf::XDP_FRAGS != 0 {
        attrs.prog_flags |= prog_flags::XDP_HAS_FRAGS;
    }
    if flags & secf::USDT != 0 && o.supports(Feature::UprobeMultiLink) {
        o.programs[i].expected_attach_type = attach::TRACE_UPROBE_MULTI;
        attrs.expected_attach_type = attach::TRACE_UPROBE_MULTI;
    }
    if flags & secf::ATTACH_BTF != 0 && o.programs[i].attach_btf_id == 0 {
        let sec = o.programs[i].sec_name_str().into_owned();
        let Some((_, target)) = sec.split_once('/') else {
            crate::pr_warn!(
                "prog '{}': no BTF-based attach target is specified, use bpf_program__set_attach_target()",
                o.programs[i].name_str()
            );
            return Err(Error::INVAL);
        };
        let (obj_fd, id) = if o.generates_loader() {
            super::gen_loader::steps::record_attach_target(o, i, target)?
        } else {
            super::sanitize::find_attach_btf_id(o, i, target)?
        };
        o.programs[i].attach_btf_obj_fd = obj_fd;
        o.programs[i].attach_btf_id = id;
        attrs.attach_btf_obj_fd = obj_fd;
        attrs.attach_btf_id = id;
    }
    Ok(())
}

/// Runs the SEC() handler's load preparation of program `i`.
fn run_prepare<C: ObjectCell, H: HandlerCalls>(cell: &C, hooks: &H, i: usize, attrs: &mut ProgLoadAttrs) -> Result<()> {
    let def = cell.with(|o| o.programs[i].sec_def.clone());
    let Some(def) = def else { return Ok(()) };
    let res = match &def.handler {
        Handler::Builtin(_) => cell.with(|o| builtin_prepare(o, i, def.cookie, attrs)),
        Handler::Custom(cb) if cb.prepare_load != 0 => {
            let ret = hooks.prepare_load(i, cb.prepare_load, def.cookie, attrs);
            if ret < 0 {
                Err(Error::new(ret))
            } else {
                Ok(())
            }
        }
        Handler::Custom(_) => Ok(()),
    };
    res.inspect_err(|e| {
        cell.with(|o| crate::pr_warn!("prog '{}': failed to prepare load attributes: {e}", o.programs[i].name_str()))
    })
}

fn load_one<C: ObjectCell, H: HandlerCalls>(cell: &C, hooks: &H, i: usize) -> Result<()> {
    let mut attrs = cell.with(|o| {
        let p = &o.programs[i];
        match p.prog_type {
            pt::UNSPEC => {
                crate::pr_warn!("prog '{}': missing BPF prog type, check ELF section name '{}'", p.name_str(), p.sec_name_str());
                return Err(Error::INVAL);
            }
            pt::STRUCT_OPS if p.attach_btf_id == 0 => {
                crate::pr_warn!(
                    "prog '{}': SEC(\"struct_ops\") program isn't referenced anywhere, did you forget to use it?",
                    p.name_str()
                );
                return Err(Error::INVAL);
            }
            _ => {}
        }
        if p.insns.is_empty() {
            return Err(Error::INVAL);
        }
        Ok(base_attrs(o, i))
    })?;
    run_prepare(cell, hooks, i, &mut attrs)?;
    cell.with(|o| {
        if o.generates_loader() {
            super::gen_loader::steps::load_prog(o, i, &attrs)
        } else {
            load_with_log(o, i, &attrs)
        }
    })
}

/// The kernel load of program `i` with libbpf's log rules: no log at first
/// unless a level is set; on failure, once more at level 1 into the
/// program's buffer, else the object's, else one of our own (grown on
/// `ENOSPC`), whose contents are then printed.
fn load_with_log(o: &mut Object, i: usize, attrs: &ProgLoadAttrs) -> Result<()> {
    let license = o.license.clone();
    let name = o.programs[i].name.clone();
    let mut log_level = o.programs[i].log_level;
    let mut own: Vec<u8> = Vec::new();
    let (prog_log, obj_log) = (o.programs[i].log_buf, o.log_buf);
    let res = loop {
        let p = &o.programs[i];
        let mut own_used = false;
        let log = if log_level == 0 {
            MemMut::None
        } else if !prog_log.is_null() {
            MemMut::User(prog_log)
        } else if !obj_log.is_null() {
            MemMut::User(obj_log)
        } else {
            let size = LOG_BUF_SIZE.max(own.len() * 2);
            own.resize(size, 0);
            own[0] = 0;
            own_used = true;
            MemMut::Slice(&mut own[..])
        };
        let mut req = ProgLoad {
            prog_type: p.prog_type,
            name: Some(name.as_bytes()),
            license: Some(license.as_c_str()),
            insns: Mem::of(&p.insns[..]),
            insn_cnt: p.insns.len(),
            expected_attach_type: attrs.expected_attach_type,
            prog_btf_fd: attrs.prog_btf_fd,
            prog_flags: attrs.prog_flags,
            prog_ifindex: attrs.prog_ifindex,
            kern_version: attrs.kern_version,
            attach_btf_id: attrs.attach_btf_id,
            attach_prog_fd: attrs.attach_prog_fd,
            attach_btf_obj_fd: attrs.attach_btf_obj_fd,
            fd_array: if attrs.fd_array.is_null() && !o.fd_array.is_empty() {
                Mem::of(&o.fd_array[..])
            } else {
                Mem::user(attrs.fd_array)
            },
            fd_array_cnt: attrs.fd_array_cnt,
            func_info: records(attrs.func_info, &p.func_info),
            line_info: records(attrs.line_info, &p.line_info),
            log,
            log_level,
            token_fd: attrs.token_fd,
        };
        let (res, _) = kcall::load_prog(&mut req);
        drop(req);
        match res {
            Ok(fd) => {
                if log_level != 0 && own_used {
                    crate::pr_debug!(
                        "prog '{}': -- BEGIN PROG LOAD LOG --\n{}-- END PROG LOAD LOG --",
                        name.to_string_lossy(),
                        text_of(&own)
                    );
                }
                break Ok(fd);
            }
            Err(_) if log_level == 0 => log_level = 1,
            Err(e) if own_used && e.errno() == libc::ENOSPC && own.len() <= (u32::MAX / 2) as usize => {}
            Err(e) => break Err((e, own_used)),
        }
    };
    match res {
        Ok(fd) => {
            if o.has_rodata && o.supports(Feature::ProgBindMap) {
                for m in o.maps.iter().filter(|m| m.data == Some(DataKind::Rodata)) {
                    let Some(map_fd) = m.raw_fd() else { continue };
                    if let Err(e) = crate::sys::prog::bind_map(fd.as_raw_fd(), map_fd, 0) {
                        crate::pr_warn!(
                            "prog '{}': failed to bind map '{}': {e}",
                            name.to_string_lossy(),
                            m.real_name.as_ref().map(|r| r.to_string_lossy().into_owned()).unwrap_or_default()
                        );
                    }
                }
            }
            o.programs[i].fd = Some(fd);
            Ok(())
        }
        Err((e, own_used)) => {
            let ctx = super::verifier_log::LogCtx::new(o, i);
            let fix = |buf: &mut [u8]| super::verifier_log::fixup_with(buf, &ctx);
            if own_used {
                fix(&mut own);
            } else if !prog_log.is_null() {
                prog_log.with_bytes_mut(fix);
            } else if !obj_log.is_null() {
                obj_log.with_bytes_mut(fix);
            }
            crate::pr_warn!("prog '{}': BPF program load failed: {e}", name.to_string_lossy());
            perm_msg(e);
            if own_used && own.first().is_some_and(|&b| b != 0) {
                crate::pr_warn!("prog '{}': -- BEGIN PROG LOAD LOG --\n{}-- END PROG LOAD LOG --", name.to_string_lossy(), text_of(&own));
            }
            Err(e)
        }
    }
}

/// The records a load passes for `src` (the program's own are `e`).
fn records(src: InfoSrc, e: &super::program::ExtInfo) -> Records<'_> {
    match src {
        InfoSrc::None => Records::default(),
        InfoSrc::Program => Records { data: Mem::of(&e.words[..]), cnt: e.count(), rec_size: e.rec_size },
        InfoSrc::User { mem, cnt, rec_size } => Records { data: Mem::user(mem), cnt, rec_size },
    }
}

fn text_of(buf: &[u8]) -> String {
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

/// The hint libbpf gives root users hitting `EPERM` under a small memlock limit.
pub fn perm_msg(e: Error) {
    if e.errno() != libc::EPERM || crate::sys::process::euid() != 0 {
        return;
    }
    let Some(lim) = crate::sys::process::memlock_limit() else { return };
    let value = if lim < 1024 {
        format!("{lim} bytes")
    } else if lim < 1024 * 1024 {
        format!("{:.1} KiB", lim as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", lim as f64 / (1024.0 * 1024.0))
    };
    crate::pr_warn!("permission error while running as root; try raising 'ulimit -l'? current value: {value}");
}

/// What `bpf_program__clone()` was given (`struct bpf_prog_load_opts`).
#[derive(Clone, Copy, Debug, Default)]
pub struct CloneOpts {
    pub attrs: ProgLoadAttrs,
    pub log_size: u32,
}

/// `bpf_program__clone()`: loads another instance of prepared program `i`
/// and returns its fd, owned by the caller. Fields left zero in `opts`
/// take the program's (or object's) values; logging is the caller's alone.
pub fn clone_program<C: ObjectCell, H: HandlerCalls>(cell: &C, hooks: &H, i: usize, opts: &CloneOpts) -> Result<std::os::fd::OwnedFd> {
    let mut attrs = cell.with(|o| {
        if o.state < State::Prepared {
            return Err(Error::INVAL);
        }
        let p = &o.programs[i];
        let u = &opts.attrs;
        let pick = |a: u32, b: u32| if a != 0 { a } else { b };
        let mut a = ProgLoadAttrs {
            attach_prog_fd: pick(u.attach_prog_fd, p.attach_prog_fd),
            prog_flags: pick(u.prog_flags, p.prog_flags),
            prog_ifindex: pick(u.prog_ifindex, p.ifindex),
            kern_version: pick(u.kern_version, o.kern_version),
            fd_array: if u.fd_array.is_null() { UserMem::NONE } else { u.fd_array },
            fd_array_cnt: u.fd_array_cnt,
            token_fd: pick(u.token_fd, o.token_raw_fd().unwrap_or(0) as u32),
            log_level: u.log_level,
            log_buf: u.log_buf,
            expected_attach_type: p.expected_attach_type,
            attach_btf_id: p.attach_btf_id,
            attach_btf_obj_fd: p.attach_btf_obj_fd,
            ..Default::default()
        };
        if a.token_fd != 0 {
            a.prog_flags |= prog_flags::TOKEN_FD;
        }
        let btf_fd = pick(u.prog_btf_fd, o.btf_raw_fd().unwrap_or(0) as u32);
        if o.supports(Feature::BtfFunc) && btf_fd > 0 {
            a.prog_btf_fd = btf_fd;
            for (kind, given, own) in
                [("func_info", u.func_info, &p.func_info), ("line_info", u.line_info, &p.line_info)]
            {
                let v = match given {
                    InfoSrc::User { mem, cnt, rec_size } => {
                        if mem.is_null() != (cnt == 0) || mem.is_null() != (rec_size == 0) {
                            crate::pr_warn!(
                                "prog '{}': {kind}, {kind}_cnt, and {kind}_rec_size must all be specified or all omitted",
                                p.name_str()
                            );
                            return Err(Error::INVAL);
                        }
                        if mem.is_null() {
                            if own.is_empty() { InfoSrc::None } else { InfoSrc::Program }
                        } else {
                            given
                        }
                    }
                    _ if own.is_empty() => InfoSrc::None,
                    _ => InfoSrc::Program,
                };
                if kind == "func_info" {
                    a.func_info = v;
                } else {
                    a.line_info = v;
                }
            }
        }
        Ok(a)
    })?;
    run_prepare(cell, hooks, i, &mut attrs)?;
    let u = &opts.attrs;
    if u.expected_attach_type != 0 {
        attrs.expected_attach_type = u.expected_attach_type;
    }
    if u.attach_btf_id != 0 {
        attrs.attach_btf_id = u.attach_btf_id;
    }
    if u.attach_btf_obj_fd != 0 {
        attrs.attach_btf_obj_fd = u.attach_btf_obj_fd;
    }
    cell.with(|o| {
        let p = &o.programs[i];
        let license = o.license.clone();
        let mut req = ProgLoad {
            prog_type: p.prog_type,
            name: Some(p.name.as_bytes()),
            license: Some(license.as_c_str()),
            insns: Mem::of(&p.insns[..]),
            insn_cnt: p.insns.len(),
            expected_attach_type: attrs.expected_attach_type,
            prog_btf_fd: attrs.prog_btf_fd,
            prog_flags: attrs.prog_flags,
            prog_ifindex: attrs.prog_ifindex,
            kern_version: attrs.kern_version,
            attach_btf_id: attrs.attach_btf_id,
            attach_prog_fd: attrs.attach_prog_fd,
            attach_btf_obj_fd: attrs.attach_btf_obj_fd,
            fd_array: if attrs.fd_array.is_null() && !o.fd_array.is_empty() {
                Mem::of(&o.fd_array[..])
            } else {
                Mem::user(attrs.fd_array)
            },
            fd_array_cnt: attrs.fd_array_cnt,
            func_info: records(attrs.func_info, &p.func_info),
            line_info: records(attrs.line_info, &p.line_info),
            log: if opts.attrs.log_buf.is_null() { MemMut::None } else { MemMut::User(opts.attrs.log_buf) },
            log_level: opts.attrs.log_level,
            token_fd: attrs.token_fd,
        };
        kcall::load_prog(&mut req).0
    })
}

/// Computes `prog`'s hash for exclusive maps: SHA-256 of its image with
/// the fd/offset words of map references cleared.
pub fn compute_hash(insns: &[crate::uapi::bpf_insn]) -> Result<[u8; 32]> {
    let mut purged = insns.to_vec();
    let mut i = 0;
    while i < purged.len() {
        if reloc::is_ldimm64(&purged[i]) && matches!(purged[i].src_reg(), op::PSEUDO_MAP_FD | op::PSEUDO_MAP_VALUE) {
            purged[i].imm = 0;
            i += 1;
            let next = purged.get_mut(i).ok_or(Error::INVAL)?;
            if next.code != 0 || next.regs != 0 || next.off != 0 {
                return Err(Error::INVAL);
            }
            next.imm = 0;
        }
        i += 1;
    }
    let mut bytes = Vec::with_capacity(purged.len() * 8);
    for insn in &purged {
        bytes.push(insn.code);
        bytes.push(insn.regs);
        bytes.extend_from_slice(&insn.off.to_ne_bytes());
        bytes.extend_from_slice(&insn.imm.to_ne_bytes());
    }
    Ok(super::sha256::sha256(&bytes))
}
