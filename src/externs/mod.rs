//! Extern variables and functions of a BPF object: `.kconfig` externs
//! (kernel config values and libbpf's virtual `LINUX_*` values, stored in the
//! object's read-only `.kconfig` map) and `.ksyms` externs (kernel symbols:
//! typed ones resolved to BTF ids of vmlinux or a module, typeless ones to
//! addresses from `/proc/kallsyms`, kfuncs to BTF ids plus the index of
//! their module's BTF fd in the program's `fd_array`).
//!
//! - [`collect`]: turns the object's undefined symbols into [`Extern`]s,
//!   sorted and laid out as libbpf does;
//! - [`kconfig`]: kconfig lines → values (pure); [`kallsyms`]: kallsyms
//!   lines → addresses (pure); [`ksym`]: typed ksyms against kernel BTFs;
//! - [`sysfiles`]: the only file reading (kernel config, kallsyms, release);
//! - [`resolve`]: the load-time step that fills every extern, and the
//!   instruction patching of extern references.

pub mod btf_fixup;
pub mod collect;
pub mod features;
pub mod kallsyms;
pub mod kconfig;
pub mod ksym;
pub mod resolve;
pub mod sysfiles;

/// How a `.kconfig` extern's value is stored, from its BTF type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KcfgType {
    Unknown,
    /// a 1-byte integer: takes y/n/m as characters, or a number
    Char,
    /// `bool`: y or n
    Bool,
    /// an integer of 1, 2, 4 or 8 bytes
    Int,
    /// `enum libbpf_tristate`: y, n or m
    Tristate,
    /// `char[N]`: a quoted string
    CharArr,
}

/// Layout and type of a `.kconfig` extern inside the `.kconfig` map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kcfg {
    pub ty: KcfgType,
    pub size: u32,
    pub align: u32,
    pub is_signed: bool,
    pub data_off: u32,
}

/// What a `.ksyms` extern resolved to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ksym {
    /// The local BTF type of the extern (modifiers skipped; the FUNC_PROTO
    /// for kfuncs); 0 for a typeless ksym.
    pub type_id: u32,
    /// Typeless: the kernel address.
    pub addr: u64,
    /// Typed: the kernel BTF object fd (0 for vmlinux) and type id.
    pub kernel_btf_obj_fd: i32,
    pub kernel_btf_id: u32,
    /// Kfuncs: index of the module BTF fd in `fd_array` (0: vmlinux).
    pub btf_fd_idx: i16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExternKind {
    Kcfg(Kcfg),
    Ksym(Ksym),
}

/// One extern of an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extern {
    pub name: String,
    /// The name without its `___flavor` suffix, when it has one.
    pub essent_name: Option<String>,
    /// Index of its ELF symbol.
    pub sym_idx: usize,
    /// Its VAR or FUNC in the object's BTF, and the DATASEC holding it.
    pub btf_id: u32,
    pub sec_btf_id: u32,
    pub is_weak: bool,
    pub is_set: bool,
    pub kind: ExternKind,
}

impl Extern {
    pub fn kcfg(&self) -> Option<&Kcfg> {
        match &self.kind {
            ExternKind::Kcfg(k) => Some(k),
            _ => None,
        }
    }
    pub fn ksym(&self) -> Option<&Ksym> {
        match &self.kind {
            ExternKind::Ksym(k) => Some(k),
            _ => None,
        }
    }
    pub fn ksym_mut(&mut self) -> Option<&mut Ksym> {
        match &mut self.kind {
            ExternKind::Ksym(k) => Some(k),
            _ => None,
        }
    }
}

pub use collect::{collect_externs, ExternSymbol};
pub use resolve::{patch_extern_insn, resolve_externs, ExternEnv};
