//! Writing a relocation's result into the instruction it belongs to.
//!
//! Relocatable instructions: `rX = imm` and `rX op= imm` (the immediate),
//! `rX = imm64` (both halves of the 64-bit load), and loads/stores
//! `*(T *)(rX + off)` (the offset, and the access size when the field changed
//! width in a safe way). A failed relocation turns the instruction into a
//! call of helper #195896080 (0xbad2310, "bad relo"): if that code is
//! reachable the verifier rejects it and its log points at the instruction.

use super::calc::RelocResult;
use super::kind::CoreRelo;
use crate::error::{Error, Result};
use crate::uapi::bpf::bpf_insn;

/// The helper id a poisoned CO-RE instruction calls.
pub const POISON_HELPER_ID: i32 = 195_896_080;

const BPF_LD: u8 = 0x00;
const BPF_LDX: u8 = 0x01;
const BPF_ST: u8 = 0x02;
const BPF_STX: u8 = 0x03;
const BPF_ALU: u8 = 0x04;
const BPF_JMP: u8 = 0x05;
const BPF_ALU64: u8 = 0x07;
const BPF_CALL: u8 = 0x80;
const BPF_K: u8 = 0x00;
const BPF_IMM: u8 = 0x00;
const BPF_DW: u8 = 0x18;

/// Is `insn` the first half of a 64-bit immediate load?
pub fn is_ldimm64(insn: &bpf_insn) -> bool {
    insn.code == BPF_LD | BPF_IMM | BPF_DW
}

fn size_bytes(code: u8) -> u32 {
    match code & 0x18 {
        0x18 => 8,
        0x00 => 4,
        0x08 => 2,
        _ => 1,
    }
}

fn size_code(bytes: u32) -> Option<u8> {
    match bytes {
        8 => Some(0x18),
        4 => Some(0x00),
        2 => Some(0x08),
        1 => Some(0x10),
        _ => None,
    }
}

fn poison_one(prog_name: &str, relo_idx: usize, insn_idx: usize, insn: &mut bpf_insn) {
    pr_debug!("prog '{}': relo #{}: substituting insn #{} w/ invalid insn", prog_name, relo_idx, insn_idx);
    *insn = bpf_insn { code: BPF_JMP | BPF_CALL, regs: 0, off: 0, imm: POISON_HELPER_ID };
}

fn poison(prog_name: &str, relo_idx: usize, insns: &mut [bpf_insn], insn_idx: usize) {
    // both halves of a 64-bit load, so that the verifier does not complain
    // about an unknown opcode in the second half instead
    if is_ldimm64(&insns[insn_idx]) && insn_idx + 1 < insns.len() {
        poison_one(prog_name, relo_idx, insn_idx + 1, &mut insns[insn_idx + 1]);
    }
    poison_one(prog_name, relo_idx, insn_idx, &mut insns[insn_idx]);
}

