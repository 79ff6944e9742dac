//! One BPF program (or subprogram) of an object: its code, its SEC()
//! definition, its load settings and, once loaded, its fd.

use std::ffi::CString;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::sys::usermem::UserMem;
use crate::uapi::bpf_insn;

use super::reloc::Reloc;
use super::sec_def::SecDef;
use super::State;

/// `.BTF.ext` records (func_info or line_info) of a program, in kernel
/// form: instruction offsets counted in instructions, relative to the
/// program's final image. Stored as 32-bit words (every record field is).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExtInfo {
    pub words: Vec<u32>,
    /// Bytes per record (0 when there is no info).
    pub rec_size: u32,
}

impl ExtInfo {
    pub fn count(&self) -> u32 {
        if self.rec_size == 0 {
            0
        } else {
            (self.words.len() * 4 / self.rec_size as usize) as u32
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Offsets of a subprogram appended to a main program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppendedSubprog {
    pub sec_insn_off: u32,
    pub sub_insn_off: u32,
}

#[derive(Debug)]
pub struct Program {
    pub name: CString,
    /// The section name without the leading `?` of `SEC("?...")`.
    pub sec_name: CString,
    pub sec_idx: usize,
    pub sec_def: Option<Arc<SecDef>>,
    /// Offset (in instructions) of this program within its section.
    pub sec_insn_off: usize,
    /// Number of instructions of this program in its section.
    pub sec_insn_cnt: usize,
    /// Where this (sub)program sits in the main program being relocated
    /// (0 for main programs; scratch state of call relocation).
    pub sub_insn_off: usize,
    /// The program's image: its own instructions, then (after relocation)
    /// the subprograms it uses.
    pub insns: Vec<bpf_insn>,
    /// Relocations against `insns`, sorted by instruction index.
    pub relos: Vec<Reloc>,
    pub log_buf: UserMem,
    pub log_level: u32,
    pub fd: Option<OwnedFd>,
    pub autoload: bool,
    pub autoattach: bool,
    /// Global (or weak) symbol.
    pub sym_global: bool,
    /// Global but hidden: its BTF FUNC is made static before loading.
    pub mark_btf_static: bool,
    pub prog_type: u32,
    pub expected_attach_type: u32,
    /// Index (in the object's programs) of its exception callback.
    pub exception_cb: Option<usize>,
    pub ifindex: u32,
    pub attach_btf_obj_fd: u32,
    pub attach_btf_id: u32,
    pub attach_prog_fd: u32,
    pub func_info: ExtInfo,
    pub line_info: ExtInfo,
    pub prog_flags: u32,
    /// SHA-256 of the final image with map fds cleared (exclusive maps).
    pub hash: [u8; 32],
    pub subprogs: Vec<AppendedSubprog>,
}

impl Program {
    /// A program of `insn_cnt` instructions found at `sec_insn_off` of section `sec_idx`.
    pub fn new(name: &[u8], sec_name: &[u8], sec_idx: usize, sec_insn_off: usize, insns: Vec<bpf_insn>, log_level: u32) -> Result<Program> {
        let (sec_name, autoload) = match sec_name.strip_prefix(b"?") {
            Some(rest) => (rest, false),
            None => (sec_name, true),
        };
        Ok(Program {
            name: CString::new(name).map_err(|_| Error::FORMAT)?,
            sec_name: CString::new(sec_name).map_err(|_| Error::FORMAT)?,
            sec_idx,
            sec_def: None,
            sec_insn_off,
            sec_insn_cnt: insns.len(),
            sub_insn_off: 0,
            insns,
            relos: Vec::new(),
            log_buf: UserMem::NONE,
            log_level,
            fd: None,
            autoload,
            autoattach: true,
            sym_global: false,
            mark_btf_static: false,
            prog_type: 0,
            expected_attach_type: 0,
            exception_cb: None,
            ifindex: 0,
            attach_btf_obj_fd: 0,
            attach_btf_id: 0,
            attach_prog_fd: 0,
            func_info: ExtInfo::default(),
            line_info: ExtInfo::default(),
            prog_flags: 0,
            hash: [0; 32],
            subprogs: Vec::new(),
        })
    }

    pub fn name_str(&self) -> std::borrow::Cow<'_, str> {
        self.name.to_string_lossy()
    }

    pub fn sec_name_str(&self) -> std::borrow::Cow<'_, str> {
        self.sec_name.to_string_lossy()
    }

    /// Whether instruction `insn_idx` of the section belongs to this program.
    pub fn contains_insn(&self, insn_idx: usize) -> bool {
        insn_idx >= self.sec_insn_off && insn_idx < self.sec_insn_off + self.sec_insn_cnt
    }

    /// The fd, or `ENOENT` when not loaded.
    pub fn raw_fd(&self) -> Result<i32> {
        self.fd.as_ref().map(|f| f.as_raw_fd()).ok_or(Error::NOENT)
    }

    /// Closes the program's fd and drops its load-time info (`bpf_program__unload`).
    pub fn unload(&mut self) {
        self.fd = None;
        self.func_info = ExtInfo::default();
        self.line_info = ExtInfo::default();
        self.subprogs.clear();
    }

    /// `bpf_program__set_type()`: changing the type forgets the SEC()
    /// handler, unless it is the application's fallback handler.
    pub fn set_type(&mut self, state: State, prog_type: u32) -> Result<()> {
        if state >= State::Loaded {
            return Err(Error::BUSY);
        }
        if self.prog_type == prog_type {
            return Ok(());
        }
        self.prog_type = prog_type;
        if !self.sec_def.as_ref().is_some_and(|d| d.sec.is_none()) {
            self.sec_def = None;
        }
        Ok(())
    }

    /// `bpf_program__set_log_buf()`.
    pub fn set_log_buf(&mut self, state: State, buf: UserMem) -> Result<()> {
        if !buf.is_empty() && buf.is_null() {
            return Err(Error::INVAL);
        }
        if self.log_buf.len() > u32::MAX as usize {
            return Err(Error::INVAL);
        }
        if state >= State::Loaded {
            return Err(Error::BUSY);
        }
        self.log_buf = buf;
        Ok(())
    }

    /// `bpf_program__set_insns()`.
    pub fn set_insns(&mut self, state: State, insns: &[bpf_insn]) -> Result<()> {
        if state >= State::Loaded {
            return Err(Error::BUSY);
        }
        self.insns = insns.to_vec();
        Ok(())
    }
}
