//! The generator: each recording call appends the loader instructions of
//! one load step and the bytes they work on (attrs, BTF, program images,
//! names, initial values) to the data blob.
//!
//! Conventions of the emitted code:
//! - R6 holds the context for the whole run; R7 the result of the last
//!   command (an fd or a negative errno), which is also the loader's exit
//!   code on failure; R8 and R9 are scratch that survive helper calls.
//! - The blob is the value of the loader map, which the skeleton passes as
//!   `fd_array[0]`: `ld_imm64` with `BPF_PSEUDO_MAP_IDX_VALUE`, index 0 and
//!   the blob offset yields a pointer into it.
//! - Every fd the loader creates lives in a table at the end of the blob
//!   ([`Slot`]): map fds first (so the table's start is the `fd_array` of
//!   program loads, map `i` at index `i`), then the kfunc/ksym BTF fds of
//!   the program being loaded, then the BTF, inner map template, attach
//!   target BTF and program fds. Where the table sits and how large it is
//!   is known only at [`Generator::finish`], so instructions naming a slot
//!   are patched then; so are the jumps to the cleanup code, which closes
//!   every fd of the table and returns R7.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::uapi::bpf_insn;
use crate::uapi::btf::bpf_core_relo;

use super::asm::{self, helper, Cond, Size, R0, R1, R2, R3, R6, R7, R8, R9};
use super::layout::{self, cmd, ctx, AttrBytes};

/// `BPF_PSEUDO_MAP_IDX`, `BPF_PSEUDO_MAP_IDX_VALUE`.
const PSEUDO_MAP_IDX: u8 = 5;
const PSEUDO_MAP_IDX_VALUE: u8 = 6;
/// Most kfunc BTF fds one program may use (the kernel's `MAX_KFUNC_BTFS`).
pub const MAX_POOL: usize = 256;

/// An fd of the loader's table (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Slot {
    /// Map `i` of the object (also `fd_array[i]` of program loads).
    Map(usize),
    /// BTF object fd `k` resolved for the program being loaded (also
    /// `fd_array[pool_base + k]`).
    Pool(usize),
    Btf,
    /// The inner map template of the map-in-map being created.
    Inner,
    /// The module BTF holding the attach target of the program being loaded.
    AttachObj,
    /// Program `j` in load order.
    Prog(usize),
}

/// A place in the blob: a known offset or a slot of the fd table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loc {
    Data(usize),
    Slot(Slot),
}

impl Loc {
    fn at(self, delta: usize) -> Loc {
        match self {
            Loc::Data(off) => Loc::Data(off + delta),
            Loc::Slot(_) => self,
        }
    }
}

/// What a map creation needs (`bpf_map_create()` arguments).
#[derive(Clone, Debug, Default)]
pub struct MapSpec {
    pub map_type: u32,
    pub name: Vec<u8>,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub map_flags: u32,
    pub numa_node: u32,
    pub map_ifindex: u32,
    pub btf_key_type_id: u32,
    pub btf_value_type_id: u32,
    pub map_extra: u64,
    /// A map of maps: its inner template was created just before (with
    /// `map_create(.., None)`).
    pub has_inner: bool,
}

/// What a program load needs; records are in kernel form, native order.
#[derive(Clone, Debug, Default)]
pub struct ProgSpec<'a> {
    pub prog_type: u32,
    pub name: &'a [u8],
    pub license: &'a [u8],
    pub insns: &'a [bpf_insn],
    pub expected_attach_type: u32,
    pub attach_btf_id: u32,
    pub prog_ifindex: u32,
    pub prog_flags: u32,
    /// func_info records (bytes), record size, count.
    pub func_info: (&'a [u8], u32, u32),
    pub line_info: (&'a [u8], u32, u32),
}

/// A `.ksyms` reference of the program about to be loaded, resolved by the
/// loader in the running kernel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExternRelo {
    pub name: String,
    /// `BTF_KIND_VAR` or `BTF_KIND_FUNC`.
    pub kind: u32,
    pub is_weak: bool,
    /// A typeless ksym (address from kallsyms).
    pub is_typeless: bool,
    /// An `ld_imm64` (variable or function address), else a kfunc call.
    pub is_ld64: bool,
    pub insn_idx: usize,
}

/// The finished loader: instructions and data blob, as bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub insns: Vec<u8>,
    pub data: Vec<u8>,
}

/// First resolution of a ksym in the current program, reused by later
/// references to the same symbol.
#[derive(Clone, Copy)]
struct KsymSeen {
    insn: usize,
}

