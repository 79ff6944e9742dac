//! Multi-kprobes (`bpf_program__attach_kprobe_multi_opts()`): one link on
//! many kernel functions, given by a pattern (resolved to addresses from
//! tracefs' `available_filter_functions_addrs`, or from `/proc/kallsyms`
//! filtered by `available_filter_functions`), or by the caller's symbol
//! names or addresses.

use crate::bpf_api::link::{create_link, LinkRequest, Target};
use crate::bpf_api::object::Mem;
use crate::error::{Error, Result};
use crate::sys::tracefs;
use crate::uapi::bpf_enums::{attach, link_flags};

use super::{glob, Link, Prog};

/// `struct bpf_kprobe_multi_opts` (arrays are the caller's memory, read by
/// the kernel; None for NULL).
#[derive(Clone, Copy, Debug, Default)]
pub struct KprobeMultiOptions<'a> {
    pub syms: Option<Mem<'a>>,
    pub addrs: Option<Mem<'a>>,
    pub cookies: Option<Mem<'a>>,
    pub cnt: usize,
    pub retprobe: bool,
    pub session: bool,
    pub unique_match: bool,
}

/// The addresses of the functions of `available_filter_functions_addrs`
/// (`<hex address> <name> [module]` lines) matching `pattern`. `EINVAL` for
/// a line that does not parse, `ENOENT` when nothing matches.
pub fn match_filter_functions_addrs(text: &str, pattern: &str) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut it = line.split_whitespace();
        let (Some(addr), Some(name)) = (it.next(), it.next()) else {
            crate::pr_warn!("failed to parse available_filter_functions_addrs entry: {line}");
            return Err(Error::INVAL);
        };
        let Ok(addr) = u64::from_str_radix(addr, 16) else {
            crate::pr_warn!("failed to parse available_filter_functions_addrs entry: {line}");
            return Err(Error::INVAL);
        };
        if glob::matches(name.as_bytes(), pattern.as_bytes()) {
            out.push(addr);
        }
    }
    if out.is_empty() {
        return Err(Error::NOENT);
    }
    Ok(out)
}

/// The addresses, from `/proc/kallsyms` text, of the functions matching
/// `pattern` that ftrace can attach to (named in `available`, the text of
/// `available_filter_functions`; a kallsyms name with a `.llvm.<hash>`
/// suffix also matches its name without it). `ENOENT` when nothing matches.
pub fn match_kallsyms(available: &str, kallsyms: &str, pattern: &str) -> Result<Vec<u64>> {
    let mut names: Vec<&str> = available
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| glob::matches(n.as_bytes(), pattern.as_bytes()))
        .collect();
    if names.is_empty() {
        return Err(Error::NOENT);
    }
    names.sort_unstable();
    let known = |n: &str| names.binary_search(&n).is_ok();
    let mut out = Vec::new();
    for line in kallsyms.lines() {
        let mut it = line.split_whitespace();
        let (Some(addr), Some(_ty), Some(name)) = (it.next(), it.next(), it.next()) else {
            continue;
        };
        let Ok(addr) = u64::from_str_radix(addr, 16) else {
            continue;
        };
        if !glob::matches(name.as_bytes(), pattern.as_bytes()) && !name.contains(".llvm.") {
            continue;
        }
        let hit = known(name) || name.find(".llvm.").is_some_and(|i| known(&name[..i]));
        if hit {
            out.push(addr);
        }
    }
    if out.is_empty() {
        return Err(Error::NOENT);
    }
    Ok(out)
}

/// The addresses of the kernel functions matching `pattern` on this kernel.
pub fn resolve_pattern(pattern: &str) -> Result<Vec<u64>> {
    let addrs_file = tracefs::available_filter_functions_addrs();
    if tracefs::access(&addrs_file, libc::R_OK) {
        let text = tracefs::read_text(&addrs_file)
            .inspect_err(|e| crate::pr_warn!("failed to open {addrs_file}: {e}"))?;
        return match_filter_functions_addrs(&text, pattern);
    }
    let avail_file = tracefs::available_filter_functions();
    let avail = tracefs::read_text(&avail_file)
        .inspect_err(|e| crate::pr_warn!("failed to open {avail_file}: {e}"))?;
    let kallsyms = tracefs::read_text("/proc/kallsyms")
        .inspect_err(|e| crate::pr_warn!("failed to open /proc/kallsyms: {e}"))?;
    match_kallsyms(&avail, &kallsyms, pattern)
}

