//! `.BTF.ext`: per-ELF-section function info, line info and CO-RE
//! relocation records.
//!
//! Layout: a header (`btf_ext_header`, 24 or 32 bytes or longer), then for
//! each kind of info a subsection: a `u32` record size, then for each ELF
//! section a `btf_ext_info_sec` (name offset, record count) followed by its
//! records. Record sizes may exceed what this library knows (newer
//! compilers append fields); records are kept whole and passed on as they
//! are. Everything is bounds-checked at parse time. Data in the other byte
//! order is converted to native on parse (then its records must have the
//! known sizes) and converted back by [`BtfExt::raw_data`].

use std::sync::OnceLock;

use crate::error::{Error, Result};
use crate::uapi::btf::*;

/// Smallest `func_info` record: `insn_off`, `type_id`.
pub const FUNC_INFO_MIN: u32 = 8;
/// Smallest `line_info` record: `insn_off`, `file_name_off`, `line_off`, `line_col`.
pub const LINE_INFO_MIN: u32 = 16;
/// Smallest CO-RE relocation record (`struct bpf_core_relo`).
pub const CORE_RELO_MIN: u32 = 16;

const EXT_HDR_MIN: usize = 8; // magic, version, flags, hdr_len
const EXT_HDR_LINE_END: u32 = 24; // through line_info_len
const EXT_HDR_CORE_END: u32 = 32; // through core_relo_len

/// One kind of info (func, line or CO-RE): where it is and its record size.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExtInfo {
    /// Byte range of the per-section data (after the record size word).
    range: core::ops::Range<usize>,
    /// Record size in bytes (0 when the subsection is absent).
    pub rec_size: u32,
    /// Number of ELF sections described.
    pub sec_cnt: usize,
}

/// The records of one ELF section.
#[derive(Clone, Copy, Debug)]
pub struct InfoSec<'a> {
    /// String offset (in the object's `.BTF`) of the ELF section name.
    pub sec_name_off: u32,
    /// Record size in bytes.
    pub rec_size: u32,
    /// `num_info * rec_size` bytes of records.
    pub data: &'a [u8],
}

impl<'a> InfoSec<'a> {
    /// Number of records.
    pub fn len(&self) -> usize {
        self.data.len() / self.rec_size.max(1) as usize
    }

    /// Whether there are no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each record's bytes (`rec_size` each).
    pub fn records(&self) -> impl ExactSizeIterator<Item = &'a [u8]> + 'a {
        self.data.chunks_exact(self.rec_size.max(1) as usize)
    }

    /// Each record's first `n` words (the fields this library knows).
    fn words<const N: usize>(&self) -> impl Iterator<Item = [u32; N]> + 'a {
        self.records().map(|r| core::array::from_fn(|i| rd32(r, i * 4)))
    }

    /// Records as `bpf_func_info` (`insn_off` in bytes, as on disk).
    pub fn func_infos(&self) -> impl Iterator<Item = crate::uapi::bpf_func_info> + 'a {
        self.words::<2>().map(|w| crate::uapi::bpf_func_info { insn_off: w[0], type_id: w[1] })
    }

    /// Records as `bpf_line_info`.
    pub fn line_infos(&self) -> impl Iterator<Item = crate::uapi::bpf_line_info> + 'a {
        self.words::<4>()
            .map(|w| crate::uapi::bpf_line_info { insn_off: w[0], file_name_off: w[1], line_off: w[2], line_col: w[3] })
    }

    /// Records as `bpf_core_relo`.
    pub fn core_relos(&self) -> impl Iterator<Item = bpf_core_relo> + 'a {
        self.words::<4>().map(|w| bpf_core_relo { insn_off: w[0], type_id: w[1], access_str_off: w[2], kind: w[3] })
    }
}

fn rd32(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4).map_or(0, |s| u32::from_ne_bytes([s[0], s[1], s[2], s[3]]))
}

