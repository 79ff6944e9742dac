//! Function symbols of ELF executables and shared libraries, as uprobes
//! need them: the file offset of a function given by name (optionally
//! versioned, `name@LIB_VER`), of several names at once, or of every name
//! matching a pattern. Pure: works on the file's bytes.
//!
//! A symbol's offset is its value relative to the section holding it,
//! plus that section's file offset. Symbols are searched in `.dynsym`
//! (where version names come from `.gnu.version`/`.gnu.version_d`) and
//! `.symtab` (where a version is part of the name), in libbpf's order.
//! Duplicates at the same offset are one symbol; a weak and a global
//! symbol at different offsets resolve to the global one; two globals at
//! different offsets are an ambiguity.

use goblin::container::{Container, Ctx};
use goblin::elf::section_header::SectionHeader;
use goblin::elf::section_header::{SHT_GNU_VERDEF, SHT_GNU_VERSYM};
use goblin::elf::symver::VerdefSection;

use crate::error::{Error, Result};

use super::glob;

/// `SHT_SYMTAB`.
pub const SHT_SYMTAB: u32 = 2;
/// `SHT_DYNSYM`.
pub const SHT_DYNSYM: u32 = 11;
const STT_FUNC: u8 = 2;
const STB_WEAK: u8 = 2;
const ET_DYN: u16 = 3;

/// One function symbol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FuncSym<'a> {
    /// The name as stored (in `.symtab` it may carry `@VER`/`@@VER`).
    pub name: &'a [u8],
    /// `STB_*`.
    pub bind: u8,
    /// File offset of the function.
    pub offset: u64,
    /// Version name of a `.dynsym` symbol defined with a version.
    pub version: Option<&'a [u8]>,
}

/// A parsed ELF file (headers only; symbols are read on demand).
pub struct ElfFile<'a> {
    bytes: &'a [u8],
    ctx: Ctx,
    shdrs: Vec<SectionHeader>,
    e_type: u16,
}

/// The NUL-terminated string at `off` of section `strtab` (None when out
/// of bounds).
fn str_at<'a>(bytes: &'a [u8], strtab: &SectionHeader, off: usize) -> Option<&'a [u8]> {
    let start = usize::try_from(strtab.sh_offset).ok()?;
    let size = usize::try_from(strtab.sh_size).ok()?;
    let table = bytes.get(start..start.checked_add(size)?)?;
    let s = table.get(off..)?;
    let end = s.iter().position(|&b| b == 0)?;
    Some(&s[..end])
}

impl<'a> ElfFile<'a> {
    /// Parses the headers; `LIBBPF_ERRNO__FORMAT` when `bytes` is no ELF
    /// file (or a truncated one).
    pub fn parse(bytes: &'a [u8]) -> Result<ElfFile<'a>> {
        let h = goblin::elf::Elf::parse_header(bytes).map_err(|_| Error::FORMAT)?;
        let container = h.container().map_err(|_| Error::FORMAT)?;
        let endian = h.endianness().map_err(|_| Error::FORMAT)?;
        let ctx = Ctx::new(container, endian);
        let shoff = usize::try_from(h.e_shoff).map_err(|_| Error::FORMAT)?;
        let shdrs = SectionHeader::parse(bytes, shoff, h.e_shnum as usize, ctx)
            .map_err(|_| Error::FORMAT)?;
        Ok(ElfFile {
            bytes,
            ctx,
            shdrs,
            e_type: h.e_type,
        })
    }

    /// Whether the file is a shared object (or PIE executable).
    pub fn is_shared(&self) -> bool {
        self.e_type == ET_DYN
    }

    fn section_of_type(&self, sh_type: u32) -> Option<&SectionHeader> {
        self.shdrs.iter().find(|s| s.sh_type == sh_type)
    }

    /// The bytes of section `sh` (None when out of the file).
    fn section_bytes(&self, sh: &SectionHeader) -> Option<&'a [u8]> {
        let start = usize::try_from(sh.sh_offset).ok()?;
        let size = usize::try_from(sh.sh_size).ok()?;
        self.bytes.get(start..start.checked_add(size)?)
    }

