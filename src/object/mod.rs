//! BPF objects: an ELF object turned into programs and maps, then into
//! kernel objects.
//!
//! `open` (see [`open`]) produces an [`Object`]: a plain value holding the
//! programs (code, SEC() definition, relocation records), the maps
//! (definitions, initial images) and the BTF. Loading ([`load`]) is a
//! pipeline of named steps over that value followed by the few kernel
//! calls. Every accessor and setter of `bpf_object__*`, `bpf_program__*` and
//! `bpf_map__*` is a method here; the C boundary only converts arguments.

use std::ffi::CString;
use std::os::fd::{AsRawFd, OwnedFd};

use crate::error::{Error, Result};

pub mod btf_info;
pub mod create;
pub mod elf;
pub mod features;
pub mod gen_loader;
pub mod load;
pub mod map_def;
pub mod open;
pub mod pin;
pub mod program;
pub mod reloc;
pub mod sanitize;
pub mod sec_def;
pub mod sha256;
pub mod skeleton;
pub mod subprog;
pub mod verifier_log;

pub use map_def::Map;
pub use crate::sys::usermem::UserMem;
pub use program::Program;

/// Access to an object whose C handle the application may re-enter while
/// one of its callbacks runs: each access borrows the object only for the
/// duration of `f`.
pub trait ObjectCell {
    fn with<R>(&self, f: impl FnOnce(&mut Object) -> R) -> R;
}

/// Calls of the application's custom SEC() handler callbacks (made by the
/// C boundary, which knows how to call C function pointers).
pub trait HandlerCalls {
    /// `prog_setup_fn(prog, cookie)`; returns the callback's result.
    fn setup(&self, prog: usize, func: usize, cookie: i64) -> i32;
    /// `prog_prepare_load_fn(prog, opts, cookie)` with `attrs` as the opts;
    /// returns the callback's result.
    fn prepare_load(&self, prog: usize, func: usize, cookie: i64, attrs: &mut load::ProgLoadAttrs) -> i32;
}

/// Where an object is in its life: open (editable), prepared (maps
/// created, programs relocated) or loaded (which also covers a failed load:
/// an object is never loaded twice).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    Open,
    Prepared,
    Loaded,
}

/// Options given at open time (`struct bpf_object_open_opts`).
#[derive(Clone, Debug, Default)]
pub struct OpenOptions {
    pub object_name: Option<Vec<u8>>,
    pub relaxed_maps: bool,
    pub pin_root_path: Option<String>,
    pub kconfig: Option<String>,
    pub btf_custom_path: Option<String>,
    pub kernel_log_buf: UserMem,
    pub kernel_log_level: u32,
    pub bpf_token_path: Option<String>,
}

/// An extern (`.kconfig` value, `.ksyms` variable or kfunc): see `crate::externs`.
pub use crate::externs::Extern;

/// A BPF object.
pub struct Object {
    /// Object name (at most 15 bytes).
    pub name: CString,
    /// The file path, or the object name for in-memory objects.
    pub path: String,
    pub license: CString,
    pub kern_version: u32,
    pub state: State,
    /// Programs and subprograms, sorted by section index and offset.
    pub programs: Vec<Program>,
    pub maps: Vec<Map>,
    pub externs: Vec<Extern>,
    /// Index of the `.kconfig` map, when the object has kconfig externs.
    pub kconfig_map: Option<usize>,
    /// The `fd_array` of program loads: module BTF fds of kfuncs (index 0 unused).
    pub fd_array: Vec<i32>,
    /// The shared vmlinux BTF, held during a load that needs it.
    pub kernel_btf: Option<crate::relo::shared::Handle<crate::relo::kernel::KernelBtf>>,
    /// ELF index of `.text` (subprograms), if present and non-empty.
    pub text_shndx: Option<usize>,
    /// ELF index of `.maps`.
    pub maps_shndx: Option<usize>,
    pub symbols_shndx: usize,
    pub little_endian: bool,
    pub has_rodata: bool,
    pub has_st_ops: bool,
    /// The object's BTF (shared with C through `bpf_object__btf()`).
    pub btf: Option<std::sync::Arc<crate::btf::Btf>>,
    pub btf_ext: Option<crate::btf::BtfExt>,
    /// Func/line info of `.BTF.ext`, by section.
    pub ext_infos: subprog::ExtInfos,
    /// Whether `.BTF.ext` carries CO-RE relocations.
    pub has_core_relos: bool,
    pub kconfig: Option<String>,
    pub btf_custom_path: Option<String>,
    pub log_buf: UserMem,
    pub log_level: u32,
    pub token_path: Option<String>,
    pub token_fd: Option<OwnedFd>,
    /// Feature probes through the object's token (None: process-wide).
    pub feat_cache: Option<Box<features::FeatureCache>>,
    /// USDT support, set up by the first USDT attachment (a failure is kept).
    pub usdt: Option<Result<Box<crate::usdt::attach::ObjectUsdt>>>,
    /// Loads generate a loader program (`bpf_object__gen_loader()`).
    pub gen: Option<Box<gen_loader::Session>>,
}

