//! `<linux/bpf.h>`: instructions, info structs and the constants oxbpf uses.
//! (The `bpf(2)` attribute layouts live with the syscall layer, `src/sys/`.)

/// `struct bpf_insn`: one 8-byte eBPF instruction.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_insn {
    pub code: u8,
    /// `dst_reg:4` (low nibble) and `src_reg:4` (high nibble).
    pub regs: u8,
    pub off: i16,
    pub imm: i32,
}

impl bpf_insn {
    pub const fn dst_reg(&self) -> u8 {
        self.regs & 0x0f
    }
    pub const fn src_reg(&self) -> u8 {
        self.regs >> 4
    }
    pub fn set_dst_reg(&mut self, r: u8) {
        self.regs = (self.regs & 0xf0) | (r & 0x0f);
    }
    pub fn set_src_reg(&mut self, r: u8) {
        self.regs = (self.regs & 0x0f) | (r << 4);
    }
}

/// `struct bpf_func_info`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_func_info {
    pub insn_off: u32,
    pub type_id: u32,
}

/// `struct bpf_line_info`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_line_info {
    pub insn_off: u32,
    pub file_name_off: u32,
    pub line_off: u32,
    pub line_col: u32,
}

/// `union bpf_iter_link_info`, as raw words (map fd, cgroup or task selector).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_iter_link_info {
    pub words: [u32; 4],
}

// The info structs below are filled by `BPF_OBJ_GET_INFO_BY_FD`
// (`crate::sys::info`), with the layouts of the 6.18 UAPI (plus the
// `tracing_multi` link info of later kernels). C callers get them from
// <linux/bpf.h>; the kernel fills at most the size the caller passes, so an
// older, shorter struct works too.

pub const BPF_TAG_SIZE: usize = 8;
pub const BPF_OBJ_NAME_LEN: usize = 16;

/// `struct bpf_prog_info`.
#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_prog_info {
    pub type_: u32,
    pub id: u32,
    pub tag: [u8; BPF_TAG_SIZE],
    pub jited_prog_len: u32,
    pub xlated_prog_len: u32,
    pub jited_prog_insns: u64,
    pub xlated_prog_insns: u64,
    /// Nanoseconds since boot.
    pub load_time: u64,
    pub created_by_uid: u32,
    pub nr_map_ids: u32,
    pub map_ids: u64,
    pub name: [u8; BPF_OBJ_NAME_LEN],
    pub ifindex: u32,
    /// Bit 0: `gpl_compatible`.
    pub gpl_compatible: u32,
    pub netns_dev: u64,
    pub netns_ino: u64,
    pub nr_jited_ksyms: u32,
    pub nr_jited_func_lens: u32,
    pub jited_ksyms: u64,
    pub jited_func_lens: u64,
    pub btf_id: u32,
    pub func_info_rec_size: u32,
    pub func_info: u64,
    pub nr_func_info: u32,
    pub nr_line_info: u32,
    pub line_info: u64,
    pub jited_line_info: u64,
    pub nr_jited_line_info: u32,
    pub line_info_rec_size: u32,
    pub jited_line_info_rec_size: u32,
    pub nr_prog_tags: u32,
    pub prog_tags: u64,
    pub run_time_ns: u64,
    pub run_cnt: u64,
    pub recursion_misses: u64,
    pub verified_insns: u32,
    pub attach_btf_obj_id: u32,
    pub attach_btf_id: u32,
    pub _pad: u32,
}

/// `struct bpf_map_info`.
#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_map_info {
    pub type_: u32,
    pub id: u32,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub map_flags: u32,
    pub name: [u8; BPF_OBJ_NAME_LEN],
    pub ifindex: u32,
    pub btf_vmlinux_value_type_id: u32,
    pub netns_dev: u64,
    pub netns_ino: u64,
    pub btf_id: u32,
    pub btf_key_type_id: u32,
    pub btf_value_type_id: u32,
    pub btf_vmlinux_id: u32,
    pub map_extra: u64,
    /// Address of a buffer for the map's hash (6.18).
    pub hash: u64,
    pub hash_size: u32,
    pub _pad: u32,
}

/// `struct bpf_btf_info`.
#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_btf_info {
    /// Address of a buffer for the raw BTF (`btf_size` bytes).
    pub btf: u64,
    pub btf_size: u32,
    pub id: u32,
    /// Address of a buffer for the name (`name_len` bytes).
    pub name: u64,
    pub name_len: u32,
    pub kernel_btf: u32,
}

/// `bpf_link_info.raw_tracepoint`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_link_info_raw_tracepoint {
    pub tp_name: u64,
    pub tp_name_len: u32,
    pub _pad: u32,
    pub cookie: u64,
}

/// `bpf_link_info.tracing`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_link_info_tracing {
    pub attach_type: u32,
    pub target_obj_id: u32,
    pub target_btf_id: u32,
    pub _pad: u32,
    pub cookie: u64,
}

/// `bpf_link_info.cgroup`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_link_info_cgroup {
    pub cgroup_id: u64,
    pub attach_type: u32,
}