/// The loader program being generated.
pub struct Generator {
    pub(super) insns: Vec<bpf_insn>,
    pub(super) data: Vec<u8>,
    nr_maps: usize,
    maps_created: usize,
    progs_loaded: usize,
    pool_used: usize,
    pool_max: usize,
    btf_loaded: bool,
    attach_target: Option<(Vec<u8>, u32)>,
    externs: Vec<ExternRelo>,
    core_relos: Vec<bpf_core_relo>,
    ksyms: HashMap<(String, u32, bool), KsymSeen>,
    /// `ld_imm64` instructions whose second half is the offset of a slot.
    slot_refs: Vec<(usize, Slot)>,
    /// Jumps to the cleanup code.
    cleanup_jumps: Vec<usize>,
    /// `ld_imm64` instructions that receive the data hash, 8 bytes each.
    hash_insns: Vec<usize>,
    /// The loader runs on a host of the other byte order.
    swap: bool,
}

impl Generator {
    /// Starts a loader for an object of `nr_maps` maps. With `gen_hash`,
    /// the loader first checks that the SHA-256 the kernel computed of its
    /// (frozen) data map is the hash of the data generated here, failing
    /// with `-EINVAL` otherwise.
    pub fn new(nr_maps: usize, gen_hash: bool) -> Generator {
        let mut g = Generator {
            insns: Vec::new(),
            data: Vec::new(),
            nr_maps,
            maps_created: 0,
            progs_loaded: 0,
            pool_used: 0,
            pool_max: 0,
            btf_loaded: false,
            attach_target: None,
            externs: Vec::new(),
            core_relos: Vec::new(),
            ksyms: HashMap::new(),
            slot_refs: Vec::new(),
            cleanup_jumps: Vec::new(),
            hash_insns: Vec::new(),
            swap: false,
        };
        g.emit(asm::mov_reg(R6, R1));
        if gen_hash {
            g.emit(asm::mov_imm(R7, -libc::EINVAL));
            for i in 0..4 {
                // the loader map itself: its hash leads `struct bpf_map`
                g.emit2(asm::ld_imm64(R1, PSEUDO_MAP_IDX, 0, 0));
                g.emit(asm::ldx(Size::DW, R2, R1, (i * 8) as i16));
                g.hash_insns.push(g.insns.len());
                g.emit2(asm::ld_imm64(R3, 0, 0, 0));
                g.jump_to_cleanup(asm::jmp_reg(Cond::Ne, R2, R3, 0));
            }
        }
        g
    }

    /// The loader is for a host of the other byte order (an object of
    /// non-native endianness): everything it and its data hold is written
    /// in that order. Set before anything is recorded.
    pub fn set_swapped(&mut self, swap: bool) {
        self.swap = swap;
    }

    /// A `u32` as the loader's target stores it.
    fn target_u32(&self, v: u32) -> [u8; 4] {
        if self.swap { v.swap_bytes() } else { v }.to_ne_bytes()
    }

    /// Whether BTF was loaded (maps and programs then refer to it).
    pub fn has_btf(&self) -> bool {
        self.btf_loaded
    }

    /// Maps recorded so far.
    pub fn maps_created(&self) -> usize {
        self.maps_created
    }

    // ---- building blocks -------------------------------------------------

    fn emit(&mut self, i: bpf_insn) {
        self.insns.push(i);
    }

    fn emit2(&mut self, i: [bpf_insn; 2]) {
        self.insns.extend_from_slice(&i);
    }

    /// Appends `bytes` to the blob, 8-byte aligned; returns their offset.
    pub(super) fn add_data(&mut self, bytes: &[u8]) -> usize {
        let off = self.data.len();
        self.data.extend_from_slice(bytes);
        self.data.resize((self.data.len() + 7) & !7, 0);
        off
    }

    /// `dst = &blob[loc]`.
    fn ld_blob(&mut self, dst: u8, loc: Loc) {
        let (hi, slot) = match loc {
            Loc::Data(off) => (off as i32, None),
            Loc::Slot(s) => (0, Some(s)),
        };
        if let Some(s) = slot {
            self.slot_refs.push((self.insns.len(), s));
        }
        self.emit2(asm::ld_imm64(dst, PSEUDO_MAP_IDX_VALUE, 0, hi));
    }

    /// `*(u64 *)&blob[field] = &blob[target]`.
    fn store_addr(&mut self, field: Loc, target: Loc) {
        self.ld_blob(R0, target);
        self.ld_blob(R1, field);
        self.emit(asm::stx(Size::DW, R1, R0, 0));
    }

