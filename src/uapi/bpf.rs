//! `<linux/bpf.h>`: instructions, info structs and the constants oxbpf uses.
//! (The `bpf(2)` attribute layouts live with the syscall layer, `src/sys/`.)

/// `struct bpf_insn`: one 8-byte eBPF instruction.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_insn {
    pub code: u8,
    /// `dst_reg:4` (low nibble) and `src_reg:4` (high nibble).
    pub regs: u8,
    pub off: i16,
    pub imm: i32,
}

impl bpf_insn {
    pub const fn dst_reg(&self) -> u8 {
        self.regs & 0x0f
    }
    pub const fn src_reg(&self) -> u8 {
        self.regs >> 4
    }
    pub fn set_dst_reg(&mut self, r: u8) {
        self.regs = (self.regs & 0xf0) | (r & 0x0f);
    }
    pub fn set_src_reg(&mut self, r: u8) {
        self.regs = (self.regs & 0x0f) | (r << 4);
    }
}

/// `struct bpf_func_info`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_func_info {
    pub insn_off: u32,
    pub type_id: u32,
}

/// `struct bpf_line_info`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_line_info {
    pub insn_off: u32,
    pub file_name_off: u32,
    pub line_off: u32,
    pub line_col: u32,
}

/// `union bpf_iter_link_info`, as raw words (map fd, cgroup or task selector).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct bpf_iter_link_info {
    pub words: [u32; 4],
}

// The info structs below are filled by BPF_OBJ_GET_INFO_BY_FD. The syscall
// layer (src/sys/) defines their full layouts; the FFI only passes pointers.

/// `struct bpf_prog_info`.
#[repr(C)]
pub struct bpf_prog_info {
    _opaque: [u8; 0],
}

/// `struct bpf_map_info`.
#[repr(C)]
pub struct bpf_map_info {
    _opaque: [u8; 0],
}

/// `struct bpf_btf_info`.
#[repr(C)]
pub struct bpf_btf_info {
    _opaque: [u8; 0],
}

/// `struct bpf_link_info`.
#[repr(C)]
pub struct bpf_link_info {
    _opaque: [u8; 0],
}
