//! A bounds-checked view of a BPF ELF relocatable object.
//!
//! Parsing uses goblin's header, section-header, symbol and relocation
//! readers; every offset, size and index read from the file is checked here
//! before use, so a hostile object yields an error (with a log line saying
//! what is wrong), never a panic or an out-of-bounds read.

use goblin::container::{Container, Ctx, Endian};
use goblin::elf::{RelocSection, SectionHeader, Symtab};
use goblin::elf64::header::Header;

use crate::error::{code, Error, Result};

pub const SHT_PROGBITS: u32 = 1;
pub const SHT_SYMTAB: u32 = 2;
pub const SHT_STRTAB: u32 = 3;
pub const SHT_NOBITS: u32 = 8;
pub const SHT_REL: u32 = 9;
pub const SHT_LLVM_ADDRSIG: u32 = 0x6fff_4c03;
pub const SHF_EXECINSTR: u64 = 0x4;

pub const SHN_UNDEF: usize = 0;
pub const SHN_LORESERVE: usize = 0xff00;
pub const SHN_XINDEX: usize = 0xffff;

pub const STB_LOCAL: u8 = 0;
pub const STB_GLOBAL: u8 = 1;
pub const STB_WEAK: u8 = 2;
pub const STT_NOTYPE: u8 = 0;
pub const STT_OBJECT: u8 = 1;
pub const STT_FUNC: u8 = 2;
pub const STT_SECTION: u8 = 3;
pub const STV_INTERNAL: u8 = 1;
pub const STV_HIDDEN: u8 = 2;

const ET_REL: u16 = 1;
const EM_BPF: u16 = 247;
const ELFCLASS64: u8 = 2;
const ELFDATA2LSB: u8 = 1;
const ELFDATA2MSB: u8 = 2;
const EI_CLASS: usize = 4;
const EI_DATA: usize = 5;
const SHDR64_SIZE: usize = 64;
const SYM64_SIZE: usize = 24;
/// Size of one `Elf64_Rel` entry.
pub const REL64_SIZE: u64 = 16;

/// One section: its header fields and its bytes in the file.
#[derive(Clone, Debug)]
pub struct Section<'a> {
    pub index: usize,
    /// Offset of the name in the section-name string table.
    pub name_off: usize,
    pub name: &'a [u8],
    pub sh_type: u32,
    pub flags: u64,
    pub link: u32,
    pub info: u32,
    pub entsize: u64,
    /// `sh_size`; for `SHT_NOBITS` sections there are no bytes behind it.
    pub size: u64,
    /// The section's bytes (empty for `SHT_NOBITS`).
    pub data: &'a [u8],
}

impl Section<'_> {
    /// The section's data size as libelf reports it (`sh_size`, also for NOBITS).
    pub fn data_size(&self) -> usize {
        if self.sh_type == SHT_NOBITS {
            self.size as usize
        } else {
            self.data.len()
        }
    }

    pub fn is_exec(&self) -> bool {
        self.flags & SHF_EXECINSTR != 0
    }
}

/// One symbol of `.symtab`, its name resolved.
#[derive(Clone, Debug)]
pub struct Symbol<'a> {
    pub index: usize,
    pub name_off: usize,
    /// The name, or None when its offset is outside the string table.
    pub name: Option<&'a [u8]>,
    pub value: u64,
    pub size: u64,
    pub shndx: usize,
    pub bind: u8,
    pub kind: u8,
    pub visibility: u8,
}

/// One `Elf64_Rel` entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rel {
    pub offset: u64,
    pub sym: usize,
    pub kind: u32,
}

/// A parsed object: its sections and symbol table.
pub struct Elf<'a> {
    /// Whether the object is little-endian (ELFDATA2LSB).
    pub little_endian: bool,
    /// All sections, indexed by their ELF section index (index 0 included).
    pub sections: Vec<Section<'a>>,
    /// Index of `.symtab`.
    pub symtab_idx: usize,
    /// Index of the symbol string table (`.symtab`'s `sh_link`).
    pub strtab_idx: usize,
    /// Every symbol of `.symtab`, decoded once.
    syms: Vec<Symbol<'a>>,
}

fn format_err(path: &str, what: &str) -> Error {
    crate::pr_warn!("elf: {what} in {path}");
    Error::FORMAT
}

