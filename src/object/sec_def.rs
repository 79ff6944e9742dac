//! The SEC() table: which program type, expected attach type and flags an
//! ELF section name stands for, as libbpf 1.8 defines it, plus the handlers
//! applications register with `libbpf_register_prog_handler()`.
//!
//! Matching rules: an entry `"type"` matches exactly; `"type+"` matches
//! `type` itself or `type/<anything>`; `"type/"` matches any name starting
//! with it. Custom handlers are tried first (in registration order), then the
//! built-in table (in its order), then the custom fallback handler if any.

use std::sync::{Arc, Mutex};

use once_cell::sync::Lazy;

use crate::error::{Error, Result};
use crate::uapi::bpf_enums::{attach as at, prog as pt};

/// Flag bits of a built-in entry (libbpf keeps them in the cookie).
pub mod flags {
    /// The expected attach type may be dropped on kernels that reject it.
    pub const EXP_ATTACH_OPT: i64 = 1;
    /// Historically attachable with `BPF_PROG_ATTACH` (only
    /// `libbpf_attach_type_by_name()` still looks at it).
    pub const ATTACHABLE: i64 = 2;
    pub const ATTACHABLE_OPT: i64 = ATTACHABLE | EXP_ATTACH_OPT;
    /// The attach target is a BTF id (kernel function or another program).
    pub const ATTACH_BTF: i64 = 4;
    /// The program may sleep (`BPF_F_SLEEPABLE`).
    pub const SLEEPABLE: i64 = 8;
    /// XDP program supporting multi-buffer packets (`BPF_F_XDP_HAS_FRAGS`).
    pub const XDP_FRAGS: i64 = 16;
    /// USDT probe: uses the uprobe-multi attach type when the kernel has it.
    pub const USDT: i64 = 32;
}

/// How a built-in section's programs will be auto-attached (by the attach
/// layer, a later piece of work); `None` for sections without auto-attach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutoAttach {
    None,
    Kprobe,
    Uprobe,
    Ksyscall,
    Usdt,
    Tracepoint,
    RawTracepoint,
    Trace,
    KprobeMulti,
    KprobeSession,
    UprobeMulti,
    Lsm,
    Iter,
}

/// Callbacks of a custom handler, as addresses of the C functions (the C
/// boundary turns them back into function pointers; 0 = not set).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CustomCallbacks {
    pub setup: usize,
    pub prepare_load: usize,
    pub attach: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Handler {
    /// A built-in entry; libbpf's own load preparation applies.
    Builtin(AutoAttach),
    /// An application-registered handler.
    Custom(CustomCallbacks),
}

/// One SEC() definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecDef {
    /// The pattern; None for the custom fallback handler.
    pub sec: Option<String>,
    pub prog_type: u32,
    pub expected_attach_type: u32,
    /// Flag bits for built-ins; the application's cookie for custom handlers.
    pub cookie: i64,
    /// 0 for built-ins, the id returned at registration otherwise.
    pub handler_id: i32,
    pub handler: Handler,
}

impl SecDef {
    pub fn is_builtin(&self) -> bool {
        matches!(self.handler, Handler::Builtin(_))
    }

    /// Flag bits of a built-in entry (0 for custom handlers).
    pub fn flags(&self) -> i64 {
        if self.is_builtin() {
            self.cookie
        } else {
            0
        }
    }

    /// Whether `sec_name` matches this entry's pattern.
    pub fn matches(&self, sec_name: &str) -> bool {
        let Some(pat) = self.sec.as_deref() else { return false };
        if let Some(stem) = pat.strip_suffix('+') {
            match sec_name.strip_prefix(stem) {
                Some(rest) => rest.is_empty() || rest.starts_with('/'),
                None => false,
            }
        } else if pat.ends_with('/') {
            sec_name.starts_with(pat)
        } else {
            sec_name == pat
        }
    }
}

const fn def(sec: &'static str, prog_type: u32, attach: u32, flags: i64, auto: AutoAttach) -> (&'static str, u32, u32, i64, AutoAttach) {
    (sec, prog_type, attach, flags, auto)
}

use flags::*;
use AutoAttach as A;