    fn u16_at(&self, b: &[u8], off: usize) -> u16 {
        let v = [b[off], b[off + 1]];
        if self.ctx.le.is_little() {
            u16::from_le_bytes(v)
        } else {
            u16::from_be_bytes(v)
        }
    }

    fn u32_at(&self, b: &[u8], off: usize) -> u32 {
        let v = [b[off], b[off + 1], b[off + 2], b[off + 3]];
        if self.ctx.le.is_little() {
            u32::from_le_bytes(v)
        } else {
            u32::from_be_bytes(v)
        }
    }

    fn u64_at(&self, b: &[u8], off: usize) -> u64 {
        let mut v = [0u8; 8];
        v.copy_from_slice(&b[off..off + 8]);
        if self.ctx.le.is_little() {
            u64::from_le_bytes(v)
        } else {
            u64::from_be_bytes(v)
        }
    }

    /// The function symbols of the first section of type `sh_type`
    /// ([`SHT_DYNSYM`] or [`SHT_SYMTAB`]), in table order; None when the
    /// file has no such section. Symbols of no real section are skipped.
    /// `LIBBPF_ERRNO__FORMAT` for tables outside the file.
    pub fn functions(&self, sh_type: u32) -> Result<Option<Vec<FuncSym<'a>>>> {
        let Some(symsec) = self.section_of_type(sh_type) else {
            return Ok(None);
        };
        let is64 = matches!(self.ctx.container, Container::Big);
        let rec = if is64 { 24 } else { 16 };
        let entsize = match usize::try_from(symsec.sh_entsize).map_err(|_| Error::FORMAT)? {
            0 => rec,
            n if n < rec => return Err(Error::FORMAT),
            n => n,
        };
        let table = self.section_bytes(symsec).ok_or(Error::FORMAT)?;
        let strtab = self.shdrs.get(symsec.sh_link as usize).ok_or(Error::FORMAT)?;
        let strs = self.section_bytes(strtab).ok_or(Error::FORMAT)?;
        let name_at = |off: u32| -> Option<&'a [u8]> {
            let s = strs.get(off as usize..)?;
            Some(&s[..s.iter().position(|&b| b == 0)?])
        };
        // Versions (dynamic symbols only): `.gnu.version` has one index
        // per symbol, `.gnu.version_d` names the indexes.
        let versym = (sh_type == SHT_DYNSYM)
            .then(|| self.section_of_type(SHT_GNU_VERSYM).and_then(|s| self.section_bytes(s)))
            .flatten();
        let mut versions: Vec<Option<&'a [u8]>> = Vec::new();
        if versym.is_some() {
            let vd = VerdefSection::parse(self.bytes, &self.shdrs, self.ctx).map_err(|_| Error::FORMAT)?;
            let vd_strtab = self.section_of_type(SHT_GNU_VERDEF).and_then(|s| self.shdrs.get(s.sh_link as usize));
            if let (Some(vd), Some(st)) = (vd.as_ref(), vd_strtab) {
                for def in vd.iter() {
                    let idx = def.vd_ndx as usize;
                    if versions.len() <= idx {
                        versions.resize(idx + 1, None);
                    }
                    versions[idx] = def.iter().next().and_then(|aux| str_at(self.bytes, st, aux.vda_name));
                }
            }
        }
        let mut out = Vec::new();
        for (i, r) in table.chunks_exact(entsize).enumerate() {
            let (name_off, info, shndx, value) = if is64 {
                (self.u32_at(r, 0), r[4], self.u16_at(r, 6), self.u64_at(r, 8))
            } else {
                (self.u32_at(r, 0), r[12], self.u16_at(r, 14), self.u32_at(r, 4) as u64)
            };
            if info & 0xf != STT_FUNC {
                continue;
            }
            let Some(sec) = self.shdrs.get(shndx as usize) else {
                continue;
            };
            let Some(name) = name_at(name_off) else {
                continue;
            };
            let version = match versym {
                Some(vs) if vs.len() >= 2 * (i + 1) => {
                    let v = self.u16_at(vs, 2 * i) & 0x7fff;
                    versions.get(v as usize).copied().flatten()
                }
                Some(_) => continue,
                None => None,
            };
            out.push(FuncSym {
                name,
                bind: info >> 4,
                offset: value.wrapping_sub(sec.sh_addr).wrapping_add(sec.sh_offset),
                version,
            });
        }
        Ok(Some(out))
    }
}

