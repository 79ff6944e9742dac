//! The ring buffer protocol, independent of where the memory comes from:
//! record headers, position arithmetic, the consumer loop of a
//! `BPF_MAP_TYPE_RINGBUF` and the producer steps of a
//! `BPF_MAP_TYPE_USER_RINGBUF`.
//!
//! Positions are free-running byte counters (`unsigned long`); the offset in
//! the data area is `pos & mask` with `mask = size - 1`. A record is an
//! 8-byte header (length + flag bits, padding) followed by the sample,
//! padded to 8 bytes. The side that writes a position publishes it with a
//! store-release; the other side reads it with a load-acquire, and the
//! header length of a record is read with a load-acquire too (the producer
//! clears the busy bit with a release when it commits).

use crate::error::{Error, Result};
use crate::uapi::ringbuf::{BPF_RINGBUF_BUSY_BIT, BPF_RINGBUF_DISCARD_BIT, BPF_RINGBUF_HDR_SZ};

/// The bytes a record with header length `len` occupies: header plus
/// sample, rounded up to 8 (flag bits ignored).
#[inline]
pub fn record_span(len: u32) -> usize {
    let sample = (len & !(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT)) as usize;
    (sample + BPF_RINGBUF_HDR_SZ as usize + 7) & !7
}

/// What the consumer of a kernel-produced ring buffer reads and writes.
/// Offsets given to `header` are already masked (`< mask + 1`).
pub trait ConsumerMemory {
    /// `mask + 1`: the size of the data area (a power of two).
    fn mask(&self) -> usize;
    /// Load-acquire of the consumer position.
    fn consumer_pos(&self) -> usize;
    /// Store-release of the consumer position.
    fn set_consumer_pos(&self, pos: usize);
    /// Load-acquire of the producer position.
    fn producer_pos(&self) -> usize;
    /// Load-acquire of the length word of the record header at `offset`.
    fn header(&self, offset: usize) -> u32;
}

/// Why [`consume`] stopped early: the sample callback returned this
/// negative value (the consumer position already covers that record).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stopped(pub i32);

/// Consumes committed records in order, calling `on_sample(offset, len)`
/// for each one not discarded (`offset`: its header's offset in the data
/// area; the sample starts 8 bytes further; `len`: the sample length).
///
/// After each record the consumer position is published, so the producer
/// can reuse the space. Stops at the first record still being written
/// (busy bit), when the ring is empty after a re-read of the producer
/// position, once `limit` samples were handed out, or when `on_sample`
/// returns a negative value. Returns the number of samples handed out.
pub fn consume<M: ConsumerMemory>(
    mem: &M,
    limit: u64,
    mut on_sample: impl FnMut(usize, u32) -> i32,
) -> core::result::Result<u64, Stopped> {
    let mask = mem.mask();
    let mut count: u64 = 0;
    let mut cons = mem.consumer_pos();
    loop {
        let mut progressed = false;
        let prod = mem.producer_pos();
        while cons < prod {
            let offset = cons & mask;
            let len = mem.header(offset);
            if len & BPF_RINGBUF_BUSY_BIT != 0 {
                return Ok(count);
            }
            progressed = true;
            cons = cons.wrapping_add(record_span(len));
            if len & BPF_RINGBUF_DISCARD_BIT == 0 {
                let ret = on_sample(offset, len);
                if ret < 0 {
                    mem.set_consumer_pos(cons);
                    return Err(Stopped(ret));
                }
                count += 1;
            }
            mem.set_consumer_pos(cons);
            if count >= limit {
                return Ok(count);
            }
        }
        if !progressed {
            return Ok(count);
        }
    }
}

/// What the producer of a user ring buffer reads and writes. Offsets given
/// to the header functions are already masked.
pub trait ProducerMemory {
    /// `mask + 1`: the size of the data area (a power of two).
    fn mask(&self) -> usize;
    /// Load-acquire of the consumer position (the kernel's).
    fn consumer_pos(&self) -> usize;
    /// Load-acquire of the producer position (ours).
    fn producer_pos(&self) -> usize;
    /// Store-release of the producer position.
    fn set_producer_pos(&self, pos: usize);
    /// Plain stores of a fresh header: `len` and a zero pad word.
    fn write_header(&self, offset: usize, len: u32);
    /// Load of the length word at `offset`.
    fn header(&self, offset: usize) -> u32;
    /// Acquire-release exchange of the length word at `offset`.
    fn swap_header(&self, offset: usize, len: u32) -> u32;
}

