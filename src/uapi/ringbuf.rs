//! BPF ring buffers (`BPF_MAP_TYPE_RINGBUF`, `BPF_MAP_TYPE_USER_RINGBUF`):
//! the map types and the record header layout shared with the kernel.
//!
//! The map memory is one page holding the consumer position, one page
//! holding the producer position, then the data area (a power-of-two number
//! of bytes, mapped twice in a row so that a record crossing the end reads
//! as one piece). Each record starts with an 8-byte header: a `u32` length
//! whose top two bits are flags, and 4 bytes of padding; records are padded
//! to 8 bytes.

/// `BPF_MAP_TYPE_PERF_EVENT_ARRAY`.
pub const BPF_MAP_TYPE_PERF_EVENT_ARRAY: u32 = 4;
/// `BPF_MAP_TYPE_RINGBUF`.
pub const BPF_MAP_TYPE_RINGBUF: u32 = 27;
/// `BPF_MAP_TYPE_USER_RINGBUF`.
pub const BPF_MAP_TYPE_USER_RINGBUF: u32 = 31;

/// `BPF_RINGBUF_BUSY_BIT`: the record is reserved but not committed yet.
pub const BPF_RINGBUF_BUSY_BIT: u32 = 1 << 31;
/// `BPF_RINGBUF_DISCARD_BIT`: the record was discarded; skip it.
pub const BPF_RINGBUF_DISCARD_BIT: u32 = 1 << 30;
/// `BPF_RINGBUF_HDR_SZ`: size of the record header.
pub const BPF_RINGBUF_HDR_SZ: u32 = 8;