/// Whether symbol `sym` (from a section of `sh_type`) is function `name`
/// (of version `ver` when given): the stored name is `name`, or `name`
/// followed by `@`, and the version matches.
fn symbol_matches(sym: &FuncSym<'_>, sh_type: u32, name: &[u8], ver: Option<&[u8]>) -> bool {
    let Some(rest) = sym.name.strip_prefix(name) else {
        return false;
    };
    if !rest.is_empty() && rest[0] != b'@' {
        return false;
    }
    let Some(ver) = ver else { return true };
    if sh_type == SHT_SYMTAB {
        let v = rest.strip_prefix(b"@@").or_else(|| rest.strip_prefix(b"@"));
        return v == Some(ver);
    }
    sym.version == Some(ver)
}

/// Splits `name@VER` / `name@@VER` into the name and the version.
fn split_version(name: &[u8]) -> (&[u8], Option<&[u8]>) {
    match name.iter().position(|&b| b == b'@') {
        None => (name, None),
        Some(i) => {
            let rest = &name[i + 1..];
            (&name[..i], Some(rest.strip_prefix(b"@").unwrap_or(rest)))
        }
    }
}

/// The file offset of function `name` (`func`, `func@VER` or `func@@VER`)
/// in `elf`, looked up in `.dynsym` then `.symtab` (libbpf's
/// `elf_find_func_offset()`). `ENOENT` when missing (or only found
/// undefined, at 0), `LIBBPF_ERRNO__FORMAT` for an ambiguity. `path`
/// names the file in messages.
pub fn find_func_offset(elf: &ElfFile<'_>, path: &str, name: &str) -> Result<u64> {
    let (base, ver) = split_version(name.as_bytes());
    // None: no symbol section at all; Some(0): sections, nothing usable.
    let mut found: Option<u64> = None;
    for sh_type in [SHT_DYNSYM, SHT_SYMTAB] {
        let Some(syms) = elf.functions(sh_type)? else {
            continue;
        };
        let mut cur = 0u64;
        let mut last_bind: Option<u8> = None;
        for s in syms
            .iter()
            .filter(|s| symbol_matches(s, sh_type, base, ver))
        {
            if cur > 0 {
                if s.offset == cur {
                    continue;
                }
                if last_bind != Some(STB_WEAK) && s.bind != STB_WEAK {
                    crate::pr_warn!(
                        "elf: ambiguous match for '{}', '{name}' in '{path}'",
                        String::from_utf8_lossy(s.name)
                    );
                    return Err(Error::FORMAT);
                }
                if s.bind == STB_WEAK {
                    continue;
                }
            }
            cur = s.offset;
            last_bind = Some(s.bind);
        }
        found = Some(cur);
        if cur > 0 {
            break;
        }
    }
    match found {
        Some(off) if off > 0 => {
            crate::pr_debug!("elf: symbol address match for '{name}' in '{path}': 0x{off:x}");
            Ok(off)
        }
        Some(_) => {
            let hint = if elf.is_shared() {
                "should not be 0 in a shared library"
            } else {
                "try using shared library path instead"
            };
            crate::pr_warn!("elf: '{name}' is 0 in symtab for '{path}': {hint}");
            Err(Error::NOENT)
        }
        None => {
            crate::pr_warn!("elf: failed to find symbol '{name}' in '{path}'");
            Err(Error::NOENT)
        }
    }
}

