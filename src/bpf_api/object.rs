//! The kernel calls of the object loader (`src/object/`), as safe functions:
//! every address they pass is either a Rust slice borrowed for the call or
//! a [`UserMem`] the C boundary vouched for. The libbpf rules of each call
//! (log retries, name support, record-size fix-ups) are those of
//! [`crate::bpf_api::prog::load`], [`crate::bpf_api::btf::load`] and
//! [`crate::bpf_api::map::create`].

use core::ffi::{c_void, CStr};
use std::os::fd::{OwnedFd, RawFd};

use crate::bpf_api::prog::LoadRequest;
use crate::bpf_api::LogBuf;
use crate::error::Result;
use crate::sys::bpf::ptr_to_u64;
use crate::sys::map::MapCreateAttr;
use crate::sys::prog::ProgLoadAttr;
use crate::sys::usermem::UserMem;
use crate::uapi::bpf_map_info;

/// Memory read by the kernel during a call: a borrowed Rust slice or
/// application memory.
#[derive(Clone, Copy, Debug, Default)]
pub struct Mem<'a> {
    addr: u64,
    _borrow: core::marker::PhantomData<&'a ()>,
}

impl<'a> Mem<'a> {
    /// No memory (NULL).
    pub fn none() -> Mem<'a> {
        Mem::default()
    }

    /// A slice, borrowed for as long as the `Mem` lives.
    pub fn of<T: Copy>(s: &'a [T]) -> Mem<'a> {
        Mem { addr: if s.is_empty() { 0 } else { ptr_to_u64(s.as_ptr()) }, _borrow: core::marker::PhantomData }
    }

    /// Application memory.
    pub fn user(u: UserMem) -> Mem<'a> {
        Mem { addr: u.addr() as u64, _borrow: core::marker::PhantomData }
    }

    pub(crate) fn addr(&self) -> u64 {
        self.addr
    }
}

/// Memory written by the kernel during a call (a log buffer).
#[derive(Debug, Default)]
pub enum MemMut<'a> {
    #[default]
    None,
    Slice(&'a mut [u8]),
    User(UserMem),
}

impl MemMut<'_> {
    fn addr_len(&mut self) -> (u64, usize) {
        match self {
            MemMut::None => (0, 0),
            MemMut::Slice(s) => (ptr_to_u64(s.as_mut_ptr()), s.len()),
            MemMut::User(u) => (u.addr() as u64, u.len()),
        }
    }
}

/// Records of func_info or line_info.
#[derive(Clone, Copy, Debug, Default)]
pub struct Records<'a> {
    pub data: Mem<'a>,
    pub cnt: u32,
    pub rec_size: u32,
}

/// One program load of the object loader (`bpf_prog_load()` semantics).
#[derive(Debug, Default)]
pub struct ProgLoad<'a> {
    pub prog_type: u32,
    pub name: Option<&'a [u8]>,
    pub license: Option<&'a CStr>,
    /// Instructions: the program's image, or memory a SEC() handler gave.
    pub insns: Mem<'a>,
    pub insn_cnt: usize,
    pub expected_attach_type: u32,
    pub prog_btf_fd: u32,
    pub prog_flags: u32,
    pub prog_ifindex: u32,
    pub kern_version: u32,
    pub attach_btf_id: u32,
    pub attach_prog_fd: u32,
    pub attach_btf_obj_fd: u32,
    pub fd_array: Mem<'a>,
    pub fd_array_cnt: u32,
    pub func_info: Records<'a>,
    pub line_info: Records<'a>,
    pub log: MemMut<'a>,
    pub log_level: u32,
    pub token_fd: u32,
}