    /// Copies `size` bytes of the blob from `src` to `dst`; leaves the
    /// value in R0.
    fn copy(&mut self, dst: Loc, src: Loc, size: u32) {
        self.ld_blob(R2, src);
        self.emit(asm::ldx(Size::of(size), R0, R2, 0));
        self.ld_blob(R1, dst);
        self.emit(asm::stx(Size::of(size), R1, R0, 0));
    }

    /// Copies `size` bytes of the context at `ctx_off` into the blob at
    /// `dst`; with `skip_zero`, a zero value leaves the blob unchanged.
    fn ctx_to_blob(&mut self, dst: Loc, ctx_off: usize, size: u32, skip_zero: bool) -> Result<()> {
        self.emit(asm::ldx(Size::of(size), R0, R6, ctx_off16(ctx_off)?));
        if skip_zero {
            self.emit(asm::jmp_imm(Cond::Eq, R0, 0, 3));
        }
        self.ld_blob(R1, dst);
        self.emit(asm::stx(Size::of(size), R1, R0, 0));
        Ok(())
    }

    /// `*(u32 *)&blob[dst] = R7`.
    fn store_result(&mut self, dst: Loc) {
        self.ld_blob(R1, dst);
        self.emit(asm::stx(Size::W, R1, R7, 0));
    }

    /// `R7 = bpf(cmd, &blob[attr], size)`.
    fn sys_bpf(&mut self, command: u32, attr: usize, size: usize) {
        self.emit(asm::mov_imm(R1, command as i32));
        self.ld_blob(R2, Loc::Data(attr));
        self.emit(asm::mov_imm(R3, size as i32));
        self.emit(asm::call(helper::SYS_BPF));
        self.emit(asm::mov_reg(R7, R0));
    }

    /// Emits `jump` (offset patched to reach the cleanup code).
    fn jump_to_cleanup(&mut self, jump: bpf_insn) {
        self.cleanup_jumps.push(self.insns.len());
        self.emit(jump);
    }

    /// `if (R7 < 0) goto cleanup`.
    fn check_result(&mut self) {
        self.jump_to_cleanup(asm::jmp_imm(Cond::Slt, R7, 0, 0));
    }

    /// A forward jump whose target is set by [`Generator::land`].
    fn jump_fwd(&mut self, jump: bpf_insn) -> usize {
        self.emit(jump);
        self.insns.len() - 1
    }

    /// Makes the forward jump at `at` land on the next instruction.
    fn land(&mut self, at: usize) {
        self.insns[at].off = (self.insns.len() - at - 1) as i16;
    }

    /// Closes the fd in `slot` (if any) and clears the slot.
    fn close_slot(&mut self, slot: Slot) {
        self.ld_blob(R8, Loc::Slot(slot));
        self.emit(asm::ldx(Size::W, R1, R8, 0));
        self.emit(asm::jmp_imm(Cond::Sle, R1, 0, 1));
        self.emit(asm::call(helper::SYS_CLOSE));
        self.emit(asm::st_imm(Size::W, R8, 0, 0));
    }

    /// `R7 = bpf_btf_find_by_name_kind(name, kind)`: the type id in the low
    /// 32 bits, the BTF object fd (0: vmlinux) in the high ones.
    pub(super) fn find_by_name_kind(&mut self, name: &[u8], kind: u32) {
        let mut z = name.to_vec();
        z.push(0);
        let off = self.add_data(&z);
        self.ld_blob(R1, Loc::Data(off));
        self.emit(asm::mov_imm(R2, z.len() as i32));
        self.emit(asm::mov_imm(R3, kind as i32));
        self.emit(asm::mov_imm(asm::R4, 0));
        self.emit(asm::call(helper::BTF_FIND_BY_NAME_KIND));
        self.emit(asm::mov_reg(R7, R0));
    }

    // ---- load steps ------------------------------------------------------

