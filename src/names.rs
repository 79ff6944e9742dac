//! Names of the kernel's BPF enums, as `libbpf_bpf_*_type_str()` returns them:
//! the UAPI enumerator without its prefix, in lower case. The tables follow
//! the UAPI of Linux 6.18 (checked against this machine's vmlinux BTF).

/// `enum bpf_attach_type`, indexed by value.
pub const ATTACH_TYPES: [&str; 58] = [
    "cgroup_inet_ingress", // BPF_CGROUP_INET_INGRESS
    "cgroup_inet_egress", // BPF_CGROUP_INET_EGRESS
    "cgroup_inet_sock_create", // BPF_CGROUP_INET_SOCK_CREATE
    "cgroup_sock_ops", // BPF_CGROUP_SOCK_OPS
    "sk_skb_stream_parser", // BPF_SK_SKB_STREAM_PARSER
    "sk_skb_stream_verdict", // BPF_SK_SKB_STREAM_VERDICT
    "cgroup_device", // BPF_CGROUP_DEVICE
    "sk_msg_verdict", // BPF_SK_MSG_VERDICT
    "cgroup_inet4_bind", // BPF_CGROUP_INET4_BIND
    "cgroup_inet6_bind", // BPF_CGROUP_INET6_BIND
    "cgroup_inet4_connect", // BPF_CGROUP_INET4_CONNECT
    "cgroup_inet6_connect", // BPF_CGROUP_INET6_CONNECT
    "cgroup_inet4_post_bind", // BPF_CGROUP_INET4_POST_BIND
    "cgroup_inet6_post_bind", // BPF_CGROUP_INET6_POST_BIND
    "cgroup_udp4_sendmsg", // BPF_CGROUP_UDP4_SENDMSG
    "cgroup_udp6_sendmsg", // BPF_CGROUP_UDP6_SENDMSG
    "lirc_mode2", // BPF_LIRC_MODE2
    "flow_dissector", // BPF_FLOW_DISSECTOR
    "cgroup_sysctl", // BPF_CGROUP_SYSCTL
    "cgroup_udp4_recvmsg", // BPF_CGROUP_UDP4_RECVMSG
    "cgroup_udp6_recvmsg", // BPF_CGROUP_UDP6_RECVMSG
    "cgroup_getsockopt", // BPF_CGROUP_GETSOCKOPT
    "cgroup_setsockopt", // BPF_CGROUP_SETSOCKOPT
    "trace_raw_tp", // BPF_TRACE_RAW_TP
    "trace_fentry", // BPF_TRACE_FENTRY
    "trace_fexit", // BPF_TRACE_FEXIT
    "modify_return", // BPF_MODIFY_RETURN
    "lsm_mac", // BPF_LSM_MAC
    "trace_iter", // BPF_TRACE_ITER
    "cgroup_inet4_getpeername", // BPF_CGROUP_INET4_GETPEERNAME
    "cgroup_inet6_getpeername", // BPF_CGROUP_INET6_GETPEERNAME
    "cgroup_inet4_getsockname", // BPF_CGROUP_INET4_GETSOCKNAME
    "cgroup_inet6_getsockname", // BPF_CGROUP_INET6_GETSOCKNAME
    "xdp_devmap", // BPF_XDP_DEVMAP
    "cgroup_inet_sock_release", // BPF_CGROUP_INET_SOCK_RELEASE
    "xdp_cpumap", // BPF_XDP_CPUMAP
    "sk_lookup", // BPF_SK_LOOKUP
    "xdp", // BPF_XDP
    "sk_skb_verdict", // BPF_SK_SKB_VERDICT
    "sk_reuseport_select", // BPF_SK_REUSEPORT_SELECT
    "sk_reuseport_select_or_migrate", // BPF_SK_REUSEPORT_SELECT_OR_MIGRATE
    "perf_event", // BPF_PERF_EVENT
    "trace_kprobe_multi", // BPF_TRACE_KPROBE_MULTI
    "lsm_cgroup", // BPF_LSM_CGROUP
    "struct_ops", // BPF_STRUCT_OPS
    "netfilter", // BPF_NETFILTER
    "tcx_ingress", // BPF_TCX_INGRESS
    "tcx_egress", // BPF_TCX_EGRESS
    "trace_uprobe_multi", // BPF_TRACE_UPROBE_MULTI
    "cgroup_unix_connect", // BPF_CGROUP_UNIX_CONNECT
    "cgroup_unix_sendmsg", // BPF_CGROUP_UNIX_SENDMSG
    "cgroup_unix_recvmsg", // BPF_CGROUP_UNIX_RECVMSG
    "cgroup_unix_getpeername", // BPF_CGROUP_UNIX_GETPEERNAME
    "cgroup_unix_getsockname", // BPF_CGROUP_UNIX_GETSOCKNAME
    "netkit_primary", // BPF_NETKIT_PRIMARY
    "netkit_peer", // BPF_NETKIT_PEER
    "trace_kprobe_session", // BPF_TRACE_KPROBE_SESSION
    "trace_uprobe_session", // BPF_TRACE_UPROBE_SESSION
];

