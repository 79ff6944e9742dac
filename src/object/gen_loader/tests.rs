//! Generated loaders run in the interpreter against a scripted kernel:
//! the commands they issue, what they hand back through the context, and
//! that every failure closes what was created.

use std::collections::{BTreeSet, HashMap};

use super::emit::{ExternRelo, Generator, MapSpec, Output, ProgSpec};
use super::interp::{Kernel, Vm};
use super::layout::{self, cmd, ctx};
use crate::error::Error;
use crate::uapi::bpf_insn;
use crate::uapi::btf::{bpf_core_relo, BTF_KIND_FUNC, BTF_KIND_TYPEDEF, BTF_KIND_VAR};

/// One command as the fake kernel saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Seen {
    BtfLoad {
        btf: Vec<u8>,
        log_level: u32,
    },
    MapCreate {
        map_type: u32,
        name: String,
        max_entries: u32,
        btf_fd: u32,
        key_id: u32,
        value_id: u32,
        inner_fd: u32,
        extra: u64,
    },
    Update {
        fd: u32,
        key: Vec<u8>,
        value: Vec<u8>,
    },
    Freeze {
        fd: u32,
    },
    ProgLoad(ProgSeen),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct ProgSeen {
    name: String,
    prog_type: u32,
    insns: Vec<bpf_insn>,
    license: String,
    btf_fd: u32,
    attach_btf_id: u32,
    attach_btf_obj_fd: u32,
    fd_array: Vec<u32>,
    core: Vec<u32>,
    func_info: Vec<u8>,
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_ne_bytes(b[off..off + 4].try_into().unwrap())
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    u64::from_ne_bytes(b[off..off + 8].try_into().unwrap())
}

fn name_at(b: &[u8], off: usize) -> String {
    let n = &b[off..off + 16];
    String::from_utf8_lossy(&n[..n.iter().position(|&c| c == 0).unwrap()]).into_owned()
}

fn decode_insns(b: &[u8]) -> Vec<bpf_insn> {
    b.chunks_exact(8)
        .map(|c| bpf_insn {
            code: c[0],
            regs: c[1],
            off: i16::from_ne_bytes([c[2], c[3]]),
            imm: i32::from_ne_bytes([c[4], c[5], c[6], c[7]]),
        })
        .collect()
}

/// A kernel of fds and scripted answers.
#[derive(Default)]
struct FakeKernel {
    next_fd: u32,
    open: BTreeSet<u32>,
    seen: Vec<Seen>,
    /// Key and value sizes of created maps, by fd.
    maps: HashMap<u32, (u32, u32)>,
    /// The n-th command (0-based) fails with this errno.
    fail: Option<(usize, i64)>,
    /// BTF ids (and module, by name) of kernel symbols.
    btf: HashMap<(String, u32), (u32, Option<&'static str>)>,
    kallsyms: HashMap<String, u64>,
    user_mem: HashMap<u64, Vec<u8>>,
    kernel_mem: HashMap<u64, Vec<u8>>,
    closed: Vec<u32>,
}

impl FakeKernel {
    fn new() -> FakeKernel {
        FakeKernel {
            next_fd: 10,
            ..Default::default()
        }
    }

    fn new_fd(&mut self) -> i64 {
        let fd = self.next_fd;
        self.next_fd += 1;
        self.open.insert(fd);
        fd as i64
    }

