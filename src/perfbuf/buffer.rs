//! `struct perf_buffer`: one `PERF_COUNT_SW_BPF_OUTPUT` perf event per CPU,
//! each with its mmap'ed ring, stored into a `BPF_MAP_TYPE_PERF_EVENT_ARRAY`
//! at the CPU's key so that `bpf_perf_event_output()` writes there, and one
//! epoll instance over all of them.

use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use crate::error::{Error, Result};
use crate::perfbuf::records::{self, Event, PerfRingMemory, RecordRef, EVENT_CONT, EVENT_DONE, EVENT_ERROR};
use crate::sys::epoll::{self, Epoll, Event as EpollEvent};
use crate::sys::fd_mapping::{page_size, FdMapping};
use crate::sys::perf::AttrRef;
use crate::uapi::perf::{
    perf_event_attr, PERF_COUNT_SW_BPF_OUTPUT, PERF_MMAP_DATA_HEAD, PERF_MMAP_DATA_TAIL, PERF_SAMPLE_RAW,
    PERF_TYPE_SOFTWARE,
};
use crate::uapi::ringbuf::BPF_MAP_TYPE_PERF_EVENT_ARRAY;

/// A sample callback: `(cpu, data, size)`.
pub type SampleFn = Box<dyn Fn(i32, *mut u8, u32)>;
/// A lost-records callback: `(cpu, count)`.
pub type LostFn = Box<dyn Fn(i32, u64)>;
/// A raw record callback: `(cpu, record address)` returning an
/// `enum bpf_perf_event_ret`.
pub type RawFn = Box<dyn Fn(i32, *mut u8) -> i32>;

/// What to do with the records: decode them for a sample and a lost
/// callback (`perf_buffer__new`), or hand them raw (`perf_buffer__new_raw`).
pub enum Handler {
    /// `(cpu, data, size)` for samples, `(cpu, count)` for lost records
    /// (either may be absent: those records are then skipped).
    Decoded { sample: Option<SampleFn>, lost: Option<LostFn> },
    /// `(cpu, record address)` returning an `enum bpf_perf_event_ret`.
    Raw(RawFn),
}

/// Which perf event to open and where: the attr the kernel reads, and the
/// explicit CPUs and map keys when the caller chose them.
pub struct Params<'a> {
    /// The attr (`perf_buffer__new` builds one; `perf_buffer__new_raw`
    /// passes the caller's, which may be of another size).
    pub attr: AttrRef<'a>,
    /// `(cpu, map key)` pairs; empty: every online CPU at its own key.
    pub cpus: Vec<(i32, i32)>,
}

/// The attr `perf_buffer__new` opens its events with: BPF output samples
/// with raw data, waking the reader every `sample_period` samples (0 is 1).
pub fn bpf_output_attr(sample_period: u32) -> perf_event_attr {
    let period = sample_period.max(1);
    perf_event_attr {
        type_: PERF_TYPE_SOFTWARE,
        size: core::mem::size_of::<perf_event_attr>() as u32,
        config: PERF_COUNT_SW_BPF_OUTPUT,
        sample_period_or_freq: period as u64,
        sample_type: PERF_SAMPLE_RAW,
        wakeup_events_or_watermark: period,
        ..Default::default()
    }
}

/// One CPU's event and ring.
pub struct CpuBuf {
    cpu: i32,
    map_key: i32,
    /// Control page, then `data_size` bytes of data.
    ring: FdMapping,
    page_size: usize,
    data_size: usize,
    fd: OwnedFd,
    /// Where records crossing the end of the ring are reassembled.
    bounce: Vec<u8>,
}

impl PerfRingMemory for CpuBuf {
    fn data_size(&self) -> usize {
        self.data_size
    }
    fn head(&self) -> u64 {
        self.ring.load_acquire(PERF_MMAP_DATA_HEAD) as u64
    }
    fn tail(&self) -> u64 {
        self.ring.load_relaxed(PERF_MMAP_DATA_TAIL) as u64
    }
    fn set_tail(&self, tail: u64) {
        self.ring.store_release(PERF_MMAP_DATA_TAIL, tail as usize)
    }
    fn copy_out(&self, offset: usize, out: &mut [u8]) {
        self.ring.copy_out(self.page_size + offset, out)
    }
    fn addr(&self, offset: usize) -> *mut u8 {
        self.ring.at(self.page_size + offset)
    }
    #[inline]
    fn read8(&self, offset: usize) -> [u8; 8] {
        self.ring.read_array(self.page_size + offset)
    }
    #[inline]
    fn read4(&self, offset: usize) -> [u8; 4] {
        self.ring.read_array(self.page_size + offset)
    }
}

