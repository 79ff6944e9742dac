//! Declarations of `libbpf_legacy.h`.

pub mod legacy;
pub mod types;
