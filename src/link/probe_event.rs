//! Kprobe and uprobe perf events, opened one of two ways:
//! - through the `kprobe`/`uprobe` PMU: `perf_event_open` with the function
//!   name (or binary path) in `config1` and the offset in `config2`;
//! - the legacy way: a probe event defined by a line written to tracefs'
//!   `kprobe_events`/`uprobe_events`, then opened as a tracepoint by its
//!   id, and removed (by another line) once its perf event is closed.
//!
//! The attrs and tracefs lines are built by pure functions (unit-tested);
//! `crate::sys::perf` and `crate::sys::tracefs` do the calls.

use std::ffi::CStr;
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::error::{Error, Result};
use crate::sys::{perf, tracefs};
use crate::uapi::perf::{perf_event_attr, PERF_TYPE_TRACEPOINT, PERF_UPROBE_REF_CTR_OFFSET_SHIFT};

use super::LegacyProbe;

/// Longest legacy event name, with its NUL (libbpf's buffer size).
pub const MAX_EVENT_NAME_LEN: usize = 64;

/// Which dynamic probe PMU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pmu {
    Kprobe,
    Uprobe,
}

impl Pmu {
    pub fn name(self) -> &'static str {
        match self {
            Pmu::Kprobe => "kprobe",
            Pmu::Uprobe => "uprobe",
        }
    }
}

/// The perf event type of the PMU (an error when the kernel has no such
/// PMU, which sends attachment down the legacy path).
pub fn pmu_type(pmu: Pmu) -> Result<u32> {
    tracefs::pmu_type(pmu.name())
}

/// The name of a legacy event: `libbpf_<pid>_<index>_<target>_0x<offset>`
/// with every character that is not a letter or digit made `_`, cut to
/// fit [`MAX_EVENT_NAME_LEN`].
pub fn legacy_event_name_with(pid: u32, index: u32, target: &str, offset: u64) -> String {
    let raw = format!("libbpf_{pid}_{index}_{target}_0x{offset:x}");
    raw.bytes()
        .take(MAX_EVENT_NAME_LEN - 1)
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                b as char
            } else {
                '_'
            }
        })
        .collect()
}

/// [`legacy_event_name_with`] for this process, with a fresh index.
pub fn legacy_event_name(target: &str, offset: u64) -> String {
    static INDEX: AtomicU32 = AtomicU32::new(0);
    let index = INDEX.fetch_add(1, Ordering::Relaxed);
    legacy_event_name_with(std::process::id(), index, target, offset)
}

/// The tracefs group of a legacy event.
pub fn group(kprobe: bool, retprobe: bool) -> &'static str {
    match (kprobe, retprobe) {
        (true, false) => "kprobes",
        (true, true) => "kretprobes",
        (false, false) => "uprobes",
        (false, true) => "uretprobes",
    }
}

/// The `kprobe_events` line defining a kprobe on `func+offset`.
pub fn kprobe_definition(name: &str, retprobe: bool, func: &str, offset: u64) -> String {
    format!(
        "{}:{}/{name} {func}+0x{offset:x}",
        if retprobe { 'r' } else { 'p' },
        group(true, retprobe)
    )
}

/// The `uprobe_events` line defining a uprobe at `path:offset`.
pub fn uprobe_definition(name: &str, retprobe: bool, path: &str, offset: u64) -> String {
    format!(
        "{}:{}/{name} {path}:0x{offset:x}",
        if retprobe { 'r' } else { 'p' },
        group(false, retprobe)
    )
}

/// The line removing a legacy event.
pub fn removal(p: &LegacyProbe) -> String {
    format!("-:{}/{}", group(p.kprobe, p.retprobe), p.name)
}

/// The attr of a PMU probe: `config` holds the return-probe bit and (uprobes)
/// the reference counter offset, `config2` the offset; `config1` (the
/// name) is filled by `crate::sys::perf::open_probe`.
pub fn probe_attr(
    pmu_type: u32,
    retprobe_bit: Option<u32>,
    offset: u64,
    ref_ctr_off: u64,
) -> perf_event_attr {
    let mut config = ref_ctr_off << PERF_UPROBE_REF_CTR_OFFSET_SHIFT;
    if let Some(bit) = retprobe_bit {
        config |= 1u64 << bit;
    }
    perf_event_attr {
        type_: pmu_type,
        size: core::mem::size_of::<perf_event_attr>() as u32,
        config,
        config2: offset,
        ..Default::default()
    }
}

/// The attr of a tracepoint (or legacy probe event) perf event.
pub fn tracepoint_attr(id: u32) -> perf_event_attr {
    perf_event_attr {
        type_: PERF_TYPE_TRACEPOINT,
        size: core::mem::size_of::<perf_event_attr>() as u32,
        config: id as u64,
        ..Default::default()
    }
}

/// perf_event_open's pid and cpu for a probe filtered on `pid` (-1: every
/// process, on every CPU through CPU 0's event; else that process on any CPU).
pub fn pid_cpu(pid: i32) -> (i32, i32) {
    (
        if pid < 0 { -1 } else { pid },
        if pid == -1 { 0 } else { -1 },
    )
}

