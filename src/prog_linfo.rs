//! Line info of a loaded program (`struct bpf_prog_linfo`): the program's
//! `bpf_line_info` records, as `BPF_OBJ_GET_INFO_BY_FD` returns them,
//! searchable by instruction offset and, when the kernel also gave the
//! JIT-ed addresses, by address within a JIT-ed function.
//!
//! The records are copied out of the caller's `bpf_prog_info` arrays into
//! 8-byte aligned storage with 16 zero bytes of slack, so a record pointer
//! handed to C is aligned for `struct bpf_line_info` and reading a whole
//! one stays in bounds even with the smallest record size (4 bytes).

use crate::error::{Error, Result};
use crate::sys::usermem::UserMem;

/// `offsetofend(struct bpf_line_info, insn_off)`: the least a record must
/// hold for searching.
const MIN_REC_SIZE: u32 = 4;
/// Slack after the records (`sizeof(struct bpf_line_info)`).
const SLACK: usize = 16;

/// Bytes kept 8-byte aligned.
#[derive(Clone, Debug, Default)]
struct Aligned {
    words: Vec<u64>,
    len: usize,
}

impl Aligned {
    fn new(bytes: &[u8]) -> Result<Aligned> {
        let n = (bytes.len() + SLACK).div_ceil(8);
        let mut words = Vec::new();
        words.try_reserve_exact(n).map_err(|_| Error::INVAL)?;
        words.resize(n, 0);
        for (w, chunk) in words.iter_mut().zip(bytes.chunks(8)) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            *w = u64::from_ne_bytes(b);
        }
        Ok(Aligned { words, len: bytes.len() })
    }

    fn ptr(&self) -> *const u8 {
        self.words.as_ptr().cast()
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: `words` holds at least `len` initialised bytes.
        unsafe { core::slice::from_raw_parts(self.ptr(), self.len) }
    }

    fn u32_at(&self, off: usize) -> u32 {
        self.bytes().get(off..off + 4).map_or(0, |b| u32::from_ne_bytes(b.try_into().unwrap_or([0; 4])))
    }

    fn u64_at(&self, off: usize) -> u64 {
        self.bytes().get(off..off + 8).map_or(0, |b| u64::from_ne_bytes(b.try_into().unwrap_or([0; 8])))
    }
}

/// What `bpf_prog_linfo__new()` reads from a `struct bpf_prog_info`: each
/// array as application memory of the size its count announces.
#[derive(Clone, Copy, Debug, Default)]
pub struct Source {
    pub nr_line_info: u32,
    pub line_info_rec_size: u32,
    /// `nr_line_info * line_info_rec_size` bytes.
    pub line_info: UserMem,
    pub nr_jited_line_info: u32,
    pub jited_line_info_rec_size: u32,
    /// `nr_jited_line_info * jited_line_info_rec_size` bytes.
    pub jited_line_info: UserMem,
    pub nr_jited_ksyms: u32,
    /// `nr_jited_ksyms` start addresses of the JIT-ed functions.
    pub jited_ksyms: UserMem,
    pub nr_jited_func_lens: u32,
    /// `nr_jited_func_lens` sizes of the JIT-ed functions.
    pub jited_func_lens: UserMem,
}

/// JIT-ed line info: one address per line info record, split by function.
#[derive(Clone, Debug, Default)]
struct Jited {
    records: Aligned,
    rec_size: usize,
    /// Per function: index of its first record, number of records.
    funcs: Vec<(u32, u32)>,
}

/// The JIT-ed part of line info on plain memory (see [`ProgLinfo::from_parts`]).
#[derive(Clone, Copy, Debug)]
pub struct JitedParts<'a> {
    /// One record per line info record, each starting with an address.
    pub records: &'a [u8],
    pub rec_size: u32,
    /// Start addresses of the JIT-ed functions.
    pub ksyms: &'a [u64],
    /// Sizes of the JIT-ed functions.
    pub lens: &'a [u32],
}

/// A program's line info, ready for lookups.
#[derive(Clone, Debug)]
pub struct ProgLinfo {
    records: Aligned,
    nr: u32,
    rec_size: usize,
    jited: Option<Jited>,
}

fn words<const N: usize>(bytes: &[u8]) -> impl Iterator<Item = [u8; N]> + '_ {
    bytes.chunks_exact(N).map(|c| c.try_into().unwrap_or([0; N]))
}

