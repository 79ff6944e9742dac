//! Auto-attachment from the SEC() name (`bpf_program__attach()` and
//! skeletons): which constructor a program's section definition leads to,
//! with the target read from the rest of the section name, as libbpf
//! parses it:
//!
//! | section | target |
//! | --- | --- |
//! | `kprobe/FUNC[+OFF]`, `kretprobe/FUNC` | kernel function |
//! | `ksyscall/NAME`, `kretsyscall/NAME` | system call |
//! | `kprobe.multi/PATTERN`, `kretprobe.multi/…`, `kprobe.session/…` | kernel functions |
//! | `uprobe[.s]/PATH:FUNC[+OFF]`, `uretprobe[.s]/PATH:FUNC` | user function (all processes) |
//! | `uprobe.multi/PATH:PATTERN` (and ret/session/.s) | user functions |
//! | `tp/CAT/NAME`, `tracepoint/CAT/NAME` (and `.s`) | tracepoint |
//! | `raw_tp/NAME`, `raw_tracepoint/NAME` (and `.w`, `.s`) | raw tracepoint |
//! | `fentry/…`, `fexit/…`, `fmod_ret/…`, `tp_btf/…`, `freplace/…` | the load-time target |
//! | `lsm/…`, `iter/…` | the load-time target |
//! | `usdt/PATH:PROVIDER:NAME` | USDT probe (all processes) |
//!
//! A section naming no target (`SEC("kprobe")`, `SEC("uprobe")`, ...) is
//! valid but cannot be auto-attached: [`Plan::NoTarget`].

use crate::error::{Error, Result};
use crate::object::sec_def::{AutoAttach, Handler, SecDef};

use super::kprobe::{self, KprobeOptions};
use super::kprobe_multi::{self, KprobeMultiOptions};
use super::uprobe::{self, UprobeOptions};
use super::uprobe_multi::{self, UprobeMultiOptions};
use super::{Link, Prog};

/// What auto-attaching a program does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// The section has no auto-attach.
    Unsupported,
    /// A valid section without target.
    NoTarget,
    Kprobe {
        func: String,
        offset: u64,
        retprobe: bool,
    },
    Ksyscall {
        name: String,
        retprobe: bool,
    },
    KprobeMulti {
        pattern: String,
        retprobe: bool,
        session: bool,
    },
    Uprobe {
        path: String,
        func: String,
        offset: u64,
        retprobe: bool,
    },
    UprobeMulti {
        path: String,
        pattern: String,
        retprobe: bool,
        session: bool,
    },
    Tracepoint {
        category: String,
        name: String,
    },
    RawTracepoint {
        name: String,
    },
    /// fentry/fexit/fmod_ret/tp_btf/freplace/LSM: the target given at load.
    Trace,
    Iter,
    /// An application handler's `prog_attach_fn` (its address) and cookie.
    Custom {
        func: usize,
        cookie: i64,
    },
    /// `SEC("usdt/<path>:<provider>:<name>")`: attached through
    /// [`CustomAttach::usdt`], which has the object.
    Usdt {
        path: String,
        provider: String,
        name: String,
    },
}

/// `strtol(s, &end, 0)` over the start of `s`: the value and the bytes
/// consumed (0 when there is no number).
pub fn parse_long(s: &str) -> (i64, usize) {
    let b = s.as_bytes();
    let mut i = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    let neg = match b.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let (radix, start) = if b.get(i) == Some(&b'0')
        && matches!(b.get(i + 1), Some(b'x' | b'X'))
        && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
    {
        (16, i + 2)
    } else if b.get(i) == Some(&b'0') {
        (8, i)
    } else {
        (10, i)
    };
    let digits = b[start..]
        .iter()
        .take_while(|c| (**c as char).is_digit(radix))
        .count();
    if digits == 0 {
        return (0, 0);
    }
    let mut v: i64 = 0;
    for &c in &b[start..start + digits] {
        let d = (c as char).to_digit(radix).unwrap_or(0) as i64;
        v = v.saturating_mul(radix as i64).saturating_add(d);
    }
    (if neg { v.wrapping_neg() } else { v }, start + digits)
}

/// The longest prefix of `s` made of bytes `ok` accepts.
fn span(s: &str, ok: impl Fn(u8) -> bool) -> &str {
    let n = s.bytes().take_while(|&c| ok(c)).count();
    &s[..n]
}