/// `enum bpf_link_type`, indexed by value.
pub const LINK_TYPES: [&str; 15] = [
    "unspec", // BPF_LINK_TYPE_UNSPEC
    "raw_tracepoint", // BPF_LINK_TYPE_RAW_TRACEPOINT
    "tracing", // BPF_LINK_TYPE_TRACING
    "cgroup", // BPF_LINK_TYPE_CGROUP
    "iter", // BPF_LINK_TYPE_ITER
    "netns", // BPF_LINK_TYPE_NETNS
    "xdp", // BPF_LINK_TYPE_XDP
    "perf_event", // BPF_LINK_TYPE_PERF_EVENT
    "kprobe_multi", // BPF_LINK_TYPE_KPROBE_MULTI
    "struct_ops", // BPF_LINK_TYPE_STRUCT_OPS
    "netfilter", // BPF_LINK_TYPE_NETFILTER
    "tcx", // BPF_LINK_TYPE_TCX
    "uprobe_multi", // BPF_LINK_TYPE_UPROBE_MULTI
    "netkit", // BPF_LINK_TYPE_NETKIT
    "sockmap", // BPF_LINK_TYPE_SOCKMAP
];

/// `enum bpf_map_type`, indexed by value.
pub const MAP_TYPES: [&str; 34] = [
    "unspec", // BPF_MAP_TYPE_UNSPEC
    "hash", // BPF_MAP_TYPE_HASH
    "array", // BPF_MAP_TYPE_ARRAY
    "prog_array", // BPF_MAP_TYPE_PROG_ARRAY
    "perf_event_array", // BPF_MAP_TYPE_PERF_EVENT_ARRAY
    "percpu_hash", // BPF_MAP_TYPE_PERCPU_HASH
    "percpu_array", // BPF_MAP_TYPE_PERCPU_ARRAY
    "stack_trace", // BPF_MAP_TYPE_STACK_TRACE
    "cgroup_array", // BPF_MAP_TYPE_CGROUP_ARRAY
    "lru_hash", // BPF_MAP_TYPE_LRU_HASH
    "lru_percpu_hash", // BPF_MAP_TYPE_LRU_PERCPU_HASH
    "lpm_trie", // BPF_MAP_TYPE_LPM_TRIE
    "array_of_maps", // BPF_MAP_TYPE_ARRAY_OF_MAPS
    "hash_of_maps", // BPF_MAP_TYPE_HASH_OF_MAPS
    "devmap", // BPF_MAP_TYPE_DEVMAP
    "sockmap", // BPF_MAP_TYPE_SOCKMAP
    "cpumap", // BPF_MAP_TYPE_CPUMAP
    "xskmap", // BPF_MAP_TYPE_XSKMAP
    "sockhash", // BPF_MAP_TYPE_SOCKHASH
    "cgroup_storage", // BPF_MAP_TYPE_CGROUP_STORAGE
    "reuseport_sockarray", // BPF_MAP_TYPE_REUSEPORT_SOCKARRAY
    "percpu_cgroup_storage", // BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE
    "queue", // BPF_MAP_TYPE_QUEUE
    "stack", // BPF_MAP_TYPE_STACK
    "sk_storage", // BPF_MAP_TYPE_SK_STORAGE
    "devmap_hash", // BPF_MAP_TYPE_DEVMAP_HASH
    "struct_ops", // BPF_MAP_TYPE_STRUCT_OPS
    "ringbuf", // BPF_MAP_TYPE_RINGBUF
    "inode_storage", // BPF_MAP_TYPE_INODE_STORAGE
    "task_storage", // BPF_MAP_TYPE_TASK_STORAGE
    "bloom_filter", // BPF_MAP_TYPE_BLOOM_FILTER
    "user_ringbuf", // BPF_MAP_TYPE_USER_RINGBUF
    "cgrp_storage", // BPF_MAP_TYPE_CGRP_STORAGE
    "arena", // BPF_MAP_TYPE_ARENA
];

