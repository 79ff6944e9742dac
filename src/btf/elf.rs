//! Finding `.BTF` and `.BTF.ext` in an ELF file, reading only the headers
//! and those two sections (a vmlinux image with debug info is hundreds of
//! megabytes; its BTF is a few).

use std::fs::File;
use std::os::unix::fs::FileExt;

use crate::error::{code, Error, Result};
use crate::sys::blob::Blob;

/// What `btf__parse_elf()` needs from an ELF file.
pub struct ElfBtf {
    /// The `.BTF` section, if present.
    pub btf: Option<Blob>,
    /// The `.BTF.ext` section, if present and asked for.
    pub btf_ext: Option<Vec<u8>>,
    /// 64-bit ELF (pointer size 8) or 32-bit (4).
    pub is_64: bool,
}

const SHT_NOBITS: u32 = 8;
const SHN_XINDEX: u32 = 0xffff;

struct Reader<'a> {
    file: &'a File,
    size: u64,
    big: bool,
    is_64: bool,
}

impl Reader<'_> {
    fn bytes(&self, off: u64, len: u64) -> Result<Vec<u8>> {
        if off.checked_add(len).is_none_or(|end| end > self.size) {
            return Err(Error::new(code::FORMAT));
        }
        let mut buf = vec![0u8; len as usize];
        self.file.read_exact_at(&mut buf, off).map_err(|_| Error::new(code::FORMAT))?;
        Ok(buf)
    }

    fn u16(&self, b: &[u8], at: usize) -> u16 {
        let v = [b[at], b[at + 1]];
        if self.big {
            u16::from_be_bytes(v)
        } else {
            u16::from_le_bytes(v)
        }
    }

    fn u32(&self, b: &[u8], at: usize) -> u32 {
        let v = [b[at], b[at + 1], b[at + 2], b[at + 3]];
        if self.big {
            u32::from_be_bytes(v)
        } else {
            u32::from_le_bytes(v)
        }
    }

    fn u64(&self, b: &[u8], at: usize) -> u64 {
        let mut v = [0u8; 8];
        v.copy_from_slice(&b[at..at + 8]);
        if self.big {
            u64::from_be_bytes(v)
        } else {
            u64::from_le_bytes(v)
        }
    }

    /// A word-sized field (`Elf32_Off`/`Elf64_Off`, `Addr`, `Xword`).
    fn word(&self, b: &[u8], at32: usize, at64: usize) -> u64 {
        if self.is_64 {
            self.u64(b, at64)
        } else {
            self.u32(b, at32) as u64
        }
    }
}

/// One section header: name, type, link, offset, size.
struct Shdr {
    name: u32,
    kind: u32,
    link: u32,
    offset: u64,
    size: u64,
}

fn shdr(r: &Reader<'_>, b: &[u8]) -> Shdr {
    Shdr {
        name: r.u32(b, 0),
        kind: r.u32(b, 4),
        offset: r.word(b, 16, 24),
        size: r.word(b, 20, 32),
        link: if r.is_64 { r.u32(b, 40) } else { r.u32(b, 24) },
    }
}

/// Reads `.BTF` (and `.BTF.ext` when `want_ext`) from the ELF file at
/// `path`. Errors: the `open()` errno; `LIBBPF_ERRNO__FORMAT` when the file
/// is not a well-formed ELF file. A missing `.BTF` is not an error here.
pub fn read_btf_sections(path: &std::path::Path, want_ext: bool) -> Result<ElfBtf> {
    let file = File::open(path).inspect_err(|e| pr_warn!("failed to open {}: {e}", path.display()))?;
    let size = file.metadata()?.len();
    let fail = |what: &str| {
        pr_warn!("failed to {what} {}", path.display());
        Error::new(code::FORMAT)
    };
    let mut r = Reader { file: &file, size, big: false, is_64: true };
    let ident = r.bytes(0, 16).map_err(|_| fail("open as ELF file"))?;
    if &ident[..4] != b"\x7fELF" || !(1..=2).contains(&ident[4]) || !(1..=2).contains(&ident[5]) {
        return Err(fail("open as ELF file"));
    }
    r.is_64 = ident[4] == 2;
    r.big = ident[5] == 2;
    let ehdr = r.bytes(0, if r.is_64 { 64 } else { 52 }).map_err(|_| fail("get EHDR from"))?;
    let shoff = r.word(&ehdr, 32, 40);
    let (entsz_at, num_at, strndx_at) = if r.is_64 { (58, 60, 62) } else { (46, 48, 50) };
    let shentsize = r.u16(&ehdr, entsz_at) as u64;
    let mut shnum = r.u16(&ehdr, num_at) as u64;
    let mut shstrndx = r.u16(&ehdr, strndx_at) as u32;
    let min_ent = if r.is_64 { 64 } else { 40 };
    if shoff == 0 {
        return Ok(ElfBtf { btf: None, btf_ext: None, is_64: r.is_64 });
    }
    if shentsize < min_ent {
        return Err(fail("get section headers from"));
    }
    // Extended numbering: the real counts live in section header 0.
    if shnum == 0 || shstrndx == SHN_XINDEX {
        let s0 = shdr(&r, &r.bytes(shoff, shentsize).map_err(|_| fail("get section headers from"))?);
        if shnum == 0 {
            shnum = s0.size;
        }
        if shstrndx == SHN_XINDEX {
            shstrndx = s0.link;
        }
    }
    let table_len = shnum.checked_mul(shentsize).ok_or_else(|| fail("get section headers from"))?;
    let table = r.bytes(shoff, table_len).map_err(|_| fail("get section headers from"))?;
    let headers: Vec<Shdr> = table.chunks_exact(shentsize as usize).map(|b| shdr(&r, b)).collect();
    let strtab = headers.get(shstrndx as usize).ok_or_else(|| fail("get e_shstrndx from"))?;
    let names = if strtab.kind == SHT_NOBITS { Vec::new() } else { r.bytes(strtab.offset, strtab.size).map_err(|_| fail("get e_shstrndx from"))? };

    let mut out = ElfBtf { btf: None, btf_ext: None, is_64: r.is_64 };
    for (idx, sh) in headers.iter().enumerate().skip(1) {
        let name = names.get(sh.name as usize..).and_then(|n| n.split(|&b| b == 0).next());
        let Some(name) = name else {
            pr_warn!("failed to get section({idx}) name from {}", path.display());
            return Err(Error::new(code::FORMAT));
        };
        let len = if sh.kind == SHT_NOBITS { 0 } else { sh.size };
        if name == b".BTF" {
            if sh.offset.checked_add(len).is_none_or(|end| end > size) {
                pr_warn!("failed to get section({idx}, .BTF) data from {}", path.display());
                return Err(Error::new(code::FORMAT));
            }
            out.btf = Some(Blob::read_at(&file, sh.offset, len as usize)?);
        } else if want_ext && name == b".BTF.ext" {
            out.btf_ext = Some(r.bytes(sh.offset, len).inspect_err(|_| {
                pr_warn!("failed to get section({idx}, .BTF.ext) data from {}", path.display())
            })?);
        }
    }
    Ok(out)
}
