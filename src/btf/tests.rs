//! Tests of the BTF core: building and parsing round trips, both byte
//! orders, split BTF, lookups, resolving, `.BTF.ext`, and a corpus of
//! malformed input (plus random corruption) that must fail cleanly.

use std::sync::Arc;

use super::*;
use crate::error::Error;
use crate::uapi::btf::*;

/// A BTF with one type of every kind.
fn sample() -> Btf {
    let mut b = Btf::new_empty();
    let int = b.add_int("int", 4, BTF_INT_SIGNED).unwrap();
    assert_eq!(int, 1);
    let ptr = b.add_ptr(int).unwrap();
    let arr = b.add_array(int, ptr, 10).unwrap();
    let s = b.add_struct("s", 16).unwrap();
    b.add_field("a", int, 0, 0).unwrap();
    b.add_field("bf", int, 35, 3).unwrap();
    b.add_field("", arr, 64, 0).unwrap();
    let u = b.add_union("u", 4).unwrap();
    b.add_field("x", int, 0, 0).unwrap();
    let e = b.add_enum("e", 4).unwrap();
    b.add_enum_value("A", -1).unwrap();
    b.add_enum_value("B", 0xffff_ffff).unwrap();
    let e64 = b.add_enum64("e64", 8, false).unwrap();
    b.add_enum64_value("C", 1 << 40).unwrap();
    b.add_fwd("fs", BTF_FWD_STRUCT).unwrap();
    b.add_fwd("fu", BTF_FWD_UNION).unwrap();
    b.add_fwd("fe", BTF_FWD_ENUM).unwrap();
    let td = b.add_typedef("td", s).unwrap();
    b.add_volatile(td).unwrap();
    let c = b.add_const(u).unwrap();
    b.add_restrict(ptr).unwrap();
    b.add_type_tag("tag", ptr).unwrap();
    b.add_type_attr("attr", ptr).unwrap();
    let proto = b.add_func_proto(int).unwrap();
    b.add_func_param("p", c).unwrap();
    b.add_func_param("", e).unwrap();
    let f = b.add_func("f", BTF_FUNC_GLOBAL, proto).unwrap();
    let v = b.add_var("v", BTF_VAR_GLOBAL_ALLOCATED, e64).unwrap();
    b.add_datasec(".data", 8).unwrap();
    b.add_datasec_var_info(v, 0, 8).unwrap();
    b.add_float("float", 4).unwrap();
    b.add_decl_tag("dt", f, 0).unwrap();
    b.add_decl_attr("da", s, -1).unwrap();
    b
}

#[test]
fn build_parse_round_trip() {
    let b = sample();
    assert_eq!(b.type_cnt(), 24);
    let raw = b.raw_data().to_vec();
    assert_eq!(&raw[4..8], &32u32.to_ne_bytes());
    let p = Btf::parse(&raw).unwrap();
    assert_eq!(p.raw_data(), &raw[..]);
    for id in 0..b.type_cnt() {
        assert_eq!(b.type_by_id(id).unwrap().words(), p.type_by_id(id).unwrap().words());
    }
    let s = p.type_at(p.find_by_name_kind(b"s", BTF_KIND_STRUCT).unwrap()).unwrap();
    assert!(s.kflag());
    let m: Vec<_> = s.members().map(|m| (p.name(m.name_off).unwrap().to_string(), m.bit_offset, m.bitfield_size)).collect();
    assert_eq!(m, vec![("a".into(), 0, 0), ("bf".into(), 35, 3), ("".into(), 64, 0)]);
    let e = p.type_at(p.find_by_name_kind(b"e", BTF_KIND_ENUM).unwrap()).unwrap();
    assert!(e.kflag(), "a negative enumerator makes the enum signed");
    assert_eq!(p.resolve_size(p.find_by_name(b"td").unwrap()).unwrap(), 16);
    assert_eq!(p.align_of(p.find_by_name(b"s").unwrap()).unwrap(), 8);
    assert_eq!(p.resolve_size(p.find_by_name(b"v").unwrap()).unwrap(), 8);
}

