//! Types of `libbpf.h`: opaque handles, enums, callback typedefs and opts.
#![allow(non_camel_case_types)]

use crate::ffi::ctypes::*;
use crate::impl_opts;

/// A BPF ELF object: its programs, maps and BTF, from open to close.
pub struct bpf_object {
    _opaque: [u8; 0],
}

/// One BPF program of a `struct bpf_object`.
pub struct bpf_program {
    _opaque: [u8; 0],
}

/// One map of a `struct bpf_object` (BTF-defined, global data or kconfig).
pub struct bpf_map {
    _opaque: [u8; 0],
}

/// An attachment of a program to a hook; detached when destroyed.
pub struct bpf_link {
    _opaque: [u8; 0],
}

/// A consumer of one or more BPF ring buffer maps.
pub struct ring_buffer {
    _opaque: [u8; 0],
}

/// One BPF ring buffer map inside a `struct ring_buffer`.
pub struct ring {
    _opaque: [u8; 0],
}

/// A producer for a BPF user ring buffer map.
pub struct user_ring_buffer {
    _opaque: [u8; 0],
}

/// A consumer of a `BPF_MAP_TYPE_PERF_EVENT_ARRAY` map, one ring per CPU.
pub struct perf_buffer {
    _opaque: [u8; 0],
}

/// Line info of a loaded program, for address to source line lookups.
pub struct bpf_prog_linfo {
    _opaque: [u8; 0],
}

/// A static linker combining several BPF ELF objects into one.
pub struct bpf_linker {
    _opaque: [u8; 0],
}

/// libbpf's own error codes, returned negated like errno values.
#[repr(C)]
pub enum libbpf_errno {
    /// Something is wrong in the ELF layer.
    LIBBPF_ERRNO__LIBELF = 4000,
    /// The BPF object's format is invalid.
    LIBBPF_ERRNO__FORMAT,
    /// The 'version' section is wrong or missing.
    LIBBPF_ERRNO__KVERSION,
    /// The object's endianness does not match the host's.
    LIBBPF_ERRNO__ENDIAN,
    /// An internal error.
    LIBBPF_ERRNO__INTERNAL,
    /// A relocation failed.
    LIBBPF_ERRNO__RELOC,
    /// Loading a program failed.
    LIBBPF_ERRNO__LOAD,
    /// The kernel verifier rejected a program.
    LIBBPF_ERRNO__VERIFY,
    /// A program is too big.
    LIBBPF_ERRNO__PROG2BIG,
    /// The kernel version is incorrect.
    LIBBPF_ERRNO__KVER,
    /// The kernel does not support this program type.
    LIBBPF_ERRNO__PROGTYPE,
    /// A netlink message came from the wrong pid.
    LIBBPF_ERRNO__WRNGPID,
    /// A netlink message had an unexpected sequence number.
    LIBBPF_ERRNO__INVSEQ,
    /// A netlink message could not be parsed.
    LIBBPF_ERRNO__NLPARSE,
    __LIBBPF_ERRNO__END,
}

/// Levels of the messages passed to the print callback.
#[repr(C)]
pub enum libbpf_print_level {
    LIBBPF_WARN,
    LIBBPF_INFO,
    LIBBPF_DEBUG,
}

/// Receives every message oxbpf logs (see `libbpf_set_print()`).
pub type libbpf_print_fn_t =
    Option<unsafe extern "C" fn(level: enum_libbpf_print_level, format: *const c_char, ap: va_list) -> c_int>;

/// Options for `bpf_object__open_file()` and `bpf_object__open_mem()`.
#[repr(C)]
pub struct bpf_object_open_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Object name; default: the file name, or a name derived from the buffer address.
    pub object_name: *const c_char,
    /// Accept map definitions with unknown, non-zero attributes.
    pub relaxed_maps: bool,
    /// Directory maps pinned with `LIBBPF_PIN_BY_NAME` live in; default `/sys/fs/bpf`.
    pub pin_root_path: *const c_char,
    /// Reserved (an option removed in libbpf 1.0).
    pub __reserved_attach_prog_fd: __u32,
    /// Kernel config text used for `.kconfig` externs instead of the system's.
    pub kconfig: *const c_char,
    /// Path of a BTF file used for CO-RE relocations instead of the kernel's.
    pub btf_custom_path: *const c_char,
    /// Buffer for the verifier log of every program and of the object's BTF.
    pub kernel_log_buf: *mut c_char,
    /// Size of `kernel_log_buf`.
    pub kernel_log_size: size_t,
    /// Verifier log level for the buffer above.
    pub kernel_log_level: __u32,
    /// Path of a BPF FS mount to derive a BPF token from (empty: none).
    pub bpf_token_path: *const c_char,
}
impl_opts!(bpf_object_open_opts, bpf_token_path: *const c_char);