    /// `BPF_BTF_LOAD` of `raw` (the object's BTF as the kernel takes it),
    /// with the context's log settings; the fd goes to the BTF slot.
    pub fn load_btf(&mut self, raw: &[u8]) -> Result<()> {
        let btf = self.add_data(raw);
        let mut a = AttrBytes::new(layout::btf_load::SIZE, self.swap);
        a.u32(
            layout::btf_load::BTF_SIZE,
            u32::try_from(raw.len()).map_err(|_| Error::new(libc::E2BIG))?,
        );
        let attr = self.add_data(&a.0);
        self.ctx_to_blob(
            Loc::Data(attr + layout::btf_load::LOG_LEVEL),
            ctx::LOG_LEVEL as usize,
            4,
            false,
        )?;
        self.ctx_to_blob(
            Loc::Data(attr + layout::btf_load::LOG_SIZE),
            ctx::LOG_SIZE as usize,
            4,
            false,
        )?;
        self.ctx_to_blob(
            Loc::Data(attr + layout::btf_load::LOG_BUF),
            ctx::LOG_BUF as usize,
            8,
            false,
        )?;
        self.store_addr(Loc::Data(attr + layout::btf_load::BTF), Loc::Data(btf));
        self.sys_bpf(cmd::BPF_BTF_LOAD, attr, layout::btf_load::SIZE);
        self.check_result();
        self.store_result(Loc::Slot(Slot::Btf));
        self.btf_loaded = true;
        Ok(())
    }

    /// `BPF_MAP_CREATE`: map `idx` of the object (maps are recorded in
    /// order), or with `None` the inner template of the map-in-map created
    /// next. A light skeleton's non-zero `max_entries` in the context
    /// overrides the object's.
    pub fn map_create(&mut self, m: &MapSpec, idx: Option<usize>) -> Result<()> {
        if let Some(i) = idx {
            if i != self.maps_created || i >= self.nr_maps {
                crate::pr_warn!(
                    "gen: map #{i} recorded out of order (expected #{})",
                    self.maps_created
                );
                return Err(Error::new(libc::EDOM));
            }
        }
        let use_btf = self.btf_loaded && (m.btf_key_type_id != 0 || m.btf_value_type_id != 0);
        use layout::map_create as f;
        let mut a = AttrBytes::new(f::SIZE, self.swap);
        a.u32(f::MAP_TYPE, m.map_type)
            .u32(f::KEY_SIZE, m.key_size)
            .u32(f::VALUE_SIZE, m.value_size)
            .u32(f::MAX_ENTRIES, m.max_entries)
            .u32(f::MAP_FLAGS, m.map_flags)
            .u32(f::NUMA_NODE, m.numa_node)
            .name(f::MAP_NAME, &m.name)
            .u32(f::MAP_IFINDEX, m.map_ifindex)
            .u64(f::MAP_EXTRA, m.map_extra);
        if use_btf {
            a.u32(f::BTF_KEY_TYPE_ID, m.btf_key_type_id)
                .u32(f::BTF_VALUE_TYPE_ID, m.btf_value_type_id);
        }
        let attr = self.add_data(&a.0);
        if use_btf {
            self.copy(Loc::Data(attr + f::BTF_FD), Loc::Slot(Slot::Btf), 4);
        }
        if m.has_inner {
            self.copy(Loc::Data(attr + f::INNER_MAP_FD), Loc::Slot(Slot::Inner), 4);
        }
        if let Some(i) = idx {
            self.ctx_to_blob(
                Loc::Data(attr + f::MAX_ENTRIES),
                ctx::map_desc(i, ctx::MAX_ENTRIES),
                4,
                true,
            )?;
        }
        self.sys_bpf(cmd::BPF_MAP_CREATE, attr, f::SIZE);
        self.check_result();
        match idx {
            Some(i) => {
                self.store_result(Loc::Slot(Slot::Map(i)));
                self.maps_created += 1;
            }
            None => self.store_result(Loc::Slot(Slot::Inner)),
        }
        if m.has_inner {
            self.close_slot(Slot::Inner);
        }
        Ok(())
    }

    /// Sets element 0 of map `idx` to `value`, or to the bytes at the
    /// context's `initial_value` of the map when the skeleton gives one
    /// (read from user memory, or kernel memory with `BPF_SKEL_KERNEL`).
    pub fn map_update_initial(&mut self, idx: usize, value: &[u8]) -> Result<()> {
        let size = i32::try_from(value.len()).map_err(|_| Error::new(libc::E2BIG))?;
        let val = self.add_data(value);
        let key = self.add_data(&[0; 4]);
        self.emit(asm::ldx(
            Size::DW,
            R3,
            R6,
            ctx_off16(ctx::map_desc(idx, ctx::INITIAL_VALUE))?,
        ));
        let skip = self.jump_fwd(asm::jmp_imm(Cond::Eq, R3, 0, 0));
        self.ld_blob(R1, Loc::Data(val));
        self.emit(asm::mov_imm(R2, size));
        self.emit(asm::ldx(Size::W, R0, R6, ctx::FLAGS));
        self.emit(asm::jmp_imm(Cond::Set, R0, ctx::SKEL_KERNEL, 2));
        self.emit(asm::call(helper::COPY_FROM_USER));
        self.emit(asm::ja(1));
        self.emit(asm::call(helper::PROBE_READ_KERNEL));
        self.emit(asm::mov_reg(R7, R0));
        self.check_result();
        self.land(skip);
        self.update_elem(idx, Loc::Data(key), Loc::Data(val))
    }