#[test]
fn strings_are_deduplicated_in_call_order() {
    let mut b = Btf::new_empty();
    assert_eq!(b.add_str(b"").unwrap(), 0);
    assert_eq!(b.add_str(b"abc").unwrap(), 1);
    assert_eq!(b.add_str(b"x").unwrap(), 5);
    assert_eq!(b.add_str(b"abc").unwrap(), 1);
    assert_eq!(b.find_str(b"x").unwrap(), 5);
    assert_eq!(b.find_str(b"bc"), Err(Error::NOENT));
    assert_eq!(b.add_int("abc", 1, 0).unwrap(), 1);
    assert_eq!(b.str_section(), b"\0abc\0x\0");
    assert_eq!(b.add_str(b"a\0b"), Err(Error::INVAL));
}

#[test]
fn builder_argument_checks() {
    let mut b = Btf::new_empty();
    assert_eq!(b.add_int("", 4, 0), Err(Error::INVAL));
    assert_eq!(b.add_int("i", 3, 0), Err(Error::INVAL));
    assert_eq!(b.add_int("i", 32, 0), Err(Error::INVAL));
    assert_eq!(b.add_int("i", 4, 8), Err(Error::INVAL));
    assert_eq!(b.add_float("f", 3), Err(Error::INVAL));
    assert_eq!(b.add_field("a", 1, 0, 0), Err(Error::INVAL), "no type yet");
    let s = b.add_struct("s", 4).unwrap();
    assert_eq!(b.add_field("a", 1, 3, 0), Err(Error::INVAL), "unaligned non-bitfield");
    assert_eq!(b.add_field("a", 1, 0, 256), Err(Error::INVAL));
    assert_eq!(b.add_enum_value("A", 1), Err(Error::INVAL));
    b.add_union("u", 4).unwrap();
    assert_eq!(b.add_field("a", 1, 8, 0), Err(Error::INVAL), "union members sit at 0");
    b.add_enum("e", 4).unwrap();
    assert_eq!(b.add_enum_value("", 1), Err(Error::INVAL));
    assert_eq!(b.add_enum_value("A", 1 << 32), Err(Error::TOO_BIG));
    assert_eq!(b.add_enum_value("A", i32::MIN as i64 - 1), Err(Error::TOO_BIG));
    assert_eq!(b.add_enum("e", 3), Err(Error::INVAL));
    assert_eq!(b.add_fwd("x", 3), Err(Error::INVAL));
    assert_eq!(b.add_func("f", 3, s), Err(Error::INVAL));
    assert_eq!(b.add_var("v", 3, s), Err(Error::INVAL));
    assert_eq!(b.add_datasec("", 0), Err(Error::INVAL));
    assert_eq!(b.add_decl_tag("t", s, -2), Err(Error::INVAL));
    assert_eq!(b.add_ptr(0x8000_0000), Err(Error::INVAL));
    assert_eq!(b.add_func_param("p", 1), Err(Error::INVAL));
    assert_eq!(b.type_cnt(), 4);
    // A struct cannot take more than 0xffff members.
    b.add_struct("big", 0).unwrap();
    for _ in 0..0xffff {
        b.add_field("", 1, 0, 0).unwrap();
    }
    assert_eq!(b.add_field("", 1, 0, 0), Err(Error::TOO_BIG));
}

#[test]
fn both_byte_orders() {
    let mut b = sample();
    let native = b.raw_data().to_vec();
    b.set_big_endian(!cfg!(target_endian = "big"));
    let foreign = b.raw_data().to_vec();
    assert_ne!(native, foreign);
    assert_eq!(native.len(), foreign.len());
    let p = Btf::parse(&foreign).unwrap();
    assert_eq!(p.is_big_endian(), !cfg!(target_endian = "big"));
    assert_eq!(p.raw_data(), &foreign[..]);
    assert_eq!(p.raw_data_native(), &native[..]);
    for id in 0..b.type_cnt() {
        assert_eq!(b.type_by_id(id).unwrap().words(), p.type_by_id(id).unwrap().words());
    }
    // A 24-byte foreign header parses too; other lengths are refused.
    let mut old = foreign.clone();
    old.drain(24..32);
    old[4..8].copy_from_slice(&24u32.to_be_bytes());
    let o = Btf::parse(&old).unwrap();
    assert_eq!(o.type_cnt(), b.type_cnt());
    assert_eq!(o.raw_data(), &old[..]);
}

