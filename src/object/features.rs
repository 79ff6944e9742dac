//! Kernel feature probes of the object loader, each run at most once per
//! process (or once per BPF token) and cached. A probe that fails counts as
//! "not supported", like libbpf.

use std::os::fd::AsRawFd;

use once_cell::sync::{Lazy, OnceCell};

use crate::bpf_api::object::{self as kcall, MapCreate, Mem, ProgLoad};
use crate::uapi::bpf_enums::{attach, map as mt, map_flags, prog as pt, prog_flags};
use crate::uapi::bpf_insn;

/// The features the object loader asks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    ProgName,
    GlobalData,
    Btf,
    BtfFunc,
    BtfGlobalFunc,
    BtfDatasec,
    BtfQmarkDatasec,
    BtfFloat,
    BtfDeclTag,
    BtfTypeTag,
    BtfEnum64,
    ArrayMmap,
    ExpAttachType,
    ProbeReadKern,
    ProgBindMap,
    UprobeMultiLink,
    /// `bpf_get_attach_cookie()` (USDT spec ids travel in the cookie).
    BpfCookie,
    /// The x86-64 `uprobe()` syscall (optimised probes on 10-byte nops).
    UprobeSyscall,
}

const COUNT: usize = Feature::UprobeSyscall as usize + 1;

impl Feature {
    /// The description libbpf prints when a probe errors out.
    pub fn desc(self) -> &'static str {
        match self {
            Feature::ProgName => "BPF program name",
            Feature::GlobalData => "global variables",
            Feature::Btf => "minimal BTF",
            Feature::BtfFunc => "BTF functions",
            Feature::BtfGlobalFunc => "BTF global function",
            Feature::BtfDatasec => "BTF data section and variable",
            Feature::BtfQmarkDatasec => "BTF DATASEC names starting from '?'",
            Feature::BtfFloat => "BTF_KIND_FLOAT support",
            Feature::BtfDeclTag => "BTF_KIND_DECL_TAG support",
            Feature::BtfTypeTag => "BTF_KIND_TYPE_TAG support",
            Feature::BtfEnum64 => "BTF_KIND_ENUM64 support",
            Feature::ArrayMmap => "ARRAY map mmap()",
            Feature::ExpAttachType => "BPF_PROG_LOAD expected_attach_type attribute",
            Feature::ProbeReadKern => "bpf_probe_read_kernel() helper",
            Feature::ProgBindMap => "BPF_PROG_BIND_MAP support",
            Feature::UprobeMultiLink => "BPF multi-uprobe link support",
            Feature::BpfCookie => "BPF cookie support",
            Feature::UprobeSyscall => "kernel supports uprobe syscall",
        }
    }
}

/// Probe results for one token (0: no token).
pub struct FeatureCache {
    token_fd: i32,
    results: [OnceCell<bool>; COUNT],
}

impl core::fmt::Debug for FeatureCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "FeatureCache(token {})", self.token_fd)
    }
}

impl FeatureCache {
    pub fn new(token_fd: i32) -> FeatureCache {
        FeatureCache { token_fd, results: Default::default() }
    }

    /// Whether the kernel supports `f` (probed once).
    pub fn supports(&self, f: Feature) -> bool {
        *self.results[f as usize].get_or_init(|| probe(f, self.token_fd))
    }
}

static PROCESS: Lazy<FeatureCache> = Lazy::new(|| FeatureCache::new(0));

/// The process-wide cache (objects without a token).
pub fn process() -> &'static FeatureCache {
    &PROCESS
}

const BTF_KIND_INT: u32 = 1;
const BTF_KIND_PTR: u32 = 2;
const BTF_KIND_FUNC: u32 = 12;
const BTF_KIND_FUNC_PROTO: u32 = 13;
const BTF_KIND_VAR: u32 = 14;
const BTF_KIND_DATASEC: u32 = 15;
const BTF_KIND_FLOAT: u32 = 16;
const BTF_KIND_DECL_TAG: u32 = 17;
const BTF_KIND_TYPE_TAG: u32 = 18;
const BTF_KIND_ENUM64: u32 = 19;
const BTF_INT_SIGNED: u32 = 1;

const fn info(kind: u32, kflag: u32, vlen: u32) -> u32 {
    (kflag << 31) | (kind << 24) | vlen
}

const fn int_type(name: u32) -> [u32; 4] {
    [name, info(BTF_KIND_INT, 0, 0), 4, (BTF_INT_SIGNED << 24) | 32]
}

