//! Multi-uprobes (`bpf_program__attach_uprobe_multi()`): one link on many
//! offsets of one binary, given by a pattern over its function names, by
//! function names, or by offsets.

use std::ffi::CString;

use crate::bpf_api::link::{create_link, LinkRequest, Target};
use crate::bpf_api::object::Mem;
use crate::error::{Error, Result};
use crate::uapi::bpf_enums::{attach, link_flags};

use super::elf_syms::{self, ElfFile};
use super::{Link, Prog};

/// `struct bpf_uprobe_multi_opts`. `syms` holds the names when the caller
/// gave some (it may be empty when they are not needed: only their
/// presence is checked then); the other arrays are the caller's memory,
/// read by the kernel.
#[derive(Clone, Debug, Default)]
pub struct UprobeMultiOptions<'a> {
    pub syms: Option<Vec<Vec<u8>>>,
    pub offsets: Option<Mem<'a>>,
    pub ref_ctr_offsets: Option<Mem<'a>>,
    pub cookies: Option<Mem<'a>>,
    pub cnt: usize,
    pub retprobe: bool,
    pub session: bool,
}

impl UprobeMultiOptions<'_> {
    /// Whether the names in `syms` are used (and so must be read): no
    /// pattern, no offsets, a count.
    pub fn needs_names(pattern_given: bool, offsets_given: bool, cnt: usize) -> bool {
        !pattern_given && !offsets_given && cnt > 0
    }
}


/// Attaches `prog` to `path` (a bare name is searched for with a pattern
/// only, as libbpf) for process `pid` (-1: all, 0: this one). `EINVAL` for
/// a program without fd, no path, a pattern with arrays, both or neither
/// names and offsets, no count, return plus session probes; `ENOENT` for
/// functions not found; else the kernel's answer.
pub fn attach(
    prog: &Prog,
    pid: i32,
    path: Option<&str>,
    pattern: Option<&str>,
    o: &UprobeMultiOptions<'_>,
) -> Result<Link> {
    let prog_fd = prog.fd_or(super::NO_FD)?;
    let Some(path) = path else {
        return Err(Error::INVAL);
    };
    if pattern.is_none() && o.cnt == 0 {
        return Err(Error::INVAL);
    }
    if pattern.is_some() {
        if o.syms.is_some()
            || o.offsets.is_some()
            || o.ref_ctr_offsets.is_some()
            || o.cookies.is_some()
            || o.cnt != 0
        {
            return Err(Error::INVAL);
        }
    } else if o.syms.is_some() == o.offsets.is_some() {
        return Err(Error::INVAL);
    }
    if o.retprobe && o.session {
        return Err(Error::INVAL);
    }
    let mut path = path.to_string();
    let resolved: Option<Vec<u64>> = if let Some(pat) = pattern {
        if !path.contains('/') {
            path = super::binary_path::resolve(&path).inspect_err(|e| {
                crate::pr_warn!(
                    "prog '{}': failed to resolve full path for '{path}': {e}",
                    prog.name
                );
            })?;
        }
        let file = super::uprobe::read_file(&path)?;
        let elf = ElfFile::parse(file.bytes())
            .inspect_err(|_| crate::pr_warn!("elf: could not read elf from {path}"))?;
        Some(elf_syms::resolve_pattern(&elf, pat)?)
    } else if let Some(names) = &o.syms {
        let file = super::uprobe::read_file(&path)?;
        let elf = ElfFile::parse(file.bytes())
            .inspect_err(|_| crate::pr_warn!("elf: could not read elf from {path}"))?;
        let names: Vec<&[u8]> = names.iter().map(Vec::as_slice).collect();
        Some(elf_syms::resolve_syms(&elf, &path, &names)?)
    } else {
        None
    };
    let (offsets, cnt) = match &resolved {
        Some(v) => (Mem::of(&v[..]), v.len()),
        None => (o.offsets.unwrap_or_default(), o.cnt),
    };
    let pid = match pid {
        0 => std::process::id(),
        p if p > 0 => p as u32,
        _ => 0,
    };
    let cpath = CString::new(path).map_err(|_| Error::INVAL)?;
    let req = LinkRequest {
        prog_fd,
        target_fd: 0,
        attach_type: if o.session {
            attach::TRACE_UPROBE_SESSION
        } else {
            attach::TRACE_UPROBE_MULTI
        },
        flags: 0,
        target: Target::UprobeMulti {
            path: &cpath,
            offsets,
            ref_ctr_offsets: o.ref_ctr_offsets.unwrap_or_default(),
            cookies: o.cookies.unwrap_or_default(),
            cnt: cnt as u32,
            flags: if o.retprobe {
                link_flags::UPROBE_MULTI_RETURN
            } else {
                0
            },
            pid,
        },
    };
    let fd = create_link(&req).inspect_err(|e| {
        crate::pr_warn!("prog '{}': failed to attach multi-uprobe: {e}", prog.name)
    })?;
    Ok(Link::from_fd(fd))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argument_rules() {
        let p = Prog {
            name: "p".into(),
            fd: Some(1000),
            ..Default::default()
        };
        let offs = [1u64];
        let m = Mem::of(&offs[..]);
        let e = |path: Option<&str>, pat: Option<&str>, o: UprobeMultiOptions<'_>| {
            attach(&p, -1, path, pat, &o).unwrap_err()
        };
        assert_eq!(e(None, Some("*"), Default::default()), Error::INVAL);
        assert_eq!(e(Some("/x"), None, Default::default()), Error::INVAL);
        assert_eq!(
            e(
                Some("/x"),
                Some("*"),
                UprobeMultiOptions {
                    cookies: Some(m),
                    ..Default::default()
                }
            ),
            Error::INVAL
        );
        assert_eq!(
            e(
                Some("/x"),
                None,
                UprobeMultiOptions {
                    cnt: 1,
                    ..Default::default()
                }
            ),
            Error::INVAL
        );
        assert_eq!(
            e(
                Some("/x"),
                None,
                UprobeMultiOptions {
                    cnt: 1,
                    offsets: Some(m),
                    syms: Some(vec![]),
                    ..Default::default()
                }
            ),
            Error::INVAL
        );
        assert_eq!(
            e(
                Some("/x"),
                None,
                UprobeMultiOptions {
                    cnt: 1,
                    offsets: Some(m),
                    retprobe: true,
                    session: true,
                    ..Default::default()
                }
            ),
            Error::INVAL
        );
        // A pattern over a file that does not exist.
        assert_eq!(
            e(Some("/ox/none"), Some("*"), Default::default()),
            Error::NOENT
        );
        assert!(UprobeMultiOptions::needs_names(false, false, 2));
        assert!(!UprobeMultiOptions::needs_names(true, false, 2));
    }
}