/// Parsed `.BTF.ext` data (native byte order in memory).
pub struct BtfExt {
    /// The whole section, native order.
    data: Vec<u8>,
    hdr_len: u32,
    pub func_info: ExtInfo,
    pub line_info: ExtInfo,
    pub core_relo_info: ExtInfo,
    /// Whether the output byte order is the non-native one.
    swapped: bool,
    /// The data in the other byte order, built on demand.
    swapped_data: OnceLock<Vec<u8>>,
}

impl BtfExt {
    /// Parses a copy of `data`. `EINVAL` for anything malformed (short or
    /// bad header, subsections out of bounds or misaligned, record sizes too
    /// small or unaligned, empty or overlong sections); `EOPNOTSUPP` for an
    /// unknown version or flags, or foreign-order records of unknown size.
    pub fn parse(data: &[u8]) -> Result<BtfExt> {
        if data.len() < EXT_HDR_MIN {
            pr_debug!("BTF.ext header too short");
            return Err(Error::INVAL);
        }
        let magic = u16::from_ne_bytes([data[0], data[1]]);
        let swapped = if magic == BTF_MAGIC {
            false
        } else if magic == BTF_MAGIC.swap_bytes() {
            true
        } else {
            pr_debug!("Invalid BTF.ext magic:{magic:x}");
            return Err(Error::INVAL);
        };
        if data[2] != BTF_VERSION {
            pr_debug!("Unsupported BTF.ext version:{}", data[2]);
            return Err(Error::NOT_SUPPORTED);
        }
        if data[3] != 0 {
            pr_debug!("Unsupported BTF.ext flags:{:x}", data[3]);
            return Err(Error::NOT_SUPPORTED);
        }
        let word = |at: usize| if swapped { rd32(data, at).swap_bytes() } else { rd32(data, at) };
        let hdr_len = word(4);
        if data.len() < hdr_len as usize {
            pr_debug!("BTF.ext header not found");
            return Err(Error::INVAL);
        }
        if data.len() == hdr_len as usize {
            pr_debug!("BTF.ext has no data");
            return Err(Error::INVAL);
        }
        if hdr_len < EXT_HDR_LINE_END {
            pr_warn!("BTF.ext header missing func_info, line_info");
            return Err(Error::INVAL);
        }
        let mut ext = BtfExt {
            data: data.to_vec(),
            hdr_len,
            func_info: ExtInfo::default(),
            line_info: ExtInfo::default(),
            core_relo_info: ExtInfo::default(),
            swapped,
            swapped_data: OnceLock::new(),
        };
        if swapped {
            ext.swap_header();
        }
        let h: [u32; 6] = core::array::from_fn(|i| rd32(&ext.data, 8 + i * 4));
        ext.func_info = ext.parse_info(h[0], h[1], FUNC_INFO_MIN, "func_info")?;
        ext.line_info = ext.parse_info(h[2], h[3], LINE_INFO_MIN, "line_info")?;
        if hdr_len >= EXT_HDR_CORE_END {
            ext.core_relo_info = ext.parse_info(h[4], h[5], CORE_RELO_MIN, "core_relo")?;
        }
        if swapped {
            let infos = [ext.func_info.clone(), ext.line_info.clone(), ext.core_relo_info.clone()];
            for info in &infos {
                swap_info(&mut ext.data, info, false);
            }
        }
        Ok(ext)
    }