/// The offsets of functions `names` (exact stored names), in order, from
/// `.dynsym` and `.symtab` (libbpf's `elf_resolve_syms_offsets()`).
/// `ENOENT` when one is missing, `ESRCH` for an ambiguity.
pub fn resolve_syms(elf: &ElfFile<'_>, path: &str, names: &[&[u8]]) -> Result<Vec<u64>> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| names[a].cmp(names[b]));
    let mut found: Vec<Option<(u64, u8)>> = vec![None; names.len()];
    for sh_type in [SHT_DYNSYM, SHT_SYMTAB] {
        let Some(syms) = elf.functions(sh_type)? else {
            continue;
        };
        for s in &syms {
            let Ok(pos) = order.binary_search_by(|&i| names[i].cmp(s.name)) else {
                continue;
            };
            // Every index with this very name (a name asked twice).
            let mut lo = pos;
            while lo > 0 && names[order[lo - 1]] == s.name {
                lo -= 1;
            }
            let mut k = lo;
            while k < order.len() && names[order[k]] == s.name {
                let slot = &mut found[order[k]];
                match *slot {
                    Some((off, _)) if off == s.offset => {}
                    Some((off, bind)) if off > 0 => {
                        if bind != STB_WEAK && s.bind != STB_WEAK {
                            crate::pr_warn!(
                                "elf: ambiguous match found '{}@{}' in '{path}' previous offset {off}",
                                String::from_utf8_lossy(s.name),
                                s.offset
                            );
                            return Err(Error::new(libc::ESRCH));
                        }
                        if s.bind != STB_WEAK {
                            *slot = Some((s.offset, s.bind));
                        }
                    }
                    _ => *slot = Some((s.offset, s.bind)),
                }
                k += 1;
            }
        }
    }
    found
        .into_iter()
        .map(|f| f.map(|(off, _)| off).ok_or(Error::NOENT))
        .collect()
}