/// The built-in table of libbpf 1.8, in matching order.
#[rustfmt::skip]
static BUILTIN_TABLE: &[(&str, u32, u32, i64, AutoAttach)] = &[
    def("socket", pt::SOCKET_FILTER, 0, 0, A::None),
    def("sk_reuseport/migrate", pt::SK_REUSEPORT, at::SK_REUSEPORT_SELECT_OR_MIGRATE, ATTACHABLE, A::None),
    def("sk_reuseport", pt::SK_REUSEPORT, at::SK_REUSEPORT_SELECT, ATTACHABLE, A::None),
    def("kprobe+", pt::KPROBE, 0, 0, A::Kprobe),
    def("uprobe+", pt::KPROBE, 0, 0, A::Uprobe),
    def("uprobe.s+", pt::KPROBE, 0, SLEEPABLE, A::Uprobe),
    def("kretprobe+", pt::KPROBE, 0, 0, A::Kprobe),
    def("uretprobe+", pt::KPROBE, 0, 0, A::Uprobe),
    def("uretprobe.s+", pt::KPROBE, 0, SLEEPABLE, A::Uprobe),
    def("kprobe.multi+", pt::KPROBE, at::TRACE_KPROBE_MULTI, 0, A::KprobeMulti),
    def("kretprobe.multi+", pt::KPROBE, at::TRACE_KPROBE_MULTI, 0, A::KprobeMulti),
    def("kprobe.session+", pt::KPROBE, at::TRACE_KPROBE_SESSION, 0, A::KprobeSession),
    def("uprobe.multi+", pt::KPROBE, at::TRACE_UPROBE_MULTI, 0, A::UprobeMulti),
    def("uretprobe.multi+", pt::KPROBE, at::TRACE_UPROBE_MULTI, 0, A::UprobeMulti),
    def("uprobe.session+", pt::KPROBE, at::TRACE_UPROBE_SESSION, 0, A::UprobeMulti),
    def("uprobe.multi.s+", pt::KPROBE, at::TRACE_UPROBE_MULTI, SLEEPABLE, A::UprobeMulti),
    def("uretprobe.multi.s+", pt::KPROBE, at::TRACE_UPROBE_MULTI, SLEEPABLE, A::UprobeMulti),
    def("uprobe.session.s+", pt::KPROBE, at::TRACE_UPROBE_SESSION, SLEEPABLE, A::UprobeMulti),
    def("ksyscall+", pt::KPROBE, 0, 0, A::Ksyscall),
    def("kretsyscall+", pt::KPROBE, 0, 0, A::Ksyscall),
    def("usdt+", pt::KPROBE, 0, USDT, A::Usdt),
    def("usdt.s+", pt::KPROBE, 0, USDT | SLEEPABLE, A::Usdt),
    def("tc/ingress", pt::SCHED_CLS, at::TCX_INGRESS, 0, A::None),
    def("tc/egress", pt::SCHED_CLS, at::TCX_EGRESS, 0, A::None),
    def("tcx/ingress", pt::SCHED_CLS, at::TCX_INGRESS, 0, A::None),
    def("tcx/egress", pt::SCHED_CLS, at::TCX_EGRESS, 0, A::None),
    def("tc", pt::SCHED_CLS, 0, 0, A::None),
    def("classifier", pt::SCHED_CLS, 0, 0, A::None),
    def("action", pt::SCHED_ACT, 0, 0, A::None),
    def("netkit/primary", pt::SCHED_CLS, at::NETKIT_PRIMARY, 0, A::None),
    def("netkit/peer", pt::SCHED_CLS, at::NETKIT_PEER, 0, A::None),
    def("tracepoint+", pt::TRACEPOINT, 0, 0, A::Tracepoint),
    def("tp+", pt::TRACEPOINT, 0, 0, A::Tracepoint),
    def("tracepoint.s+", pt::TRACEPOINT, 0, SLEEPABLE, A::Tracepoint),
    def("tp.s+", pt::TRACEPOINT, 0, SLEEPABLE, A::Tracepoint),
    def("raw_tracepoint+", pt::RAW_TRACEPOINT, 0, 0, A::RawTracepoint),
    def("raw_tp+", pt::RAW_TRACEPOINT, 0, 0, A::RawTracepoint),
    def("raw_tracepoint.s+", pt::RAW_TRACEPOINT, 0, SLEEPABLE, A::RawTracepoint),
    def("raw_tp.s+", pt::RAW_TRACEPOINT, 0, SLEEPABLE, A::RawTracepoint),
    def("raw_tracepoint.w+", pt::RAW_TRACEPOINT_WRITABLE, 0, 0, A::RawTracepoint),
    def("raw_tp.w+", pt::RAW_TRACEPOINT_WRITABLE, 0, 0, A::RawTracepoint),
    def("tp_btf+", pt::TRACING, at::TRACE_RAW_TP, ATTACH_BTF, A::Trace),
    def("tp_btf.s+", pt::TRACING, at::TRACE_RAW_TP, ATTACH_BTF | SLEEPABLE, A::Trace),
    def("fentry+", pt::TRACING, at::TRACE_FENTRY, ATTACH_BTF, A::Trace),
    def("fmod_ret+", pt::TRACING, at::MODIFY_RETURN, ATTACH_BTF, A::Trace),
    def("fexit+", pt::TRACING, at::TRACE_FEXIT, ATTACH_BTF, A::Trace),
    def("fentry.s+", pt::TRACING, at::TRACE_FENTRY, ATTACH_BTF | SLEEPABLE, A::Trace),
    def("fmod_ret.s+", pt::TRACING, at::MODIFY_RETURN, ATTACH_BTF | SLEEPABLE, A::Trace),
    def("fexit.s+", pt::TRACING, at::TRACE_FEXIT, ATTACH_BTF | SLEEPABLE, A::Trace),
    def("fsession+", pt::TRACING, at::TRACE_FSESSION, ATTACH_BTF, A::Trace),
    def("fsession.s+", pt::TRACING, at::TRACE_FSESSION, ATTACH_BTF | SLEEPABLE, A::Trace),
    def("freplace+", pt::EXT, 0, ATTACH_BTF, A::Trace),
    def("lsm+", pt::LSM, at::LSM_MAC, ATTACH_BTF, A::Lsm),
    def("lsm.s+", pt::LSM, at::LSM_MAC, ATTACH_BTF | SLEEPABLE, A::Lsm),
    def("lsm_cgroup+", pt::LSM, at::LSM_CGROUP, ATTACH_BTF, A::None),
    def("iter+", pt::TRACING, at::TRACE_ITER, ATTACH_BTF, A::Iter),
    def("iter.s+", pt::TRACING, at::TRACE_ITER, ATTACH_BTF | SLEEPABLE, A::Iter),
    def("syscall", pt::SYSCALL, 0, SLEEPABLE, A::None),
    def("xdp.frags/devmap", pt::XDP, at::XDP_DEVMAP, XDP_FRAGS, A::None),
    def("xdp/devmap", pt::XDP, at::XDP_DEVMAP, ATTACHABLE, A::None),
    def("xdp.frags/cpumap", pt::XDP, at::XDP_CPUMAP, XDP_FRAGS, A::None),
    def("xdp/cpumap", pt::XDP, at::XDP_CPUMAP, ATTACHABLE, A::None),
    def("xdp.frags", pt::XDP, at::XDP, XDP_FRAGS, A::None),
    def("xdp", pt::XDP, at::XDP, ATTACHABLE_OPT, A::None),
    def("perf_event", pt::PERF_EVENT, 0, 0, A::None),
    def("lwt_in", pt::LWT_IN, 0, 0, A::None),
    def("lwt_out", pt::LWT_OUT, 0, 0, A::None),
    def("lwt_xmit", pt::LWT_XMIT, 0, 0, A::None),
    def("lwt_seg6local", pt::LWT_SEG6LOCAL, 0, 0, A::None),
    def("sockops", pt::SOCK_OPS, at::CGROUP_SOCK_OPS, ATTACHABLE_OPT, A::None),
    def("sk_skb/stream_parser", pt::SK_SKB, at::SK_SKB_STREAM_PARSER, ATTACHABLE_OPT, A::None),
    def("sk_skb/stream_verdict", pt::SK_SKB, at::SK_SKB_STREAM_VERDICT, ATTACHABLE_OPT, A::None),
    def("sk_skb/verdict", pt::SK_SKB, at::SK_SKB_VERDICT, ATTACHABLE_OPT, A::None),
    def("sk_skb", pt::SK_SKB, 0, 0, A::None),
    def("sk_msg", pt::SK_MSG, at::SK_MSG_VERDICT, ATTACHABLE_OPT, A::None),
    def("lirc_mode2", pt::LIRC_MODE2, at::LIRC_MODE2, ATTACHABLE_OPT, A::None),
    def("flow_dissector", pt::FLOW_DISSECTOR, at::FLOW_DISSECTOR, ATTACHABLE_OPT, A::None),
    def("cgroup_skb/ingress", pt::CGROUP_SKB, at::CGROUP_INET_INGRESS, ATTACHABLE_OPT, A::None),
    def("cgroup_skb/egress", pt::CGROUP_SKB, at::CGROUP_INET_EGRESS, ATTACHABLE_OPT, A::None),
    def("cgroup/skb", pt::CGROUP_SKB, 0, 0, A::None),
    def("cgroup/sock_create", pt::CGROUP_SOCK, at::CGROUP_INET_SOCK_CREATE, ATTACHABLE, A::None),
    def("cgroup/sock_release", pt::CGROUP_SOCK, at::CGROUP_INET_SOCK_RELEASE, ATTACHABLE, A::None),
    def("cgroup/sock", pt::CGROUP_SOCK, at::CGROUP_INET_SOCK_CREATE, ATTACHABLE_OPT, A::None),
    def("cgroup/post_bind4", pt::CGROUP_SOCK, at::CGROUP_INET4_POST_BIND, ATTACHABLE, A::None),
    def("cgroup/post_bind6", pt::CGROUP_SOCK, at::CGROUP_INET6_POST_BIND, ATTACHABLE, A::None),
    def("cgroup/bind4", pt::CGROUP_SOCK_ADDR, at::CGROUP_INET4_BIND, ATTACHABLE, A::None),
    def("cgroup/bind6", pt::CGROUP_SOCK_ADDR, at::CGROUP_INET6_BIND, ATTACHABLE, A::None),
    def("cgroup/connect4", pt::CGROUP_SOCK_ADDR, at::CGROUP_INET4_CONNECT, ATTACHABLE, A::None),
    def("cgroup/connect6", pt::CGROUP_SOCK_ADDR, at::CGROUP_INET6_CONNECT, ATTACHABLE, A::None),
    def("cgroup/connect_unix", pt::CGROUP_SOCK_ADDR, at::CGROUP_UNIX_CONNECT, ATTACHABLE, A::None),
    def("cgroup/sendmsg4", pt::CGROUP_SOCK_ADDR, at::CGROUP_UDP4_SENDMSG, ATTACHABLE, A::None),
    def("cgroup/sendmsg6", pt::CGROUP_SOCK_ADDR, at::CGROUP_UDP6_SENDMSG, ATTACHABLE, A::None),
    def("cgroup/sendmsg_unix", pt::CGROUP_SOCK_ADDR, at::CGROUP_UNIX_SENDMSG, ATTACHABLE, A::None),
    def("cgroup/recvmsg4", pt::CGROUP_SOCK_ADDR, at::CGROUP_UDP4_RECVMSG, ATTACHABLE, A::None),
    def("cgroup/recvmsg6", pt::CGROUP_SOCK_ADDR, at::CGROUP_UDP6_RECVMSG, ATTACHABLE, A::None),
    def("cgroup/recvmsg_unix", pt::CGROUP_SOCK_ADDR, at::CGROUP_UNIX_RECVMSG, ATTACHABLE, A::None),
    def("cgroup/getpeername4", pt::CGROUP_SOCK_ADDR, at::CGROUP_INET4_GETPEERNAME, ATTACHABLE, A::None),
    def("cgroup/getpeername6", pt::CGROUP_SOCK_ADDR, at::CGROUP_INET6_GETPEERNAME, ATTACHABLE, A::None),
    def("cgroup/getpeername_unix", pt::CGROUP_SOCK_ADDR, at::CGROUP_UNIX_GETPEERNAME, ATTACHABLE, A::None),
    def("cgroup/getsockname4", pt::CGROUP_SOCK_ADDR, at::CGROUP_INET4_GETSOCKNAME, ATTACHABLE, A::None),
    def("cgroup/getsockname6", pt::CGROUP_SOCK_ADDR, at::CGROUP_INET6_GETSOCKNAME, ATTACHABLE, A::None),
    def("cgroup/getsockname_unix", pt::CGROUP_SOCK_ADDR, at::CGROUP_UNIX_GETSOCKNAME, ATTACHABLE, A::None),
    def("cgroup/sysctl", pt::CGROUP_SYSCTL, at::CGROUP_SYSCTL, ATTACHABLE, A::None),
    def("cgroup/getsockopt", pt::CGROUP_SOCKOPT, at::CGROUP_GETSOCKOPT, ATTACHABLE, A::None),
    def("cgroup/setsockopt", pt::CGROUP_SOCKOPT, at::CGROUP_SETSOCKOPT, ATTACHABLE, A::None),
    def("cgroup/dev", pt::CGROUP_DEVICE, at::CGROUP_DEVICE, ATTACHABLE_OPT, A::None),
    def("struct_ops+", pt::STRUCT_OPS, 0, 0, A::None),
    def("struct_ops.s+", pt::STRUCT_OPS, 0, SLEEPABLE, A::None),
    def("sk_lookup", pt::SK_LOOKUP, at::SK_LOOKUP, ATTACHABLE, A::None),
    def("netfilter", pt::NETFILTER, at::NETFILTER, 0, A::None),
];

