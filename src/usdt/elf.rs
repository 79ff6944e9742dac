//! The parts of a traced binary (executable or shared library) that USDT
//! attachment needs: the ELF header checks, sections by name, the
//! `PT_LOAD` segments that turn virtual addresses into file offsets.
//!
//! The file is read through [`Source`] (positioned reads), never mapped or
//! read whole: only the headers and the note section are fetched. Every
//! offset and count read from the file is checked; a malformed binary is
//! an error, never a panic.

use crate::error::{Error, Result};

/// Positioned reads of the binary.
pub trait Source {
    /// Fills `buf` from offset `off`; false when the file is shorter.
    fn read_at(&self, off: u64, buf: &mut [u8]) -> bool;
    /// The file's size in bytes.
    fn size(&self) -> u64;
}

impl Source for [u8] {
    fn read_at(&self, off: u64, buf: &mut [u8]) -> bool {
        let Ok(off) = usize::try_from(off) else { return false };
        match off.checked_add(buf.len()).and_then(|end| self.get(off..end)) {
            Some(src) => {
                buf.copy_from_slice(src);
                true
            }
            None => false,
        }
    }

    fn size(&self) -> u64 {
        self.len() as u64
    }
}

pub const ET_EXEC: u16 = 2;
pub const ET_DYN: u16 = 3;
pub const SHT_NOTE: u32 = 7;
const SHT_NOBITS: u32 = 8;
const PT_LOAD: u32 = 1;
const PF_X: u32 = 1;
const SHN_XINDEX: u16 = 0xffff;
const EHDR_SIZE: usize = 64;
const SHDR_SIZE: usize = 64;
const PHDR_SIZE: usize = 56;
/// Sections or segments beyond this are refused (libelf would need
/// gigabytes of headers for them).
const MAX_HEADERS: u64 = 1 << 20;

/// The fields of the ELF header that matter here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub e_type: u16,
    phoff: u64,
    shoff: u64,
    phentsize: u16,
    phnum: u16,
    shentsize: u16,
    shnum: u16,
    shstrndx: u16,
}

/// A section header.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shdr {
    pub name: u32,
    pub sh_type: u32,
    pub addr: u64,
    pub offset: u64,
    pub size: u64,
    pub link: u32,
    pub addralign: u64,
}

/// A loadable segment: `[start, end)` in virtual addresses, mapped from
/// file offset `offset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub start: u64,
    pub end: u64,
    pub offset: u64,
    pub is_exec: bool,
}

fn u16_at(b: &[u8], o: usize) -> u16 {
    u16::from_le_bytes([b[o], b[o + 1]])
}
fn u32_at(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes(b[o..o + 4].try_into().unwrap_or_default())
}
fn u64_at(b: &[u8], o: usize) -> u64 {
    u64::from_le_bytes(b[o..o + 8].try_into().unwrap_or_default())
}

/// Checks that `path` is a 64-bit little-endian executable or shared
/// library and returns its header. `EBADF` (with a warning) for anything
/// else; `EINVAL` when the header is truncated.
pub fn check_header(src: &(impl Source + ?Sized), path: &str) -> Result<Header> {
    let mut ident = [0u8; 16];
    let have_ident = src.read_at(0, &mut ident);
    if !have_ident || &ident[..4] != b"\x7fELF" {
        // libelf's kinds: ELF_K_AR (1) for archives, ELF_K_NONE (0) otherwise.
        let mut ar = [0u8; 8];
        let kind = u32::from(src.read_at(0, &mut ar) && &ar == b"!<arch>\n");
        crate::pr_warn!("usdt: unrecognized ELF kind {kind} for '{path}'");
        return Err(Error::BAD_FD);
    }
    match ident[4] {
        2 => {}
        1 => {
            crate::pr_warn!("usdt: attaching to 32-bit ELF binary '{path}' is not supported");
            return Err(Error::BAD_FD);
        }
        _ => {
            crate::pr_warn!("usdt: unsupported ELF class for '{path}'");
            return Err(Error::BAD_FD);
        }
    }
    let mut b = [0u8; EHDR_SIZE];
    if !src.read_at(0, &mut b) {
        return Err(Error::INVAL);
    }
    let e_type = u16_at(&b, 16);
    if e_type != ET_EXEC && e_type != ET_DYN {
        crate::pr_warn!("usdt: unsupported type of ELF binary '{path}' ({e_type}), only ET_EXEC and ET_DYN are supported");
        return Err(Error::BAD_FD);
    }
    if ident[5] != 1 {
        crate::pr_warn!("usdt: ELF endianness mismatch for '{path}'");
        return Err(Error::BAD_FD);
    }
    Ok(Header {
        e_type,
        phoff: u64_at(&b, 32),
        shoff: u64_at(&b, 40),
        phentsize: u16_at(&b, 54),
        phnum: u16_at(&b, 56),
        shentsize: u16_at(&b, 58),
        shnum: u16_at(&b, 60),
        shstrndx: u16_at(&b, 62),
    })
}