impl CpuBuf {
    /// Opens the event of `cpu`, maps its ring and enables it.
    fn open(attr: AttrRef<'_>, cpu: i32, map_key: i32, page: usize, data_size: usize) -> Result<CpuBuf> {
        let fd = crate::sys::perf::open(attr, -1, cpu, -1, 0).inspect_err(|e| {
            pr_warn!("failed to open perf buffer event on cpu #{cpu}: {e}");
        })?;
        let ring = FdMapping::new(fd.as_raw_fd(), page + data_size, 0, true).inspect_err(|e| {
            pr_warn!("failed to mmap perf buffer on cpu #{cpu}: {e}");
        })?;
        crate::sys::perf::enable(fd.as_raw_fd()).inspect_err(|e| {
            pr_warn!("failed to enable perf buffer event on cpu #{cpu}: {e}");
        })?;
        Ok(CpuBuf { cpu, map_key, ring, page_size: page, data_size, fd, bounce: Vec::new() })
    }

    /// Reads this ring's records through `handler`; returns
    /// `LIBBPF_PERF_EVENT_CONT` when emptied, else the stop code.
    fn process(&mut self, handler: &Handler) -> i32 {
        let cpu = self.cpu;
        let mut bounce = core::mem::take(&mut self.bounce);
        let ret = records::read_ring(self, &mut bounce, |rec: &RecordRef, ev| match handler {
            Handler::Raw(cb) => cb(cpu, rec.addr),
            Handler::Decoded { sample, lost } => match ev {
                Event::Sample { data, size } => {
                    if let Some(cb) = sample {
                        cb(cpu, data, size);
                    }
                    EVENT_CONT
                }
                Event::Lost { count } => {
                    if let Some(cb) = lost {
                        cb(cpu, count);
                    }
                    EVENT_CONT
                }
                Event::Other { type_ } => {
                    pr_warn!("unknown perf sample type {type_}");
                    EVENT_ERROR
                }
            },
        });
        self.bounce = bounce;
        ret
    }
}

impl Drop for CpuBuf {
    fn drop(&mut self) {
        // The ring is unmapped and the fd closed right after (field drops).
        let _ = crate::sys::perf::disable(self.fd.as_raw_fd());
    }
}

/// The perf buffer manager.
pub struct PerfBuffer {
    map_fd: RawFd,
    data_size: usize,
    bufs: Vec<CpuBuf>,
    handler: Handler,
    epoll: Epoll,
    events: Vec<EpollEvent>,
}

impl PerfBuffer {
    /// Opens rings of `page_cnt` pages (a power of two) for `map_fd`.
    ///
    /// The map is checked to be a perf event array when the kernel says
    /// what it is (a fd the kernel does not know as a BPF object is let
    /// through, the map update refuses it later). Without explicit CPUs,
    /// every online CPU below `min(possible CPUs, max_entries)` gets a ring
    /// at its own key.
    pub fn new(map_fd: RawFd, page_cnt: usize, params: Params<'_>, handler: Handler) -> Result<PerfBuffer> {
        if page_cnt == 0 || !page_cnt.is_power_of_two() {
            pr_warn!("page count should be power of two, but is {page_cnt}");
            return Err(Error::INVAL);
        }
        let mut max_entries = 0;
        match crate::sys::info::map_info(map_fd) {
            Ok(info) if info.type_ != BPF_MAP_TYPE_PERF_EVENT_ARRAY => {
                let name = String::from_utf8_lossy(&info.name).trim_end_matches('\0').to_string();
                pr_warn!("map '{name}' should be BPF_MAP_TYPE_PERF_EVENT_ARRAY");
                return Err(Error::INVAL);
            }
            Ok(info) => max_entries = info.max_entries as usize,
            Err(e) if e == Error::INVAL => {
                pr_debug!("failed to get map info for FD {map_fd}; API not supported? Ignoring...");
            }
            Err(e) => {
                pr_warn!("failed to get map info for map FD {map_fd}: {e}");
                return Err(e);
            }
        }
        let page = page_size();
        let data_size = page.checked_mul(page_cnt).filter(|s| s.checked_add(page).is_some()).ok_or_else(|| {
            pr_warn!("perf buffer of {page_cnt} pages is too big");
            Error::TOO_BIG
        })?;
        let epoll = Epoll::new().inspect_err(|e| {
            pr_warn!("failed to create epoll instance: {e}");
        })?;
        let mut pb = PerfBuffer { map_fd, data_size, bufs: Vec::new(), handler, epoll, events: Vec::new() };

        let targets = if params.cpus.is_empty() {
            let mut n = crate::cpus::num_possible()?;
            if max_entries > 0 {
                n = n.min(max_entries);
            }
            let online = crate::cpus::read_cpu_list("/sys/devices/system/cpu/online").inspect_err(|e| {
                pr_warn!("failed to get online CPU mask: {e}");
            })?;
            (0..n).filter(|&c| online.get(c).copied().unwrap_or(false)).map(|c| (c as i32, c as i32)).collect()
        } else {
            params.cpus
        };
        for (cpu, key) in targets {
            let buf = CpuBuf::open(params.attr, cpu, key, page, data_size)?;
            let fd = buf.fd.as_raw_fd();
            // Pushed first so that a failure below still clears the slot.
            pb.bufs.push(buf);
            crate::sys::perf::set_array_slot(map_fd, key, fd).inspect_err(|e| {
                pr_warn!("failed to set cpu #{cpu}, key {key} -> perf FD {fd}: {e}");
            })?;
            pb.epoll.add(fd, epoll::EPOLLIN, (pb.bufs.len() - 1) as u64).inspect_err(|e| {
                pr_warn!("failed to epoll_ctl cpu #{cpu} perf FD {fd}: {e}");
            })?;
            pb.events.push(epoll::empty_event());
        }
        Ok(pb)
    }