#[test]
fn parsed_btf_keeps_its_bytes_until_modified() {
    let raw = sample().raw_data().to_vec();
    let mut with_gap = raw.clone();
    with_gap.extend_from_slice(&[0xaa; 3]);
    let mut p = Btf::parse(&with_gap).unwrap();
    assert_eq!(p.raw_data(), &with_gap[..]);
    p.add_int("x", 1, 0).unwrap();
    let again = Btf::parse(p.raw_data()).unwrap();
    assert_eq!(again.type_cnt(), p.type_cnt());
    assert_eq!(again.find_by_name_kind(b"x", BTF_KIND_INT).unwrap(), p.type_cnt() - 1);
}

#[test]
fn split_btf_resolves_across_the_base() {
    let base = Arc::new(sample());
    let n = base.type_cnt();
    let mut s = Btf::new_empty_split(base.clone());
    assert_eq!(s.start_id(), n);
    assert_eq!(s.add_str(b"int").unwrap(), base.find_str(b"int").unwrap());
    let own = s.add_str(b"module_only").unwrap();
    assert_eq!(own, base.str_section().len() as u32);
    let st = s.find_by_name_kind(b"s", BTF_KIND_STRUCT).unwrap();
    let p = s.add_ptr(st).unwrap();
    assert_eq!(p, n);
    let m = s.add_struct("m", 24).unwrap();
    s.add_field("ps", p, 0, 0).unwrap();
    s.add_field("s", st, 64, 0).unwrap();
    assert_eq!(s.resolve_size(m).unwrap(), 24);
    assert_eq!(s.type_name(st), "s");
    assert_eq!(s.find_by_name_kind(b"m", BTF_KIND_STRUCT).unwrap(), m);
    let raw = s.raw_data().to_vec();
    let back = Btf::parse_split(&raw, base.clone()).unwrap();
    assert_eq!(back.type_cnt(), s.type_cnt());
    assert_eq!(back.name(own).unwrap(), "module_only");
    assert_eq!(back.type_at(m).unwrap().members().nth(1).unwrap().type_id, st);
    assert!(Btf::parse(&raw).is_err(), "split BTF does not parse on its own");
    // Split on split.
    let mut s2 = Btf::new_empty_split(Arc::new(back));
    let t = s2.add_typedef("tm", m).unwrap();
    assert_eq!(s2.resolve_size(t).unwrap(), 24);
    assert_eq!(s2.find_str(b"module_only").unwrap(), own);
    assert_eq!(s2.ids_named(b"m"), vec![m]);
}

#[test]
fn lookups_find_the_smallest_id() {
    let mut b = Btf::new_empty();
    let i1 = b.add_int("dup", 4, 0).unwrap();
    let s1 = b.add_struct("dup", 4).unwrap();
    let _ = b.find_by_name(b"dup");
    let i2 = b.add_int("dup", 8, 0).unwrap();
    let s2 = b.add_struct("dup", 8).unwrap();
    b.add_ptr(0).unwrap();
    assert_eq!(b.find_by_name(b"dup").unwrap(), i1);
    assert_eq!(b.find_by_name_kind(b"dup", BTF_KIND_STRUCT).unwrap(), s1);
    assert_eq!(b.ids_named(b"dup"), vec![i1, s1, i2, s2]);
    assert_eq!(b.find_by_name_kind(b"", BTF_KIND_PTR).unwrap(), 5);
    assert_eq!(b.find_by_name_kind(b"dup", BTF_KIND_UNION), Err(Error::NOENT));
    assert_eq!(b.find_by_name_kind(b"void", BTF_KIND_INT).unwrap(), 0);
    // Renaming through the mutable API drops the index.
    let words = b.type_words_mut(s1).unwrap();
    words[0] = 0;
    assert_eq!(b.find_by_name_kind(b"dup", BTF_KIND_STRUCT).unwrap(), s2);
    assert_eq!(b.set_type_info(s2, btf_info_enc(BTF_KIND_UNION, false, 0)), Ok(()));
    assert_eq!(b.set_type_info(s2, btf_info_enc(BTF_KIND_UNION, false, 1)), Err(Error::INVAL));
}