/// Applies `res` to instruction `insn_idx` of `insns`. Fails with `EINVAL`
/// (logged) when the instruction is not of a relocatable form, does not hold
/// the value the compiler should have put there, or needs an impossible
/// access size; `ERANGE` when a new offset does not fit in 16 bits.
pub fn patch_insn(
    prog_name: &str,
    insns: &mut [bpf_insn],
    insn_idx: usize,
    _relo: &CoreRelo,
    relo_idx: usize,
    res: &RelocResult,
) -> Result<()> {
    if insn_idx >= insns.len() {
        return Err(Error::INVAL);
    }
    if res.poison {
        poison(prog_name, relo_idx, insns, insn_idx);
        return Ok(());
    }
    let (orig_val, new_val) = (res.orig_val, res.new_val);
    let insn = &mut insns[insn_idx];
    match insn.code & 0x07 {
        BPF_ALU | BPF_ALU64 => {
            if insn.code & 0x08 != BPF_K {
                return Err(Error::INVAL);
            }
            if res.validate && insn.imm as i64 as u64 != orig_val {
                pr_warn!(
                    "prog '{}': relo #{}: unexpected insn #{} (ALU/ALU64) value: got {}, exp {} -> {}",
                    prog_name,
                    relo_idx,
                    insn_idx,
                    insn.imm as u32,
                    orig_val,
                    new_val
                );
                return Err(Error::INVAL);
            }
            let old = insn.imm as u32;
            insn.imm = new_val as i32;
            pr_debug!(
                "prog '{}': relo #{}: patched insn #{} (ALU/ALU64) imm {} -> {}",
                prog_name,
                relo_idx,
                insn_idx,
                old,
                new_val
            );
        }
        BPF_LDX | BPF_ST | BPF_STX => {
            if res.validate && insn.off as i64 as u64 != orig_val {
                pr_warn!(
                    "prog '{}': relo #{}: unexpected insn #{} (LDX/ST/STX) value: got {}, exp {} -> {}",
                    prog_name,
                    relo_idx,
                    insn_idx,
                    insn.off as i32 as u32,
                    orig_val,
                    new_val
                );
                return Err(Error::INVAL);
            }
            if new_val > i16::MAX as u64 {
                pr_warn!(
                    "prog '{}': relo #{}: insn #{} (LDX/ST/STX) value too big: {}",
                    prog_name,
                    relo_idx,
                    insn_idx,
                    new_val
                );
                return Err(Error::RANGE);
            }
            if res.fail_memsz_adjust {
                pr_warn!(
                    "prog '{}': relo #{}: insn #{} (LDX/ST/STX) accesses field incorrectly. Make sure you are accessing pointers, unsigned integers, or fields of matching type and size.",
                    prog_name,
                    relo_idx,
                    insn_idx
                );
                poison(prog_name, relo_idx, insns, insn_idx);
                return Ok(());
            }
            let old = insn.off as i32 as u32;
            insn.off = new_val as i16;
            pr_debug!(
                "prog '{}': relo #{}: patched insn #{} (LDX/ST/STX) off {} -> {}",
                prog_name,
                relo_idx,
                insn_idx,
                old,
                new_val
            );
            if res.new_sz != res.orig_sz {
                let bytes = size_bytes(insn.code);
                if bytes != res.orig_sz {
                    pr_warn!(
                        "prog '{}': relo #{}: insn #{} (LDX/ST/STX) unexpected mem size: got {}, exp {}",
                        prog_name,
                        relo_idx,
                        insn_idx,
                        bytes,
                        res.orig_sz
                    );
                    return Err(Error::INVAL);
                }
                let Some(code) = size_code(res.new_sz) else {
                    pr_warn!(
                        "prog '{}': relo #{}: insn #{} (LDX/ST/STX) invalid new mem size: {}",
                        prog_name,
                        relo_idx,
                        insn_idx,
                        res.new_sz
                    );
                    return Err(Error::INVAL);
                };
                insn.code = (insn.code & 0xe0) | code | (insn.code & 0x07);
                pr_debug!(
                    "prog '{}': relo #{}: patched insn #{} (LDX/ST/STX) mem_sz {} -> {}",
                    prog_name,
                    relo_idx,
                    insn_idx,
                    res.orig_sz,
                    res.new_sz
                );
            }
        }
        BPF_LD => {
            let well_formed = is_ldimm64(insn)
                && insn.src_reg() == 0
                && insn.off == 0
                && insns.get(insn_idx + 1).is_some_and(|n| n.code == 0 && n.regs == 0 && n.off == 0);
            if !well_formed {
                pr_warn!("prog '{}': relo #{}: insn #{} (LDIMM64) has unexpected form", prog_name, relo_idx, insn_idx);
                return Err(Error::INVAL);
            }
            let imm = u64::from(insns[insn_idx].imm as u32) | (u64::from(insns[insn_idx + 1].imm as u32) << 32);
            if res.validate && imm != orig_val {
                pr_warn!(
                    "prog '{}': relo #{}: unexpected insn #{} (LDIMM64) value: got {}, exp {} -> {}",
                    prog_name,
                    relo_idx,
                    insn_idx,
                    imm,
                    orig_val,
                    new_val
                );
                return Err(Error::INVAL);
            }
            insns[insn_idx].imm = new_val as u32 as i32;
            insns[insn_idx + 1].imm = (new_val >> 32) as u32 as i32;
            pr_debug!(
                "prog '{}': relo #{}: patched insn #{} (LDIMM64) imm64 {} -> {}",
                prog_name,
                relo_idx,
                insn_idx,
                imm,
                new_val
            );
        }
        _ => {
            pr_warn!(
                "prog '{}': relo #{}: trying to relocate unrecognized insn #{}, code:0x{:x}, src:0x{:x}, dst:0x{:x}, off:0x{:x}, imm:0x{:x}",
                prog_name,
                relo_idx,
                insn_idx,
                insn.code,
                insn.src_reg(),
                insn.dst_reg(),
                insn.off as i32 as u32,
                insn.imm as u32
            );
            return Err(Error::INVAL);
        }
    }
    Ok(())
}