    /// `BPF_MAP_UPDATE_ELEM` of map `idx` with blob key and value.
    fn update_elem(&mut self, idx: usize, key: Loc, value: Loc) -> Result<()> {
        use layout::map_elem as f;
        let attr = self.add_data(&AttrBytes::new(f::SIZE, self.swap).0);
        self.copy(Loc::Data(attr + f::MAP_FD), Loc::Slot(Slot::Map(idx)), 4);
        self.store_addr(Loc::Data(attr + f::KEY), key);
        self.store_addr(Loc::Data(attr + f::VALUE), value);
        self.sys_bpf(cmd::BPF_MAP_UPDATE_ELEM, attr, f::SIZE);
        self.check_result();
        Ok(())
    }

    /// `BPF_MAP_FREEZE` of map `idx`.
    pub fn map_freeze(&mut self, idx: usize) -> Result<()> {
        use layout::map_freeze as f;
        let attr = self.add_data(&AttrBytes::new(f::SIZE, self.swap).0);
        self.copy(Loc::Data(attr + f::MAP_FD), Loc::Slot(Slot::Map(idx)), 4);
        self.sys_bpf(cmd::BPF_MAP_FREEZE, attr, f::SIZE);
        self.check_result();
        Ok(())
    }

    /// Slot `key` of map of maps `outer` gets map `inner` (both created).
    pub fn populate_outer(&mut self, outer: usize, key: u32, inner: usize) -> Result<()> {
        let k = self.add_data(&self.target_u32(key));
        self.update_elem(outer, Loc::Data(k), Loc::Slot(Slot::Map(inner)))
    }

    /// The next program's attach target: `name` (prefix included) of BTF
    /// kind `kind`, looked up in the kernel's BTFs by the loader.
    pub fn record_attach_target(&mut self, name: &str, kind: u32) {
        self.attach_target = Some((name.as_bytes().to_vec(), kind));
    }

    /// A ksym reference of the next program.
    pub fn record_extern(&mut self, r: ExternRelo) {
        self.externs.push(r);
    }

    /// A CO-RE relocation of the next program, for the kernel to perform.
    pub fn record_core(&mut self, r: bpf_core_relo) {
        self.core_relos.push(r);
    }

