//! The only place oxbpf makes system calls: `bpf(2)`, `perf_event_open(2)`,
//! netlink sockets and `mmap(2)`.

pub mod bpf;
pub mod fd;
pub mod blob;
pub mod btf;
