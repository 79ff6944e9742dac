//! One input object of the linker: its sections, symbols, `.BTF` and
//! `.BTF.ext`, checked the way libbpf's linker checks them (same order,
//! same messages, same errors), then its BTF fixed up (DATASEC sizes and
//! variable offsets, as the compiler leaves them zero).
//!
//! Every offset, index and size read from the file is checked before use:
//! a hostile object gives an error and a message, never a panic.

use super::elf64::*;
use crate::btf::{Btf, BtfExt};
use crate::error::{Error, Result};
use crate::uapi::btf::*;

/// Name of the DATASEC Clang gives unannotated extern variables.
pub const BTF_EXTERN_SEC: &[u8] = b".extern";

/// One section of an input object, or an "ephemeral" one: a DATASEC of
/// the object's BTF with no ELF section behind it (`.kconfig`, `.ksyms`,
/// `.maps` holding only externs), tracked to place its extern variables.
#[derive(Clone, Debug, Default)]
pub struct SrcSec<'a> {
    pub name: Vec<u8>,
    /// ELF section index (0 for ephemeral sections).
    pub sec_idx: usize,
    pub hdr: Shdr,
    /// The section's bytes (empty for `SHT_NOBITS` and ephemeral sections).
    pub data: &'a [u8],
    /// Not carried into the output (string tables, DWARF, `.BTF`, a
    /// duplicate `license`, ...).
    pub skipped: bool,
    pub ephemeral: bool,
    /// Position of the matching output section.
    pub dst_id: usize,
    /// Where this section's contents start in the output section.
    pub dst_off: u64,
    /// Id of the section's DATASEC in the object's BTF (0: none).
    pub sec_type_id: u32,
}

/// A parsed, checked input object.
pub struct SrcObj<'a> {
    pub filename: String,
    pub order: Order,
    /// Index = ELF section index (slot 0 unused); ephemeral sections follow.
    pub secs: Vec<SrcSec<'a>>,
    pub symtab_idx: usize,
    pub syms: Vec<Sym>,
    pub btf: Option<Btf>,
    pub btf_ext: Option<BtfExt>,
    /// Input symbol index -> output symbol index.
    pub sym_map: Vec<usize>,
    /// Input BTF type id -> output BTF type id.
    pub btf_type_map: Vec<u32>,
    /// Where each global name's BTF is, built on first use.
    pub(crate) glob_btf: Option<std::collections::HashMap<Vec<u8>, super::symbols::GlobBtf>>,
}

fn is_dwarf_sec_name(name: &[u8]) -> bool {
    name.starts_with(b".debug_")
}

fn is_ignored_sec(hdr: &Shdr, name: &[u8]) -> bool {
    if hdr.sh_type == SHT_STRTAB || hdr.sh_type == SHT_LLVM_ADDRSIG {
        return true;
    }
    if hdr.sh_type == SHT_PROGBITS && hdr.sh_size == 0 && name == b".text" {
        return true;
    }
    if is_dwarf_sec_name(name) {
        return true;
    }
    if let Some(rest) = name.strip_prefix(b".rel") {
        if is_dwarf_sec_name(rest) || rest == b".BTF" || rest == b".BTF.ext" {
            return true;
        }
    }
    false
}

/// NUL-terminated string at `off` of `table`.
pub fn str_at(table: &[u8], off: usize) -> Option<&[u8]> {
    let rest = table.get(off..)?;
    let end = rest.iter().position(|&b| b == 0)?;
    Some(&rest[..end])
}

/// Text of a name for messages.
pub fn show(name: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(name)
}

