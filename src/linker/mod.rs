//! The BPF static linker (`bpf_linker__*`, what `bpftool gen object` does):
//! combines BPF ELF relocatable objects into one, with libbpf 1.8's rules.
//!
//! - Sections of the same name are concatenated, each contribution at its
//!   alignment (`license` and `version` must be identical and are kept
//!   once); relocations follow their sections, rebased.
//! - Symbols: locals are copied; globals are resolved across objects by
//!   name — an extern takes the definition, a strong definition beats weak
//!   ones, two strong definitions conflict — with BTF checks that the
//!   declarations agree (types, map definitions of `.maps`).
//! - `.BTF` types are appended object after object (externs resolved to
//!   their definitions' types) and each output section gets a DATASEC;
//!   `.BTF.ext` records (func info, line info, CO-RE relocations) are
//!   rebased onto the output sections.
//! - The output is written by a pure ELF writer (`elf64`), in the byte
//!   order of the inputs (both byte orders are supported).
//!
//! The core is pure: [`Linker::add_bytes`] takes an object's bytes and
//! [`Linker::finalize`] produces the output's; [`io`] is the only place that
//! opens, reads or writes files.
//!
//! At finalisation the merged BTF is deduplicated (as `btf__dedup()` does),
//! with the `.BTF.ext` type ids remapped along.

mod btf_merge;
pub mod elf64;
pub mod input;
pub mod io;
mod sections;
mod symbols;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use crate::btf::Btf;
use crate::error::{Error, Result};
use elf64::*;
use input::SrcObj;

/// `.BTF.ext` records gathered for one output section.
#[derive(Clone, Debug, Default)]
pub(crate) struct ExtRecs {
    pub rec_sz: u32,
    pub cnt: usize,
    /// `cnt * rec_sz` bytes, native byte order.
    pub recs: Vec<u8>,
}

/// A variable (or function) of an output section's DATASEC.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct SecVar {
    pub type_id: u32,
    pub offset: u32,
    pub size: u32,
}

/// One output section (or an ephemeral one, with no ELF section).
#[derive(Clone, Debug, Default)]
pub(crate) struct DstSec {
    pub name: Vec<u8>,
    pub ephemeral: bool,
    /// ELF section index; 0 while the section has no ELF section.
    pub elf_idx: usize,
    pub hdr: Shdr,
    pub data: Vec<u8>,
    /// Size so far (also for `SHT_NOBITS`, which have no data).
    pub sec_sz: u64,
    /// Index of the section's STT_SECTION symbol (0: none yet).
    pub sec_sym_idx: usize,
    pub has_btf: bool,
    pub sec_vars: Vec<SecVar>,
    pub func_info: ExtRecs,
    pub line_info: ExtRecs,
    pub core_relo_info: ExtRecs,
}

/// A global (or extern) symbol, by name across all objects.
#[derive(Clone, Debug)]
pub(crate) struct GlobSym {
    pub name: Vec<u8>,
    /// Its output symbol.
    pub sym_idx: usize,
    /// Position of its output section (0: none, e.g. `.extern` externs).
    pub sec_id: usize,
    /// Its VAR or FUNC in the output BTF (0 until its BTF is appended).
    pub btf_id: u32,
    /// The type its VAR/FUNC points to: > 0 an output id; < 0 the negated
    /// id in the object being added, to be mapped; 0 to be taken from the
    /// next object that has the symbol (its definition).
    pub underlying_btf_id: i64,
    /// Its entry in its section's DATASEC variables.
    pub var_idx: Option<usize>,
    pub is_extern: bool,
    pub is_weak: bool,
}

/// A string table with each string once (ELF `.strtab`).
#[derive(Clone, Debug)]
pub(crate) struct StrSet {
    pub data: Vec<u8>,
    index: HashMap<Vec<u8>, u32>,
}

impl StrSet {
    fn new() -> StrSet {
        let mut index = HashMap::new();
        index.insert(Vec::new(), 0);
        StrSet { data: vec![0], index }
    }

    /// The offset of `s`, added if new.
    pub fn add(&mut self, s: &[u8]) -> Result<u32> {
        if let Some(&off) = self.index.get(s) {
            return Ok(off);
        }
        if s.contains(&0) {
            return Err(Error::INVAL);
        }
        let off = u32::try_from(self.data.len()).map_err(|_| Error::TOO_BIG)?;
        self.data.extend_from_slice(s);
        self.data.push(0);
        self.index.insert(s.to_vec(), off);
        Ok(off)
    }
}

/// ELF index (and position) of `.strtab` and `.symtab` in the output.
const STRTAB_IDX: usize = 1;
const SYMTAB_IDX: usize = 2;

/// The state of one link: output sections, symbols and BTF so far.
pub struct Linker {
    /// Names the output in messages (a path, or `fd:N`).
    pub filename: String,
    /// Output byte order, set by the first object added.
    pub(crate) order: Option<Order>,
    /// Output sections by position; slot 0 is unused, 1 is `.strtab`, 2
    /// `.symtab` (positions are libbpf's section ids in its messages).
    pub(crate) secs: Vec<DstSec>,
    /// ELF index the next materialised section gets.
    next_elf_idx: usize,
    pub(crate) strtab: StrSet,
    pub(crate) syms: Vec<Sym>,
    pub(crate) btf: Btf,
    pub(crate) glob_syms: Vec<GlobSym>,
    /// Position of each global symbol in `glob_syms`, by name.
    glob_index: HashMap<Vec<u8>, usize>,
    /// Set once finalised: nothing more can be added.
    done: bool,
}