/// Options of `libbpf_register_prog_handler()`.
pub type libbpf_prog_setup_fn_t = Option<unsafe extern "C" fn(prog: *mut bpf_program, cookie: c_long) -> c_int>;
/// Called before a program is loaded, to adjust its load options.
pub type libbpf_prog_prepare_load_fn_t = Option<
    unsafe extern "C" fn(
        prog: *mut bpf_program,
        opts: *mut crate::ffi::api::bpf_h::types::bpf_prog_load_opts,
        cookie: c_long,
    ) -> c_int,
>;
/// Attaches a program of a custom section.
pub type libbpf_prog_attach_fn_t =
    Option<unsafe extern "C" fn(prog: *const bpf_program, cookie: c_long, link: *mut *mut bpf_link) -> c_int>;

/// Callbacks of a custom SEC() handler.
#[repr(C)]
pub struct libbpf_prog_handler_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Value passed back to every callback.
    pub cookie: c_long,
    /// Called when an object with a matching program is opened.
    pub prog_setup_fn: libbpf_prog_setup_fn_t,
    /// Called right before the program is loaded.
    pub prog_prepare_load_fn: libbpf_prog_prepare_load_fn_t,
    /// Called to auto-attach the program.
    pub prog_attach_fn: libbpf_prog_attach_fn_t,
}
impl_opts!(libbpf_prog_handler_opts, prog_attach_fn: libbpf_prog_attach_fn_t);

/// Options of `bpf_program__attach_perf_event_opts()`.
#[repr(C)]
pub struct bpf_perf_event_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Value the program reads with `bpf_get_attach_cookie()`.
    pub bpf_cookie: __u64,
    /// Attach with the perf ioctl even where a BPF link is available.
    pub force_ioctl_attach: bool,
    /// Leave the perf event disabled after attaching.
    pub dont_enable: bool,
}
impl_opts!(bpf_perf_event_opts, dont_enable: bool);

/// How a probe is attached.
#[repr(C)]
pub enum probe_attach_mode {
    /// The best mode the kernel supports.
    PROBE_ATTACH_MODE_DEFAULT = 0,
    /// Through tracefs (legacy kprobe/uprobe events).
    PROBE_ATTACH_MODE_LEGACY,
    /// Through a perf event with the perf ioctl.
    PROBE_ATTACH_MODE_PERF,
    /// Through a perf event and a BPF link.
    PROBE_ATTACH_MODE_LINK,
}

/// Options of `bpf_program__attach_kprobe_opts()`.
#[repr(C)]
pub struct bpf_kprobe_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Value the program reads with `bpf_get_attach_cookie()`.
    pub bpf_cookie: __u64,
    /// Offset from the function's start.
    pub offset: size_t,
    /// Attach to the function's return instead.
    pub retprobe: bool,
    /// Attach mode (`enum probe_attach_mode`).
    pub attach_mode: enum_probe_attach_mode,
}
impl_opts!(bpf_kprobe_opts, attach_mode: enum_probe_attach_mode);

/// Options of `bpf_program__attach_kprobe_multi_opts()`.
#[repr(C)]
pub struct bpf_kprobe_multi_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Function names to attach to.
    pub syms: *mut *const c_char,
    /// Function addresses to attach to.
    pub addrs: *const c_ulong,
    /// One cookie per function.
    pub cookies: *const __u64,
    /// Number of entries in `syms`, `addrs` and `cookies`.
    pub cnt: size_t,
    /// Attach to the functions' returns instead.
    pub retprobe: bool,
    /// Attach as a session (entry and return) probe.
    pub session: bool,
    /// Fail unless each name matches exactly one function.
    pub unique_match: bool,
}
impl_opts!(bpf_kprobe_multi_opts, unique_match: bool);

/// Options of `bpf_program__attach_uprobe_multi()`.
#[repr(C)]
pub struct bpf_uprobe_multi_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Function names to attach to.
    pub syms: *mut *const c_char,
    /// File offsets to attach to.
    pub offsets: *const c_ulong,
    /// USDT semaphore offsets.
    pub ref_ctr_offsets: *const c_ulong,
    /// One cookie per location.
    pub cookies: *const __u64,
    /// Number of locations.
    pub cnt: size_t,
    /// Attach to the functions' returns instead.
    pub retprobe: bool,
    /// Attach as a session (entry and return) probe.
    pub session: bool,
}
impl_opts!(bpf_uprobe_multi_opts, session: bool);