    /// `BPF_PROG_LOAD` of one program, with the recorded attach target,
    /// ksym and CO-RE relocations; the fd goes to the next program slot.
    pub fn prog_load(&mut self, p: &ProgSpec<'_>) -> Result<()> {
        use layout::prog_load as f;
        let mut license = p.license.to_vec();
        license.push(0);
        let license = self.add_data(&license);
        let code: Vec<u8> = p
            .insns
            .iter()
            .flat_map(|i| insn_bytes(i, self.swap))
            .collect();
        let insns = self.add_data(&code);
        let func_info = (p.func_info.2 > 0).then(|| self.add_data(p.func_info.0));
        let line_info = (p.line_info.2 > 0).then(|| self.add_data(p.line_info.0));
        let core: Vec<u8> = self
            .core_relos
            .iter()
            .flat_map(|r| [r.insn_off, r.type_id, r.access_str_off, r.kind])
            .flat_map(|v| self.target_u32(v))
            .collect();
        let core_relos = (!core.is_empty()).then(|| self.add_data(&core));
        let n = |v: usize| u32::try_from(v).map_err(|_| Error::new(libc::E2BIG));
        let mut a = AttrBytes::new(f::SIZE, self.swap);
        a.u32(f::PROG_TYPE, p.prog_type)
            .u32(f::INSN_CNT, n(p.insns.len())?)
            .u32(f::PROG_FLAGS, p.prog_flags)
            .name(f::PROG_NAME, p.name)
            .u32(f::PROG_IFINDEX, p.prog_ifindex)
            .u32(f::EXPECTED_ATTACH_TYPE, p.expected_attach_type)
            .u32(f::ATTACH_BTF_ID, p.attach_btf_id)
            .u32(f::FUNC_INFO_REC_SIZE, p.func_info.1)
            .u32(f::FUNC_INFO_CNT, p.func_info.2)
            .u32(f::LINE_INFO_REC_SIZE, p.line_info.1)
            .u32(f::LINE_INFO_CNT, p.line_info.2);
        if core_relos.is_some() {
            a.u32(f::CORE_RELO_CNT, n(self.core_relos.len())?)
                .u32(f::CORE_RELO_REC_SIZE, 16);
        }
        let attr = self.add_data(&a.0);
        self.store_addr(Loc::Data(attr + f::LICENSE), Loc::Data(license));
        self.store_addr(Loc::Data(attr + f::INSNS), Loc::Data(insns));
        for (field, off) in [
            (f::FUNC_INFO, func_info),
            (f::LINE_INFO, line_info),
            (f::CORE_RELOS, core_relos),
        ] {
            if let Some(off) = off {
                self.store_addr(Loc::Data(attr + field), Loc::Data(off));
            }
        }
        self.store_addr(Loc::Data(attr + f::FD_ARRAY), Loc::Slot(Slot::Map(0)));
        self.ctx_to_blob(
            Loc::Data(attr + f::LOG_LEVEL),
            ctx::LOG_LEVEL as usize,
            4,
            false,
        )?;
        self.ctx_to_blob(
            Loc::Data(attr + f::LOG_SIZE),
            ctx::LOG_SIZE as usize,
            4,
            false,
        )?;
        self.ctx_to_blob(
            Loc::Data(attr + f::LOG_BUF),
            ctx::LOG_BUF as usize,
            8,
            false,
        )?;
        if self.btf_loaded {
            self.copy(Loc::Data(attr + f::PROG_BTF_FD), Loc::Slot(Slot::Btf), 4);
        }
        let attach = self.attach_target.take();
        if let Some((name, kind)) = &attach {
            self.find_by_name_kind(name, *kind);
            self.check_result();
            self.ld_blob(R0, Loc::Data(attr));
            self.emit(asm::stx(Size::W, R0, R7, f::ATTACH_BTF_ID as i16));
            self.emit(asm::rsh_imm(R7, 32));
            self.emit(asm::stx(Size::W, R0, R7, f::ATTACH_BTF_OBJ_FD as i16));
            self.store_result(Loc::Slot(Slot::AttachObj));
        }
        let externs = std::mem::take(&mut self.externs);
        for r in &externs {
            if r.insn_idx >= p.insns.len() || (r.is_ld64 && r.insn_idx + 1 >= p.insns.len()) {
                return Err(Error::INVAL);
            }
            self.extern_relo(r, Loc::Data(insns + 8 * r.insn_idx))?;
        }
        self.sys_bpf(cmd::BPF_PROG_LOAD, attr, f::SIZE);
        // loaded or not, the BTF fds found for it are closed
        for k in 0..self.pool_used {
            self.close_slot(Slot::Pool(k));
        }
        if attach.is_some() {
            self.close_slot(Slot::AttachObj);
        }
        self.check_result();
        self.store_result(Loc::Slot(Slot::Prog(self.progs_loaded)));
        self.progs_loaded += 1;
        self.pool_max = self.pool_max.max(self.pool_used);
        self.pool_used = 0;
        self.ksyms.clear();
        self.core_relos.clear();
        Ok(())
    }