fn kprobe_plan(prog: &Prog) -> Result<Plan> {
    let sec = prog.sec_name.as_str();
    if sec == "kprobe" || sec == "kretprobe" {
        return Ok(Plan::NoTarget);
    }
    let (retprobe, spec) = match sec.strip_prefix("kretprobe/") {
        Some(rest) => (true, rest),
        None => (false, sec.get("kprobe/".len()..).unwrap_or("")),
    };
    let func = span(spec, |c| {
        c.is_ascii_alphanumeric() || c == b'_' || c == b'.'
    });
    if func.is_empty() {
        crate::pr_warn!("kprobe name is invalid: {spec}");
        return Err(Error::INVAL);
    }
    let offset = match spec[func.len()..].strip_prefix('+') {
        Some(rest) => parse_long(rest).0,
        None => 0,
    };
    if retprobe && offset != 0 {
        crate::pr_warn!("kretprobes do not support offset specification");
        return Err(Error::INVAL);
    }
    Ok(Plan::Kprobe {
        func: func.to_string(),
        offset: offset as u64,
        retprobe,
    })
}

fn ksyscall_plan(prog: &Prog) -> Plan {
    let sec = prog.sec_name.as_str();
    if sec == "ksyscall" || sec == "kretsyscall" {
        return Plan::NoTarget;
    }
    match sec.strip_prefix("kretsyscall/") {
        Some(name) => Plan::Ksyscall {
            name: name.to_string(),
            retprobe: true,
        },
        None => Plan::Ksyscall {
            name: sec.get("ksyscall/".len()..).unwrap_or("").to_string(),
            retprobe: false,
        },
    }
}

fn kprobe_multi_plan(prog: &Prog, session: bool) -> Result<Plan> {
    let sec = prog.sec_name.as_str();
    let bare: &[&str] = if session {
        &["kprobe.session"]
    } else {
        &["kprobe.multi", "kretprobe.multi"]
    };
    if bare.contains(&sec) {
        return Ok(Plan::NoTarget);
    }
    let (retprobe, spec) = if session {
        (false, sec.get("kprobe.session/".len()..).unwrap_or(""))
    } else {
        match sec.strip_prefix("kretprobe.multi/") {
            Some(rest) => (true, rest),
            None => (false, sec.get("kprobe.multi/".len()..).unwrap_or("")),
        }
    };
    let pattern = span(spec, |c| c.is_ascii_alphanumeric() || b"_.*?".contains(&c));
    if pattern.is_empty() {
        let what = if session { "session" } else { "multi" };
        crate::pr_warn!("kprobe {what} pattern is invalid: {spec}");
        return Err(Error::INVAL);
    }
    Ok(Plan::KprobeMulti {
        pattern: pattern.to_string(),
        retprobe,
        session,
    })
}

/// libbpf's `sscanf(sec, "%m[^/]/%m[^:]:%m[^\n]")`: the probe type, then
/// the binary path and the function part when present (each non-empty).
fn split_uprobe_sec(sec: &str) -> (&str, Option<&str>, Option<&str>) {
    let ty = span(sec, |c| c != b'/');
    let Some(rest) = sec[ty.len()..].strip_prefix('/') else {
        return (ty, None, None);
    };
    let path = span(rest, |c| c != b':');
    if path.is_empty() {
        return (ty, None, None);
    }
    let Some(rest) = rest[path.len()..].strip_prefix(':') else {
        return (ty, Some(path), None);
    };
    let func = span(rest, |c| c != b'\n');
    if func.is_empty() {
        return (ty, Some(path), None);
    }
    (ty, Some(path), Some(func))
}

fn uprobe_plan(prog: &Prog) -> Result<Plan> {
    let sec = prog.sec_name.as_str();
    match split_uprobe_sec(sec) {
        (_, None, _) => Ok(Plan::NoTarget),
        (_, Some(_), None) => {
            crate::pr_warn!(
                "prog '{}': section '{sec}' missing ':function[+offset]' specification",
                prog.name
            );
            Err(Error::INVAL)
        }
        (ty, Some(path), Some(func)) => {
            let mut func = func.to_string();
            let mut offset = 0i64;
            if let Some(plus) = func.rfind('+') {
                let (v, used) = parse_long(&func[plus + 1..]);
                if used > 0 && plus + 1 + used == func.len() {
                    offset = v;
                    func.truncate(plus);
                }
            }
            let retprobe = ty == "uretprobe" || ty == "uretprobe.s";
            if retprobe && offset != 0 {
                crate::pr_warn!(
                    "prog '{}': uretprobes do not support offset specification",
                    prog.name
                );
                return Err(Error::INVAL);
            }
            Ok(Plan::Uprobe {
                path: path.to_string(),
                func,
                offset: offset as u64,
                retprobe,
            })
        }
    }
}