/// Raw BTF (header, types, strings) for a probe.
pub fn raw_btf(types: &[u32], strs: &[u8]) -> Vec<u8> {
    let type_len = (types.len() * 4) as u32;
    let mut out = Vec::with_capacity(24 + types.len() * 4 + strs.len());
    out.extend_from_slice(&0xeb9fu16.to_ne_bytes());
    out.push(1);
    out.push(0);
    for v in [24u32, 0, type_len, type_len, strs.len() as u32] {
        out.extend_from_slice(&v.to_ne_bytes());
    }
    types.iter().for_each(|t| out.extend_from_slice(&t.to_ne_bytes()));
    out.extend_from_slice(strs);
    out
}

fn btf_loads(types: &[u32], strs: &[u8], token_fd: i32) -> bool {
    kcall::load_btf(&raw_btf(types, strs), crate::sys::usermem::UserMem::NONE, 0, token_fd).0.is_ok()
}

const fn insn(code: u8, dst: u8, src: u8, off: i16, imm: i32) -> bpf_insn {
    bpf_insn { code, regs: (src << 4) | (dst & 0xf), off, imm }
}
const MOV_R0_0: bpf_insn = insn(0xb7, 0, 0, 0, 0);
const EXIT: bpf_insn = insn(0x95, 0, 0, 0, 0);

fn token_flag(token_fd: i32) -> u32 {
    if token_fd != 0 {
        prog_flags::TOKEN_FD
    } else {
        0
    }
}

fn load(prog_type: u32, insns: &[bpf_insn], expected_attach_type: u32, token_fd: i32) -> crate::error::Result<std::os::fd::OwnedFd> {
    let mut p = ProgLoad {
        prog_type,
        license: Some(c"GPL"),
        insns: Mem::of(insns),
        insn_cnt: insns.len(),
        expected_attach_type,
        prog_flags: token_flag(token_fd),
        token_fd: token_fd as u32,
        ..Default::default()
    };
    kcall::load_prog(&mut p).0
}

fn array_map(name: &[u8], value_size: u32, flags: u32, token_fd: i32) -> crate::error::Result<std::os::fd::OwnedFd> {
    kcall::create_map(&MapCreate {
        map_type: mt::ARRAY,
        name: Some(name),
        key_size: 4,
        value_size,
        max_entries: 1,
        map_flags: flags | if token_fd != 0 { map_flags::TOKEN_FD } else { 0 },
        token_fd,
        ..Default::default()
    })
}

fn probe(f: Feature, token_fd: i32) -> bool {
    let res = run_probe(f, token_fd);
    if let Err(e) = res {
        crate::pr_warn!("Detection of kernel {} support failed: {e}", f.desc());
        return false;
    }
    res.unwrap_or(false)
}

