//! Uprobes and uretprobes (`bpf_program__attach_uprobe_opts()`): a perf
//! event on the uprobe PMU at a file offset of a binary (or a legacy
//! tracefs uprobe event), then a perf-event link.
//!
//! The target is a binary path (a bare name is searched like libbpf: see
//! [`super::binary_path`]), or `archive!/member` for an ELF stored in a
//! zip archive; the offset is the caller's, plus the file offset of
//! `func_name` when given (see [`super::elf_syms`]).

use std::ffi::CString;

use crate::error::{Error, Result};

use super::elf_syms::{self, ElfFile};
use super::kprobe::plan;
use super::perf_event::{self, PerfEventOptions};
use super::probe_event::{self, Pmu};
use super::{LegacyProbe, Link, Prog};

/// `struct bpf_uprobe_opts`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UprobeOptions {
    /// File offset of a reference counter (USDT semaphore) the kernel
    /// increments while the probe is attached.
    pub ref_ctr_offset: u64,
    pub bpf_cookie: u64,
    pub retprobe: bool,
    /// Function to probe (`func`, `func@LIB_VER`); the offset argument is
    /// then relative to it.
    pub func_name: Option<String>,
    /// `enum probe_attach_mode` (see [`super::kprobe::mode`]).
    pub attach_mode: u32,
}

/// Opens a file for symbol lookups, with libbpf's message on failure.
pub(crate) fn read_file(path: &str) -> Result<crate::sys::file_map::FileBytes> {
    crate::sys::file_map::FileBytes::open(path).inspect_err(|e| crate::pr_warn!("elf: failed to open {path}: {e}"))
}

/// The file offset of function `func` in the binary at `path`.
pub fn func_offset_in_file(path: &str, func: &str) -> Result<u64> {
    let file = read_file(path)?;
    let elf = ElfFile::parse(file.bytes())
        .inspect_err(|_| crate::pr_warn!("elf: could not read elf from {path}"))?;
    elf_syms::find_func_offset(&elf, path, func)
}

/// The offset in archive `archive` of function `func` of member `member`
/// (which must be stored uncompressed).
pub fn func_offset_in_archive(archive: &str, member: &str, func: &str) -> Result<u64> {
    let file = read_file(archive)?;
    let bytes = file.bytes();
    let entry = super::zip::find_entry(bytes, member).inspect_err(|e| {
        crate::pr_warn!(
            "zip: could not find archive member {member} in {archive}: {}",
            -e.errno()
        );
    })?;
    crate::pr_debug!(
        "zip: found entry for {member} in {archive} at 0x{:x}",
        entry.data_offset
    );
    if entry.compression != 0 {
        crate::pr_warn!("zip: entry {member} of {archive} is compressed and cannot be handled");
        return Err(Error::FORMAT);
    }
    let data = &bytes[entry.data_offset..entry.data_offset + entry.data_len];
    let elf = ElfFile::parse(data)
        .inspect_err(|_| crate::pr_warn!("elf: could not read elf file {member} from {archive}"))?;
    let off = elf_syms::find_func_offset(&elf, member, func)?;
    crate::pr_debug!("elf: symbol address match for {func} of {member} in {archive}: 0x{off:x}");
    Ok(off + entry.data_offset as u64)
}

