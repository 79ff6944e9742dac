//! The public feature probes of `libbpf.h`: whether the running kernel
//! supports a program type, a map type, or a helper in a program type.
//! Each probe loads a trivial program or creates a small map, with the
//! attributes libbpf 1.8 uses for that type, and answers 1 (supported),
//! 0 (not supported) or a negative errno (`-EOPNOTSUPP` for types it does
//! not know how to probe).

use std::os::fd::OwnedFd;

use crate::bpf_api::object::{load_prog, MemMut, ProgLoad};
use crate::bpf_api::object::Mem;
use crate::error::{Error, Result};
use crate::sys::map::MapCreateAttr;
use crate::uapi::bpf_enums::{attach, map as mt, map_flags, prog as pt, prog_flags};
use crate::uapi::bpf_insn;

/// `-ENOTSUPP` (524): the kernel's answer for struct_ops without a valid
/// kernel type, which proves the type is known.
const ENOTSUPP: i32 = 524;
/// `BPF_MAP_TYPE_INSN_ARRAY` (Linux 6.19; libbpf 1.8 probes it).
const MAP_INSN_ARRAY: u32 = 34;
/// `sizeof(struct bpf_insn_array_value)`.
const INSN_ARRAY_VALUE_SIZE: u32 = 16;
/// `sizeof(struct bpf_cgroup_storage_key)` (a `u64` and a `u32`, padded).
const CGROUP_STORAGE_KEY_SIZE: u32 = 16;
/// The log size of probes that read the verifier's words.
const LOG_SIZE: usize = 4096;

const fn insn(code: u8, dst: u8, imm: i32) -> bpf_insn {
    bpf_insn { code, regs: dst & 0xf, off: 0, imm }
}
const EXIT: bpf_insn = insn(0x95, 0, 0);

/// What a probe expects from the kernel besides success.
struct Expect {
    errno: i32,
    /// A text the verifier log must contain.
    text: Option<&'static str>,
}

/// Loads `insns` as `prog_type` with the attributes that type needs to
/// load at all, and judges the answer. `log`, when given, receives the
/// verifier log (level 1). Types libbpf does not probe are `EOPNOTSUPP`.
fn probe_prog_load(prog_type: u32, insns: &[bpf_insn], log: Option<&mut [u8]>) -> Result<i32> {
    let mut p = ProgLoad {
        prog_type,
        license: Some(c"GPL"),
        insns: Mem::of(insns),
        insn_cnt: insns.len(),
        ..Default::default()
    };
    let mut own_log = [0u8; LOG_SIZE];
    let mut expect = None;
    let mut use_own_log = false;
    match prog_type {
        pt::CGROUP_SOCK_ADDR => p.expected_attach_type = attach::CGROUP_INET4_CONNECT,
        pt::CGROUP_SOCKOPT => p.expected_attach_type = attach::CGROUP_GETSOCKOPT,
        pt::SK_LOOKUP => p.expected_attach_type = attach::SK_LOOKUP,
        pt::KPROBE => p.kern_version = crate::object::running_kernel_version(),
        pt::LIRC_MODE2 => p.expected_attach_type = attach::LIRC_MODE2,
        pt::TRACING | pt::LSM => {
            use_own_log = true;
            p.expected_attach_type = if prog_type == pt::TRACING { attach::TRACE_FENTRY } else { attach::MODIFY_RETURN };
            p.attach_btf_id = 1;
            expect = Some(Expect { errno: libc::EINVAL, text: Some("attach_btf_id 1 is not a function") });
        }
        pt::EXT => {
            use_own_log = true;
            p.attach_btf_id = 1;
            expect = Some(Expect { errno: libc::EINVAL, text: Some("Cannot replace kernel functions") });
        }
        pt::SYSCALL => p.prog_flags = prog_flags::SLEEPABLE,
        pt::STRUCT_OPS => expect = Some(Expect { errno: ENOTSUPP, text: None }),
        pt::NETFILTER => p.expected_attach_type = attach::NETFILTER,
        pt::UNSPEC
        | pt::SOCKET_FILTER
        | pt::SCHED_CLS
        | pt::SCHED_ACT
        | pt::TRACEPOINT
        | pt::XDP
        | pt::PERF_EVENT
        | pt::CGROUP_SKB
        | pt::CGROUP_SOCK
        | pt::LWT_IN
        | pt::LWT_OUT
        | pt::LWT_XMIT
        | pt::SOCK_OPS
        | pt::SK_SKB
        | pt::CGROUP_DEVICE
        | pt::SK_MSG
        | pt::RAW_TRACEPOINT
        | pt::RAW_TRACEPOINT_WRITABLE
        | pt::LWT_SEG6LOCAL
        | pt::SK_REUSEPORT
        | pt::FLOW_DISSECTOR
        | pt::CGROUP_SYSCTL => {}
        _ => return Err(Error::NOT_SUPPORTED),
    }
    let log_ref: &mut [u8] = if use_own_log { &mut own_log } else { log.unwrap_or(&mut []) };
    let has_log = !log_ref.is_empty();
    p.log_level = has_log as u32;
    p.log = if has_log { MemMut::Slice(log_ref) } else { MemMut::None };
    crate::bpf_api::memlock::bump().ok();
    let res = load_prog(&mut p).0;
    Ok(judge(res, expect, &own_log) as i32)
}

