//! The producer of a `BPF_MAP_TYPE_USER_RINGBUF` map (`struct
//! user_ring_buffer`): user space reserves samples, fills and submits them;
//! BPF programs drain them with `bpf_user_ringbuf_drain()`.
//!
//! The consumer page is mapped read-only (the kernel owns it), the producer
//! page and the data area (twice in a row) read-write. The epoll instance
//! watches the map for `EPOLLOUT`, which the kernel signals after draining.

use std::os::fd::RawFd;
use std::time::Instant;

use crate::error::{Error, Result};
use crate::ringbuf::consumer::{producer_mapping_len, ring_map_size};
use crate::ringbuf::records::{self, ProducerMemory};
use crate::sys::epoll::{self, Epoll};
use crate::sys::fd_mapping::{page_size, FdMapping};
use crate::uapi::ringbuf::BPF_MAP_TYPE_USER_RINGBUF;

/// A user ring buffer producer.
pub struct UserRingBuffer {
    mask: usize,
    page_size: usize,
    /// The kernel's consumer position page (read-only).
    consumer: FdMapping,
    /// Our producer position page, then the data area twice (read-write).
    producer: FdMapping,
    epoll: Epoll,
}

impl ProducerMemory for UserRingBuffer {
    #[inline]
    fn mask(&self) -> usize {
        self.mask
    }
    #[inline]
    fn consumer_pos(&self) -> usize {
        self.consumer.load_acquire(0)
    }
    #[inline]
    fn producer_pos(&self) -> usize {
        self.producer.load_acquire(0)
    }
    #[inline]
    fn set_producer_pos(&self, pos: usize) {
        self.producer.store_release(0, pos)
    }
    #[inline]
    fn write_header(&self, offset: usize, len: u32) {
        self.producer.store_u32(self.page_size + offset, len);
        self.producer.store_u32(self.page_size + offset + 4, 0);
    }
    #[inline]
    fn header(&self, offset: usize) -> u32 {
        self.producer.load_acquire_u32(self.page_size + offset)
    }
    #[inline]
    fn swap_header(&self, offset: usize, len: u32) -> u32 {
        self.producer.swap_u32(self.page_size + offset, len)
    }
}

impl UserRingBuffer {
    /// Maps user ring buffer map `map_fd` for producing.
    pub fn new(map_fd: RawFd) -> Result<UserRingBuffer> {
        let epoll = Epoll::new().inspect_err(|e| {
            pr_warn!("user ringbuf: failed to create epoll instance: {}", e.neg());
        })?;
        let size = ring_map_size(map_fd, BPF_MAP_TYPE_USER_RINGBUF, "user ringbuf", "BPF_MAP_TYPE_USER_RINGBUF")?;
        let page = page_size();
        let consumer = FdMapping::new(map_fd, page, 0, false).inspect_err(|e| {
            pr_warn!("user ringbuf: failed to mmap consumer page for map fd={map_fd}: {}", e.neg());
        })?;
        let len = producer_mapping_len("user ringbuf", page, size)?;
        let producer = FdMapping::new(map_fd, len, page, true).inspect_err(|e| {
            pr_warn!("user ringbuf: failed to mmap data pages for map fd={map_fd}: {}", e.neg());
        })?;
        epoll.add(map_fd, epoll::EPOLLOUT, 0).inspect_err(|e| {
            pr_warn!("user ringbuf: failed to epoll add map fd={map_fd}: {}", e.neg());
        })?;
        Ok(UserRingBuffer { mask: size - 1, page_size: page, consumer, producer, epoll })
    }

    /// Reserves a sample of `size` bytes and returns its address (inside
    /// the first copy of the data area). `E2BIG` for sizes that can never
    /// fit, `ENOSPC` when the ring is too full right now.
    pub fn reserve(&self, size: u32) -> Result<*mut u8> {
        let offset = records::reserve(self, size)?;
        Ok(self.producer.at(self.page_size + offset))
    }

    /// [`Self::reserve`], waiting on epoll for the kernel to drain while
    /// the ring is full: `timeout_ms` -1 waits without limit, otherwise up
    /// to that many milliseconds (one last attempt is made at the end).
    /// `EINVAL` for other negative timeouts; an epoll error ends the wait
    /// with that error.
    pub fn reserve_blocking(&self, size: u32, timeout_ms: i32) -> Result<*mut u8> {
        if timeout_ms < -1 {
            return Err(Error::INVAL);
        }
        let start = Instant::now();
        let mut remaining = timeout_ms;
        loop {
            match self.reserve(size) {
                Err(e) if e == Error::NOSPC => {}
                other => return other,
            }
            let mut ev = [epoll::empty_event()];
            self.epoll.wait(&mut ev, remaining)?;
            if timeout_ms == -1 {
                continue;
            }
            let elapsed = start.elapsed().as_millis().min(i32::MAX as u128) as i32;
            remaining = timeout_ms.saturating_sub(elapsed);
            if remaining <= 0 {
                break;
            }
        }
        self.reserve(size)
    }

    /// Offset in the data area of a sample address handed out by
    /// [`Self::reserve`] (any address maps to some offset: a wrong one only
    /// corrupts the ring's own contents).
    fn offset_of(&self, sample: *mut u8) -> usize {
        (sample as usize).wrapping_sub(self.producer.at(self.page_size) as usize) & self.mask
    }

    /// Publishes a reserved sample to the kernel.
    pub fn submit(&self, sample: *mut u8) {
        records::commit(self, self.offset_of(sample), false)
    }

    /// Gives a reserved sample back: the kernel skips it.
    pub fn discard(&self, sample: *mut u8) {
        records::commit(self, self.offset_of(sample), true)
    }
}
