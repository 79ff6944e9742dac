//! The BTF core: parsing, inspecting, building, serialising and loading BPF
//! Type Format data, and `.BTF.ext`. Pure Rust, no C conventions; the
//! `btf.h` shims in `src/ffi/api/btf_h/` are thin wrappers over it.
//!
//! # The API other subsystems use
//!
//! **[`Btf`]** holds one BTF: its own types and strings, on an optional
//! base (`Arc<Btf>`) for split BTF (module BTF on vmlinux). Ids and string
//! offsets are global: ids below [`Btf::start_id`] and offsets below
//! [`Btf::start_str_off`] are resolved in the base.
//!
//! - *Getting one*: [`Btf::parse`] / [`Btf::parse_split`] (bytes, either
//!   byte order), [`Btf::from_blob`] (no copy), [`Btf::parse_raw_file`],
//!   [`Btf::parse_elf_file`] (with `.BTF.ext`), [`Btf::parse_file`] (either),
//!   [`Btf::load_vmlinux`], [`Btf::load_module`],
//!   [`Btf::load_from_kernel_by_id`], [`Btf::new_empty`],
//!   [`Btf::new_empty_split`], [`Btf::new_empty_with`].
//! - *Sharing kernel BTF*: [`vmlinux_shared`] returns the running kernel's
//!   BTF as an `Arc<Btf>`, loaded once (memory-mapped from sysfs: no heap
//!   copy) and shared by every user alive; a `Btf` is immutable once in an
//!   `Arc` and `Send + Sync` (its lazy indexes are thread-safe).
//! - *Reading types*: [`Btf::type_by_id`] / [`Btf::type_at`] give a [`Type`],
//!   a copyable view of one record with accessors for every kind
//!   (`kind()`, `vlen()`, `kflag()`, `size()`, `type_id()`, `int_bits()`,
//!   `array()`, `members()` with decoded bit offsets, `enumerators()` for
//!   ENUM and ENUM64, `params()`, `var_linkage()`, `secinfos()`,
//!   `decl_tag_component_idx()`, `is_*()`); [`Btf::types`] and
//!   [`Btf::own_types`] iterate; [`Btf::type_cnt`].
//! - *Names*: [`Btf::str_by_offset`] (`&CStr`), [`Btf::str_bytes`],
//!   [`Btf::name`] (`&str`), [`Btf::type_name`].
//! - *Lookups* (hash index built on first use, ~1 MiB for vmlinux; libbpf
//!   scans): [`Btf::find_by_name`], [`Btf::find_by_name_kind`],
//!   [`Btf::find_own_by_name_kind`], [`Btf::ids_named`] (all ids of a name,
//!   for CO-RE candidates), [`Btf::find_str`].
//! - *Resolving*: [`Btf::resolve_size`], [`Btf::resolve_type`],
//!   [`Btf::skip_mods_and_typedefs`], [`Btf::align_of`],
//!   [`Btf::pointer_size`] / [`Btf::set_pointer_size`]. All bounded on
//!   looping type graphs.
//! - *Building*: [`Btf::add_str`] and one `add_*` per kind (`add_int`,
//!   `add_struct` + `add_field`, `add_enum` + `add_enum_value`, ...,
//!   `add_type_attr`, `add_decl_attr`), [`Btf::add_type`], [`Btf::add_btf`];
//!   byte-identical to libbpf for the same calls.
//! - *Changing types in place* (loader sanitising): [`Btf::type_words_mut`]
//!   and [`Btf::set_type_info`] (the record size must not change), and
//!   strings with [`Btf::str_mut`].
//! - *Transforming*: [`Btf::dedup`] (libbpf's deduplication, same output,
//!   `.BTF.ext` rewritten along), [`Btf::distill_base`] /
//!   [`Btf::relocate`] (split BTF onto a minimal base and back onto a full
//!   one), [`Btf::permute`] (reorder types by an id map).
//! - *Output*: [`Btf::raw_data`] (the original bytes while unmodified, else
//!   canonical, in the byte order chosen by [`Btf::set_big_endian`]),
//!   [`Btf::raw_data_native`].
//! - *Kernel*: [`Btf::load_into_kernel`], [`Btf::load_into_kernel_with`]
//!   (log buffer, level, token, libbpf's retry-with-log behaviour),
//!   [`Btf::fd`] / [`Btf::set_fd`] / [`Btf::take_fd`], [`Btf::from_kernel_fd`].
//!
//! **[`BtfExt`]** holds `.BTF.ext`: [`BtfExt::parse`], then per-section
//! records with their on-disk record size honoured:
//! [`BtfExt::func_info_sections`], [`BtfExt::line_info_sections`],
//! [`BtfExt::core_relo_sections`] yield [`InfoSec`] (section name offset,
//! `records()` as raw byte slices of `rec_size`, or typed `func_infos()`,
//! `line_infos()`, `core_relos()`), plus [`BtfExt::raw_data`] and byte order.
//!
//! # C handles
//!
//! A `struct btf *` handed to C is `Arc::into_raw` of an `Arc<Btf>` (see
//! `src/ffi/btf_handle.rs`): anything that gives C a BTF pointer (e.g.
//! `bpf_object__btf()`) must give one that lives inside an `Arc`, so that
//! split BTF created from C can hold its base. `struct btf_ext *` is a
//! `Box<BtfExt>`.
//!
//! # Memory
//!
//! Parsed BTF keeps the blob once (mapped for vmlinux), plus 4 bytes per
//! type of offsets; records are read in place. No per-type allocation.

mod builder;
mod data;
mod dedup;
mod distill;
pub mod dump;
mod elf;
mod ext;
mod fields;
mod header;
mod index;
mod kernel;
mod load;
mod parse;
mod permute;
mod relocate;
mod resolve;
mod serialize;
mod types;

pub(crate) use builder::{id_slots, str_slots};

pub use builder::{BTF_FWD_ENUM, BTF_FWD_STRUCT, BTF_FWD_UNION};
pub use data::Btf;
pub use dump::BtfDump;
pub use ext::{BtfExt, ExtInfo, InfoSec, CORE_RELO_MIN, FUNC_INFO_MIN, LINE_INFO_MIN};
pub use header::Header;
pub use kernel::{LoadOptions, LOG_BUF_SIZE};
pub use load::{vmlinux_shared, SYSFS_VMLINUX};
pub use resolve::MAX_RESOLVE_DEPTH;
pub use types::{
    kind_has_size, kind_has_type, kind_name, known_layouts, record_words, Array, Enumerator, Member, Param, Type,
    VarSecinfo, TYPE_WORDS,
};

#[cfg(test)]
mod split_tests;
#[cfg(test)]
mod testutil;
#[cfg(test)]
mod tests;