/// Attaches `prog` to the functions matching `pattern`, or (None) to those
/// of `opts`. `EINVAL` for a program without fd, for both or neither a
/// pattern and arrays, symbols with addresses, a count without arrays,
/// `unique_match` without pattern or with several matches, and return
/// plus session probes; `ENOENT` when the pattern matches nothing; else
/// the tracefs read's or the kernel's answer.
pub fn attach(prog: &Prog, pattern: Option<&str>, o: &KprobeMultiOptions<'_>) -> Result<Link> {
    let prog_fd = prog.fd_or(super::NO_FD)?;
    let arrays = o.addrs.is_some() || o.syms.is_some();
    if pattern.is_none() && !arrays {
        return Err(Error::INVAL);
    }
    if pattern.is_some() && (arrays || o.cookies.is_some() || o.cnt != 0) {
        return Err(Error::INVAL);
    }
    if pattern.is_none() && (o.cnt == 0 || o.unique_match) {
        return Err(Error::INVAL);
    }
    if o.addrs.is_some() && o.syms.is_some() {
        return Err(Error::INVAL);
    }
    let resolved = match pattern {
        Some(p) => {
            let addrs = resolve_pattern(p)?;
            if o.unique_match && addrs.len() != 1 {
                crate::pr_warn!(
                    "prog '{}': failed to find a unique match for '{p}' ({} matches)",
                    prog.name,
                    addrs.len()
                );
                return Err(Error::INVAL);
            }
            Some(addrs)
        }
        None => None,
    };
    if o.retprobe && o.session {
        return Err(Error::INVAL);
    }
    let (addrs, cnt) = match &resolved {
        Some(a) => (Mem::of(&a[..]), a.len()),
        None => (o.addrs.unwrap_or_default(), o.cnt),
    };
    let req = request(prog_fd, o, addrs, cnt);
    let fd = create_link(&req)
        .inspect_err(|e| crate::pr_warn!("prog '{}': failed to attach: {e}", prog.name))?;
    Ok(Link::from_fd(fd))
}