/// `enum bpf_prog_type`, indexed by value.
pub const PROG_TYPES: [&str; 33] = [
    "unspec", // BPF_PROG_TYPE_UNSPEC
    "socket_filter", // BPF_PROG_TYPE_SOCKET_FILTER
    "kprobe", // BPF_PROG_TYPE_KPROBE
    "sched_cls", // BPF_PROG_TYPE_SCHED_CLS
    "sched_act", // BPF_PROG_TYPE_SCHED_ACT
    "tracepoint", // BPF_PROG_TYPE_TRACEPOINT
    "xdp", // BPF_PROG_TYPE_XDP
    "perf_event", // BPF_PROG_TYPE_PERF_EVENT
    "cgroup_skb", // BPF_PROG_TYPE_CGROUP_SKB
    "cgroup_sock", // BPF_PROG_TYPE_CGROUP_SOCK
    "lwt_in", // BPF_PROG_TYPE_LWT_IN
    "lwt_out", // BPF_PROG_TYPE_LWT_OUT
    "lwt_xmit", // BPF_PROG_TYPE_LWT_XMIT
    "sock_ops", // BPF_PROG_TYPE_SOCK_OPS
    "sk_skb", // BPF_PROG_TYPE_SK_SKB
    "cgroup_device", // BPF_PROG_TYPE_CGROUP_DEVICE
    "sk_msg", // BPF_PROG_TYPE_SK_MSG
    "raw_tracepoint", // BPF_PROG_TYPE_RAW_TRACEPOINT
    "cgroup_sock_addr", // BPF_PROG_TYPE_CGROUP_SOCK_ADDR
    "lwt_seg6local", // BPF_PROG_TYPE_LWT_SEG6LOCAL
    "lirc_mode2", // BPF_PROG_TYPE_LIRC_MODE2
    "sk_reuseport", // BPF_PROG_TYPE_SK_REUSEPORT
    "flow_dissector", // BPF_PROG_TYPE_FLOW_DISSECTOR
    "cgroup_sysctl", // BPF_PROG_TYPE_CGROUP_SYSCTL
    "raw_tracepoint_writable", // BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE
    "cgroup_sockopt", // BPF_PROG_TYPE_CGROUP_SOCKOPT
    "tracing", // BPF_PROG_TYPE_TRACING
    "struct_ops", // BPF_PROG_TYPE_STRUCT_OPS
    "ext", // BPF_PROG_TYPE_EXT
    "lsm", // BPF_PROG_TYPE_LSM
    "sk_lookup", // BPF_PROG_TYPE_SK_LOOKUP
    "syscall", // BPF_PROG_TYPE_SYSCALL
    "netfilter", // BPF_PROG_TYPE_NETFILTER
];

/// The name of `value` in `table`, if the table knows it.
pub fn lookup(table: &'static [&'static str], value: u32) -> Option<&'static str> {
    table.get(value as usize).copied()
}

/// The same names as NUL-terminated C strings, built once.
pub mod c {
    use once_cell::sync::Lazy;
    use std::ffi::CString;

    fn build(table: &[&str]) -> Vec<CString> {
        table.iter().map(|s| CString::new(*s).expect("no NUL in names")).collect()
    }

    pub static ATTACH_TYPES: Lazy<Vec<CString>> = Lazy::new(|| build(&super::ATTACH_TYPES));
    pub static LINK_TYPES: Lazy<Vec<CString>> = Lazy::new(|| build(&super::LINK_TYPES));
    pub static MAP_TYPES: Lazy<Vec<CString>> = Lazy::new(|| build(&super::MAP_TYPES));
    pub static PROG_TYPES: Lazy<Vec<CString>> = Lazy::new(|| build(&super::PROG_TYPES));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spot_checks() {
        assert_eq!(lookup(&PROG_TYPES, 1), Some("socket_filter"));
        assert_eq!(lookup(&PROG_TYPES, 32), Some("netfilter"));
        assert_eq!(lookup(&MAP_TYPES, 19), Some("cgroup_storage"));
        assert_eq!(lookup(&MAP_TYPES, 33), Some("arena"));
        assert_eq!(lookup(&ATTACH_TYPES, 0), Some("cgroup_inet_ingress"));
        assert_eq!(lookup(&ATTACH_TYPES, 57), Some("trace_uprobe_session"));
        assert_eq!(lookup(&LINK_TYPES, 14), Some("sockmap"));
        assert_eq!(lookup(&LINK_TYPES, 15), None);
    }
}
