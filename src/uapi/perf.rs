//! `<linux/perf_event.h>`: the parts libbpf's API names.

/// `struct perf_event_header`: the head of every perf ring record.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct perf_event_header {
    pub type_: u32,
    pub misc: u16,
    pub size: u16,
}

/// `struct perf_event_attr` (PERF_ATTR_SIZE_VER8, 136 bytes). Bit fields and
/// unions are kept as the raw words the kernel reads.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct perf_event_attr {
    pub type_: u32,
    pub size: u32,
    pub config: u64,
    pub sample_period_or_freq: u64,
    pub sample_type: u64,
    pub read_format: u64,
    /// `disabled`, `inherit`, ... packed as in the kernel's bit field.
    pub flags: u64,
    pub wakeup_events_or_watermark: u32,
    pub bp_type: u32,
    pub config1: u64,
    pub config2: u64,
    pub branch_sample_type: u64,
    pub sample_regs_user: u64,
    pub sample_stack_user: u32,
    pub clockid: i32,
    pub sample_regs_intr: u64,
    pub aux_watermark: u32,
    pub sample_max_stack: u16,
    pub __reserved_2: u16,
    pub aux_sample_size: u32,
    pub __reserved_3: u32,
    pub sig_data: u64,
    pub config3: u64,
}

const _: () = assert!(core::mem::size_of::<perf_event_attr>() == 136);

/// `PERF_TYPE_SOFTWARE`.
pub const PERF_TYPE_SOFTWARE: u32 = 1;
/// `PERF_COUNT_SW_BPF_OUTPUT`: the software event `bpf_perf_event_output()` writes to.
pub const PERF_COUNT_SW_BPF_OUTPUT: u64 = 10;
/// `PERF_SAMPLE_RAW`: samples carry a `u32` size and raw bytes.
pub const PERF_SAMPLE_RAW: u64 = 1 << 10;
/// `PERF_RECORD_LOST`: `{ header, u64 id, u64 lost }`.
pub const PERF_RECORD_LOST: u32 = 2;
/// `PERF_RECORD_SAMPLE`.
pub const PERF_RECORD_SAMPLE: u32 = 9;
/// `PERF_FLAG_FD_CLOEXEC` (`perf_event_open` flags).
pub const PERF_FLAG_FD_CLOEXEC: u64 = 1 << 3;
/// `PERF_EVENT_IOC_ENABLE` (`_IO('$', 0)`).
pub const PERF_EVENT_IOC_ENABLE: u64 = 0x2400;
/// `PERF_EVENT_IOC_DISABLE` (`_IO('$', 1)`).
pub const PERF_EVENT_IOC_DISABLE: u64 = 0x2401;
/// `PERF_EVENT_IOC_SET_BPF` (`_IOW('$', 8, __u32)`).
pub const PERF_EVENT_IOC_SET_BPF: u64 = 0x4004_2408;
/// `PERF_TYPE_TRACEPOINT`: `config` is a tracepoint (or probe event) id.
pub const PERF_TYPE_TRACEPOINT: u32 = 2;
/// `PERF_COUNT_SW_CPU_CLOCK`.
pub const PERF_COUNT_SW_CPU_CLOCK: u64 = 0;
/// Where a uprobe's reference counter offset sits in `config` (bits 32-63).
pub const PERF_UPROBE_REF_CTR_OFFSET_SHIFT: u32 = 32;

/// Offsets in `struct perf_event_mmap_page`, the first page of a perf ring:
/// `data_head` (written by the kernel) and `data_tail` (written by the reader).
pub const PERF_MMAP_DATA_HEAD: usize = 1024;
pub const PERF_MMAP_DATA_TAIL: usize = 1032;

/// Offsets of the fields read in the records a BPF output ring carries.
pub mod record {
    /// `struct perf_event_header` is 8 bytes.
    pub const HEADER_SIZE: usize = 8;
    /// `PERF_RECORD_SAMPLE` with `PERF_SAMPLE_RAW`: `u32 size` then the bytes.
    pub const SAMPLE_SIZE: usize = 8;
    pub const SAMPLE_DATA: usize = 12;
    /// `PERF_RECORD_LOST`: `u64 id` then `u64 lost`.
    pub const LOST_COUNT: usize = 16;
}
