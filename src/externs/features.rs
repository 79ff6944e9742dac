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

/// Does the kernel use syscall wrappers? Probed as libbpf does, by
/// creating a kprobe on the architecture's `bpf()` handler (see
/// `crate::link::features::syscall_wrapper`, shared with
/// `bpf_program__attach_ksyscall()`). Where kprobes cannot be created
/// (e.g. under lockdown) the answer is "no", as libbpf's.
pub fn has_syscall_wrapper() -> bool {
    crate::link::features::syscall_wrapper()
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
