//! Finding the file a uprobe names without a `/` (libbpf's
//! `resolve_full_path()`): a shared library (`*.so` or `*.so.*`) is looked
//! up in `LD_LIBRARY_PATH`, then `/usr/lib64:/usr/lib`, then the
//! architecture's multiarch directory, and must be readable; anything
//! else is an executable looked up in `PATH`, then `/usr/bin:/usr/sbin`,
//! and must be readable and executable.

use crate::error::{Error, Result};

/// The multiarch library directory of this architecture.
pub fn arch_lib_dirs() -> Option<&'static str> {
    if cfg!(target_arch = "x86_64") {
        Some("/lib/x86_64-linux-gnu")
    } else if cfg!(target_arch = "x86") {
        Some("/lib/i386-linux-gnu")
    } else if cfg!(target_arch = "aarch64") {
        Some("/lib/aarch64-linux-gnu")
    } else if cfg!(target_arch = "arm") {
        Some("/lib/arm-linux-gnueabihf")
    } else if cfg!(target_arch = "s390x") {
        Some("/lib/s390x-linux-gnu")
    } else if cfg!(target_arch = "powerpc64") {
        Some("/lib/powerpc64le-linux-gnu")
    } else if cfg!(target_arch = "riscv64") {
        Some("/lib/riscv64-linux-gnu")
    } else if cfg!(target_arch = "loongarch64") {
        Some("/lib/loongarch64-linux-gnu")
    } else {
        None
    }
}

/// Whether `file` names a shared library.
pub fn is_shared_lib(file: &str) -> bool {
    file.ends_with(".so") || file.contains(".so.")
}

/// The first `dir/file` over the `:`-separated `lists` (empty entries
/// skipped) for which `usable` holds.
pub fn search(file: &str, lists: &[Option<&str>], usable: impl Fn(&str) -> bool) -> Option<String> {
    lists
        .iter()
        .flatten()
        .flat_map(|l| l.split(':'))
        .filter(|d| !d.is_empty())
        .map(|d| format!("{d}/{file}"))
        .find(|p| usable(p))
}

/// The full path of `file` (a name without `/`) on this system. `ENOENT`
/// when it is nowhere.
pub fn resolve(file: &str) -> Result<String> {
    let (lists, mode) = if is_shared_lib(file) {
        let env = std::env::var("LD_LIBRARY_PATH").ok();
        (
            vec![
                env,
                Some("/usr/lib64:/usr/lib".to_string()),
                arch_lib_dirs().map(str::to_string),
            ],
            libc::R_OK,
        )
    } else {
        let env = std::env::var("PATH").ok();
        (
            vec![env, Some("/usr/bin:/usr/sbin".to_string())],
            libc::R_OK | libc::X_OK,
        )
    };
    let lists: Vec<Option<&str>> = lists.iter().map(|l| l.as_deref()).collect();
    let found =
        search(file, &lists, |p| crate::sys::tracefs::access(p, mode)).ok_or(Error::NOENT)?;
    crate::pr_debug!("resolved '{file}' to '{found}'");
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_names() {
        assert!(is_shared_lib("libc.so.6"));
        assert!(is_shared_lib("libfoo.so"));
        assert!(!is_shared_lib("bash"));
        assert!(!is_shared_lib("libso"));
    }

    #[test]
    fn search_order_and_empty_entries() {
        let have = |p: &str| p == "/b/x" || p == "/d/x";
        assert_eq!(
            search("x", &[Some("::/a::/b"), Some("/d")], have).as_deref(),
            Some("/b/x")
        );
        assert_eq!(
            search("x", &[None, Some("/c:/d")], have).as_deref(),
            Some("/d/x")
        );
        assert_eq!(search("x", &[Some("")], have), None);
    }

    #[test]
    fn real_files() {
        // Every Debian system has libc.so.6 in its multiarch directory.
        if cfg!(target_arch = "x86_64")
            && crate::sys::tracefs::exists("/lib/x86_64-linux-gnu/libc.so.6")
        {
            assert!(resolve("libc.so.6").unwrap().ends_with("/libc.so.6"));
        }
        assert_eq!(
            resolve("ox-no-such-binary-anywhere").unwrap_err(),
            Error::NOENT
        );
    }
}
