//! ELF64 records in either byte order, and the writer of the linked object.
//!
//! Reading decodes the file header, section headers, symbols and `Elf64_Rel`
//! entries from bytes (every access bounds-checked by the caller through
//! `get`); writing lays out sections the way libelf does when it chooses the
//! layout itself: the file header at 0, then each section's bytes in
//! section-index order at its alignment (`SHT_NOBITS` take no room), then
//! the section header table, 8-byte aligned.

use crate::error::{Error, Result};

pub const EHDR_SIZE: usize = 64;
pub const SHDR_SIZE: usize = 64;
pub const SYM_SIZE: usize = 24;
pub const REL_SIZE: usize = 16;

pub const ELFCLASS64: u8 = 2;
pub const ELFDATA2LSB: u8 = 1;
pub const ELFDATA2MSB: u8 = 2;
pub const EV_CURRENT: u8 = 1;
pub const ET_REL: u16 = 1;
pub const EM_BPF: u16 = 247;

pub const SHT_PROGBITS: u32 = 1;
pub const SHT_SYMTAB: u32 = 2;
pub const SHT_STRTAB: u32 = 3;
pub const SHT_NOBITS: u32 = 8;
pub const SHT_REL: u32 = 9;
pub const SHT_LLVM_ADDRSIG: u32 = 0x6fff_4c03;
pub const SHF_STRINGS: u64 = 0x20;
pub const SHF_EXECINSTR: u64 = 0x4;

pub const SHN_UNDEF: u16 = 0;
pub const SHN_LORESERVE: u16 = 0xff00;
pub const SHN_XINDEX: u16 = 0xffff;

pub const STB_LOCAL: u8 = 0;
pub const STB_GLOBAL: u8 = 1;
pub const STB_WEAK: u8 = 2;
pub const STT_NOTYPE: u8 = 0;
pub const STT_OBJECT: u8 = 1;
pub const STT_SECTION: u8 = 3;
pub const STV_DEFAULT: u8 = 0;
pub const STV_HIDDEN: u8 = 2;

pub const R_BPF_64_64: u32 = 1;
pub const R_BPF_64_ABS64: u32 = 2;
pub const R_BPF_64_ABS32: u32 = 3;
pub const R_BPF_64_32: u32 = 10;

/// A byte order: little (`false`) or big (`true`) endian.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Order {
    pub big: bool,
}

impl Order {
    pub fn u16(self, b: &[u8], at: usize) -> u16 {
        let v = [b[at], b[at + 1]];
        if self.big { u16::from_be_bytes(v) } else { u16::from_le_bytes(v) }
    }
    pub fn u32(self, b: &[u8], at: usize) -> u32 {
        let v = [b[at], b[at + 1], b[at + 2], b[at + 3]];
        if self.big { u32::from_be_bytes(v) } else { u32::from_le_bytes(v) }
    }
    pub fn u64(self, b: &[u8], at: usize) -> u64 {
        let mut v = [0u8; 8];
        v.copy_from_slice(&b[at..at + 8]);
        if self.big { u64::from_be_bytes(v) } else { u64::from_le_bytes(v) }
    }
    pub fn put16(self, out: &mut Vec<u8>, v: u16) {
        out.extend_from_slice(&if self.big { v.to_be_bytes() } else { v.to_le_bytes() });
    }
    pub fn put32(self, out: &mut Vec<u8>, v: u32) {
        out.extend_from_slice(&if self.big { v.to_be_bytes() } else { v.to_le_bytes() });
    }
    pub fn put64(self, out: &mut Vec<u8>, v: u64) {
        out.extend_from_slice(&if self.big { v.to_be_bytes() } else { v.to_le_bytes() });
    }
    /// Overwrites the 4 bytes at `at` with `v`.
    pub fn set32(self, b: &mut [u8], at: usize, v: u32) {
        b[at..at + 4].copy_from_slice(&if self.big { v.to_be_bytes() } else { v.to_le_bytes() });
    }
    /// Overwrites the 8 bytes at `at` with `v`.
    pub fn set64(self, b: &mut [u8], at: usize, v: u64) {
        b[at..at + 8].copy_from_slice(&if self.big { v.to_be_bytes() } else { v.to_le_bytes() });
    }
}