/// Options of `bpf_program__attach_ksyscall()`.
#[repr(C)]
pub struct bpf_ksyscall_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Value the program reads with `bpf_get_attach_cookie()`.
    pub bpf_cookie: __u64,
    /// Attach to the syscall's return instead.
    pub retprobe: bool,
}
impl_opts!(bpf_ksyscall_opts, retprobe: bool);

/// Options of `bpf_program__attach_tracing_multi()`.
#[repr(C)]
pub struct bpf_tracing_multi_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// BTF ids of the functions to attach to.
    pub ids: *mut __u32,
    /// One cookie per function.
    pub cookies: *mut __u64,
    /// Number of entries in `ids` and `cookies`.
    pub cnt: size_t,
}
impl_opts!(bpf_tracing_multi_opts, cnt: size_t);

/// Options of `bpf_program__attach_uprobe_opts()`.
#[repr(C)]
pub struct bpf_uprobe_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Offset of the USDT semaphore (reference counter) in the file.
    pub ref_ctr_offset: size_t,
    /// Value the program reads with `bpf_get_attach_cookie()`.
    pub bpf_cookie: __u64,
    /// Attach to the function's return instead.
    pub retprobe: bool,
    /// Function to attach to, resolved in the binary's symbol tables.
    pub func_name: *const c_char,
    /// Attach mode (`enum probe_attach_mode`).
    pub attach_mode: enum_probe_attach_mode,
}
impl_opts!(bpf_uprobe_opts, attach_mode: enum_probe_attach_mode);

/// Options of `bpf_program__attach_usdt()`.
#[repr(C)]
pub struct bpf_usdt_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Value the program reads with `bpf_usdt_cookie()`.
    pub usdt_cookie: __u64,
}
impl_opts!(bpf_usdt_opts, usdt_cookie: __u64);

/// Options of `bpf_program__attach_tracepoint_opts()`.
#[repr(C)]
pub struct bpf_tracepoint_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Value the program reads with `bpf_get_attach_cookie()`.
    pub bpf_cookie: __u64,
}
impl_opts!(bpf_tracepoint_opts, bpf_cookie: __u64);

/// Options of `bpf_program__attach_raw_tracepoint_opts()`.
#[repr(C)]
pub struct bpf_raw_tracepoint_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Value the program reads with `bpf_get_attach_cookie()`.
    pub cookie: __u64,
}
impl_opts!(bpf_raw_tracepoint_opts, cookie: __u64);

/// Options of `bpf_program__attach_trace_opts()` and `bpf_program__attach_lsm()`-like attaches.
#[repr(C)]
pub struct bpf_trace_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Value the program reads with `bpf_get_attach_cookie()`.
    pub cookie: __u64,
}
impl_opts!(bpf_trace_opts, cookie: __u64);

/// Options of `bpf_program__attach_netfilter()`.
#[repr(C)]
pub struct bpf_netfilter_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Protocol family (`NFPROTO_*`).
    pub pf: __u32,
    /// Netfilter hook number.
    pub hooknum: __u32,
    /// Priority among the hook's functions.
    pub priority: __s32,
    /// Netfilter link flags.
    pub flags: __u32,
}
impl_opts!(bpf_netfilter_opts, flags: __u32);

/// Options of `bpf_program__attach_tcx()`.
#[repr(C)]
pub struct bpf_tcx_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// `BPF_F_BEFORE`, `BPF_F_AFTER`, `BPF_F_ID`, `BPF_F_LINK`.
    pub flags: __u32,
    /// Program or link fd the new program is placed relative to.
    pub relative_fd: __u32,
    /// Program or link id the new program is placed relative to.
    pub relative_id: __u32,
    /// Fail unless the attach point's revision is this one (0: any).
    pub expected_revision: __u64,
}
impl_opts!(bpf_tcx_opts, expected_revision: __u64);

/// Options of `bpf_program__attach_netkit()`.
#[repr(C)]
pub struct bpf_netkit_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// `BPF_F_BEFORE`, `BPF_F_AFTER`, `BPF_F_ID`, `BPF_F_LINK`.
    pub flags: __u32,
    /// Program or link fd the new program is placed relative to.
    pub relative_fd: __u32,
    /// Program or link id the new program is placed relative to.
    pub relative_id: __u32,
    /// Fail unless the attach point's revision is this one (0: any).
    pub expected_revision: __u64,
}
impl_opts!(bpf_netkit_opts, expected_revision: __u64);

