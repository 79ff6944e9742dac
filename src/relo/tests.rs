//! End-to-end tests of the engine on hand-built local and target BTFs.

use std::sync::Arc;

use super::cands::{Target, Targets};
use super::kind::*;
use super::patch::POISON_HELPER_ID;
use super::resolve::CoreRelocator;
use super::testbtf::TestBtf;
use crate::error::Error;
use crate::uapi::bpf::bpf_insn;

/// The "kernel": ids are noted next to each type.
fn kernel() -> TestBtf {
    let mut k = TestBtf::new();
    let int = k.int("int", 4, true); // 1
    let uint = k.int("unsigned int", 4, false); // 2
    let ulong = k.int("long unsigned int", 8, false); // 3
    let chr = k.int("char", 1, true); // 4
    let nested = k.strukt("nested", 16, &[("a", int, 0), ("b", ulong, 64)]); // 5
    let comm = k.add_array(chr, 16); // 6
    let task_fwd = k.fwd("task_struct", false); // 7
    let task_ptr = k.ptr(task_fwd); // 8
    let anon = k.composite(true, "", 8, &[("u1", ulong, 0, 0), ("u2", int, 0, 0)]); // 9
    let task = k.composite(
        false,
        "task_struct",
        64,
        &[
            ("pad", int, 0, 0),
            ("pid", int, 32, 0),
            ("n", nested, 64, 0),
            ("comm", comm, 192, 0),
            ("flags", uint, 320, 3),
            ("x", uint, 323, 5),
            ("parent", task_ptr, 384, 0),
            ("", anon, 448, 0),
        ],
    ); // 10
    assert_eq!(task, 10);
    k.enum_("state", 4, true, &[("S_A", 0), ("S_B", 5), ("S_NEG", -2)]); // 11
    k.typedef("pid_t", int); // 12
    k.enum_("big", 8, false, &[("BIG_A", 0x1_0000_0002)]); // 13
    k
}

struct Local {
    btf: TestBtf,
    task: u32,
    state: u32,
}

fn local() -> Local {
    let mut l = TestBtf::new();
    let int = l.int("int", 4, true);
    let uint = l.int("unsigned int", 4, false);
    let ulong = l.int("long unsigned int", 8, false);
    let chr = l.int("char", 1, true);
    let nested = l.strukt("nested", 16, &[("b", ulong, 0), ("a", int, 64)]);
    let comm = l.add_array(chr, 16);
    let task = l.composite(
        false,
        "task_struct___local",
        48,
        &[
            ("pid", int, 0, 0),
            ("n", nested, 64, 0),
            ("comm", comm, 192, 0),
            ("flags", uint, 320, 3),
            ("missing", int, 352, 0),
            ("u2", int, 384, 0),
        ],
    );
    let state = l.enum_("state___mine", 4, true, &[("S_NEG", -2), ("S_B", 1), ("S_GONE", 9)]);
    Local { btf: l, task, state }
}

fn targets(k: TestBtf) -> Targets {
    Targets::new(Target::new("vmlinux", Arc::new(k)), false, None)
}

fn ldx(off: i16) -> bpf_insn {
    // r1 = *(u32 *)(r2 + off)
    bpf_insn { code: 0x61, regs: 0x21, off, imm: 0 }
}

fn mov(imm: i32) -> bpf_insn {
    // r0 = imm
    bpf_insn { code: 0xb7, regs: 0, off: 0, imm }
}

fn ld64(v: u64) -> [bpf_insn; 2] {
    [
        bpf_insn { code: 0x18, regs: 1, off: 0, imm: v as u32 as i32 },
        bpf_insn { code: 0, regs: 0, off: 0, imm: (v >> 32) as u32 as i32 },
    ]
}

/// Runs one relocation on `insns[0]` and returns the patched instructions.
fn run(l: &mut Local, t: &Targets, root: u32, access: &str, kind: u32, mut insns: Vec<bpf_insn>) -> Result<Vec<bpf_insn>, Error> {
    let off = l.btf.add_str(access);
    let relo = CoreRelo { insn_off: 0, type_id: root, access_str_off: off, kind };
    let mut r = CoreRelocator::new(&l.btf, t);
    r.relocate("prog", &mut insns, 0, &relo, 0)?;
    Ok(insns)
}

