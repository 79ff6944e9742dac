//! Kprobes and kretprobes (`bpf_program__attach_kprobe_opts()`) and their
//! syscall flavour (`bpf_program__attach_ksyscall()`): a perf event on the
//! kprobe PMU (or a legacy tracefs kprobe event when the kernel has no such
//! PMU), then a perf-event link.

use std::ffi::CString;

use crate::error::{Error, Result};

use super::perf_event::{self, PerfEventOptions};
use super::probe_event::{self, Pmu};
use super::{LegacyProbe, Link, Prog};

/// `enum probe_attach_mode`.
pub mod mode {
    /// The newest way the kernel supports.
    pub const DEFAULT: u32 = 0;
    /// A tracefs probe event, attached with the perf ioctl.
    pub const LEGACY: u32 = 1;
    /// A PMU perf event, attached with the perf ioctl.
    pub const PERF: u32 = 2;
    /// A PMU perf event and a BPF link.
    pub const LINK: u32 = 3;
}

/// `struct bpf_kprobe_opts`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KprobeOptions {
    pub bpf_cookie: u64,
    /// Offset from the function's start.
    pub offset: u64,
    pub retprobe: bool,
    /// [`mode`].
    pub attach_mode: u32,
}

/// Whether probes of `pmu` go the legacy way under `attach_mode`, and
/// whether the perf ioctl is forced; `EOPNOTSUPP` for a mode the kernel
/// cannot do, `EINVAL` for an unknown mode.
pub(crate) fn plan(pmu: Pmu, attach_mode: u32) -> Result<(bool, bool)> {
    let legacy = probe_event::pmu_type(pmu).is_err();
    match attach_mode {
        mode::DEFAULT => Ok((legacy, false)),
        mode::LEGACY => Ok((true, true)),
        mode::PERF if legacy => Err(Error::NOT_SUPPORTED),
        mode::PERF => Ok((false, true)),
        mode::LINK if legacy || !super::features::perf_link() => Err(Error::NOT_SUPPORTED),
        mode::LINK => Ok((false, false)),
        _ => Err(Error::INVAL),
    }
}

/// Attaches `prog` to kernel function `func` (+ `opts.offset`). Errors:
/// see [`plan`]; then the PMU's or tracefs' (`ENOENT` when the kernel has
/// neither), `perf_event_open`'s or the attachment's.
pub fn attach(prog: &Prog, func: &str, opts: &KprobeOptions) -> Result<Link> {
    let (legacy, force_ioctl) = plan(Pmu::Kprobe, opts.attach_mode)?;
    let kind = if opts.retprobe { "kretprobe" } else { "kprobe" };
    let offset = opts.offset;
    let pname = &prog.name;
    let what = format!("'{func}+0x{offset:x}'");
    let probe = legacy.then(|| LegacyProbe {
        name: probe_event::legacy_event_name(func, offset),
        kprobe: true,
        retprobe: opts.retprobe,
    });
    let opened = match &probe {
        None => {
            let name = CString::new(func).map_err(|_| Error::INVAL)?;
            probe_event::open_probe(Pmu::Kprobe, opts.retprobe, &name, offset, -1, 0)
        }
        Some(p) => {
            let def = probe_event::kprobe_definition(&p.name, opts.retprobe, func, offset);
            probe_event::open_legacy(p, &def, &what, -1)
        }
    };
    let pfd = opened.inspect_err(|e| {
        crate::pr_warn!("prog '{pname}': failed to create {kind} {what} perf event: {e}")
    })?;
    let pe = PerfEventOptions {
        bpf_cookie: opts.bpf_cookie,
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

/// The kernel function handling system call `name`: the architecture's
/// wrapper (`__x64_sys_<name>`) where the kernel has them, else
/// `__se_sys_<name>`; at most 127 bytes, as libbpf's buffer.
pub fn syscall_function(name: &str, wrapper: Option<&str>) -> String {
    let mut f = match wrapper {
        Some(pfx) => format!("__{pfx}_sys_{name}"),
        None => format!("__se_sys_{name}"),
    };
    if f.len() > 127 {
        let mut cut = 127;
        while !f.is_char_boundary(cut) {
            cut -= 1;
        }
        f.truncate(cut);
    }
    f
}

/// Attaches `prog` to the handler of system call `syscall` (a kprobe, or a
/// kretprobe with `retprobe`), with `cookie` for `bpf_get_attach_cookie()`.
pub fn attach_syscall(prog: &Prog, syscall: &str, cookie: u64, retprobe: bool) -> Result<Link> {
    let wrapper = if super::features::syscall_wrapper() {
        super::features::arch_syscall_prefix()
    } else {
        None
    };
    let func = syscall_function(syscall, wrapper);
    attach(
        prog,
        &func,
        &KprobeOptions {
            bpf_cookie: cookie,
            offset: 0,
            retprobe,
            attach_mode: mode::DEFAULT,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syscall_functions() {
        assert_eq!(syscall_function("bpf", Some("x64")), "__x64_sys_bpf");
        assert_eq!(syscall_function("getpid", None), "__se_sys_getpid");
        assert_eq!(syscall_function(&"n".repeat(300), None).len(), 127);
    }

    #[test]
    fn attach_modes() {
        assert_eq!(plan(Pmu::Uprobe, 7).unwrap_err(), Error::INVAL);
        assert_eq!(plan(Pmu::Uprobe, mode::LEGACY).unwrap(), (true, true));
        if probe_event::pmu_type(Pmu::Kprobe).is_err() {
            // No kprobe PMU (this test machine): PERF and LINK cannot be had.
            assert_eq!(
                plan(Pmu::Kprobe, mode::PERF).unwrap_err(),
                Error::NOT_SUPPORTED
            );
            assert_eq!(
                plan(Pmu::Kprobe, mode::LINK).unwrap_err(),
                Error::NOT_SUPPORTED
            );
            assert_eq!(plan(Pmu::Kprobe, mode::DEFAULT).unwrap(), (true, false));
        }
    }

    #[test]
    fn unloaded_programs_are_refused_after_the_event_opens() {
        // Without a kprobe PMU nor kprobe_events the event cannot be made:
        // the error is the file system's, as libbpf reports it.
        let p = Prog {
            name: "p".into(),
            ..Default::default()
        };
        if probe_event::pmu_type(Pmu::Kprobe).is_err()
            && !crate::sys::tracefs::exists(&crate::sys::tracefs::kprobe_events())
        {
            assert_eq!(
                attach(&p, "do_nanosleep", &KprobeOptions::default()).unwrap_err(),
                Error::NOENT
            );
        }
    }
}
