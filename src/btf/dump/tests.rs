//! Unit tests of the BTF-to-C printer on hand-built BTF (the C tests compare
//! with Debian's libbpf on kernel BTF; these pin down 1.8's behaviour,
//! corner cases and hostile input).

use super::*;
use crate::btf::{Btf, BTF_FWD_STRUCT};
use crate::uapi::btf::*;

/// Runs `f` with an output collecting text; returns the text and how many
/// pieces the sink received.
fn capture(f: impl FnOnce(&mut Out<'_>)) -> (String, usize) {
    let mut text = Vec::new();
    let mut pieces = 0;
    let mut buf = Vec::new();
    {
        let mut sink = |b: &mut Vec<u8>| {
            text.extend_from_slice(b);
            pieces += 1;
        };
        let mut out = Out::new(&mut buf, &mut sink);
        f(&mut out);
    }
    (String::from_utf8(text).unwrap(), pieces)
}

/// Every type of `btf`, in id order, with one printer.
fn dump_all(btf: &Btf) -> String {
    let mut d = BtfDump::new(btf).unwrap();
    capture(|out| {
        for id in 1..btf.type_cnt() {
            d.dump_type(btf, id, out).unwrap();
        }
    })
    .0
}

fn decl(btf: &Btf, id: u32, name: &str, strip: bool) -> String {
    let mut d = BtfDump::new(btf).unwrap();
    let opts = DeclOpts { field_name: name.as_bytes(), indent_level: 0, strip_mods: strip };
    capture(|out| d.emit_type_decl(btf, id, &opts, out).unwrap()).0
}

fn data(btf: &Btf, id: u32, bytes: &[u8], opts: &DataOpts<'_>) -> (Result<i32>, String) {
    let mut d = BtfDump::new(btf).unwrap();
    let mut r = Ok(0);
    let text = capture(|out| r = d.dump_type_data(btf, id, bytes, opts, out)).0;
    (r, text)
}

const COMPACT: DataOpts<'static> = DataOpts {
    indent_str: b"\t",
    indent_level: 0,
    compact: true,
    skip_names: false,
    emit_zeroes: false,
    emit_strings: false,
};

fn base() -> (Btf, u32, u32) {
    let mut b = Btf::new_empty();
    let int = b.add_int("int", 4, BTF_INT_SIGNED).unwrap();
    let ch = b.add_int("char", 1, BTF_INT_SIGNED).unwrap();
    b.add_int("long", 8, BTF_INT_SIGNED).unwrap();
    (b, int, ch)
}

#[test]
fn struct_with_dependencies() {
    let (mut b, int, ch) = base();
    let fwd = b.add_fwd("opaque", BTF_FWD_STRUCT).unwrap();
    let pfwd = b.add_ptr(fwd).unwrap();
    let arr = b.add_array(int, ch, 16).unwrap();
    let proto = b.add_func_proto(int).unwrap();
    b.add_func_param("x", int).unwrap();
    b.add_func_param("", 0).unwrap();
    let pproto = b.add_ptr(proto).unwrap();
    let inner = b.add_struct("inner", 4).unwrap();
    b.add_field("v", int, 0, 0).unwrap();
    let s = b.add_struct("outer", 40).unwrap();
    b.add_field("name", arr, 0, 0).unwrap();
    b.add_field("o", pfwd, 128, 0).unwrap();
    b.add_field("cb", pproto, 192, 0).unwrap();
    b.add_field("in", inner, 256, 0).unwrap();
    assert!(s > inner);
    assert_eq!(
        dump_all(&b),
        "struct opaque;\n\nstruct inner {\n\tint v;\n};\n\nstruct outer {\n\tchar name[16];\n\tstruct opaque *o;\n\
         \tint (*cb)(int x, ...);\n\tstruct inner in;\n};\n\n"
    );
}