/// `bpf_link_info.iter`: `map_id` for map iterators; `extra` holds the
/// cgroup (`cgroup_id`, `order`) or task (`tid`, `pid`) selector.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_link_info_iter {
    pub target_name: u64,
    pub target_name_len: u32,
    pub map_id: u32,
    pub extra: [u64; 2],
}

/// Two-word members (`netns`, `tcx`, `netkit`, `sockmap`: an object id or
/// ifindex, then the attach type; `xdp`, `struct_ops`: the first word only).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_link_info_pair {
    pub first: u32,
    pub attach_type: u32,
}

/// `bpf_link_info.netfilter`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_link_info_netfilter {
    pub pf: u32,
    pub hooknum: u32,
    pub priority: i32,
    pub flags: u32,
}

/// `bpf_link_info.kprobe_multi`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_link_info_kprobe_multi {
    pub addrs: u64,
    pub count: u32,
    pub flags: u32,
    pub missed: u64,
    pub cookies: u64,
}

/// `bpf_link_info.uprobe_multi`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_link_info_uprobe_multi {
    pub path: u64,
    pub offsets: u64,
    pub ref_ctr_offsets: u64,
    pub cookies: u64,
    pub path_size: u32,
    pub count: u32,
    pub flags: u32,
    pub pid: u32,
}

/// `bpf_link_info.perf_event`: `type_` (`enum bpf_perf_event_type`), then
/// the kind-specific words (`uprobe`, `kprobe`, `tracepoint`, `event`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_link_info_perf_event {
    pub type_: u32,
    pub _pad: u32,
    /// For a tracepoint: `tp_name`, `name_len` (low half of word 1), `cookie`.
    pub words: [u64; 5],
}

/// The per-type union of `struct bpf_link_info`.
#[repr(C)]
#[derive(Clone, Copy)]
pub union bpf_link_info_union {
    pub raw_tracepoint: bpf_link_info_raw_tracepoint,
    pub tracing: bpf_link_info_tracing,
    pub cgroup: bpf_link_info_cgroup,
    pub iter: bpf_link_info_iter,
    pub netns: bpf_link_info_pair,
    pub xdp: bpf_link_info_pair,
    pub struct_ops: bpf_link_info_pair,
    pub netfilter: bpf_link_info_netfilter,
    pub kprobe_multi: bpf_link_info_kprobe_multi,
    pub uprobe_multi: bpf_link_info_uprobe_multi,
    pub perf_event: bpf_link_info_perf_event,
    pub tcx: bpf_link_info_pair,
    pub netkit: bpf_link_info_pair,
    pub sockmap: bpf_link_info_pair,
    pub raw: [u64; 6],
}

impl Default for bpf_link_info_union {
    fn default() -> Self {
        bpf_link_info_union { raw: [0; 6] }
    }
}

impl core::fmt::Debug for bpf_link_info_union {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // SAFETY: every bit pattern is a valid `[u64; 6]`.
        write!(f, "{:x?}", unsafe { self.raw })
    }
}

/// `struct bpf_link_info`.
#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, Default)]
pub struct bpf_link_info {
    /// `enum bpf_link_type`.
    pub type_: u32,
    pub id: u32,
    pub prog_id: u32,
    pub u: bpf_link_info_union,
}

const _: () = {
    use core::mem::{offset_of, size_of};
    assert!(offset_of!(bpf_prog_info, name) == 64);
    assert!(offset_of!(bpf_prog_info, netns_dev) == 88);
    assert!(offset_of!(bpf_prog_info, btf_id) == 128);
    assert!(offset_of!(bpf_prog_info, prog_tags) == 184);
    assert!(offset_of!(bpf_prog_info, attach_btf_id) == 224);
    assert!(size_of::<bpf_prog_info>() == 232);
    assert!(offset_of!(bpf_map_info, netns_dev) == 48);
    assert!(offset_of!(bpf_map_info, map_extra) == 80);
    assert!(size_of::<bpf_map_info>() == 104);
    assert!(size_of::<bpf_btf_info>() == 32);
    assert!(offset_of!(bpf_link_info, u) == 16);
    assert!(offset_of!(bpf_link_info_iter, extra) == 16);
    assert!(size_of::<bpf_link_info>() == 64);
};

/// `enum bpf_prog_type` values oxbpf refers to by name.
pub mod prog_type {
    pub const BPF_PROG_TYPE_SOCKET_FILTER: u32 = 1;
    pub const BPF_PROG_TYPE_KPROBE: u32 = 2;
    pub const BPF_PROG_TYPE_SCHED_CLS: u32 = 3;
    pub const BPF_PROG_TYPE_TRACEPOINT: u32 = 5;
    pub const BPF_PROG_TYPE_XDP: u32 = 6;
    pub const BPF_PROG_TYPE_CGROUP_SKB: u32 = 8;
    pub const BPF_PROG_TYPE_RAW_TRACEPOINT: u32 = 17;
    pub const BPF_PROG_TYPE_TRACING: u32 = 26;
    pub const BPF_PROG_TYPE_STRUCT_OPS: u32 = 27;
    pub const BPF_PROG_TYPE_EXT: u32 = 28;
    pub const BPF_PROG_TYPE_LSM: u32 = 29;
    pub const BPF_PROG_TYPE_SYSCALL: u32 = 31;
}

