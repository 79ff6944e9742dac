//! The kernel's UAPI, written down once in Rust: constants and struct layouts
//! from `<linux/bpf.h>`, `<linux/btf.h>` and `<linux/perf_event.h>` as of the
//! newest kernel oxbpf supports (the system headers here are older, Linux
//! 6.1). The public headers never redefine these: C users get them from the
//! kernel headers; Rust code gets them from here.
#![allow(non_camel_case_types)]

pub mod bpf;
pub mod btf;
pub mod bpf_enums;
pub mod perf;
pub mod netlink;
pub mod ringbuf;

pub use bpf::*;
pub use btf::*;
pub use perf::*;