fn uprobe_multi_plan(prog: &Prog) -> Result<Plan> {
    let sec = prog.sec_name.as_str();
    match split_uprobe_sec(sec) {
        (_, None, _) => Ok(Plan::NoTarget),
        (ty, Some(path), Some(pattern)) => {
            let session = ty.starts_with("uprobe.session");
            let retprobe = !session && ty.starts_with("uretprobe.multi");
            Ok(Plan::UprobeMulti {
                path: path.to_string(),
                pattern: pattern.to_string(),
                retprobe,
                session,
            })
        }
        _ => {
            crate::pr_warn!(
                "prog '{}': invalid format of section definition '{sec}'",
                prog.name
            );
            Err(Error::INVAL)
        }
    }
}

fn tracepoint_plan(prog: &Prog) -> Result<Plan> {
    let sec = prog.sec_name.as_str();
    if matches!(sec, "tp" | "tracepoint" | "tp.s" | "tracepoint.s") {
        return Ok(Plan::NoTarget);
    }
    let rest = sec.split_once('/').map_or("", |(_, r)| r);
    let (category, name) = rest.split_once('/').ok_or(Error::INVAL)?;
    Ok(Plan::Tracepoint {
        category: category.to_string(),
        name: name.to_string(),
    })
}

fn raw_tracepoint_plan(prog: &Prog) -> Result<Plan> {
    const PREFIXES: [&str; 6] = [
        "raw_tp",
        "raw_tracepoint",
        "raw_tp.w",
        "raw_tracepoint.w",
        "raw_tp.s",
        "raw_tracepoint.s",
    ];
    let sec = prog.sec_name.as_str();
    for p in PREFIXES {
        let Some(rest) = sec.strip_prefix(p) else {
            continue;
        };
        if rest.is_empty() {
            return Ok(Plan::NoTarget);
        }
        if let Some(name) = rest.strip_prefix('/') {
            return Ok(Plan::RawTracepoint {
                name: name.to_string(),
            });
        }
    }
    crate::pr_warn!("prog '{}': invalid section name '{sec}'", prog.name);
    Err(Error::INVAL)
}

/// What auto-attaching `prog` (whose section definition is `def`) does.
/// `EINVAL` (with libbpf's message) for a section name whose target does
/// not parse.
pub fn plan(prog: &Prog, def: Option<&SecDef>) -> Result<Plan> {
    let Some(def) = def else {
        return Ok(Plan::Unsupported);
    };
    let auto = match &def.handler {
        Handler::Custom(cb) if cb.attach != 0 => {
            return Ok(Plan::Custom {
                func: cb.attach,
                cookie: def.cookie,
            })
        }
        Handler::Custom(_) => return Ok(Plan::Unsupported),
        Handler::Builtin(a) => *a,
    };
    match auto {
        AutoAttach::None => Ok(Plan::Unsupported),
        AutoAttach::Usdt => Ok(match crate::usdt::attach::parse_section(&prog.sec_name)? {
            None => Plan::NoTarget,
            Some((path, provider, name)) => Plan::Usdt {
                path,
                provider,
                name,
            },
        }),
        AutoAttach::Kprobe => kprobe_plan(prog),
        AutoAttach::Ksyscall => Ok(ksyscall_plan(prog)),
        AutoAttach::KprobeMulti => kprobe_multi_plan(prog, false),
        AutoAttach::KprobeSession => kprobe_multi_plan(prog, true),
        AutoAttach::Uprobe => uprobe_plan(prog),
        AutoAttach::UprobeMulti => uprobe_multi_plan(prog),
        AutoAttach::Tracepoint => tracepoint_plan(prog),
        AutoAttach::RawTracepoint => raw_tracepoint_plan(prog),
        AutoAttach::Trace | AutoAttach::Lsm => Ok(Plan::Trace),
        AutoAttach::Iter => Ok(Plan::Iter),
    }
}

/// Whether the section can be auto-attached at all (a built-in with an
/// attach step, or a custom handler with an attach callback).
pub fn supported(def: Option<&SecDef>) -> bool {
    match def.map(|d| &d.handler) {
        Some(Handler::Builtin(a)) => !matches!(a, AutoAttach::None),
        Some(Handler::Custom(cb)) => cb.attach != 0,
        None => false,
    }
}

