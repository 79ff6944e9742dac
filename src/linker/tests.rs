//! Unit tests of the linker core on objects built here (sections, symbols,
//! relocations and BTF assembled with the ELF writer and the BTF builder).

use super::elf64::*;
use super::input::str_at;
use super::Linker;
use crate::btf::Btf;
use crate::error::Error;
use crate::uapi::btf::*;

/// One section of a test object.
struct TSec {
    name: &'static str,
    sh_type: u32,
    flags: u64,
    align: u64,
    data: Vec<u8>,
    size: u64,
}

/// A BPF object under construction.
struct Obj {
    big: bool,
    secs: Vec<TSec>,
    /// (name, section index or 0, value, size, bind, type)
    syms: Vec<(&'static str, u16, u64, u64, u8, u8)>,
    /// (section index, offset, symbol index (1-based in `syms`), type)
    rels: Vec<(usize, u64, usize, u32)>,
    btf: Option<Btf>,
}

const X: u64 = 0x6; // SHF_ALLOC | SHF_EXECINSTR
const WA: u64 = 0x3; // SHF_WRITE | SHF_ALLOC

impl Obj {
    fn new() -> Obj {
        Obj { big: false, secs: Vec::new(), syms: Vec::new(), rels: Vec::new(), btf: None }
    }

    /// Adds a section; returns its ELF index.
    fn sec(&mut self, name: &'static str, sh_type: u32, flags: u64, align: u64, data: Vec<u8>) -> usize {
        let size = data.len() as u64;
        self.secs.push(TSec { name, sh_type, flags, align, data, size });
        self.secs.len()
    }

    fn bss(&mut self, name: &'static str, align: u64, size: u64) -> usize {
        self.secs.push(TSec { name, sh_type: SHT_NOBITS, flags: WA, align, data: Vec::new(), size });
        self.secs.len()
    }

    /// Adds a symbol; returns its symbol index.
    fn sym(&mut self, name: &'static str, shndx: usize, value: u64, size: u64, bind: u8, kind: u8) -> usize {
        self.syms.push((name, shndx as u16, value, size, bind, kind));
        self.syms.len()
    }

    fn rel(&mut self, sec: usize, offset: u64, sym: usize, kind: u32) {
        self.rels.push((sec, offset, sym, kind));
    }

