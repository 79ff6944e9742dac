//! CO-RE: relocating BPF instructions against the running kernel's types.
//!
//! Clang records, for each instruction that reads a kernel field or asks
//! about a kernel type, a relocation in `.BTF.ext`: the local root type, an
//! access string and a kind ([`kind`]). At load time each relocation is
//! resolved against the target BTF (vmlinux, kernel modules, or the BTF given
//! by `btf_custom_path`) and the instruction is patched ([`patch`]).
//!
//! The engine is pure: it works on [`view::TypeView`]s and instruction
//! slices, and never makes a system call. Pieces:
//! - [`spec`]: access strings and specs (parsing, libbpf's log format);
//! - [`cands`]: candidate search by essential name, with a per-BTF index;
//! - [`matching`]: field matching and the type relations (compat, matches);
//! - [`calc`]: the values each kind computes; [`patch`]: instruction patching
//!   and poisoning; [`resolve`]: one relocation end to end, and the
//!   per-object relocator with its candidate cache;
//! - [`logfix`]: the verifier log rewrite for poisoned instructions.

pub mod btf_impl;
pub mod calc;
pub mod cands;
pub mod kernel;
pub mod kind;
pub mod logfix;
pub mod matching;
pub mod object;
pub mod patch;
pub mod resolve;
pub mod shared;
pub mod spec;
pub mod view;

#[cfg(test)]
pub(crate) mod testbtf;
#[cfg(test)]
mod tests;

pub use calc::RelocResult;
pub use cands::{NameIndex, Target, Targets};
pub use kind::CoreRelo;
pub use resolve::{resolve_relo, CoreRelocator};