/// The fields of the file header the linker reads.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ehdr {
    pub e_type: u16,
    pub e_machine: u16,
    pub e_shoff: u64,
    pub e_shentsize: u16,
    pub e_shnum: u16,
    pub e_shstrndx: u16,
}

impl Ehdr {
    /// Decodes the header of a 64-bit file (`bytes` holds at least 64 bytes).
    pub fn decode(o: Order, b: &[u8]) -> Ehdr {
        Ehdr {
            e_type: o.u16(b, 16),
            e_machine: o.u16(b, 18),
            e_shoff: o.u64(b, 40),
            e_shentsize: o.u16(b, 58),
            e_shnum: o.u16(b, 60),
            e_shstrndx: o.u16(b, 62),
        }
    }
}

/// A section header.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shdr {
    pub sh_name: u32,
    pub sh_type: u32,
    pub sh_flags: u64,
    pub sh_addr: u64,
    pub sh_offset: u64,
    pub sh_size: u64,
    pub sh_link: u32,
    pub sh_info: u32,
    pub sh_addralign: u64,
    pub sh_entsize: u64,
}

impl Shdr {
    pub fn decode(o: Order, b: &[u8]) -> Shdr {
        Shdr {
            sh_name: o.u32(b, 0),
            sh_type: o.u32(b, 4),
            sh_flags: o.u64(b, 8),
            sh_addr: o.u64(b, 16),
            sh_offset: o.u64(b, 24),
            sh_size: o.u64(b, 32),
            sh_link: o.u32(b, 40),
            sh_info: o.u32(b, 44),
            sh_addralign: o.u64(b, 48),
            sh_entsize: o.u64(b, 56),
        }
    }

    pub fn encode(&self, o: Order, out: &mut Vec<u8>) {
        o.put32(out, self.sh_name);
        o.put32(out, self.sh_type);
        o.put64(out, self.sh_flags);
        o.put64(out, self.sh_addr);
        o.put64(out, self.sh_offset);
        o.put64(out, self.sh_size);
        o.put32(out, self.sh_link);
        o.put32(out, self.sh_info);
        o.put64(out, self.sh_addralign);
        o.put64(out, self.sh_entsize);
    }
}

/// A symbol (`Elf64_Sym`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sym {
    pub st_name: u32,
    pub st_info: u8,
    pub st_other: u8,
    pub st_shndx: u16,
    pub st_value: u64,
    pub st_size: u64,
}

impl Sym {
    pub fn decode(o: Order, b: &[u8]) -> Sym {
        Sym {
            st_name: o.u32(b, 0),
            st_info: b[4],
            st_other: b[5],
            st_shndx: o.u16(b, 6),
            st_value: o.u64(b, 8),
            st_size: o.u64(b, 16),
        }
    }

    pub fn encode(&self, o: Order, out: &mut Vec<u8>) {
        o.put32(out, self.st_name);
        out.push(self.st_info);
        out.push(self.st_other);
        o.put16(out, self.st_shndx);
        o.put64(out, self.st_value);
        o.put64(out, self.st_size);
    }

    pub fn bind(&self) -> u8 {
        self.st_info >> 4
    }
    pub fn kind(&self) -> u8 {
        self.st_info & 0xf
    }
    pub fn visibility(&self) -> u8 {
        self.st_other & 0x3
    }
    pub fn set_bind(&mut self, bind: u8) {
        self.st_info = (bind << 4) | self.kind();
    }
    pub fn set_kind(&mut self, kind: u8) {
        self.st_info = (self.bind() << 4) | (kind & 0xf);
    }
    pub fn set_visibility(&mut self, vis: u8) {
        self.st_other = (self.st_other & !0x3) | (vis & 0x3);
    }
}

/// A relocation (`Elf64_Rel`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rel {
    pub r_offset: u64,
    pub r_info: u64,
}

impl Rel {
    pub fn decode(o: Order, b: &[u8]) -> Rel {
        Rel { r_offset: o.u64(b, 0), r_info: o.u64(b, 8) }
    }

    pub fn encode(&self, o: Order, out: &mut Vec<u8>) {
        o.put64(out, self.r_offset);
        o.put64(out, self.r_info);
    }