/// Attaches `prog` to `binary_path` at `func_offset` (plus `func_name`'s
/// offset), for process `pid` (-1: all, 0: this one). `EINVAL` for a
/// legacy probe with a reference counter or a program without fd; `ENOENT`
/// for a binary or function not found; the attach mode's errors (see
/// `kprobe::plan`); else `perf_event_open`'s or the attachment's.
pub fn attach(
    prog: &Prog,
    pid: i32,
    binary_path: &str,
    func_offset: u64,
    o: &UprobeOptions,
) -> Result<Link> {
    let pname = &prog.name;
    let mut archive: Option<String> = None;
    let mut path = binary_path.to_string();
    if let Some(i) = binary_path.find("!/") {
        // libbpf copies the archive part into a PATH_MAX buffer.
        let mut a = binary_path[..i].to_string();
        let max = libc::PATH_MAX as usize - 1;
        if a.len() > max {
            let mut cut = max;
            while !a.is_char_boundary(cut) {
                cut -= 1;
            }
            a.truncate(cut);
        }
        archive = Some(a);
        path = binary_path[i + 2..].to_string();
    } else if !binary_path.contains('/') {
        path = super::binary_path::resolve(binary_path).inspect_err(|e| {
            crate::pr_warn!("prog '{pname}': failed to resolve full path for '{binary_path}': {e}");
        })?;
    }
    let mut offset = func_offset;
    if let Some(func) = &o.func_name {
        let sym = match &archive {
            Some(a) => {
                let off = func_offset_in_archive(a, &path, func)?;
                path = a.clone();
                off
            }
            None => func_offset_in_file(&path, func)?,
        };
        offset = offset.wrapping_add(sym);
    }
    let (legacy, force_ioctl) = plan(Pmu::Uprobe, o.attach_mode)?;
    let kind = if o.retprobe { "uretprobe" } else { "uprobe" };
    let what = format!("'{path}:0x{offset:x}'");
    let probe = if legacy {
        if o.ref_ctr_offset != 0 {
            return Err(Error::INVAL);
        }
        let base = path.rfind('/').map_or(path.as_str(), |i| &path[i..]);
        Some(LegacyProbe {
            name: probe_event::legacy_event_name(base, offset),
            kprobe: false,
            retprobe: o.retprobe,
        })
    } else {
        None
    };
    let opened = match &probe {
        None => {
            let c = CString::new(path.as_str()).map_err(|_| Error::INVAL)?;
            probe_event::open_probe(Pmu::Uprobe, o.retprobe, &c, offset, pid, o.ref_ctr_offset)
        }
        Some(p) => {
            let def = probe_event::uprobe_definition(&p.name, o.retprobe, &path, offset);
            probe_event::open_legacy(p, &def, &format!("{path}:0x{offset:x}"), pid)
        }
    };
    let pfd = opened.inspect_err(|e| {
        crate::pr_warn!("prog '{pname}': failed to create {kind} {what} perf event: {e}")
    })?;
    let pe = PerfEventOptions {
        bpf_cookie: o.bpf_cookie,
        force_ioctl_attach: force_ioctl,
        dont_enable: false,
    };
    let mut link = match perf_event::attach_owned(prog, pfd, &pe) {
        Ok(l) => l,
        Err(e) => {
            crate::pr_warn!("prog '{pname}': failed to attach to {kind} {what}: {e}");
            if let Some(p) = &probe {
                let _ = probe_event::remove_legacy(p);
            }
            return Err(e);
        }
    };
    if let Some(p) = probe {
        link.set_legacy_probe(p);
    }
    Ok(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_of_real_binaries() {
        // The test binary itself is an ELF with a symbol table.
        let exe = std::fs::read_link("/proc/self/exe").unwrap();
        let exe = exe.to_str().unwrap();
        assert_eq!(
            func_offset_in_file(exe, "ox_no_such_function_anywhere").unwrap_err(),
            Error::NOENT
        );
        assert!(func_offset_in_file(exe, "main").unwrap() > 0);
        assert_eq!(
            func_offset_in_file("/ox/no/such/file", "main").unwrap_err(),
            Error::NOENT
        );
        assert_eq!(
            func_offset_in_file("/proc/self/status", "main").unwrap_err(),
            Error::FORMAT
        );
    }

    #[test]
    fn archives_of_elf_members() {
        let elf = std::fs::read("/proc/self/exe").unwrap();
        let dir = std::env::temp_dir().join(format!("ox_zip_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let a = dir.join("a.zip");
        std::fs::write(
            &a,
            super::super::zip::tests_support::archive(&[
                ("lib/x.so", &elf, 0),
                ("lib/z.so", &elf, 8),
            ]),
        )
        .unwrap();
        let a = a.to_str().unwrap();
        assert_eq!(
            func_offset_in_archive(a, "lib/y.so", "main").unwrap_err(),
            Error::NOENT
        );
        assert_eq!(
            func_offset_in_archive(a, "lib/z.so", "main").unwrap_err(),
            Error::FORMAT
        );
        let direct = func_offset_in_file(
            std::fs::read_link("/proc/self/exe")
                .unwrap()
                .to_str()
                .unwrap(),
            "main",
        )
        .unwrap();
        let inside = func_offset_in_archive(a, "lib/x.so", "main").unwrap();
        // The member's data starts after its local header (30 bytes, name, extra).
        assert_eq!(inside, direct + 30 + 8 + 3);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