/// Loads a program; returns the fd (or error) and the size the full log
/// needs once the kernel was called.
pub fn load_prog(p: &mut ProgLoad<'_>) -> (Result<OwnedFd>, Option<u32>) {
    let (log_buf, log_size) = p.log.addr_len();
    let req = LoadRequest {
        attr: ProgLoadAttr {
            prog_type: p.prog_type,
            insns: p.insns.addr(),
            license: p.license.map_or(0, |l| ptr_to_u64(l.as_ptr())),
            kern_version: p.kern_version,
            prog_flags: p.prog_flags,
            prog_ifindex: p.prog_ifindex,
            expected_attach_type: p.expected_attach_type,
            prog_btf_fd: p.prog_btf_fd,
            func_info_rec_size: p.func_info.rec_size,
            func_info: p.func_info.data.addr(),
            func_info_cnt: p.func_info.cnt,
            line_info_rec_size: p.line_info.rec_size,
            line_info: p.line_info.data.addr(),
            line_info_cnt: p.line_info.cnt,
            attach_btf_id: p.attach_btf_id,
            fd_array: p.fd_array.addr(),
            fd_array_cnt: p.fd_array_cnt,
            prog_token_fd: p.token_fd as i32,
            ..Default::default()
        },
        name: p.name,
        insn_cnt: p.insn_cnt,
        attempts: 0,
        attach_prog_fd: p.attach_prog_fd,
        attach_btf_obj_fd: p.attach_btf_obj_fd,
        log: LogBuf { buf: log_buf, size: log_size.min(u32::MAX as usize) as u32, level: p.log_level },
    };
    // SAFETY: slices are borrowed for the call; `UserMem`s were vouched for
    // by the C boundary; counts and sizes come with the memory they describe.
    unsafe { crate::bpf_api::prog::load(&req) }
}

/// Loads raw BTF, with an optional log (libbpf's BTF log rules).
pub fn load_btf(data: &[u8], log: UserMem, log_level: u32, token_fd: i32) -> (Result<OwnedFd>, Option<u32>) {
    let log = LogBuf { buf: log.addr() as u64, size: log.len().min(u32::MAX as usize) as u32, level: log_level };
    // SAFETY: `data` is a live slice; the log is a vouched-for user buffer.
    unsafe { crate::bpf_api::btf::load(ptr_to_u64(data.as_ptr()), data.len(), log, 0, token_fd) }
}

/// A map creation of the object loader.
#[derive(Clone, Copy, Debug, Default)]
pub struct MapCreate<'a> {
    pub map_type: u32,
    pub name: Option<&'a [u8]>,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub map_flags: u32,
    pub btf_fd: u32,
    pub btf_key_type_id: u32,
    pub btf_value_type_id: u32,
    pub btf_vmlinux_value_type_id: u32,
    pub inner_map_fd: u32,
    pub numa_node: u32,
    pub map_ifindex: u32,
    pub map_extra: u64,
    pub token_fd: i32,
    /// SHA-256 of the only program allowed to use the map.
    pub excl_prog_hash: Option<&'a [u8; 32]>,
}

/// Creates a map.
pub fn create_map(m: &MapCreate<'_>) -> Result<OwnedFd> {
    let attr = MapCreateAttr {
        map_type: m.map_type,
        key_size: m.key_size,
        value_size: m.value_size,
        max_entries: m.max_entries,
        map_flags: m.map_flags,
        inner_map_fd: m.inner_map_fd,
        numa_node: m.numa_node,
        map_ifindex: m.map_ifindex,
        btf_fd: m.btf_fd,
        btf_key_type_id: m.btf_key_type_id,
        btf_value_type_id: m.btf_value_type_id,
        btf_vmlinux_value_type_id: m.btf_vmlinux_value_type_id,
        map_extra: m.map_extra,
        map_token_fd: m.token_fd,
        excl_prog_hash: m.excl_prog_hash.map_or(0, |h| ptr_to_u64(h.as_ptr())),
        excl_prog_hash_size: if m.excl_prog_hash.is_some() { 32 } else { 0 },
        ..Default::default()
    };
    // SAFETY: the only address is the borrowed hash, 32 bytes.
    unsafe { crate::bpf_api::map::create(attr, m.name, None) }.0
}

fn opt_ptr(s: Option<&[u8]>) -> *const c_void {
    s.filter(|s| !s.is_empty()).map_or(core::ptr::null(), |s| s.as_ptr().cast())
}

fn mut_ptr(s: &mut [u8]) -> *mut c_void {
    if s.is_empty() {
        core::ptr::null_mut()
    } else {
        s.as_mut_ptr().cast()
    }
}