/// A NUL-terminated string at `off` in `table`, bounds-checked.
pub fn str_at(table: &[u8], off: usize) -> Option<&[u8]> {
    let rest = table.get(off..)?;
    let end = rest.iter().position(|&b| b == 0)?;
    Some(&rest[..end])
}

/// Text for messages.
pub fn lossy(name: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(name)
}

impl<'a> Elf<'a> {
    /// Parses and validates `bytes` as a 64-bit BPF relocatable object.
    /// `path` only names the object in messages.
    pub fn parse(bytes: &'a [u8], path: &str) -> Result<Elf<'a>> {
        if bytes.len() < 16 || &bytes[..4] != b"\x7fELF" {
            crate::pr_warn!("elf: '{path}' is not a proper ELF object");
            return Err(Error::FORMAT);
        }
        if bytes[EI_CLASS] != ELFCLASS64 {
            crate::pr_warn!("elf: '{path}' is not a 64-bit ELF object");
            return Err(Error::FORMAT);
        }
        let little_endian = match bytes[EI_DATA] {
            ELFDATA2LSB => true,
            ELFDATA2MSB => false,
            _ => {
                crate::pr_warn!("elf: '{path}' has unknown byte order");
                return Err(Error::new(code::ENDIAN));
            }
        };
        let header = Header::parse(bytes).map_err(|_| {
            crate::pr_warn!("elf: failed to get ELF header from {path}: truncated header");
            Error::FORMAT
        })?;
        let ctx = Ctx::new(Container::Big, if little_endian { Endian::Little } else { Endian::Big });

        let sections = Self::parse_sections(bytes, &header, ctx, path)?;
        let shstrndx = Self::shstrndx(&header, &sections, path)?;
        let shstr = sections[shstrndx].data;
        if shstr.is_empty() {
            return Err(format_err(path, "failed to get section names strings"));
        }
        if header.e_type != ET_REL || (header.e_machine != 0 && header.e_machine != EM_BPF) {
            crate::pr_warn!("elf: {path} is not a valid eBPF object file");
            return Err(Error::FORMAT);
        }

        // Resolve section names now: any bad name offset is a format error.
        let mut named = Vec::with_capacity(sections.len());
        for mut s in sections {
            if s.index != 0 {
                s.name = str_at(shstr, s.name_off).ok_or_else(|| {
                    crate::pr_warn!("elf: failed to get section({}) name from {path}", s.index);
                    Error::FORMAT
                })?;
            }
            named.push(s);
        }

        let mut symtab_idx = None;
        for s in named.iter().filter(|s| s.sh_type == SHT_SYMTAB) {
            if symtab_idx.is_some() {
                return Err(format_err(path, "multiple symbol tables"));
            }
            symtab_idx = Some(s.index);
        }
        let Some(symtab_idx) = symtab_idx else {
            crate::pr_warn!("elf: couldn't find symbol table in {path}, stripped object file?");
            return Err(Error::NOENT);
        };
        let sym_sec = &named[symtab_idx];
        let strtab_idx = sym_sec.link as usize;
        if strtab_idx == 0 || strtab_idx >= named.len() || named[strtab_idx].sh_type != SHT_STRTAB {
            crate::pr_warn!("elf: symbol strings section missing or invalid in {path}");
            return Err(Error::FORMAT);
        }
        let count = sym_sec.data.len() / SYM64_SIZE;
        let symtab = if count == 0 {
            Symtab::default()
        } else {
            Symtab::parse(sym_sec.data, 0, count, ctx).map_err(|_| format_err(path, "corrupted symbol table"))?
        };
        let strtab = named[strtab_idx].data;
        let syms = (0..symtab.len())
            .filter_map(|idx| {
                let s = symtab.get(idx)?;
                Some(Symbol {
                    index: idx,
                    name_off: s.st_name,
                    name: str_at(strtab, s.st_name),
                    value: s.st_value,
                    size: s.st_size,
                    shndx: s.st_shndx,
                    bind: s.st_info >> 4,
                    kind: s.st_info & 0xf,
                    visibility: s.st_other & 0x3,
                })
            })
            .collect();
        Ok(Elf { little_endian, sections: named, symtab_idx, strtab_idx, syms })
    }

    fn parse_sections(bytes: &'a [u8], header: &Header, ctx: Ctx, path: &str) -> Result<Vec<Section<'a>>> {
        let shoff = usize::try_from(header.e_shoff).map_err(|_| format_err(path, "section header offset out of range"))?;
        if shoff == 0 {
            return Err(format_err(path, "no section headers"));
        }
        if header.e_shentsize as usize != SHDR64_SIZE {
            return Err(format_err(path, "unexpected section header size"));
        }
        if shoff.checked_add(SHDR64_SIZE).is_none_or(|end| end > bytes.len()) {
            return Err(format_err(path, "section headers past the end of the file"));
        }
        let mut count = header.e_shnum as usize;
        if count == 0 {
            // More than SHN_LORESERVE sections: the count is in section 0's sh_size.
            let first = SectionHeader::parse(bytes, shoff, 1, ctx).map_err(|_| format_err(path, "corrupted section header"))?;
            count = first.first().map_or(0, |s| s.sh_size as usize);
        }
        if count == 0 || shoff.checked_add(count.saturating_mul(SHDR64_SIZE)).is_none_or(|end| end > bytes.len()) {
            return Err(format_err(path, "section headers past the end of the file"));
        }
        let headers =
            SectionHeader::parse(bytes, shoff, count, ctx).map_err(|_| format_err(path, "corrupted section headers"))?;
        let mut sections = Vec::with_capacity(headers.len());
        for (index, sh) in headers.iter().enumerate() {
            let data: &[u8] = if sh.sh_type == SHT_NOBITS || sh.sh_size == 0 || index == 0 {
                &[]
            } else {
                let start = usize::try_from(sh.sh_offset).ok();
                let len = usize::try_from(sh.sh_size).ok();
                match (start, len) {
                    (Some(start), Some(len)) => match start.checked_add(len).and_then(|end| bytes.get(start..end)) {
                        Some(d) => d,
                        None => {
                            crate::pr_warn!("elf: failed to get section({index}) data from {path}: past the end of the file");
                            return Err(Error::FORMAT);
                        }
                    },
                    _ => return Err(format_err(path, "section offset out of range")),
                }
            };
            sections.push(Section {
                index,
                name_off: sh.sh_name,
                name: &[],
                sh_type: sh.sh_type,
                flags: sh.sh_flags,
                link: sh.sh_link,
                info: sh.sh_info,
                entsize: sh.sh_entsize,
                size: sh.sh_size,
                data,
            });
        }
        Ok(sections)
    }

    fn shstrndx(header: &Header, sections: &[Section<'a>], path: &str) -> Result<usize> {
        let mut idx = header.e_shstrndx as usize;
        if idx == SHN_XINDEX {
            idx = sections[0].link as usize;
        }
        if idx == 0 || idx >= sections.len() {
            crate::pr_warn!("elf: failed to get section names section index for {path}");
            return Err(Error::FORMAT);
        }
        Ok(idx)
    }

    /// Number of symbols in `.symtab`.
    pub fn symbol_count(&self) -> usize {
        self.syms.len()
    }

    /// Symbol `idx`, with its name resolved (None if the index is out of range).
    pub fn symbol(&self, idx: usize) -> Option<Symbol<'a>> {
        self.syms.get(idx).cloned()
    }

    /// All symbols, in table order.
    pub fn symbols(&self) -> impl Iterator<Item = Symbol<'a>> + '_ {
        self.syms.iter().cloned()
    }

    /// A section by ELF index.
    pub fn section(&self, idx: usize) -> Option<&Section<'a>> {
        self.sections.get(idx)
    }

    /// The first section named `name`.
    pub fn section_by_name(&self, name: &[u8]) -> Option<&Section<'a>> {
        self.sections.iter().skip(1).find(|s| s.name == name)
    }

    /// The entries of an `SHT_REL` section (whose entry size was checked by the caller).
    pub fn rels(&self, sec: &Section<'a>) -> Result<Vec<Rel>> {
        if sec.data.is_empty() {
            return Ok(Vec::new());
        }
        let ctx = Ctx::new(Container::Big, if self.little_endian { Endian::Little } else { Endian::Big });
        let table = RelocSection::parse(sec.data, 0, sec.data.len() - sec.data.len() % REL64_SIZE as usize, false, ctx)
            .map_err(|_| Error::FORMAT)?;
        Ok(table.iter().map(|r| Rel { offset: r.r_offset, sym: r.r_sym, kind: r.r_type }).collect())
    }
}