    fn check_fd(&self, fd: u32) -> Result<(), i64> {
        if self.open.contains(&fd) {
            Ok(())
        } else {
            Err(-(libc::EBADF as i64))
        }
    }
}

impl Kernel for FakeKernel {
    fn sys_bpf(
        &mut self,
        command: u32,
        a: &[u8],
        mem: &dyn Fn(u64, usize) -> Option<Vec<u8>>,
    ) -> i64 {
        if let Some((n, e)) = self.fail {
            if n == self.seen.len() {
                self.seen.push(Seen::Freeze { fd: u32::MAX });
                return e;
            }
        }
        let read = |addr: u64, len: usize| mem(addr, len).expect("attr pointer outside the blob");
        match command {
            cmd::BPF_BTF_LOAD => {
                use layout::btf_load as f;
                assert_eq!(a.len(), f::SIZE);
                let btf = read(u64_at(a, f::BTF), u32_at(a, f::BTF_SIZE) as usize);
                self.seen.push(Seen::BtfLoad {
                    btf,
                    log_level: u32_at(a, f::LOG_LEVEL),
                });
                self.new_fd()
            }
            cmd::BPF_MAP_CREATE => {
                use layout::map_create as f;
                assert_eq!(a.len(), f::SIZE);
                let (btf_fd, inner_fd) = (u32_at(a, f::BTF_FD), u32_at(a, f::INNER_MAP_FD));
                for fd in [btf_fd, inner_fd] {
                    if fd != 0 {
                        if let Err(e) = self.check_fd(fd) {
                            return e;
                        }
                    }
                }
                self.seen.push(Seen::MapCreate {
                    map_type: u32_at(a, f::MAP_TYPE),
                    name: name_at(a, f::MAP_NAME),
                    max_entries: u32_at(a, f::MAX_ENTRIES),
                    btf_fd,
                    key_id: u32_at(a, f::BTF_KEY_TYPE_ID),
                    value_id: u32_at(a, f::BTF_VALUE_TYPE_ID),
                    inner_fd,
                    extra: u64_at(a, f::MAP_EXTRA),
                });
                let fd = self.new_fd();
                self.maps.insert(
                    fd as u32,
                    (u32_at(a, f::KEY_SIZE), u32_at(a, f::VALUE_SIZE)),
                );
                fd
            }
            cmd::BPF_MAP_UPDATE_ELEM => {
                use layout::map_elem as f;
                let fd = u32_at(a, f::MAP_FD);
                let Some(&(k, v)) = self.maps.get(&fd) else {
                    return -(libc::EBADF as i64);
                };
                let key = read(u64_at(a, f::KEY), k as usize);
                let value = read(u64_at(a, f::VALUE), v as usize);
                self.seen.push(Seen::Update { fd, key, value });
                0
            }
            cmd::BPF_MAP_FREEZE => {
                let fd = u32_at(a, layout::map_freeze::MAP_FD);
                if let Err(e) = self.check_fd(fd) {
                    return e;
                }
                self.seen.push(Seen::Freeze { fd });
                0
            }
            cmd::BPF_PROG_LOAD => {
                use layout::prog_load as f;
                assert_eq!(a.len(), f::SIZE);
                let insns = decode_insns(&read(
                    u64_at(a, f::INSNS),
                    u32_at(a, f::INSN_CNT) as usize * 8,
                ));
                let license = read(u64_at(a, f::LICENSE), 8);
                let fi = u32_at(a, f::FUNC_INFO_CNT) as usize
                    * u32_at(a, f::FUNC_INFO_REC_SIZE) as usize;
                let func_info = if fi > 0 {
                    read(u64_at(a, f::FUNC_INFO), fi)
                } else {
                    Vec::new()
                };
                let nc = u32_at(a, f::CORE_RELO_CNT) as usize;
                let core = if nc > 0 {
                    assert_eq!(u32_at(a, f::CORE_RELO_REC_SIZE), 16);
                    read(u64_at(a, f::CORE_RELOS), nc * 16)
                        .chunks(4)
                        .map(|c| u32_at(c, 0))
                        .collect()
                } else {
                    Vec::new()
                };
                // the fd_array entries the program refers to
                let fd_array_at = u64_at(a, f::FD_ARRAY);
                let mut idx: Vec<usize> = insns
                    .iter()
                    .flat_map(|i| match (i.code, i.src_reg()) {
                        (0x18, 5 | 6) => vec![i.imm as usize],
                        (0x85, 2) if i.off > 0 => vec![i.off as usize],
                        _ => vec![],
                    })
                    .collect();
                idx.sort();
                idx.dedup();
                let mut fd_array = Vec::new();
                for i in idx {
                    let fd = u32_at(&read(fd_array_at + 4 * i as u64, 4), 0);
                    if let Err(e) = self.check_fd(fd) {
                        return e;
                    }
                    fd_array.push(fd);
                }
                self.seen.push(Seen::ProgLoad(ProgSeen {
                    name: name_at(a, f::PROG_NAME),
                    prog_type: u32_at(a, f::PROG_TYPE),
                    insns,
                    license: String::from_utf8_lossy(
                        &license[..license.iter().position(|&c| c == 0).unwrap()],
                    )
                    .into_owned(),
                    btf_fd: u32_at(a, f::PROG_BTF_FD),
                    attach_btf_id: u32_at(a, f::ATTACH_BTF_ID),
                    attach_btf_obj_fd: u32_at(a, f::ATTACH_BTF_OBJ_FD),
                    fd_array,
                    core,
                    func_info,
                }));
                self.new_fd()
            }
            _ => -(libc::EINVAL as i64),
        }
    }

