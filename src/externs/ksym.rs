//! Typed `.ksyms` externs: kernel variables (`extern T sym __ksym`) and
//! kfuncs (`extern int f(...) __ksym`), resolved to BTF ids of vmlinux or,
//! when vmlinux does not have them, of a kernel module. A module kfunc also
//! needs its module's BTF fd in the program's `fd_array`; the instruction
//! carries the index.

use std::collections::HashMap;
use std::os::fd::AsRawFd;

use super::Extern;
use crate::error::{Error, Result};
use crate::relo::cands::Targets;
use crate::relo::matching::types_are_compat;
use crate::relo::view::{self, TypeView};
use crate::uapi::btf::*;

/// Finds `name` of kind `kind` in vmlinux, else in the modules' own types.
/// Returns (target number, type id), `ESRCH` when nowhere.
pub fn find_ksym_btf_id(targets: &Targets, name: &str, kind: u32) -> Result<(usize, u32)> {
    let main = &targets.main;
    if let Some(id) = main.index.find_by_name_kind(&*main.btf, name, kind) {
        return Ok((0, id));
    }
    for (i, m) in targets.modules()?.iter().enumerate() {
        if let Some(id) = m.index.find_by_name_kind(&*m.btf, name, kind) {
            return Ok((i + 1, id));
        }
    }
    Err(Error::new(libc::ESRCH))
}

/// Resolves the typed ksyms of one object and builds its `fd_array`.
pub struct KsymResolver<'a> {
    local: &'a dyn TypeView,
    targets: &'a Targets,
    /// The object's `fd_array` (index 0 unused once a module fd is added).
    pub fd_array: Vec<i32>,
    fd_idx: HashMap<usize, i16>,
}

impl<'a> KsymResolver<'a> {
    pub fn new(local: &'a dyn TypeView, targets: &'a Targets) -> KsymResolver<'a> {
        KsymResolver { local, targets, fd_array: Vec::new(), fd_idx: HashMap::new() }
    }

    fn module_fd(&self, t: usize) -> i32 {
        self.targets.get(t).and_then(|m| m.fd.as_ref()).map_or(0, |fd| fd.as_raw_fd())
    }

    /// A kernel variable: found by exact name among VARs, its type checked
    /// for compatibility with the local one. An absent `__weak` one stays
    /// unset; otherwise `ESRCH`; incompatible types: `EINVAL`.
    pub fn resolve_var(&mut self, ext: &mut Extern) -> Result<()> {
        let (t, id) = match find_ksym_btf_id(self.targets, &ext.name, BTF_KIND_VAR) {
            Ok(r) => r,
            Err(e) if e.errno() == libc::ESRCH && ext.is_weak => return Ok(()),
            Err(e) => {
                pr_warn!("extern (var ksym) '{}': not found in kernel BTF", ext.name);
                return Err(e);
            }
        };
        let tb = &*self.targets.get(t).ok_or(Error::INTERNAL)?.btf;
        let local_type_id = ext.ksym().map_or(0, |k| k.type_id);
        let targ_type_id = view::skip_mods_and_typedefs(tb, tb.type_ref(id)).ok_or(Error::INVAL)?;
        if !types_are_compat(self.local, local_type_id, tb, targ_type_id).unwrap_or(false) {
            pr_warn!(
                "extern (var ksym) '{}': incompatible types, expected [{}] {} {}, but kernel has [{}] {} {}",
                ext.name,
                local_type_id,
                view::kind_str(self.local.kind(local_type_id)),
                self.local.name(local_type_id),
                targ_type_id,
                view::kind_str(tb.kind(targ_type_id)),
                tb.name(targ_type_id)
            );
            return Err(Error::INVAL);
        }
        let fd = self.module_fd(t);
        let k = ext.ksym_mut().ok_or(Error::INVAL)?;
        k.kernel_btf_obj_fd = fd;
        k.kernel_btf_id = id;
        ext.is_set = true;
        pr_debug!(
            "extern (var ksym) '{}': resolved to [{}] {} {}",
            ext.name,
            id,
            view::kind_str(tb.kind(id)),
            tb.name(id)
        );
        Ok(())
    }

    /// A kfunc: found by essential name among FUNCs, its prototype checked
    /// for compatibility. An absent or incompatible `__weak` one stays unset
    /// (its calls are poisoned). A module kfunc gets its module's BTF fd
    /// added to `fd_array` (`E2BIG` past 32767 entries).
    pub fn resolve_func(&mut self, ext: &mut Extern) -> Result<()> {
        let lookup = ext.essent_name.clone().unwrap_or_else(|| ext.name.clone());
        let (t, id) = match find_ksym_btf_id(self.targets, &lookup, BTF_KIND_FUNC) {
            Ok(r) => r,
            Err(e) if e.errno() == libc::ESRCH && ext.is_weak => return Ok(()),
            Err(e) => {
                pr_warn!("extern (func ksym) '{}': not found in kernel or module BTFs", ext.name);
                return Err(e);
            }
        };
        let target = self.targets.get(t).ok_or(Error::INTERNAL)?;
        let tb = &*target.btf;
        let local_proto = ext.ksym().map_or(0, |k| k.type_id);
        let kern_proto = tb.type_ref(id);
        if !types_are_compat(self.local, local_proto, tb, kern_proto).unwrap_or(false) {
            if ext.is_weak {
                return Ok(());
            }
            pr_warn!(
                "extern (func ksym) '{}': func_proto [{}] incompatible with {} [{}]",
                ext.name,
                local_proto,
                if t == 0 { "vmlinux" } else { target.name.as_str() },
                kern_proto
            );
            return Err(Error::INVAL);
        }
        let mut fd_idx = 0;
        if t != 0 {
            fd_idx = match self.fd_idx.get(&t) {
                Some(&i) => i,
                None => {
                    if self.fd_array.len() >= i16::MAX as usize {
                        pr_warn!(
                            "extern (func ksym) '{}': module BTF fd index {} too big to fit in bpf_insn offset",
                            ext.name,
                            self.fd_array.len()
                        );
                        return Err(Error::TOO_BIG);
                    }
                    if self.fd_array.is_empty() {
                        // index 0 means vmlinux: never used for a module
                        self.fd_array.push(0);
                    }
                    let i = self.fd_array.len() as i16;
                    self.fd_array.push(self.module_fd(t));
                    self.fd_idx.insert(t, i);
                    i
                }
            };
        }
        let fd = self.module_fd(t);
        let k = ext.ksym_mut().ok_or(Error::INVAL)?;
        k.kernel_btf_id = id;
        k.btf_fd_idx = fd_idx;
        k.kernel_btf_obj_fd = fd;
        ext.is_set = true;
        pr_debug!(
            "extern (func ksym) '{}': resolved to {} [{}]",
            ext.name,
            if t == 0 { "vmlinux" } else { target.name.as_str() },
            id
        );
        Ok(())
    }

    /// Resolves every typed ksym of `externs` (variables and functions as
    /// told by the object's BTF).
    pub fn resolve_all(&mut self, externs: &mut [Extern]) -> Result<()> {
        for ext in externs.iter_mut() {
            if ext.ksym().is_none_or(|k| k.type_id == 0) {
                continue;
            }
            if self.local.kind(ext.btf_id) == Some(BTF_KIND_VAR) {
                self.resolve_var(ext)?;
            } else {
                self.resolve_func(ext)?;
            }
        }
        Ok(())
    }
}