fn read_shdr(src: &(impl Source + ?Sized), h: &Header, idx: u64) -> Option<Shdr> {
    if usize::from(h.shentsize) < SHDR_SIZE {
        return None;
    }
    let off = h.shoff.checked_add(idx.checked_mul(u64::from(h.shentsize))?)?;
    let mut b = [0u8; SHDR_SIZE];
    if !src.read_at(off, &mut b) {
        return None;
    }
    Some(Shdr {
        name: u32_at(&b, 0),
        sh_type: u32_at(&b, 4),
        addr: u64_at(&b, 16),
        offset: u64_at(&b, 24),
        size: u64_at(&b, 32),
        link: u32_at(&b, 40),
        addralign: u64_at(&b, 48),
    })
}

/// The bytes of a section, or None when they lie outside the file
/// (`SHT_NOBITS` sections have none).
pub fn section_data(src: &(impl Source + ?Sized), s: &Shdr) -> Option<Vec<u8>> {
    if s.sh_type == SHT_NOBITS {
        return Some(Vec::new());
    }
    if s.offset.checked_add(s.size)? > src.size() {
        return None;
    }
    let mut v = vec![0u8; usize::try_from(s.size).ok()?];
    src.read_at(s.offset, &mut v).then_some(v)
}

/// The section named `name`: `Ok(None)` when there is none, `EINVAL` when
/// the section table or its string table is unreadable.
pub fn find_section(src: &(impl Source + ?Sized), h: &Header, name: &[u8]) -> Result<Option<Shdr>> {
    // Extended numbering: counts that do not fit the header live in section 0.
    let first = if h.shoff != 0 { read_shdr(src, h, 0) } else { None };
    let shnum = match (h.shnum, first) {
        (0, Some(s0)) => s0.size,
        (0, None) => 0,
        (n, _) => u64::from(n),
    };
    let shstrndx = match (h.shstrndx, first) {
        (SHN_XINDEX, Some(s0)) => u64::from(s0.link),
        (SHN_XINDEX, None) => return Err(Error::INVAL),
        (n, _) => u64::from(n),
    };
    if shnum > MAX_HEADERS || shstrndx >= shnum.max(1) {
        return Err(Error::INVAL);
    }
    let strtab = read_shdr(src, h, shstrndx).ok_or(Error::INVAL)?;
    let strs = section_data(src, &strtab).filter(|d| !d.is_empty()).ok_or(Error::INVAL)?;
    for i in 1..shnum {
        let s = read_shdr(src, h, i).ok_or(Error::INVAL)?;
        let Some(tail) = strs.get(s.name as usize..) else { continue };
        let end = tail.iter().position(|&c| c == 0).unwrap_or(tail.len());
        if &tail[..end] == name {
            return Ok(Some(s));
        }
    }
    Ok(None)
}

/// The `PT_LOAD` segments, sorted by start address. `ESRCH` when there is
/// none; `EINVAL` when the program header table is unreadable.
pub fn load_segments(src: &(impl Source + ?Sized), h: &Header, path: &str) -> Result<Vec<Segment>> {
    let mut segs = Vec::new();
    if h.phnum != 0 && usize::from(h.phentsize) < PHDR_SIZE {
        return Err(Error::INVAL);
    }
    for i in 0..u64::from(h.phnum) {
        let off = h.phoff.checked_add(i * u64::from(h.phentsize)).ok_or(Error::INVAL)?;
        let mut b = [0u8; PHDR_SIZE];
        if !src.read_at(off, &mut b) {
            return Err(Error::INVAL);
        }
        let (p_type, p_flags, p_offset, p_vaddr, p_memsz) = (u32_at(&b, 0), u32_at(&b, 4), u64_at(&b, 8), u64_at(&b, 16), u64_at(&b, 40));
        crate::pr_debug!(
            "usdt: discovered PHDR #{i} in '{path}': vaddr 0x{p_vaddr:x} memsz 0x{p_memsz:x} offset 0x{p_offset:x} type 0x{p_type:x} flags 0x{p_flags:x}"
        );
        if p_type != PT_LOAD {
            continue;
        }
        segs.push(Segment { start: p_vaddr, end: p_vaddr.wrapping_add(p_memsz), offset: p_offset, is_exec: p_flags & PF_X != 0 });
    }
    if segs.is_empty() {
        crate::pr_warn!("usdt: failed to find PT_LOAD program headers in '{path}'");
        return Err(Error::new(libc::ESRCH));
    }
    segs.sort_by_key(|s| s.start as i64);
    Ok(segs)
}

