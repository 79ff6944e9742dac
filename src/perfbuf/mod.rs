//! Perf buffers, as libbpf's `perf_buffer__*` functions use them.
//!
//! - [`records`]: reading a perf event ring on plain memory (head/tail,
//!   record headers, records crossing the end, sample and lost records),
//!   unit-tested without a kernel;
//! - [`buffer`]: `struct perf_buffer`, one BPF output perf event and ring
//!   per CPU stored into a `BPF_MAP_TYPE_PERF_EVENT_ARRAY`, behind epoll.

pub mod buffer;
pub mod records;
