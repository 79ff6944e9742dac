//! The kernel features attaching depends on, probed once per process (a
//! failed probe counts as "not supported", like libbpf).

use once_cell::sync::OnceCell;

use crate::bpf_api::link::{create_link, LinkRequest};
use crate::bpf_api::object::{load_prog, Mem, ProgLoad};
use crate::uapi::bpf_enums::{attach, prog};
use crate::uapi::insn;

/// Whether `BPF_LINK_CREATE` makes links over perf events (5.15+): an
/// invalid perf event fd then gets `EBADF` rather than `EINVAL`.
pub fn perf_link() -> bool {
    static CACHE: OnceCell<bool> = OnceCell::new();
    *CACHE.get_or_init(|| {
        let insns = [insn::mov64_imm(0, 0), insn::exit()];
        let mut p = ProgLoad {
            prog_type: prog::TRACEPOINT,
            license: Some(c"GPL"),
            insns: Mem::of(&insns[..]),
            insn_cnt: insns.len(),
            ..Default::default()
        };
        let Ok(prog_fd) = load_prog(&mut p).0 else {
            return false;
        };
        use std::os::fd::AsRawFd;
        let req = LinkRequest {
            prog_fd: prog_fd.as_raw_fd(),
            target_fd: -1,
            attach_type: attach::PERF_EVENT,
            ..Default::default()
        };
        matches!(create_link(&req), Err(e) if e.errno() == libc::EBADF)
    })
}

/// The architecture's prefix of syscall handler names (`__<pfx>_sys_<name>`).
pub fn arch_syscall_prefix() -> Option<&'static str> {
    if cfg!(target_arch = "x86_64") {
        Some("x64")
    } else if cfg!(target_arch = "x86") {
        Some("ia32")
    } else if cfg!(target_arch = "aarch64") {
        Some("arm64")
    } else if cfg!(target_arch = "arm") {
        Some("arm")
    } else if cfg!(target_arch = "s390x") {
        Some("s390x")
    } else if cfg!(any(target_arch = "powerpc", target_arch = "powerpc64")) {
        Some("powerpc")
    } else if cfg!(any(target_arch = "riscv64", target_arch = "riscv32")) {
        Some("riscv")
    } else if cfg!(target_arch = "loongarch64") {
        Some("loongarch")
    } else {
        None
    }
}

/// Whether syscall handlers are the architecture's wrappers
/// (`__x64_sys_bpf`), found by probing a kprobe on `bpf()`'s handler;
/// otherwise `__se_sys_<name>` is used.
pub fn syscall_wrapper() -> bool {
    static CACHE: OnceCell<bool> = OnceCell::new();
    *CACHE.get_or_init(|| {
        let Some(pfx) = arch_syscall_prefix() else {
            return false;
        };
        let func = format!("__{pfx}_sys_bpf");
        if super::probe_event::pmu_type(super::probe_event::Pmu::Kprobe).is_ok() {
            let Ok(name) = std::ffi::CString::new(func) else {
                return false;
            };
            let pid = std::process::id() as i32;
            super::probe_event::open_probe(super::probe_event::Pmu::Kprobe, false, &name, 0, pid, 0)
                .is_ok()
        } else {
            let name = super::probe_event::legacy_event_name(&func, 0);
            let def = super::probe_event::kprobe_definition(&name, false, &func, 0);
            if crate::sys::tracefs::append(&crate::sys::tracefs::kprobe_events(), &def).is_err() {
                return false;
            }
            let p = super::LegacyProbe {
                name,
                kprobe: true,
                retprobe: false,
            };
            let _ = super::probe_event::remove_legacy(&p);
            true
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perf_links_exist_on_the_test_kernel() {
        // Root on a 6.x kernel: links over perf events are supported.
        if crate::sys::tracefs::exists("/sys/kernel/btf/vmlinux")
            && crate::sys::process::euid() == 0
        {
            assert!(perf_link());
        }
        if cfg!(target_arch = "x86_64") {
            assert_eq!(arch_syscall_prefix(), Some("x64"));
        }
    }
}