/// libbpf's symbolic rendering of an errno in messages (`-EINVAL`).
pub fn errstr(e: Error) -> String {
    const NAMES: &[(i32, &str)] = &[
        (libc::E2BIG, "E2BIG"), (libc::EACCES, "EACCES"), (libc::EADDRINUSE, "EADDRINUSE"),
        (libc::EADDRNOTAVAIL, "EADDRNOTAVAIL"), (libc::EAGAIN, "EAGAIN"), (libc::EALREADY, "EALREADY"),
        (libc::EBADF, "EBADF"), (libc::EBADFD, "EBADFD"), (libc::EBUSY, "EBUSY"), (libc::ECANCELED, "ECANCELED"),
        (libc::ECHILD, "ECHILD"), (libc::EDEADLK, "EDEADLK"), (libc::EDOM, "EDOM"), (libc::EEXIST, "EEXIST"),
        (libc::EFAULT, "EFAULT"), (libc::EFBIG, "EFBIG"), (libc::EILSEQ, "EILSEQ"), (libc::EINPROGRESS, "EINPROGRESS"),
        (libc::EINTR, "EINTR"), (libc::EINVAL, "EINVAL"), (libc::EIO, "EIO"), (libc::EISDIR, "EISDIR"),
        (libc::ELOOP, "ELOOP"), (libc::EMFILE, "EMFILE"), (libc::EMLINK, "EMLINK"), (libc::EMSGSIZE, "EMSGSIZE"),
        (libc::ENAMETOOLONG, "ENAMETOOLONG"), (libc::ENFILE, "ENFILE"), (libc::ENODATA, "ENODATA"),
        (libc::ENODEV, "ENODEV"), (libc::ENOENT, "ENOENT"), (libc::ENOEXEC, "ENOEXEC"), (libc::ENOLINK, "ENOLINK"),
        (libc::ENOMEM, "ENOMEM"), (libc::ENOSPC, "ENOSPC"), (libc::ENOTBLK, "ENOTBLK"), (libc::ENOTDIR, "ENOTDIR"),
        (524, "ENOTSUPP"), (libc::ENOTTY, "ENOTTY"), (libc::ENXIO, "ENXIO"), (libc::EOPNOTSUPP, "EOPNOTSUPP"),
        (libc::EOVERFLOW, "EOVERFLOW"), (libc::EPERM, "EPERM"), (libc::EPIPE, "EPIPE"), (libc::EPROTO, "EPROTO"),
        (libc::EPROTONOSUPPORT, "EPROTONOSUPPORT"), (libc::ERANGE, "ERANGE"), (libc::EROFS, "EROFS"),
        (libc::ESPIPE, "ESPIPE"), (libc::ESRCH, "ESRCH"), (libc::ETXTBSY, "ETXTBSY"), (libc::EUCLEAN, "EUCLEAN"),
        (libc::EXDEV, "EXDEV"),
    ];
    match NAMES.iter().find(|(n, _)| *n == e.errno()) {
        Some((_, name)) => format!("-{name}"),
        None => format!("{}", e.neg()),
    }
}

impl<'a> SrcObj<'a> {
    /// Reads the file header: its byte order, then whether it is a 64-bit
    /// BPF relocatable object. `out_order` is the linker's output byte
    /// order, set here by the first object (even if it fails later on, as
    /// in libbpf).
    fn header(bytes: &[u8], filename: &str, out_order: &mut Option<Order>) -> Result<(Order, Ehdr)> {
        // libelf only recognises a well-formed identification block.
        let ident_ok = bytes.len() >= EHDR_SIZE
            && &bytes[..4] == b"\x7fELF"
            && matches!(bytes[4], 1 | 2)
            && matches!(bytes[5], ELFDATA2LSB | ELFDATA2MSB)
            && bytes[6] == EV_CURRENT;
        if !ident_ok {
            pr_warn!("failed to get ELF header for {filename}: invalid `Elf' handle");
            return Err(Error::INVAL);
        }
        if bytes[4] != ELFCLASS64 {
            pr_warn!("failed to get ELF header for {filename}: invalid binary class");
            return Err(Error::INVAL);
        }
        let order = Order { big: bytes[5] == ELFDATA2MSB };
        match out_order {
            None => {
                *out_order = Some(order);
                pr_debug!("linker: set {}-endian output byte order", if order.big { "big" } else { "little" });
            }
            Some(o) if *o != order => {
                pr_warn!("byte order mismatch with ELF file {filename}");
                return Err(Error::NOT_SUPPORTED);
            }
            Some(_) => {}
        }
        let ehdr = Ehdr::decode(order, bytes);
        if ehdr.e_type != ET_REL || ehdr.e_machine != EM_BPF {
            pr_warn!("unsupported kind of ELF file {filename}: no error");
            return Err(Error::NOT_SUPPORTED);
        }
        Ok((order, ehdr))
    }

