//! Reading a perf event ring, independent of where the memory comes from.
//!
//! The ring is a power-of-two data area after the control page; the kernel
//! advances `data_head`, the reader `data_tail`, both free-running byte
//! counters. Records start with `struct perf_event_header` (type, misc,
//! size) and are 8-byte aligned; a record crossing the end of the area is
//! copied into a bounce buffer so that callers always see it in one piece.

use crate::uapi::perf::{record, PERF_RECORD_LOST, PERF_RECORD_SAMPLE};

/// `LIBBPF_PERF_EVENT_DONE`: stop reading this ring, no error.
pub const EVENT_DONE: i32 = 0;
/// `LIBBPF_PERF_EVENT_ERROR`: stop reading, an error.
pub const EVENT_ERROR: i32 = -1;
/// `LIBBPF_PERF_EVENT_CONT`: go on with the next record.
pub const EVENT_CONT: i32 = -2;

/// What a reader sees of a perf ring. Offsets are in the data area.
pub trait PerfRingMemory {
    /// Size of the data area (a power of two, at least 8).
    fn data_size(&self) -> usize;
    /// Load-acquire of `data_head`.
    fn head(&self) -> u64;
    /// Load of `data_tail` (only the reader writes it).
    fn tail(&self) -> u64;
    /// Store-release of `data_tail`, giving the space back to the kernel.
    fn set_tail(&self, tail: u64);
    /// Copies bytes `[offset, offset + out.len())` (within the data area).
    fn copy_out(&self, offset: usize, out: &mut [u8]);
    /// The address of byte `offset` of the data area.
    fn addr(&self, offset: usize) -> *mut u8;
    /// The 8 bytes at `offset` (`offset + 8 <= data_size`).
    fn read8(&self, offset: usize) -> [u8; 8] {
        let mut out = [0u8; 8];
        self.copy_out(offset, &mut out);
        out
    }
    /// The 4 bytes at `offset` (`offset + 4 <= data_size`).
    fn read4(&self, offset: usize) -> [u8; 4] {
        let mut out = [0u8; 4];
        self.copy_out(offset, &mut out);
        out
    }
}

/// One record, where the callback finds it: in the ring itself, or in the
/// bounce buffer when it crossed the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordRef {
    /// Address of the `struct perf_event_header`.
    pub addr: *mut u8,
    /// `header.type`.
    pub type_: u32,
    /// `header.size` (bytes, header included).
    pub size: usize,
}

/// A record as `perf_buffer__new()`'s callbacks see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// `PERF_RECORD_SAMPLE`: the raw bytes and their size.
    Sample { data: *mut u8, size: u32 },
    /// `PERF_RECORD_LOST`: how many samples the kernel dropped.
    Lost { count: u64 },
    /// Any other record type.
    Other { type_: u32 },
}

/// Decodes the fixed fields of a record; `read4(at)`/`read8(at)` read
/// bytes at offset `at` of the record. Fields the record is too short to
/// hold read as 0.
fn decode(rec: &RecordRef, read4: impl Fn(usize) -> [u8; 4], read8: impl Fn(usize) -> [u8; 8]) -> Event {
    match rec.type_ {
        PERF_RECORD_SAMPLE => {
            let size = if rec.size >= record::SAMPLE_DATA { u32::from_ne_bytes(read4(record::SAMPLE_SIZE)) } else { 0 };
            Event::Sample { data: rec.addr.wrapping_add(record::SAMPLE_DATA), size }
        }
        PERF_RECORD_LOST => {
            let count =
                if rec.size >= record::LOST_COUNT + 8 { u64::from_ne_bytes(read8(record::LOST_COUNT)) } else { 0 };
            Event::Lost { count }
        }
        t => Event::Other { type_: t },
    }
}

/// Reads the records between tail and head, calling `on_record` with each
/// one and its decoded fields. Stops at the first return other than
/// [`EVENT_CONT`]; the tail then moves past that record. Returns the last
/// value `on_record` returned ([`EVENT_CONT`] when the ring was emptied),
/// or [`EVENT_ERROR`] when the bounce buffer cannot grow or a record is
/// malformed (the tail then jumps to the head).
pub fn read_ring<M: PerfRingMemory>(
    mem: &M,
    bounce: &mut Vec<u8>,
    mut on_record: impl FnMut(&RecordRef, Event) -> i32,
) -> i32 {
    let size = mem.data_size();
    let head = mem.head();
    let mut tail = mem.tail();
    let mut ret = EVENT_CONT;
    while head != tail {
        let offset = (tail as usize) & (size - 1);
        let hdr = if offset + record::HEADER_SIZE <= size {
            mem.read8(offset)
        } else {
            let mut hdr = [0u8; record::HEADER_SIZE];
            copy_wrapping(mem, offset, &mut hdr);
            hdr
        };
        let (type_, rec_size) = split_header(hdr);
        if rec_size < record::HEADER_SIZE || rec_size as u64 > head.wrapping_sub(tail) {
            pr_warn!("perf buffer: malformed record (type {type_}, size {rec_size}), skipping the rest of the ring");
            tail = head;
            ret = EVENT_ERROR;
            break;
        }
        if offset + rec_size > size {
            if bounce.len() < rec_size {
                bounce.clear();
                if bounce.try_reserve_exact(rec_size).is_err() {
                    ret = EVENT_ERROR;
                    break;
                }
                bounce.resize(rec_size, 0);
            }
            copy_wrapping(mem, offset, &mut bounce[..rec_size]);
            let rec = RecordRef { addr: bounce.as_mut_ptr(), type_, size: rec_size };
            let bytes = &bounce[..rec_size];
            let event = decode(
                &rec,
                |at| bytes[at..at + 4].try_into().unwrap_or_default(),
                |at| bytes[at..at + 8].try_into().unwrap_or_default(),
            );
            ret = on_record(&rec, event);
        } else {
            let rec = RecordRef { addr: mem.addr(offset), type_, size: rec_size };
            let event = decode(&rec, |at| mem.read4(offset + at), |at| mem.read8(offset + at));
            ret = on_record(&rec, event);
        }
        tail = tail.wrapping_add(rec_size as u64);
        if ret != EVENT_CONT {
            break;
        }
    }
    mem.set_tail(tail);
    ret
}