/// Runs a built-in plan: the link, or None for [`Plan::NoTarget`].
/// `EOPNOTSUPP` for [`Plan::Unsupported`] and [`Plan::Custom`] (the C
/// boundary calls custom handlers).
pub fn run(prog: &Prog, plan: &Plan) -> Result<Option<Link>> {
    let link = match plan {
        Plan::Unsupported | Plan::Custom { .. } | Plan::Usdt { .. } => {
            return Err(Error::NOT_SUPPORTED)
        }
        Plan::NoTarget => return Ok(None),
        Plan::Kprobe {
            func,
            offset,
            retprobe,
        } => kprobe::attach(
            prog,
            func,
            &KprobeOptions {
                offset: *offset,
                retprobe: *retprobe,
                ..Default::default()
            },
        )?,
        Plan::Ksyscall { name, retprobe } => kprobe::attach_syscall(prog, name, 0, *retprobe)?,
        Plan::KprobeMulti {
            pattern,
            retprobe,
            session,
        } => {
            let o = KprobeMultiOptions {
                retprobe: *retprobe,
                session: *session,
                ..Default::default()
            };
            kprobe_multi::attach(prog, Some(pattern), &o)?
        }
        Plan::Uprobe {
            path,
            func,
            offset,
            retprobe,
        } => {
            let o = UprobeOptions {
                retprobe: *retprobe,
                func_name: Some(func.clone()),
                ..Default::default()
            };
            uprobe::attach(prog, -1, path, *offset, &o)?
        }
        Plan::UprobeMulti {
            path,
            pattern,
            retprobe,
            session,
        } => {
            let o = UprobeMultiOptions {
                retprobe: *retprobe,
                session: *session,
                ..Default::default()
            };
            uprobe_multi::attach(prog, -1, Some(path), Some(pattern), &o)?
        }
        Plan::Tracepoint { category, name } => super::tracepoint::attach(prog, category, name, 0)?,
        Plan::RawTracepoint { name } => super::raw_tracepoint::attach(prog, Some(name), 0)?,
        Plan::Trace => super::trace::attach(prog, 0)?,
        Plan::Iter => super::iter::attach(prog, crate::bpf_api::object::Mem::none(), 0)?,
    };
    Ok(Some(link))
}

/// The attach steps the C boundary makes: calls of an application SEC()
/// handler's `prog_attach_fn` (it knows how to call C function pointers),
/// and USDT attachments (it holds the program's object).
pub trait CustomAttach {
    /// `prog_attach_fn(prog, cookie, &link)`: the callback's return value
    /// and the link handle it stored (0 for none).
    fn call(&self, func: usize, cookie: i64) -> (i32, usize);

    /// Attaches the program to USDT probe `provider:name` of `path` in every
    /// process (see `crate::link::usdt`); it needs the program's object.
    fn usdt(&self, path: &str, provider: &str, name: &str) -> Result<Link> {
        let _ = (path, provider, name);
        Err(Error::NOT_SUPPORTED)
    }
}

/// Auto-attaches `prog` (section definition `def`): the link, or None when
/// the section names no target (or the custom callback made no link).
/// The errors of the section's parsing, of the attach constructor, or the
/// custom callback's non-zero return.
pub fn auto_attach(
    prog: &Prog,
    def: Option<&SecDef>,
    custom: &impl CustomAttach,
) -> Result<Option<super::Attached>> {
    match plan(prog, def)? {
        Plan::Custom { func, cookie } => {
            let (ret, handle) = custom.call(func, cookie);
            if ret != 0 {
                return Err(Error::new(ret));
            }
            Ok((handle != 0).then_some(super::Attached::Handle(handle)))
        }
        Plan::Usdt {
            path,
            provider,
            name,
        } => Ok(Some(super::Attached::Link(
            custom.usdt(&path, &provider, &name)?,
        ))),
        p => Ok(run(prog, &p)?.map(super::Attached::Link)),
    }
}

/// `bpf_program__attach()`: `EOPNOTSUPP` when the section has no
/// auto-attach or names no target, `EINVAL` for a program without fd,
/// else [`auto_attach`]'s errors.
pub fn program_attach(
    prog: &Prog,
    def: Option<&SecDef>,
    custom: &impl CustomAttach,
) -> Result<super::Attached> {
    if !supported(def) {
        return Err(Error::NOT_SUPPORTED);
    }
    prog.fd_or(super::NO_FD)?;
    auto_attach(prog, def, custom)?.ok_or(Error::NOT_SUPPORTED)
}