static BUILTINS: Lazy<Vec<Arc<SecDef>>> = Lazy::new(|| {
    BUILTIN_TABLE
        .iter()
        .map(|&(sec, prog_type, expected_attach_type, cookie, auto)| {
            Arc::new(SecDef {
                sec: Some(sec.to_string()),
                prog_type,
                expected_attach_type,
                cookie,
                handler_id: 0,
                handler: Handler::Builtin(auto),
            })
        })
        .collect()
});

/// Handlers registered by the application (process-wide).
#[derive(Default)]
struct Registry {
    custom: Vec<Arc<SecDef>>,
    fallback: Option<Arc<SecDef>>,
    last_id: i32,
}

static REGISTRY: Lazy<Mutex<Registry>> = Lazy::new(|| Mutex::new(Registry::default()));

fn registry() -> std::sync::MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// The built-in entries, in matching order.
pub fn builtins() -> &'static [Arc<SecDef>] {
    &BUILTINS
}

/// The definition `sec_name` resolves to, if any.
pub fn find(sec_name: &str) -> Option<Arc<SecDef>> {
    let reg = registry();
    if let Some(d) = reg.custom.iter().find(|d| d.matches(sec_name)) {
        return Some(d.clone());
    }
    if let Some(d) = BUILTINS.iter().find(|d| d.matches(sec_name)) {
        return Some(d.clone());
    }
    reg.fallback.clone()
}