    /// The relocation of one ksym reference at `insn` (the blob copy of
    /// the instruction).
    fn extern_relo(&mut self, r: &ExternRelo, insn: Loc) -> Result<()> {
        const IMM: usize = 4;
        const OFF: usize = 2;
        const NEXT_IMM: usize = 8 + IMM;
        let Loc::Data(at) = insn else {
            return Err(Error::INVAL);
        };
        let key = (r.name.clone(), r.kind, r.is_ld64);
        if let Some(first) = self.ksyms.get(&key).copied() {
            // same symbol as an earlier instruction: copy its resolution
            let from = Loc::Data(first.insn);
            if !r.is_ld64 {
                self.copy(insn.at(IMM), from.at(IMM), 4);
                self.copy(insn.at(OFF), from.at(OFF), 2);
                return Ok(());
            }
            self.copy(insn.at(NEXT_IMM), from.at(NEXT_IMM), 4);
            self.copy(insn.at(IMM), from.at(IMM), 4);
            if !r.is_typeless {
                // an unresolved weak variable: a plain 64-bit zero
                let done = self.jump_fwd(asm::jmp_imm(Cond::Ne, R0, 0, 0));
                self.ld_blob(R8, insn);
                self.clear_src_reg();
                self.land(done);
            }
            return Ok(());
        }
        self.ksyms.insert(key, KsymSeen { insn: at });
        self.ld_blob(R8, insn);
        if r.is_ld64 && r.is_typeless {
            return self.relo_typeless(r);
        }
        self.find_by_name_kind(r.name.as_bytes(), r.kind);
        if !r.is_weak {
            self.check_result();
        }
        let k = self.pool_used;
        if k >= MAX_POOL {
            crate::pr_warn!(
                "gen: too many kernel BTF objects referenced by one program (ksym '{}')",
                r.name
            );
            return Err(Error::new(libc::E2BIG));
        }
        self.pool_used += 1;
        let failed = self.jump_fwd(asm::jmp_imm(Cond::Slt, R7, 0, 0));
        self.emit(asm::stx(Size::W, R8, R7, IMM as i16));
        self.emit(asm::mov_reg(R9, R7));
        self.emit(asm::rsh_imm(R9, 32));
        self.ld_blob(R0, Loc::Slot(Slot::Pool(k)));
        self.emit(asm::stx(Size::W, R0, R9, 0));
        let end = if r.is_ld64 {
            self.emit(asm::stx(Size::W, R8, R9, NEXT_IMM as i16));
            let end = self.jump_fwd(asm::ja(0));
            self.land(failed);
            self.emit(asm::st_imm(Size::W, R8, IMM as i16, 0));
            self.emit(asm::st_imm(Size::W, R8, NEXT_IMM as i16, 0));
            self.clear_src_reg();
            end
        } else {
            // vmlinux kfuncs need no fd_array entry: off stays 0
            let vmlinux = self.jump_fwd(asm::jmp_imm(Cond::Eq, R9, 0, 0));
            let idx = i16::try_from(self.pool_base() + k).map_err(|_| Error::new(libc::E2BIG))?;
            self.emit(asm::st_imm(Size::H, R8, OFF as i16, idx.into()));
            let end = self.jump_fwd(asm::ja(0));
            self.land(failed);
            self.emit(asm::st_imm(Size::W, R8, IMM as i16, 0));
            self.land(vmlinux);
            self.emit(asm::st_imm(Size::H, R8, OFF as i16, 0));
            end
        };
        self.land(end);
        Ok(())
    }

    /// A typeless ksym: its address from `bpf_kallsyms_lookup_name()`
    /// into both halves of the `ld_imm64` R8 points to. A weak symbol the
    /// kernel does not have is 0; a strong one fails the load.
    fn relo_typeless(&mut self, r: &ExternRelo) -> Result<()> {
        let mut z = r.name.as_bytes().to_vec();
        z.push(0);
        let name = self.add_data(&z);
        let res = self.add_data(&[0; 8]);
        self.ld_blob(R1, Loc::Data(name));
        self.emit(asm::mov_imm(R2, z.len() as i32));
        self.emit(asm::mov_imm(R3, 0));
        self.ld_blob(asm::R4, Loc::Data(res));
        self.emit(asm::call(helper::KALLSYMS_LOOKUP_NAME));
        self.emit(asm::mov_reg(R7, R0));
        if r.is_weak {
            self.emit(asm::jmp_imm(Cond::Eq, R7, -libc::ENOENT, 1));
        }
        self.check_result();
        self.ld_blob(R0, Loc::Data(res));
        self.emit(asm::ldx(Size::DW, R9, R0, 0));
        self.emit(asm::stx(Size::W, R8, R9, 4));
        self.emit(asm::rsh_imm(R9, 32));
        self.emit(asm::stx(Size::W, R8, R9, 12));
        Ok(())
    }

    /// Clears the source register of the instruction R8 points to.
    fn clear_src_reg(&mut self) {
        // the register nibbles' order follows the target's byte order
        let dst_mask = if cfg!(target_endian = "big") != self.swap {
            0xf0
        } else {
            0x0f
        };
        self.emit(asm::ldx(Size::B, R9, R8, 1));
        self.emit(asm::and32_imm(R9, dst_mask));
        self.emit(asm::stx(Size::B, R8, R9, 1));
    }

    /// `fd_array` index of pool slot 0 (never 0: index 0 of a kfunc's
    /// `off` means vmlinux).
    fn pool_base(&self) -> usize {
        self.nr_maps.max(1)
    }

    // ---- the end ---------------------------------------------------------

    /// Index of `s` in the fd table.
    fn slot_index(&self, s: Slot) -> usize {
        let fixed = self.pool_base() + self.pool_max;
        match s {
            Slot::Map(i) => i,
            Slot::Pool(k) => self.pool_base() + k,
            Slot::Btf => fixed,
            Slot::Inner => fixed + 1,
            Slot::AttachObj => fixed + 2,
            Slot::Prog(j) => fixed + 3 + j,
        }
    }

