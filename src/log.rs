//! Logging through the user's `libbpf_print_fn_t`.
//!
//! Every message goes to the callback installed with `libbpf_set_print`
//! (default: a `vfprintf(stderr)` callback in `csrc/print.c` that honours
//! `LIBBPF_LOG_LEVEL=warn|info|debug`, printing warnings and info when unset).
//! Messages carry libbpf's `libbpf: ` prefix. Rust formats the text; the C
//! trampoline passes it to the callback as `"%s"` with a real `va_list`.
//! Logging never changes `errno`.

use core::ffi::{c_char, c_int, c_void};
use core::fmt;
use std::ffi::CString;
use std::sync::atomic::{AtomicUsize, Ordering};

use once_cell::sync::Lazy;

/// Message levels (`enum libbpf_print_level`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(i32)]
pub enum Level {
    Warn = 0,
    Info = 1,
    Debug = 2,
}

/// The C type of a print callback; the `va_list` travels as a pointer.
pub type PrintFn = unsafe extern "C" fn(c_int, *const c_char, *mut c_void) -> c_int;

extern "C" {
    fn oxbpf_call_print_fn(f: PrintFn, level: c_int, msg: *const c_char) -> c_int;
    fn oxbpf_default_print(level: c_int, fmt: *const c_char, ap: *mut c_void) -> c_int;
}

/// The installed callback as an address; 0 means printing is off.
static PRINT_FN: Lazy<AtomicUsize> = Lazy::new(|| AtomicUsize::new(default_print_fn() as usize));

/// Our default callback.
pub fn default_print_fn() -> PrintFn {
    oxbpf_default_print
}

/// Installs `f` (None silences all output) and returns the previous callback.
pub fn set_print(f: Option<PrintFn>) -> Option<PrintFn> {
    let new = f.map_or(0, |f| f as usize);
    let old = PRINT_FN.swap(new, Ordering::AcqRel);
    // SAFETY: only addresses of `PrintFn`s (or 0) are ever stored.
    (old != 0).then(|| unsafe { core::mem::transmute::<usize, PrintFn>(old) })
}

fn current() -> Option<PrintFn> {
    let f = PRINT_FN.load(Ordering::Acquire);
    // SAFETY: only addresses of `PrintFn`s (or 0) are ever stored.
    (f != 0).then(|| unsafe { core::mem::transmute::<usize, PrintFn>(f) })
}

/// The most verbose level the default callback prints, from `LIBBPF_LOG_LEVEL`.
fn threshold() -> Level {
    static THRESHOLD: Lazy<Level> = Lazy::new(|| match std::env::var("LIBBPF_LOG_LEVEL") {
        Err(_) => Level::Info,
        Ok(v) if v.eq_ignore_ascii_case("warn") => Level::Warn,
        Ok(v) if v.eq_ignore_ascii_case("info") => Level::Info,
        Ok(v) if v.eq_ignore_ascii_case("debug") => Level::Debug,
        Ok(v) => {
            eprintln!(
                "libbpf: unrecognized 'LIBBPF_LOG_LEVEL' envvar value: '{v}', should be one of 'warn', 'debug', or 'info'."
            );
            Level::Info
        }
    });
    *THRESHOLD
}

/// Called by the default C callback.
#[no_mangle]
pub extern "C" fn oxbpf_log_threshold() -> c_int {
    threshold() as c_int
}

/// Whether a message at `level` would reach anyone (lets callers skip
/// building expensive debug output).
pub fn enabled(level: Level) -> bool {
    match current() {
        None => false,
        Some(f) if f as usize == default_print_fn() as usize => level <= threshold(),
        Some(_) => true,
    }
}

/// Sends an already complete message (prefix and newline included).
pub fn print_raw(level: Level, msg: &str) {
    let Some(f) = current() else { return };
    if f as usize == default_print_fn() as usize && level > threshold() {
        return;
    }
    let saved = errno::errno();
    let text = CString::new(msg.replace('\0', "\\0")).unwrap_or_default();
    // SAFETY: `f` is a callback the user installed (or ours); `text` is a valid
    // C string that outlives the call.
    unsafe { oxbpf_call_print_fn(f, level as c_int, text.as_ptr()) };
    errno::set_errno(saved);
}

/// Formats `libbpf: <message>\n` and sends it.
pub fn print(level: Level, args: fmt::Arguments<'_>) {
    if !enabled(level) {
        return;
    }
    let mut msg = String::from("libbpf: ");
    fmt::write(&mut msg, args).ok();
    if !msg.ends_with('\n') {
        msg.push('\n');
    }
    print_raw(level, &msg);
}

/// `pr_warn!("map '{}': bad size", name)`: a warning, prefixed `libbpf: `.
#[macro_export]
macro_rules! pr_warn {
    ($($arg:tt)*) => { $crate::log::print($crate::log::Level::Warn, format_args!($($arg)*)) };
}

/// An informational message.
#[macro_export]
macro_rules! pr_info {
    ($($arg:tt)*) => { $crate::log::print($crate::log::Level::Info, format_args!($($arg)*)) };
}

/// A debug message (printed by the default callback only with `LIBBPF_LOG_LEVEL=debug`).
#[macro_export]
macro_rules! pr_debug {
    ($($arg:tt)*) => { $crate::log::print($crate::log::Level::Debug, format_args!($($arg)*)) };
}