    fn bytes(&self) -> Vec<u8> {
        let o = Order { big: self.big };
        let mut strtab = vec![0u8];
        let mut add = |s: &str| {
            let off = strtab.len() as u32;
            strtab.extend_from_slice(s.as_bytes());
            strtab.push(0);
            off
        };
        let mut out: Vec<OutSection> = Vec::new();
        for s in &self.secs {
            let hdr = Shdr { sh_name: add(s.name), sh_type: s.sh_type, sh_flags: s.flags, sh_addralign: s.align, sh_size: s.size, ..Default::default() };
            out.push(OutSection { hdr, data: s.data.clone() });
        }
        let symtab_idx = out.len() + 1 + self.secs.iter().enumerate().filter(|(i, _)| self.rels.iter().any(|r| r.0 == i + 1)).count()
            + usize::from(self.btf.is_some());
        for (i, s) in self.secs.iter().enumerate() {
            let rels: Vec<_> = self.rels.iter().filter(|r| r.0 == i + 1).collect();
            if rels.is_empty() {
                continue;
            }
            let mut data = Vec::new();
            for r in rels {
                Rel { r_offset: r.1, r_info: Rel::info(r.2, r.3) }.encode(o, &mut data);
            }
            let name: &'static str = Box::leak(format!(".rel{}", s.name).into_boxed_str());
            let hdr = Shdr {
                sh_name: add(name),
                sh_type: SHT_REL,
                sh_link: symtab_idx as u32,
                sh_info: (i + 1) as u32,
                sh_addralign: 8,
                sh_entsize: REL_SIZE as u64,
                sh_flags: 0x40,
                ..Default::default()
            };
            out.push(OutSection { hdr, data });
        }
        if let Some(btf) = &self.btf {
            let mut b = Btf::parse(btf.raw_data()).unwrap();
            b.set_big_endian(self.big);
            out.push(OutSection { hdr: Shdr { sh_name: add(".BTF"), sh_type: SHT_PROGBITS, sh_addralign: 4, ..Default::default() }, data: b.raw_data().to_vec() });
        }
        let mut syms = Vec::new();
        Sym::default().encode(o, &mut syms);
        for (name, shndx, value, size, bind, kind) in &self.syms {
            let st_name = add(name);
            Sym { st_name, st_info: (bind << 4) | kind, st_other: 0, st_shndx: *shndx, st_value: *value, st_size: *size }.encode(o, &mut syms);
        }
        assert_eq!(out.len() + 1, symtab_idx);
        let strtab_name = add(".symtab");
        let strtab_idx = symtab_idx + 1;
        out.push(OutSection {
            hdr: Shdr { sh_name: strtab_name, sh_type: SHT_SYMTAB, sh_link: strtab_idx as u32, sh_addralign: 8, sh_entsize: SYM_SIZE as u64, ..Default::default() },
            data: syms,
        });
        let name = add(".strtab");
        out.push(OutSection { hdr: Shdr { sh_name: name, sh_type: SHT_STRTAB, sh_addralign: 1, ..Default::default() }, data: strtab.clone() });
        // The string table is complete only now: rewrite it.
        out.last_mut().unwrap().data = strtab;
        write_object(o, &mut out, strtab_idx).unwrap()
    }
}

/// BTF with `int`, and a VAR of `int` named `name` with `linkage` in a
/// DATASEC `sec` (offset 0, size 4), or a FUNC when `func`.
fn btf_var(vars: &[(&str, u32, &str)]) -> Btf {
    let mut b = Btf::new_empty();
    let int = b.add_int("int", 4, BTF_INT_SIGNED).unwrap();
    let mut by_sec: Vec<(&str, Vec<u32>)> = Vec::new();
    for (name, linkage, sec) in vars {
        let id = b.add_var(name, *linkage, int).unwrap();
        match by_sec.iter_mut().find(|(s, _)| s == sec) {
            Some((_, ids)) => ids.push(id),
            None => by_sec.push((sec, vec![id])),
        }
    }
    for (sec, ids) in by_sec {
        b.add_datasec(sec, 0).unwrap();
        for id in ids {
            b.add_datasec_var_info(id, 0, 4).unwrap();
        }
    }
    b
}

/// An object defining `int name` in `.data` with `bind`.
fn data_def(name: &'static str, value: u32, bind: u8) -> Obj {
    let mut o = Obj::new();
    let data = o.sec(".data", SHT_PROGBITS, WA, 4, value.to_le_bytes().to_vec());
    o.sym(name, data, 0, 4, bind, STT_OBJECT);
    o.btf = Some(btf_var(&[(name, BTF_VAR_GLOBAL_ALLOCATED, ".data")]));
    o
}

/// An object whose code loads `name` (extern) with one ld_imm64.
fn data_user(name: &'static str) -> Obj {
    let mut o = Obj::new();
    let mut code = vec![0x18, 0x01, 0, 0, 0, 0, 0, 0];
    code.extend_from_slice(&[0; 8]);
    code.extend_from_slice(&[0x95, 0, 0, 0, 0, 0, 0, 0]);
    let text = o.sec("xdp", SHT_PROGBITS, X, 8, code);
    o.sym("prog", text, 0, 24, STB_GLOBAL, 2);
    let ext = o.sym(name, 0, 0, 0, STB_GLOBAL, STT_NOTYPE);
    o.rel(text, 0, ext, R_BPF_64_64);
    let mut b = btf_var(&[(name, BTF_VAR_GLOBAL_EXTERN, ".extern")]);
    let proto = b.add_func_proto(1).unwrap();
    b.add_func("prog", BTF_FUNC_GLOBAL, proto).unwrap();
    o.btf = Some(b);
    o
}

/// The output parsed back: sections by name and symbols by name.
struct Parsed {
    order: Order,
    bytes: Vec<u8>,
    shdrs: Vec<Shdr>,
    names: Vec<Vec<u8>>,
    syms: Vec<(Vec<u8>, Sym)>,
}

impl Parsed {
    fn new(bytes: Vec<u8>) -> Parsed {
        let order = Order { big: bytes[5] == ELFDATA2MSB };
        let e = Ehdr::decode(order, &bytes);
        let shdrs: Vec<Shdr> = (0..e.e_shnum as usize)
            .map(|i| Shdr::decode(order, &bytes[e.e_shoff as usize + i * SHDR_SIZE..]))
            .collect();
        let strtab = &shdrs[e.e_shstrndx as usize];
        let strs = bytes[strtab.sh_offset as usize..(strtab.sh_offset + strtab.sh_size) as usize].to_vec();
        let names = shdrs.iter().map(|s| str_at(&strs, s.sh_name as usize).unwrap().to_vec()).collect();
        let symtab = shdrs.iter().find(|s| s.sh_type == SHT_SYMTAB).unwrap();
        let syms = bytes[symtab.sh_offset as usize..(symtab.sh_offset + symtab.sh_size) as usize]
            .chunks_exact(SYM_SIZE)
            .map(|b| {
                let s = Sym::decode(order, b);
                (str_at(&strs, s.st_name as usize).unwrap().to_vec(), s)
            })
            .collect();
        Parsed { order, bytes, shdrs, names, syms }
    }