    /// The section headers (index 0 included), bounds-checked.
    fn section_headers(bytes: &[u8], o: Order, e: &Ehdr, filename: &str) -> Result<Vec<Shdr>> {
        let bad = || {
            pr_warn!("failed to get ELF header for {filename}: invalid section header");
            Error::INVAL
        };
        if e.e_shoff == 0 {
            return Ok(Vec::new());
        }
        if e.e_shentsize as usize != SHDR_SIZE {
            return Err(bad());
        }
        let shoff = usize::try_from(e.e_shoff).map_err(|_| bad())?;
        let first = bytes.get(shoff..shoff.checked_add(SHDR_SIZE).ok_or_else(bad)?).ok_or_else(bad)?;
        let mut count = e.e_shnum as usize;
        if count == 0 {
            count = usize::try_from(Shdr::decode(o, first).sh_size).map_err(|_| bad())?;
        }
        let end = count.checked_mul(SHDR_SIZE).and_then(|n| n.checked_add(shoff)).ok_or_else(bad)?;
        let table = bytes.get(shoff..end).ok_or_else(bad)?;
        Ok(table.chunks_exact(SHDR_SIZE).map(|b| Shdr::decode(o, b)).collect())
    }

    /// Parses `bytes` (named `filename` in messages) and runs libbpf's
    /// checks on it.
    pub fn parse(bytes: &'a [u8], filename: &str, out_order: &mut Option<Order>) -> Result<SrcObj<'a>> {
        pr_debug!("linker: adding object file '{filename}'...");
        let (order, ehdr) = Self::header(bytes, filename, out_order)?;
        let shdrs = Self::section_headers(bytes, order, &ehdr, filename)?;
        let mut shstrndx = ehdr.e_shstrndx as usize;
        if ehdr.e_shstrndx == SHN_XINDEX {
            shstrndx = shdrs.first().map_or(0, |s| s.sh_link as usize);
        }
        let shstr: &[u8] = match shdrs.get(shstrndx) {
            Some(h) if shstrndx != 0 => section_bytes(bytes, h).unwrap_or(&[]),
            _ => &[],
        };
        let mut obj = SrcObj {
            filename: filename.to_string(),
            order,
            secs: vec![SrcSec::default()],
            symtab_idx: 0,
            syms: Vec::new(),
            btf: None,
            btf_ext: None,
            sym_map: Vec::new(),
            btf_type_map: Vec::new(),
            glob_btf: None,
        };
        for (idx, hdr) in shdrs.iter().enumerate().skip(1) {
            let Some(name) = str_at(shstr, hdr.sh_name as usize) else {
                pr_warn!("failed to get section #{idx} name for {filename}: invalid section index");
                return Err(Error::INVAL);
            };
            let Some(data) = section_bytes(bytes, hdr) else {
                pr_warn!("failed to get section #{idx} ({}) data from {filename}: invalid section header", show(name));
                return Err(Error::INVAL);
            };
            let mut sec = SrcSec { name: name.to_vec(), sec_idx: idx, hdr: *hdr, data, ..Default::default() };
            if is_ignored_sec(hdr, name) {
                sec.skipped = true;
                obj.secs.push(sec);
                continue;
            }
            match hdr.sh_type {
                SHT_SYMTAB => {
                    if obj.symtab_idx != 0 {
                        pr_warn!("multiple SYMTAB sections found, not supported");
                        return Err(Error::NOT_SUPPORTED);
                    }
                    obj.symtab_idx = idx;
                }
                SHT_STRTAB | SHT_NOBITS | SHT_REL => {}
                SHT_PROGBITS if name == b".BTF" => {
                    obj.btf = Some(Btf::parse(data).inspect_err(|e| {
                        pr_warn!("failed to parse .BTF from {filename}: {}", errstr(*e));
                    })?);
                    sec.skipped = true;
                }
                SHT_PROGBITS if name == b".BTF.ext" => {
                    obj.btf_ext = Some(BtfExt::parse(data).inspect_err(|e| {
                        pr_warn!("failed to parse .BTF.ext from '{filename}': {}", errstr(*e));
                    })?);
                    sec.skipped = true;
                }
                SHT_PROGBITS => {}
                _ => {
                    pr_warn!("unrecognized section #{idx} ({}) in {filename}", show(name));
                    return Err(Error::INVAL);
                }
            }
            obj.secs.push(sec);
        }
        if shstrndx == 0 || shstrndx >= shdrs.len() {
            shstrndx = 0;
        }
        obj.check_elf(shstrndx)?;
        obj.check_btf()?;
        obj.check_btf_ext()?;
        obj.fixup_btf()?;
        Ok(obj)
    }

    fn check_elf(&mut self, shstrndx: usize) -> Result<()> {
        let f = self.filename.clone();
        if self.symtab_idx == 0 {
            pr_warn!("ELF is missing SYMTAB section in {f}");
            return Err(Error::INVAL);
        }
        if shstrndx == 0 {
            pr_warn!("ELF is missing section headers STRTAB section in {f}");
            return Err(Error::INVAL);
        }
        for i in 1..self.secs.len() {
            let (name, hdr, idx) = (self.secs[i].name.clone(), self.secs[i].hdr, self.secs[i].sec_idx);
            if name.is_empty() {
                pr_warn!("ELF section #{idx} has empty name in {f}");
                return Err(Error::INVAL);
            }
            if is_dwarf_sec_name(&name) {
                continue;
            }
            if hdr.sh_addralign != 0 && !hdr.sh_addralign.is_power_of_two() {
                pr_warn!("ELF section #{idx} alignment {} is non pow-of-2 alignment in {f}", hdr.sh_addralign);
                return Err(Error::INVAL);
            }
            match hdr.sh_type {
                SHT_SYMTAB => self.check_symtab(i)?,
                SHT_STRTAB | SHT_NOBITS | SHT_LLVM_ADDRSIG => {}
                SHT_PROGBITS => {
                    if hdr.sh_flags & SHF_EXECINSTR != 0 && hdr.sh_size % 8 != 0 {
                        pr_warn!("ELF section #{idx} has unexpected size alignment {} in {f}", hdr.sh_size);
                        return Err(Error::INVAL);
                    }
                }
                SHT_REL => self.check_relos(i)?,
                t => {
                    pr_warn!("ELF section #{idx} ({}) has unrecognized type {t} in {f}", show(&name));
                    return Err(Error::INVAL);
                }
            }
        }
        Ok(())
    }

    fn check_symtab(&mut self, i: usize) -> Result<()> {
        let f = self.filename.clone();
        let sec = &self.secs[i];
        let (hdr, idx) = (sec.hdr, sec.sec_idx);
        if hdr.sh_entsize != SYM_SIZE as u64 || hdr.sh_size % SYM_SIZE as u64 != 0 {
            return Err(Error::INVAL);
        }
        let link = hdr.sh_link as usize;
        if link == 0 || link >= self.secs.len() {
            pr_warn!("ELF SYMTAB section #{idx} points to missing STRTAB section #{link} in {f}");
            return Err(Error::INVAL);
        }
        if self.secs[link].hdr.sh_type != SHT_STRTAB {
            pr_warn!("ELF SYMTAB section #{idx} points to invalid STRTAB section #{link} in {f}");
            return Err(Error::INVAL);
        }
        let syms: Vec<Sym> = sec.data.chunks_exact(SYM_SIZE).map(|b| Sym::decode(self.order, b)).collect();
        for (n, sym) in syms.iter().enumerate() {
            if n == 0 {
                if *sym != Sym::default() {
                    pr_warn!("ELF sym #0 is invalid in {f}");
                    return Err(Error::INVAL);
                }
                continue;
            }
            let (bind, vis) = (sym.bind(), sym.visibility());
            if bind != STB_LOCAL && bind != STB_GLOBAL && bind != STB_WEAK {
                pr_warn!("ELF sym #{n} in section #{idx} has unsupported symbol binding {bind}");
                return Err(Error::INVAL);
            }
            if vis != STV_DEFAULT && vis != STV_HIDDEN {
                pr_warn!("ELF sym #{n} in section #{idx} has unsupported symbol visibility {vis}");
                return Err(Error::INVAL);
            }
            if sym.st_shndx == SHN_UNDEF {
                if sym.kind() != STT_NOTYPE || bind == STB_LOCAL || sym.st_value != 0 || sym.st_size != 0 {
                    pr_warn!("ELF sym #{n} is invalid extern symbol in {f}");
                    return Err(Error::INVAL);
                }
                continue;
            }
            if sym.st_shndx < SHN_LORESERVE && sym.st_shndx as usize >= self.secs.len() {
                pr_warn!("ELF sym #{n} in section #{idx} points to missing section #{} in {f}", sym.st_shndx);
                return Err(Error::INVAL);
            }
            if sym.kind() == STT_SECTION && sym.st_value != 0 {
                return Err(Error::INVAL);
            }
        }
        self.syms = syms;
        Ok(())
    }

    fn check_relos(&self, i: usize) -> Result<()> {
        let f = &self.filename;
        let sec = &self.secs[i];
        let (hdr, idx) = (sec.hdr, sec.sec_idx);
        if hdr.sh_entsize != REL_SIZE as u64 || hdr.sh_size % REL_SIZE as u64 != 0 {
            return Err(Error::INVAL);
        }
        if hdr.sh_link as usize != self.symtab_idx {
            pr_warn!("ELF relo section #{idx} points to invalid SYMTAB section #{} in {f}", hdr.sh_link);
            return Err(Error::INVAL);
        }
        let target = hdr.sh_info as usize;
        if target == 0 || target >= self.secs.len() {
            pr_warn!("ELF relo section #{idx} points to missing section #{target} in {f}");
            return Err(Error::INVAL);
        }
        let linked = &self.secs[target];
        if sec.name.strip_prefix(b".rel") != Some(&linked.name[..]) {
            pr_warn!("ELF relo section #{idx} name has invalid name in {f}");
            return Err(Error::INVAL);
        }
        if linked.skipped {
            return Ok(());
        }
        if linked.hdr.sh_type != SHT_PROGBITS && linked.hdr.sh_type != SHT_NOBITS {
            pr_warn!("ELF relo section #{idx} points to invalid section #{target} in {f}");
            return Err(Error::INVAL);
        }
        let sym_bytes = self.secs.get(self.symtab_idx).map_or(0, |s| s.hdr.sh_size);
        let exec = linked.hdr.sh_flags & SHF_EXECINSTR != 0;
        for (n, b) in sec.data.chunks_exact(REL_SIZE).enumerate() {
            let rel = Rel::decode(self.order, b);
            let (sym, kind) = (rel.sym(), rel.kind());
            if !matches!(kind, R_BPF_64_64 | R_BPF_64_32 | R_BPF_64_ABS64 | R_BPF_64_ABS32) {
                pr_warn!("ELF relo #{n} in section #{idx} has unexpected type {kind} in {f}");
                return Err(Error::INVAL);
            }
            if sym == 0 || (sym as u64).saturating_mul(SYM_SIZE as u64) >= sym_bytes {
                pr_warn!("ELF relo #{n} in section #{idx} points to invalid symbol #{sym} in {f}");
                return Err(Error::INVAL);
            }
            if exec && rel.r_offset % 8 != 0 {
                pr_warn!("ELF relo #{n} in section #{idx} points to missing symbol #{sym} in {f}");
                return Err(Error::INVAL);
            }
        }
        Ok(())
    }

    /// Every type id and string offset of the BTF is valid.
    fn check_btf(&self) -> Result<()> {
        let Some(btf) = &self.btf else { return Ok(()) };
        let n = btf.type_cnt();
        for (_, t) in btf.own_types() {
            for at in crate::btf::id_slots(t.words())? {
                if t.words()[at] >= n {
                    return Err(Error::INVAL);
                }
            }
            for at in crate::btf::str_slots(t.words()) {
                if btf.str_by_offset(t.words()[at]).is_none() {
                    return Err(Error::INVAL);
                }
            }
        }
        Ok(())
    }

    /// `.BTF.ext` needs `.BTF`; its type ids and strings must be valid.
    fn check_btf_ext(&self) -> Result<()> {
        let Some(ext) = &self.btf_ext else { return Ok(()) };
        let Some(btf) = &self.btf else { return Err(Error::INVAL) };
        let n = btf.type_cnt();
        let name_ok = |off: u32| btf.str_by_offset(off).is_some();
        for sec in ext.func_info_sections() {
            if !name_ok(sec.sec_name_off) || sec.func_infos().any(|r| r.type_id >= n) {
                return Err(Error::INVAL);
            }
        }
        for sec in ext.line_info_sections() {
            if !name_ok(sec.sec_name_off) || sec.line_infos().any(|r| !name_ok(r.file_name_off) || !name_ok(r.line_off)) {
                return Err(Error::INVAL);
            }
        }
        for sec in ext.core_relo_sections() {
            if !name_ok(sec.sec_name_off) || sec.core_relos().any(|r| r.type_id >= n || !name_ok(r.access_str_off)) {
                return Err(Error::INVAL);
            }
        }
        Ok(())
    }

    /// The position of the first section named `name`.
    pub fn find_sec(&self, name: &[u8]) -> Option<usize> {
        (1..self.secs.len()).find(|&i| self.secs[i].name == name)
    }

    /// The first symbol of section `sec_idx` of kind `kind` named `name`.
    fn find_sym(&self, sec_idx: usize, kind: u8, name: &[u8]) -> Option<Sym> {
        let strs = self.strtab();
        self.syms
            .iter()
            .find(|s| s.st_shndx as usize == sec_idx && s.kind() == kind && str_at(strs, s.st_name as usize) == Some(name))
            .copied()
    }

    /// The symbol string table (`.symtab`'s link).
    pub fn strtab(&self) -> &'a [u8] {
        let link = self.secs.get(self.symtab_idx).map_or(0, |s| s.hdr.sh_link as usize);
        self.secs.get(link).map_or(&[], |s| s.data)
    }

