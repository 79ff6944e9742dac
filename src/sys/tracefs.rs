//! tracefs (mounted at `/sys/kernel/tracing`, or reached through debugfs
//! at `/sys/kernel/debug/tracing`) and the dynamic PMU descriptions under
//! `/sys/bus/event_source/devices/`: what the kprobe, uprobe and tracepoint
//! attach paths read and write.
//!
//! Like libbpf, the debugfs path is preferred whenever it is reachable
//! (older systems only have it), else tracefs' own mount point.

use std::ffi::CString;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;

use once_cell::sync::Lazy;

use crate::error::{Error, Result};

const DEBUGFS: &str = "/sys/kernel/debug/tracing";
const TRACEFS: &str = "/sys/kernel/tracing";

/// Where the tracing file system is reached.
pub fn root() -> &'static str {
    static ROOT: Lazy<&'static str> = Lazy::new(|| if exists(DEBUGFS) { DEBUGFS } else { TRACEFS });
    &ROOT
}

/// `faccessat(path, F_OK, AT_EACCESS)`: whether `path` exists for the
/// effective ids.
pub fn exists(path: &str) -> bool {
    access(path, libc::F_OK)
}

/// `faccessat(path, mode, AT_EACCESS)` with `mode` made of `R_OK`, `W_OK`,
/// `X_OK` (or `F_OK`).
pub fn access(path: &str, mode: i32) -> bool {
    let Ok(c) = CString::new(path) else {
        return false;
    };
    // SAFETY: `c` is a NUL-terminated path; no memory is written.
    unsafe { libc::faccessat(libc::AT_FDCWD, c.as_ptr(), mode, libc::AT_EACCESS) == 0 }
}

/// The file of dynamic kprobe events.
pub fn kprobe_events() -> String {
    format!("{}/kprobe_events", root())
}

/// The file of dynamic uprobe events.
pub fn uprobe_events() -> String {
    format!("{}/uprobe_events", root())
}

/// The list of functions ftrace (and so kprobe_multi) can attach to.
pub fn available_filter_functions() -> String {
    format!("{}/available_filter_functions", root())
}

/// The same list with addresses (newer kernels).
pub fn available_filter_functions_addrs() -> String {
    format!("{}/available_filter_functions_addrs", root())
}

/// Appends `line` to a tracefs control file in one `write(2)` (the way
/// probe definitions must reach `kprobe_events`/`uprobe_events`).
pub fn append(file: &str, line: &str) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .custom_flags(libc::O_CLOEXEC)
        .open(file)
        .map_err(Error::from)?;
    f.write_all(line.as_bytes()).map_err(Error::from)
}

/// Reads a file holding one decimal number (an event id, a PMU type), as
/// libbpf's `parse_uint_from_file()`: the open error, `EIO` for an empty
/// file, `EINVAL` for text that does not start with a number.
pub fn read_number(path: &str) -> Result<i64> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        let err = Error::from(e);
        crate::pr_debug!("failed to open '{path}': {err}");
        err
    })?;
    parse_number(&text).inspect_err(|e| crate::pr_debug!("failed to parse '{path}': {e}"))
}

/// The leading (optionally signed) decimal number of `text`, after blanks.
pub fn parse_number(text: &str) -> Result<i64> {
    let t = text.trim_start();
    if t.is_empty() {
        return Err(Error::new(libc::EIO));
    }
    let (neg, digits) = match t.as_bytes()[0] {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let n = digits.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return Err(Error::INVAL);
    }
    let v: i64 = digits[..n].parse().map_err(|_| Error::RANGE)?;
    Ok(if neg { -v } else { v })
}

/// The id of tracepoint (or dynamic probe event) `group/name`.
pub fn event_id(group: &str, name: &str) -> Result<u32> {
    let path = format!("{}/events/{group}/{name}/id", root());
    if path.len() >= libc::PATH_MAX as usize {
        crate::pr_debug!("tracepoint {group}/{name} path is too long");
        return Err(Error::TOO_BIG);
    }
    let v = read_number(&path)?;
    u32::try_from(v).map_err(|_| Error::RANGE)
}

/// The perf event type of dynamic PMU `pmu` (`"kprobe"`, `"uprobe"`).
pub fn pmu_type(pmu: &str) -> Result<u32> {
    let v = read_number(&format!("/sys/bus/event_source/devices/{pmu}/type"))?;
    u32::try_from(v).map_err(|_| Error::RANGE)
}

/// The `config` bit that makes a probe of PMU `pmu` a return probe (its
/// `format/retprobe` file reads `config:<bit>`).
pub fn pmu_retprobe_bit(pmu: &str) -> Result<u32> {
    let path = format!("/sys/bus/event_source/devices/{pmu}/format/retprobe");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        let err = Error::from(e);
        crate::pr_debug!("failed to open '{path}': {err}");
        err
    })?;
    let rest = text.strip_prefix("config:").ok_or(Error::INVAL)?;
    let v = parse_number(rest)?;
    u32::try_from(v)
        .ok()
        .filter(|&b| b < 64)
        .ok_or(Error::RANGE)
}

/// The whole text of a (tracefs, procfs) file.
pub fn read_text(path: &str) -> Result<String> {
    std::fs::read_to_string(path).map_err(Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_number("1234\n").unwrap(), 1234);
        assert_eq!(parse_number("  -7x").unwrap(), -7);
        assert_eq!(parse_number("").unwrap_err().errno(), libc::EIO);
        assert_eq!(parse_number("abc").unwrap_err(), Error::INVAL);
    }

    #[test]
    fn pmu_files_of_this_machine() {
        // The uprobe PMU exists on every kernel oxbpf runs its tests on.
        if exists("/sys/bus/event_source/devices/uprobe/type") {
            assert!(pmu_type("uprobe").unwrap() > 5);
            assert!(pmu_retprobe_bit("uprobe").unwrap() < 64);
        }
        assert_eq!(pmu_type("ox_no_such_pmu").unwrap_err(), Error::NOENT);
    }
}
