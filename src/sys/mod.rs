//! The only place oxbpf makes system calls: `bpf(2)`, `perf_event_open(2)`,
//! netlink sockets and `mmap(2)`.
//!
//! `bpf(2)` is split by family, one `#[repr(C)]` attr struct per command
//! (see [`bpf::Attr`]): [`map`], [`prog`], [`obj`] (pin/get, ids),
//! [`info`], [`link`], [`btf`], [`misc`] (stats, tokens, memlock).

pub mod bpf;
pub mod btf;
pub mod fd;
pub mod info;
pub mod link;
pub mod map;
pub mod misc;
pub mod obj;
pub mod prog;
pub mod blob;