/// `(type, size)` of a `struct perf_event_header` (`u32 type; u16 misc;
/// u16 size`), computed in registers from one 8-byte word.
#[inline]
fn split_header(hdr: [u8; 8]) -> (u32, usize) {
    let word = u64::from_ne_bytes(hdr);
    if cfg!(target_endian = "little") {
        (word as u32, (word >> 48) as usize)
    } else {
        ((word >> 32) as u32, (word & 0xffff) as usize)
    }
}

/// Copies `out.len()` bytes from `offset`, continuing at the start of the
/// data area past its end.
fn copy_wrapping<M: PerfRingMemory>(mem: &M, offset: usize, out: &mut [u8]) {
    let size = mem.data_size();
    let first = out.len().min(size - offset);
    let (a, b) = out.split_at_mut(first);
    mem.copy_out(offset, a);
    if !b.is_empty() {
        mem.copy_out(0, b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::cell::{Cell, RefCell};

    struct PlainPerfRing {
        head: Cell<u64>,
        tail: Cell<u64>,
        data: RefCell<Vec<u8>>,
    }

    impl PlainPerfRing {
        fn new(size: usize) -> PlainPerfRing {
            PlainPerfRing { head: Cell::new(0), tail: Cell::new(0), data: RefCell::new(vec![0; size]) }
        }
        /// The kernel's side: appends a record of `type_` with `body`.
        fn push(&self, type_: u32, body: &[u8]) {
            let size = record::HEADER_SIZE + body.len();
            let mut rec = Vec::new();
            rec.extend_from_slice(&type_.to_ne_bytes());
            rec.extend_from_slice(&0u16.to_ne_bytes());
            rec.extend_from_slice(&(size as u16).to_ne_bytes());
            rec.extend_from_slice(body);
            let mut d = self.data.borrow_mut();
            let n = d.len();
            for (i, b) in rec.iter().enumerate() {
                d[(self.head.get() as usize + i) % n] = *b;
            }
            self.head.set(self.head.get() + size as u64);
        }
        fn sample(&self, payload: &[u8]) {
            let mut body = (payload.len() as u32).to_ne_bytes().to_vec();
            body.extend_from_slice(payload);
            self.push(PERF_RECORD_SAMPLE, &body);
        }
    }

    impl PerfRingMemory for PlainPerfRing {
        fn data_size(&self) -> usize {
            self.data.borrow().len()
        }
        fn head(&self) -> u64 {
            self.head.get()
        }
        fn tail(&self) -> u64 {
            self.tail.get()
        }
        fn set_tail(&self, tail: u64) {
            self.tail.set(tail)
        }
        fn copy_out(&self, offset: usize, out: &mut [u8]) {
            out.copy_from_slice(&self.data.borrow()[offset..offset + out.len()]);
        }
        fn addr(&self, offset: usize) -> *mut u8 {
            self.data.borrow_mut().as_mut_ptr().wrapping_add(offset)
        }
    }

    /// The bytes at `addr`, which points into the ring or the bounce buffer.
    fn bytes_at(ring: &PlainPerfRing, bounce: &[u8], addr: *mut u8, len: usize) -> (Vec<u8>, bool) {
        let d = ring.data.borrow();
        let a = addr as usize;
        let (r0, b0) = (d.as_ptr() as usize, bounce.as_ptr() as usize);
        if a >= r0 && a + len <= r0 + d.len() {
            (d[a - r0..a - r0 + len].to_vec(), false)
        } else {
            assert!(a >= b0 && a + len <= b0 + bounce.len(), "pointer outside ring and bounce buffer");
            (bounce[a - b0..a - b0 + len].to_vec(), true)
        }
    }

    /// Reads every record: (type, sample bytes, lost count, in bounce buffer).
    fn read_all(ring: &PlainPerfRing, bounce: &mut Vec<u8>) -> (i32, Vec<(u32, Vec<u8>, u64, bool)>) {
        let mut raw = Vec::new();
        let ret = read_ring(ring, bounce, |_, ev| {
            raw.push(ev);
            EVENT_CONT
        });
        let out = raw
            .into_iter()
            .map(|ev| match ev {
                Event::Sample { data, size } => {
                    let (b, bounced) = bytes_at(ring, bounce, data, size as usize);
                    (PERF_RECORD_SAMPLE, b, 0, bounced)
                }
                Event::Lost { count } => (PERF_RECORD_LOST, Vec::new(), count, false),
                Event::Other { type_ } => (type_, Vec::new(), 0, false),
            })
            .collect();
        (ret, out)
    }

    #[test]
    fn samples_and_lost_records() {
        let r = PlainPerfRing::new(256);
        r.sample(b"abcd");
        let mut lost = 0u64.to_ne_bytes().to_vec();
        lost.extend_from_slice(&42u64.to_ne_bytes());
        r.push(PERF_RECORD_LOST, &lost);
        r.sample(b"0123456789ab");
        let mut bounce = Vec::new();
        let (ret, evs) = read_all(&r, &mut bounce);
        assert_eq!(ret, EVENT_CONT);
        assert_eq!(evs.len(), 3);
        assert_eq!(evs[0].1, b"abcd");
        assert_eq!((evs[1].0, evs[1].2), (PERF_RECORD_LOST, 42));
        assert_eq!(evs[2].1, b"0123456789ab");
        assert_eq!(r.tail.get(), r.head.get());
        assert!(bounce.is_empty());
    }

    #[test]
    fn record_crossing_the_end_is_copied_whole() {
        let r = PlainPerfRing::new(64);
        r.head.set(48);
        r.tail.set(48);
        r.sample(b"0123456789abcdefghij"); // 8 + 4 + 20 = 32 bytes from 48: wraps
        let mut bounce = Vec::new();
        let (ret, evs) = read_all(&r, &mut bounce);
        assert_eq!(ret, EVENT_CONT);
        assert_eq!(evs[0].1, b"0123456789abcdefghij");
        assert!(evs[0].3, "the callback saw the bounce buffer");
        assert_eq!(bounce.len(), 32);
        assert_eq!(r.tail.get(), 80);
    }

    #[test]
    fn stop_codes_end_the_read_after_the_record() {
        let r = PlainPerfRing::new(128);
        for p in [b"aaaa", b"bbbb", b"cccc"] {
            r.sample(p);
        }
        let mut bounce = Vec::new();
        let mut n = 0;
        let ret = read_ring(&r, &mut bounce, |_, _| {
            n += 1;
            if n == 2 {
                EVENT_DONE
            } else {
                EVENT_CONT
            }
        });
        assert_eq!((ret, n), (EVENT_DONE, 2));
        assert_eq!(r.tail.get(), 32);
        let ret = read_ring(&r, &mut bounce, |_, _| EVENT_ERROR);
        assert_eq!(ret, EVENT_ERROR);
        assert_eq!(r.tail.get(), 48);
        assert_eq!(read_ring(&r, &mut bounce, |_, _| EVENT_ERROR), EVENT_CONT);
    }

    #[test]
    fn malformed_sizes_do_not_loop() {
        let r = PlainPerfRing::new(64);
        r.push(PERF_RECORD_SAMPLE, &[0u8; 8]);
        r.data.borrow_mut()[6] = 0; // size 0
        r.data.borrow_mut()[7] = 0;
        let mut bounce = Vec::new();
        assert_eq!(read_ring(&r, &mut bounce, |_, _| EVENT_CONT), EVENT_ERROR);
        assert_eq!(r.tail.get(), r.head.get());
        // A size past the head is refused too.
        r.push(PERF_RECORD_SAMPLE, &[0u8; 8]);
        let at = (r.tail.get() % 64) as usize;
        r.data.borrow_mut()[at + 6] = 200;
        assert_eq!(read_ring(&r, &mut bounce, |_, _| EVENT_CONT), EVENT_ERROR);
    }

    #[test]
    fn short_records_decode_to_zero_fields() {
        let never4 = |_: usize| -> [u8; 4] { panic!("no field to read") };
        let never8 = |_: usize| -> [u8; 8] { panic!("no field to read") };
        let rec = RecordRef { addr: core::ptr::null_mut(), type_: PERF_RECORD_LOST, size: 16 };
        assert_eq!(decode(&rec, never4, never8), Event::Lost { count: 0 });
        let rec = RecordRef { addr: core::ptr::null_mut(), type_: PERF_RECORD_SAMPLE, size: 8 };
        assert!(matches!(decode(&rec, never4, never8), Event::Sample { size: 0, .. }));
        let rec = RecordRef { addr: core::ptr::null_mut(), type_: 17, size: 8 };
        assert_eq!(decode(&rec, never4, never8), Event::Other { type_: 17 });
    }
}
