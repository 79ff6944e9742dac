//! Byte layouts the loader program works with: the `bpf_attr` of each
//! command it issues (offsets taken from the `src/sys` attr structs, the
//! sizes those libbpf passes), and the context a light skeleton hands it
//! (`struct bpf_loader_ctx` of `skel_internal.h`, then one `bpf_map_desc`
//! per map, then one `bpf_prog_desc` per program).

use core::mem::offset_of;

use crate::sys::btf::BtfLoadAttr;
use crate::sys::map::{ElemAttr, FreezeAttr, MapCreateAttr};
use crate::sys::prog::ProgLoadAttr;

/// `bpf(2)` commands the loader issues.
pub mod cmd {
    pub use crate::sys::bpf::cmd::{
        BPF_BTF_LOAD, BPF_MAP_CREATE, BPF_MAP_FREEZE, BPF_MAP_UPDATE_ELEM, BPF_PROG_LOAD,
    };
}

/// `BPF_BTF_LOAD` (up to `btf_log_level`).
pub mod btf_load {
    use super::*;
    pub const SIZE: usize = offset_of!(BtfLoadAttr, btf_log_level) + 4;
    pub const BTF: usize = offset_of!(BtfLoadAttr, btf);
    pub const LOG_BUF: usize = offset_of!(BtfLoadAttr, btf_log_buf);
    pub const BTF_SIZE: usize = offset_of!(BtfLoadAttr, btf_size);
    pub const LOG_SIZE: usize = offset_of!(BtfLoadAttr, btf_log_size);
    pub const LOG_LEVEL: usize = offset_of!(BtfLoadAttr, btf_log_level);
}

/// `BPF_MAP_CREATE` (up to `map_extra`).
pub mod map_create {
    use super::*;
    pub const SIZE: usize = offset_of!(MapCreateAttr, map_extra) + 8;
    pub const MAP_TYPE: usize = offset_of!(MapCreateAttr, map_type);
    pub const KEY_SIZE: usize = offset_of!(MapCreateAttr, key_size);
    pub const VALUE_SIZE: usize = offset_of!(MapCreateAttr, value_size);
    pub const MAX_ENTRIES: usize = offset_of!(MapCreateAttr, max_entries);
    pub const MAP_FLAGS: usize = offset_of!(MapCreateAttr, map_flags);
    pub const INNER_MAP_FD: usize = offset_of!(MapCreateAttr, inner_map_fd);
    pub const NUMA_NODE: usize = offset_of!(MapCreateAttr, numa_node);
    pub const MAP_NAME: usize = offset_of!(MapCreateAttr, map_name);
    pub const MAP_IFINDEX: usize = offset_of!(MapCreateAttr, map_ifindex);
    pub const BTF_FD: usize = offset_of!(MapCreateAttr, btf_fd);
    pub const BTF_KEY_TYPE_ID: usize = offset_of!(MapCreateAttr, btf_key_type_id);
    pub const BTF_VALUE_TYPE_ID: usize = offset_of!(MapCreateAttr, btf_value_type_id);
    pub const MAP_EXTRA: usize = offset_of!(MapCreateAttr, map_extra);
}

/// `BPF_MAP_UPDATE_ELEM` (up to `flags`).
pub mod map_elem {
    use super::*;
    pub const SIZE: usize = offset_of!(ElemAttr, flags) + 8;
    pub const MAP_FD: usize = offset_of!(ElemAttr, map_fd);
    pub const KEY: usize = offset_of!(ElemAttr, key);
    pub const VALUE: usize = offset_of!(ElemAttr, value);
}

/// `BPF_MAP_FREEZE`.
pub mod map_freeze {
    use super::*;
    pub const SIZE: usize = offset_of!(FreezeAttr, map_fd) + 4;
    pub const MAP_FD: usize = offset_of!(FreezeAttr, map_fd);
}

/// `BPF_PROG_LOAD` (up to `core_relo_rec_size`).
pub mod prog_load {
    use super::*;
    pub const SIZE: usize = offset_of!(ProgLoadAttr, core_relo_rec_size) + 4;
    pub const PROG_TYPE: usize = offset_of!(ProgLoadAttr, prog_type);
    pub const INSN_CNT: usize = offset_of!(ProgLoadAttr, insn_cnt);
    pub const INSNS: usize = offset_of!(ProgLoadAttr, insns);
    pub const LICENSE: usize = offset_of!(ProgLoadAttr, license);
    pub const LOG_LEVEL: usize = offset_of!(ProgLoadAttr, log_level);
    pub const LOG_SIZE: usize = offset_of!(ProgLoadAttr, log_size);
    pub const LOG_BUF: usize = offset_of!(ProgLoadAttr, log_buf);
    pub const PROG_FLAGS: usize = offset_of!(ProgLoadAttr, prog_flags);
    pub const PROG_NAME: usize = offset_of!(ProgLoadAttr, prog_name);
    pub const PROG_IFINDEX: usize = offset_of!(ProgLoadAttr, prog_ifindex);
    pub const EXPECTED_ATTACH_TYPE: usize = offset_of!(ProgLoadAttr, expected_attach_type);
    pub const PROG_BTF_FD: usize = offset_of!(ProgLoadAttr, prog_btf_fd);
    pub const FUNC_INFO_REC_SIZE: usize = offset_of!(ProgLoadAttr, func_info_rec_size);
    pub const FUNC_INFO: usize = offset_of!(ProgLoadAttr, func_info);
    pub const FUNC_INFO_CNT: usize = offset_of!(ProgLoadAttr, func_info_cnt);
    pub const LINE_INFO_REC_SIZE: usize = offset_of!(ProgLoadAttr, line_info_rec_size);
    pub const LINE_INFO: usize = offset_of!(ProgLoadAttr, line_info);
    pub const LINE_INFO_CNT: usize = offset_of!(ProgLoadAttr, line_info_cnt);
    pub const ATTACH_BTF_ID: usize = offset_of!(ProgLoadAttr, attach_btf_id);
    pub const ATTACH_BTF_OBJ_FD: usize = offset_of!(ProgLoadAttr, attach_prog_fd);
    pub const CORE_RELO_CNT: usize = offset_of!(ProgLoadAttr, core_relo_cnt);
    pub const FD_ARRAY: usize = offset_of!(ProgLoadAttr, fd_array);
    pub const CORE_RELOS: usize = offset_of!(ProgLoadAttr, core_relos);
    pub const CORE_RELO_REC_SIZE: usize = offset_of!(ProgLoadAttr, core_relo_rec_size);
}

