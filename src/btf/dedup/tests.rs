//! Deduplication on hand-built BTF: what merges, what resolves, what stays,
//! and the resulting ids.

use std::sync::Arc;

use crate::btf::testutil::dump;
use crate::btf::{Btf, BtfExt, BTF_FWD_ENUM, BTF_FWD_STRUCT, BTF_FWD_UNION};
use crate::error::Error;
use crate::uapi::btf::*;

fn int(b: &mut Btf) -> u32 {
    b.add_int("int", 4, BTF_INT_SIGNED).unwrap()
}

/// Two compilation units with the same types: everything merges into the
/// first unit's copies, ids in the first unit's order.
#[test]
fn identical_units_merge() {
    let mut b = Btf::new_empty();
    for _ in 0..2 {
        let i = int(&mut b); // [1] / [9]
        let s = b.add_struct("s", 16).unwrap();
        b.add_field("next", s + 1, 0, 0).unwrap();
        b.add_field("v", i, 64, 0).unwrap();
        b.add_ptr(s).unwrap();
        let arr = b.add_array(i, i, 4).unwrap();
        let td = b.add_typedef("s_t", s).unwrap();
        let c = b.add_const(td).unwrap();
        let proto = b.add_func_proto(i).unwrap();
        b.add_func_param("x", c).unwrap();
        b.add_func_param("a", arr).unwrap();
        b.add_func("f", BTF_FUNC_GLOBAL, proto).unwrap();
    }
    assert_eq!(b.type_cnt(), 17);
    b.dedup(None).unwrap();
    assert_eq!(
        dump(&b),
        vec![
            "[1] INT 'int' size=4",
            "[2] STRUCT 's' size=16 next:3@0 v:1@64",
            "[3] PTR '' -> 2",
            "[4] ARRAY '' 1[4] idx=1",
            "[5] TYPEDEF 's_t' -> 2",
            "[6] CONST '' -> 5",
            "[7] FUNC_PROTO '' ret=1 x:6 a:4",
            "[8] FUNC 'f' -> 7",
        ]
    );
}

/// Forward declarations resolve to the full struct from another unit, in
/// both directions, and the structs that refer to them merge.
#[test]
fn forward_declarations_resolve_across_units() {
    // CU 1: struct A { int a; struct A *self; struct S *parent; }; struct S;
    let mut b = Btf::new_empty();
    let i1 = int(&mut b); // 1
    let a1 = b.add_struct("A", 16).unwrap(); // 2
    b.add_field("a", i1, 0, 0).unwrap();
    b.add_field("self", 3, 64, 0).unwrap();
    b.add_field("parent", 5, 128, 0).unwrap();
    assert_eq!(b.add_ptr(a1).unwrap(), 3);
    let fs1 = b.add_fwd("S", BTF_FWD_STRUCT).unwrap(); // 4
    assert_eq!(b.add_ptr(fs1).unwrap(), 5);
    // CU 2: struct A; struct S { struct A *a; };
    let fa2 = b.add_fwd("A", BTF_FWD_STRUCT).unwrap(); // 6
    let pa2 = b.add_ptr(fa2).unwrap(); // 7
    let s2 = b.add_struct("S", 8).unwrap(); // 8
    b.add_field("a", pa2, 0, 0).unwrap();
    let ps2 = b.add_ptr(s2).unwrap(); // 9
    b.add_var("g", BTF_VAR_GLOBAL_ALLOCATED, ps2).unwrap(); // 10
    b.dedup(None).unwrap();
    assert_eq!(
        dump(&b),
        vec![
            "[1] INT 'int' size=4",
            "[2] STRUCT 'A' size=16 a:1@0 self:3@64 parent:4@128",
            "[3] PTR '' -> 2",
            "[4] PTR '' -> 5",
            "[5] STRUCT 'S' size=8 a:3@0",
            "[6] VAR 'g' -> 4",
        ]
    );
}

