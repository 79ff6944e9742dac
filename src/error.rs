//! The error type every internal function returns.
//!
//! An [`Error`] is an errno value (positive) — a kernel or libc errno, or one
//! of libbpf's own `LIBBPF_ERRNO__*` codes (4000 and up). The FFI layer turns it
//! into libbpf 1.x's convention in one place (`src/ffi/entry.rs`): a negative
//! return with `errno` set, or NULL with `errno` set. Nothing below `src/ffi/`
//! knows about that convention.

use core::fmt;

/// libbpf's own error codes (`enum libbpf_errno` in `libbpf.h`).
pub mod code {
    pub const START: i32 = 4000;
    pub const LIBELF: i32 = 4000;
    pub const FORMAT: i32 = 4001;
    pub const KVERSION: i32 = 4002;
    pub const ENDIAN: i32 = 4003;
    pub const INTERNAL: i32 = 4004;
    pub const RELOC: i32 = 4005;
    pub const LOAD: i32 = 4006;
    pub const VERIFY: i32 = 4007;
    pub const PROG2BIG: i32 = 4008;
    pub const KVER: i32 = 4009;
    pub const PROGTYPE: i32 = 4010;
    pub const WRNGPID: i32 = 4011;
    pub const INVSEQ: i32 = 4012;
    pub const NLPARSE: i32 = 4013;
    pub const END: i32 = 4014;
}

/// Texts of the `LIBBPF_ERRNO__*` codes, indexed from [`code::START`].
/// They match libbpf's word for word, since programs print and compare them.
/// `LIBBPF_ERRNO__LOAD` has no text in libbpf either: its formatter prints
/// "(null)" for it, and so do we (see `strerror`).
pub const LIBBPF_ERRNO_TEXTS: [Option<&str>; (code::END - code::START) as usize] = [
    Some("Something wrong in libelf"),
    Some("BPF object format invalid"),
    Some("'version' section incorrect or lost"),
    Some("Endian mismatch"),
    Some("Internal error in libbpf"),
    Some("Relocation failed"),
    None,
    Some("Kernel verifier blocks program loading"),
    Some("Program too big"),
    Some("Incorrect kernel version"),
    Some("Kernel doesn't support this program type"),
    Some("Wrong pid in netlink message"),
    Some("Invalid netlink sequence"),
    Some("Incorrect netlink message parsing"),
];

/// An errno-valued error (always positive).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Error(i32);

pub type Result<T> = core::result::Result<T, Error>;

impl Error {
    /// An error from an errno value; the sign is ignored, 0 becomes `EINVAL`.
    pub const fn new(errno: i32) -> Error {
        let e = if errno < 0 { errno.wrapping_neg() } else { errno };
        Error(if e <= 0 { libc::EINVAL } else { e })
    }

    /// The current thread's `errno` (after a failed libc call or syscall).
    pub fn last_os_error() -> Error {
        Error::new(errno::errno().0)
    }

    /// The positive errno value.
    pub const fn errno(self) -> i32 {
        self.0
    }

    /// The negative errno value returned by libbpf's int functions.
    pub const fn neg(self) -> i32 {
        -self.0
    }

    pub const INVAL: Error = Error(libc::EINVAL);
    pub const NOENT: Error = Error(libc::ENOENT);
    pub const NOMEM: Error = Error(libc::ENOMEM);
    pub const NOSPC: Error = Error(libc::ENOSPC);
    pub const EXIST: Error = Error(libc::EEXIST);
    pub const BUSY: Error = Error(libc::EBUSY);
    pub const PERM: Error = Error(libc::EPERM);
    pub const TOO_BIG: Error = Error(libc::E2BIG);
    pub const RANGE: Error = Error(libc::ERANGE);
    pub const NOT_SUPPORTED: Error = Error(libc::EOPNOTSUPP);
    pub const BAD_FD: Error = Error(libc::EBADF);
    pub const FAULT: Error = Error(libc::EFAULT);
    pub const FORMAT: Error = Error(code::FORMAT);
    pub const INTERNAL: Error = Error(code::INTERNAL);
    pub const RELOC: Error = Error(code::RELOC);
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({}: {})", self.0, describe(self.0))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&describe(self.0))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::new(e.raw_os_error().unwrap_or(libc::EIO))
    }
}