/// The offsets of every function whose stored name matches `pattern`,
/// from `.symtab`, or `.dynsym` when `.symtab` has none (libbpf's
/// `elf_resolve_pattern_offsets()`). `ENOENT` when nothing matches.
pub fn resolve_pattern(elf: &ElfFile<'_>, pattern: &str) -> Result<Vec<u64>> {
    for sh_type in [SHT_SYMTAB, SHT_DYNSYM] {
        let Some(syms) = elf.functions(sh_type)? else {
            continue;
        };
        let out: Vec<u64> = syms
            .iter()
            .filter(|s| glob::matches(s.name, pattern.as_bytes()))
            .map(|s| s.offset)
            .collect();
        if !out.is_empty() {
            return Ok(out);
        }
    }
    Err(Error::NOENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A little-endian ELF64 shared object with `.text` (addr 0x1000,
    /// offset 0x400), `.symtab`, `.strtab`, `.dynsym`, `.dynstr`,
    /// `.gnu.version` and `.gnu.version_d`, built by hand.
    fn sample() -> Vec<u8> {
        struct Sym(&'static str, u8, u16, u64); // name, info, shndx, value
        let mut strtab = vec![0u8];
        let mut add = |s: &str, t: &mut Vec<u8>| -> u32 {
            let off = t.len() as u32;
            t.extend_from_slice(s.as_bytes());
            t.push(0);
            off
        };
        let symtab_syms = [
            Sym("foo", 0x12, 1, 0x1010), // GLOBAL FUNC
            Sym("bar", 0x22, 1, 0x1020), // WEAK FUNC
            Sym("bar", 0x12, 1, 0x1030), // GLOBAL FUNC: wins over the weak one
            Sym("dup", 0x12, 1, 0x1040),
            Sym("dup", 0x12, 1, 0x1050),  // ambiguous
            Sym("data", 0x11, 1, 0x1060), // GLOBAL OBJECT: not a function
            Sym("vers@@V2", 0x12, 1, 0x1070),
            Sym("vers@V1", 0x12, 1, 0x1080),
            Sym("undef", 0x12, 0, 0),      // undefined
            Sym("abs", 0x12, 0xfff1, 0x5), // absolute: skipped
        ];
        let mut dynstr = vec![0u8];
        let dyn_syms = [
            Sym("foo", 0x12, 1, 0x1010),
            Sym("vers", 0x12, 1, 0x1070),
            Sym("vers", 0x12, 1, 0x1080),
        ];
        let mut symtab = vec![0u8; 24];
        for s in &symtab_syms {
            let n = add(s.0, &mut strtab);
            symtab.extend_from_slice(&n.to_le_bytes());
            symtab.push(s.1);
            symtab.push(0);
            symtab.extend_from_slice(&s.2.to_le_bytes());
            symtab.extend_from_slice(&s.3.to_le_bytes());
            symtab.extend_from_slice(&0u64.to_le_bytes());
        }
        let mut dynsym = vec![0u8; 24];
        for s in &dyn_syms {
            let n = add(s.0, &mut dynstr);
            dynsym.extend_from_slice(&n.to_le_bytes());
            dynsym.push(s.1);
            dynsym.push(0);
            dynsym.extend_from_slice(&s.2.to_le_bytes());
            dynsym.extend_from_slice(&s.3.to_le_bytes());
            dynsym.extend_from_slice(&0u64.to_le_bytes());
        }
        // versym: sym0 local, foo: 1 (base), vers: 2 (V2), vers: 0x8003 (V1, hidden).
        let versym: Vec<u8> = [0u16, 1, 2, 0x8003]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let v1 = add("V1", &mut dynstr);
        let v2 = add("V2", &mut dynstr);
        let mut verdef = Vec::new();
        for (i, (ndx, name)) in [(2u16, v2), (3u16, v1)].iter().enumerate() {
            verdef.extend_from_slice(&1u16.to_le_bytes()); // vd_version
            verdef.extend_from_slice(&0u16.to_le_bytes()); // vd_flags
            verdef.extend_from_slice(&ndx.to_le_bytes());
            verdef.extend_from_slice(&1u16.to_le_bytes()); // vd_cnt
            verdef.extend_from_slice(&0u32.to_le_bytes()); // vd_hash
            verdef.extend_from_slice(&20u32.to_le_bytes()); // vd_aux
            verdef.extend_from_slice(&(if i == 0 { 28u32 } else { 0 }).to_le_bytes()); // vd_next
            verdef.extend_from_slice(&name.to_le_bytes()); // vda_name
            verdef.extend_from_slice(&0u32.to_le_bytes()); // vda_next
        }
        let shstr = b"\0.text\0.symtab\0.strtab\0.dynsym\0.dynstr\0.gnu.version\0.gnu.version_d\0.shstrtab\0".to_vec();
        // Layout: header, .text at 0x400 (0x100 bytes), then the tables.
        let mut file = vec![0u8; 0x500];
        let mut place = |data: &[u8], file: &mut Vec<u8>| -> u64 {
            while file.len() % 8 != 0 {
                file.push(0);
            }
            let off = file.len() as u64;
            file.extend_from_slice(data);
            off
        };
        let o_symtab = place(&symtab, &mut file);
        let o_strtab = place(&strtab, &mut file);
        let o_dynsym = place(&dynsym, &mut file);
        let o_dynstr = place(&dynstr, &mut file);
        let o_versym = place(&versym, &mut file);
        let o_verdef = place(&verdef, &mut file);
        let o_shstr = place(&shstr, &mut file);
        // (name, type, flags, addr, offset, size, link, info, align, entsize)
        let shdrs: [(u32, u32, u64, u64, u64, u64, u32, u32, u64, u64); 9] = [
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            (1, 1, 6, 0x1000, 0x400, 0x100, 0, 0, 16, 0),
            (
                7,
                SHT_SYMTAB,
                0,
                0,
                o_symtab,
                symtab.len() as u64,
                3,
                1,
                8,
                24,
            ),
            (15, 3, 0, 0, o_strtab, strtab.len() as u64, 0, 0, 1, 0),
            (
                23,
                SHT_DYNSYM,
                2,
                0,
                o_dynsym,
                dynsym.len() as u64,
                5,
                1,
                8,
                24,
            ),
            (31, 3, 2, 0, o_dynstr, dynstr.len() as u64, 0, 0, 1, 0),
            (
                39,
                0x6fff_ffff,
                2,
                0,
                o_versym,
                versym.len() as u64,
                4,
                0,
                2,
                2,
            ),
            (
                52,
                0x6fff_fffd,
                2,
                0,
                o_verdef,
                verdef.len() as u64,
                5,
                2,
                4,
                0,
            ),
            (67, 3, 0, 0, o_shstr, shstr.len() as u64, 0, 0, 1, 0),
        ];
        while file.len() % 8 != 0 {
            file.push(0);
        }
        let shoff = file.len() as u64;
        for s in &shdrs {
            file.extend_from_slice(&s.0.to_le_bytes());
            file.extend_from_slice(&s.1.to_le_bytes());
            file.extend_from_slice(&s.2.to_le_bytes());
            file.extend_from_slice(&s.3.to_le_bytes());
            file.extend_from_slice(&s.4.to_le_bytes());
            file.extend_from_slice(&s.5.to_le_bytes());
            file.extend_from_slice(&s.6.to_le_bytes());
            file.extend_from_slice(&s.7.to_le_bytes());
            file.extend_from_slice(&s.8.to_le_bytes());
            file.extend_from_slice(&s.9.to_le_bytes());
        }
        // ELF header.
        let mut h = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
        h.resize(16, 0);
        h.extend_from_slice(&ET_DYN.to_le_bytes());
        h.extend_from_slice(&62u16.to_le_bytes()); // EM_X86_64
        h.extend_from_slice(&1u32.to_le_bytes());
        h.extend_from_slice(&0u64.to_le_bytes()); // entry
        h.extend_from_slice(&0u64.to_le_bytes()); // phoff
        h.extend_from_slice(&shoff.to_le_bytes());
        h.extend_from_slice(&0u32.to_le_bytes()); // flags
        h.extend_from_slice(&64u16.to_le_bytes()); // ehsize
        h.extend_from_slice(&0u16.to_le_bytes()); // phentsize
        h.extend_from_slice(&0u16.to_le_bytes()); // phnum
        h.extend_from_slice(&64u16.to_le_bytes()); // shentsize
        h.extend_from_slice(&(shdrs.len() as u16).to_le_bytes());
        h.extend_from_slice(&8u16.to_le_bytes()); // shstrndx
        file[..h.len()].copy_from_slice(&h);
        file
    }

    #[test]
    fn function_offsets_by_name() {
        let bytes = sample();
        let elf = ElfFile::parse(&bytes).unwrap();
        assert!(elf.is_shared());
        // .text: addr 0x1000 at file offset 0x400.
        assert_eq!(find_func_offset(&elf, "s", "foo").unwrap(), 0x410);
        // A weak and a global: the global.
        assert_eq!(find_func_offset(&elf, "s", "bar").unwrap(), 0x430);
        assert_eq!(
            find_func_offset(&elf, "s", "dup").unwrap_err(),
            Error::FORMAT
        );
        assert_eq!(
            find_func_offset(&elf, "s", "data").unwrap_err(),
            Error::NOENT
        );
        assert_eq!(find_func_offset(&elf, "s", "fo").unwrap_err(), Error::NOENT);
        assert_eq!(
            find_func_offset(&elf, "s", "undef").unwrap_err(),
            Error::NOENT
        );
        assert_eq!(
            find_func_offset(&elf, "s", "abs").unwrap_err(),
            Error::NOENT
        );
    }

    #[test]
    fn versioned_names() {
        let bytes = sample();
        let elf = ElfFile::parse(&bytes).unwrap();
        // .dynsym versions come from .gnu.version_d.
        assert_eq!(find_func_offset(&elf, "s", "vers@@V2").unwrap(), 0x470);
        assert_eq!(find_func_offset(&elf, "s", "vers@V1").unwrap(), 0x480);
        assert_eq!(
            find_func_offset(&elf, "s", "vers@V3").unwrap_err(),
            Error::NOENT
        );
        // Unversioned: two globals at different offsets.
        assert_eq!(
            find_func_offset(&elf, "s", "vers").unwrap_err(),
            Error::FORMAT
        );
        let d = elf.functions(SHT_DYNSYM).unwrap().unwrap();
        assert_eq!(d[1].version, Some(&b"V2"[..]));
        assert_eq!(d[2].version, Some(&b"V1"[..]));
    }

    #[test]
    fn many_names_and_patterns() {
        let bytes = sample();
        let elf = ElfFile::parse(&bytes).unwrap();
        assert_eq!(
            resolve_syms(&elf, "s", &[b"bar", b"foo", b"foo"]).unwrap(),
            vec![0x430, 0x410, 0x410]
        );
        assert_eq!(
            resolve_syms(&elf, "s", &[b"foo", b"nope"]).unwrap_err(),
            Error::NOENT
        );
        assert_eq!(
            resolve_syms(&elf, "s", &[b"dup"]).unwrap_err().errno(),
            libc::ESRCH
        );
        assert_eq!(resolve_pattern(&elf, "ba?").unwrap(), vec![0x420, 0x430]);
        assert_eq!(resolve_pattern(&elf, "vers*").unwrap(), vec![0x470, 0x480]);
        assert_eq!(resolve_pattern(&elf, "zz*").unwrap_err(), Error::NOENT);
    }

    #[test]
    fn hostile_files() {
        assert_eq!(ElfFile::parse(b"not an elf").err(), Some(Error::FORMAT));
        let mut bytes = sample();
        // Point .symtab far past the end: refused, no panic.
        let shoff = u64::from_le_bytes(bytes[40..48].try_into().unwrap()) as usize;
        let symtab_hdr = shoff + 2 * 64;
        bytes[symtab_hdr + 24..symtab_hdr + 32].copy_from_slice(&u64::MAX.to_le_bytes());
        let elf = ElfFile::parse(&bytes).unwrap();
        assert!(elf.functions(SHT_SYMTAB).is_err());
        // Every truncation parses or fails cleanly.
        let full = sample();
        for cut in (0..full.len()).step_by(7) {
            if let Ok(e) = ElfFile::parse(&full[..cut]) {
                let _ = find_func_offset(&e, "t", "foo");
                let _ = resolve_pattern(&e, "*");
            }
        }
    }
}

#[cfg(test)]
mod timing {
    #[test]
    #[ignore]
    fn libc_lookup_cost() {
        let path = "/lib/x86_64-linux-gnu/libc.so.6";
        let n = 300;
        let t = std::time::Instant::now();
        for _ in 0..n {
            let f = crate::sys::file_map::FileBytes::open(path).unwrap();
            std::hint::black_box(f.bytes()[0]);
        }
        let open = t.elapsed() / n;
        let f = crate::sys::file_map::FileBytes::open(path).unwrap();
        let t = std::time::Instant::now();
        for _ in 0..n {
            std::hint::black_box(super::ElfFile::parse(f.bytes()).unwrap());
        }
        let parse = t.elapsed() / n;
        let e = super::ElfFile::parse(f.bytes()).unwrap();
        let t = std::time::Instant::now();
        for _ in 0..n {
            std::hint::black_box(e.functions(super::SHT_DYNSYM).unwrap());
        }
        let funcs = t.elapsed() / n;
        eprintln!("open+map {open:?} parse {parse:?} functions {funcs:?}");
    }
}
