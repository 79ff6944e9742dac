//! Tests of distilling, relocating and permuting, on hand-built BTF.

use std::sync::Arc;

use super::testutil::dump;
use super::*;
use crate::error::Error;
use crate::uapi::btf::*;

/// A base with one type of most kinds, and a split BTF using many of them.
fn base_and_split() -> (Arc<Btf>, Btf) {
    let mut b = Btf::new_empty();
    let int = b.add_int("int", 4, BTF_INT_SIGNED).unwrap(); // 1
    b.add_int("long", 8, BTF_INT_SIGNED).unwrap(); // 2
    let s = b.add_struct("s", 4).unwrap(); // 3
    b.add_field("x", int, 0, 0).unwrap();
    b.add_ptr(s).unwrap(); // 4
    b.add_typedef("td", int).unwrap(); // 5
    b.add_struct("", 4).unwrap(); // 6
    b.add_field("y", int, 0, 0).unwrap();
    b.add_enum("e", 4).unwrap(); // 7
    b.add_enum_value("A", 1).unwrap();
    b.add_enum64("e64", 8, false).unwrap(); // 8
    b.add_enum64_value("B", 1 << 40).unwrap();
    let f = b.add_fwd("f", BTF_FWD_STRUCT).unwrap(); // 9
    b.add_ptr(f).unwrap(); // 10
    b.add_const(int).unwrap(); // 11
    b.add_array(int, int, 2).unwrap(); // 12
    let proto = b.add_func_proto(int).unwrap(); // 13
    b.add_func_param("a", int).unwrap();
    b.add_struct("unused", 4).unwrap(); // 14
    b.add_field("x", int, 0, 0).unwrap();
    b.add_enum("", 4).unwrap(); // 15
    b.add_enum_value("Z", 0).unwrap();
    b.add_float("double", 8).unwrap(); // 16
    b.add_func("fn", BTF_FUNC_GLOBAL, proto).unwrap(); // 17
    let base = Arc::new(b);
    let mut sp = Btf::new_empty_split(base.clone());
    sp.add_struct("use", 64).unwrap(); // 18
    for (i, (name, ty)) in
        [("p", 4), ("t", 5), ("a", 6), ("en", 7), ("ee", 8), ("pf", 10), ("c", 11), ("arr", 12), ("fp", 20), ("z", 15), ("d", 16)]
            .into_iter()
            .enumerate()
    {
        sp.add_field(name, ty, i as u32 * 32, 0).unwrap();
    }
    sp.add_ptr(18).unwrap(); // 19
    sp.add_ptr(13).unwrap(); // 20
    (base, sp)
}

#[test]
fn distill_keeps_only_what_relocation_needs() {
    let (_base, sp) = base_and_split();
    let (dist, split) = sp.distill_base().unwrap();
    assert_eq!(
        dump(&dist),
        vec![
            "[1] INT 'int' size=4",
            "[2] STRUCT 's' size=4",
            "[3] ENUM 'e' size=4",
            "[4] ENUM 'e64' size=8",
            "[5] FWD 'f' struct",
            "[6] FLOAT 'double' size=8",
        ]
    );
    assert!(Arc::ptr_eq(split.base().unwrap(), &dist));
    assert_eq!(
        dump(&split),
        vec![
            "[7] STRUCT 'use' size=64 p:10@0 t:11@32 a:12@64 en:3@96 ee:4@128 pf:13@160 c:14@192 arr:15@224 fp:9@256 z:17@288 d:6@320",
            "[8] PTR '' -> 7",
            "[9] PTR '' -> 16",
            "[10] PTR '' -> 2",
            "[11] TYPEDEF 'td' -> 1",
            "[12] STRUCT '' size=4 y:1@0",
            "[13] PTR '' -> 5",
            "[14] CONST '' -> 1",
            "[15] ARRAY '' 1[2] idx=1",
            "[16] FUNC_PROTO '' ret=1 a:1",
            "[17] ENUM '' size=4 Z=0",
        ]
    );
    // The distilled pair survives a round trip through raw bytes.
    let dist2 = Arc::new(Btf::parse(dist.raw_data()).unwrap());
    let split2 = Btf::parse_split(split.raw_data(), dist2).unwrap();
    assert_eq!(dump(&split2), dump(&split));
}

#[test]
fn distill_then_relocate_gives_back_the_same_types() {
    let (base, mut sp) = base_and_split();
    let (_dist, mut split) = sp.distill_base().unwrap();
    split.relocate(base.clone()).unwrap();
    assert!(Arc::ptr_eq(split.base().unwrap(), &base));
    assert_eq!(split.start_id(), 18);
    assert_eq!(split.type_cnt(), 18 + 11);
    let d = dump(&split);
    assert_eq!(d[0], "[18] STRUCT 'use' size=64 p:21@0 t:22@32 a:23@64 en:7@96 ee:8@128 pf:24@160 c:25@192 arr:26@224 fp:20@256 z:28@288 d:16@320");
    assert_eq!(d[3], "[21] PTR '' -> 3");
    // Copies of base types fold back into the base, giving the original
    // types (through raw bytes, so that their names are matched with the
    // base's: BTF built from scratch keeps its strings as they are).
    let mut back = Btf::parse_split(split.raw_data(), base.clone()).unwrap();
    back.dedup(None).unwrap();
    sp.dedup(None).unwrap();
    assert_eq!(dump(&back), dump(&sp));
}

