//! Tracing programs on many kernel functions at once
//! (`bpf_program__attach_tracing_multi()`, the `BPF_TRACE_*_MULTI` attach
//! types): a pattern over the function names of vmlinux BTF (or
//! `module:pattern` over a module's BTF), or the caller's BTF ids, each
//! with an optional cookie.

use crate::bpf_api::link::{create_link, LinkRequest, Target};
use crate::bpf_api::object::Mem;
use crate::btf::Btf;
use crate::error::{Error, Result};

use super::{glob, Link, Prog};

const BTF_KIND_FUNC: u32 = 12;

/// `struct bpf_tracing_multi_opts` (arrays are the caller's memory, read
/// by the kernel; None for NULL).
#[derive(Clone, Copy, Debug, Default)]
pub struct TracingMultiOptions<'a> {
    pub ids: Option<Mem<'a>>,
    pub cookies: Option<Mem<'a>>,
    pub cnt: usize,
}

/// The ids of the functions of `btf` (its own types only) whose names
/// match `pattern`.
pub fn matching_functions(btf: &Btf, pattern: &str) -> Vec<u32> {
    btf.own_types()
        .filter(|(_, t)| t.kind() == BTF_KIND_FUNC)
        .filter(|(_, t)| {
            btf.str_bytes(t.name_off())
                .is_some_and(|n| glob::matches(n, pattern.as_bytes()))
        })
        .map(|(id, _)| id)
        .collect()
}

/// The BTF ids `pattern` stands for on this kernel (`module:pattern`
/// searches that module's BTF, `vmlinux:pattern` the kernel's).
pub fn resolve_pattern(pattern: &str) -> Result<Vec<u32>> {
    let vmlinux = crate::btf::vmlinux_shared()
        .inspect_err(|e| crate::pr_warn!("failed to load vmlinux BTF: {e}"))?;
    let ids = match pattern.split_once(':') {
        Some((module, pat)) if module != "vmlinux" => {
            let btf = Btf::load_module(module, vmlinux.clone())
                .inspect_err(|e| crate::pr_warn!("failed to load BTF of module '{module}': {e}"))?;
            matching_functions(&btf, pat)
        }
        Some((_, pat)) => matching_functions(&vmlinux, pat),
        None => matching_functions(&vmlinux, pattern),
    };
    if ids.is_empty() {
        crate::pr_warn!("no BTF function matches '{pattern}'");
        return Err(Error::NOENT);
    }
    Ok(ids)
}

/// Attaches `prog` (loaded with a `BPF_TRACE_*_MULTI` attach type) to the
/// functions matching `pattern`, or (None) to the ids of `opts`. `EINVAL`
/// for a program without fd, both or neither a pattern and ids, cookies
/// or a count with a pattern, ids without count; `ENOENT` when the
/// pattern matches nothing; else the kernel's answer.
pub fn attach(prog: &Prog, pattern: Option<&str>, o: &TracingMultiOptions<'_>) -> Result<Link> {
    let prog_fd = prog.fd_or(super::NO_FD)?;
    if pattern.is_some() == o.ids.is_some() {
        return Err(Error::INVAL);
    }
    if pattern.is_some() && (o.cookies.is_some() || o.cnt != 0) {
        return Err(Error::INVAL);
    }
    if pattern.is_none() && o.cnt == 0 {
        return Err(Error::INVAL);
    }
    let resolved = pattern.map(resolve_pattern).transpose()?;
    let (ids, cnt) = match &resolved {
        Some(v) => (Mem::of(&v[..]), v.len()),
        None => (o.ids.unwrap_or_default(), o.cnt),
    };
    let req = LinkRequest {
        prog_fd,
        target_fd: 0,
        attach_type: prog.expected_attach_type,
        flags: 0,
        target: Target::TracingMulti {
            ids,
            cookies: o.cookies.unwrap_or_default(),
            cnt: cnt as u32,
        },
    };
    let fd = create_link(&req)
        .inspect_err(|e| crate::pr_warn!("prog '{}': failed to attach: {e}", prog.name))?;
    Ok(Link::from_fd(fd))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_over_btf_functions() {
        let mut b = Btf::new_empty();
        let int = b.add_int("int", 4, 1).unwrap();
        let proto = b.add_func_proto(int).unwrap();
        let f1 = b.add_func("bpf_fentry_test1", 1, proto).unwrap();
        let f2 = b.add_func("bpf_fentry_test2", 1, proto).unwrap();
        b.add_func("other", 1, proto).unwrap();
        assert_eq!(matching_functions(&b, "bpf_fentry_test*"), vec![f1, f2]);
        assert!(matching_functions(&b, "int").is_empty());
    }

    #[test]
    fn argument_rules() {
        let p = Prog {
            name: "p".into(),
            fd: Some(1000),
            ..Default::default()
        };
        let ids = [1u32];
        let m = Mem::of(&ids[..]);
        let e = |pat: Option<&str>, o: TracingMultiOptions<'_>| attach(&p, pat, &o).unwrap_err();
        assert_eq!(e(None, Default::default()), Error::INVAL);
        assert_eq!(
            e(
                Some("x"),
                TracingMultiOptions {
                    ids: Some(m),
                    cnt: 1,
                    ..Default::default()
                }
            ),
            Error::INVAL
        );
        assert_eq!(
            e(
                Some("x"),
                TracingMultiOptions {
                    cnt: 1,
                    ..Default::default()
                }
            ),
            Error::INVAL
        );
        assert_eq!(
            e(
                None,
                TracingMultiOptions {
                    ids: Some(m),
                    ..Default::default()
                }
            ),
            Error::INVAL
        );
        if crate::btf::vmlinux_shared().is_ok() {
            assert_eq!(
                e(Some("ox_no_such_kernel_function_*"), Default::default()),
                Error::NOENT
            );
        }
    }
}