    /// Checks one subsection (`off`/`len` from the header) and finds its
    /// sections. With foreign-order data, record sizes and counts are read
    /// swapped (the records themselves are swapped afterwards).
    fn parse_info(&self, off: u32, len: u32, min_rec: u32, what: &str) -> Result<ExtInfo> {
        if len == 0 {
            return Ok(ExtInfo::default());
        }
        if off % 4 != 0 {
            pr_debug!(".BTF.ext {what} section is not aligned to 4 bytes");
            return Err(Error::INVAL);
        }
        let start = self.hdr_len as u64 + off as u64;
        let end = start + len as u64;
        if end > self.data.len() as u64 {
            pr_debug!("{what} section (off:{off} len:{len}) is beyond the end of the ELF section .BTF.ext");
            return Err(Error::INVAL);
        }
        let (start, end) = (start as usize, end as usize);
        let sw = self.swapped;
        let word = |d: &[u8], at: usize| if sw { rd32(d, at).swap_bytes() } else { rd32(d, at) };
        if len < 4 {
            pr_debug!(".BTF.ext {what} record size not found");
            return Err(Error::INVAL);
        }
        let rec_size = word(&self.data, start);
        if rec_size < min_rec || rec_size % 4 != 0 {
            pr_debug!("{what} section in .BTF.ext has invalid record size {rec_size}");
            return Err(Error::INVAL);
        }
        if sw && rec_size != min_rec {
            pr_warn!("{what} section in .BTF.ext has record size {rec_size}, unsupported in non-native byte order");
            return Err(Error::NOT_SUPPORTED);
        }
        let mut at = start + 4;
        if at == end {
            pr_debug!("{what} section in .BTF.ext has no records");
            return Err(Error::INVAL);
        }
        let mut sec_cnt = 0;
        while at < end {
            if end - at < 8 {
                pr_debug!("{what} section header is not found in .BTF.ext");
                return Err(Error::INVAL);
            }
            let num = word(&self.data, at + 4);
            if num == 0 {
                pr_debug!("{what} section has incorrect num_records in .BTF.ext");
                return Err(Error::INVAL);
            }
            let total = 8 + num as u64 * rec_size as u64;
            if ((end - at) as u64) < total {
                pr_debug!("{what} section has incorrect num_records in .BTF.ext");
                return Err(Error::INVAL);
            }
            at += total as usize;
            sec_cnt += 1;
        }
        Ok(ExtInfo { range: start + 4..end, rec_size, sec_cnt })
    }

    fn swap_header(&mut self) {
        let n = (self.hdr_len as usize).min(EXT_HDR_CORE_END as usize);
        swap_u16(&mut self.data, 0);
        for at in (4..n).step_by(4) {
            swap_u32(&mut self.data, at);
        }
    }