    /// Sets DATASEC sizes from their ELF sections and global variable
    /// offsets from their symbols; adds an ephemeral section for each
    /// DATASEC without an ELF section (but `.extern`).
    fn fixup_btf(&mut self) -> Result<()> {
        let Some(mut btf) = self.btf.take() else { return Ok(()) };
        let result = self.fixup_btf_with(&mut btf);
        self.btf = Some(btf);
        result
    }

    fn fixup_btf_with(&mut self, btf: &mut Btf) -> Result<()> {
        for id in 1..btf.type_cnt() {
            let t = btf.type_at(id)?;
            if t.kind() != BTF_KIND_DATASEC {
                continue;
            }
            let sec_name = btf.str_bytes(t.name_off()).ok_or(Error::INVAL)?.to_vec();
            let pos = match self.find_sec(&sec_name) {
                Some(pos) => {
                    if !self.secs[pos].ephemeral {
                        let size = u32::try_from(self.secs[pos].hdr.sh_size).map_err(|_| Error::INVAL)?;
                        btf.type_words_mut(id)?[2] = size;
                    }
                    pos
                }
                None => {
                    if sec_name == BTF_EXTERN_SEC {
                        continue;
                    }
                    self.secs.push(SrcSec { name: sec_name.clone(), ephemeral: true, ..Default::default() });
                    self.secs.len() - 1
                }
            };
            self.secs[pos].sec_type_id = id;
            let sec_idx = self.secs[pos].sec_idx;
            let vars: Vec<_> = btf.type_at(id)?.secinfos().collect();
            for (j, vi) in vars.iter().enumerate() {
                let Some(vt) = btf.type_by_id(vi.type_id) else { continue };
                if vt.var_linkage() != Some(BTF_VAR_GLOBAL_ALLOCATED) {
                    continue;
                }
                let var_name = btf.str_bytes(vt.name_off()).unwrap_or(&[]).to_vec();
                let Some(sym) = self.find_sym(sec_idx, STT_OBJECT, &var_name) else {
                    pr_warn!("failed to find symbol for variable '{}' in section '{}'", show(&var_name), show(&sec_name));
                    return Err(Error::NOENT);
                };
                let off = u32::try_from(sym.st_value).map_err(|_| Error::INVAL)?;
                if let Some(w) = btf.type_words_mut(id)?.get_mut(3 + j * 3 + 1) {
                    *w = off;
                }
            }
        }
        Ok(())
    }
}

/// The bytes of a section in the file (empty for `SHT_NOBITS`), or None
/// when they lie outside the file.
fn section_bytes<'b>(bytes: &'b [u8], h: &Shdr) -> Option<&'b [u8]> {
    if h.sh_type == SHT_NOBITS || h.sh_size == 0 {
        return Some(&[]);
    }
    let start = usize::try_from(h.sh_offset).ok()?;
    let len = usize::try_from(h.sh_size).ok()?;
    bytes.get(start..start.checked_add(len)?)
}
