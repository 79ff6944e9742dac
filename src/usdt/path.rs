//! Finding a traced binary given by bare name (no `/`), as libbpf does for
//! uprobes and USDT: shared libraries (`*.so`, `*.so.*`) in
//! `$LD_LIBRARY_PATH`, `/usr/lib64:/usr/lib` and the architecture's
//! library directory, readable; executables in `$PATH` and
//! `/usr/bin:/usr/sbin`, readable and executable.

use crate::error::{Error, Result};

/// The Debian multiarch library directory of this architecture.
fn arch_lib_dir() -> Option<&'static str> {
    if cfg!(target_arch = "x86_64") {
        Some("/lib/x86_64-linux-gnu")
    } else if cfg!(target_arch = "aarch64") {
        Some("/lib/aarch64-linux-gnu")
    } else if cfg!(target_arch = "s390x") {
        Some("/lib/s390x-linux-gnu")
    } else if cfg!(target_arch = "riscv64") {
        Some("/lib/riscv64-linux-gnu")
    } else {
        None
    }
}

/// Whether `file` names a shared library.
fn is_shared_lib(file: &str) -> bool {
    file.ends_with(".so") || file.contains(".so.")
}

/// The first `<dir>/<file>` of the search path that `access(mode)` accepts;
/// `ENOENT` when none does. `env` reads environment variables, `access`
/// checks a candidate with the effective ids.
pub fn resolve_full_path(file: &str, env: impl Fn(&str) -> Option<String>, access: impl Fn(&str, i32) -> bool) -> Result<String> {
    let (dirs, mode): ([Option<String>; 3], i32) = if is_shared_lib(file) {
        ([env("LD_LIBRARY_PATH"), Some("/usr/lib64:/usr/lib".into()), arch_lib_dir().map(String::from)], libc::R_OK)
    } else {
        ([env("PATH"), Some("/usr/bin:/usr/sbin".into()), None], libc::R_OK | libc::X_OK)
    };
    for list in dirs.iter().flatten() {
        for dir in list.split(':').filter(|d| !d.is_empty()) {
            let candidate = format!("{dir}/{file}");
            if access(&candidate, mode) {
                crate::pr_debug!("resolved '{file}' to '{candidate}'");
                return Ok(candidate);
            }
        }
    }
    Err(Error::NOENT)
}

/// [`resolve_full_path`] with the process's environment and access rights.
pub fn resolve(file: &str) -> Result<String> {
    resolve_full_path(file, |v| std::env::var(v).ok(), crate::sys::binary::access)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_order() {
        let env = |v: &str| match v {
            "PATH" => Some("/a::/b".to_string()),
            "LD_LIBRARY_PATH" => Some("/l1:/l2".to_string()),
            _ => None,
        };
        let seen = std::cell::RefCell::new(Vec::new());
        let deny = |p: &str, m: i32| {
            seen.borrow_mut().push((p.to_string(), m));
            false
        };
        assert_eq!(resolve_full_path("tool", env, deny), Err(Error::NOENT));
        let x = libc::R_OK | libc::X_OK;
        assert_eq!(
            *seen.borrow(),
            vec![("/a/tool".into(), x), ("/b/tool".into(), x), ("/usr/bin/tool".into(), x), ("/usr/sbin/tool".into(), x)]
        );
        seen.borrow_mut().clear();
        assert_eq!(resolve_full_path("libc.so.6", env, deny), Err(Error::NOENT));
        let libs: Vec<String> = seen.borrow().iter().map(|(p, m)| {
            assert_eq!(*m, libc::R_OK);
            p.clone()
        }).collect();
        assert_eq!(libs[..4], ["/l1/libc.so.6", "/l2/libc.so.6", "/usr/lib64/libc.so.6", "/usr/lib/libc.so.6"]);
        assert_eq!(resolve_full_path("tool", env, |p: &str, _| p == "/b/tool"), Ok("/b/tool".into()));
        assert_eq!(resolve_full_path("libz.so", |_| None, |p: &str, _| p == "/usr/lib/libz.so"), Ok("/usr/lib/libz.so".into()));
    }

    #[test]
    fn real_lookup() {
        assert!(resolve("sh").unwrap().ends_with("/sh"));
        assert_eq!(resolve("no-such-binary-oxbpf"), Err(Error::NOENT));
    }
}