impl Linker {
    /// An empty link whose output is called `filename` in messages.
    pub fn new(filename: &str) -> Result<Linker> {
        let mut l = Linker {
            filename: filename.to_string(),
            order: None,
            secs: vec![DstSec::default()],
            next_elf_idx: 1,
            strtab: StrSet::new(),
            syms: vec![Sym::default()],
            btf: Btf::new_empty(),
            glob_syms: Vec::new(),
            glob_index: HashMap::new(),
            done: false,
        };
        let strtab = l.add_dst_sec(b".strtab");
        l.materialize(strtab)?;
        let s = &mut l.secs[strtab];
        s.hdr.sh_type = SHT_STRTAB;
        s.hdr.sh_flags = SHF_STRINGS;
        s.hdr.sh_addralign = 1;
        let symtab = l.add_dst_sec(b".symtab");
        l.materialize(symtab)?;
        let s = &mut l.secs[symtab];
        s.hdr.sh_type = SHT_SYMTAB;
        s.hdr.sh_link = STRTAB_IDX as u32;
        s.hdr.sh_addralign = 8;
        s.hdr.sh_entsize = SYM_SIZE as u64;
        debug_assert_eq!((l.secs[STRTAB_IDX].elf_idx, l.secs[SYMTAB_IDX].elf_idx), (STRTAB_IDX, SYMTAB_IDX));
        Ok(l)
    }

    /// Whether the link can still take objects (not finalised).
    pub fn is_open(&self) -> bool {
        !self.done
    }

    /// A new output section shell named `name`; returns its position.
    pub(crate) fn add_dst_sec(&mut self, name: &[u8]) -> usize {
        self.secs.push(DstSec { name: name.to_vec(), ..Default::default() });
        self.secs.len() - 1
    }

    /// Gives section `id` its ELF section (next index, name in `.strtab`).
    pub(crate) fn materialize(&mut self, id: usize) -> Result<()> {
        let name_off = self.strtab.add(&self.secs[id].name)?;
        let s = &mut self.secs[id];
        s.elf_idx = self.next_elf_idx;
        s.hdr.sh_name = name_off;
        self.next_elf_idx += 1;
        Ok(())
    }

    /// The output section named `name`.
    pub(crate) fn find_dst_sec(&self, name: &[u8]) -> Option<usize> {
        (1..self.secs.len()).find(|&i| self.secs[i].name == name)
    }

    /// The global symbol named `name`.
    pub(crate) fn find_glob_sym(&self, name: &[u8]) -> Option<usize> {
        self.glob_index.get(name).copied()
    }

    /// Records a new global symbol.
    pub(crate) fn add_glob_sym(&mut self, g: GlobSym) {
        self.glob_index.entry(g.name.clone()).or_insert(self.glob_syms.len());
        self.glob_syms.push(g);
    }

    /// Adds the object in `bytes` (named `name` in messages): its sections,
    /// symbols, relocations, BTF and `.BTF.ext`. Errors are libbpf's
    /// (`EINVAL` for malformed or conflicting input, `EOPNOTSUPP` for
    /// unsupported kinds of files or byte-order mixes, `ENOENT` for BTF
    /// that cannot be matched); the link is then left as far as it got, as
    /// in libbpf, and should be freed.
    pub fn add_bytes(&mut self, bytes: &[u8], name: &str) -> Result<()> {
        if self.done {
            return Err(Error::INVAL);
        }
        let mut obj = SrcObj::parse(bytes, name, &mut self.order)?;
        self.append_sec_data(&mut obj)?;
        self.append_elf_syms(&mut obj)?;
        self.append_elf_relos(&mut obj)?;
        self.append_btf(&mut obj)?;
        self.append_btf_ext(&obj)?;
        Ok(())
    }

    /// Completes the link and returns the output object's bytes: builds the
    /// DATASECs and `.BTF.ext`, the string and symbol tables, and lays out
    /// the ELF file. The link is closed afterwards (`EINVAL` if finalised
    /// again or added to).
    pub fn finalize(&mut self) -> Result<Vec<u8>> {
        if self.done {
            return Err(Error::INVAL);
        }
        let order = self.order.unwrap_or(Order { big: cfg!(target_endian = "big") });
        let extra = self.finalize_btf(order)?;
        let mut out: Vec<(usize, OutSection)> = Vec::new();
        for s in self.secs.iter().skip(1) {
            if s.elf_idx == 0 {
                continue;
            }
            out.push((s.elf_idx, OutSection { hdr: s.hdr, data: s.data.clone() }));
        }
        out.sort_by_key(|(idx, _)| *idx);
        let mut sections: Vec<OutSection> = out.into_iter().map(|(_, s)| s).collect();
        sections.extend(extra);
        let mut symtab = Vec::with_capacity(self.syms.len() * SYM_SIZE);
        for s in &self.syms {
            s.encode(order, &mut symtab);
        }
        sections[STRTAB_IDX - 1].data = self.strtab.data.clone();
        sections[SYMTAB_IDX - 1].data = symtab;
        let bytes = write_object(order, &mut sections, STRTAB_IDX).inspect_err(|_| {
            pr_warn!("failed to finalize ELF layout: output too large");
        })?;
        self.done = true;
        Ok(bytes)
    }
}