/// A self-referencing struct in two units (a cycle) merges; a different
/// struct of the same name stays.
#[test]
fn cycles_merge_and_different_definitions_stay() {
    let mut b = Btf::new_empty();
    for ty in ["int", "int", "long"] {
        let i = b.add_int(ty, if ty == "int" { 4 } else { 8 }, BTF_INT_SIGNED).unwrap();
        let node = b.add_struct("node", 16).unwrap();
        b.add_field("next", node + 1, 0, 0).unwrap();
        b.add_field("v", i, 64, 0).unwrap();
        b.add_ptr(node).unwrap();
    }
    b.dedup(None).unwrap();
    assert_eq!(
        dump(&b),
        vec![
            "[1] INT 'int' size=4",
            "[2] STRUCT 'node' size=16 next:3@0 v:1@64",
            "[3] PTR '' -> 2",
            "[4] INT 'long' size=8",
            "[5] STRUCT 'node' size=16 next:6@0 v:4@64",
            "[6] PTR '' -> 5",
        ]
    );
}

/// A FWD that no graph comparison met resolves to the only struct of its
/// name; with two structs of that name it stays.
#[test]
fn lone_forward_declarations() {
    let mut b = Btf::new_empty();
    let i = int(&mut b);
    let foo = b.add_struct("foo", 4).unwrap(); // 2
    b.add_field("u", i, 0, 0).unwrap();
    b.add_ptr(foo).unwrap(); // 3
    let f = b.add_fwd("foo", BTF_FWD_STRUCT).unwrap(); // 4
    b.add_ptr(f).unwrap(); // 5: same as 3 once 4 resolves
    let fu = b.add_fwd("foo", BTF_FWD_UNION).unwrap(); // 6: a union FWD: kind differs
    b.add_ptr(fu).unwrap(); // 7
    let bar1 = b.add_struct("bar", 4).unwrap(); // 8
    b.add_field("u", i, 0, 0).unwrap();
    let bar2 = b.add_struct("bar", 8).unwrap(); // 9
    b.add_field("u", i, 0, 0).unwrap();
    let fb = b.add_fwd("bar", BTF_FWD_STRUCT).unwrap(); // 10: ambiguous
    let _ = (bar1, bar2, fb);
    b.dedup(None).unwrap();
    assert_eq!(
        dump(&b),
        vec![
            "[1] INT 'int' size=4",
            "[2] STRUCT 'foo' size=4 u:1@0",
            "[3] PTR '' -> 2",
            "[4] FWD 'foo' union",
            "[5] PTR '' -> 4",
            "[6] STRUCT 'bar' size=4 u:1@0",
            "[7] STRUCT 'bar' size=8 u:1@0",
            "[8] FWD 'bar' struct",
        ]
    );
}

/// Enum forward declarations merge into the full enum (ENUM64 too), before
/// or after it; equal enums merge; different ones of the same name stay.
#[test]
fn enums() {
    let mut b = Btf::new_empty();
    let f1 = b.add_fwd("e", BTF_FWD_ENUM).unwrap(); // 1: fwd before the definition
    b.add_ptr(f1).unwrap(); // 2
    let e = b.add_enum("e", 4).unwrap(); // 3
    b.add_enum_value("A", 1).unwrap();
    b.add_ptr(e).unwrap(); // 4
    let e2 = b.add_enum("e", 4).unwrap(); // 5: equal
    b.add_enum_value("A", 1).unwrap();
    let e3 = b.add_enum("e", 4).unwrap(); // 6: different values
    b.add_enum_value("A", 2).unwrap();
    let big = b.add_enum64("big", 8, false).unwrap(); // 7
    b.add_enum64_value("X", 1 << 40).unwrap();
    let fbig = b.add_fwd("big", BTF_FWD_ENUM).unwrap(); // 8: 4-byte fwd of an ENUM64
    let anon1 = b.add_enum("", 4).unwrap(); // 9
    b.add_enum_value("Z", 0).unwrap();
    let anon2 = b.add_enum("", 4).unwrap(); // 10: equal anonymous enum
    b.add_enum_value("Z", 0).unwrap();
    let _ = (e2, e3, big, fbig, anon1, anon2);
    b.dedup(None).unwrap();
    assert_eq!(
        dump(&b),
        vec![
            // The FWD resolved first to enum [3], then (met again by the
            // unequal enum [6] of the same name) to [6], as libbpf does.
            "[1] PTR '' -> 4",
            "[2] ENUM 'e' size=4 A=1",
            "[3] PTR '' -> 2",
            "[4] ENUM 'e' size=4 A=2",
            "[5] ENUM64 'big' size=8 X=1099511627776",
            "[6] ENUM '' size=4 Z=0",
        ]
    );
}