/// Opens a probe through its PMU (`perf_event_open_probe()` in libbpf).
/// `EINVAL` for a reference counter offset of 32 bits or more.
pub fn open_probe(
    pmu: Pmu,
    retprobe: bool,
    name: &CStr,
    offset: u64,
    pid: i32,
    ref_ctr_off: u64,
) -> Result<OwnedFd> {
    if ref_ctr_off >= 1u64 << 32 {
        return Err(Error::INVAL);
    }
    let ty = pmu_type(pmu)
        .inspect_err(|e| crate::pr_warn!("failed to determine {} perf type: {e}", pmu.name()))?;
    let bit = if retprobe {
        let b = tracefs::pmu_retprobe_bit(pmu.name()).inspect_err(|e| {
            crate::pr_warn!("failed to determine {} retprobe bit: {e}", pmu.name())
        })?;
        Some(b)
    } else {
        None
    };
    let attr = probe_attr(ty, bit, offset, ref_ctr_off);
    let (pid, cpu) = pid_cpu(pid);
    perf::open_probe(&attr, name, pid, cpu)
}

/// Defines legacy probe `p` with `definition` and opens it; the event is
/// removed again when opening fails. `what` names the target in messages.
pub fn open_legacy(p: &LegacyProbe, definition: &str, what: &str, pid: i32) -> Result<OwnedFd> {
    let kind = if p.kprobe { "kprobe" } else { "uprobe" };
    let file = if p.kprobe {
        tracefs::kprobe_events()
    } else {
        tracefs::uprobe_events()
    };
    tracefs::append(&file, definition)
        .inspect_err(|e| crate::pr_warn!("failed to add legacy {kind} event for {what}: {e}"))?;
    let opened = tracefs::event_id(group(p.kprobe, p.retprobe), &p.name)
        .inspect_err(|e| {
            crate::pr_warn!("failed to determine legacy {kind} event id for {what}: {e}")
        })
        .and_then(|id| {
            let (pid, cpu) = pid_cpu(pid);
            perf::open(perf::AttrRef::new(&tracepoint_attr(id)), pid, cpu, -1, 0)
                .inspect_err(|e| crate::pr_warn!("legacy {kind} perf_event_open() failed: {e}"))
        });
    if opened.is_err() {
        let _ = remove_legacy(p);
    }
    opened
}

/// Removes a legacy probe event from tracefs.
pub fn remove_legacy(p: &LegacyProbe) -> Result<()> {
    let file = if p.kprobe {
        tracefs::kprobe_events()
    } else {
        tracefs::uprobe_events()
    };
    tracefs::append(&file, &removal(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_names_are_sanitised_and_bounded() {
        assert_eq!(
            legacy_event_name_with(42, 3, "do_sys_open", 0x10),
            "libbpf_42_3_do_sys_open_0x10"
        );
        assert_eq!(
            legacy_event_name_with(1, 0, "/usr/lib/libc.so.6", 0),
            "libbpf_1_0__usr_lib_libc_so_6_0x0"
        );
        let long = legacy_event_name_with(1, 0, &"x".repeat(200), 0);
        assert_eq!(long.len(), MAX_EVENT_NAME_LEN - 1);
        assert!(long.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
        let a = legacy_event_name("f", 0);
        let b = legacy_event_name("f", 0);
        assert_ne!(a, b);
    }

    #[test]
    fn tracefs_lines() {
        assert_eq!(
            kprobe_definition("ev", false, "do_nanosleep", 0),
            "p:kprobes/ev do_nanosleep+0x0"
        );
        assert_eq!(
            kprobe_definition("ev", true, "f", 0x20),
            "r:kretprobes/ev f+0x20"
        );
        assert_eq!(
            uprobe_definition("ev", false, "/bin/true", 0x1040),
            "p:uprobes/ev /bin/true:0x1040"
        );
        assert_eq!(
            uprobe_definition("ev", true, "/x", 1),
            "r:uretprobes/ev /x:0x1"
        );
        let p = LegacyProbe {
            name: "ev".into(),
            kprobe: false,
            retprobe: true,
        };
        assert_eq!(removal(&p), "-:uretprobes/ev");
    }

    #[test]
    fn probe_attrs() {
        let a = probe_attr(8, Some(0), 0x1234, 0x40);
        assert_eq!(
            (a.type_, a.config, a.config1, a.config2),
            (8, (0x40 << 32) | 1, 0, 0x1234)
        );
        assert_eq!(a.size as usize, core::mem::size_of::<perf_event_attr>());
        let k = probe_attr(6, None, 0, 0);
        assert_eq!((k.type_, k.config, k.config2), (6, 0, 0));
        let t = tracepoint_attr(77);
        assert_eq!((t.type_, t.config), (PERF_TYPE_TRACEPOINT, 77));
        assert_eq!(pid_cpu(-1), (-1, 0));
        assert_eq!(pid_cpu(0), (0, -1));
        assert_eq!(pid_cpu(1234), (1234, -1));
        assert_eq!(pid_cpu(-5), (-1, -1));
    }

    #[test]
    fn huge_ref_ctr_offset_is_refused() {
        assert_eq!(
            open_probe(Pmu::Uprobe, false, c"/bin/true", 0, -1, 1 << 32).unwrap_err(),
            Error::INVAL
        );
    }
}