    fn sec(&self, name: &str) -> Option<(usize, &Shdr)> {
        self.names.iter().position(|n| n == name.as_bytes()).map(|i| (i, &self.shdrs[i]))
    }

    fn data(&self, name: &str) -> &[u8] {
        let (_, s) = self.sec(name).unwrap();
        &self.bytes[s.sh_offset as usize..(s.sh_offset + s.sh_size) as usize]
    }

    fn sym(&self, name: &str) -> Sym {
        self.syms.iter().find(|(n, _)| n == name.as_bytes()).unwrap().1
    }

    fn btf(&self) -> Btf {
        Btf::parse(self.data(".BTF")).unwrap()
    }
}

fn link(objs: &[&Obj]) -> crate::error::Result<Parsed> {
    let mut l = Linker::new("out.o")?;
    for (i, o) in objs.iter().enumerate() {
        l.add_bytes(&o.bytes(), &format!("obj{i}.o"))?;
    }
    Ok(Parsed::new(l.finalize()?))
}

#[test]
fn empty_link_has_strtab_and_symtab() {
    let p = Parsed::new(Linker::new("x").unwrap().finalize().unwrap());
    assert_eq!(p.names, vec![b"".to_vec(), b".strtab".to_vec(), b".symtab".to_vec()]);
    assert_eq!(p.syms.len(), 1);
    assert!(!p.order.big);
}

#[test]
fn extern_resolves_to_definition_either_order() {
    for defs_first in [true, false] {
        let (d, u) = (data_def("counter", 7, STB_GLOBAL), data_user("counter"));
        let p = if defs_first { link(&[&d, &u]) } else { link(&[&u, &d]) }.unwrap();
        let s = p.sym("counter");
        let (data_idx, _) = p.sec(".data").unwrap();
        assert_eq!((s.st_shndx as usize, s.kind(), s.bind()), (data_idx, STT_OBJECT, STB_GLOBAL));
        assert_eq!(p.data(".data"), &7u32.to_le_bytes());
        assert_eq!(p.syms.iter().filter(|(n, _)| n == b"counter").count(), 1);
        // The relocation of the user names the resolved symbol.
        let rel = Rel::decode(p.order, p.data(".relxdp"));
        assert_eq!(p.syms[rel.sym()].0, b"counter");
        // One VAR, now allocated, in the .data DATASEC.
        let btf = p.btf();
        let vars: Vec<_> = btf.types().filter(|(_, t)| t.is_var()).collect();
        assert_eq!(vars.len(), 1);
        assert_eq!(vars[0].1.var_linkage(), Some(BTF_VAR_GLOBAL_ALLOCATED));
        let ds = btf.find_by_name_kind(b".data", BTF_KIND_DATASEC).unwrap();
        let secinfos: Vec<_> = btf.type_at(ds).unwrap().secinfos().collect();
        assert_eq!((secinfos.len(), secinfos[0].type_id, btf.type_at(ds).unwrap().size()), (1, vars[0].0, 4));
    }
}

#[test]
fn strong_beats_weak_and_strong_conflicts() {
    let weak = data_def("v", 1, STB_WEAK);
    let strong = data_def("v", 2, STB_GLOBAL);
    for objs in [[&weak, &strong], [&strong, &weak]] {
        let p = link(&objs).unwrap();
        let s = p.sym("v");
        assert_eq!(s.bind(), STB_GLOBAL);
        let data = p.data(".data");
        assert_eq!(&data[s.st_value as usize..s.st_value as usize + 4], &2u32.to_le_bytes());
        assert_eq!(data.len(), 8); // both contributions stay
    }
    let p = link(&[&weak, &data_def("v", 3, STB_WEAK)]).unwrap();
    assert_eq!((p.sym("v").bind(), p.sym("v").st_value), (STB_WEAK, 0));
    assert_eq!(link(&[&strong, &data_def("v", 3, STB_GLOBAL)]).err(), Some(Error::INVAL));
}

#[test]
fn btf_type_mismatch_is_refused() {
    let d = data_def("v", 1, STB_GLOBAL);
    let mut u = data_user("v");
    let mut b = Btf::new_empty();
    let long = b.add_int("long", 8, BTF_INT_SIGNED).unwrap();
    let var = b.add_var("v", BTF_VAR_GLOBAL_EXTERN, long).unwrap();
    b.add_datasec(".extern", 0).unwrap();
    b.add_datasec_var_info(var, 0, 8).unwrap();
    let proto = b.add_func_proto(long).unwrap();
    b.add_func("prog", BTF_FUNC_GLOBAL, proto).unwrap();
    u.btf = Some(b);
    assert_eq!(link(&[&d, &u]).err(), Some(Error::INVAL));
    // Without BTF, globals can't be matched at all.
    let mut nobtf = data_def("w", 1, STB_GLOBAL);
    nobtf.btf = None;
    assert_eq!(link(&[&nobtf]).err(), Some(Error::INVAL));
}

#[test]
fn sections_append_at_alignment() {
    let mut a = Obj::new();
    a.sec(".rodata", SHT_PROGBITS, 2, 4, vec![1, 2, 3, 4, 5]);
    a.bss(".bss", 4, 12);
    let mut b = Obj::new();
    let ro = b.sec(".rodata", SHT_PROGBITS, 2, 8, vec![9; 8]);
    b.bss(".bss", 8, 8);
    b.sym("local_ro", ro, 4, 4, STB_LOCAL, STT_OBJECT);
    let p = link(&[&a, &b]).unwrap();
    let (_, ro) = p.sec(".rodata").unwrap();
    assert_eq!((ro.sh_size, ro.sh_addralign), (16, 8));
    assert_eq!(p.data(".rodata"), &[1, 2, 3, 4, 5, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9]);
    let (_, bss) = p.sec(".bss").unwrap();
    assert_eq!((bss.sh_type, bss.sh_size, bss.sh_addralign), (SHT_NOBITS, 24, 8));
    assert_eq!(p.sym("local_ro").st_value, 12);
}

#[test]
fn section_kinds_must_agree() {
    let mut a = Obj::new();
    a.sec(".data", SHT_PROGBITS, WA, 4, vec![0; 4]);
    let mut b = Obj::new();
    b.sec(".data", SHT_PROGBITS, 2, 4, vec![0; 4]);
    assert_eq!(link(&[&a, &b]).err(), Some(Error::INVAL));
}

#[test]
fn license_kept_once_and_must_match() {
    let lic = |s: &[u8]| {
        let mut o = Obj::new();
        o.sec("license", SHT_PROGBITS, WA, 1, s.to_vec());
        o
    };
    let p = link(&[&lic(b"GPL\0"), &lic(b"GPL\0")]).unwrap();
    assert_eq!(p.data("license"), b"GPL\0");
    assert_eq!(link(&[&lic(b"GPL\0"), &lic(b"BSD\0")]).err(), Some(Error::INVAL));
}

#[test]
fn calls_through_section_symbols_are_rebased() {
    // Each object: .text with one 2-insn static function at offset 0,
    // called from its program via the .text section symbol.
    let obj = || {
        let mut o = Obj::new();
        let text = o.sec(".text", SHT_PROGBITS, X, 8, [[0xb7, 0, 0, 0, 1, 0, 0, 0], [0x95, 0, 0, 0, 0, 0, 0, 0]].concat());
        let call = [0x85u8, 0x10, 0, 0, 0xff, 0xff, 0xff, 0xff]; // call pc-relative -1 + target
        let prog = o.sec("xdp", SHT_PROGBITS, X, 8, [call, [0x95, 0, 0, 0, 0, 0, 0, 0]].concat());
        let sec_sym = o.sym(".text", text, 0, 0, STB_LOCAL, STT_SECTION);
        o.rel(prog, 0, sec_sym, R_BPF_64_32);
        o
    };
    let p = link(&[&obj(), &obj()]).unwrap();
    assert_eq!(p.data(".text").len(), 32);
    let xdp = p.data("xdp");
    // The second object's text starts 2 instructions later.
    assert_eq!(p.order.u32(xdp, 4) as i32, -1);
    assert_eq!(p.order.u32(xdp, 20) as i32, 1);
    // One section symbol per output section; both relocations use it.
    assert_eq!(p.syms.iter().filter(|(_, s)| s.kind() == STT_SECTION).count(), 1);
    let rels = p.data(".relxdp");
    let (r0, r1) = (Rel::decode(p.order, rels), Rel::decode(p.order, &rels[16..]));
    assert_eq!((r0.r_offset, r1.r_offset, r0.sym(), r1.sym()), (0, 16, 1, 1));
}

#[test]
fn data_relocation_against_a_section_is_refused() {
    let mut o = Obj::new();
    let data = o.sec(".data", SHT_PROGBITS, WA, 8, vec![0; 8]);
    let s = o.sym(".data", data, 0, 0, STB_LOCAL, STT_SECTION);
    o.rel(data, 0, s, R_BPF_64_ABS64);
    assert_eq!(link(&[&o]).err(), Some(Error::INVAL));
}

#[test]
fn byte_orders() {
    let mut be_def = data_def("v", 0x01020304, STB_GLOBAL);
    be_def.big = true;
    be_def.secs[0].data = 0x01020304u32.to_be_bytes().to_vec();
    let mut be_user = data_user("v");
    be_user.big = true;
    let p = link(&[&be_def, &be_user]).unwrap();
    assert!(p.order.big);
    assert_eq!(p.data(".data"), &[1, 2, 3, 4]);
    let btf = p.btf();
    assert!(btf.is_big_endian());
    assert!(btf.find_by_name_kind(b"v", BTF_KIND_VAR).is_ok());
    let rel = Rel::decode(p.order, p.data(".relxdp"));
    assert_eq!(p.syms[rel.sym()].0, b"v");
    // Mixing byte orders is refused; the first object sets the output's.
    assert_eq!(link(&[&be_def, &data_user("v")]).err(), Some(Error::NOT_SUPPORTED));
}

#[test]
fn output_links_again() {
    let (d, u) = (data_def("c", 5, STB_GLOBAL), data_user("c"));
    let first = link(&[&d, &u]).unwrap();
    let mut l = Linker::new("again").unwrap();
    l.add_bytes(&first.bytes, "first.o").unwrap();
    let again = Parsed::new(l.finalize().unwrap());
    assert_eq!(again.names, first.names);
    assert_eq!(again.data(".data"), first.data(".data"));
    assert_eq!(again.data("xdp"), first.data("xdp"));
    assert_eq!(again.syms.iter().map(|s| &s.0).collect::<Vec<_>>(), first.syms.iter().map(|s| &s.0).collect::<Vec<_>>());
}

#[test]
fn finalized_link_is_closed() {
    let mut l = Linker::new("x").unwrap();
    l.finalize().unwrap();
    assert_eq!(l.finalize().err(), Some(Error::INVAL));
    assert_eq!(l.add_bytes(&data_def("v", 1, STB_GLOBAL).bytes(), "v.o").err(), Some(Error::INVAL));
}

#[test]
fn not_bpf_objects() {
    let mut l = Linker::new("x").unwrap();
    assert_eq!(l.add_bytes(b"hello", "t").err(), Some(Error::INVAL));
    let mut bytes = data_def("v", 1, STB_GLOBAL).bytes();
    bytes[18] = 62; // EM_X86_64
    assert_eq!(l.add_bytes(&bytes, "t").err(), Some(Error::NOT_SUPPORTED));
    bytes[4] = 1; // ELFCLASS32
    assert_eq!(l.add_bytes(&bytes, "t").err(), Some(Error::INVAL));
}

/// Every truncation and many single-byte corruptions of valid objects give
/// an error or a link, never a panic.
#[test]
fn hostile_inputs_never_panic() {
    // Thousands of warnings: not printed.
    let saved = crate::log::set_print(None);
    let mut u = data_user("v");
    u.big = false;
    let samples = [data_def("v", 1, STB_GLOBAL).bytes(), u.bytes()];
    for bytes in &samples {
        for len in 0..bytes.len() {
            let mut l = Linker::new("x").unwrap();
            let _ = l.add_bytes(&bytes[..len], "t");
            let _ = l.finalize();
        }
        let mut seed = 0x1234_5678u32;
        for _ in 0..4000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let mut b = bytes.clone();
            let at = (seed >> 8) as usize % b.len();
            b[at] = (seed >> 24) as u8;
            let mut l = Linker::new("x").unwrap();
            let _ = l.add_bytes(&b, "t");
            let _ = l.add_bytes(&samples[1], "t2");
            let _ = l.finalize();
        }
    }
    crate::log::set_print(saved);
}