impl From<std::ffi::NulError> for Error {
    fn from(_: std::ffi::NulError) -> Error {
        Error::INVAL
    }
}

impl From<core::num::TryFromIntError> for Error {
    fn from(_: core::num::TryFromIntError) -> Error {
        Error::TOO_BIG
    }
}

/// A human-readable text for an errno value or a `LIBBPF_ERRNO__*` code.
pub fn describe(errno: i32) -> String {
    let e = errno.wrapping_abs();
    if (code::START..code::END).contains(&e) {
        return LIBBPF_ERRNO_TEXTS[(e - code::START) as usize].unwrap_or("(null)").to_string();
    }
    if e >= code::END {
        return format!("Unknown libbpf error {e}");
    }
    std::io::Error::from_raw_os_error(e).to_string().split(" (os error").next().unwrap_or("").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_is_normalised() {
        assert_eq!(Error::new(-22).errno(), 22);
        assert_eq!(Error::new(22).neg(), -22);
        assert_eq!(Error::new(0), Error::INVAL);
    }

    #[test]
    fn libbpf_codes_have_texts() {
        assert_eq!(describe(code::FORMAT), "BPF object format invalid");
        assert_eq!(describe(-code::ENDIAN), "Endian mismatch");
        assert_eq!(describe(code::LOAD), "(null)");
        assert_eq!(describe(4020), "Unknown libbpf error 4020");
        assert_eq!(describe(libc::ENOENT), "No such file or directory");
    }
}

/// `libbpf_strerror()`'s formatting into a caller's buffer (at least one byte).
/// Returns what libbpf returns: 0 on success; for system errnos, the XSI
/// `strerror_r` result as is (a positive errno such as `ERANGE` or `EINVAL`);
/// for libbpf codes, `-ERANGE` when truncated; for unknown codes at or past
/// `__LIBBPF_ERRNO__END`, `-ENOENT` (or `-ERANGE` when truncated). The text is
/// always NUL-terminated within `buf`.
pub fn strerror_into(err: i32, buf: &mut [u8]) -> i32 {
    debug_assert!(!buf.is_empty());
    let err = err.wrapping_abs();
    let last = buf.len() - 1;
    if err < code::START {
        // SAFETY: `buf` is a valid writable buffer of `buf.len()` bytes.
        let ret = unsafe { libc::strerror_r(err, buf.as_mut_ptr().cast(), buf.len()) };
        buf[last] = 0;
        return ret;
    }
    let text = if err < code::END {
        LIBBPF_ERRNO_TEXTS[(err - code::START) as usize].unwrap_or("(null)").to_string()
    } else {
        format!("Unknown libbpf error {err}")
    };
    let n = text.len().min(last);
    buf[..n].copy_from_slice(&text.as_bytes()[..n]);
    buf[n] = 0;
    if text.len() > last {
        -libc::ERANGE
    } else if err >= code::END {
        -libc::ENOENT
    } else {
        0
    }
}

#[cfg(test)]
mod strerror_tests {
    use super::*;

    fn text(buf: &[u8]) -> &str {
        let end = buf.iter().position(|&b| b == 0).unwrap();
        core::str::from_utf8(&buf[..end]).unwrap()
    }

    #[test]
    fn libbpf_codes() {
        let mut buf = [0u8; 64];
        assert_eq!(strerror_into(-4001, &mut buf), 0);
        assert_eq!(text(&buf), "BPF object format invalid");
        assert_eq!(strerror_into(4014, &mut buf), -libc::ENOENT);
        assert_eq!(text(&buf), "Unknown libbpf error 4014");
    }

    #[test]
    fn truncation() {
        let mut small = [0u8; 8];
        assert_eq!(strerror_into(4001, &mut small), -libc::ERANGE);
        assert_eq!(text(&small), "BPF obj");
        assert_eq!(strerror_into(22, &mut small), libc::ERANGE);
        assert_eq!(text(&small), "Invalid");
    }

    #[test]
    fn system_errnos() {
        let mut buf = [0u8; 64];
        assert_eq!(strerror_into(-libc::ENOENT, &mut buf), 0);
        assert_eq!(text(&buf), "No such file or directory");
        assert_eq!(strerror_into(3998, &mut buf), libc::EINVAL);
        assert_eq!(text(&buf), "Unknown error 3998");
    }
}