/// Options of `bpf_program__attach_cgroup_opts()`.
#[repr(C)]
pub struct bpf_cgroup_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// `BPF_F_BEFORE`, `BPF_F_AFTER`, `BPF_F_ID`, `BPF_F_LINK`.
    pub flags: __u32,
    /// Program or link fd the new program is placed relative to.
    pub relative_fd: __u32,
    /// Program or link id the new program is placed relative to.
    pub relative_id: __u32,
    /// Fail unless the attach point's revision is this one (0: any).
    pub expected_revision: __u64,
}
impl_opts!(bpf_cgroup_opts, expected_revision: __u64);

/// Options of `bpf_program__attach_iter()`.
#[repr(C)]
pub struct bpf_iter_attach_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// What to iterate over (a map, a cgroup, a task).
    pub link_info: *mut bpf_iter_link_info,
    /// Size of `*link_info`.
    pub link_info_len: __u32,
}
impl_opts!(bpf_iter_attach_opts, link_info_len: __u32);

/// Options of the deprecated XDP attach API.
#[repr(C)]
pub struct bpf_xdp_set_link_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Replace this program only.
    pub old_fd: c_int,
}
impl_opts!(bpf_xdp_set_link_opts, old_fd: c_int);

/// Options of `bpf_xdp_attach()` and `bpf_xdp_detach()`.
#[repr(C)]
pub struct bpf_xdp_attach_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Replace this program only (with `XDP_FLAGS_REPLACE`).
    pub old_prog_fd: c_int,
}
impl_opts!(bpf_xdp_attach_opts, old_prog_fd: c_int);

/// Results of `bpf_xdp_query()`.
#[repr(C)]
pub struct bpf_xdp_query_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Output: id of the attached program (any mode).
    pub prog_id: __u32,
    /// Output: id of the native-mode program.
    pub drv_prog_id: __u32,
    /// Output: id of the offloaded program.
    pub hw_prog_id: __u32,
    /// Output: id of the generic-mode program.
    pub skb_prog_id: __u32,
    /// Output: `XDP_ATTACHED_*`.
    pub attach_mode: __u8,
    /// Output: `NETDEV_XDP_ACT_*` features of the device.
    pub feature_flags: __u64,
    /// Output: zero-copy maximum segments.
    pub xdp_zc_max_segs: __u32,
}
impl_opts!(bpf_xdp_query_opts, xdp_zc_max_segs: __u32);

/// Where a TC hook sits.
#[repr(C)]
pub enum bpf_tc_attach_point {
    BPF_TC_INGRESS = 1 << 0,
    BPF_TC_EGRESS = 1 << 1,
    BPF_TC_CUSTOM = 1 << 2,
    BPF_TC_QDISC = 1 << 3,
}

/// Flags of `bpf_tc_attach()`.
#[repr(C)]
pub enum bpf_tc_flags {
    BPF_TC_F_REPLACE = 1 << 0,
}

/// A TC hook: a clsact qdisc on a device, or a custom parent.
#[repr(C)]
pub struct bpf_tc_hook {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Network device index.
    pub ifindex: c_int,
    /// `BPF_TC_INGRESS`, `BPF_TC_EGRESS`, `BPF_TC_CUSTOM` or `BPF_TC_QDISC`.
    pub attach_point: enum_bpf_tc_attach_point,
    /// Parent handle, for `BPF_TC_CUSTOM` (see `BPF_TC_PARENT()`).
    pub parent: __u32,
    /// Qdisc handle, for `BPF_TC_QDISC`.
    pub handle: __u32,
    /// Qdisc kind, for `BPF_TC_QDISC`.
    pub qdisc: *const c_char,
}
impl_opts!(bpf_tc_hook, qdisc: *const c_char);

/// A TC filter: the program and where it sits in the chain.
#[repr(C)]
pub struct bpf_tc_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Program to attach.
    pub prog_fd: c_int,
    /// `BPF_TC_F_REPLACE`.
    pub flags: __u32,
    /// Id of the attached program.
    pub prog_id: __u32,
    /// Filter handle.
    pub handle: __u32,
    /// Filter priority.
    pub priority: __u32,
}
impl_opts!(bpf_tc_opts, priority: __u32);

/// Called for each ring buffer record; a negative return stops consumption.
pub type ring_buffer_sample_fn = Option<unsafe extern "C" fn(ctx: *mut c_void, data: *mut c_void, size: size_t) -> c_int>;

/// Options of `ring_buffer__new()`.
#[repr(C)]
pub struct ring_buffer_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
}
impl_opts!(ring_buffer_opts, sz: size_t);

/// Options of `user_ring_buffer__new()`.
#[repr(C)]
pub struct user_ring_buffer_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
}
impl_opts!(user_ring_buffer_opts, sz: size_t);