/// Split BTF: types equal to base types disappear into the base; a split
/// struct whose graph would need a base FWD resolved stays, though the
/// base FWD then stands for the split struct; the base never changes.
#[test]
fn split_dedups_against_an_unchanged_base() {
    let mut base = Btf::new_empty();
    let i = int(&mut base); // 1
    let s = base.add_struct("s", 4).unwrap(); // 2
    base.add_field("x", i, 0, 0).unwrap();
    base.add_ptr(s).unwrap(); // 3
    let f = base.add_fwd("t", BTF_FWD_STRUCT).unwrap(); // 4
    let pf = base.add_ptr(f).unwrap(); // 5
    base.add_struct("u", 8).unwrap(); // 6
    base.add_field("p", pf, 0, 0).unwrap();
    let base_raw = base.raw_data().to_vec();
    let base = Arc::new(base);
    let mut sp = Btf::new_empty_split(base.clone());
    let i2 = int(&mut sp); // 7 == 1
    let s2 = sp.add_struct("s", 4).unwrap(); // 8 == 2
    sp.add_field("x", i2, 0, 0).unwrap();
    let p2 = sp.add_ptr(s2).unwrap(); // 9 == 3
    let t = sp.add_struct("t", 4).unwrap(); // 10: full t
    sp.add_field("x", i2, 0, 0).unwrap();
    let pt = sp.add_ptr(t).unwrap(); // 11
    sp.add_struct("u", 8).unwrap(); // 12: would need base FWD t -> split t
    sp.add_field("p", pt, 0, 0).unwrap();
    let h = sp.add_struct("holder", 16).unwrap(); // 13
    sp.add_field("s", p2, 0, 0).unwrap();
    sp.add_field("t", pt, 64, 0).unwrap();
    sp.add_var("v", BTF_VAR_STATIC, h).unwrap(); // 14
    sp.add_ptr(f).unwrap(); // 15: pointer to the base FWD, now split t
    sp.dedup(None).unwrap();
    assert_eq!(
        dump(&sp),
        vec![
            "[7] STRUCT 't' size=4 x:1@0",
            "[8] PTR '' -> 7",
            "[9] STRUCT 'u' size=8 p:8@0",
            "[10] STRUCT 'holder' size=16 s:3@0 t:8@64",
            "[11] VAR 'v' -> 10",
        ]
    );
    assert_eq!(base.raw_data(), &base_raw[..]);
}

/// Strings: unreferenced ones go, duplicates merge, first use order; a BTF
/// built from scratch keeps its (already unique) strings.
#[test]
fn strings() {
    let mut b = Btf::new_empty();
    int(&mut b);
    b.add_str(b"unused").unwrap();
    int(&mut b);
    let before = b.str_section().to_vec();
    b.dedup(None).unwrap();
    assert_eq!(b.str_section(), &before[..], "built from scratch: strings kept");

    // Parsed BTF: "unused" goes, "int" is written once.
    let p = Btf::parse(&{
        let mut b = Btf::new_empty();
        b.add_str(b"unused").unwrap();
        b.add_int("int", 4, 0).unwrap();
        b.add_typedef("t", 1).unwrap();
        b.raw_data().to_vec()
    });
    let mut p = p.unwrap();
    p.dedup(None).unwrap();
    assert_eq!(p.str_section(), b"\0int\0t\0");
    assert_eq!(dump(&p), vec!["[1] INT 'int' size=4", "[2] TYPEDEF 't' -> 1"]);
    // A second dedup keeps them as they are.
    p.dedup(None).unwrap();
    assert_eq!(p.str_section(), b"\0int\0t\0");
}