#[test]
fn hidden_visibility_wins() {
    let d = data_def("v", 1, STB_GLOBAL);
    let u = data_user("v");
    let hidden = |o: &Obj| {
        let mut bytes = o.bytes();
        // Mark every symbol of the object hidden.
        let p = Parsed::new(bytes.clone());
        let (_, symtab) = p.sec(".symtab").unwrap();
        for i in 1..(symtab.sh_size as usize / SYM_SIZE) {
            bytes[symtab.sh_offset as usize + i * SYM_SIZE + 5] = STV_HIDDEN;
        }
        bytes
    };
    for (first, second) in [(d.bytes(), hidden(&u)), (hidden(&u), d.bytes()), (hidden(&d), u.bytes())] {
        let mut l = Linker::new("x").unwrap();
        l.add_bytes(&first, "1.o").unwrap();
        l.add_bytes(&second, "2.o").unwrap();
        let p = Parsed::new(l.finalize().unwrap());
        assert_eq!(p.sym("v").visibility(), STV_HIDDEN);
    }
}

#[test]
fn strong_extern_makes_a_weak_definition_strong() {
    let weak = data_def("v", 1, STB_WEAK);
    let user = data_user("v");
    let p = link(&[&weak, &user]).unwrap();
    let s = p.sym("v");
    assert_eq!((s.bind(), s.kind()), (STB_GLOBAL, STT_OBJECT));
    // ... so that a later strong definition conflicts with it.
    assert_eq!(link(&[&weak, &user, &data_def("v", 2, STB_GLOBAL)]).err(), Some(Error::INVAL));
}