#[test]
fn add_btf_renumbers_and_rolls_back() {
    let src = sample();
    let mut dst = Btf::new_empty();
    dst.add_int("int", 4, BTF_INT_SIGNED).unwrap();
    let first = dst.add_btf(&src).unwrap();
    assert_eq!(first, 2);
    assert_eq!(dst.type_cnt(), 1 + 1 + src.type_cnt() - 1);
    let s = dst.find_own_by_name_kind(b"td", BTF_KIND_TYPEDEF).unwrap();
    assert_eq!(dst.resolve_size(s).unwrap(), 16);
    assert_eq!(dst.find_str(b"int").unwrap(), 1, "strings are reused");
    let raw = dst.raw_data().to_vec();
    assert!(Btf::parse(&raw).is_ok());
    let n = dst.type_cnt();
    assert_eq!(dst.add_btf_self().unwrap(), n);
    assert_eq!(dst.type_cnt(), 2 * n - 1);
    let split = Btf::new_empty_split(Arc::new(sample()));
    assert_eq!(dst.add_btf(&split), Err(Error::NOT_SUPPORTED));
    // add_type keeps ids, re-adds strings
    let mut one = Btf::new_empty();
    let t = src.type_at(src.find_by_name(b"s").unwrap()).unwrap();
    let id = one.add_type(&src, t).unwrap();
    assert_eq!(one.type_name(id), "s");
    assert_eq!(one.type_at(id).unwrap().members().count(), 3);
}

#[test]
fn loops_terminate() {
    // typedef A -> typedef B -> typedef A; struct S { S s; }; array of itself.
    let mut b = Btf::new_empty();
    let a = b.add_typedef("A", 2).unwrap();
    b.add_typedef("B", a).unwrap();
    let s = b.add_struct("S", 4).unwrap();
    b.add_field("s", s, 0, 0).unwrap();
    b.add_field("t", s, 0, 0).unwrap();
    let arr = b.add_array(0, 4, 1).unwrap();
    assert_eq!(arr, 4);
    let p = Btf::parse(b.raw_data()).unwrap();
    assert_eq!(p.resolve_size(a), Err(Error::INVAL));
    assert_eq!(p.resolve_type(a), Err(Error::INVAL));
    assert_eq!(p.align_of(a), Err(Error::INVAL));
    assert_eq!(p.align_of(s), Err(Error::INVAL));
    assert_eq!(p.resolve_size(arr), Err(Error::INVAL));
    assert_eq!(p.skip_mods_and_typedefs(a), Err(Error::INVAL));
}

#[test]
fn resolve_overflow_is_e2big() {
    let mut b = Btf::new_empty();
    let i = b.add_int("long", 8, 0).unwrap();
    let a1 = b.add_array(i, i, 1 << 20).unwrap();
    let a2 = b.add_array(i, a1, 1 << 20).unwrap();
    assert_eq!(b.resolve_size(a2), Err(Error::TOO_BIG));
    let z = b.add_array(i, a2, 0).unwrap();
    assert_eq!(b.resolve_size(z).unwrap(), 0);
    assert_eq!(b.pointer_size(), Some(8));
    let mut p = Btf::parse(b.raw_data()).unwrap();
    assert_eq!(p.pointer_size(), Some(8), "guessed from `long`");
    assert_eq!(p.set_pointer_size(5), Err(Error::INVAL));
    p.set_pointer_size(4).unwrap();
    let ptr = p.add_ptr(i).unwrap();
    assert_eq!(p.resolve_size(ptr).unwrap(), 4);
}

/// Raw BTF from parts: header fields, types, strings.
fn blob(type_off: u32, types: &[u32], strs: &[u8]) -> Vec<u8> {
    let mut h = Header::new_v2();
    h.hdr_len = 24;
    h.type_off = type_off;
    h.type_len = (types.len() * 4) as u32;
    h.str_off = type_off + h.type_len;
    h.str_len = strs.len() as u32;
    let mut out = Vec::new();
    h.write(&mut out, false);
    out.resize(24 + type_off as usize, 0);
    out.extend(types.iter().flat_map(|w| w.to_ne_bytes()));
    out.extend_from_slice(strs);
    out
}

const INT: [u32; 4] = [1, 0x0100_0000, 4, 32];