#[test]
fn pointer_cycles_and_typedefs() {
    let (mut b, int, _) = base();
    // typedef struct node node_t; struct node { node_t *next; int v; };
    let node = b.type_cnt() + 2;
    let td = b.add_typedef("node_t", node).unwrap();
    let ptd = b.add_ptr(td).unwrap();
    assert_eq!(b.add_struct("node", 16).unwrap(), node);
    b.add_field("next", ptd, 0, 0).unwrap();
    b.add_field("v", int, 64, 0).unwrap();
    assert_eq!(
        dump_all(&b),
        "struct node;\n\ntypedef struct node node_t;\n\nstruct node {\n\tnode_t *next;\n\tint v;\n};\n\n"
    );
}

#[test]
fn name_conflicts_get_suffixes() {
    let (mut b, int, _) = base();
    let s1 = b.add_struct("dup", 4).unwrap();
    b.add_field("a", int, 0, 0).unwrap();
    b.add_struct("dup", 8).unwrap();
    b.add_field("a", int, 0, 0).unwrap();
    b.add_field("b", s1, 32, 0).unwrap();
    b.add_enum("e", 4).unwrap();
    b.add_enum_value("dup_t", 1).unwrap();
    b.add_typedef("dup_t", int).unwrap();
    let text = dump_all(&b);
    assert!(text.contains("struct dup {\n\tint a;\n};"), "{text}");
    assert!(text.contains("struct dup___2 {\n\tint a;\n\tstruct dup b;\n};"), "{text}");
    assert!(text.contains("enum e {\n\tdup_t = 1,\n};"), "{text}");
    assert!(text.contains("typedef int dup_t___2;"), "{text}");
}

#[test]
fn enum_sizes_and_signs() {
    let mut b = Btf::new_empty();
    b.add_int("long", 8, BTF_INT_SIGNED).unwrap();
    b.add_enum("e1", 1).unwrap();
    b.add_enum_value("A", 1).unwrap();
    b.add_enum("e8", 8).unwrap();
    b.add_enum_value("B", -1).unwrap();
    b.add_enum64("low", 8, false).unwrap();
    b.add_enum64_value("C", 5).unwrap();
    b.add_enum64("high", 8, true).unwrap();
    b.add_enum64_value("D", (-5_000_000_000i64) as u64).unwrap();
    b.add_enum("u", 4).unwrap();
    b.add_enum_value("E", 0xffff_ffff).unwrap();
    assert_eq!(
        dump_all(&b),
        "enum e1 {\n\tA = 1,\n} __attribute__((mode(byte)));\n\n\
         enum e8 {\n\tB = -1,\n} __attribute__((mode(word)));\n\n\
         enum low {\n\tC = 5ULL,\n} __attribute__((mode(word)));\n\n\
         enum high {\n\tD = -5000000000LL,\n};\n\n\
         enum u {\n\tE = 4294967295,\n};\n\n"
    );
    // With 4-byte pointers there is no word mode.
    b.set_pointer_size(4).unwrap();
    assert!(!dump_all(&b).contains("mode(word)"));
}

#[test]
fn bitfields_padding_and_packing() {
    let (mut b, int, ch) = base();
    let s = b.add_struct("bf", 16).unwrap();
    b.add_field("a", int, 0, 3).unwrap();
    b.add_field("b", int, 10, 5).unwrap();
    b.add_field("c", ch, 64, 0).unwrap();
    b.add_struct("packed", 5).unwrap();
    b.add_field("c", ch, 0, 0).unwrap();
    b.add_field("i", int, 8, 0).unwrap();
    b.add_struct("empty", 0).unwrap();
    b.add_struct("only_pad", 12).unwrap();
    assert!(s > 0);
    assert_eq!(
        dump_all(&b),
        // A hole inside a bitfield run is filled with explicit bitfields;
        // `long: 0` forces the alignment the compiler would not choose.
        "struct bf {\n\tint a: 3;\n\tchar: 5;\n\tchar: 2;\n\tint b: 5;\n\tlong: 0;\n\tchar c;\n\tlong: 0;\n};\n\n\
         struct packed {\n\tchar c;\n\tint i;\n} __attribute__((packed));\n\n\
         struct empty {};\n\n\
         struct only_pad {\n\tlong: 64;\n\tint: 32;\n};\n\n"
    );
}