/// Reserves a sample of `size` bytes: writes its header with the busy bit
/// and publishes the new producer position. Returns the offset of the
/// sample (just past the header) in the data area.
///
/// `E2BIG` when `size` uses the two flag bits or the record cannot fit in
/// the ring at all; `ENOSPC` when the kernel has not drained enough yet.
pub fn reserve<M: ProducerMemory>(mem: &M, size: u32) -> Result<usize> {
    if size & (BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT) != 0 {
        return Err(Error::TOO_BIG);
    }
    let cons = mem.consumer_pos();
    let prod = mem.producer_pos();
    let ring_size = mem.mask() as u64 + 1;
    let total = record_span(size) as u64;
    if total > ring_size {
        return Err(Error::TOO_BIG);
    }
    let used = prod.wrapping_sub(cons) as u64;
    if ring_size.saturating_sub(used) < total {
        return Err(Error::NOSPC);
    }
    mem.write_header(prod & mem.mask(), size | BPF_RINGBUF_BUSY_BIT);
    mem.set_producer_pos(prod.wrapping_add(total as usize));
    Ok(prod.wrapping_add(BPF_RINGBUF_HDR_SZ as usize) & mem.mask())
}

/// Commits (or discards) the sample reserved at `sample_offset`: clears the
/// busy bit of its header (setting the discard bit when `discard`) with a
/// release, so the kernel sees the sample bytes before the new header.
pub fn commit<M: ProducerMemory>(mem: &M, sample_offset: usize, discard: bool) {
    let mask = mem.mask();
    let hdr = (mask + 1).wrapping_add(sample_offset).wrapping_sub(BPF_RINGBUF_HDR_SZ as usize) & mask;
    let mut len = mem.header(hdr) & !BPF_RINGBUF_BUSY_BIT;
    if discard {
        len |= BPF_RINGBUF_DISCARD_BIT;
    }
    mem.swap_header(hdr, len);
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::cell::{Cell, RefCell};

    /// A ring in ordinary memory: positions in cells, the data area a
    /// vector of bytes (the tests play the other side by hand).
    struct PlainRing {
        cons: Cell<usize>,
        prod: Cell<usize>,
        data: RefCell<Vec<u8>>,
    }

    impl PlainRing {
        fn new(size: usize) -> PlainRing {
            PlainRing { cons: Cell::new(0), prod: Cell::new(0), data: RefCell::new(vec![0; size]) }
        }
        fn put_u32(&self, off: usize, v: u32) {
            self.data.borrow_mut()[off..off + 4].copy_from_slice(&v.to_ne_bytes());
        }
        fn get_u32(&self, off: usize) -> u32 {
            u32::from_ne_bytes(self.data.borrow()[off..off + 4].try_into().unwrap())
        }
        /// The kernel's side of a BPF ring buffer: appends a record.
        fn produce(&self, sample: &[u8], flags: u32) {
            let pos = self.prod.get();
            let size = self.data.borrow().len();
            self.put_u32(pos % size, sample.len() as u32 | flags);
            for (i, b) in sample.iter().enumerate() {
                self.data.borrow_mut()[(pos + 8 + i) % size] = *b;
            }
            self.prod.set(pos + record_span(sample.len() as u32));
        }
        /// Reads a sample that may wrap, as the double mapping shows it.
        fn sample(&self, offset: usize, len: u32) -> Vec<u8> {
            let d = self.data.borrow();
            (0..len as usize).map(|i| d[(offset + 8 + i) % d.len()]).collect()
        }
    }

    impl ConsumerMemory for PlainRing {
        fn mask(&self) -> usize {
            self.data.borrow().len() - 1
        }
        fn consumer_pos(&self) -> usize {
            self.cons.get()
        }
        fn set_consumer_pos(&self, pos: usize) {
            self.cons.set(pos)
        }
        fn producer_pos(&self) -> usize {
            self.prod.get()
        }
        fn header(&self, offset: usize) -> u32 {
            self.get_u32(offset)
        }
    }

    impl ProducerMemory for PlainRing {
        fn mask(&self) -> usize {
            self.data.borrow().len() - 1
        }
        fn consumer_pos(&self) -> usize {
            self.cons.get()
        }
        fn producer_pos(&self) -> usize {
            self.prod.get()
        }
        fn set_producer_pos(&self, pos: usize) {
            self.prod.set(pos)
        }
        fn write_header(&self, offset: usize, len: u32) {
            self.put_u32(offset, len);
            self.put_u32(offset + 4, 0);
        }
        fn header(&self, offset: usize) -> u32 {
            self.get_u32(offset)
        }
        fn swap_header(&self, offset: usize, len: u32) -> u32 {
            let old = self.get_u32(offset);
            self.put_u32(offset, len);
            old
        }
    }

    fn drain(ring: &PlainRing, limit: u64) -> (core::result::Result<u64, Stopped>, Vec<Vec<u8>>) {
        let mut seen = Vec::new();
        let r = consume(ring, limit, |off, len| {
            seen.push(ring.sample(off, len));
            0
        });
        (r, seen)
    }

    #[test]
    fn spans_are_8_byte_aligned() {
        assert_eq!(record_span(0), 8);
        assert_eq!(record_span(1), 16);
        assert_eq!(record_span(8), 16);
        assert_eq!(record_span(9), 24);
        assert_eq!(record_span(5 | BPF_RINGBUF_DISCARD_BIT), 16);
        assert_eq!(record_span(5 | BPF_RINGBUF_BUSY_BIT), 16);
        assert_eq!(record_span(u32::MAX), (0x3fff_ffff + 8 + 7) & !7);
    }

    #[test]
    fn records_in_order_discards_skipped() {
        let r = PlainRing::new(64);
        r.produce(b"abc", 0);
        r.produce(b"gone", BPF_RINGBUF_DISCARD_BIT);
        r.produce(b"0123456789", 0);
        let (res, seen) = drain(&r, u64::MAX);
        assert_eq!(res, Ok(2));
        assert_eq!(seen, vec![b"abc".to_vec(), b"0123456789".to_vec()]);
        assert_eq!(r.cons.get(), 16 + 16 + 24);
        assert_eq!(drain(&r, u64::MAX).0, Ok(0));
    }

    #[test]
    fn busy_record_stops_and_resumes() {
        let r = PlainRing::new(64);
        r.produce(b"one", 0);
        r.produce(b"two", BPF_RINGBUF_BUSY_BIT);
        r.produce(b"three", 0);
        let (res, seen) = drain(&r, u64::MAX);
        assert_eq!((res, seen.len()), (Ok(1), 1));
        assert_eq!(r.cons.get(), 16);
        r.put_u32(16, 3); // committed
        let (res, seen) = drain(&r, u64::MAX);
        assert_eq!(res, Ok(2));
        assert_eq!(seen, vec![b"two".to_vec(), b"three".to_vec()]);
    }

    #[test]
    fn wrap_around_the_end() {
        let r = PlainRing::new(32);
        r.cons.set(24);
        r.prod.set(24);
        r.produce(b"0123456789ab", 0); // header at 24, sample wraps to 0..
        let (res, seen) = drain(&r, u64::MAX);
        assert_eq!(res, Ok(1));
        assert_eq!(seen, vec![b"0123456789ab".to_vec()]);
        assert_eq!(r.cons.get(), 24 + 24);
    }

    #[test]
    fn limit_counts_samples_not_discards() {
        let r = PlainRing::new(128);
        r.produce(b"a", BPF_RINGBUF_DISCARD_BIT);
        r.produce(b"b", 0);
        r.produce(b"c", 0);
        r.produce(b"d", 0);
        let (res, seen) = drain(&r, 2);
        assert_eq!(res, Ok(2));
        assert_eq!(seen, vec![b"b".to_vec(), b"c".to_vec()]);
        assert_eq!(r.cons.get(), 48);
        // A limit of 0 still consumes one record, as libbpf does.
        let (res, seen) = drain(&r, 0);
        assert_eq!((res, seen.len()), (Ok(1), 1));
    }

    #[test]
    fn negative_callback_stops_after_the_record() {
        let r = PlainRing::new(128);
        for s in [b"1", b"2", b"3"] {
            r.produce(s, 0);
        }
        let mut calls = 0;
        let res = consume(&r, u64::MAX, |_, _| {
            calls += 1;
            if calls == 2 {
                -7
            } else {
                1
            }
        });
        assert_eq!(res, Err(Stopped(-7)));
        assert_eq!(r.cons.get(), 32);
        assert_eq!(drain(&r, u64::MAX).0, Ok(1));
    }

    #[test]
    fn producer_reserve_commit_discard() {
        let r = PlainRing::new(64);
        let a = reserve(&r, 5).unwrap();
        assert_eq!(a, 8);
        assert_eq!(r.get_u32(0), 5 | BPF_RINGBUF_BUSY_BIT);
        assert_eq!(r.prod.get(), 16);
        let b = reserve(&r, 16).unwrap();
        assert_eq!(b, 24);
        commit(&r, b, true);
        assert_eq!(r.get_u32(16), 16 | BPF_RINGBUF_DISCARD_BIT);
        // The consumer stops at the busy first record.
        assert_eq!(drain(&r, u64::MAX).0, Ok(0));
        commit(&r, a, false);
        assert_eq!(r.get_u32(0), 5);
        assert_eq!(drain(&r, u64::MAX).0, Ok(1));
        assert_eq!(r.cons.get(), 40);
    }

    #[test]
    fn producer_limits() {
        let r = PlainRing::new(64);
        assert_eq!(reserve(&r, 1 << 31), Err(Error::TOO_BIG));
        assert_eq!(reserve(&r, 1 << 30), Err(Error::TOO_BIG));
        assert_eq!(reserve(&r, 57), Err(Error::TOO_BIG));
        assert!(reserve(&r, 56).is_ok()); // exactly the ring
        assert_eq!(reserve(&r, 0), Err(Error::NOSPC));
        r.cons.set(64);
        // Wraps: the header lands at offset 0 again.
        assert_eq!(reserve(&r, 0).unwrap(), 8);
        assert_eq!(r.prod.get(), 72);
    }

    #[test]
    fn commit_of_a_sample_at_offset_zero() {
        // A header in the last 8 bytes puts the sample at offset 0.
        let r = PlainRing::new(32);
        r.cons.set(24);
        r.prod.set(24);
        let s = reserve(&r, 4).unwrap();
        assert_eq!(s, 0);
        commit(&r, s, false);
        assert_eq!(r.get_u32(24), 4);
    }
}
