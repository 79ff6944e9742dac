//! The only place oxbpf makes system calls: `bpf(2)`, `perf_event_open(2)`,
//! netlink sockets and `mmap(2)`.
//!
//! `bpf(2)` is split by family, one `#[repr(C)]` attr struct per command
//! (see [`bpf::Attr`]): [`map`], [`prog`], [`obj`] (pin/get, ids),
//! [`info`], [`link`], [`btf`], [`misc`] (stats, tokens, memlock).
//! Ring buffers and perf buffers use [`epoll`], [`fd_mapping`] (shared
//! memory with the kernel, atomics only) and [`perf`] (`perf_event_open`).

pub mod bpf;
pub mod btf;
pub mod epoll;
pub mod fd;
pub mod fs;
pub mod fd_mapping;
pub mod info;
pub mod link;
pub mod map;
pub mod misc;
pub mod mmap;
pub mod netlink;
pub mod obj;
pub mod perf;
pub mod prog;
pub mod process;
pub mod usermem;
pub mod blob;
