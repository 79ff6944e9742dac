//! The kernel BTFs relocations and typed ksyms resolve against.
//!
//! - vmlinux BTF, loaded once per process and shared (see [`shared`]): the
//!   parsed BTF plus its candidate index, so a load does not re-parse nor
//!   re-index it;
//! - the split BTFs of loaded kernel modules, read from the kernel (with
//!   their fds, which kfunc calls and typed ksyms reference) on first need,
//!   per load, as libbpf does;
//! - a BTF given by `btf_custom_path`, which replaces vmlinux (and modules)
//!   for CO-RE.
//!
//! [`shared`]: super::shared

use std::os::fd::AsFd;
use std::path::Path;
use std::sync::Arc;

use super::cands::{ModuleLoader, NameIndex, Target, Targets};
use super::shared::{Handle, Shared, GRACE};
use crate::btf::Btf;
use crate::error::{Error, Result};
use crate::sys::obj::IdKind;

/// vmlinux BTF and its candidate index.
pub struct KernelBtf {
    pub btf: Arc<Btf>,
    pub index: Arc<NameIndex>,
}

static VMLINUX: Shared<KernelBtf> = Shared::new(GRACE);

/// The running kernel's BTF, shared by every object that needs it (parsed
/// on first use; freed once no object has needed it for a few seconds).
/// Errors are logged as libbpf does ("Error loading vmlinux BTF").
pub fn vmlinux() -> Result<Handle<KernelBtf>> {
    VMLINUX
        .acquire(|| {
            let btf = crate::btf::vmlinux_shared()?;
            let index = Arc::new(NameIndex::build(&*btf, 1));
            pr_debug!("vmlinux BTF: {} types, {} named, indexed for CO-RE", btf.type_cnt(), index.len());
            Ok(KernelBtf { btf, index })
        })
        .map_err(|e| {
            pr_warn!("Error loading vmlinux BTF: {}", e.neg());
            e
        })
}

/// How many times this process parsed vmlinux BTF for CO-RE.
pub fn vmlinux_load_count() -> usize {
    VMLINUX.load_count()
}

impl KernelBtf {
    /// vmlinux as a candidate target.
    pub fn target(&self) -> Target {
        Target { name: "vmlinux".into(), btf: self.btf.clone(), index: self.index.clone(), start_id: 1, fd: None }
    }
}

/// Reads the BTF of every loaded kernel module (split on `vmlinux`), with
/// its fd. Missing privileges give an empty list (logged at debug level);
/// a module unloaded meanwhile is skipped; other failures are errors.
pub fn load_module_btfs(vmlinux: &Arc<Btf>) -> Result<Vec<Target>> {
    let mut out = Vec::new();
    let mut id = 0;
    loop {
        id = match crate::sys::obj::next_id(IdKind::Btf, id) {
            Ok(next) => next,
            Err(e) if e.errno() == libc::ENOENT => return Ok(out),
            Err(e) if e.errno() == libc::EPERM => {
                pr_debug!("skipping module BTFs loading, missing privileges");
                return Ok(out);
            }
            Err(e) => {
                pr_warn!("failed to iterate BTF objects: {}", e.neg());
                return Err(e);
            }
        };
        let fd = match crate::sys::obj::fd_by_id(IdKind::Btf, id, 0, 0) {
            Ok(fd) => fd,
            Err(e) if e.errno() == libc::ENOENT => continue,
            Err(e) => {
                pr_warn!("failed to get BTF object #{} FD: {}", id, e.neg());
                return Err(e);
            }
        };
        let (name, is_kernel) = crate::sys::btf::name_and_kernel_flag(fd.as_fd()).map_err(|e| {
            pr_warn!("failed to get BTF object #{} info: {}", id, e.neg());
            e
        })?;
        if !is_kernel || name == "vmlinux" {
            continue;
        }
        let btf = Btf::from_kernel_fd(fd.as_fd(), Some(vmlinux.clone())).map_err(|e| {
            pr_warn!("failed to load module [{}]'s BTF object #{}: {}", name, id, e.neg());
            e
        })?;
        let start_id = vmlinux.type_cnt();
        let index = Arc::new(NameIndex::build(&btf, start_id));
        out.push(Target { name, btf: Arc::new(btf), index, start_id, fd: Some(Arc::new(fd)) });
    }
}

/// A module loader for [`Targets`], on top of `vmlinux`.
pub fn module_loader(vmlinux: Arc<Btf>) -> ModuleLoader {
    Box::new(move || load_module_btfs(&vmlinux))
}

/// The targets of a load: the custom BTF at `custom_path` (parsed now, raw
/// BTF or an ELF file's `.BTF`; failures logged as "failed to parse target
/// BTF"), else vmlinux and, when needed, modules.
pub fn targets(custom_path: Option<&str>, vmlinux: Option<&KernelBtf>) -> Result<Targets> {
    if let Some(path) = custom_path {
        let btf = Btf::parse_file(Path::new(path), None, false).map(|(b, _)| b).map_err(|e| {
            pr_warn!("failed to parse target BTF: {}", e.neg());
            e
        })?;
        return Ok(Targets::new(Target::new("vmlinux", Arc::new(btf)), true, None));
    }
    let vm = vmlinux.ok_or(Error::new(libc::ESRCH))?;
    Ok(Targets::new(vm.target(), false, Some(module_loader(vm.btf.clone()))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uapi::btf::*;

    #[test]
    fn vmlinux_is_shared_and_indexed() {
        let Ok(a) = vmlinux() else { return };
        let b = vmlinux().unwrap();
        assert!(Arc::ptr_eq(a.arc(), b.arc()));
        let task = a.index.find_by_name_kind(&*a.btf, "task_struct", BTF_KIND_STRUCT).unwrap();
        assert_eq!(Some(task), a.btf.find_by_name_kind(b"task_struct", BTF_KIND_STRUCT).ok());
        // the modules of this machine (if any) read from the kernel, split on vmlinux
        for m in load_module_btfs(&a.btf).unwrap() {
            assert!(m.start_id == a.btf.type_cnt() && m.fd.is_some());
        }
    }
}
