//! BPF ring buffers, as libbpf's `ring_buffer__*`, `ring__*` and
//! `user_ring_buffer__*` functions use them.
//!
//! - [`records`]: the protocol on plain memory (record headers, positions,
//!   the consumer loop, reserve/commit), unit-tested without a kernel;
//! - [`consumer`]: `struct ring_buffer` and `struct ring`, consuming
//!   `BPF_MAP_TYPE_RINGBUF` maps through shared memory and epoll;
//! - [`user`]: `struct user_ring_buffer`, producing into
//!   `BPF_MAP_TYPE_USER_RINGBUF` maps.

pub mod consumer;
pub mod records;
pub mod user;