fn is_poisoned(i: &bpf_insn) -> bool {
    i.code == 0x85 && i.imm == POISON_HELPER_ID && i.regs == 0 && i.off == 0
}

#[test]
fn byte_offsets_follow_the_target() {
    let t = targets(kernel());
    let mut l = local();
    let task = l.task;
    // pid: local 0, kernel 4
    assert_eq!(run(&mut l, &t, task, "0:0", FIELD_BYTE_OFFSET, vec![ldx(0)]).unwrap()[0].off, 4);
    // n.a: local 8 + 8, kernel 8 + 0
    assert_eq!(run(&mut l, &t, task, "0:1:1", FIELD_BYTE_OFFSET, vec![ldx(16)]).unwrap()[0].off, 8);
    // comm[3]: 24 + 3 in both
    assert_eq!(run(&mut l, &t, task, "0:2:3", FIELD_BYTE_OFFSET, vec![mov(27)]).unwrap()[0].imm, 27);
    // u2 lives in an anonymous union in the kernel, at byte 56
    assert_eq!(run(&mut l, &t, task, "0:5", FIELD_BYTE_OFFSET, vec![ldx(48)]).unwrap()[0].off, 56);
    // an array access through the root pointer: task[1].pid
    assert_eq!(run(&mut l, &t, task, "1:0", FIELD_BYTE_OFFSET, vec![mov(48)]).unwrap()[0].imm, 64 + 4);
}

#[test]
fn existence_and_sizes() {
    let t = targets(kernel());
    let mut l = local();
    let task = l.task;
    assert_eq!(run(&mut l, &t, task, "0:4", FIELD_EXISTS, vec![mov(1)]).unwrap()[0].imm, 0);
    assert_eq!(run(&mut l, &t, task, "0:0", FIELD_EXISTS, vec![mov(1)]).unwrap()[0].imm, 1);
    assert_eq!(run(&mut l, &t, task, "0:2", FIELD_BYTE_SIZE, vec![mov(16)]).unwrap()[0].imm, 16);
    assert_eq!(run(&mut l, &t, task, "0:0", FIELD_SIGNED, vec![mov(1)]).unwrap()[0].imm, 1);
}

#[test]
fn bitfields() {
    let t = targets(kernel());
    let mut l = local();
    let task = l.task;
    // flags:3 at bit 320 in both: 4-byte load at byte 40
    assert_eq!(run(&mut l, &t, task, "0:3", FIELD_BYTE_OFFSET, vec![mov(40)]).unwrap()[0].imm, 40);
    assert_eq!(run(&mut l, &t, task, "0:3", FIELD_BYTE_SIZE, vec![mov(4)]).unwrap()[0].imm, 4);
    assert_eq!(run(&mut l, &t, task, "0:3", FIELD_LSHIFT_U64, vec![mov(61)]).unwrap()[0].imm, 61);
    assert_eq!(run(&mut l, &t, task, "0:3", FIELD_RSHIFT_U64, vec![mov(61)]).unwrap()[0].imm, 61);
    assert_eq!(run(&mut l, &t, task, "0:3", FIELD_SIGNED, vec![mov(0)]).unwrap()[0].imm, 0);
}

#[test]
fn type_relocations() {
    let t = targets(kernel());
    let mut l = local();
    let task = l.task;
    assert_eq!(run(&mut l, &t, task, "0", TYPE_EXISTS, vec![mov(1)]).unwrap()[0].imm, 1);
    assert_eq!(run(&mut l, &t, task, "0", TYPE_SIZE, vec![mov(48)]).unwrap()[0].imm, 64);
    let p = run(&mut l, &t, task, "0", TYPE_ID_TARGET, ld64(task as u64).to_vec()).unwrap();
    assert_eq!((p[0].imm, p[1].imm), (10, 0));
    let p = run(&mut l, &t, task, "0", TYPE_ID_LOCAL, ld64(123).to_vec()).unwrap();
    assert_eq!(p[0].imm as u32, task);
    // a local type the kernel doesn't have
    let mut l2 = local();
    let ghost = l2.btf.strukt("ghost", 4, &[]);
    assert_eq!(run(&mut l2, &t, ghost, "0", TYPE_EXISTS, vec![mov(1)]).unwrap()[0].imm, 0);
    assert_eq!(run(&mut l2, &t, ghost, "0", TYPE_SIZE, vec![mov(4)]).unwrap()[0].imm, 0);
    // typedef match
    let int = 1;
    let pid_t = l2.btf.typedef("pid_t", int);
    assert_eq!(run(&mut l2, &t, pid_t, "0", TYPE_MATCHES, vec![mov(1)]).unwrap()[0].imm, 1);
    let uint = 2;
    let pid_t2 = l2.btf.typedef("pid_t___u", uint);
    assert_eq!(run(&mut l2, &t, pid_t2, "0", TYPE_MATCHES, vec![mov(1)]).unwrap()[0].imm, 0);
    assert_eq!(run(&mut l2, &t, pid_t2, "0", TYPE_EXISTS, vec![mov(1)]).unwrap()[0].imm, 1);
}