/// `enum bpf_attach_type`. The last four come after 6.18 (libbpf 1.8
/// knows them: `tracing_multi` links).
pub mod attach_type {
    pub const BPF_CGROUP_INET_INGRESS: u32 = 0;
    pub const BPF_CGROUP_INET_EGRESS: u32 = 1;
    pub const BPF_CGROUP_INET_SOCK_CREATE: u32 = 2;
    pub const BPF_CGROUP_SOCK_OPS: u32 = 3;
    pub const BPF_CGROUP_DEVICE: u32 = 6;
    pub const BPF_CGROUP_INET4_BIND: u32 = 8;
    pub const BPF_CGROUP_INET6_BIND: u32 = 9;
    pub const BPF_CGROUP_INET4_CONNECT: u32 = 10;
    pub const BPF_CGROUP_INET6_CONNECT: u32 = 11;
    pub const BPF_CGROUP_INET4_POST_BIND: u32 = 12;
    pub const BPF_CGROUP_INET6_POST_BIND: u32 = 13;
    pub const BPF_CGROUP_UDP4_SENDMSG: u32 = 14;
    pub const BPF_CGROUP_UDP6_SENDMSG: u32 = 15;
    pub const BPF_CGROUP_SYSCTL: u32 = 18;
    pub const BPF_CGROUP_UDP4_RECVMSG: u32 = 19;
    pub const BPF_CGROUP_UDP6_RECVMSG: u32 = 20;
    pub const BPF_CGROUP_GETSOCKOPT: u32 = 21;
    pub const BPF_CGROUP_SETSOCKOPT: u32 = 22;
    pub const BPF_TRACE_RAW_TP: u32 = 23;
    pub const BPF_TRACE_FENTRY: u32 = 24;
    pub const BPF_TRACE_FEXIT: u32 = 25;
    pub const BPF_MODIFY_RETURN: u32 = 26;
    pub const BPF_LSM_MAC: u32 = 27;
    pub const BPF_TRACE_ITER: u32 = 28;
    pub const BPF_CGROUP_INET4_GETPEERNAME: u32 = 29;
    pub const BPF_CGROUP_INET6_GETPEERNAME: u32 = 30;
    pub const BPF_CGROUP_INET4_GETSOCKNAME: u32 = 31;
    pub const BPF_CGROUP_INET6_GETSOCKNAME: u32 = 32;
    pub const BPF_CGROUP_INET_SOCK_RELEASE: u32 = 34;
    pub const BPF_PERF_EVENT: u32 = 41;
    pub const BPF_TRACE_KPROBE_MULTI: u32 = 42;
    pub const BPF_LSM_CGROUP: u32 = 43;
    pub const BPF_NETFILTER: u32 = 45;
    pub const BPF_TCX_INGRESS: u32 = 46;
    pub const BPF_TCX_EGRESS: u32 = 47;
    pub const BPF_TRACE_UPROBE_MULTI: u32 = 48;
    pub const BPF_CGROUP_UNIX_CONNECT: u32 = 49;
    pub const BPF_CGROUP_UNIX_SENDMSG: u32 = 50;
    pub const BPF_CGROUP_UNIX_RECVMSG: u32 = 51;
    pub const BPF_CGROUP_UNIX_GETPEERNAME: u32 = 52;
    pub const BPF_CGROUP_UNIX_GETSOCKNAME: u32 = 53;
    pub const BPF_NETKIT_PRIMARY: u32 = 54;
    pub const BPF_NETKIT_PEER: u32 = 55;
    pub const BPF_TRACE_KPROBE_SESSION: u32 = 56;
    pub const BPF_TRACE_UPROBE_SESSION: u32 = 57;
    pub const BPF_TRACE_FSESSION: u32 = 58;
    pub const BPF_TRACE_FENTRY_MULTI: u32 = 59;
    pub const BPF_TRACE_FEXIT_MULTI: u32 = 60;
    pub const BPF_TRACE_FSESSION_MULTI: u32 = 61;
}

/// Flags of the attach, link and object commands.
pub mod flags {
    pub const BPF_F_ID: u32 = 1 << 5;
    pub const BPF_F_RDONLY: u32 = 1 << 3;
    pub const BPF_F_WRONLY: u32 = 1 << 4;
    pub const BPF_F_TOKEN_FD: u32 = 1 << 16;
}

/// Instruction encoding helpers used by feature probes.
pub mod insn {
    use super::bpf_insn;

    /// `r<dst> = imm` (64-bit move).
    pub const fn mov64_imm(dst: u8, imm: i32) -> bpf_insn {
        bpf_insn { code: 0x07 | 0xb0, regs: dst & 0x0f, off: 0, imm }
    }
    /// Call of helper `func`.
    pub const fn call(func: i32) -> bpf_insn {
        bpf_insn { code: 0x05 | 0x80, regs: 0, off: 0, imm: func }
    }
    /// `exit`.
    pub const fn exit() -> bpf_insn {
        bpf_insn { code: 0x05 | 0x90, regs: 0, off: 0, imm: 0 }
    }
}