    /// The sections of one kind of info.
    fn sections<'a>(&'a self, info: &ExtInfo) -> impl Iterator<Item = InfoSec<'a>> + 'a {
        let data = self.data.get(info.range.clone()).unwrap_or(&[]);
        let rec_size = info.rec_size;
        let mut at = 0usize;
        core::iter::from_fn(move || {
            if at + 8 > data.len() || rec_size == 0 {
                return None;
            }
            let name = rd32(data, at);
            let n = rd32(data, at + 4) as usize * rec_size as usize;
            let recs = data.get(at + 8..at + 8 + n)?;
            at += 8 + n;
            Some(InfoSec { sec_name_off: name, rec_size, data: recs })
        })
    }

    /// Function info, per ELF section.
    pub fn func_info_sections(&self) -> impl Iterator<Item = InfoSec<'_>> + '_ {
        self.sections(&self.func_info)
    }

    /// Line info, per ELF section.
    pub fn line_info_sections(&self) -> impl Iterator<Item = InfoSec<'_>> + '_ {
        self.sections(&self.line_info)
    }

    /// CO-RE relocations, per ELF section.
    pub fn core_relo_sections(&self) -> impl Iterator<Item = InfoSec<'_>> + '_ {
        self.sections(&self.core_relo_info)
    }

    /// Byte offsets (into the native data) of the record fields holding a
    /// type id of the BTF: `type_id` of each func info and CO-RE relocation
    /// record, in section order (the order libbpf visits them).
    pub(crate) fn type_id_fields(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for info in [&self.func_info, &self.core_relo_info] {
            self.each_section(info, |_, recs, rec_size| {
                out.extend((recs.clone()).step_by(rec_size).map(|r| r + 4));
            });
        }
        out
    }

    /// Byte offsets (into the native data) of every field holding a string
    /// offset of the BTF, in libbpf's visiting order: func info section
    /// names; line info section names, each followed by its records' file
    /// and line offsets; CO-RE section names, each followed by its records'
    /// access strings.
    pub(crate) fn str_off_fields(&self) -> Vec<usize> {
        let mut out = Vec::new();
        self.each_section(&self.func_info, |name, _, _| out.push(name));
        self.each_section(&self.line_info, |name, recs, rec_size| {
            out.push(name);
            for r in recs.step_by(rec_size) {
                out.extend([r + 4, r + 8]);
            }
        });
        self.each_section(&self.core_relo_info, |name, recs, rec_size| {
            out.push(name);
            out.extend(recs.step_by(rec_size).map(|r| r + 8));
        });
        out
    }

    /// Calls `f(name_field, record_byte_range, rec_size)` for each section
    /// of one kind of info (offsets into the native data).
    fn each_section(&self, info: &ExtInfo, mut f: impl FnMut(usize, core::ops::Range<usize>, usize)) {
        let rec_size = info.rec_size as usize;
        if rec_size == 0 {
            return;
        }
        let (start, end) = (info.range.start, info.range.end.min(self.data.len()));
        let mut at = start;
        while at + 8 <= end {
            let n = rd32(&self.data, at + 4) as usize * rec_size;
            let recs = at + 8..(at + 8 + n).min(end);
            f(at, recs, rec_size);
            at += 8 + n;
        }
    }

    /// The native word at byte offset `at` (0 when out of range).
    pub(crate) fn word_at(&self, at: usize) -> u32 {
        rd32(&self.data, at)
    }

    /// Overwrites native words: `(byte offset, value)` pairs (offsets out of
    /// range are ignored); drops the cached other-order copy.
    pub(crate) fn set_words(&mut self, words: impl IntoIterator<Item = (usize, u32)>) {
        for (at, v) in words {
            if let Some(s) = self.data.get_mut(at..at + 4) {
                s.copy_from_slice(&v.to_ne_bytes());
            }
        }
        if self.swapped_data.get().is_some() {
            self.swapped_data = OnceLock::new();
        }
    }

    /// The section bytes in the output byte order.
    pub fn raw_data(&self) -> &[u8] {
        if !self.swapped {
            return &self.data;
        }
        self.swapped_data.get_or_init(|| {
            let mut out = self.data.clone();
            for info in [&self.func_info, &self.line_info, &self.core_relo_info] {
                swap_info(&mut out, info, true);
            }
            let n = (self.hdr_len as usize).min(EXT_HDR_CORE_END as usize);
            swap_u16(&mut out, 0);
            for at in (4..n).step_by(4) {
                swap_u32(&mut out, at);
            }
            out
        })
    }

    /// The section bytes in native byte order.
    pub fn raw_data_native(&self) -> &[u8] {
        &self.data
    }

    /// Whether the output byte order is big endian.
    pub fn is_big_endian(&self) -> bool {
        cfg!(target_endian = "big") != self.swapped
    }

    /// Chooses the output byte order of [`BtfExt::raw_data`].
    pub fn set_big_endian(&mut self, big: bool) {
        self.swapped = cfg!(target_endian = "big") != big;
        if !self.swapped {
            self.swapped_data = OnceLock::new();
        }
    }
}

fn swap_u32(d: &mut [u8], at: usize) {
    if let Some(s) = d.get_mut(at..at + 4) {
        s.reverse();
    }
}

fn swap_u16(d: &mut [u8], at: usize) {
    if let Some(s) = d.get_mut(at..at + 2) {
        s.reverse();
    }
}

/// Swaps one subsection in place: record size, section headers and every
/// record word. `from_native` tells which order the counts are in now.
fn swap_info(d: &mut [u8], info: &ExtInfo, from_native: bool) {
    if info.rec_size == 0 {
        return;
    }
    let (start, end) = (info.range.start, info.range.end);
    swap_u32(d, start - 4);
    let mut at = start;
    while at + 8 <= end {
        let raw = rd32(d, at + 4);
        let num = if from_native { raw } else { raw.swap_bytes() };
        swap_u32(d, at);
        swap_u32(d, at + 4);
        let n = num as usize * info.rec_size as usize;
        let stop = (at + 8 + n).min(end);
        for w in (at + 8..stop).step_by(4) {
            swap_u32(d, w);
        }
        at += 8 + n;
    }
}