/// `.BTF.ext` type ids and strings follow the types.
#[test]
fn btf_ext_is_rewritten() {
    let mut b = Btf::new_empty();
    let _pad = b.add_str(b"unused").unwrap();
    let i = int(&mut b); // 1
    let p1 = b.add_func_proto(i).unwrap(); // 2
    let p2 = b.add_func_proto(i).unwrap(); // 3 == 2
    let f = b.add_func("f", BTF_FUNC_GLOBAL, p2).unwrap(); // 4 -> 3
    let sec = b.add_str(b"prog").unwrap();
    let file = b.add_str(b"f.c").unwrap();
    let _ = p1;
    let mut p = Btf::parse(b.raw_data()).unwrap();
    // func_info (f), line_info (file, line), core_relo (type p2, access "0").
    let mut ext = Vec::new();
    let w = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_ne_bytes());
    ext.extend_from_slice(&BTF_MAGIC.to_ne_bytes());
    ext.extend_from_slice(&[1, 0]);
    for x in [32u32, 0, 20, 20, 28, 48, 28] {
        w(&mut ext, x);
    }
    ext.truncate(32);
    for x in [8u32, sec, 1, 0, f] {
        w(&mut ext, x);
    } // func info: 20 bytes
    for x in [16u32, sec, 1, 0, file, file, 5 << 10] {
        w(&mut ext, x);
    } // line info: 28 bytes
    for x in [16u32, sec, 1, 0, p2, file, 0] {
        w(&mut ext, x);
    } // core relo: 28 bytes (access string "f.c" for the test)
    let mut ext = BtfExt::parse(&ext).unwrap();
    p.dedup(Some(&mut ext)).unwrap();
    assert_eq!(dump(&p), vec!["[1] INT 'int' size=4", "[2] FUNC_PROTO '' ret=1", "[3] FUNC 'f' -> 2"]);
    assert_eq!(p.str_section(), b"\0int\0f\0prog\0f.c\0");
    let fi: Vec<_> = ext.func_info_sections().collect();
    assert_eq!(p.name(fi[0].sec_name_off), Some("prog"));
    assert_eq!(fi[0].func_infos().next().unwrap().type_id, 3);
    let li = ext.line_info_sections().next().unwrap().line_infos().next().unwrap();
    assert_eq!((p.name(li.file_name_off), p.name(li.line_off)), (Some("f.c"), Some("f.c")));
    let cr = ext.core_relo_sections().next().unwrap().core_relos().next().unwrap();
    assert_eq!((cr.type_id, p.name(cr.access_str_off)), (2, Some("f.c")));
}

/// Reference types in a loop (only possible in malformed BTF) fail with
/// ELOOP and leave the BTF as it was.
#[test]
fn reference_loop_fails_cleanly() {
    let mut b = Btf::new_empty();
    b.add_ptr(2).unwrap();
    b.add_const(1).unwrap();
    let raw = b.raw_data().to_vec();
    assert_eq!(b.dedup(None), Err(Error::new(libc::ELOOP)));
    assert_eq!(b.raw_data(), &raw[..]);
    // A struct member of kind VAR: EINVAL from the graph comparison.
    let mut b = Btf::new_empty();
    for _ in 0..2 {
        let v = b.add_var("v", 0, 0).unwrap();
        b.add_struct("s", 4).unwrap();
        b.add_field("m", v, 0, 0).unwrap();
    }
    assert_eq!(b.dedup(None), Err(Error::INVAL));
}

/// Many anonymous structs sharing a hash (a quadratic case for libbpf)
/// still merge pairwise with their twins.
#[test]
fn many_anonymous_unions() {
    let mut b = Btf::new_empty();
    let i = int(&mut b);
    let mut names = Vec::new();
    for n in 0..300 {
        let s = b.add_struct(format!("ev{n}"), 4).unwrap();
        b.add_field("x", i, 0, 0).unwrap();
        names.push(s);
    }
    for _copy in 0..2 {
        for &s in &names {
            b.add_union("", 4).unwrap();
            b.add_field("event", s, 0, 0).unwrap();
        }
    }
    b.dedup(None).unwrap();
    assert_eq!(b.type_cnt(), 1 + 1 + 300 + 300);
}

/// Timing on the running kernel's BTF (`cargo test --release -- --ignored
/// --nocapture vmlinux_twice`).
#[test]
#[ignore]
fn vmlinux_twice_timing() {
    let vm = Btf::load_vmlinux().unwrap();
    let mut b = Btf::new_empty();
    b.add_btf(&vm).unwrap();
    b.add_btf(&vm).unwrap();
    let t = std::time::Instant::now();
    b.dedup(None).unwrap();
    eprintln!("dedup: {:?}, {} types", t.elapsed(), b.type_cnt());
    assert_eq!(b.type_cnt(), vm.type_cnt() - ((vm.type_cnt() - b.type_cnt()) as i64).max(0) as u32);
}