/// The `BPF_LINK_CREATE` of [`attach`], with the (resolved) addresses.
pub fn request<'a>(
    prog_fd: i32,
    o: &KprobeMultiOptions<'a>,
    addrs: Mem<'a>,
    cnt: usize,
) -> LinkRequest<'a> {
    LinkRequest {
        prog_fd,
        target_fd: 0,
        attach_type: if o.session {
            attach::TRACE_KPROBE_SESSION
        } else {
            attach::TRACE_KPROBE_MULTI
        },
        flags: 0,
        target: Target::KprobeMulti {
            flags: if o.retprobe {
                link_flags::KPROBE_MULTI_RETURN
            } else {
                0
            },
            cnt: cnt as u32,
            syms: o.syms.unwrap_or_default(),
            addrs,
            cookies: o.cookies.unwrap_or_default(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_functions_addrs() {
        let text = "ffffffff81000010 do_nanosleep\nffffffff81000020 do_sys_open\nffffffffa0000000 modfn [mymod]\n";
        assert_eq!(
            match_filter_functions_addrs(text, "do_*").unwrap(),
            vec![0xffffffff81000010, 0xffffffff81000020]
        );
        assert_eq!(
            match_filter_functions_addrs(text, "modfn").unwrap(),
            vec![0xffffffffa0000000]
        );
        assert_eq!(
            match_filter_functions_addrs(text, "nope*").unwrap_err(),
            Error::NOENT
        );
        assert_eq!(
            match_filter_functions_addrs("zzz\n", "*").unwrap_err(),
            Error::INVAL
        );
    }

    #[test]
    fn kallsyms_filtered_by_available_functions() {
        let avail = "do_nanosleep\ndo_sys_open\nfoo\n";
        let kallsyms = "ffffffff81000010 T do_nanosleep\nffffffff81000030 t do_notrace\nffffffff81000040 t foo.llvm.123\nffffffff81000020 T do_sys_open\n";
        assert_eq!(
            match_kallsyms(avail, kallsyms, "do_*").unwrap(),
            vec![0xffffffff81000010, 0xffffffff81000020]
        );
        assert_eq!(
            match_kallsyms(avail, kallsyms, "foo").unwrap(),
            vec![0xffffffff81000040]
        );
        assert_eq!(
            match_kallsyms(avail, kallsyms, "bar").unwrap_err(),
            Error::NOENT
        );
    }

    #[test]
    fn link_create_attrs() {
        let addrs = [0xffff_ffff_8100_0010u64, 0xffff_ffff_8100_0020];
        let cookies = [1u64, 2];
        let o = KprobeMultiOptions {
            cookies: Some(Mem::of(&cookies[..])),
            retprobe: true,
            ..Default::default()
        };
        let a = request(9, &o, Mem::of(&addrs[..]), 2).attr();
        assert_eq!(
            (a.prog_fd, a.target_fd, a.attach_type),
            (9, 0, attach::TRACE_KPROBE_MULTI)
        );
        let w = a.target.words();
        // flags | cnt << 32, syms, addrs, cookies.
        assert_eq!(w[0], 1 | (2 << 32));
        assert_eq!(
            (w[1], w[2], w[3]),
            (0, addrs.as_ptr() as u64, cookies.as_ptr() as u64)
        );
        let s = KprobeMultiOptions {
            session: true,
            ..Default::default()
        };
        let a = request(9, &s, Mem::of(&addrs[..1]), 1).attr();
        assert_eq!(
            (a.attach_type, a.target.words()[0]),
            (attach::TRACE_KPROBE_SESSION, 1 << 32)
        );
    }

    #[test]
    fn argument_rules() {
        let p = Prog {
            name: "p".into(),
            fd: Some(1000),
            ..Default::default()
        };
        let cookies = [1u64];
        let m = Mem::of(&cookies[..]);
        let e = |pat: Option<&str>, o: KprobeMultiOptions<'_>| attach(&p, pat, &o).unwrap_err();
        assert_eq!(e(None, KprobeMultiOptions::default()), Error::INVAL);
        assert_eq!(
            e(
                Some("x"),
                KprobeMultiOptions {
                    cookies: Some(m),
                    ..Default::default()
                }
            ),
            Error::INVAL
        );
        assert_eq!(
            e(
                Some("x"),
                KprobeMultiOptions {
                    cnt: 1,
                    ..Default::default()
                }
            ),
            Error::INVAL
        );
        assert_eq!(
            e(
                None,
                KprobeMultiOptions {
                    addrs: Some(m),
                    ..Default::default()
                }
            ),
            Error::INVAL
        );
        assert_eq!(
            e(
                None,
                KprobeMultiOptions {
                    addrs: Some(m),
                    cnt: 1,
                    unique_match: true,
                    ..Default::default()
                }
            ),
            Error::INVAL
        );
        assert_eq!(
            e(
                None,
                KprobeMultiOptions {
                    addrs: Some(m),
                    syms: Some(m),
                    cnt: 1,
                    ..Default::default()
                }
            ),
            Error::INVAL
        );
        assert_eq!(
            e(
                None,
                KprobeMultiOptions {
                    addrs: Some(m),
                    cnt: 1,
                    retprobe: true,
                    session: true,
                    ..Default::default()
                }
            ),
            Error::INVAL
        );
        let unloaded = Prog {
            name: "u".into(),
            ..Default::default()
        };
        assert_eq!(
            attach(&unloaded, Some("x"), &KprobeMultiOptions::default()).unwrap_err(),
            Error::INVAL
        );
    }
}