/// Registers a custom handler for `sec` (None: the fallback for sections no
/// one else claims). Returns its id (> 0). `EBUSY` when a fallback is
/// already registered; `E2BIG` when ids run out.
pub fn register(sec: Option<&str>, prog_type: u32, expected_attach_type: u32, cookie: i64, callbacks: CustomCallbacks) -> Result<i32> {
    let mut reg = registry();
    if reg.last_id == i32::MAX {
        return Err(Error::TOO_BIG);
    }
    if sec.is_none() && reg.fallback.is_some() {
        return Err(Error::BUSY);
    }
    reg.last_id += 1;
    let def = Arc::new(SecDef {
        sec: sec.map(str::to_string),
        prog_type,
        expected_attach_type,
        cookie,
        handler_id: reg.last_id,
        handler: Handler::Custom(callbacks),
    });
    if sec.is_some() {
        reg.custom.push(def);
    } else {
        reg.fallback = Some(def);
    }
    Ok(reg.last_id)
}

/// Removes the handler `id`: `EINVAL` for ids <= 0, `ENOENT` when unknown.
pub fn unregister(id: i32) -> Result<()> {
    if id <= 0 {
        return Err(Error::INVAL);
    }
    let mut reg = registry();
    if reg.fallback.as_ref().is_some_and(|d| d.handler_id == id) {
        reg.fallback = None;
        return Ok(());
    }
    let pos = reg.custom.iter().position(|d| d.handler_id == id).ok_or(Error::NOENT)?;
    reg.custom.remove(pos);
    Ok(())
}