#[test]
fn anonymous_types_inline() {
    let (mut b, int, _) = base();
    let e = b.add_enum("", 4).unwrap();
    b.add_enum_value("X", 3).unwrap();
    let u = b.add_union("", 4).unwrap();
    b.add_field("i", int, 0, 0).unwrap();
    b.add_field("e", e, 0, 0).unwrap();
    b.add_struct("s", 8).unwrap();
    b.add_field("", u, 0, 0).unwrap();
    b.add_field("n", int, 32, 0).unwrap();
    // A top-level anonymous enum nobody refers to.
    b.add_enum("", 4).unwrap();
    b.add_enum_value("Y", 1).unwrap();
    assert_eq!(
        dump_all(&b),
        "struct s {\n\tunion {\n\t\tint i;\n\t\tenum {\n\t\t\tX = 3,\n\t\t} e;\n\t};\n\tint n;\n};\n\n\
         enum {\n\tY = 1,\n};\n\n"
    );
}

#[test]
fn declarations() {
    let (mut b, int, ch) = base();
    let cch = b.add_const(ch).unwrap();
    let pcch = b.add_ptr(cch).unwrap();
    let cp = b.add_const(pcch).unwrap();
    let arr = b.add_array(int, cp, 4).unwrap();
    let proto = b.add_func_proto(int).unwrap();
    let pp = b.add_ptr(proto).unwrap();
    let parr = b.add_array(int, pp, 2).unwrap();
    let v = b.add_volatile(int).unwrap();
    let pv = b.add_ptr(v).unwrap();
    let r = b.add_restrict(pv).unwrap();
    let tag = b.add_type_tag("user", int).unwrap();
    let ptag = b.add_ptr(tag).unwrap();
    let attr = b.add_type_attr("address_space(1)", int).unwrap();
    let pattr = b.add_ptr(attr).unwrap();
    assert_eq!(decl(&b, arr, "names", false), "const char * const names[4]");
    assert_eq!(decl(&b, arr, "names", true), "char *names[4]");
    assert_eq!(decl(&b, parr, "fns", false), "int (*fns[2])(void)");
    assert_eq!(decl(&b, pp, "", false), "int (*)(void)");
    assert_eq!(decl(&b, r, "p", false), "volatile int * restrict p");
    assert_eq!(decl(&b, ptag, "u", false), "int __attribute__((btf_type_tag(\"user\"))) *u");
    assert_eq!(decl(&b, pattr, "a", false), "int __attribute__((address_space(1))) *a");
    assert_eq!(decl(&b, 0, "v", false), "void v");
}

#[test]
fn incremental_dumps() {
    let (mut b, int, _) = base();
    b.add_struct("s", 4).unwrap();
    b.add_field("x", int, 0, 0).unwrap();
    let mut d = BtfDump::new(&b).unwrap();
    let first = capture(|out| {
        for id in 1..b.type_cnt() {
            d.dump_type(&b, id, out).unwrap();
        }
    });
    assert_eq!(first.0, "struct s {\n\tint x;\n};\n\n");
    let s2 = b.add_struct("s", 4).unwrap();
    b.add_field("y", int, 0, 0).unwrap();
    let second = capture(|out| {
        for id in 1..b.type_cnt() {
            d.dump_type(&b, id, out).unwrap();
        }
    });
    assert_eq!(second.0, "struct s___2 {\n\tint y;\n};\n\n");
    assert_eq!(capture(|out| assert_eq!(d.dump_type(&b, s2 + 1, out), Err(Error::INVAL))).0, "");
}

#[test]
fn output_streams_in_pieces() {
    let mut b = Btf::new_empty();
    b.add_int("long", 8, BTF_INT_SIGNED).unwrap();
    b.add_struct("huge", 1 << 20).unwrap();
    let mut d = BtfDump::new(&b).unwrap();
    let (text, pieces) = capture(|out| d.dump_type(&b, 2, out).unwrap());
    assert_eq!(text.matches("\tlong: 64;\n").count(), (1 << 20) / 8);
    assert!(pieces > 1, "{pieces}");
}