/// Whether a probe's load result means "supported".
fn judge(res: Result<OwnedFd>, expect: Option<Expect>, log: &[u8]) -> bool {
    match (res, expect) {
        (Ok(_), None) => true,
        (Err(_), None) | (Ok(_), Some(_)) => false,
        (Err(e), Some(x)) => e.errno() == x.errno && x.text.is_none_or(|t| log_contains(log, t)),
    }
}

/// Whether the NUL-terminated text in `log` contains `needle`.
fn log_contains(log: &[u8], needle: &str) -> bool {
    let end = log.iter().position(|&b| b == 0).unwrap_or(log.len());
    log[..end].windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// `libbpf_probe_bpf_prog_type()`: 1 when a program of `prog_type`
/// returning 0 loads (or, for types that can only load with a target,
/// when the kernel refuses it for the reason proving it knows the type).
pub fn prog_type(prog_type: u32) -> Result<i32> {
    let insns = [insn(0xb7, 0, 0), EXIT];
    probe_prog_load(prog_type, &insns, None)
}

/// `libbpf_probe_bpf_helper()`: loads a program of `prog_type` calling
/// helper `helper_id`. 0 when the verifier says the helper is unknown or
/// not allowed for the type; 1 otherwise (the load may fail for other
/// reasons, such as arguments, which still proves the helper exists).
/// Types whose programs need a target (tracing, extensions, LSM,
/// struct_ops) answer `-EOPNOTSUPP` as a plain value: libbpf returns it
/// without setting `errno`, and so does this (other types it does not
/// know fail with `EOPNOTSUPP` and `errno`, as there).
pub fn helper(prog_type: u32, helper_id: u32) -> Result<i32> {
    if matches!(prog_type, pt::TRACING | pt::EXT | pt::LSM | pt::STRUCT_OPS) {
        return Ok(-libc::EOPNOTSUPP);
    }
    let insns = [insn(0x85, 0, helper_id as i32), EXIT];
    let mut log = vec![0u8; LOG_SIZE];
    let ret = probe_prog_load(prog_type, &insns, Some(&mut log))?;
    let refused = ["invalid func ", "unknown func ", "program of this type cannot use helper "];
    if ret == 0 && refused.iter().any(|t| log_contains(&log, t)) {
        return Ok(0);
    }
    Ok(1)
}

/// BTF for local storage maps: `int`, `struct bpf_spin_lock { int val; }`
/// and `struct val { int cnt; struct bpf_spin_lock l; }` (key type 1,
/// value type 3).
fn local_storage_btf() -> Vec<u8> {
    const INT: u32 = 1 << 24;
    const STRUCT: u32 = 4 << 24;
    let strs = b"\0bpf_spin_lock\0val\0cnt\0l\0";
    let types = [
        0, INT, 4, (1 << 24) | 32, // [1] int
        1, STRUCT | 1, 4, 15, 1, 0, // [2] struct bpf_spin_lock { int val; }
        15, STRUCT | 2, 8, 19, 1, 0, 23, 2, 32, // [3] struct val { int cnt; struct bpf_spin_lock l; }
    ];
    crate::object::features::raw_btf(&types, strs)
}

/// `libbpf_probe_bpf_map_type()`: 1 when a small map of `map_type` (with
/// the sizes, flags and BTF that type requires) can be created; for
/// struct_ops, when the kernel refuses it with `ENOTSUPP` for lack of a
/// kernel type. Failing to load the BTF local storage maps need is an
/// error (its errno); types libbpf does not probe are `EOPNOTSUPP`.
pub fn map_type(map_type: u32) -> Result<i32> {
    let mut a = MapCreateAttr { map_type, key_size: 4, value_size: 4, max_entries: 1, ..Default::default() };
    let mut expect_errno = None;
    let mut btf: Option<OwnedFd> = None;
    crate::bpf_api::memlock::bump().ok();
    match map_type {
        mt::STACK_TRACE => a.value_size = 8,
        mt::LPM_TRIE => (a.key_size, a.value_size, a.map_flags) = (8, 8, map_flags::NO_PREALLOC),
        mt::CGROUP_STORAGE | mt::PERCPU_CGROUP_STORAGE => {
            (a.key_size, a.value_size, a.max_entries) = (CGROUP_STORAGE_KEY_SIZE, 8, 0);
        }
        mt::QUEUE | mt::STACK => a.key_size = 0,
        mt::SK_STORAGE | mt::INODE_STORAGE | mt::TASK_STORAGE | mt::CGRP_STORAGE => {
            (a.btf_key_type_id, a.btf_value_type_id, a.value_size, a.max_entries) = (1, 3, 8, 0);
            a.map_flags = map_flags::NO_PREALLOC;
            let fd = crate::bpf_api::object::load_btf(&local_storage_btf(), crate::sys::usermem::UserMem::NONE, 0, 0).0?;
            a.btf_fd = std::os::fd::AsRawFd::as_raw_fd(&fd) as u32;
            btf = Some(fd);
        }
        mt::RINGBUF | mt::USER_RINGBUF => {
            // SAFETY: sysconf has no memory arguments.
            let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
            (a.key_size, a.value_size, a.max_entries) = (0, 0, page as u32);
        }
        mt::STRUCT_OPS => {
            a.btf_vmlinux_value_type_id = 1;
            a.value_type_btf_obj_fd = -1;
            expect_errno = Some(ENOTSUPP);
        }
        mt::BLOOM_FILTER => (a.key_size, a.max_entries) = (0, 1),
        mt::ARENA => (a.key_size, a.value_size, a.max_entries, a.map_extra, a.map_flags) = (0, 0, 1, 0, map_flags::MMAPABLE),
        MAP_INSN_ARRAY => a.value_size = INSN_ARRAY_VALUE_SIZE,
        mt::HASH
        | mt::ARRAY
        | mt::PROG_ARRAY
        | mt::PERF_EVENT_ARRAY
        | mt::PERCPU_HASH
        | mt::PERCPU_ARRAY
        | mt::CGROUP_ARRAY
        | mt::LRU_HASH
        | mt::LRU_PERCPU_HASH
        | mt::ARRAY_OF_MAPS
        | mt::HASH_OF_MAPS
        | mt::DEVMAP
        | mt::DEVMAP_HASH
        | mt::SOCKMAP
        | mt::CPUMAP
        | mt::XSKMAP
        | mt::SOCKHASH
        | mt::REUSEPORT_SOCKARRAY => {}
        _ => return Err(Error::NOT_SUPPORTED),
    }
    let mut inner: Option<OwnedFd> = None;
    if matches!(map_type, mt::ARRAY_OF_MAPS | mt::HASH_OF_MAPS) {
        let ia = MapCreateAttr { map_type: mt::HASH, key_size: 4, value_size: 4, max_entries: 1, ..Default::default() };
        // SAFETY: the attr holds no addresses.
        match unsafe { crate::bpf_api::map::create(ia, None, None) }.0 {
            Ok(fd) => {
                a.inner_map_fd = std::os::fd::AsRawFd::as_raw_fd(&fd) as u32;
                inner = Some(fd);
            }
            Err(_) => return Ok(0),
        }
    }
    // SAFETY: the attr holds no addresses (fds only).
    let res = unsafe { crate::bpf_api::map::create(a, None, None) }.0;
    drop((inner, btf));
    Ok(match (res, expect_errno) {
        (Ok(_), None) => 1,
        (Err(e), Some(x)) => (e.errno() == x) as i32,
        _ => 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        let x = || Some(Expect { errno: libc::EINVAL, text: Some("is not a function") });
        assert!(judge(Err(Error::INVAL), x(), b"attach_btf_id 1 is not a function\0junk"));
        assert!(!judge(Err(Error::INVAL), x(), b"something else\0is not a function"));
        assert!(!judge(Err(Error::PERM), x(), b"attach_btf_id 1 is not a function\0"));
        assert!(!judge(Err(Error::PERM), None, b""));
        assert!(log_contains(b"abc unknown func x#1\0", "unknown func "));
        assert!(!log_contains(b"abc", "abcd"));
    }

    #[test]
    fn unknown_types_are_not_probed() {
        assert_eq!(prog_type(9999), Err(Error::NOT_SUPPORTED));
        assert_eq!(map_type(mt::UNSPEC), Err(Error::NOT_SUPPORTED));
        assert_eq!(map_type(9999), Err(Error::NOT_SUPPORTED));
        assert_eq!(helper(pt::TRACING, 1), Ok(-libc::EOPNOTSUPP));
        assert_eq!(helper(9999, 1), Err(Error::NOT_SUPPORTED));
    }

    #[test]
    fn kernel_answers() {
        assert_eq!(prog_type(pt::SOCKET_FILTER), Ok(1));
        assert_eq!(prog_type(pt::UNSPEC), Ok(0));
        assert_eq!(map_type(mt::HASH), Ok(1));
        assert_eq!(map_type(mt::SK_STORAGE), Ok(1));
        assert_eq!(map_type(mt::ARRAY_OF_MAPS), Ok(1));
        // bpf_map_lookup_elem (1) in a socket filter; bpf_sys_bpf (166) is
        // not for socket filters; 9999 does not exist.
        assert_eq!(helper(pt::SOCKET_FILTER, 1), Ok(1));
        assert_eq!(helper(pt::SOCKET_FILTER, 166), Ok(0));
        assert_eq!(helper(pt::SOCKET_FILTER, 9999), Ok(0));
    }
}