/// All built-in patterns, space-separated (optionally only attachable ones),
/// as libbpf lists them in its debug messages.
fn type_names(attachable_only: bool) -> String {
    let mut out = String::new();
    for d in BUILTINS.iter() {
        if attachable_only && d.cookie & ATTACHABLE == 0 {
            continue;
        }
        out.push(' ');
        out.push_str(d.sec.as_deref().unwrap_or(""));
    }
    out
}

/// `libbpf_prog_type_by_name()`: the program type and expected attach type
/// of a section name; `ESRCH` when no definition matches.
pub fn prog_type_by_name(name: &str) -> Result<(u32, u32)> {
    match find(name) {
        Some(d) => Ok((d.prog_type, d.expected_attach_type)),
        None => {
            crate::pr_debug!("failed to guess program type from ELF section '{name}'");
            crate::pr_debug!("supported section(type) names are:{}", type_names(false));
            Err(Error::new(libc::ESRCH))
        }
    }
}

/// `libbpf_attach_type_by_name()`: the attach type of an attachable
/// built-in section; `EINVAL` otherwise.
pub fn attach_type_by_name(name: &str) -> Result<u32> {
    let Some(d) = find(name) else {
        crate::pr_debug!("failed to guess attach type based on ELF section name '{name}'");
        crate::pr_debug!("attachable section(type) names are:{}", type_names(true));
        return Err(Error::INVAL);
    };
    if !d.is_builtin() || d.cookie & ATTACHABLE == 0 {
        return Err(Error::INVAL);
    }
    Ok(d.expected_attach_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_rules() {
        let f = |s: &str| find(s).map(|d| d.sec.clone().unwrap());
        assert_eq!(f("kprobe"), Some("kprobe+".into()));
        assert_eq!(f("kprobe/do_sys_open"), Some("kprobe+".into()));
        assert_eq!(f("kprobex"), None);
        assert_eq!(f("kprobe.multi/foo*"), Some("kprobe.multi+".into()));
        assert_eq!(f("xdp"), Some("xdp".into()));
        assert_eq!(f("xdp/foo"), None);
        assert_eq!(f("xdp.frags/devmap"), Some("xdp.frags/devmap".into()));
        assert_eq!(f("tc/ingress"), Some("tc/ingress".into()));
        assert_eq!(f("tc"), Some("tc".into()));
        assert_eq!(f("uprobe.s/bin:func"), Some("uprobe.s+".into()));
        assert_eq!(f("socket"), Some("socket".into()));
        assert_eq!(f("socket/1"), None);
    }

    #[test]
    fn prog_and_attach_types() {
        assert_eq!(prog_type_by_name("cgroup/connect4").unwrap(), (pt::CGROUP_SOCK_ADDR, at::CGROUP_INET4_CONNECT));
        assert_eq!(prog_type_by_name("nope").unwrap_err().errno(), libc::ESRCH);
        assert_eq!(attach_type_by_name("cgroup/connect4").unwrap(), at::CGROUP_INET4_CONNECT);
        // kprobe is not attachable through BPF_PROG_ATTACH.
        assert_eq!(attach_type_by_name("kprobe/x").unwrap_err(), Error::INVAL);
        assert_eq!(attach_type_by_name("xdp").unwrap(), at::XDP);
        assert_eq!(attach_type_by_name("xdp.frags").unwrap_err(), Error::INVAL);
    }

    #[test]
    fn custom_handlers() {
        let id = register(Some("oxbpf_test_sec+"), pt::KPROBE, 0, 7, CustomCallbacks::default()).unwrap();
        assert!(id > 0);
        let d = find("oxbpf_test_sec/x").unwrap();
        assert_eq!((d.handler_id, d.cookie, d.flags()), (id, 7, 0));
        // Not attachable: custom.
        assert_eq!(attach_type_by_name("oxbpf_test_sec").unwrap_err(), Error::INVAL);
        unregister(id).unwrap();
        assert_eq!(unregister(id).unwrap_err(), Error::NOENT);
        assert_eq!(unregister(0).unwrap_err(), Error::INVAL);
        assert!(find("oxbpf_test_sec").is_none());
    }
}