#[test]
fn typed_data() {
    let (mut b, int, ch) = base();
    let arr = b.add_array(int, ch, 4).unwrap();
    let e = b.add_enum("color", 4).unwrap();
    b.add_enum_value("RED", 1).unwrap();
    let s = b.add_struct("s", 16).unwrap();
    b.add_field("a", int, 0, 0).unwrap();
    b.add_field("b", int, 32, 3).unwrap();
    b.add_field("name", arr, 64, 0).unwrap();
    b.add_field("c", e, 96, 0).unwrap();
    let mut v = [0u8; 16];
    v[0] = 7;
    v[4] = 5;
    v[8..11].copy_from_slice(b"hi\0");
    v[12] = 1;
    assert_eq!(
        data(&b, s, &v, &COMPACT),
        (Ok(16), "(struct s){.a = (int)7,.b = (int)0x5,.name = (char[4])['h','i',],.c = (enum color)RED,}".into())
    );
    let opts = DataOpts { emit_strings: true, ..COMPACT };
    assert!(data(&b, s, &v, &opts).1.contains(".name = (char[4])\"hi\""));
    let full = DataOpts::default();
    assert_eq!(
        data(&b, s, &v, &full).1,
        "(struct s){\n\t.a = (int)7,\n\t.b = (int)0x5,\n\t.name = (char[4])[\n\t\t'h',\n\t\t'i',\n\t],\n\t.c = (enum color)RED,\n}"
    );
    // Zero members are left out; the top level is shown.
    assert_eq!(data(&b, s, &[0; 16], &COMPACT).1, "(struct s){}");
    assert_eq!(data(&b, int, &[0; 4], &COMPACT).1, "(int)0");
    // Short data: E2BIG once a scalar does not fit, what came before stays.
    assert_eq!(data(&b, s, &v[..14], &COMPACT), (Err(Error::TOO_BIG), "(struct s){.a = (int)7,.b = (int)0x5,.name = (char[4])['h','i',],".into()));
    assert_eq!(data(&b, int, &v[..3], &COMPACT), (Err(Error::TOO_BIG), String::new()));
    // Unknown ids, VOID.
    let mut d = BtfDump::new(&b).unwrap();
    assert_eq!(capture(|out| assert_eq!(d.dump_type_data(&b, 999, &v, &COMPACT, out), Err(Error::NOENT))).0, "");
    assert_eq!(data(&b, 0, &v, &COMPACT).0, Err(Error::INVAL));
}

#[test]
fn typed_data_zero_rules() {
    let (mut b, int, _) = base();
    let inner = b.add_struct("in", 8).unwrap();
    b.add_field("x", int, 0, 0).unwrap();
    b.add_field("y", int, 32, 0).unwrap();
    let s = b.add_struct("o", 8).unwrap();
    b.add_field("i", inner, 0, 0).unwrap();
    // libbpf judges a nested struct by its first member: {0, 5} is "zero".
    let v = [0, 0, 0, 0, 5, 0, 0, 0];
    assert_eq!(data(&b, s, &v, &COMPACT).1, "(struct o){}");
    let opts = DataOpts { emit_zeroes: true, ..COMPACT };
    assert_eq!(data(&b, s, &v, &opts).1, "(struct o){.i = (struct in){.x = (int)0,.y = (int)5,},}");
}