/// The loader's context: `struct bpf_loader_ctx`, then the map and
/// program descriptors of a light skeleton.
pub mod ctx {
    /// `struct bpf_loader_ctx { u32 sz, flags, log_level, log_size; u64 log_buf; }`.
    pub const FLAGS: i16 = 4;
    pub const LOG_LEVEL: i16 = 8;
    pub const LOG_SIZE: i16 = 12;
    pub const LOG_BUF: i16 = 16;
    pub const HEADER_SIZE: usize = 24;
    /// `struct bpf_map_desc { int map_fd; u32 max_entries; u64 initial_value; }`.
    pub const MAP_DESC_SIZE: usize = 16;
    pub const MAP_FD: usize = 0;
    pub const MAX_ENTRIES: usize = 4;
    pub const INITIAL_VALUE: usize = 8;
    /// `struct bpf_prog_desc { int prog_fd; }`.
    pub const PROG_DESC_SIZE: usize = 4;
    /// `BPF_SKEL_KERNEL`: the loader runs for a kernel module; initial
    /// values are kernel addresses.
    pub const SKEL_KERNEL: i32 = 1;

    /// Offset of field `field` of map descriptor `idx`.
    pub fn map_desc(idx: usize, field: usize) -> usize {
        HEADER_SIZE + MAP_DESC_SIZE * idx + field
    }

    /// Offset of program descriptor `idx` when there are `nr_maps` maps.
    pub fn prog_desc(nr_maps: usize, idx: usize) -> usize {
        HEADER_SIZE + MAP_DESC_SIZE * nr_maps + PROG_DESC_SIZE * idx
    }
}

/// A `bpf_attr` under construction: zeroed bytes with typed field writes,
/// in the byte order of the loader's target (`swap`: not the host's).
#[derive(Clone, Debug)]
pub struct AttrBytes(pub Vec<u8>, bool);

impl AttrBytes {
    pub fn new(size: usize, swap: bool) -> AttrBytes {
        AttrBytes(vec![0; size], swap)
    }

    pub fn u32(&mut self, off: usize, v: u32) -> &mut Self {
        let v = if self.1 { v.swap_bytes() } else { v };
        self.0[off..off + 4].copy_from_slice(&v.to_ne_bytes());
        self
    }

    pub fn u64(&mut self, off: usize, v: u64) -> &mut Self {
        let v = if self.1 { v.swap_bytes() } else { v };
        self.0[off..off + 8].copy_from_slice(&v.to_ne_bytes());
        self
    }

    /// An object name: at most 15 bytes, NUL-terminated (the field is 16).
    pub fn name(&mut self, off: usize, name: &[u8]) -> &mut Self {
        let n = name
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(name.len())
            .min(15);
        self.0[off..off + n].copy_from_slice(&name[..n]);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_offsets_are_the_kernels() {
        // values of <linux/bpf.h>'s union bpf_attr
        assert_eq!(btf_load::SIZE, 28);
        assert_eq!(map_create::SIZE, 72);
        assert_eq!(
            (
                map_create::MAP_NAME,
                map_create::BTF_FD,
                map_create::MAP_EXTRA
            ),
            (28, 48, 64)
        );
        assert_eq!(
            (map_elem::SIZE, map_elem::KEY, map_elem::VALUE),
            (32, 8, 16)
        );
        assert_eq!(map_freeze::SIZE, 4);
        assert_eq!(prog_load::SIZE, 140);
        assert_eq!(
            (
                prog_load::PROG_NAME,
                prog_load::ATTACH_BTF_OBJ_FD,
                prog_load::FD_ARRAY
            ),
            (48, 112, 120)
        );
        assert_eq!(
            (prog_load::CORE_RELOS, prog_load::CORE_RELO_REC_SIZE),
            (128, 136)
        );
        assert_eq!(ctx::prog_desc(2, 1), 24 + 32 + 4);
        let mut a = AttrBytes::new(32, false);
        a.name(4, b"a_very_long_map_name").u32(0, 7);
        assert_eq!(&a.0[4..20], b"a_very_long_map\0");
        assert_eq!(u32::from_ne_bytes(a.0[..4].try_into().unwrap()), 7);
        let mut a = AttrBytes::new(16, true);
        a.u32(0, 7).u64(8, 1);
        assert_eq!(
            u32::from_ne_bytes(a.0[..4].try_into().unwrap()),
            7u32.swap_bytes()
        );
        assert_eq!(
            u64::from_ne_bytes(a.0[8..].try_into().unwrap()),
            1u64.swap_bytes()
        );
    }
}
