//! The consumer of `BPF_MAP_TYPE_RINGBUF` maps (`struct ring_buffer`):
//! one or more rings, each with its sample callback, behind one epoll fd.
//!
//! Each ring maps the map's consumer page read-write and its producer page
//! plus the data area read-only, the data area twice in a row (the kernel
//! lays it out so), so a sample crossing the end of the ring is contiguous.

use core::cell::RefCell;
use std::os::fd::RawFd;

use crate::error::{Error, Result};
use crate::ringbuf::records::{self, ConsumerMemory, Stopped};
use crate::sys::epoll::{self, Epoll, Event};
use crate::sys::fd_mapping::{page_size, FdMapping};
use crate::uapi::ringbuf::{BPF_MAP_TYPE_RINGBUF, BPF_RINGBUF_HDR_SZ};

/// The sample callback of a ring: `(sample address, sample length)`; a
/// negative return stops consumption and is reported to the caller.
pub type SampleFn = Box<dyn Fn(*mut u8, usize) -> i32>;

/// One ring buffer map being consumed.
pub struct Ring {
    map_fd: RawFd,
    mask: usize,
    page_size: usize,
    /// The consumer position page (read-write).
    consumer: FdMapping,
    /// The producer position page, then the data area twice (read-only).
    producer: FdMapping,
    callback: Option<SampleFn>,
}

impl ConsumerMemory for Ring {
    #[inline]
    fn mask(&self) -> usize {
        self.mask
    }
    #[inline]
    fn consumer_pos(&self) -> usize {
        self.consumer.load_acquire(0)
    }
    #[inline]
    fn set_consumer_pos(&self, pos: usize) {
        self.consumer.store_release(0, pos)
    }
    #[inline]
    fn producer_pos(&self) -> usize {
        self.producer.load_acquire(0)
    }
    #[inline]
    fn header(&self, offset: usize) -> u32 {
        self.producer.load_acquire_u32(self.page_size + offset)
    }
}

/// The map's size after checking that `map_fd` is a map of `want` type.
/// `what` names the caller in messages.
pub(crate) fn ring_map_size(map_fd: RawFd, want: u32, what: &str, type_name: &str) -> Result<usize> {
    let info = crate::sys::info::map_info(map_fd).inspect_err(|e| {
        pr_warn!("{what}: failed to get map info for fd={map_fd}: {}", e.neg());
    })?;
    if info.type_ != want {
        pr_warn!("{what}: map fd={map_fd} is not {type_name}");
        return Err(Error::INVAL);
    }
    let size = info.max_entries as usize;
    if !size.is_power_of_two() {
        pr_warn!("{what}: map fd={map_fd} has a size ({size}) that is not a power of two");
        return Err(Error::INVAL);
    }
    Ok(size)
}

/// The length of the producer mapping: one page of position, then the data
/// area twice. `E2BIG` when it does not fit in the address space.
pub(crate) fn producer_mapping_len(what: &str, page: usize, size: usize) -> Result<usize> {
    size.checked_mul(2).and_then(|d| d.checked_add(page)).ok_or_else(|| {
        pr_warn!("{what}: ring buffer size ({size}) is too big");
        Error::TOO_BIG
    })
}

impl Ring {
    /// Maps ring buffer map `map_fd` for consumption.
    fn open(map_fd: RawFd, callback: Option<SampleFn>) -> Result<Ring> {
        let size = ring_map_size(map_fd, BPF_MAP_TYPE_RINGBUF, "ringbuf", "BPF_MAP_TYPE_RINGBUF")?;
        let page = page_size();
        let consumer = FdMapping::new(map_fd, page, 0, true).inspect_err(|e| {
            pr_warn!("ringbuf: failed to mmap consumer page for map fd={map_fd}: {}", e.neg());
        })?;
        let len = producer_mapping_len("ringbuf", page, size)?;
        let producer = FdMapping::new(map_fd, len, page, false).inspect_err(|e| {
            pr_warn!("ringbuf: failed to mmap data pages for map fd={map_fd}: {}", e.neg());
        })?;
        Ok(Ring { map_fd, mask: size - 1, page_size: page, consumer, producer, callback })
    }

    /// Consumes up to `limit` samples (see [`records::consume`]). Returns
    /// how many were handed to the callback, or the callback's negative
    /// return as the error.
    pub fn consume(&self, limit: u64) -> Result<u64> {
        let base = self.page_size + BPF_RINGBUF_HDR_SZ as usize;
        records::consume(self, limit, |offset, len| match &self.callback {
            Some(cb) => cb(self.producer.at(base + offset), len as usize),
            None => 0,
        })
        .map_err(|Stopped(ret)| Error::new(ret))
    }

