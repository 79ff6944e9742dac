//! Map commands of `bpf(2)`: create, element access, iteration, freeze and
//! the batch operations.
//!
//! Each attr struct mirrors the kernel's `union bpf_attr` member for its
//! command; pointer fields are user addresses (`u64`) the kernel reads or
//! writes, which is why the functions taking them are `unsafe`.

use core::ffi::c_void;
use std::os::fd::{OwnedFd, RawFd};

use crate::error::Result;
use crate::impl_attr;
use crate::sys::bpf::{self, cmd, ptr_to_u64, CommonAttr};

/// Attributes of `BPF_MAP_CREATE`, up to `excl_prog_hash_size` (6.18).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MapCreateAttr {
    /// `enum bpf_map_type`.
    pub map_type: u32,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    /// `BPF_F_*` map flags.
    pub map_flags: u32,
    /// Template map of a map-in-map.
    pub inner_map_fd: u32,
    /// NUMA node, honoured with `BPF_F_NUMA_NODE`.
    pub numa_node: u32,
    /// NUL-terminated name (at most 15 bytes of text).
    pub map_name: [u8; 16],
    /// Device to offload to.
    pub map_ifindex: u32,
    pub btf_fd: u32,
    pub btf_key_type_id: u32,
    pub btf_value_type_id: u32,
    /// Kernel BTF type of a struct_ops map's value.
    pub btf_vmlinux_value_type_id: u32,
    /// Per-type extra (bloom filter hash count, arena address).
    pub map_extra: u64,
    /// Module BTF holding `btf_vmlinux_value_type_id` (`BPF_F_VTYPE_BTF_OBJ_FD`).
    pub value_type_btf_obj_fd: i32,
    /// BPF token (`BPF_F_TOKEN_FD`).
    pub map_token_fd: i32,
    /// Address of the hash of the only program allowed to use the map.
    pub excl_prog_hash: u64,
    pub excl_prog_hash_size: u32,
}
impl_attr!(MapCreateAttr, excl_prog_hash_size: u32);

impl MapCreateAttr {
    /// Copies `name` into `map_name`, keeping at most 15 bytes and a
    /// terminating NUL (longer names are truncated, as libbpf does).
    pub fn set_name(&mut self, name: &[u8]) {
        self.map_name = [0; 16];
        let n = name.iter().position(|&b| b == 0).unwrap_or(name.len()).min(15);
        self.map_name[..n].copy_from_slice(&name[..n]);
    }
}

/// Creates a map. Returns its fd (close-on-exec, >= 3).
///
/// # Safety
/// `excl_prog_hash`, when set, points to `excl_prog_hash_size` readable bytes.
pub unsafe fn create(attr: &MapCreateAttr) -> Result<OwnedFd> {
    let mut a = *attr;
    // SAFETY: the only pointer is the caller's (see contract).
    unsafe { bpf::call_fd(cmd::BPF_MAP_CREATE, &mut a) }
}

/// [`create`] with common attributes (a log buffer for the kernel's reasons
/// of refusal); `common.log_true_size` is written back. Kernels up to 6.18
/// fail this with `EINVAL`: check support first
/// (`crate::bpf_api::features::common_attrs`).
///
/// # Safety
/// As [`create`]; `common.log_buf` is writable for `common.log_size` bytes.
pub unsafe fn create_with_log(attr: &MapCreateAttr, common: &mut CommonAttr) -> Result<OwnedFd> {
    let mut a = *attr;
    // SAFETY: forwarded contract.
    unsafe { bpf::call_fd_with_common(cmd::BPF_MAP_CREATE, &mut a, Some(common)) }
}

/// Attributes of the element commands (`BPF_MAP_*_ELEM`, `BPF_MAP_GET_NEXT_KEY`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ElemAttr {
    pub map_fd: u32,
    pub _pad: u32,
    pub key: u64,
    /// `value`, or `next_key` for `BPF_MAP_GET_NEXT_KEY`.
    pub value: u64,
    pub flags: u64,
}
impl_attr!(ElemAttr, flags: u64);

/// Size libbpf passes for `BPF_MAP_GET_NEXT_KEY` (up to `next_key`).
const NEXT_KEY_SIZE: usize = core::mem::offset_of!(ElemAttr, value) + 8;

#[inline]
fn elem(fd: RawFd, key: *const c_void, value: *const c_void, flags: u64) -> ElemAttr {
    ElemAttr { map_fd: fd as u32, _pad: 0, key: ptr_to_u64(key), value: ptr_to_u64(value), flags }
}

/// Copies the value of `key` into `value` (`BPF_MAP_LOOKUP_ELEM`);
/// `ENOENT` when the key is absent.
///
/// # Safety
/// `key` is readable for the map's key size; `value` is writable for its
/// value size (per-CPU maps: `round_up(value_size, 8) * possible CPUs`).
#[inline]
pub unsafe fn lookup_elem(fd: RawFd, key: *const c_void, value: *mut c_void, flags: u64) -> Result<()> {
    let mut a = elem(fd, key, value, flags);
    // SAFETY: forwarded contract.
    unsafe { bpf::call(cmd::BPF_MAP_LOOKUP_ELEM, &mut a) }.map(drop)
}