/// Called for each perf buffer sample.
pub type perf_buffer_sample_fn = Option<unsafe extern "C" fn(ctx: *mut c_void, cpu: c_int, data: *mut c_void, size: __u32)>;
/// Called when samples were lost.
pub type perf_buffer_lost_fn = Option<unsafe extern "C" fn(ctx: *mut c_void, cpu: c_int, cnt: __u64)>;

/// Options of `perf_buffer__new()`.
#[repr(C)]
pub struct perf_buffer_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Wake up the consumer after this many samples (0: every sample).
    pub sample_period: __u32,
}
impl_opts!(perf_buffer_opts, sample_period: __u32);

/// What a raw perf buffer event callback returns.
#[repr(C)]
pub enum bpf_perf_event_ret {
    LIBBPF_PERF_EVENT_DONE = 0,
    LIBBPF_PERF_EVENT_ERROR = -1,
    LIBBPF_PERF_EVENT_CONT = -2,
}

/// Called for each raw perf event record.
pub type perf_buffer_event_fn =
    Option<unsafe extern "C" fn(ctx: *mut c_void, cpu: c_int, event: *mut perf_event_header) -> enum_bpf_perf_event_ret>;

/// Options of `perf_buffer__new_raw()`.
#[repr(C)]
pub struct perf_buffer_raw_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    /// Number of CPUs in `cpus` (0: every possible CPU).
    pub cpu_cnt: c_int,
    /// CPUs to open rings on.
    pub cpus: *mut c_int,
    /// Map keys to store each CPU's ring under.
    pub map_keys: *mut c_int,
}
impl_opts!(perf_buffer_raw_opts, map_keys: *mut c_int);

/// A map of a skeleton.
#[repr(C)]
pub struct bpf_map_skeleton {
    pub name: *const c_char,
    pub map: *mut *mut bpf_map,
    pub mmaped: *mut *mut c_void,
    pub link: *mut *mut bpf_link,
}

/// A program of a skeleton.
#[repr(C)]
pub struct bpf_prog_skeleton {
    pub name: *const c_char,
    pub prog: *mut *mut bpf_program,
    pub link: *mut *mut bpf_link,
}

/// What `bpftool gen skeleton` describes an object with.
#[repr(C)]
pub struct bpf_object_skeleton {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    pub name: *const c_char,
    pub data: *const c_void,
    pub data_sz: size_t,
    pub obj: *mut *mut bpf_object,
    pub map_cnt: c_int,
    /// Size of each entry of `maps`.
    pub map_skel_sz: c_int,
    pub maps: *mut bpf_map_skeleton,
    pub prog_cnt: c_int,
    /// Size of each entry of `progs`.
    pub prog_skel_sz: c_int,
    pub progs: *mut bpf_prog_skeleton,
}

/// A global variable of a subskeleton.
#[repr(C)]
pub struct bpf_var_skeleton {
    pub name: *const c_char,
    pub map: *mut *mut bpf_map,
    pub addr: *mut *mut c_void,
}

/// What `bpftool gen subskeleton` describes part of an object with.
#[repr(C)]
pub struct bpf_object_subskeleton {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    pub obj: *const bpf_object,
    pub map_cnt: c_int,
    /// Size of each entry of `maps`.
    pub map_skel_sz: c_int,
    pub maps: *mut bpf_map_skeleton,
    pub prog_cnt: c_int,
    /// Size of each entry of `progs`.
    pub prog_skel_sz: c_int,
    pub progs: *mut bpf_prog_skeleton,
    pub var_cnt: c_int,
    /// Size of each entry of `vars`.
    pub var_skel_sz: c_int,
    pub vars: *mut bpf_var_skeleton,
}

/// Options of `bpf_object__gen_loader()`.
#[repr(C)]
pub struct gen_loader_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
    pub data: *const c_char,
    pub insns: *const c_char,
    pub data_sz: __u32,
    pub insns_sz: __u32,
    pub gen_hash: bool,
}
impl_opts!(gen_loader_opts, gen_hash: bool);

/// Values of a tristate `.kconfig` extern.
#[repr(C)]
pub enum libbpf_tristate {
    TRI_NO = 0,
    TRI_YES = 1,
    TRI_MODULE = 2,
}

/// Options of `bpf_linker__new()`.
#[repr(C)]
pub struct bpf_linker_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
}
impl_opts!(bpf_linker_opts, sz: size_t);

/// Options of `bpf_linker__add_file()` and friends.
#[repr(C)]
pub struct bpf_linker_file_opts {
    /// Size of this struct, for forward and backward compatibility.
    pub sz: size_t,
}
impl_opts!(bpf_linker_file_opts, sz: size_t);
