//! The few eBPF instruction forms a loader program is made of, as plain
//! constructors (no encoding tables: each function builds one `bpf_insn`).

use crate::uapi::bpf_insn;

/// Registers. R1-R5 carry helper arguments and are clobbered by calls; R0
/// is the result; R6-R9 survive calls.
pub const R0: u8 = 0;
pub const R1: u8 = 1;
pub const R2: u8 = 2;
pub const R3: u8 = 3;
pub const R4: u8 = 4;
pub const R6: u8 = 6;
pub const R7: u8 = 7;
pub const R8: u8 = 8;
pub const R9: u8 = 9;

/// Helper function ids (`enum bpf_func_id`).
pub mod helper {
    pub const PROBE_READ_KERNEL: i32 = 113;
    pub const COPY_FROM_USER: i32 = 148;
    pub const SYS_BPF: i32 = 166;
    pub const BTF_FIND_BY_NAME_KIND: i32 = 167;
    pub const SYS_CLOSE: i32 = 168;
    pub const KALLSYMS_LOOKUP_NAME: i32 = 179;
}

/// Access sizes of loads and stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    B = 0x10,
    H = 0x08,
    W = 0x00,
    DW = 0x18,
}

impl Size {
    /// The size of an access of `bytes` bytes.
    pub fn of(bytes: u32) -> Size {
        match bytes {
            1 => Size::B,
            2 => Size::H,
            8 => Size::DW,
            _ => Size::W,
        }
    }

    pub fn bytes(self) -> u32 {
        match self {
            Size::B => 1,
            Size::H => 2,
            Size::W => 4,
            Size::DW => 8,
        }
    }
}

/// Jump conditions (`BPF_JMP` operations).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cond {
    Always = 0x00,
    Eq = 0x10,
    Set = 0x40,
    Ne = 0x50,
    Sgt = 0x60,
    Sge = 0x70,
    Slt = 0xc0,
    Sle = 0xd0,
}

const CLASS_LDX: u8 = 0x01;
const CLASS_ST: u8 = 0x02;
const CLASS_STX: u8 = 0x03;
const CLASS_ALU: u8 = 0x04;
const CLASS_JMP: u8 = 0x05;
const CLASS_ALU64: u8 = 0x07;
const MODE_MEM: u8 = 0x60;
const SRC_X: u8 = 0x08;
const OP_ADD: u8 = 0x00;
const OP_AND: u8 = 0x50;
const OP_RSH: u8 = 0x70;
const OP_MOV: u8 = 0xb0;
const OP_CALL: u8 = 0x80;
const OP_EXIT: u8 = 0x90;
/// `BPF_LD | BPF_IMM | BPF_DW`.
pub const LD_IMM64: u8 = 0x18;

fn insn(code: u8, dst: u8, src: u8, off: i16, imm: i32) -> bpf_insn {
    bpf_insn {
        code,
        regs: (src << 4) | (dst & 0x0f),
        off,
        imm,
    }
}

/// `dst = src` (64-bit).
pub fn mov_reg(dst: u8, src: u8) -> bpf_insn {
    insn(CLASS_ALU64 | OP_MOV | SRC_X, dst, src, 0, 0)
}

/// `dst = imm` (sign-extended to 64 bits).
pub fn mov_imm(dst: u8, imm: i32) -> bpf_insn {
    insn(CLASS_ALU64 | OP_MOV, dst, 0, 0, imm)
}

/// `dst += imm` (64-bit).
pub fn add_imm(dst: u8, imm: i32) -> bpf_insn {
    insn(CLASS_ALU64 | OP_ADD, dst, 0, 0, imm)
}

/// `dst >>= imm` (64-bit, logical).
pub fn rsh_imm(dst: u8, imm: i32) -> bpf_insn {
    insn(CLASS_ALU64 | OP_RSH, dst, 0, 0, imm)
}

/// `dst = (u32)dst & imm`.
pub fn and32_imm(dst: u8, imm: i32) -> bpf_insn {
    insn(CLASS_ALU | OP_AND, dst, 0, 0, imm)
}

/// `dst = *(size *)(src + off)`.
pub fn ldx(size: Size, dst: u8, src: u8, off: i16) -> bpf_insn {
    insn(CLASS_LDX | MODE_MEM | size as u8, dst, src, off, 0)
}