/// The segment whose virtual range holds `addr`.
pub fn seg_by_addr(segs: &[Segment], addr: u64) -> Option<&Segment> {
    let a = addr as i64;
    segs.iter().find(|s| (s.start as i64) <= a && a < (s.end as i64))
}

/// The mapping (from `/proc/<pid>/maps`) whose file range holds `offset`.
pub fn seg_by_offset(segs: &[Segment], offset: u64) -> Option<&Segment> {
    let o = offset as i64;
    segs.iter().find(|s| {
        let len = s.end.wrapping_sub(s.start);
        (s.offset as i64) <= o && o < (s.offset.wrapping_add(len) as i64)
    })
}

#[cfg(test)]
pub(crate) mod testelf {
    //! A minimal ELF64 image builder for the unit tests.

    pub struct Sec {
        pub name: &'static str,
        pub sh_type: u32,
        pub addr: u64,
        pub data: Vec<u8>,
        pub align: u64,
    }

    /// (type, flags, vaddr, memsz, offset)
    pub type Phdr = (u32, u32, u64, u64, u64);

    pub fn build(e_type: u16, phdrs: &[Phdr], secs: &[Sec]) -> Vec<u8> {
        let mut shstr = vec![0u8];
        let mut names = Vec::new();
        for s in secs.iter().map(|s| s.name).chain([".shstrtab"]) {
            names.push(shstr.len() as u32);
            shstr.extend_from_slice(s.as_bytes());
            shstr.push(0);
        }
        let phoff = 64u64;
        let mut out = vec![0u8; 64 + phdrs.len() * 56];
        let mut offs = Vec::new();
        for s in secs {
            while out.len() % 8 != 0 {
                out.push(0);
            }
            offs.push(out.len() as u64);
            out.extend_from_slice(&s.data);
        }
        let shstr_off = out.len() as u64;
        out.extend_from_slice(&shstr);
        while out.len() % 8 != 0 {
            out.push(0);
        }
        let shoff = out.len() as u64;
        out.extend_from_slice(&[0u8; 64]);
        let mut sh = |name: u32, t: u32, addr: u64, off: u64, size: u64, align: u64| {
            let mut b = [0u8; 64];
            b[0..4].copy_from_slice(&name.to_le_bytes());
            b[4..8].copy_from_slice(&t.to_le_bytes());
            b[16..24].copy_from_slice(&addr.to_le_bytes());
            b[24..32].copy_from_slice(&off.to_le_bytes());
            b[32..40].copy_from_slice(&size.to_le_bytes());
            b[48..56].copy_from_slice(&align.to_le_bytes());
            out.extend_from_slice(&b);
        };
        for (i, s) in secs.iter().enumerate() {
            sh(names[i], s.sh_type, s.addr, offs[i], s.data.len() as u64, s.align);
        }
        sh(names[secs.len()], 3, 0, shstr_off, shstr.len() as u64, 1);
        out[0..4].copy_from_slice(b"\x7fELF");
        out[4] = 2;
        out[5] = 1;
        out[6] = 1;
        out[16..18].copy_from_slice(&e_type.to_le_bytes());
        out[18..20].copy_from_slice(&62u16.to_le_bytes());
        out[32..40].copy_from_slice(&phoff.to_le_bytes());
        out[40..48].copy_from_slice(&shoff.to_le_bytes());
        out[52..54].copy_from_slice(&64u16.to_le_bytes());
        out[54..56].copy_from_slice(&56u16.to_le_bytes());
        out[56..58].copy_from_slice(&(phdrs.len() as u16).to_le_bytes());
        out[58..60].copy_from_slice(&64u16.to_le_bytes());
        out[60..62].copy_from_slice(&((secs.len() + 2) as u16).to_le_bytes());
        out[62..64].copy_from_slice(&((secs.len() + 1) as u16).to_le_bytes());
        for (i, p) in phdrs.iter().enumerate() {
            let o = 64 + i * 56;
            out[o..o + 4].copy_from_slice(&p.0.to_le_bytes());
            out[o + 4..o + 8].copy_from_slice(&p.1.to_le_bytes());
            out[o + 8..o + 16].copy_from_slice(&p.4.to_le_bytes());
            out[o + 16..o + 24].copy_from_slice(&p.2.to_le_bytes());
            out[o + 40..o + 48].copy_from_slice(&p.3.to_le_bytes());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::testelf::*;
    use super::*;

    fn sample() -> Vec<u8> {
        build(
            ET_DYN,
            &[(1, 4, 0, 0x5e0, 0), (1, 5, 0x1000, 0x185, 0x1000), (6, 4, 0x40, 0x100, 0x40), (1, 6, 0x3e00, 0x218, 0x2e00)],
            &[
                Sec { name: ".text", sh_type: 1, addr: 0x1000, data: vec![0x90; 16], align: 16 },
                Sec { name: ".stapsdt.base", sh_type: 1, addr: 0x2004, data: vec![0], align: 1 },
                Sec { name: ".note.stapsdt", sh_type: SHT_NOTE, addr: 0, data: vec![1, 2, 3, 4], align: 4 },
            ],
        )
    }

    #[test]
    fn header_sections_segments() {
        let img = sample();
        let h = check_header(&img[..], "x").unwrap();
        assert_eq!(h.e_type, ET_DYN);
        let n = find_section(&img[..], &h, b".note.stapsdt").unwrap().unwrap();
        assert_eq!(n.sh_type, SHT_NOTE);
        assert_eq!(section_data(&img[..], &n).unwrap(), vec![1, 2, 3, 4]);
        assert_eq!(find_section(&img[..], &h, b".stapsdt.base").unwrap().unwrap().addr, 0x2004);
        assert_eq!(find_section(&img[..], &h, b".probes").unwrap(), None);
        let segs = load_segments(&img[..], &h, "x").unwrap();
        assert_eq!(segs.len(), 3);
        assert_eq!(segs[1], Segment { start: 0x1000, end: 0x1185, offset: 0x1000, is_exec: true });
        assert_eq!(seg_by_addr(&segs, 0x1160).unwrap().start, 0x1000);
        assert_eq!(seg_by_addr(&segs, 0x1185), None);
        assert!(!seg_by_addr(&segs, 0x4000).unwrap().is_exec);
        let vma = [Segment { start: 0x7f00_0000_1000, end: 0x7f00_0000_2000, offset: 0x1000, is_exec: true }];
        assert_eq!(seg_by_offset(&vma, 0x1160).unwrap().start, 0x7f00_0000_1000);
        assert_eq!(seg_by_offset(&vma, 0x2000), None);
    }

    #[test]
    fn refusals() {
        let img = sample();
        assert_eq!(check_header(&b"hello world, not an ELF file at all..."[..], "x"), Err(Error::BAD_FD));
        assert_eq!(check_header(&b"!<arch>\nxxxxxxxx"[..], "x"), Err(Error::BAD_FD));
        assert_eq!(check_header(&b""[..], "x"), Err(Error::BAD_FD));
        let mut c32 = img.clone();
        c32[4] = 1;
        assert_eq!(check_header(&c32[..], "x"), Err(Error::BAD_FD));
        let mut be = img.clone();
        be[5] = 2;
        assert_eq!(check_header(&be[..], "x"), Err(Error::BAD_FD));
        let mut rel = img.clone();
        rel[16] = 1;
        assert_eq!(check_header(&rel[..], "x"), Err(Error::BAD_FD));
        assert_eq!(check_header(&img[..40], "x"), Err(Error::INVAL));
        // No PT_LOAD.
        let h = check_header(&img[..], "x").unwrap();
        let nol = build(ET_EXEC, &[(6, 4, 0, 0, 0)], &[]);
        assert_eq!(load_segments(&nol[..], &check_header(&nol[..], "x").unwrap(), "x"), Err(Error::new(libc::ESRCH)));
        // Broken section table.
        let mut bad = img.clone();
        bad[62] = 200; // shstrndx out of range
        assert_eq!(find_section(&bad[..], &check_header(&bad[..], "x").unwrap(), b".text"), Err(Error::INVAL));
        let _ = h;
    }

    #[test]
    fn every_truncation_and_corruption_is_safe() {
        let img = sample();
        for cut in 0..img.len() {
            let b = &img[..cut];
            if let Ok(h) = check_header(b, "x") {
                let _ = find_section(b, &h, b".note.stapsdt");
                let _ = load_segments(b, &h, "x");
            }
        }
        for i in 0..img.len() {
            for v in [0u8, 0xff, 0x80] {
                let mut b = img.clone();
                b[i] = v;
                if let Ok(h) = check_header(&b[..], "x") {
                    if let Ok(Some(s)) = find_section(&b[..], &h, b".note.stapsdt") {
                        let _ = section_data(&b[..], &s);
                    }
                    let _ = load_segments(&b[..], &h, "x");
                }
            }
        }
    }
}