/// Creates or updates `key` with `value` (`BPF_ANY`, `BPF_NOEXIST`,
/// `BPF_EXIST`, `BPF_F_LOCK`, ...).
///
/// # Safety
/// `key` and `value` are readable for the map's key and value sizes.
#[inline]
pub unsafe fn update_elem(fd: RawFd, key: *const c_void, value: *const c_void, flags: u64) -> Result<()> {
    let mut a = elem(fd, key, value, flags);
    // SAFETY: forwarded contract.
    unsafe { bpf::call(cmd::BPF_MAP_UPDATE_ELEM, &mut a) }.map(drop)
}

/// Deletes `key`; `ENOENT` when absent.
///
/// # Safety
/// `key` is readable for the map's key size.
pub unsafe fn delete_elem(fd: RawFd, key: *const c_void, flags: u64) -> Result<()> {
    let mut a = elem(fd, key, core::ptr::null(), flags);
    // SAFETY: forwarded contract.
    unsafe { bpf::call(cmd::BPF_MAP_DELETE_ELEM, &mut a) }.map(drop)
}

/// Copies the value of `key` into `value` and deletes the element (the
/// head element of queues and stacks, whose `key` is NULL).
///
/// # Safety
/// As [`lookup_elem`].
pub unsafe fn lookup_and_delete_elem(fd: RawFd, key: *const c_void, value: *mut c_void, flags: u64) -> Result<()> {
    let mut a = elem(fd, key, value, flags);
    // SAFETY: forwarded contract.
    unsafe { bpf::call(cmd::BPF_MAP_LOOKUP_AND_DELETE_ELEM, &mut a) }.map(drop)
}

/// Writes the key following `key` (the first key when `key` is NULL or
/// absent) into `next_key`; `ENOENT` past the last key.
///
/// # Safety
/// `key` (if not NULL) is readable and `next_key` writable for the key size.
pub unsafe fn get_next_key(fd: RawFd, key: *const c_void, next_key: *mut c_void) -> Result<()> {
    let mut a = elem(fd, key, next_key, 0);
    // SAFETY: forwarded contract; the size covers `map_fd`, `key`, `next_key`.
    unsafe { bpf::call_sized(cmd::BPF_MAP_GET_NEXT_KEY, &mut a, NEXT_KEY_SIZE) }.map(drop)
}

/// Attributes of `BPF_MAP_FREEZE`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FreezeAttr {
    pub map_fd: u32,
}
impl_attr!(FreezeAttr, map_fd: u32);

/// Makes the map read-only for user space (programs may still write).
pub fn freeze(fd: RawFd) -> Result<()> {
    let mut a = FreezeAttr { map_fd: fd as u32 };
    // SAFETY: no pointers.
    unsafe { bpf::call(cmd::BPF_MAP_FREEZE, &mut a) }.map(drop)
}

/// Attributes of the batch commands (`attr.batch`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchAttr {
    /// Opaque position to resume from (NULL: from the start).
    pub in_batch: u64,
    /// Output: opaque position to pass as `in_batch` next time.
    pub out_batch: u64,
    pub keys: u64,
    pub values: u64,
    /// In: room in `keys`/`values` (elements); out: elements processed.
    pub count: u32,
    pub map_fd: u32,
    /// Per-element flags (`BPF_F_LOCK`, ...).
    pub elem_flags: u64,
    pub flags: u64,
}
impl_attr!(BatchAttr);

/// One of `BPF_MAP_LOOKUP_BATCH`, `BPF_MAP_LOOKUP_AND_DELETE_BATCH`,
/// `BPF_MAP_UPDATE_BATCH` or `BPF_MAP_DELETE_BATCH`. `attr.count` is updated
/// by the kernel on success and on failure (elements done before the error).
/// `ENOENT` from a lookup means the end of the map was reached.
///
/// # Safety
/// The buffers named in `attr` are valid for `attr.count` keys/values and
/// `in_batch`/`out_batch` for the map's batch token size.
pub unsafe fn batch(command: u32, attr: &mut BatchAttr) -> Result<()> {
    // SAFETY: forwarded contract.
    unsafe { bpf::call(command, attr) }.map(drop)
}

const _: () = {
    use core::mem::offset_of;
    use crate::sys::bpf::Attr;
    assert!(offset_of!(MapCreateAttr, map_name) == 28);
    assert!(offset_of!(MapCreateAttr, map_ifindex) == 44);
    assert!(offset_of!(MapCreateAttr, map_extra) == 64);
    assert!(offset_of!(MapCreateAttr, map_token_fd) == 76);
    assert!(offset_of!(MapCreateAttr, excl_prog_hash) == 80);
    assert!(MapCreateAttr::SIZE == 92);
    assert!(ElemAttr::SIZE == 32);
    assert!(NEXT_KEY_SIZE == 24);
    assert!(BatchAttr::SIZE == 56);
    assert!(offset_of!(BatchAttr, count) == 32);
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_truncated_to_15_bytes() {
        let mut a = MapCreateAttr::default();
        a.set_name(b"a_very_long_map_name_indeed");
        assert_eq!(&a.map_name[..15], b"a_very_long_map");
        assert_eq!(a.map_name[15], 0);
        a.set_name(b"ab\0cd");
        assert_eq!(&a.map_name[..3], b"ab\0");
    }
}