#[test]
fn malformed_corpus_is_refused() {
    let good = blob(0, &INT, b"\0int\0");
    assert!(Btf::parse(&good).is_ok());
    let bad = |data: &[u8], why: &str| {
        let r = Btf::parse(data);
        assert!(matches!(r, Err(e) if e == Error::INVAL), "{why}: {:?}", r.err());
    };
    // truncated header / data
    for n in [0, 1, 8, 23] {
        bad(&good[..n], "truncated header");
    }
    bad(&good[..good.len() - 1], "truncated strings");
    // bad hdr_len
    let mut d = good.clone();
    d[4..8].copy_from_slice(&1000u32.to_ne_bytes());
    bad(&d, "hdr_len past the end");
    d[4..8].copy_from_slice(&4u32.to_ne_bytes());
    bad(&d, "hdr_len too small");
    // bad magic
    let mut d = good.clone();
    d[0] = 0;
    bad(&d, "magic");
    // offsets past the end
    let mut d = good.clone();
    d[16..20].copy_from_slice(&100u32.to_ne_bytes());
    bad(&d, "str_off past the end");
    let mut d = good.clone();
    d[12..16].copy_from_slice(&u32::MAX.to_ne_bytes());
    bad(&d, "type_len overflow");
    // misaligned type section
    bad(&blob(2, &INT, b"\0int\0"), "misaligned types");
    // string section not NUL-terminated / not starting with ""
    bad(&blob(0, &INT, b"\0int"), "unterminated strings");
    bad(&blob(0, &INT, b"xint\0"), "first string not empty");
    bad(&blob(0, &INT, b""), "no strings");
    // string offset out of range
    bad(&blob(0, &[99, 0x0100_0000, 4, 32], b"\0int\0"), "name offset");
    // vlen overflow: a struct claiming 0xffff members
    bad(&blob(0, &[1, 0x0400_ffff, 4, 0, 1, 0], b"\0int\0"), "vlen");
    // unknown kinds, and kind 0
    bad(&blob(0, &[1, 0x1f00_0000, 4], b"\0int\0"), "unknown kind");
    bad(&blob(0, &[0, 0, 0], b"\0"), "kind UNKN");
    // leftover bytes after the last type
    bad(&blob(0, &[1, 0x0100_0000, 4, 32, 0], b"\0int\0"), "trailing type bytes");
    // type ids out of range
    bad(&blob(0, &[0, 0x0200_0000, 5], b"\0"), "ptr to nowhere");
    bad(&blob(0, &[0, 0x0300_0000, 0, 0, 9, 1], b"\0"), "array index type");
    bad(&blob(0, &[1, 0x0401_0000, 4, 1, 7, 0], b"\0int\0"), "member type");
    bad(&blob(0, &[1, 0x0401_0000, 4, 50, 0, 0], b"\0int\0"), "member name");
    bad(&blob(0, &[0, 0x0d01_0000, 0, 0, 3], b"\0"), "param type");
    bad(&blob(0, &[0, 0x0d00_0000, 4], b"\0"), "return type");
    bad(&blob(0, &[1, 0x0f01_0000, 4, 8, 0, 4], b"\0sec\0"), "datasec var");
    // FUNC must refer to a FUNC_PROTO
    bad(&blob(0, &[1, 0x0100_0000, 4, 32, 1, 0x0c00_0000, 1], b"\0int\0"), "func to int");
    // a foreign-endian header of a length that cannot be swapped
    let mut d = good.clone();
    d[0..2].copy_from_slice(&BTF_MAGIC.swap_bytes().to_ne_bytes());
    d[4..8].copy_from_slice(&28u32.to_be_bytes());
    assert_eq!(Btf::parse(&d).err(), Some(Error::NOT_SUPPORTED));
    // layout section overlapping the types
    let mut l = Header::new_v2();
    (l.type_len, l.str_off, l.str_len, l.layout_off, l.layout_len) = (16, 16, 5, 8, 8);
    let mut d = Vec::new();
    l.write(&mut d, false);
    d.extend(INT.iter().flat_map(|w| w.to_ne_bytes()));
    d.extend_from_slice(b"\0int\0");
    bad(&d, "overlapping layout");
}