    /// Waits up to `timeout_ms` for rings with data and reads them. Returns
    /// how many rings were ready, or the first stop code other than "done"
    /// (see [`stop_code`]).
    pub fn poll(&mut self, timeout_ms: i32) -> Result<i32> {
        let n = self.epoll.wait(&mut self.events, timeout_ms)?;
        for i in 0..n {
            let idx = epoll::event_data(&self.events[i]) as usize;
            if let Some(buf) = self.bufs.get_mut(idx) {
                let ret = buf.process(&self.handler);
                if ret != EVENT_CONT && ret != EVENT_DONE {
                    pr_warn!("error while processing records: {ret}");
                    return stop_code(ret);
                }
            }
        }
        Ok(n as i32)
    }

    /// Reads every ring without waiting; 0, or the first stop code other
    /// than "done" (see [`stop_code`]).
    pub fn consume(&mut self) -> Result<i32> {
        for i in 0..self.bufs.len() {
            let ret = self.bufs[i].process(&self.handler);
            if ret != EVENT_CONT && ret != EVENT_DONE {
                pr_warn!("perf_buffer: failed to process records in buffer #{i}: {ret}");
                return stop_code(ret);
            }
        }
        Ok(0)
    }

    /// Reads ring `idx` without waiting; 0, or the stop code other than
    /// "done" (see [`stop_code`]). `EINVAL` past the last ring.
    pub fn consume_buffer(&mut self, idx: usize) -> Result<i32> {
        let buf = self.bufs.get_mut(idx).ok_or(Error::INVAL)?;
        match buf.process(&self.handler) {
            EVENT_CONT | EVENT_DONE => Ok(0),
            ret => stop_code(ret),
        }
    }

    /// How many rings (one per CPU opened).
    pub fn buffer_cnt(&self) -> usize {
        self.bufs.len()
    }

    /// The perf event fd of ring `idx`; `EINVAL` past the last ring.
    pub fn buffer_fd(&self, idx: usize) -> Result<RawFd> {
        self.bufs.get(idx).map(|b| b.fd.as_raw_fd()).ok_or(Error::INVAL)
    }

    /// The mapping of ring `idx` (control page first) and the size of its
    /// data area; `EINVAL` past the last ring.
    pub fn buffer(&self, idx: usize) -> Result<(*mut u8, usize)> {
        self.bufs.get(idx).map(|b| (b.ring.addr(), self.data_size)).ok_or(Error::INVAL)
    }

    /// The epoll fd (owned by the manager).
    pub fn epoll_fd(&self) -> RawFd {
        self.epoll.raw_fd()
    }
}

/// What a stop code other than "continue"/"done" makes the caller return:
/// a negative one (`LIBBPF_PERF_EVENT_ERROR`, -1) is an error with that
/// errno; a positive one (a raw callback's own value) is returned as is.
fn stop_code(ret: i32) -> Result<i32> {
    if ret < 0 {
        Err(Error::new(ret))
    } else {
        Ok(ret)
    }
}

impl Drop for PerfBuffer {
    fn drop(&mut self) {
        for buf in &self.bufs {
            let _ = crate::sys::perf::clear_array_slot(self.map_fd, buf.map_key);
        }
    }
}