fn run_probe(f: Feature, token_fd: i32) -> crate::error::Result<bool> {
    let t = token_fd;
    Ok(match f {
        Feature::ProgName => {
            if t == 0 {
                crate::bpf_api::features::prog_name()
            } else {
                let mut p = ProgLoad {
                    prog_type: pt::SOCKET_FILTER,
                    name: Some(b"libbpf_nametest"),
                    license: Some(c"GPL"),
                    insns: Mem::of(&[MOV_R0_0, EXIT][..]),
                    insn_cnt: 2,
                    prog_flags: token_flag(t),
                    token_fd: t as u32,
                    ..Default::default()
                };
                kcall::load_prog(&mut p).0.is_ok()
            }
        }
        Feature::GlobalData => {
            let map = array_map(b"libbpf_global", 32, 0, t).map_err(|e| {
                crate::pr_warn!("Error in probe_kern_global_data(): {e}. Couldn't create simple array map.");
                e
            })?;
            let insns = [
                insn(0x18, 1, 2, 0, map.as_raw_fd()),
                insn(0, 0, 0, 0, 16),
                insn(0x7a, 1, 0, 0, 42),
                MOV_R0_0,
                EXIT,
            ];
            load(pt::SOCKET_FILTER, &insns, 0, t).is_ok()
        }
        Feature::Btf => btf_loads(&int_type(1), b"\0int\0", t),
        Feature::BtfFunc | Feature::BtfGlobalFunc => {
            let linkage = if f == Feature::BtfGlobalFunc { 1 } else { 0 };
            let i = int_type(1);
            let types = [i[0], i[1], i[2], i[3], 0, info(BTF_KIND_FUNC_PROTO, 0, 1), 0, 7, 1, 5, info(BTF_KIND_FUNC, 0, linkage), 2];
            btf_loads(&types, b"\0int\0x\0a\0", t)
        }
        Feature::BtfDatasec | Feature::BtfQmarkDatasec => {
            let strs: &[u8] = if f == Feature::BtfDatasec { b"\0x\0.data\0" } else { b"\0x\0?.data\0" };
            let i = int_type(0);
            let types = [i[0], i[1], i[2], i[3], 1, info(BTF_KIND_VAR, 0, 0), 1, 0, 3, info(BTF_KIND_DATASEC, 0, 1), 4, 2, 0, 4];
            btf_loads(&types, strs, t)
        }
        Feature::BtfFloat => btf_loads(&[1, info(BTF_KIND_FLOAT, 0, 0), 4], b"\0float\0", t),
        Feature::BtfDeclTag => {
            let i = int_type(0);
            let types = [i[0], i[1], i[2], i[3], 1, info(BTF_KIND_VAR, 0, 0), 1, 0, 1, info(BTF_KIND_DECL_TAG, 0, 0), 2, u32::MAX];
            btf_loads(&types, b"\0tag\0", t)
        }
        Feature::BtfTypeTag => {
            let i = int_type(0);
            let types = [i[0], i[1], i[2], i[3], 1, info(BTF_KIND_TYPE_TAG, 0, 0), 1, 0, info(BTF_KIND_PTR, 0, 0), 2];
            btf_loads(&types, b"\0tag\0", t)
        }
        Feature::BtfEnum64 => btf_loads(&[1, info(BTF_KIND_ENUM64, 0, 0), 8], b"\0enum64\0", t),
        Feature::ArrayMmap => array_map(b"libbpf_mmap", 4, map_flags::MMAPABLE, t).is_ok(),
        Feature::ExpAttachType => load(pt::CGROUP_SOCK, &[MOV_R0_0, EXIT], attach::CGROUP_INET_SOCK_CREATE, t).is_ok(),
        Feature::ProbeReadKern => {
            let insns = [
                insn(0xbf, 1, 10, 0, 0),
                insn(0x07, 1, 0, 0, -8),
                insn(0xb7, 2, 0, 0, 8),
                insn(0xb7, 3, 0, 0, 0),
                insn(0x85, 0, 0, 0, 113),
                EXIT,
            ];
            load(pt::TRACEPOINT, &insns, 0, t).is_ok()
        }
        Feature::ProgBindMap => {
            let map = array_map(b"libbpf_det_bind", 32, 0, t).map_err(|e| {
                crate::pr_warn!("Error in probe_prog_bind_map(): {e}. Couldn't create simple array map.");
                e
            })?;
            match load(pt::SOCKET_FILTER, &[MOV_R0_0, EXIT], 0, t) {
                Ok(prog) => crate::sys::prog::bind_map(prog.as_raw_fd(), map.as_raw_fd(), 0).is_ok(),
                Err(_) => false,
            }
        }
        Feature::UprobeMultiLink => {
            let prog = load(pt::KPROBE, &[MOV_R0_0, EXIT], attach::TRACE_UPROBE_MULTI, t)?;
            let fd = prog.as_raw_fd();
            // Attaching in the directory "/" fails with EBADF when multi-uprobe
            // links exist; with pid -1 too, EINVAL says PID filtering is fixed.
            match kcall::probe_uprobe_multi(fd, 0) {
                Err(e) if e.errno() == libc::EBADF => {}
                _ => return Ok(false),
            }
            matches!(kcall::probe_uprobe_multi(fd, u32::MAX), Err(e) if e.errno() == libc::EINVAL)
        }
        Feature::BpfCookie => load(pt::TRACEPOINT, &[insn(0x85, 0, 0, 0, 174), EXIT], 0, t).is_ok(),
        Feature::UprobeSyscall => crate::sys::binary::has_uprobe_syscall(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_btf_layout() {
        let b = raw_btf(&int_type(1), b"\0int\0");
        assert_eq!(b.len(), 24 + 16 + 5);
        assert_eq!(&b[..4], &[0x9f, 0xeb, 1, 0]);
        assert_eq!(u32::from_ne_bytes(b[16..20].try_into().unwrap()), 16); // str_off
    }
}

#[cfg(test)]
mod kernel_tests {
    use super::*;

    /// The kernel these tests run on (6.18) has BPF cookies and the x86-64
    /// uprobe syscall; a fresh cache (token 0) probes them once.
    #[test]
    fn cookie_and_uprobe_syscall_probes() {
        let c = FeatureCache::new(0);
        assert!(c.supports(Feature::BpfCookie));
        assert!(c.supports(Feature::BpfCookie));
        assert_eq!(c.supports(Feature::UprobeSyscall), crate::sys::binary::has_uprobe_syscall());
    }
}
