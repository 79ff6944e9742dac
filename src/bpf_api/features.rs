//! The kernel feature probes the low-level API depends on, each run once
//! per process and cached (a failed probe counts as "not supported").

use once_cell::sync::OnceCell;

use crate::sys::bpf::{self, cmd, ptr_to_u64};
use crate::sys::prog::ProgLoadAttr;
use crate::uapi::{bpf_insn, insn, prog_type::BPF_PROG_TYPE_SOCKET_FILTER};

/// `BPF_FUNC_ktime_get_coarse_ns`, added in 5.11 with memcg accounting.
const BPF_FUNC_KTIME_GET_COARSE_NS: i32 = 160;

/// Loads a tiny socket filter; true when the kernel accepts it.
fn try_load(insns: &[bpf_insn], name: Option<&[u8]>) -> bool {
    let mut attr = ProgLoadAttr {
        prog_type: BPF_PROG_TYPE_SOCKET_FILTER,
        insns: ptr_to_u64(insns.as_ptr()),
        insn_cnt: insns.len() as u32,
        license: ptr_to_u64(c"GPL".as_ptr()),
        ..Default::default()
    };
    if let Some(name) = name {
        attr.set_name(name);
    }
    // SAFETY: the instructions and license outlive the call; no log buffer.
    unsafe { crate::sys::prog::load(&mut attr) }.is_ok()
}

/// Whether the kernel takes object names (`prog_name`, `map_name`, 4.15+).
pub fn prog_name() -> bool {
    static CACHE: OnceCell<bool> = OnceCell::new();
    *CACHE.get_or_init(|| try_load(&[insn::mov64_imm(0, 0), insn::exit()], Some(b"libbpf_nametest")))
}

/// Whether the kernel charges BPF memory to the memory cgroup (5.11+), so
/// the memlock rlimit does not matter.
pub fn memcg_account() -> bool {
    static CACHE: OnceCell<bool> = OnceCell::new();
    *CACHE.get_or_init(|| try_load(&[insn::call(BPF_FUNC_KTIME_GET_COARSE_NS), insn::exit()], None))
}

/// Whether `bpf(2)` takes common attributes (`BPF_COMMON_ATTRS`, after
/// 6.18): such a kernel faults on the NULL common attr below, while older
/// ones reject the unknown command with `EINVAL`.
pub fn common_attrs() -> bool {
    static CACHE: OnceCell<bool> = OnceCell::new();
    *CACHE.get_or_init(|| {
        let mut attr = ProgLoadAttr::default();
        // SAFETY: a zeroed attr with no pointers; the common attr is NULL.
        match unsafe { bpf::call_fd_with_common(cmd::BPF_PROG_LOAD, &mut attr, None) } {
            Ok(_fd) => false,
            Err(e) => e.errno() == libc::EFAULT,
        }
    })
}