#[test]
fn typed_data_scalars() {
    let mut b = Btf::new_empty();
    b.add_int("long", 8, BTF_INT_SIGNED).unwrap();
    let u128 = b.add_int("unsigned __int128", 16, 0).unwrap();
    let f = b.add_float("double", 8).unwrap();
    let ld = b.add_float("long double", 16).unwrap();
    let pv = b.add_ptr(0).unwrap();
    let mut v = [0u8; 32];
    v[0] = 0xfe;
    v[8] = 1;
    assert_eq!(data(&b, u128, &v[..16], &COMPACT).1, "(unsigned __int128)0x100000000000000fe");
    assert_eq!(data(&b, f, &2.5f64.to_le_bytes(), &COMPACT).1, "(double)2.500000");
    // 1.5 as x87: significand 0xc000...0, exponent 16383.
    let mut x = [0u8; 16];
    x[7] = 0xc0;
    x[8..10].copy_from_slice(&16383u16.to_le_bytes());
    assert_eq!(data(&b, ld, &x, &COMPACT).1, "(long double)1.500000");
    // Pointers: %p when aligned, plain hex otherwise.
    static ZEROS: Aligned = Aligned([0; 16]);
    assert_eq!(data(&b, pv, &ZEROS.0[..8], &COMPACT).1, "(void *)(nil)");
    assert_eq!(data(&b, pv, &ZEROS.0[1..9], &COMPACT).1, "(void *)0x0");
}

#[repr(align(8))]
struct Aligned([u8; 16]);

#[test]
fn hostile_loops_end() {
    let mut b = Btf::new_empty();
    let int = b.add_int("int", 4, BTF_INT_SIGNED).unwrap();
    // A pointer to itself, a const of itself, a typedef of itself.
    let p = b.add_ptr(b.type_cnt()).unwrap();
    let c = b.add_const(b.type_cnt()).unwrap();
    let td = b.add_typedef("loop_t", b.type_cnt()).unwrap();
    // A struct that contains itself, an anonymous one through a pointer.
    let s = b.add_struct("self", 8).unwrap();
    b.add_field("me", s, 0, 0).unwrap();
    let anon = b.type_cnt() + 1;
    let pa = b.add_ptr(anon).unwrap();
    assert_eq!(b.add_struct("", 8).unwrap(), anon);
    b.add_field("p", pa, 0, 0).unwrap();
    // An array of itself, a dangling reference.
    let a = b.add_array(int, b.type_cnt(), 2).unwrap();
    let dangling = b.add_ptr(5000).unwrap();
    let mut d = BtfDump::new(&b).unwrap();
    for id in [p, c, td, s, anon, a, dangling] {
        capture(|out| {
            let _ = d.dump_type(&b, id, out);
        });
        let _ = decl(&b, id, "x", false);
        let _ = data(&b, id, &[1; 64], &COMPACT);
    }
    assert_eq!(capture(|out| assert!(d.dump_type(&b, s, out).is_err())).0, "");
}

/// Real BTF stays far below the step budget that stops hostile input:
/// every call of a whole-vmlinux C dump, the declaration and a typed dump
/// of every type (none is mistaken for a loop either).
#[test]
fn vmlinux_within_budget() {
    let Ok(btf) = Btf::load_vmlinux() else { return };
    let mut d = BtfDump::new(&btf).unwrap();
    let (mut max, mut buf) = (0u64, Vec::new());
    let mut sink = |_: &mut Vec<u8>| {};
    let mut out = Out::new(&mut buf, &mut sink);
    for id in 1..btf.type_cnt() {
        let mut cx = Cx::new(&btf, &mut d, &mut out);
        let start = cx.steps_left;
        if cx.order_type(id, false).is_ok() {
            for x in core::mem::take(&mut cx.d.queue) {
                cx.emit_type(x, 0);
            }
        }
        assert!(!cx.too_deep, "type [{id}]");
        max = max.max(start - cx.steps_left);
    }
    assert!(max < STEP_BUDGET / 64, "{max} steps");
    for id in 1..btf.type_cnt() {
        let mut cx = Cx::new(&btf, &mut d, &mut out);
        cx.emit_decl(id, b"x", 0);
        assert!(!cx.too_deep, "type [{id}]");
    }
    let data = vec![0x5au8; 1 << 16];
    for id in 1..btf.type_cnt() {
        let Some(sz) = btf.resolve_size(id).ok().filter(|&s| s as usize <= data.len()) else { continue };
        let mut cx = Cx::new(&btf, &mut d, &mut out);
        let _ = data::dump_value(&mut cx, id, &data[..sz as usize], &DataOpts::default());
        assert!(!cx.too_deep, "type [{id}]");
    }
}
