//! Reading BTF from files: raw BTF, ELF objects, either (auto-detected),
//! the running kernel's vmlinux BTF and kernel modules' split BTF.

use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex, Weak};

use super::data::Btf;
use super::elf::read_btf_sections;
use super::ext::BtfExt;
use crate::error::{Error, Result};
use crate::sys::blob::Blob;
use crate::uapi::btf::BTF_MAGIC;

/// Where the kernel publishes its BTF.
pub const SYSFS_VMLINUX: &str = "/sys/kernel/btf/vmlinux";

/// Places a vmlinux image with BTF may be found when sysfs has none
/// (`{}` is the kernel release).
const VMLINUX_LOCATIONS: [&str; 7] = [
    "/boot/vmlinux-{}",
    "/lib/modules/{}/vmlinux-{}",
    "/lib/modules/{}/build/vmlinux",
    "/usr/lib/modules/{}/kernel/vmlinux",
    "/usr/lib/debug/boot/vmlinux-{}",
    "/usr/lib/debug/boot/vmlinux-{}.debug",
    "/usr/lib/debug/lib/modules/{}/vmlinux",
];

impl Btf {
    /// Parses a file of raw BTF (split on `base` if given). `EPROTO` when
    /// the file does not start with the BTF magic, `EIO` when it is shorter
    /// than that, the `open()` errno, or the parse error.
    pub fn parse_raw_file(path: &Path, base: Option<Arc<Btf>>) -> Result<Btf> {
        let mut f = std::fs::File::open(path)?;
        let mut magic = [0u8; 2];
        if f.read_exact(&mut magic).is_err() {
            return Err(Error::new(libc::EIO));
        }
        let m = u16::from_ne_bytes(magic);
        if m != BTF_MAGIC && m != BTF_MAGIC.swap_bytes() {
            return Err(Error::new(libc::EPROTO));
        }
        drop(f);
        Btf::from_blob(Blob::read_file(path)?, base)
    }

    /// Parses the `.BTF` section of an ELF file, and its `.BTF.ext` when
    /// `want_ext`. The pointer size follows the ELF class. `ENOENT` when
    /// there is no `.BTF`; `LIBBPF_ERRNO__FORMAT` for a broken ELF file.
    pub fn parse_elf_file(path: &Path, base: Option<Arc<Btf>>, want_ext: bool) -> Result<(Btf, Option<BtfExt>)> {
        let elf = read_btf_sections(path, want_ext)?;
        let blob = elf.btf.ok_or(Error::NOENT)?;
        let mut btf = Btf::from_blob(blob, base)?;
        btf.set_pointer_size(if elf.is_64 { 8 } else { 4 })?;
        let ext = elf.btf_ext.map(|d| BtfExt::parse(&d)).transpose()?;
        Ok((btf, ext))
    }

    /// Parses raw BTF or, if the file is not raw BTF, an ELF file's `.BTF`
    /// (and `.BTF.ext` when `want_ext`).
    pub fn parse_file(path: &Path, base: Option<Arc<Btf>>, want_ext: bool) -> Result<(Btf, Option<BtfExt>)> {
        match Btf::parse_raw_file(path, base.clone()) {
            Ok(btf) => Ok((btf, None)),
            Err(e) if e.errno() == libc::EPROTO => Btf::parse_elf_file(path, base, want_ext),
            Err(e) => Err(e),
        }
    }

    /// The running kernel's BTF: `/sys/kernel/btf/vmlinux` (mapped, not
    /// copied, when the kernel allows it), else the first vmlinux image with
    /// BTF in the usual places. `ESRCH` when there is none.
    pub fn load_vmlinux() -> Result<Btf> {
        let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
        let release = release.trim();
        let candidates: Vec<String> = VMLINUX_LOCATIONS.iter().map(|p| p.replace("{}", release)).collect();
        Btf::load_vmlinux_from(Path::new(SYSFS_VMLINUX), &candidates)
    }

    /// [`Btf::load_vmlinux`] with the sysfs path and the fallback files given.
    pub(crate) fn load_vmlinux_from(sysfs: &Path, candidates: &[String]) -> Result<Btf> {
        if sysfs.exists() {
            let btf = Blob::map_file(sysfs)
                .and_then(|blob| Btf::from_blob(blob, None))
                .or_else(|_| Btf::parse_file(sysfs, None, false).map(|(b, _)| b));
            return match btf {
                Ok(btf) => {
                    pr_debug!("loaded kernel BTF from '{}'", sysfs.display());
                    Ok(btf)
                }
                Err(e) => {
                    pr_warn!("failed to read kernel BTF from '{}': {e}", sysfs.display());
                    Err(e)
                }
            };
        }
        pr_warn!("kernel BTF is missing at '{}', was CONFIG_DEBUG_INFO_BTF enabled?", sysfs.display());
        for path in candidates {
            if std::fs::File::open(path).is_err() {
                continue;
            }
            match Btf::parse_file(Path::new(path), None, false) {
                Ok((btf, _)) => {
                    pr_debug!("loading kernel BTF '{path}': success");
                    return Ok(btf);
                }
                Err(e) => pr_debug!("loading kernel BTF '{path}': {e}"),
            }
        }
        pr_warn!("failed to find valid kernel BTF");
        Err(Error::new(libc::ESRCH))
    }

    /// The split BTF of kernel module `name`, on `vmlinux`, from
    /// `/sys/kernel/btf/<name>`.
    pub fn load_module(name: &str, vmlinux: Arc<Btf>) -> Result<Btf> {
        let path = format!("/sys/kernel/btf/{name}");
        Btf::parse_file(Path::new(&path), Some(vmlinux), false).map(|(b, _)| b)
    }
}

/// The running kernel's BTF, loaded once and shared while anyone holds it
/// (it is loaded again after the last holder dropped it).
pub fn vmlinux_shared() -> Result<Arc<Btf>> {
    static SHARED: Mutex<Weak<Btf>> = Mutex::new(Weak::new());
    let mut slot = SHARED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(btf) = slot.upgrade() {
        return Ok(btf);
    }
    let btf = Arc::new(Btf::load_vmlinux()?);
    *slot = Arc::downgrade(&btf);
    Ok(btf)
}