#[test]
fn unresolved_externs_stay_extern() {
    let p = link(&[&data_user("v")]).unwrap();
    let s = p.sym("v");
    assert_eq!((s.st_shndx, s.kind(), s.bind()), (SHN_UNDEF, STT_NOTYPE, STB_GLOBAL));
    let btf = p.btf();
    let var = btf.find_by_name_kind(b"v", BTF_KIND_VAR).unwrap();
    assert_eq!(btf.type_at(var).unwrap().var_linkage(), Some(BTF_VAR_GLOBAL_EXTERN));
    // No .extern DATASEC is written.
    assert!(btf.find_by_name_kind(b".extern", BTF_KIND_DATASEC).is_err());
}

#[test]
fn huge_alignment_is_refused_without_allocating() {
    let mut a = Obj::new();
    a.sec(".rodata", SHT_PROGBITS, 2, 1, vec![1]);
    let mut b = Obj::new();
    b.sec(".rodata", SHT_PROGBITS, 2, 8, vec![2]);
    // Written with a sane alignment, then given a huge one.
    let mut bytes = b.bytes();
    let p = Parsed::new(bytes.clone());
    let (idx, _) = p.sec(".rodata").unwrap();
    let shoff = Ehdr::decode(p.order, &bytes).e_shoff as usize;
    bytes[shoff + idx * SHDR_SIZE + 48..shoff + idx * SHDR_SIZE + 56].copy_from_slice(&(1u64 << 40).to_le_bytes());
    for first in [true, false] {
        let mut l = Linker::new("x").unwrap();
        if first {
            l.add_bytes(&a.bytes(), "a.o").unwrap();
            assert_eq!(l.add_bytes(&bytes, "b.o").err(), Some(Error::TOO_BIG));
        } else {
            // Alone, the section starts at 0 but keeps its alignment: the
            // layout of the output is refused.
            l.add_bytes(&bytes, "b.o").unwrap();
            assert_eq!(l.finalize().err(), Some(Error::TOO_BIG));
        }
    }
    let mut c = Obj::new();
    c.bss(".bss", 8, u64::MAX - 4);
    assert_eq!(link(&[&c, &c]).err(), Some(Error::TOO_BIG));
}