    fn close(&mut self, fd: u32) -> i64 {
        self.closed.push(fd);
        if self.open.remove(&fd) {
            0
        } else {
            -(libc::EBADF as i64)
        }
    }

    fn find_by_name_kind(&mut self, name: &str, kind: u32) -> i64 {
        match self.btf.get(&(name.to_string(), kind)).copied() {
            Some((id, None)) => id as i64,
            Some((id, Some(_))) => {
                let fd = self.new_fd();
                (fd << 32) | id as i64
            }
            None => -(libc::ENOENT as i64),
        }
    }

    fn kallsyms(&mut self, name: &str) -> Option<u64> {
        self.kallsyms.get(name).copied()
    }

    fn read_mem(&mut self, addr: u64, len: usize, kernel: bool) -> Option<Vec<u8>> {
        let m = if kernel {
            &self.kernel_mem
        } else {
            &self.user_mem
        };
        m.get(&addr).filter(|v| v.len() >= len).cloned()
    }
}

fn ctx_for(nr_maps: usize, nr_progs: usize) -> Vec<u8> {
    let size = ctx::prog_desc(nr_maps, nr_progs);
    let mut c = vec![0u8; size];
    c[..4].copy_from_slice(&(size as u32).to_ne_bytes());
    c
}

fn run(out: &Output, ctx: Vec<u8>, k: &mut FakeKernel) -> (i64, Vec<u8>) {
    let mut vm = Vm::new(out.data.clone(), ctx);
    let insns = decode_insns(&out.insns);
    let ret = vm
        .run(&insns, k)
        .unwrap_or_else(|e| panic!("loader fault: {e}"));
    (ret, vm.ctx)
}

fn ld_imm64(src: u8) -> [bpf_insn; 2] {
    [
        bpf_insn {
            code: 0x18,
            regs: (src << 4) | 1,
            off: 0,
            imm: 0,
        },
        bpf_insn::default(),
    ]
}

fn kfunc_call() -> bpf_insn {
    bpf_insn {
        code: 0x85,
        regs: 2 << 4,
        off: 0,
        imm: 0,
    }
}

const EXIT: bpf_insn = bpf_insn {
    code: 0x95,
    regs: 0,
    off: 0,
    imm: 0,
};

fn map(map_type: u32, name: &str, value_size: u32, max_entries: u32) -> MapSpec {
    MapSpec {
        map_type,
        name: name.as_bytes().to_vec(),
        key_size: 4,
        value_size,
        max_entries,
        btf_key_type_id: 1,
        btf_value_type_id: 2,
        ..Default::default()
    }
}

/// A loader with every kind of step: BTF, an array with initial data
/// (frozen), an array of maps with an inner template and a slot, then two
/// programs: one with an attach target, CO-RE records and ksyms, one plain.
fn full_loader(gen_hash: bool) -> Output {
    let mut g = Generator::new(3, gen_hash);
    g.load_btf(b"BTF-BYTES").unwrap();
    g.map_create(&map(2, "obj.rodata", 8, 1), Some(0)).unwrap();
    g.map_update_initial(0, &7u64.to_ne_bytes()).unwrap();
    g.map_freeze(0).unwrap();
    g.map_create(&map(2, "inner", 8, 1), Some(1)).unwrap();
    let mut tmpl = map(2, "outer.inner", 8, 1);
    tmpl.btf_value_type_id = 0;
    tmpl.btf_key_type_id = 0;
    g.map_create(&tmpl, None).unwrap();
    let outer = MapSpec {
        has_inner: true,
        btf_key_type_id: 0,
        btf_value_type_id: 0,
        ..map(12, "a_very_long_map_name", 4, 4)
    };
    g.map_create(&outer, Some(2)).unwrap();
    g.populate_outer(2, 3, 1).unwrap();

    let mut insns = Vec::new();
    insns.extend_from_slice(&[
        bpf_insn {
            code: 0x18,
            regs: 6 << 4 | 1,
            off: 0,
            imm: 0,
        },
        bpf_insn {
            imm: 4,
            ..Default::default()
        },
    ]);
    insns.extend_from_slice(&ld_imm64(3)); // 2: typed ksym (module)
    insns.extend_from_slice(&ld_imm64(3)); // 4: same ksym again
    insns.extend_from_slice(&ld_imm64(3)); // 6: weak typed ksym, missing
    insns.extend_from_slice(&ld_imm64(0)); // 8: typeless ksym
    insns.push(kfunc_call()); // 10: module kfunc
    insns.push(kfunc_call()); // 11: vmlinux kfunc
    insns.push(kfunc_call()); // 12: module kfunc again
    insns.push(EXIT);
    g.record_attach_target("btf_trace_sys_enter", BTF_KIND_TYPEDEF);
    let ext = |name: &str, kind, is_weak, is_typeless, is_ld64, insn_idx| ExternRelo {
        name: name.into(),
        kind,
        is_weak,
        is_typeless,
        is_ld64,
        insn_idx,
    };
    g.record_extern(ext("mod_var", BTF_KIND_VAR, false, false, true, 2));
    g.record_extern(ext("mod_var", BTF_KIND_VAR, false, false, true, 4));
    g.record_extern(ext("gone_var", BTF_KIND_VAR, true, false, true, 6));
    g.record_extern(ext("schedule", BTF_KIND_VAR, false, true, true, 8));
    g.record_extern(ext("mod_func", BTF_KIND_FUNC, false, false, false, 10));
    g.record_extern(ext("vmlinux_func", BTF_KIND_FUNC, false, false, false, 11));
    g.record_extern(ext("mod_func", BTF_KIND_FUNC, false, false, false, 12));
    g.record_core(bpf_core_relo {
        insn_off: 8,
        type_id: 5,
        access_str_off: 9,
        kind: 0,
    });
    let fi = [0u8, 0, 0, 0, 7, 0, 0, 0];
    g.prog_load(&ProgSpec {
        prog_type: 26,
        name: b"tracer_program_with_long_name",
        license: b"GPL",
        insns: &insns,
        attach_btf_id: 1,
        func_info: (&fi, 8, 1),
        ..Default::default()
    })
    .unwrap();
    g.prog_load(&ProgSpec {
        prog_type: 1,
        name: b"plain",
        license: b"MIT",
        insns: &[EXIT],
        ..Default::default()
    })
    .unwrap();
    g.finish().unwrap()
}

fn kernel() -> FakeKernel {
    let mut k = FakeKernel::new();
    k.btf.insert(
        ("btf_trace_sys_enter".into(), BTF_KIND_TYPEDEF),
        (1234, None),
    );
    k.btf
        .insert(("mod_var".into(), BTF_KIND_VAR), (77, Some("mod")));
    k.btf
        .insert(("mod_func".into(), BTF_KIND_FUNC), (88, Some("mod")));
    k.btf
        .insert(("vmlinux_func".into(), BTF_KIND_FUNC), (99, None));
    k.kallsyms.insert("schedule".into(), 0xffff_ffff_8100_1234);
    k
}

fn ctx_u32(c: &[u8], off: usize) -> u32 {
    u32_at(c, off)
}

#[test]
fn a_loader_issues_every_step_and_hands_out_the_fds() {
    let out = full_loader(false);
    let mut k = kernel();
    let (ret, c) = run(&out, ctx_for(3, 2), &mut k);
    assert_eq!(ret, 0, "{:#?}", k.seen);
    let btf_fd = 10;
    let s = &k.seen;
    assert_eq!(
        s[0],
        Seen::BtfLoad {
            btf: b"BTF-BYTES".to_vec(),
            log_level: 0
        }
    );
    assert!(
        matches!(&s[1], Seen::MapCreate { name, btf_fd: b, key_id: 1, value_id: 2, max_entries: 1, .. } if name == "obj.rodata" && *b == btf_fd)
    );
    assert_eq!(
        s[2],
        Seen::Update {
            fd: 11,
            key: vec![0; 4],
            value: 7u64.to_ne_bytes().to_vec()
        }
    );
    assert_eq!(s[3], Seen::Freeze { fd: 11 });
    // the template (fd 13) has no BTF; the outer map refers to it, then it is closed
    assert!(
        matches!(&s[5], Seen::MapCreate { name, btf_fd: 0, inner_fd: 0, .. } if name == "outer.inner")
    );
    assert!(
        matches!(&s[6], Seen::MapCreate { name, inner_fd: 13, map_type: 12, .. } if name == "a_very_long_map")
    );
    assert!(k.closed.contains(&13));
    assert_eq!(
        s[7],
        Seen::Update {
            fd: 14,
            key: 3u32.to_ne_bytes().to_vec(),
            value: 12u32.to_ne_bytes().to_vec()
        }
    );
    let Seen::ProgLoad(p) = &s[8] else {
        panic!("{:?}", s[8])
    };
    assert_eq!(
        (p.name.as_str(), p.prog_type, p.license.as_str(), p.btf_fd),
        ("tracer_program_", 26, "GPL", btf_fd)
    );
    assert_eq!((p.attach_btf_id, p.attach_btf_obj_fd), (1234, 0));
    assert_eq!(p.core, vec![8, 5, 9, 0]);
    assert_eq!(p.func_info, vec![0, 0, 0, 0, 7, 0, 0, 0]);
    let i = &p.insns;
    // map reference untouched, typed ksyms: BTF id and module fd, the copy identical
    assert_eq!((i[0].src_reg(), i[0].imm, i[1].imm), (6, 0, 4));
    assert_eq!((i[2].src_reg(), i[2].imm), (3, 77));
    let mod_var_fd = i[3].imm as u32;
    assert!(mod_var_fd >= 10);
    assert_eq!(
        (i[4].src_reg(), i[4].imm, i[5].imm as u32),
        (3, 77, mod_var_fd)
    );
    // the missing weak variable is a plain zero
    assert_eq!((i[6].src_reg(), i[6].imm, i[7].imm), (0, 0, 0));
    assert_eq!(
        (i[8].imm as u32, i[9].imm as u32),
        (0x8100_1234, 0xffff_ffff)
    );
    // kfuncs: module ones through fd_array (after the 3 maps), vmlinux ones with off 0
    assert_eq!((i[10].imm, i[11].imm, i[12].imm), (88, 99, 88));
    assert!(i[10].off >= 3 && i[12].off == i[10].off && i[11].off == 0);
    assert_eq!((p.fd_array.len(), p.fd_array[0]), (2, 11));
    // (open while loading: the fake kernel checks fd_array entries), closed after
    assert!(k.closed.contains(&p.fd_array[1]) && !k.open.contains(&p.fd_array[1]));
    assert!(k.closed.contains(&mod_var_fd) && !k.open.contains(&mod_var_fd));
    let Seen::ProgLoad(p2) = &s[9] else { panic!() };
    assert_eq!((p2.name.as_str(), p2.license.as_str()), ("plain", "MIT"));
    // the context: map fds, then program fds
    let maps: Vec<u32> = (0..3)
        .map(|m| ctx_u32(&c, ctx::map_desc(m, ctx::MAP_FD)))
        .collect();
    let progs: Vec<u32> = (0..2).map(|j| ctx_u32(&c, ctx::prog_desc(3, j))).collect();
    assert_eq!(maps, vec![11, 12, 14]);
    // exactly the handed-out fds stay open: BTF, template and module BTFs are closed
    let handed: BTreeSet<u32> = maps.into_iter().chain(progs).collect();
    assert_eq!(k.open, handed);
}

#[test]
fn every_failure_closes_everything_and_returns_the_error() {
    let out = full_loader(false);
    let commands = {
        let mut k = kernel();
        run(&out, ctx_for(3, 2), &mut k);
        k.seen.len()
    };
    assert_eq!(commands, 10);
    for n in 0..commands {
        let mut k = kernel();
        k.fail = Some((n, -(libc::E2BIG as i64) - n as i64));
        let (ret, c) = run(&out, ctx_for(3, 2), &mut k);
        assert_eq!(ret, -(libc::E2BIG as i64) - n as i64);
        assert!(
            k.open.is_empty(),
            "command {n} failed, still open: {:?}",
            k.open
        );
        assert_eq!(k.seen.len(), n + 1, "nothing runs after a failure");
        assert!(
            c[ctx::HEADER_SIZE..].iter().all(|&b| b == 0),
            "the context is left alone"
        );
    }
    // a strong ksym the kernel does not have: its error, nothing leaked
    let mut k = kernel();
    k.btf.remove(&("mod_func".to_string(), BTF_KIND_FUNC));
    let (ret, _) = run(&out, ctx_for(3, 2), &mut k);
    assert_eq!(ret, -(libc::ENOENT as i64));
    assert!(k.open.is_empty(), "{:?}", k.open);
    // so is a strong typeless one
    let mut k = kernel();
    k.kallsyms.clear();
    assert_eq!(run(&out, ctx_for(3, 2), &mut k).0, -(libc::ENOENT as i64));
    assert!(k.open.is_empty());
}

#[test]
fn the_context_overrides_sizes_and_initial_values() {
    let out = full_loader(false);
    let mut c = ctx_for(3, 2);
    c[ctx::map_desc(1, ctx::MAX_ENTRIES)..][..4].copy_from_slice(&9u32.to_ne_bytes());
    c[ctx::map_desc(0, ctx::INITIAL_VALUE)..][..8].copy_from_slice(&0x5000u64.to_ne_bytes());
    c[ctx::LOG_LEVEL as usize..][..4].copy_from_slice(&1u32.to_ne_bytes());
    let mut k = kernel();
    k.user_mem.insert(0x5000, 42u64.to_ne_bytes().to_vec());
    let (ret, _) = run(&out, c.clone(), &mut k);
    assert_eq!(ret, 0);
    assert!(matches!(&k.seen[4], Seen::MapCreate { max_entries: 9, .. }));
    assert!(matches!(&k.seen[0], Seen::BtfLoad { log_level: 1, .. }));
    assert_eq!(
        k.seen[2],
        Seen::Update {
            fd: 11,
            key: vec![0; 4],
            value: 42u64.to_ne_bytes().to_vec()
        }
    );
    // a kernel module's skeleton: initial values are kernel memory
    c[ctx::FLAGS as usize..][..4].copy_from_slice(&(ctx::SKEL_KERNEL as u32).to_ne_bytes());
    let mut k = kernel();
    k.kernel_mem.insert(0x5000, 43u64.to_ne_bytes().to_vec());
    assert_eq!(run(&out, c.clone(), &mut k).0, 0);
    assert_eq!(
        k.seen[2],
        Seen::Update {
            fd: 11,
            key: vec![0; 4],
            value: 43u64.to_ne_bytes().to_vec()
        }
    );
    // unreadable: the copy's error, nothing leaked
    let mut k = kernel();
    assert_eq!(run(&out, c, &mut k).0, -(libc::EFAULT as i64));
    assert!(k.open.is_empty());
}

#[test]
fn the_hash_check_guards_the_data() {
    let out = full_loader(true);
    let digest = crate::object::sha256::sha256(&out.data);
    let mut vm = Vm::new(out.data.clone(), ctx_for(3, 2));
    vm.map_struct[..32].copy_from_slice(&digest);
    let mut k = kernel();
    assert_eq!(vm.run(&decode_insns(&out.insns), &mut k).unwrap(), 0);
    for flip in [0, 13, 31] {
        let mut vm = Vm::new(out.data.clone(), ctx_for(3, 2));
        vm.map_struct[..32].copy_from_slice(&digest);
        vm.map_struct[flip] ^= 1;
        let mut k = kernel();
        assert_eq!(
            vm.run(&decode_insns(&out.insns), &mut k).unwrap(),
            -(libc::EINVAL as i64)
        );
        assert!(k.seen.is_empty() && k.closed.is_empty());
    }
    // the hash covers the data only: same instructions otherwise
    let plain = full_loader(false);
    assert_eq!(plain.data, out.data);
    assert_eq!(out.insns.len() - plain.insns.len(), 8 * (1 + 4 * 6));
}

#[test]
fn weak_symbols_the_kernel_lacks_are_zero() {
    let mut g = Generator::new(0, false);
    let mut insns = ld_imm64(3).to_vec();
    insns.extend_from_slice(&ld_imm64(3));
    insns.extend_from_slice(&ld_imm64(0));
    insns.push(kfunc_call());
    insns.push(EXIT);
    for (i, (name, kind, typeless, ld64)) in [
        ("v", BTF_KIND_VAR, false, true),
        ("v", BTF_KIND_VAR, false, true),
        ("t", BTF_KIND_VAR, true, true),
        ("f", BTF_KIND_FUNC, false, false),
    ]
    .into_iter()
    .enumerate()
    {
        let insn_idx = [0, 2, 4, 6][i];
        g.record_extern(ExternRelo {
            name: name.into(),
            kind,
            is_weak: true,
            is_typeless: typeless,
            is_ld64: ld64,
            insn_idx,
        });
    }
    g.prog_load(&ProgSpec {
        prog_type: 31,
        name: b"p",
        license: b"GPL",
        insns: &insns,
        ..Default::default()
    })
    .unwrap();
    let out = g.finish().unwrap();
    let mut k = FakeKernel::new();
    let (ret, c) = run(&out, ctx_for(0, 1), &mut k);
    assert_eq!(ret, 0);
    let Seen::ProgLoad(p) = &k.seen[0] else {
        panic!()
    };
    let i = &p.insns;
    for at in [0, 2] {
        assert_eq!(
            (i[at].src_reg(), i[at].dst_reg(), i[at].imm, i[at + 1].imm),
            (0, 1, 0, 0)
        );
    }
    assert_eq!((i[4].imm, i[5].imm), (0, 0));
    assert_eq!((i[6].src_reg(), i[6].imm, i[6].off), (2, 0, 0));
    assert_eq!(ctx_u32(&c, ctx::prog_desc(0, 0)), 10);
    // a module kfunc in an object without maps: fd_array index 1, not 0 (vmlinux)
    let mut g = Generator::new(0, false);
    g.record_extern(ExternRelo {
        name: "f".into(),
        kind: BTF_KIND_FUNC,
        is_weak: false,
        is_typeless: false,
        is_ld64: false,
        insn_idx: 0,
    });
    g.prog_load(&ProgSpec {
        prog_type: 31,
        name: b"p",
        license: b"GPL",
        insns: &[kfunc_call(), EXIT],
        ..Default::default()
    })
    .unwrap();
    let out = g.finish().unwrap();
    let mut k = FakeKernel::new();
    k.btf.insert(("f".into(), BTF_KIND_FUNC), (5, Some("m")));
    assert_eq!(run(&out, ctx_for(0, 1), &mut k).0, 0);
    let Seen::ProgLoad(p) = &k.seen[0] else {
        panic!()
    };
    assert_eq!((p.insns[0].imm, p.insns[0].off), (5, 1));
    assert_eq!(p.fd_array.len(), 1);
    assert_eq!(
        k.open.len(),
        1,
        "the module BTF fd is closed after the load"
    );
}

#[test]
fn generation_errors() {
    // maps are recorded in object order, all of them
    let mut g = Generator::new(2, false);
    assert_eq!(
        g.map_create(&map(2, "b", 4, 1), Some(1)),
        Err(Error::new(libc::EDOM))
    );
    g.map_create(&map(2, "a", 4, 1), Some(0)).unwrap();
    assert_eq!(g.finish(), Err(Error::new(libc::EFAULT)));
    // relocations must be inside the program
    let mut g = Generator::new(0, false);
    g.record_extern(ExternRelo {
        name: "x".into(),
        kind: BTF_KIND_VAR,
        is_weak: false,
        is_typeless: true,
        is_ld64: true,
        insn_idx: 0,
    });
    let r = g.prog_load(&ProgSpec {
        prog_type: 31,
        name: b"p",
        license: b"GPL",
        insns: &[EXIT],
        ..Default::default()
    });
    assert_eq!(r, Err(Error::INVAL));
    // without BTF, maps carry no BTF type ids
    let mut g = Generator::new(1, false);
    g.map_create(&map(2, "a", 4, 1), Some(0)).unwrap();
    let out = g.finish().unwrap();
    let mut k = FakeKernel::new();
    assert_eq!(run(&out, ctx_for(1, 0), &mut k).0, 0);
    assert!(matches!(
        &k.seen[0],
        Seen::MapCreate {
            key_id: 0,
            value_id: 0,
            btf_fd: 0,
            ..
        }
    ));
}

#[test]
fn emitted_code_is_well_formed() {
    let out = full_loader(true);
    let insns = decode_insns(&out.insns);
    for (n, i) in insns.iter().enumerate() {
        if super::asm::is_jump(i) {
            let to = n as i64 + 1 + i.off as i64;
            assert!(
                to >= 0 && (to as usize) < insns.len(),
                "jump at {n} leaves the program"
            );
        }
        if i.code == 0x18 && i.src_reg() == 6 {
            let off = insns[n + 1].imm as usize;
            assert!(
                off < out.data.len(),
                "blob offset {off} at {n} beyond the data"
            );
        }
    }
    assert_eq!(out.data.len() % 8, 0);
    assert_eq!(insns.last(), Some(&EXIT));
}

#[test]
fn loaders_for_the_other_byte_order() {
    fn build(swap: bool) -> Output {
        let mut g = Generator::new(1, true);
        g.set_swapped(swap);
        g.load_btf(b"BTF").unwrap();
        g.map_create(&map(2, "m", 8, 1), Some(0)).unwrap();
        g.map_update_initial(0, &[1, 2, 3, 4, 5, 6, 7, 8]).unwrap();
        g.populate_outer(0, 0x01020304, 0).unwrap();
        g.record_core(bpf_core_relo {
            insn_off: 8,
            type_id: 5,
            access_str_off: 9,
            kind: 0,
        });
        g.record_extern(ExternRelo {
            name: "v".into(),
            kind: BTF_KIND_VAR,
            is_weak: true,
            is_typeless: false,
            is_ld64: true,
            insn_idx: 0,
        });
        let insns = [
            bpf_insn {
                code: 0x18,
                regs: 0x31,
                off: 0,
                imm: 0x11223344,
            },
            bpf_insn::default(),
            EXIT,
        ];
        g.prog_load(&ProgSpec {
            prog_type: 31,
            name: b"p",
            license: b"GPL",
            insns: &insns,
            ..Default::default()
        })
        .unwrap();
        g.finish().unwrap()
    }
    let (native, other) = (build(false), build(true));
    assert_eq!(native.data.len(), other.data.len());
    assert_ne!(native.data, other.data);
    // the same instructions, each written in the other order, but for the
    // hash parts (computed from different data) and the register mask that
    // clears a source register (nibbles swap places)
    let n = decode_insns(&native.insns);
    let o: Vec<bpf_insn> = decode_insns(&other.insns)
        .iter()
        .map(|i| bpf_insn {
            code: i.code,
            regs: i.regs.rotate_left(4),
            off: i.off.swap_bytes(),
            imm: i.imm.swap_bytes(),
        })
        .collect();
    assert_eq!(n.len(), o.len());
    let differing: Vec<usize> = (0..n.len()).filter(|&k| n[k] != o[k]).collect();
    assert_eq!(differing.len(), 9, "{differing:?}");
    let mask = differing[8];
    assert_eq!((n[mask].code, n[mask].imm, o[mask].imm), (0x54, 0x0f, 0xf0));
    // the data: attrs, keys, program and CO-RE records in the other order
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    assert!(find(&other.data, &0x01020304u32.swap_bytes().to_ne_bytes()).is_some());
    assert!(
        find(&other.data, &[0x18, 0x13, 0, 0, 0x11, 0x22, 0x33, 0x44]).is_some(),
        "program image swapped"
    );
    assert!(find(&native.data, &[0x18, 0x31, 0, 0, 0x44, 0x33, 0x22, 0x11]).is_some());
    assert!(
        find(&other.data, &[0, 0, 0, 8, 0, 0, 0, 5, 0, 0, 0, 9]).is_some(),
        "CO-RE records swapped"
    );
    assert!(
        find(&other.data, &[1, 2, 3, 4, 5, 6, 7, 8]).is_some(),
        "initial values kept as given"
    );
}