#[test]
fn enum_values() {
    let t = targets(kernel());
    let mut l = local();
    let st = l.state;
    // S_NEG = -2 in both: a 64-bit load gets the sign-extended value
    let p = run(&mut l, &t, st, "0", ENUMVAL_VALUE, ld64(-2i64 as u64).to_vec()).unwrap();
    assert_eq!((p[0].imm, p[1].imm), (-2, -1));
    // S_B: 1 locally, 5 in the kernel
    assert_eq!(run(&mut l, &t, st, "1", ENUMVAL_VALUE, vec![mov(1)]).unwrap()[0].imm, 5);
    assert_eq!(run(&mut l, &t, st, "2", ENUMVAL_EXISTS, vec![mov(1)]).unwrap()[0].imm, 0);
    assert_eq!(run(&mut l, &t, st, "1", ENUMVAL_EXISTS, vec![mov(1)]).unwrap()[0].imm, 1);
    // a missing enumerator's value poisons both halves of the load
    let p = run(&mut l, &t, st, "2", ENUMVAL_VALUE, ld64(9).to_vec()).unwrap();
    assert!(is_poisoned(&p[0]) && is_poisoned(&p[1]));
    // enum64
    let big = l.btf.enum_("big", 8, false, &[("BIG_A", 7)]);
    let p = run(&mut l, &t, big, "0", ENUMVAL_VALUE, ld64(7).to_vec()).unwrap();
    assert_eq!((p[0].imm, p[1].imm), (2, 1));
}

#[test]
fn missing_field_poisons() {
    let t = targets(kernel());
    let mut l = local();
    let task = l.task;
    let p = run(&mut l, &t, task, "0:4", FIELD_BYTE_OFFSET, vec![ldx(44)]).unwrap();
    assert!(is_poisoned(&p[0]));
}

#[test]
fn wrong_compiler_value_is_rejected() {
    let t = targets(kernel());
    let mut l = local();
    let task = l.task;
    assert_eq!(run(&mut l, &t, task, "0:0", FIELD_BYTE_OFFSET, vec![ldx(8)]).unwrap_err(), Error::INVAL);
    assert_eq!(run(&mut l, &t, task, "0:9", FIELD_BYTE_OFFSET, vec![ldx(0)]).unwrap_err(), Error::INVAL);
    assert_eq!(run(&mut l, &t, task, "0", FIELD_BYTE_OFFSET, vec![bpf_insn { code: 0x95, ..Default::default() }]).unwrap_err(), Error::INVAL);
}

#[test]
fn flavors_and_ambiguity() {
    let mut k = kernel();
    let int = 1;
    // two kernel flavors of "thing" that agree, and two that don't
    k.strukt("thing", 8, &[("v", int, 32)]);
    k.strukt("thing___2", 8, &[("v", int, 32)]);
    k.strukt("odd", 8, &[("v", int, 0)]);
    k.strukt("odd___2", 8, &[("v", int, 32)]);
    let t = targets(k);
    let mut l = local();
    let thing = l.btf.strukt("thing___mine", 4, &[("v", int, 0)]);
    assert_eq!(run(&mut l, &t, thing, "0:0", FIELD_BYTE_OFFSET, vec![mov(0)]).unwrap()[0].imm, 4);
    let odd = l.btf.strukt("odd", 4, &[("v", int, 0)]);
    assert_eq!(run(&mut l, &t, odd, "0:0", FIELD_BYTE_OFFSET, vec![mov(0)]).unwrap_err(), Error::INVAL);
    // existence of a field in neither: 0 without error
    let odd2 = l.btf.strukt("odd___x", 4, &[("w", int, 0)]);
    assert_eq!(run(&mut l, &t, odd2, "0:0", FIELD_EXISTS, vec![mov(1)]).unwrap()[0].imm, 0);
}