impl ProgLinfo {
    /// Copies the line info out of `src`. Needs at least one record of at
    /// least 4 bytes (`EINVAL`). The JIT-ed part is kept only when it is
    /// complete (one JIT-ed record of at least 8 bytes per record, a size
    /// per function, every array present) and consistent: the first
    /// record is at the first function's start, each function's records
    /// start exactly at its address, increase within it and stay within
    /// its size (else `EINVAL`).
    pub fn new(src: &Source) -> Result<ProgLinfo> {
        if src.nr_line_info == 0 || src.line_info_rec_size < MIN_REC_SIZE {
            return Err(Error::INVAL);
        }
        let linfo = src.line_info.to_vec().map_err(|_| Error::INVAL)?;
        let need = src.nr_line_info as usize * src.line_info_rec_size as usize;
        if linfo.len() < need {
            return Err(Error::INVAL);
        }
        let nr_func = src.nr_jited_ksyms;
        let jited_usable = nr_func != 0
            && !src.jited_line_info.is_null()
            && src.nr_jited_line_info == src.nr_line_info
            && src.jited_line_info_rec_size >= 8
            && src.nr_jited_func_lens == nr_func
            && !src.jited_ksyms.is_null()
            && !src.jited_func_lens.is_null();
        let jited = if jited_usable {
            let rec = src.jited_line_info.to_vec().map_err(|_| Error::INVAL)?;
            let ksyms: Vec<u64> = words::<8>(&src.jited_ksyms.to_vec().map_err(|_| Error::INVAL)?).map(u64::from_ne_bytes).collect();
            let lens: Vec<u32> = words::<4>(&src.jited_func_lens.to_vec().map_err(|_| Error::INVAL)?).map(u32::from_ne_bytes).collect();
            Some((rec, ksyms, lens))
        } else {
            None
        };
        let jited = jited.as_ref().map(|(rec, k, l)| JitedParts {
            records: rec,
            rec_size: src.jited_line_info_rec_size,
            ksyms: k,
            lens: l,
        });
        ProgLinfo::from_parts(&linfo[..need], src.nr_line_info, src.line_info_rec_size, jited)
    }

    /// [`new`](Self::new) on plain memory: `linfo` holds `nr` records of
    /// `rec_size` bytes; `jited` the JIT-ed records (same count) and the
    /// functions they belong to.
    pub fn from_parts(linfo: &[u8], nr: u32, rec_size: u32, jited: Option<JitedParts<'_>>) -> Result<ProgLinfo> {
        let rec = rec_size as usize;
        if nr == 0 || rec_size < MIN_REC_SIZE || linfo.len() < nr as usize * rec {
            return Err(Error::INVAL);
        }
        let records = Aligned::new(&linfo[..nr as usize * rec])?;
        let jited = match jited {
            None => None,
            Some(j) => Some(Jited::split(j.records, nr, j.rec_size, j.ksyms, j.lens)?),
        };
        Ok(ProgLinfo { records, nr, rec_size: rec, jited })
    }

    fn insn_off(&self, i: u32) -> u32 {
        self.records.u32_at(i as usize * self.rec_size)
    }

    /// The record for instruction `insn_off`: the last one, from record
    /// `nr_skip` on, whose instruction offset is not above it. Returns its
    /// byte offset; `ENOENT` when `nr_skip` is past the end or the first
    /// record searched already lies after `insn_off`.
    pub fn lfind(&self, insn_off: u32, nr_skip: u32) -> Result<usize> {
        if nr_skip >= self.nr || insn_off < self.insn_off(nr_skip) {
            return Err(Error::NOENT);
        }
        let mut i = nr_skip;
        while i + 1 < self.nr && self.insn_off(i + 1) <= insn_off {
            i += 1;
        }
        Ok(i as usize * self.rec_size)
    }

    /// The record for JIT-ed address `addr` in function `func_idx`: the
    /// last one, from the function's record `nr_skip` on, whose address is
    /// not above it. Returns the byte offset of the (translated) line info
    /// record; `ENOENT` without JIT-ed info, for a function or skip count
    /// out of range, or an address before the first record searched.
    pub fn lfind_addr_func(&self, addr: u64, func_idx: u32, nr_skip: u32) -> Result<usize> {
        let j = self.jited.as_ref().ok_or(Error::NOENT)?;
        let &(first, count) = j.funcs.get(func_idx as usize).ok_or(Error::NOENT)?;
        if nr_skip >= count {
            return Err(Error::NOENT);
        }
        let start = first + nr_skip;
        let end = first + count;
        if addr < j.addr(start) {
            return Err(Error::NOENT);
        }
        let mut i = start;
        while i + 1 < end && j.addr(i + 1) <= addr {
            i += 1;
        }
        Ok(i as usize * self.rec_size)
    }

