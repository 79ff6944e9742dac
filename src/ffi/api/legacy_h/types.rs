//! Types of `libbpf_legacy.h`.
#![allow(non_camel_case_types)]

/// Pre-1.0 compatibility switches. Since libbpf 1.0 every strict behaviour is
/// always on and `libbpf_set_strict_mode()` accepts any mode without effect.
#[repr(C)]
pub enum libbpf_strict_mode {
    /// Every strict behaviour (the only behaviour since 1.0).
    LIBBPF_STRICT_ALL = 0xffffffff,
    /// No strict behaviour (no longer supported).
    LIBBPF_STRICT_NONE = 0x00,
    /// Return NULL, not an error pointer, and set errno.
    LIBBPF_STRICT_CLEAN_PTRS = 0x01,
    /// Low-level APIs return the error code itself, not -1.
    LIBBPF_STRICT_DIRECT_ERRS = 0x02,
    /// Only exact SEC() names are recognised.
    LIBBPF_STRICT_SEC_NAME = 0x04,
    /// Objects are not kept on a global list.
    LIBBPF_STRICT_NO_OBJECT_LIST = 0x08,
    /// RLIMIT_MEMLOCK is raised only where the kernel still needs it.
    LIBBPF_STRICT_AUTO_RLIMIT_MEMLOCK = 0x10,
    /// Legacy `SEC("maps")` definitions are refused.
    LIBBPF_STRICT_MAP_DEFINITIONS = 0x20,
    __LIBBPF_STRICT_LAST,
}