/// `BPF_MAP_UPDATE_ELEM` with `key`/`value` exactly the map's sizes (the
/// caller checked them).
pub fn map_update(fd: RawFd, key: &[u8], value: &[u8], flags: u64) -> Result<()> {
    // SAFETY: the slices are the map's key and value sizes (caller-checked).
    unsafe { crate::sys::map::update_elem(fd, opt_ptr(Some(key)), opt_ptr(Some(value)), flags) }
}

/// `BPF_MAP_LOOKUP_ELEM` (sizes caller-checked).
pub fn map_lookup(fd: RawFd, key: Option<&[u8]>, value: &mut [u8], flags: u64) -> Result<()> {
    // SAFETY: as `map_update`; `value` is writable for the map's value size.
    unsafe { crate::sys::map::lookup_elem(fd, opt_ptr(key), mut_ptr(value), flags) }
}

/// `BPF_MAP_LOOKUP_AND_DELETE_ELEM` (sizes caller-checked).
pub fn map_lookup_and_delete(fd: RawFd, key: Option<&[u8]>, value: &mut [u8], flags: u64) -> Result<()> {
    // SAFETY: as `map_lookup`.
    unsafe { crate::sys::map::lookup_and_delete_elem(fd, opt_ptr(key), mut_ptr(value), flags) }
}

/// `BPF_MAP_DELETE_ELEM` (size caller-checked).
pub fn map_delete(fd: RawFd, key: Option<&[u8]>, flags: u64) -> Result<()> {
    // SAFETY: the key is the map's key size.
    unsafe { crate::sys::map::delete_elem(fd, opt_ptr(key), flags) }
}

/// `BPF_MAP_GET_NEXT_KEY` (sizes caller-checked).
pub fn map_next_key(fd: RawFd, key: Option<&[u8]>, next: &mut [u8]) -> Result<()> {
    // SAFETY: both buffers are the map's key size.
    unsafe { crate::sys::map::get_next_key(fd, opt_ptr(key), mut_ptr(next)) }
}

/// Pins `fd` at `path` (`BPF_OBJ_PIN`).
pub fn pin(fd: RawFd, path: &CStr) -> Result<()> {
    // SAFETY: `path` is a live C string.
    unsafe { crate::sys::obj::pin(fd, path.as_ptr(), 0, 0) }
}

/// Opens the object pinned at `path` (`BPF_OBJ_GET`).
pub fn obj_get(path: &CStr) -> Result<OwnedFd> {
    // SAFETY: `path` is a live C string.
    unsafe { crate::sys::obj::get(path.as_ptr(), 0, 0) }
}

/// The kernel's description of map `fd`.
pub fn map_info(fd: RawFd) -> Result<bpf_map_info> {
    let mut info = bpf_map_info::default();
    // SAFETY: `info` is a live, writable struct of the size passed.
    unsafe { crate::sys::info::get_info(fd, &mut info) }?;
    Ok(info)
}

/// The BTF object id of loaded program `fd` (0: none).
pub fn prog_btf_id(fd: RawFd) -> Result<u32> {
    let mut info = crate::uapi::bpf_prog_info::default();
    // SAFETY: `info` is a live, writable struct of the size passed.
    unsafe { crate::sys::info::get_info(fd, &mut info) }?;
    Ok(info.btf_id)
}

/// A multi-uprobe link on the directory `/` at offset 0 (always refused:
/// the errno tells whether and how the kernel supports such links).
pub fn probe_uprobe_multi(prog_fd: RawFd, pid: u32) -> Result<OwnedFd> {
    use crate::sys::link::{LinkCreateAttr, LinkTarget, LinkUprobeMulti};
    let offsets = [0u64];
    let attr = LinkCreateAttr {
        prog_fd: prog_fd as u32,
        target_fd: u32::MAX,
        attach_type: crate::uapi::bpf_enums::attach::TRACE_UPROBE_MULTI,
        flags: 0,
        target: LinkTarget::uprobe_multi(LinkUprobeMulti {
            path: ptr_to_u64(c"/".as_ptr()),
            offsets: ptr_to_u64(offsets.as_ptr()),
            cnt: 1,
            pid,
            ..Default::default()
        }),
    };
    // SAFETY: the path and offsets outlive the call; cnt matches.
    unsafe { crate::sys::link::create(&attr) }
}