/// `*(size *)(dst + off) = src`.
pub fn stx(size: Size, dst: u8, src: u8, off: i16) -> bpf_insn {
    insn(CLASS_STX | MODE_MEM | size as u8, dst, src, off, 0)
}

/// `*(size *)(dst + off) = imm`.
pub fn st_imm(size: Size, dst: u8, off: i16, imm: i32) -> bpf_insn {
    insn(CLASS_ST | MODE_MEM | size as u8, dst, 0, off, imm)
}

/// `if (dst <cond> imm) goto +off` (`Cond::Always`: unconditional).
pub fn jmp_imm(cond: Cond, dst: u8, imm: i32, off: i16) -> bpf_insn {
    insn(CLASS_JMP | cond as u8, dst, 0, off, imm)
}

/// `if (dst <cond> src) goto +off`.
pub fn jmp_reg(cond: Cond, dst: u8, src: u8, off: i16) -> bpf_insn {
    insn(CLASS_JMP | cond as u8 | SRC_X, dst, src, off, 0)
}

/// `goto +off`.
pub fn ja(off: i16) -> bpf_insn {
    jmp_imm(Cond::Always, 0, 0, off)
}

/// Call of helper `id`.
pub fn call(id: i32) -> bpf_insn {
    insn(CLASS_JMP | OP_CALL, 0, 0, 0, id)
}

pub fn exit() -> bpf_insn {
    insn(CLASS_JMP | OP_EXIT, 0, 0, 0, 0)
}

/// The two halves of `dst = imm64` with pseudo source `src` (0: a plain
/// constant).
pub fn ld_imm64(dst: u8, src: u8, lo: i32, hi: i32) -> [bpf_insn; 2] {
    [insn(LD_IMM64, dst, src, 0, lo), insn(0, 0, 0, 0, hi)]
}

/// Whether `insn` is a conditional or unconditional jump with an offset
/// (not a call or exit).
pub fn is_jump(i: &bpf_insn) -> bool {
    i.code & 0x07 == CLASS_JMP && !matches!(i.code & 0xf0, OP_CALL | OP_EXIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        // values as the kernel's filter.h macros produce them
        assert_eq!(
            mov_reg(R6, R1),
            bpf_insn {
                code: 0xbf,
                regs: 0x16,
                off: 0,
                imm: 0
            }
        );
        assert_eq!(
            mov_imm(R7, -22),
            bpf_insn {
                code: 0xb7,
                regs: 0x07,
                off: 0,
                imm: -22
            }
        );
        assert_eq!(
            ldx(Size::W, R1, R10_FOR_TEST, -4),
            bpf_insn {
                code: 0x61,
                regs: 0xa1,
                off: -4,
                imm: 0
            }
        );
        assert_eq!(
            stx(Size::DW, R1, R0, 0),
            bpf_insn {
                code: 0x7b,
                regs: 0x01,
                off: 0,
                imm: 0
            }
        );
        assert_eq!(
            st_imm(Size::H, R8, 2, 5),
            bpf_insn {
                code: 0x6a,
                regs: 0x08,
                off: 2,
                imm: 5
            }
        );
        assert_eq!(
            jmp_imm(Cond::Slt, R7, 0, -3),
            bpf_insn {
                code: 0xc5,
                regs: 0x07,
                off: -3,
                imm: 0
            }
        );
        assert_eq!(
            jmp_reg(Cond::Ne, R2, R3, 9),
            bpf_insn {
                code: 0x5d,
                regs: 0x32,
                off: 9,
                imm: 0
            }
        );
        assert_eq!(
            call(helper::SYS_BPF),
            bpf_insn {
                code: 0x85,
                regs: 0,
                off: 0,
                imm: 166
            }
        );
        assert_eq!(exit().code, 0x95);
        assert_eq!(rsh_imm(R9, 32).code, 0x77);
        assert_eq!(and32_imm(R9, 0x0f).code, 0x54);
        assert_eq!(add_imm(R1, -8).code, 0x07);
        let l = ld_imm64(R1, 6, 0, 40);
        assert_eq!(
            (l[0].code, l[0].regs, l[0].imm, l[1].code, l[1].imm),
            (0x18, 0x61, 0, 0, 40)
        );
        assert!(is_jump(&ja(1)) && !is_jump(&call(1)) && !is_jump(&exit()));
    }

    const R10_FOR_TEST: u8 = 10;
}