#[test]
fn distill_errors() {
    let (base, _) = base_and_split();
    assert_eq!(base.distill_base().err(), Some(Error::INVAL), "not split BTF");
    let mut sp = Btf::new_empty_split(base);
    sp.add_ptr(17).unwrap(); // a FUNC of the base cannot be distilled
    assert_eq!(sp.distill_base().err(), Some(Error::INVAL));
}

/// A distilled base and a split BTF on it, built by hand.
fn dist_split(dist_types: impl FnOnce(&mut Btf), split_types: impl FnOnce(&mut Btf)) -> Btf {
    let mut d = Btf::new_empty();
    dist_types(&mut d);
    let mut s = Btf::new_empty_split(Arc::new(d));
    split_types(&mut s);
    s
}

#[test]
fn relocate_matching_rules() {
    let mut base = Btf::new_empty();
    let int = base.add_int("int", 4, BTF_INT_SIGNED).unwrap(); // 1
    base.add_int("uint", 4, 0).unwrap(); // 2
    base.add_struct("dup", 4).unwrap(); // 3
    base.add_field("a", int, 0, 0).unwrap();
    base.add_struct("dup", 8).unwrap(); // 4
    base.add_field("a", int, 0, 0).unwrap();
    base.add_enum64("e", 8, true).unwrap(); // 5
    base.add_enum64_value("X", 1).unwrap();
    base.add_union("u", 8).unwrap(); // 6
    base.add_fwd("fw", BTF_FWD_UNION).unwrap(); // 7
    let base = Arc::new(base);

    // Sizes pick among same-named structs; an ENUM finds an ENUM64; a FWD
    // finds a FWD of the same flavor.
    let mut s = dist_split(
        |d| {
            d.add_struct("dup", 8).unwrap(); // 1
            d.add_enum("e", 8).unwrap(); // 2
            d.add_fwd("fw", BTF_FWD_UNION).unwrap(); // 3
            d.add_int("uint", 4, 0).unwrap(); // 4
        },
        |s| {
            s.add_struct("w", 16).unwrap(); // 5
            s.add_field("d", 1, 0, 0).unwrap();
            s.add_field("e", 2, 64, 0).unwrap();
            s.add_field("f", 6, 96, 0).unwrap();
            s.add_ptr(3).unwrap(); // 6
            s.add_typedef("uint_t", 4).unwrap(); // 7
        },
    );
    s.relocate(base.clone()).unwrap();
    assert_eq!(dump(&s), vec!["[8] STRUCT 'w' size=16 d:4@0 e:5@64 f:9@96", "[9] PTR '' -> 7", "[10] TYPEDEF 'uint_t' -> 2"]);

    let fail = |dist: &dyn Fn(&mut Btf), split: &dyn Fn(&mut Btf)| {
        let mut s = dist_split(dist, split);
        let before = s.raw_data().to_vec();
        let e = s.relocate(base.clone()).unwrap_err();
        assert_eq!(s.raw_data(), &before[..], "unchanged on failure");
        e
    };
    // No match.
    assert_eq!(fail(&|d| { d.add_struct("nothere", 4).unwrap(); }, &|s| { s.add_ptr(1).unwrap(); }), Error::INVAL);
    // INT encoding differs.
    assert_eq!(fail(&|d| { d.add_int("int", 4, 0).unwrap(); }, &|s| { s.add_ptr(1).unwrap(); }), Error::INVAL);
    // Not a distilled base (a PTR in it).
    assert_eq!(fail(&|d| { d.add_ptr(0).unwrap(); }, &|s| { s.add_ptr(1).unwrap(); }), Error::INVAL);
    // An embedded struct must match in size: base `dup`s are 4 and 8 bytes.
    assert_eq!(
        fail(
            &|d| { d.add_struct("dup", 12).unwrap(); },
            &|s| {
                s.add_struct("outer", 12).unwrap();
                s.add_field("in", 1, 0, 0).unwrap();
            }
        ),
        Error::INVAL
    );
    // Relocating onto the current base, or a BTF that is not split.
    let mut s = dist_split(|d| { d.add_int("int", 4, BTF_INT_SIGNED).unwrap(); }, |s| { s.add_ptr(1).unwrap(); });
    let cur = s.base().unwrap().clone();
    assert_eq!(s.relocate(cur), Err(Error::INVAL));
    let mut plain = Btf::new_empty();
    assert_eq!(plain.relocate(base.clone()), Err(Error::INVAL));
}

