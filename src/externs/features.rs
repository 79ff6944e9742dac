//! The two kernel features behind libbpf's virtual kconfig externs, probed
//! once per process like libbpf's `kernel_supports()`:
//! `LINUX_HAS_BPF_COOKIE` (a kprobe program may call
//! `bpf_get_attach_cookie`) and `LINUX_HAS_SYSCALL_WRAPPER` (syscalls enter
//! through `__<arch>_sys_*` wrappers: libbpf checks that a kprobe can be
//! created on `__x64_sys_bpf`).

use std::sync::OnceLock;

use crate::uapi::bpf_insn;

const BPF_PROG_TYPE_KPROBE: u32 = 2;
const BPF_FUNC_GET_ATTACH_COOKIE: i32 = 174;

/// Can a kprobe program call `bpf_get_attach_cookie()`?
pub fn has_bpf_cookie() -> bool {
    static R: OnceLock<bool> = OnceLock::new();
    *R.get_or_init(|| {
        let insns = [
            bpf_insn { code: 0x85, regs: 0, off: 0, imm: BPF_FUNC_GET_ATTACH_COOKIE },
            bpf_insn { code: 0x95, regs: 0, off: 0, imm: 0 },
        ];
        crate::bpf_api::prog::load_insns(BPF_PROG_TYPE_KPROBE, None, c"GPL", &insns, 0, None, 0).0.is_ok()
    })
}

fn tracefs_kprobe_events() -> Option<&'static str> {
    ["/sys/kernel/tracing/kprobe_events", "/sys/kernel/debug/tracing/kprobe_events"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
}

/// The kprobe PMU's perf event type, when the kernel has one.
fn kprobe_pmu_type() -> Option<u32> {
    std::fs::read_to_string("/sys/bus/event_source/devices/kprobe/type").ok()?.trim().parse().ok()
}

/// Does the kernel use syscall wrappers? Probed as libbpf does: by opening a
/// kprobe perf event on `__x64_sys_bpf` (through the kprobe PMU, or, without
/// it, by adding and removing a legacy kprobe event in tracefs). Where
/// kprobes cannot be created (e.g. under lockdown) the answer is "no", as
/// libbpf's.
pub fn has_syscall_wrapper() -> bool {
    static R: OnceLock<bool> = OnceLock::new();
    *R.get_or_init(|| {
        if !cfg!(target_arch = "x86_64") {
            return false;
        }
        if let Some(ty) = kprobe_pmu_type() {
            use crate::uapi::perf::perf_event_attr;
            let func = c"__x64_sys_bpf";
            let attr = perf_event_attr {
                type_: ty,
                size: core::mem::size_of::<perf_event_attr>() as u32,
                config1: func.as_ptr() as u64,
                ..Default::default()
            };
            let pid = std::process::id() as i32;
            return crate::sys::perf::open(crate::sys::perf::AttrRef::new(&attr), pid, -1, -1, 0).is_ok();
        }
        let Some(events) = tracefs_kprobe_events() else { return false };
        let name = format!("libbpf_{}___x64_sys_bpf_0", std::process::id());
        let add = format!("p:kprobes/{name} __x64_sys_bpf\n");
        let append = |s: &str| {
            use std::io::Write;
            std::fs::OpenOptions::new().append(true).open(events).and_then(|mut f| f.write_all(s.as_bytes()))
        };
        if append(&add).is_err() {
            return false;
        }
        let _ = append(&format!("-:kprobes/{name}\n"));
        true
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn probes_answer() {
        // this kernel has BPF cookies; kprobes are refused (lockdown)
        use std::os::unix::fs::MetadataExt;
        if std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0) {
            assert!(super::has_bpf_cookie());
        }
        let _ = super::has_syscall_wrapper();
    }
}