    /// A pointer to the record at byte offset `off` (from a lookup), valid
    /// while `self` lives.
    pub fn record_ptr(&self, off: usize) -> *const u8 {
        self.records.ptr().wrapping_add(off)
    }
}

impl Jited {
    fn addr(&self, i: u32) -> u64 {
        self.records.u64_at(i as usize * self.rec_size)
    }

    /// Splits the JIT-ed records by function (see [`ProgLinfo::new`]).
    fn split(bytes: &[u8], nr: u32, rec_size: u32, ksyms: &[u64], lens: &[u32]) -> Result<Jited> {
        let rec = rec_size as usize;
        let nr_func = ksyms.len();
        if rec < 8 || nr_func == 0 || lens.len() != nr_func || bytes.len() < nr as usize * rec {
            return Err(Error::INVAL);
        }
        let j = Jited { records: Aligned::new(&bytes[..nr as usize * rec])?, rec_size: rec, funcs: Vec::new() };
        if j.addr(0) != ksyms[0] {
            return Err(Error::INVAL);
        }
        let mut funcs = Vec::with_capacity(nr_func);
        let (mut prev_start, mut f) = (0u32, 1usize);
        let mut i = 1u32;
        while i < nr && f < nr_func {
            let (last, here) = (j.addr(i - 1), j.addr(i));
            if here == ksyms[f] {
                // The previous function's last record must lie inside it.
                if last.wrapping_sub(ksyms[f - 1]).wrapping_add(1) > lens[f - 1] as u64 {
                    return Err(Error::INVAL);
                }
                funcs.push((prev_start, i - prev_start));
                prev_start = i;
                f += 1;
            } else if here <= last {
                return Err(Error::INVAL);
            }
            i += 1;
        }
        if f != nr_func {
            return Err(Error::INVAL);
        }
        funcs.push((prev_start, nr - prev_start));
        Ok(Jited { funcs, ..j })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records of 16 bytes: insn_off, file, line, col.
    fn linfo(offs: &[u32]) -> Vec<u8> {
        offs.iter().flat_map(|&o| [o, 1, 100 + o, 0]).flat_map(u32::to_ne_bytes).collect()
    }

    fn jited(addrs: &[u64]) -> Vec<u8> {
        addrs.iter().flat_map(|a| a.to_ne_bytes()).collect()
    }

    fn jp<'a>(records: &'a [u8], ksyms: &'a [u64], lens: &'a [u32]) -> JitedParts<'a> {
        JitedParts { records, rec_size: 8, ksyms, lens }
    }

    fn line_at(l: &ProgLinfo, off: usize) -> u32 {
        l.records.u32_at(off + 8)
    }

    #[test]
    fn lookup_by_instruction() {
        let l = ProgLinfo::from_parts(&linfo(&[0, 3, 3, 9]), 4, 16, None).unwrap();
        assert_eq!(l.lfind(0, 0), Ok(0));
        assert_eq!(l.lfind(2, 0), Ok(0));
        assert_eq!(l.lfind(3, 0), Ok(32));
        assert_eq!(l.lfind(100, 0), Ok(48));
        assert_eq!(l.lfind(4, 2), Ok(32));
        assert_eq!(l.lfind(2, 1), Err(Error::NOENT));
        assert_eq!(l.lfind(9, 4), Err(Error::NOENT));
        assert_eq!(line_at(&l, l.lfind(9, 3).unwrap()), 109);
        assert_eq!(l.lfind_addr_func(0, 0, 0), Err(Error::NOENT));
        assert_eq!(l.record_ptr(0) as usize % 8, 0);
    }

    #[test]
    fn lookup_by_address() {
        // Two functions: records 0..3 at 0x1000.., records 3..5 at 0x2000...
        let addrs = [0x1000, 0x1010, 0x1020, 0x2000, 0x2008];
        let l = ProgLinfo::from_parts(&linfo(&[0, 2, 4, 10, 12]), 5, 16, Some(jp(&jited(&addrs), &[0x1000, 0x2000], &[0x40, 0x20])))
            .unwrap();
        assert_eq!(l.lfind_addr_func(0x1015, 0, 0), Ok(16));
        assert_eq!(l.lfind_addr_func(0x1fff, 0, 0), Ok(32));
        assert_eq!(l.lfind_addr_func(0x2000, 1, 0), Ok(48));
        assert_eq!(l.lfind_addr_func(0x9999, 1, 0), Ok(64));
        assert_eq!(l.lfind_addr_func(0x2009, 1, 1), Ok(64));
        assert_eq!(l.lfind_addr_func(0x2000, 1, 1), Err(Error::NOENT));
        assert_eq!(l.lfind_addr_func(0x2000, 1, 2), Err(Error::NOENT));
        assert_eq!(l.lfind_addr_func(0x0fff, 0, 0), Err(Error::NOENT));
        assert_eq!(l.lfind_addr_func(0x1000, 2, 0), Err(Error::NOENT));
    }

    #[test]
    fn inconsistent_jited_info_is_refused() {
        let li = linfo(&[0, 2, 4, 10]);
        let ok = [0x1000u64, 0x1010, 0x2000, 0x2008];
        let k = [0x1000u64, 0x2000];
        assert!(ProgLinfo::from_parts(&li, 4, 16, Some(jp(&jited(&ok), &k, &[0x20, 0x10]))).is_ok());
        // First record not at the first function.
        let bad = [0x1004u64, 0x1010, 0x2000, 0x2008];
        assert!(ProgLinfo::from_parts(&li, 4, 16, Some(jp(&jited(&bad), &k, &[0x20, 0x10]))).is_err());
        // Decreasing addresses inside a function.
        let bad = [0x1000u64, 0x0ff0, 0x2000, 0x2008];
        assert!(ProgLinfo::from_parts(&li, 4, 16, Some(jp(&jited(&bad), &k, &[0x20, 0x10]))).is_err());
        // The first function's last record past its size.
        assert!(ProgLinfo::from_parts(&li, 4, 16, Some(jp(&jited(&ok), &k, &[0x10, 0x10]))).is_err());
        // A function start that no record has.
        assert!(ProgLinfo::from_parts(&li, 4, 16, Some(jp(&jited(&ok), &[0x1000, 0x3000], &[0x20, 0x10]))).is_err());
        // Records too small, too few bytes.
        assert!(ProgLinfo::from_parts(&li, 4, 3, None).is_err());
        assert!(ProgLinfo::from_parts(&li, 5, 16, None).is_err());
        assert!(ProgLinfo::from_parts(&li, 0, 16, None).is_err());
        assert!(ProgLinfo::from_parts(&li, 4, 16, Some(jp(&jited(&ok[..3]), &k, &[0x20, 0x10]))).is_err());
    }

    #[test]
    fn small_records_keep_slack() {
        // 4-byte records (insn_off only): a whole bpf_line_info read from the
        // last one stays inside the storage.
        let raw: Vec<u8> = [0u32, 5].iter().flat_map(|v| v.to_ne_bytes()).collect();
        let l = ProgLinfo::from_parts(&raw, 2, 4, None).unwrap();
        assert_eq!(l.lfind(7, 0), Ok(4));
        assert!(l.records.words.len() * 8 >= 4 + 16);
    }

    #[test]
    fn from_application_memory() {
        let li = linfo(&[0, 2]);
        let j = jited(&[0x10, 0x18]);
        let k = [0x10u64];
        let lens = [0x20u32];
        // SAFETY: every buffer lives until the end of the test.
        let src = unsafe {
            Source {
                nr_line_info: 2,
                line_info_rec_size: 16,
                line_info: UserMem::new(li.as_ptr() as usize, li.len()),
                nr_jited_line_info: 2,
                jited_line_info_rec_size: 8,
                jited_line_info: UserMem::new(j.as_ptr() as usize, j.len()),
                nr_jited_ksyms: 1,
                jited_ksyms: UserMem::new(k.as_ptr() as usize, 8),
                nr_jited_func_lens: 1,
                jited_func_lens: UserMem::new(lens.as_ptr() as usize, 4),
            }
        };
        let l = ProgLinfo::new(&src).unwrap();
        assert_eq!(l.lfind_addr_func(0x19, 0, 0), Ok(16));
        // A count mismatch drops the JIT-ed part but keeps the rest.
        let l = ProgLinfo::new(&Source { nr_jited_line_info: 1, ..src }).unwrap();
        assert_eq!(l.lfind_addr_func(0x19, 0, 0), Err(Error::NOENT));
        assert_eq!(l.lfind(1, 0), Ok(0));
        assert_eq!(ProgLinfo::new(&Source { line_info_rec_size: 2, ..src }).err(), Some(Error::INVAL));
        assert_eq!(ProgLinfo::new(&Source::default()).err(), Some(Error::INVAL));
    }
}