#[test]
fn relocate_ambiguous_and_embedded() {
    // Two same-sized structs of one name in the base: ambiguous.
    let mut base = Btf::new_empty();
    base.add_struct("twin", 4).unwrap();
    base.add_struct("twin", 4).unwrap();
    base.add_struct("lone", 8).unwrap();
    let base = Arc::new(base);
    let mut s = dist_split(|d| { d.add_struct("twin", 4).unwrap(); }, |s| { s.add_ptr(1).unwrap(); });
    assert_eq!(s.relocate(base.clone()), Err(Error::INVAL));
    // A unique name matches whatever its size when only pointed to, not
    // when embedded (through a typedef and an array).
    let mut s = dist_split(|d| { d.add_struct("lone", 4).unwrap(); }, |s| { s.add_ptr(1).unwrap(); });
    s.relocate(base.clone()).unwrap();
    assert_eq!(dump(&s), vec!["[4] PTR '' -> 3"]);
    let mut s = dist_split(
        |d| { d.add_struct("lone", 4).unwrap(); },
        |s| {
            s.add_typedef("lone_t", 1).unwrap(); // 2
            s.add_array(0, 2, 3).unwrap(); // 3
            s.add_struct("outer", 12).unwrap(); // 4
            s.add_field("l", 3, 0, 0).unwrap();
        },
    );
    assert_eq!(s.relocate(base), Err(Error::INVAL));
}

#[test]
fn permute_base_btf() {
    let mut b = Btf::new_empty();
    b.add_int("int", 4, BTF_INT_SIGNED).unwrap(); // 1
    b.add_ptr(1).unwrap(); // 2
    b.add_struct("s1", 4).unwrap(); // 3
    b.add_field("m", 1, 0, 0).unwrap();
    b.add_struct("s2", 4).unwrap(); // 4
    b.add_field("m", 1, 0, 0).unwrap();
    b.add_func_proto(1).unwrap(); // 5
    b.add_func_param("p", 2).unwrap();
    b.add_func("f", BTF_FUNC_STATIC, 5).unwrap(); // 6
    let original = b.raw_data().to_vec();
    let want = vec![
        "[1] STRUCT 's2' size=4 m:4@0",
        "[2] FUNC 'f' -> 6",
        "[3] PTR '' -> 4",
        "[4] INT 'int' size=4",
        "[5] STRUCT 's1' size=4 m:4@0",
        "[6] FUNC_PROTO '' ret=4 p:3",
    ];
    b.permute(&[0, 4, 3, 5, 1, 6, 2], None).unwrap();
    assert_eq!(dump(&b), want);
    let raw = b.raw_data().to_vec();
    for bad in [&[4, 0, 3, 5, 1, 6, 2][..], &[0, 4, 3, 5, 1, 6], &[0, 4, 4, 5, 1, 6, 2], &[0, 4, 3, 5, 1, 7, 2]] {
        assert_eq!(b.permute(bad, None), Err(Error::INVAL));
        assert_eq!(b.raw_data(), &raw[..]);
    }
    // Permuting back restores the original bytes (strings never move).
    b.permute(&[0, 4, 6, 2, 1, 3, 5], None).unwrap();
    assert_eq!(b.raw_data(), &original[..]);
}

#[test]
fn permute_split_btf_and_ext() {
    let mut base = Btf::new_empty();
    base.add_int("int", 4, BTF_INT_SIGNED).unwrap(); // 1
    base.add_ptr(1).unwrap(); // 2
    let mut s = Btf::new_empty_split(Arc::new(base));
    s.add_struct("s1", 4).unwrap(); // 3
    s.add_field("m", 1, 0, 0).unwrap();
    s.add_struct("s2", 4).unwrap(); // 4
    s.add_field("m", 1, 0, 0).unwrap();
    s.add_func_proto(1).unwrap(); // 5
    s.add_func_param("p", 2).unwrap();
    s.add_func("f", BTF_FUNC_STATIC, 5).unwrap(); // 6
    // .BTF.ext with one func info (f) and one CO-RE relocation (s1).
    let mut ext = Vec::new();
    let w = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_ne_bytes());
    ext.extend_from_slice(&BTF_MAGIC.to_ne_bytes());
    ext.extend_from_slice(&[1, 0]);
    for x in [32u32, 0, 20, 20, 0, 20, 28, 8, 0, 1, 0, 6, 16, 0, 1, 0, 3, 0, 0] {
        w(&mut ext, x);
    }
    let mut ext = BtfExt::parse(&ext).unwrap();
    s.permute(&[6, 3, 5, 4], Some(&mut ext)).unwrap();
    assert_eq!(
        dump(&s),
        vec!["[3] STRUCT 's2' size=4 m:1@0", "[4] FUNC 'f' -> 5", "[5] FUNC_PROTO '' ret=1 p:2", "[6] STRUCT 's1' size=4 m:1@0"]
    );
    assert_eq!(ext.func_info_sections().next().unwrap().func_infos().next().unwrap().type_id, 4);
    assert_eq!(ext.core_relo_sections().next().unwrap().core_relos().next().unwrap().type_id, 6);
    for bad in [&[4, 3, 5][..], &[4, 3, 3, 6], &[4, 2, 5, 6]] {
        assert_eq!(s.permute(bad, None), Err(Error::INVAL));
    }
}
