//! oxbpf: libbpf rebuilt in Rust, shipped as a C-ABI drop-in `libbpf.so.1`.
//!
//! Layout:
//! - [`ffi`]: the `extern "C"` API (thin shims), from which the headers are generated;
//! - the core, pure and testable without a kernel: [`error`], [`log`], [`names`], ...;
//! - [`sys`]: every system call;
//! - [`uapi`]: the kernel's UAPI as Rust definitions.
#![allow(clippy::missing_safety_doc)]
#![deny(unsafe_op_in_unsafe_fn)]

#[macro_use]
pub mod log;
pub mod bpf_api;
pub mod cpus;
pub mod btf;
pub mod error;
pub mod externs;
pub mod ffi;
pub mod names;
pub mod linker;
pub mod netlink;
pub mod object;
pub mod perfbuf;
pub mod prog_linfo;
pub mod relo;
pub mod ringbuf;
pub mod sys;
pub mod uapi;
