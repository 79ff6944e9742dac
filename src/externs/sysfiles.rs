//! The system files externs are resolved from: the kernel config
//! (`/boot/config-$(uname -r)`, plain or gzip'ed, else `/proc/config.gz`),
//! `/proc/kallsyms`, and the kernel release (for `LINUX_KERNEL_VERSION`).
//! Everything else in `externs` is pure and works on their text.

use std::io::Read;

use crate::error::{Error, Result};

/// The running kernel's release string (`uname -r`).
pub fn kernel_release() -> Result<String> {
    let s = std::fs::read_to_string("/proc/sys/kernel/osrelease")?;
    Ok(s.trim_end().to_string())
}

/// `KERNEL_VERSION(a, b, c)`: `a << 16 | b << 8 | min(c, 255)`.
pub fn kernel_version_code(major: u32, minor: u32, patch: u32) -> u32 {
    (major << 16).wrapping_add(minor << 8).wrapping_add(patch.min(255))
}

/// Reads "X.Y.Z" at the start of `s` (what `sscanf("%u.%u.%u")` accepts).
pub fn parse_version_triple(s: &str) -> Option<(u32, u32, u32)> {
    let mut parts = [0u32; 3];
    let mut rest = s.trim_start();
    for (i, p) in parts.iter_mut().enumerate() {
        if i > 0 {
            rest = rest.strip_prefix('.')?;
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        *p = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
    }
    Some((parts[0], parts[1], parts[2]))
}

/// The running kernel's version code as libbpf computes it: Ubuntu's
/// `/proc/version_signature` ("Ubuntu 5.15.0-1.2-generic 5.15.99") when
/// readable, else the release; 0 when neither parses.
pub fn kernel_version() -> u32 {
    if let Ok(sig) = std::fs::read_to_string("/proc/version_signature") {
        if let Some(third) = sig.split_ascii_whitespace().nth(2) {
            if let Some((a, b, c)) = parse_version_triple(third) {
                return kernel_version_code(a, b, c);
            }
        }
    }
    kernel_release()
        .ok()
        .and_then(|r| parse_version_triple(&r))
        .map_or(0, |(a, b, c)| kernel_version_code(a, b, c))
}

/// Reads a file that may be gzip-compressed (like zlib's `gzopen`).
fn read_maybe_gz(path: &str) -> Result<String> {
    let raw = std::fs::read(path)?;
    let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..]).read_to_end(&mut out).map_err(|_| Error::INVAL)?;
        out
    } else {
        raw
    };
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The system kernel config text: `/boot/config-<release>`, else
/// `/proc/config.gz`; `ENOENT` (logged) when neither can be read.
pub fn read_system_kconfig() -> Result<String> {
    if let Ok(rel) = kernel_release() {
        if let Ok(t) = read_maybe_gz(&format!("/boot/config-{rel}")) {
            return Ok(t);
        }
    }
    read_maybe_gz("/proc/config.gz").map_err(|_| {
        pr_warn!("failed to open system Kconfig");
        Error::NOENT
    })
}

/// The contents of `/proc/kallsyms` (errors logged).
pub fn read_kallsyms() -> Result<Vec<u8>> {
    std::fs::read("/proc/kallsyms").map_err(|e| {
        let e = Error::from(e);
        pr_warn!("failed to open /proc/kallsyms: {}", e.neg());
        e
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(parse_version_triple("6.18.44-fc-v669"), Some((6, 18, 44)));
        assert_eq!(parse_version_triple("5.15"), None);
        assert_eq!(kernel_version_code(6, 18, 44), 0x06122c);
        assert_eq!(kernel_version_code(4, 19, 300), (4 << 16) + (19 << 8) + 255);
    }

    #[test]
    fn system_files_are_readable() {
        let v = kernel_version();
        let (a, b, c) = parse_version_triple(&kernel_release().unwrap()).unwrap();
        assert_eq!(v, kernel_version_code(a, b, c));
        // this machine has /proc/config.gz
        if std::path::Path::new("/proc/config.gz").exists() {
            let cfg = read_system_kconfig().unwrap();
            assert!(cfg.contains("CONFIG_BPF=y"));
        }
        let ks = read_kallsyms().unwrap();
        assert!(ks.split(|&b| b == b'\n').count() > 1000);
    }
}