#[test]
fn layout_sections() {
    let mut b = Btf::new_empty_with(None, true);
    b.add_int("int", 4, 0).unwrap();
    let raw = b.raw_data().to_vec();
    let h = Header::parse(&raw).unwrap().0;
    assert_eq!((h.layout_off, h.layout_len), (16, NR_BTF_KINDS * 4));
    assert_eq!(h.str_off, 16 + NR_BTF_KINDS * 4);
    let p = Btf::parse(&raw).unwrap();
    assert_eq!(p.layouts().unwrap(), &known_layouts()[..]);
    // A kind this library does not know, sized by the layout section.
    let mut layouts = known_layouts();
    layouts.push(btf_layout { info_sz: 4, elem_sz: 0, flags: 0 });
    let mut h = Header::new_v2();
    let types = [1u32, 0x0100_0000, 4, 32, 0, 20 << 24, 0, 7];
    (h.type_len, h.layout_off, h.layout_len) = (32, 32, (layouts.len() * 4) as u32);
    (h.str_off, h.str_len) = (32 + h.layout_len, 5);
    let mut d = Vec::new();
    h.write(&mut d, false);
    d.extend(types.iter().flat_map(|w| w.to_ne_bytes()));
    d.extend(layouts.iter().flat_map(|l| [l.info_sz, l.elem_sz, 0, 0]));
    d.extend_from_slice(b"\0int\0");
    let p = Btf::parse(&d).unwrap();
    assert_eq!(p.type_cnt(), 3);
    assert_eq!(p.type_at(2).unwrap().kind(), 20);
    assert_eq!(p.resolve_size(2), Err(Error::INVAL));
    assert_eq!(p.raw_data(), &d[..]);
}

/// Random corruption of valid BTF: parsing either fails or yields BTF on
/// which every accessor works; nothing panics or loops.
#[test]
fn random_corruption_never_panics() {
    let base = sample().raw_data().to_vec();
    let mut seed = 0x1234_5678_9abc_def0u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..4000 {
        let mut d = base.clone();
        for _ in 0..1 + next() % 4 {
            let at = (next() % d.len() as u64) as usize;
            d[at] = next() as u8;
        }
        if round % 7 == 0 {
            d.truncate((next() % d.len() as u64) as usize);
        }
        if let Ok(b) = Btf::parse(&d) {
            for id in 0..b.type_cnt() + 2 {
                let _ = b.resolve_size(id);
                let _ = b.resolve_type(id);
                let _ = b.align_of(id);
                if let Some(t) = b.type_by_id(id) {
                    let _ = (t.members().count(), t.params().count(), t.enumerators().count(), t.array());
                    let _ = b.str_by_offset(t.name_off());
                    let _ = b.find_by_name_kind(b.str_bytes(t.name_off()).unwrap_or(b"x"), t.kind());
                }
            }
            assert!(Btf::parse(b.raw_data()).is_ok());
        }
    }
}

/// A `.BTF.ext` with one section of each kind of info.
fn ext_sample() -> Vec<u8> {
    let words = |w: &[u32]| w.iter().flat_map(|x| x.to_ne_bytes()).collect::<Vec<u8>>();
    let func = words(&[8, 1, 2, 0, 5, 16, 6]);
    let line = words(&[16, 1, 1, 0, 3, 4, 5 << 10 | 2]);
    let core = words(&[16, 1, 1, 8, 7, 9, 0]);
    let mut hdr = Vec::new();
    hdr.extend_from_slice(&BTF_MAGIC.to_ne_bytes());
    hdr.extend_from_slice(&[1, 0]);
    let (fl, ll, cl) = (func.len() as u32, line.len() as u32, core.len() as u32);
    hdr.extend(words(&[32, 0, fl, fl, ll, fl + ll, cl]));
    [hdr, func, line, core].concat()
}

#[test]
fn btf_ext_parses_and_swaps() {
    let d = ext_sample();
    let e = BtfExt::parse(&d).unwrap();
    let f: Vec<_> = e.func_info_sections().collect();
    assert_eq!((f.len(), f[0].sec_name_off, f[0].len()), (1, 1, 2));
    let fi: Vec<_> = f[0].func_infos().map(|i| (i.insn_off, i.type_id)).collect();
    assert_eq!(fi, vec![(0, 5), (16, 6)]);
    let l: Vec<_> = e.line_info_sections().flat_map(|s| s.line_infos().collect::<Vec<_>>()).collect();
    assert_eq!(l[0].line_col, 5 << 10 | 2);
    let c: Vec<_> = e.core_relo_sections().flat_map(|s| s.core_relos().collect::<Vec<_>>()).collect();
    assert_eq!((c[0].insn_off, c[0].type_id, c[0].access_str_off, c[0].kind), (8, 7, 9, 0));
    assert_eq!(e.raw_data(), &d[..]);

    let mut e2 = BtfExt::parse(&d).unwrap();
    e2.set_big_endian(!cfg!(target_endian = "big"));
    let foreign = e2.raw_data().to_vec();
    assert_ne!(foreign, d);
    let back = BtfExt::parse(&foreign).unwrap();
    assert_eq!(back.is_big_endian(), !cfg!(target_endian = "big"));
    assert_eq!(back.raw_data(), &foreign[..]);
    assert_eq!(back.raw_data_native(), &d[..]);
    assert_eq!(back.func_info_sections().next().unwrap().func_infos().nth(1).unwrap().type_id, 6);
}