/// A tiny deterministic random generator for the tests below.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u32) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n.max(1) as u64) as u32
    }
}

/// Random "compilation units" drawn from one universe of struct, union and
/// enum definitions: each unit defines some of them fully, declares others
/// only (FWD), points to and embeds them, wraps members in typedefs,
/// modifiers, arrays and anonymous unions, with the odd conflicting
/// definition. Many types share names, sizes and member names.
fn random_units(seed: u64, units: u32) -> Btf {
    let mut r = Rng(seed);
    let mut b = Btf::new_empty();
    let names = ["a", "b", "c", "d", "e", "f"];
    for _ in 0..units {
        let int = b.add_int("int", 4, BTF_INT_SIGNED).unwrap();
        let long = b.add_int("long", 8, BTF_INT_SIGNED).unwrap();
        let en = b.add_enum("mode", 4).unwrap();
        b.add_enum_value("M0", 0).unwrap();
        if r.next(3) == 0 {
            b.add_enum_value("M1", 1).unwrap();
        }
        // Forward declarations or placeholders first, then definitions.
        let mut ids = Vec::new();
        for (i, n) in names.iter().enumerate() {
            let fwd = r.next(3) == 0;
            let kind = if i % 3 == 2 { BTF_FWD_UNION } else { BTF_FWD_STRUCT };
            ids.push((b.add_fwd(n, kind).unwrap(), fwd, kind));
        }
        for (i, n) in names.iter().enumerate() {
            let (fwd_id, only_fwd, kind) = ids[i];
            if only_fwd {
                continue;
            }
            let nm = 1 + r.next(3);
            let sid = if kind == BTF_FWD_UNION { b.add_union(n, 8).unwrap() } else { b.add_struct(n, 8 * nm).unwrap() };
            // Members refer to types added after the struct: reserve ids.
            let base = sid + 1;
            let mut extra = Vec::new();
            for m in 0..nm {
                let off = if kind == BTF_FWD_UNION { 0 } else { m * 64 };
                let pick = r.next(7);
                let target = match pick {
                    0 => int,
                    1 => long,
                    2 => en,
                    // pointer to another (maybe only declared) struct
                    3 | 4 => {
                        extra.push((2, ids[r.next(names.len() as u32) as usize].0));
                        base + extra.len() as u32 - 1
                    }
                    // typedef / const of int
                    5 => {
                        extra.push((8, if r.next(2) == 0 { int } else { long }));
                        base + extra.len() as u32 - 1
                    }
                    // pointer to self
                    _ => {
                        extra.push((2, sid));
                        base + extra.len() as u32 - 1
                    }
                };
                let _ = fwd_id;
                b.add_field(names[m as usize % names.len()], target, off, 0).unwrap();
            }
            for (k, t) in extra {
                match k {
                    2 => b.add_ptr(t).unwrap(),
                    _ => b.add_typedef("word", t).unwrap(),
                };
            }
        }
        // Anonymous unions around pointers to the named types.
        for _ in 0..r.next(4) {
            let u = b.add_union("", 8).unwrap();
            b.add_field("p", u + 1, 0, 0).unwrap();
            b.add_ptr(ids[r.next(names.len() as u32) as usize].0).unwrap();
        }
        let proto = b.add_func_proto(int).unwrap();
        b.add_func_param("x", ids[0].0).unwrap();
        b.add_func("fn", BTF_FUNC_GLOBAL, proto).unwrap();
        let arr = b.add_array(int, long, 1 + r.next(2)).unwrap();
        b.add_const(arr).unwrap();
    }
    b
}

/// The member-shape filter only skips walks bound to fail: results equal
/// those of walking every candidate, on many random unit mixes.
#[test]
fn shape_filter_changes_nothing() {
    let mut merged = 0;
    for seed in 0..300 {
        let src = random_units(seed, 2 + (seed % 5) as u32);
        let mut a = Btf::parse(src.raw_data()).unwrap();
        let mut b = Btf::parse(src.raw_data()).unwrap();
        a.dedup(None).unwrap();
        super::dedup_unfiltered(&mut b).unwrap();
        assert_eq!(a.raw_data(), b.raw_data(), "seed {seed}");
        merged += src.type_cnt() - a.type_cnt();
    }
    assert!(merged > 1000, "the mixes do merge ({merged})");
}