impl core::fmt::Debug for Object {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Object")
            .field("name", &self.name)
            .field("path", &self.path)
            .field("state", &self.state)
            .field("programs", &self.programs.len())
            .field("maps", &self.maps.len())
            .finish()
    }
}

impl Object {
    pub fn name_str(&self) -> std::borrow::Cow<'_, str> {
        self.name.to_string_lossy()
    }

    /// Whether program `idx` is a subprogram (lives in `.text`).
    pub fn is_subprog(&self, idx: usize) -> bool {
        Some(self.programs[idx].sec_idx) == self.text_shndx
    }

    /// Next (or previous) entry-point program after `from` (None: the first
    /// or last one), skipping subprograms.
    pub fn step_program(&self, from: Option<usize>, forward: bool) -> Option<usize> {
        let n = self.programs.len();
        let mut cur = from;
        loop {
            let next = match (cur, forward) {
                (None, true) => 0,
                (None, false) => n.checked_sub(1)?,
                (Some(i), true) => i + 1,
                (Some(i), false) => i.checked_sub(1)?,
            };
            if next >= n {
                return None;
            }
            if !self.is_subprog(next) {
                return Some(next);
            }
            cur = Some(next);
        }
    }

    /// `bpf_object__find_program_by_name()`: entry-point programs only.
    pub fn find_program(&self, name: &[u8]) -> Option<usize> {
        (0..self.programs.len()).find(|&i| !self.is_subprog(i) && self.programs[i].name.as_bytes() == name)
    }

    /// `bpf_object__find_map_by_name()`: names starting with a dot match the
    /// section name of global data maps.
    pub fn find_map(&self, name: &[u8]) -> Option<usize> {
        self.maps.iter().position(|m| {
            if name.first() == Some(&b'.') {
                return m.real_name.as_ref().is_some_and(|r| r.as_bytes() == name);
            }
            if m.uses_real_name() {
                return m.real_name.as_ref().is_some_and(|r| r.as_bytes() == name);
            }
            m.name.as_bytes() == name
        })
    }

    /// Whether map `idx` exists in the kernel (or will not be created by us):
    /// past `prepare`, or given an fd by the application.
    pub fn map_is_created(&self, idx: usize) -> bool {
        self.state >= State::Prepared || self.maps[idx].reused
    }

    /// `bpf_object__set_kversion()`.
    pub fn set_kversion(&mut self, v: u32) -> Result<()> {
        if self.state >= State::Loaded {
            return Err(Error::INVAL);
        }
        self.kern_version = v;
        Ok(())
    }

    /// The fd of the object's BTF in the kernel, once loaded.
    pub fn btf_raw_fd(&self) -> Option<i32> {
        self.btf.as_ref().map(|b| b.fd()).filter(|&fd| fd >= 0)
    }

    pub fn token_raw_fd(&self) -> Option<i32> {
        self.token_fd.as_ref().map(|f| f.as_raw_fd())
    }
}

/// The running kernel's version as `KERNEL_VERSION(a, b, c)` (patch level
/// capped at 255), from `/proc/sys/kernel/osrelease`; 0 if unknown.
pub fn running_kernel_version() -> u32 {
    let Ok(text) = std::fs::read_to_string("/proc/sys/kernel/osrelease") else { return 0 };
    parse_kernel_release(&text)
}

/// `"6.18.3-foo"` -> `KERNEL_VERSION(6, 18, 3)`; 0 unless three numbers lead.
pub fn parse_kernel_release(text: &str) -> u32 {
    let mut nums = [0u32; 3];
    let mut rest = text.trim();
    for (i, n) in nums.iter_mut().enumerate() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return 0;
        }
        *n = rest[..digits].parse().unwrap_or(0);
        rest = &rest[digits..];
        if i < 2 {
            match rest.strip_prefix('.') {
                Some(r) => rest = r,
                None => return 0,
            }
        }
    }
    (nums[0] << 16) + (nums[1] << 8) + nums[2].min(255)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_release() {
        assert_eq!(parse_kernel_release("6.18.3-amd64\n"), (6 << 16) + (18 << 8) + 3);
        assert_eq!(parse_kernel_release("5.4.300"), (5 << 16) + (4 << 8) + 255);
        assert_eq!(parse_kernel_release("6.18"), 0);
        assert_eq!(parse_kernel_release("x"), 0);
    }
}
