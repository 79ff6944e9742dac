//! The typed syscall layer and its libbpf rules, exercised from Rust on the
//! running kernel (the C suite covers the `bpf.h` functions themselves).
//! These double as examples for the loaders built on top.

use core::ffi::c_void;
use std::os::fd::AsRawFd;

use crate::bpf_api::{btf, map, prog};
use crate::sys::obj::{self, IdKind};
use crate::sys::{info, map as sysmap};
use crate::uapi::{bpf_map_info, bpf_prog_info, insn};

const BPF_MAP_TYPE_HASH: u32 = 1;
const BPF_PROG_TYPE_SOCKET_FILTER: u32 = 1;

#[test]
fn map_roundtrip_and_info() {
    let fd = map::create_simple(BPF_MAP_TYPE_HASH, "ox_rust_map_with_a_long_name", 4, 8, 8, 0).unwrap();
    let (key, val) = (7u32, 0x1122_3344_5566_7788u64);
    let mut back = 0u64;
    // SAFETY: key and value buffers match the map's sizes.
    unsafe {
        sysmap::update_elem(fd.as_raw_fd(), (&key as *const u32).cast(), (&val as *const u64).cast(), 0).unwrap();
        sysmap::lookup_elem(fd.as_raw_fd(), (&key as *const u32).cast(), (&mut back as *mut u64).cast::<c_void>(), 0)
            .unwrap();
    }
    assert_eq!(back, val);
    let missing = 8u32;
    // SAFETY: as above.
    let err = unsafe { sysmap::lookup_elem(fd.as_raw_fd(), (&missing as *const u32).cast(), (&mut back as *mut u64).cast(), 0) };
    assert_eq!(err.unwrap_err().errno(), libc::ENOENT);

    let mut mi = bpf_map_info::default();
    // SAFETY: no array pointers set.
    let len = unsafe { info::get_info(fd.as_raw_fd(), &mut mi) }.unwrap();
    assert!(len as usize <= core::mem::size_of::<bpf_map_info>());
    assert_eq!((mi.type_, mi.key_size, mi.value_size, mi.max_entries), (BPF_MAP_TYPE_HASH, 4, 8, 8));
    assert_eq!(&mi.name[..16], b"ox_rust_map_wit\0");

    // The id walk finds it and reopens it.
    let mut id = 0;
    let mut found = false;
    while let Ok(next) = obj::next_id(IdKind::Map, id) {
        found |= next == mi.id;
        id = next;
    }
    assert!(found);
    let again = obj::fd_by_id(IdKind::Map, mi.id, 0, 0).unwrap();
    assert!(again.as_raw_fd() > 2);
}

#[test]
fn prog_load_with_log_rules() {
    let good = [insn::mov64_imm(0, 0), insn::exit()];
    let (fd, _) = prog::load_insns(BPF_PROG_TYPE_SOCKET_FILTER, Some("ox_rust_prog"), c"GPL", &good, 0, None, 0);
    let fd = fd.unwrap();
    let mut pi = bpf_prog_info::default();
    // SAFETY: no array pointers set.
    unsafe { info::get_info(fd.as_raw_fd(), &mut pi) }.unwrap();
    assert_eq!(&pi.name[..13], b"ox_rust_prog\0");

    // Refused: the log explains, and its true size is reported.
    let bad = [insn::exit()];
    let mut log = vec![0u8; 4096];
    let (res, true_size) = prog::load_insns(BPF_PROG_TYPE_SOCKET_FILTER, None, c"GPL", &bad, 0, Some(&mut log), 0);
    assert_eq!(res.unwrap_err().errno(), libc::EACCES);
    let text = String::from_utf8_lossy(&log[..log.iter().position(|&b| b == 0).unwrap()]).into_owned();
    assert!(text.contains("R0 !read_ok"), "{text}");
    assert_eq!(true_size as usize, text.len() + 1);

    // Too small a log: ENOSPC.
    let mut small = [0u8; 16];
    let (res, true_size) = prog::load_insns(BPF_PROG_TYPE_SOCKET_FILTER, None, c"GPL", &bad, 0, Some(&mut small), 1);
    assert_eq!(res.unwrap_err().errno(), libc::ENOSPC);
    assert!(true_size > 16);
}

#[test]
fn btf_load_and_refusal() {
    let mut raw = Vec::new();
    for w in [0xeb9f_u16 as u32 | (1 << 16), 24, 0, 16, 16, 5] {
        raw.extend_from_slice(&w.to_le_bytes());
    }
    for w in [1u32, 1 << 24, 4, 32] {
        raw.extend_from_slice(&w.to_le_bytes());
    }
    raw.extend_from_slice(b"\0int\0");
    let (fd, _) = btf::load_bytes(&raw, None, 0);
    assert!(fd.unwrap().as_raw_fd() > 2);
    raw[0] = 0; // bad magic
    let mut log = vec![0u8; 1024];
    let (res, true_size) = btf::load_bytes(&raw, Some(&mut log), 0);
    assert_eq!(res.unwrap_err().errno(), libc::EINVAL);
    assert!(true_size > 1 && log[0] != 0);
}