    pub fn sym(&self) -> usize {
        (self.r_info >> 32) as usize
    }
    pub fn kind(&self) -> u32 {
        self.r_info as u32
    }
    pub fn info(sym: usize, kind: u32) -> u64 {
        ((sym as u64) << 32) | kind as u64
    }
}

/// One section of the output file (index 0, the null section, is implicit).
#[derive(Clone, Debug, Default)]
pub struct OutSection {
    pub hdr: Shdr,
    /// The contents (ignored for `SHT_NOBITS`, whose `sh_size` is kept).
    pub data: Vec<u8>,
}

fn align_up(v: u64, align: u64) -> Result<u64> {
    let align = align.max(1);
    v.checked_add(align - 1).map(|x| x / align * align).ok_or(Error::TOO_BIG)
}

/// Serialises a relocatable BPF object: `sections[i]` becomes section
/// `i + 1`; `shstrndx` is the index of the section-name string table. Sizes
/// and offsets are computed here (`sh_size` from the data, except for
/// `SHT_NOBITS`).
pub fn write_object(o: Order, sections: &mut [OutSection], shstrndx: usize) -> Result<Vec<u8>> {
    let count = sections.len() + 1;
    let mut cur = EHDR_SIZE as u64;
    for s in sections.iter_mut() {
        if s.hdr.sh_type != SHT_NOBITS {
            s.hdr.sh_size = s.data.len() as u64;
        }
        let off = align_up(cur, s.hdr.sh_addralign)?;
        s.hdr.sh_offset = off;
        if s.hdr.sh_type != SHT_NOBITS {
            cur = off.checked_add(s.hdr.sh_size).ok_or(Error::TOO_BIG)?;
        } else {
            cur = off;
        }
    }
    let shoff = align_up(cur, 8)?;
    let total = shoff.checked_add((count * SHDR_SIZE) as u64).ok_or(Error::TOO_BIG)?;
    // Far beyond any BPF object: only hostile alignments get there.
    if total > i32::MAX as u64 {
        return Err(Error::TOO_BIG);
    }
    let total = usize::try_from(total)?;

    // Extended numbering when the counts do not fit the 16-bit fields.
    let big_count = count >= SHN_LORESERVE as usize;
    let big_strndx = shstrndx >= SHN_LORESERVE as usize;
    let mut null = Shdr::default();
    if big_count {
        null.sh_size = count as u64;
    }
    if big_strndx {
        null.sh_link = u32::try_from(shstrndx)?;
    }

    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(b"\x7fELF");
    out.push(ELFCLASS64);
    out.push(if o.big { ELFDATA2MSB } else { ELFDATA2LSB });
    out.push(EV_CURRENT);
    out.resize(16, 0);
    o.put16(&mut out, ET_REL);
    o.put16(&mut out, EM_BPF);
    o.put32(&mut out, EV_CURRENT as u32);
    o.put64(&mut out, 0); // e_entry
    o.put64(&mut out, 0); // e_phoff
    o.put64(&mut out, shoff);
    o.put32(&mut out, 0); // e_flags
    o.put16(&mut out, EHDR_SIZE as u16);
    o.put16(&mut out, 0); // e_phentsize
    o.put16(&mut out, 0); // e_phnum
    o.put16(&mut out, SHDR_SIZE as u16);
    o.put16(&mut out, if big_count { 0 } else { count as u16 });
    o.put16(&mut out, if big_strndx { SHN_XINDEX } else { shstrndx as u16 });

    for s in sections.iter() {
        if s.hdr.sh_type == SHT_NOBITS {
            continue;
        }
        out.resize(s.hdr.sh_offset as usize, 0);
        out.extend_from_slice(&s.data);
    }
    out.resize(shoff as usize, 0);
    null.encode(o, &mut out);
    for s in sections.iter() {
        s.hdr.encode(o, &mut out);
    }
    debug_assert_eq!(out.len(), total);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_in_both_orders() {
        for big in [false, true] {
            let o = Order { big };
            let sym = Sym { st_name: 7, st_info: 0x12, st_other: 2, st_shndx: 3, st_value: 0x1122, st_size: 9 };
            let mut b = Vec::new();
            sym.encode(o, &mut b);
            assert_eq!(b.len(), SYM_SIZE);
            assert_eq!(Sym::decode(o, &b), sym);
            assert_eq!((sym.bind(), sym.kind(), sym.visibility()), (1, 2, 2));
            let rel = Rel { r_offset: 0x40, r_info: Rel::info(5, R_BPF_64_32) };
            let mut b = Vec::new();
            rel.encode(o, &mut b);
            assert_eq!(b.len(), REL_SIZE);
            assert_eq!(Rel::decode(o, &b), rel);
            assert_eq!((rel.sym(), rel.kind()), (5, R_BPF_64_32));
            let sh = Shdr { sh_name: 1, sh_type: 2, sh_flags: 3, sh_size: 4, sh_link: 5, sh_info: 6, sh_addralign: 8, sh_entsize: 24, ..Default::default() };
            let mut b = Vec::new();
            sh.encode(o, &mut b);
            assert_eq!(b.len(), SHDR_SIZE);
            assert_eq!(Shdr::decode(o, &b), sh);
        }
    }

    #[test]
    fn symbol_field_setters() {
        let mut s = Sym { st_info: (STB_WEAK << 4) | STT_OBJECT, st_other: 0x10, ..Default::default() };
        s.set_bind(STB_GLOBAL);
        assert_eq!((s.bind(), s.kind()), (STB_GLOBAL, STT_OBJECT));
        s.set_kind(STT_NOTYPE);
        assert_eq!((s.bind(), s.kind()), (STB_GLOBAL, STT_NOTYPE));
        s.set_visibility(STV_HIDDEN);
        assert_eq!(s.st_other, 0x12);
    }

    #[test]
    fn layout_follows_libelf() {
        let o = Order { big: false };
        let mut secs = vec![
            OutSection { hdr: Shdr { sh_type: SHT_STRTAB, sh_addralign: 1, ..Default::default() }, data: b"\0.strtab\0".to_vec() },
            OutSection { hdr: Shdr { sh_type: SHT_PROGBITS, sh_addralign: 8, ..Default::default() }, data: vec![1; 16] },
            OutSection { hdr: Shdr { sh_type: SHT_NOBITS, sh_addralign: 8, sh_size: 64, ..Default::default() }, data: vec![] },
            OutSection { hdr: Shdr { sh_type: SHT_PROGBITS, sh_addralign: 4, ..Default::default() }, data: vec![2; 3] },
        ];
        let bytes = write_object(o, &mut secs, 1).unwrap();
        assert_eq!(secs[0].hdr.sh_offset, 64);
        assert_eq!(secs[1].hdr.sh_offset, 80); // 73 aligned to 8
        assert_eq!(secs[2].hdr.sh_offset, 96);
        assert_eq!(secs[2].hdr.sh_size, 64);
        assert_eq!(secs[3].hdr.sh_offset, 96); // NOBITS took no room
        let shoff = o.u64(&bytes, 40) as usize;
        assert_eq!(shoff, 104);
        assert_eq!(bytes.len(), shoff + 5 * SHDR_SIZE);
        let e = Ehdr::decode(o, &bytes);
        assert_eq!((e.e_type, e.e_machine, e.e_shnum, e.e_shstrndx), (ET_REL, EM_BPF, 5, 1));
        assert_eq!(&bytes[80..96], &[1; 16]);
        let sh = Shdr::decode(o, &bytes[shoff + 4 * SHDR_SIZE..]);
        assert_eq!((sh.sh_offset, sh.sh_size), (96, 3));
    }

    #[test]
    fn huge_layouts_are_refused() {
        let o = Order { big: false };
        let mut secs = vec![
            OutSection { hdr: Shdr { sh_type: SHT_STRTAB, sh_addralign: 1, ..Default::default() }, data: vec![0] },
            OutSection { hdr: Shdr { sh_type: SHT_PROGBITS, sh_addralign: 1 << 40, ..Default::default() }, data: vec![1] },
        ];
        assert_eq!(write_object(o, &mut secs, 1).err(), Some(Error::TOO_BIG));
    }

    #[test]
    fn big_endian_header() {
        let o = Order { big: true };
        let mut secs = vec![OutSection { hdr: Shdr { sh_type: SHT_STRTAB, sh_addralign: 1, ..Default::default() }, data: vec![0] }];
        let bytes = write_object(o, &mut secs, 1).unwrap();
        assert_eq!(bytes[5], ELFDATA2MSB);
        assert_eq!(&bytes[18..20], &[0, 247]);
    }
}