#[test]
fn btf_ext_malformed_corpus() {
    let good = ext_sample();
    let bad = |d: &[u8], want: Error, why: &str| {
        assert_eq!(BtfExt::parse(d).err(), Some(want), "{why}");
    };
    bad(&good[..4], Error::INVAL, "short header");
    bad(&good[..32], Error::INVAL, "no data");
    let mut d = good.clone();
    d[0] = 1;
    bad(&d, Error::INVAL, "magic");
    let mut d = good.clone();
    d[2] = 2;
    bad(&d, Error::NOT_SUPPORTED, "version");
    let mut d = good.clone();
    d[3] = 1;
    bad(&d, Error::NOT_SUPPORTED, "flags");
    let set = |d: &mut Vec<u8>, at: usize, v: u32| d[at..at + 4].copy_from_slice(&v.to_ne_bytes());
    let mut d = good.clone();
    set(&mut d, 4, 16);
    bad(&d, Error::INVAL, "header without line info");
    let mut d = good.clone();
    set(&mut d, 8, 2);
    bad(&d, Error::INVAL, "misaligned func info");
    let mut d = good.clone();
    set(&mut d, 12, 400);
    bad(&d, Error::INVAL, "func info past the end");
    let mut d = good.clone();
    set(&mut d, 32, 4);
    bad(&d, Error::INVAL, "record size too small");
    let mut d = good.clone();
    set(&mut d, 32, 10);
    bad(&d, Error::INVAL, "record size unaligned");
    let mut d = good.clone();
    set(&mut d, 40, 0);
    bad(&d, Error::INVAL, "zero records");
    let mut d = good.clone();
    set(&mut d, 40, 0x4000_0000);
    bad(&d, Error::INVAL, "too many records");
    let mut d = good.clone();
    set(&mut d, 12, 4);
    bad(&d, Error::INVAL, "record size only");
    let mut d = good.clone();
    set(&mut d, 12, 8);
    bad(&d, Error::INVAL, "truncated section header");
}

#[test]
fn vmlinux_fallback_locations() {
    let dir = std::env::temp_dir().join(format!("oxbpf-vmlinux-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad");
    std::fs::write(&bad, b"not BTF, not ELF").unwrap();
    let good = dir.join("good");
    std::fs::write(&good, sample().raw_data()).unwrap();
    let s = |p: &std::path::Path| p.display().to_string();
    let missing = dir.join("missing");
    let b = Btf::load_vmlinux_from(&missing, &[s(&missing), s(&bad), s(&good)]).unwrap();
    assert_eq!(b.type_cnt(), 24);
    let none = Btf::load_vmlinux_from(&missing, &[s(&bad)]);
    assert_eq!(none.err(), Some(Error::new(libc::ESRCH)));
    // sysfs present but broken: its error, no fallback
    let broken = Btf::load_vmlinux_from(&bad, &[s(&good)]);
    assert_eq!(broken.err(), Some(Error::new(crate::error::code::FORMAT)));
    // and the real one, mapped
    if std::path::Path::new(SYSFS_VMLINUX).exists() {
        let vm = vmlinux_shared().unwrap();
        assert!(Arc::ptr_eq(&vm, &vmlinux_shared().unwrap()));
        assert!(vm.find_by_name_kind(b"task_struct", BTF_KIND_STRUCT).is_ok());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn strings_change_in_place() {
    let mut b = sample();
    let off = b.find_str(b".data").unwrap();
    assert_eq!(b.find_by_name_kind(b".data", BTF_KIND_DATASEC).unwrap(), 20);
    b.str_mut(off).unwrap()[0] = b'_';
    assert_eq!(b.name(off), Some("_data"));
    assert_eq!(b.find_by_name_kind(b"_data", BTF_KIND_DATASEC).unwrap(), 20);
    assert_eq!(b.find_str(b".data"), Err(Error::NOENT));
    assert_eq!(b.str_mut(10_000), Err(Error::INVAL));
    let split = Btf::new_empty_split(Arc::new(sample()));
    let mut split = split;
    assert_eq!(split.str_mut(1), Err(Error::INVAL), "base strings are not ours to change");
}