    /// Consumes up to `n` samples; returns how many (at most `INT_MAX`) or
    /// the callback's negative return as the error.
    pub fn consume_n(&self, n: usize) -> Result<i32> {
        Ok(capped(self.consume(n as u64)?))
    }

    /// The consumer position (load-acquire).
    pub fn consumer_pos(&self) -> usize {
        ConsumerMemory::consumer_pos(self)
    }

    /// The producer position (load-acquire).
    pub fn producer_pos(&self) -> usize {
        ConsumerMemory::producer_pos(self)
    }

    /// Bytes produced but not consumed yet (headers and padding included).
    pub fn avail_data_size(&self) -> usize {
        let cons = self.consumer_pos();
        self.producer_pos().wrapping_sub(cons)
    }

    /// The size of the data area.
    pub fn size(&self) -> usize {
        self.mask + 1
    }

    /// The map fd this ring reads (not owned).
    pub fn map_fd(&self) -> RawFd {
        self.map_fd
    }
}

/// `min(count, INT_MAX)`, the count libbpf's consume functions return.
fn capped(count: u64) -> i32 {
    count.min(i32::MAX as u64) as i32
}

/// A set of rings behind one epoll fd (`struct ring_buffer`).
pub struct RingBuffer {
    /// Boxed so that `ring_buffer__ring()` pointers stay valid across adds.
    #[allow(clippy::vec_box)]
    rings: Vec<Box<Ring>>,
    epoll: Epoll,
    events: RefCell<Vec<Event>>,
}

impl RingBuffer {
    /// A manager with its epoll instance and the first ring.
    pub fn new(map_fd: RawFd, callback: Option<SampleFn>) -> Result<RingBuffer> {
        let epoll = Epoll::new().inspect_err(|e| {
            pr_warn!("ringbuf: failed to create epoll instance: {}", e.neg());
        })?;
        let mut rb = RingBuffer { rings: Vec::new(), epoll, events: RefCell::new(Vec::new()) };
        rb.add(map_fd, callback)?;
        Ok(rb)
    }

    /// Adds ring buffer map `map_fd`; its epoll events report the ring's
    /// index (the order of addition, from 0) as their data.
    pub fn add(&mut self, map_fd: RawFd, callback: Option<SampleFn>) -> Result<()> {
        let ring = Box::new(Ring::open(map_fd, callback)?);
        let idx = self.rings.len() as u64;
        self.epoll.add(map_fd, epoll::EPOLLIN, idx).inspect_err(|e| {
            pr_warn!("ringbuf: failed to epoll add map fd={map_fd}: {}", e.neg());
        })?;
        self.rings.push(ring);
        self.events.borrow_mut().push(epoll::empty_event());
        Ok(())
    }

    /// Waits up to `timeout_ms` for rings with data, then consumes the
    /// rings reported ready. Returns the number of samples (capped at
    /// `INT_MAX`).
    pub fn poll(&self, timeout_ms: i32) -> Result<i32> {
        let ready: Vec<u64> = {
            let mut events = self.events.borrow_mut();
            let n = self.epoll.wait(&mut events, timeout_ms)?;
            events[..n].iter().map(epoll::event_data).collect()
        };
        let mut total: u64 = 0;
        for idx in ready {
            if let Some(ring) = self.rings.get(idx as usize) {
                total += ring.consume(i32::MAX as u64)?;
            }
        }
        Ok(capped(total))
    }

    /// Consumes every ring without waiting. Returns the number of samples
    /// (capped at `INT_MAX`).
    pub fn consume(&self) -> Result<i32> {
        let mut total: u64 = 0;
        for ring in &self.rings {
            total += ring.consume(i32::MAX as u64)?;
        }
        Ok(capped(total))
    }

    /// Consumes at most `n` samples across the rings, in the order they
    /// were added. Returns the number of samples (capped at `INT_MAX`).
    pub fn consume_n(&self, n: usize) -> Result<i32> {
        let mut left = n as u64;
        let mut total: u64 = 0;
        for ring in &self.rings {
            let got = ring.consume(left)?;
            total += got;
            // As libbpf: a ring asked for 0 samples still hands one out, and
            // the remaining budget wraps around then.
            left = left.wrapping_sub(got);
            if left == 0 {
                break;
            }
        }
        Ok(capped(total))
    }

    /// The epoll fd (owned by the manager).
    pub fn epoll_fd(&self) -> RawFd {
        self.epoll.raw_fd()
    }

    /// Ring `idx` in the order of addition; `ERANGE` past the last one.
    pub fn ring(&self, idx: usize) -> Result<&Ring> {
        self.rings.get(idx).map(|r| &**r).ok_or(Error::RANGE)
    }
}