    /// Ends the loader: closes the BTF fd, hands every program and map fd
    /// to the context, returns 0; then the cleanup code every failure jumps
    /// to. Fails with `EFAULT` when not every map of the object (`nr_maps`)
    /// was created, `ERANGE` when the loader is too large for its jumps.
    pub fn finish(mut self) -> Result<Output> {
        if self.maps_created != self.nr_maps {
            crate::pr_warn!(
                "gen: {} of {} maps created: a loader needs them all",
                self.maps_created,
                self.nr_maps
            );
            return Err(Error::new(libc::EFAULT));
        }
        let slots = self.slot_index(Slot::Prog(self.progs_loaded));
        if slots * 4 > i16::MAX as usize {
            return Err(Error::new(libc::E2BIG));
        }
        self.close_slot(Slot::Btf);
        self.ld_blob(R8, Loc::Slot(Slot::Map(0)));
        for j in 0..self.progs_loaded {
            let from = (self.slot_index(Slot::Prog(j)) * 4) as i16;
            self.emit(asm::ldx(Size::W, R0, R8, from));
            self.emit(asm::stx(
                Size::W,
                R6,
                R0,
                ctx_off16(ctx::prog_desc(self.nr_maps, j))?,
            ));
        }
        for i in 0..self.nr_maps {
            self.emit(asm::ldx(Size::W, R0, R8, (i * 4) as i16));
            self.emit(asm::stx(
                Size::W,
                R6,
                R0,
                ctx_off16(ctx::map_desc(i, ctx::MAP_FD))?,
            ));
        }
        self.emit(asm::mov_imm(R0, 0));
        self.emit(asm::exit());

        let cleanup = self.insns.len();
        self.ld_blob(R8, Loc::Slot(Slot::Map(0)));
        for s in 0..slots {
            self.emit(asm::ldx(Size::W, R1, R8, (s * 4) as i16));
            self.emit(asm::jmp_imm(Cond::Sle, R1, 0, 1));
            self.emit(asm::call(helper::SYS_CLOSE));
        }
        self.emit(asm::mov_reg(R0, R7));
        self.emit(asm::exit());

        for &j in &self.cleanup_jumps {
            let off = cleanup as i64 - j as i64 - 1;
            self.insns[j].off = i16::try_from(off).map_err(|_| Error::new(libc::ERANGE))?;
        }
        let table = self.data.len();
        self.data.resize(table + (slots * 4).div_ceil(8) * 8, 0);
        for &(at, s) in &self.slot_refs {
            self.insns[at + 1].imm = (table + self.slot_index(s) * 4) as i32;
        }
        if u32::try_from(self.data.len()).is_err() || u32::try_from(self.insns.len() * 8).is_err() {
            return Err(Error::new(libc::ERANGE));
        }
        if !self.hash_insns.is_empty() {
            let digest = crate::object::sha256::sha256(&self.data);
            for (i, &at) in self.hash_insns.iter().enumerate() {
                // the hash as the target's 64-bit loads read it
                let part =
                    u64::from_ne_bytes(digest[i * 8..i * 8 + 8].try_into().unwrap_or_default());
                let part = if self.swap { part.swap_bytes() } else { part };
                self.insns[at].imm = part as u32 as i32;
                self.insns[at + 1].imm = (part >> 32) as u32 as i32;
            }
        }
        let swap = self.swap;
        Ok(Output {
            insns: self
                .insns
                .iter()
                .flat_map(|i| insn_bytes(i, swap))
                .collect(),
            data: self.data,
        })
    }
}

/// A context offset as an instruction offset.
fn ctx_off16(off: usize) -> Result<i16> {
    i16::try_from(off).map_err(|_| Error::new(libc::E2BIG))
}

/// The 8 bytes of an instruction, in native order or (`swap`) the other:
/// fields byte-swapped and the register nibbles exchanged.
pub fn insn_bytes(i: &bpf_insn, swap: bool) -> [u8; 8] {
    let (regs, off, imm) = if swap {
        (
            i.regs.rotate_left(4),
            i.off.swap_bytes(),
            i.imm.swap_bytes(),
        )
    } else {
        (i.regs, i.off, i.imm)
    };
    let mut b = [0; 8];
    b[0] = i.code;
    b[1] = regs;
    b[2..4].copy_from_slice(&off.to_ne_bytes());
    b[4..8].copy_from_slice(&imm.to_ne_bytes());
    b
}