#[test]
fn load_size_adjustment() {
    let mut k = TestBtf::new();
    let u64t = k.int("u64", 8, false);
    let s64t = k.int("s64", 8, true);
    k.strukt("s", 16, &[("a", u64t, 0), ("b", s64t, 64)]);
    let t = targets(k);
    let mut l = Local { btf: TestBtf::new(), task: 0, state: 0 };
    let u32t = l.btf.int("u32", 4, false);
    let s32t = l.btf.int("s32", 4, true);
    let s = l.btf.strukt("s", 8, &[("a", u32t, 0), ("b", s32t, 32)]);
    // unsigned: the 4-byte load becomes an 8-byte one
    let p = run(&mut l, &t, s, "0:0", FIELD_BYTE_OFFSET, vec![ldx(0)]).unwrap();
    assert_eq!((p[0].code, p[0].off), (0x79, 0));
    // signed: resizing would lose the sign: poisoned
    let p = run(&mut l, &t, s, "0:1", FIELD_BYTE_OFFSET, vec![ldx(4)]).unwrap();
    assert!(is_poisoned(&p[0]));
}

#[test]
fn candidate_lists_are_pruned_per_local_type() {
    let mut k = TestBtf::new();
    let int = k.int("int", 4, true);
    k.strukt("p", 8, &[("a", int, 0)]);
    k.strukt("p___2", 8, &[("b", int, 32)]);
    let t = targets(k);
    let mut l = Local { btf: TestBtf::new(), task: 0, state: 0 };
    let li = l.btf.int("int", 4, true);
    let p = l.btf.strukt("p", 8, &[("a", li, 0), ("b", li, 32)]);
    let a = l.btf.add_str("0:0");
    let b = l.btf.add_str("0:1");
    let mut r = CoreRelocator::new(&l.btf, &t);
    // the first relocation keeps only "p"; "p___2" (which has b) is gone for the second
    let mut insns = vec![mov(0)];
    r.relocate("prog", &mut insns, 0, &CoreRelo { insn_off: 0, type_id: p, access_str_off: a, kind: FIELD_BYTE_OFFSET }, 0).unwrap();
    assert_eq!(insns[0].imm, 0);
    let mut insns = vec![mov(1)];
    r.relocate("prog", &mut insns, 0, &CoreRelo { insn_off: 0, type_id: p, access_str_off: b, kind: FIELD_EXISTS }, 1).unwrap();
    assert_eq!(insns[0].imm, 0);
}

#[test]
fn type_matches_semantics() {
    use super::matching::types_match;
    let mut k = TestBtf::new();
    let int = k.int("int", 4, true);
    let fwd = k.fwd("inner", false);
    let pf = k.ptr(fwd);
    let outer = k.strukt("outer", 16, &[("x", int, 0), ("p", pf, 64), ("extra", int, 96)]);
    let e = k.enum_("e", 4, false, &[("A", 1), ("B", 2)]);
    let mut l = TestBtf::new();
    let li = l.int("int", 4, true);
    let inner = l.strukt("inner", 4, &[("z", li, 0)]);
    let pi = l.ptr(inner);
    let lo = l.strukt("outer___l", 16, &[("p", pi, 0), ("x", li, 64)]);
    assert!(types_match(&l, lo, &k, outer).unwrap());
    // an extra member the kernel lacks
    let lo2 = l.strukt("outer", 16, &[("p", pi, 0), ("y", li, 64)]);
    assert!(!types_match(&l, lo2, &k, outer).unwrap());
    // enums: names only, sizes must agree
    let le = l.enum_("e", 4, false, &[("B", 9)]);
    assert!(types_match(&l, le, &k, e).unwrap());
    let le2 = l.enum_("e", 8, false, &[("B", 9)]);
    assert!(!types_match(&l, le2, &k, e).unwrap());
}