/// One program of `bpf_object__attach_skeleton()`: skipped (None) when not
/// loaded or auto-attach is off for it, or its section has no auto-attach;
/// else [`auto_attach`], whose error is logged.
pub fn skeleton_attach(
    prog: &Prog,
    autoload: bool,
    autoattach: bool,
    def: Option<&SecDef>,
    custom: &impl CustomAttach,
) -> Result<Option<super::Attached>> {
    if !autoload || !autoattach || !supported(def) {
        return Ok(None);
    }
    auto_attach(prog, def, custom)
        .inspect_err(|e| crate::pr_warn!("prog '{}': failed to auto-attach: {e}", prog.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::sec_def;

    fn plan_of(sec: &str) -> Result<Plan> {
        let prog = Prog {
            name: "p".into(),
            sec_name: sec.into(),
            ..Default::default()
        };
        let def = sec_def::find(sec);
        plan(&prog, def.as_deref())
    }

    fn s(x: &str) -> String {
        x.to_string()
    }

    #[test]
    fn numbers_like_strtol() {
        assert_eq!(parse_long("16"), (16, 2));
        assert_eq!(parse_long("0x10"), (16, 4));
        assert_eq!(parse_long("010"), (8, 3));
        assert_eq!(parse_long("-5z"), (-5, 2));
        assert_eq!(parse_long("0x"), (0, 1));
        assert_eq!(parse_long("z"), (0, 0));
    }

    #[test]
    fn kprobes() {
        assert_eq!(plan_of("kprobe").unwrap(), Plan::NoTarget);
        assert_eq!(plan_of("kretprobe").unwrap(), Plan::NoTarget);
        assert_eq!(
            plan_of("kprobe/do_nanosleep").unwrap(),
            Plan::Kprobe {
                func: s("do_nanosleep"),
                offset: 0,
                retprobe: false
            }
        );
        assert_eq!(
            plan_of("kprobe/f.isra.0+0x10").unwrap(),
            Plan::Kprobe {
                func: s("f.isra.0"),
                offset: 16,
                retprobe: false
            }
        );
        assert_eq!(
            plan_of("kretprobe/f").unwrap(),
            Plan::Kprobe {
                func: s("f"),
                offset: 0,
                retprobe: true
            }
        );
        assert_eq!(plan_of("kretprobe/f+8").unwrap_err(), Error::INVAL);
        assert_eq!(plan_of("kprobe/").unwrap_err(), Error::INVAL);
        assert_eq!(plan_of("ksyscall").unwrap(), Plan::NoTarget);
        assert_eq!(
            plan_of("kretsyscall/getpid").unwrap(),
            Plan::Ksyscall {
                name: s("getpid"),
                retprobe: true
            }
        );
        assert_eq!(
            plan_of("kprobe.multi/do_*").unwrap(),
            Plan::KprobeMulti {
                pattern: s("do_*"),
                retprobe: false,
                session: false
            }
        );
        assert_eq!(
            plan_of("kretprobe.multi/x?").unwrap(),
            Plan::KprobeMulti {
                pattern: s("x?"),
                retprobe: true,
                session: false
            }
        );
        assert_eq!(
            plan_of("kprobe.session/f*").unwrap(),
            Plan::KprobeMulti {
                pattern: s("f*"),
                retprobe: false,
                session: true
            }
        );
        assert_eq!(plan_of("kprobe.multi").unwrap(), Plan::NoTarget);
        assert_eq!(plan_of("kprobe.multi/!").unwrap_err(), Error::INVAL);
    }

    #[test]
    fn uprobes() {
        assert_eq!(plan_of("uprobe").unwrap(), Plan::NoTarget);
        assert_eq!(plan_of("uprobe/").unwrap(), Plan::NoTarget);
        assert_eq!(plan_of("uprobe//bin/true").unwrap_err(), Error::INVAL);
        assert_eq!(plan_of("uprobe//bin/true:").unwrap_err(), Error::INVAL);
        assert_eq!(
            plan_of("uprobe//bin/true:main").unwrap(),
            Plan::Uprobe {
                path: s("/bin/true"),
                func: s("main"),
                offset: 0,
                retprobe: false
            }
        );
        assert_eq!(
            plan_of("uprobe.s/libc.so.6:malloc+0x4").unwrap(),
            Plan::Uprobe {
                path: s("libc.so.6"),
                func: s("malloc"),
                offset: 4,
                retprobe: false
            }
        );
        // A "+..." that is not a whole number stays in the name.
        assert_eq!(
            plan_of("uprobe/x:f+4z").unwrap(),
            Plan::Uprobe {
                path: s("x"),
                func: s("f+4z"),
                offset: 0,
                retprobe: false
            }
        );
        assert_eq!(plan_of("uretprobe/x:f+4").unwrap_err(), Error::INVAL);
        assert_eq!(
            plan_of("uretprobe.s/x:f").unwrap(),
            Plan::Uprobe {
                path: s("x"),
                func: s("f"),
                offset: 0,
                retprobe: true
            }
        );
        assert_eq!(plan_of("uprobe.multi").unwrap(), Plan::NoTarget);
        assert_eq!(
            plan_of("uretprobe.multi//bin/x:f*").unwrap(),
            Plan::UprobeMulti {
                path: s("/bin/x"),
                pattern: s("f*"),
                retprobe: true,
                session: false
            }
        );
        assert_eq!(
            plan_of("uprobe.session/x:g").unwrap(),
            Plan::UprobeMulti {
                path: s("x"),
                pattern: s("g"),
                retprobe: false,
                session: true
            }
        );
        assert_eq!(plan_of("uprobe.multi/x").unwrap_err(), Error::INVAL);
    }

    #[test]
    fn tracepoints_and_tracing() {
        assert_eq!(plan_of("tp").unwrap(), Plan::NoTarget);
        assert_eq!(plan_of("tp.s").unwrap(), Plan::NoTarget);
        assert_eq!(
            plan_of("tp/syscalls/sys_enter_getpid").unwrap(),
            Plan::Tracepoint {
                category: s("syscalls"),
                name: s("sys_enter_getpid")
            }
        );
        assert_eq!(
            plan_of("tracepoint.s/a/b").unwrap(),
            Plan::Tracepoint {
                category: s("a"),
                name: s("b")
            }
        );
        assert_eq!(plan_of("tracepoint/a").unwrap_err(), Error::INVAL);
        assert_eq!(plan_of("raw_tp").unwrap(), Plan::NoTarget);
        assert_eq!(
            plan_of("raw_tp/sys_enter").unwrap(),
            Plan::RawTracepoint {
                name: s("sys_enter")
            }
        );
        assert_eq!(
            plan_of("raw_tracepoint.w/x").unwrap(),
            Plan::RawTracepoint { name: s("x") }
        );
        assert_eq!(plan_of("fentry/do_nanosleep").unwrap(), Plan::Trace);
        assert_eq!(plan_of("lsm/file_open").unwrap(), Plan::Trace);
        assert_eq!(plan_of("freplace/f").unwrap(), Plan::Trace);
        assert_eq!(plan_of("iter/task").unwrap(), Plan::Iter);
        assert_eq!(plan_of("xdp").unwrap(), Plan::Unsupported);
        assert_eq!(
            plan_of("usdt/x:p:n").unwrap(),
            Plan::Usdt {
                path: s("x"),
                provider: s("p"),
                name: s("n")
            }
        );
        // As libbpf 1.8, only the "usdt/" form names a target.
        assert_eq!(plan_of("usdt.s/x:p:n").unwrap_err(), Error::INVAL);
        assert_eq!(plan_of("usdt/x:p").unwrap_err(), Error::INVAL);
        assert_eq!(plan_of("usdt").unwrap(), Plan::NoTarget);
        assert!(!supported(sec_def::find("socket").as_deref()));
        assert!(supported(sec_def::find("tp/a/b").as_deref()));
    }

    #[test]
    fn custom_handlers() {
        let cb = sec_def::CustomCallbacks {
            setup: 0,
            prepare_load: 0,
            attach: 0x1234,
        };
        let id = sec_def::register(Some("oxbpf_auto_test+"), 2, 0, 77, cb).unwrap();
        assert_eq!(
            plan_of("oxbpf_auto_test/x").unwrap(),
            Plan::Custom {
                func: 0x1234,
                cookie: 77
            }
        );
        sec_def::unregister(id).unwrap();
        let id = sec_def::register(Some("oxbpf_auto_none+"), 2, 0, 0, Default::default()).unwrap();
        assert_eq!(plan_of("oxbpf_auto_none").unwrap(), Plan::Unsupported);
        sec_def::unregister(id).unwrap();
    }
}
