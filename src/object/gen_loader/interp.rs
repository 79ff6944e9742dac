//! A small eBPF interpreter for the instructions a loader is made of, with
//! the kernel behind its helpers scripted by the test ([`Kernel`]): runs a
//! generated loader the way `BPF_PROG_RUN` would, on plain memory.
//!
//! Pointers are tracked by region (blob, context, loader map); a pointer
//! stored into the blob (an attr's address field) becomes a tagged 64-bit
//! value the fake kernel turns back into blob bytes. Registers clobbered by
//! a helper call are poisoned, so a loader that relies on them fails.

use super::asm::helper;
use crate::uapi::bpf_insn;

/// Address tag of blob pointers stored in memory.
pub const BLOB_TAG: u64 = 0xb10b_0000_0000_0000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Val {
    Undef,
    Scalar(u64),
    Blob(i64),
    Ctx(i64),
    /// `struct bpf_map` of the loader map (its hash in the first 32 bytes).
    MapStruct(i64),
}

/// What the loader's helpers reach.
pub trait Kernel {
    /// `bpf(cmd, attr)`: an fd, 0 or a negative errno. `mem(addr, len)`
    /// reads blob memory behind a tagged address (None: not blob memory).
    fn sys_bpf(
        &mut self,
        cmd: u32,
        attr: &[u8],
        mem: &dyn Fn(u64, usize) -> Option<Vec<u8>>,
    ) -> i64;
    fn close(&mut self, fd: u32) -> i64;
    fn find_by_name_kind(&mut self, name: &str, kind: u32) -> i64;
    /// The address of `name`, if the kernel has it.
    fn kallsyms(&mut self, name: &str) -> Option<u64>;
    /// `len` bytes of user (or, `kernel`, kernel) memory at `addr`.
    fn read_mem(&mut self, addr: u64, len: usize, kernel: bool) -> Option<Vec<u8>>;
}

pub struct Vm {
    pub blob: Vec<u8>,
    pub ctx: Vec<u8>,
    pub map_struct: Vec<u8>,
    pub steps: usize,
}

fn region<'a>(vm: &'a mut Vm, v: Val) -> Result<(&'a mut Vec<u8>, i64), String> {
    match v {
        Val::Blob(o) => Ok((&mut vm.blob, o)),
        Val::Ctx(o) => Ok((&mut vm.ctx, o)),
        Val::MapStruct(o) => Ok((&mut vm.map_struct, o)),
        other => Err(format!("memory access through {other:?}")),
    }
}

fn size_of_code(code: u8) -> usize {
    match code & 0x18 {
        0x10 => 1,
        0x08 => 2,
        0x00 => 4,
        _ => 8,
    }
}

impl Vm {
    pub fn new(blob: Vec<u8>, ctx: Vec<u8>) -> Vm {
        Vm {
            blob,
            ctx,
            map_struct: vec![0; 64],
            steps: 0,
        }
    }

    fn load(&mut self, base: Val, off: i16, size: usize) -> Result<Val, String> {
        let (mem, o) = region(self, base)?;
        let at = o + off as i64;
        if at < 0 || at as usize + size > mem.len() {
            return Err(format!(
                "load of {size} at {at} out of bounds ({})",
                mem.len()
            ));
        }
        let mut b = [0u8; 8];
        b[..size].copy_from_slice(&mem[at as usize..at as usize + size]);
        let v = u64::from_le_bytes(b);
        if size == 8 && v & 0xffff_0000_0000_0000 == BLOB_TAG {
            return Ok(Val::Blob((v & 0xffff_ffff) as i64));
        }
        Ok(Val::Scalar(v))
    }

    fn store(&mut self, base: Val, off: i16, size: usize, v: Val) -> Result<(), String> {
        let raw = match v {
            Val::Scalar(x) => x,
            Val::Blob(o) if size == 8 => BLOB_TAG | o as u64,
            other => return Err(format!("store of {other:?}")),
        };
        let (mem, o) = region(self, base)?;
        let at = o + off as i64;
        if at < 0 || at as usize + size > mem.len() {
            return Err(format!(
                "store of {size} at {at} out of bounds ({})",
                mem.len()
            ));
        }
        mem[at as usize..at as usize + size].copy_from_slice(&raw.to_le_bytes()[..size]);
        Ok(())
    }

    fn blob_str(&self, ptr: Val, len: Val) -> Result<String, String> {
        let (Val::Blob(o), Val::Scalar(n)) = (ptr, len) else {
            return Err("bad string argument".into());
        };
        let b = self
            .blob
            .get(o as usize..o as usize + n as usize)
            .ok_or("string out of bounds")?;
        if b.last() != Some(&0) {
            return Err("string not NUL-terminated".into());
        }
        Ok(String::from_utf8_lossy(&b[..b.len() - 1]).into_owned())
    }

    /// Runs the loader; returns R0 at exit.
    pub fn run(&mut self, insns: &[bpf_insn], k: &mut dyn Kernel) -> Result<i64, String> {
        let mut r = [Val::Undef; 11];
        r[1] = Val::Ctx(0);
        let mut pc = 0usize;
        loop {
            self.steps += 1;
            if self.steps > 1_000_000 {
                return Err("too many steps".into());
            }
            let i = *insns.get(pc).ok_or(format!("pc {pc} out of the program"))?;
            let (dst, src) = (i.dst_reg() as usize, i.src_reg() as usize);
            let at = pc;
            let scalar = move |v: Val| match v {
                Val::Scalar(x) => Ok(x),
                other => Err(format!("pc {at}: {other:?} used as a number")),
            };
            pc += 1;
            match i.code {
                0xbf => r[dst] = r[src],
                0xb7 => r[dst] = Val::Scalar(i.imm as i64 as u64),
                0x07 => {
                    r[dst] = match r[dst] {
                        Val::Scalar(x) => Val::Scalar(x.wrapping_add(i.imm as i64 as u64)),
                        Val::Blob(o) => Val::Blob(o + i.imm as i64),
                        other => return Err(format!("add to {other:?}")),
                    }
                }
                0x77 => r[dst] = Val::Scalar(scalar(r[dst])? >> i.imm),
                0x54 => r[dst] = Val::Scalar((scalar(r[dst])? as u32 & i.imm as u32) as u64),
                0x61 | 0x69 | 0x71 | 0x79 => {
                    r[dst] = self.load(r[src], i.off, size_of_code(i.code))?
                }
                0x63 | 0x6b | 0x73 | 0x7b => {
                    self.store(r[dst], i.off, size_of_code(i.code), r[src])?
                }
                0x62 | 0x6a | 0x72 | 0x7a => self.store(
                    r[dst],
                    i.off,
                    size_of_code(i.code),
                    Val::Scalar(i.imm as i64 as u64),
                )?,
                0x18 => {
                    let hi = insns.get(pc).ok_or("truncated ld_imm64")?.imm;
                    pc += 1;
                    r[dst] = match src {
                        0 => Val::Scalar((i.imm as u32 as u64) | ((hi as u32 as u64) << 32)),
                        5 if i.imm == 0 => Val::MapStruct(0),
                        6 if i.imm == 0 => Val::Blob(hi as i64),
                        _ => {
                            return Err(format!(
                                "pc {}: unexpected ld_imm64 src {src} imm {}",
                                pc - 2,
                                i.imm
                            ))
                        }
                    };
                }
                0x05 => pc = (pc as i64 + i.off as i64) as usize,
                0x15 | 0x45 | 0x55 | 0x65 | 0x75 | 0xc5 | 0xd5 | 0x5d => {
                    let a = scalar(r[dst])?;
                    let b = if i.code == 0x5d {
                        scalar(r[src])?
                    } else {
                        i.imm as i64 as u64
                    };
                    let taken = match i.code & 0xf0 {
                        0x10 => a == b,
                        0x40 => a & b != 0,
                        0x50 => a != b,
                        0x60 => (a as i64) > (b as i64),
                        0x70 => (a as i64) >= (b as i64),
                        0xc0 => (a as i64) < (b as i64),
                        _ => (a as i64) <= (b as i64),
                    };
                    if taken {
                        pc = (pc as i64 + i.off as i64) as usize;
                    }
                }
                0x85 => {
                    r[0] = Val::Scalar(self.call(i.imm, &r, k)? as u64);
                    for reg in &mut r[1..=5] {
                        *reg = Val::Undef;
                    }
                }
                0x95 => return Ok(scalar(r[0])? as i64),
                c => return Err(format!("pc {}: unexpected opcode {c:#x}", pc - 1)),
            }
        }
    }

    fn call(&mut self, id: i32, r: &[Val; 11], k: &mut dyn Kernel) -> Result<i64, String> {
        let num = |v: Val| match v {
            Val::Scalar(x) => Ok(x),
            other => Err(format!("helper {id}: {other:?} given as a number")),
        };
        Ok(match id {
            helper::SYS_BPF => {
                let Val::Blob(a) = r[2] else {
                    return Err("sys_bpf attr is not in the blob".into());
                };
                let size = num(r[3])? as usize;
                let attr = self
                    .blob
                    .get(a as usize..a as usize + size)
                    .ok_or("attr out of bounds")?
                    .to_vec();
                let blob = self.blob.clone();
                let mem = move |addr: u64, len: usize| -> Option<Vec<u8>> {
                    if addr & 0xffff_0000_0000_0000 != BLOB_TAG {
                        return None;
                    }
                    let o = (addr & 0xffff_ffff) as usize;
                    blob.get(o..o + len).map(<[u8]>::to_vec)
                };
                k.sys_bpf(num(r[1])? as u32, &attr, &mem)
            }
            helper::SYS_CLOSE => k.close(num(r[1])? as u32),
            helper::BTF_FIND_BY_NAME_KIND => {
                let name = self.blob_str(r[1], r[2])?;
                k.find_by_name_kind(&name, num(r[3])? as u32)
            }
            helper::KALLSYMS_LOOKUP_NAME => {
                let name = self.blob_str(r[1], r[2])?;
                let addr = k.kallsyms(&name);
                self.store(r[4], 0, 8, Val::Scalar(addr.unwrap_or(0)))?;
                if addr.is_some() {
                    0
                } else {
                    -(libc::ENOENT as i64)
                }
            }
            helper::COPY_FROM_USER | helper::PROBE_READ_KERNEL => {
                let len = num(r[2])? as usize;
                let data = k.read_mem(num(r[3])?, len, id == helper::PROBE_READ_KERNEL);
                let (mem, o) = region(self, r[1])?;
                let dst = mem
                    .get_mut(o as usize..o as usize + len)
                    .ok_or("copy out of bounds")?;
                match data {
                    Some(d) => {
                        dst.copy_from_slice(&d[..len]);
                        0
                    }
                    None => {
                        dst.fill(0);
                        -(libc::EFAULT as i64)
                    }
                }
            }
            other => return Err(format!("unexpected helper {other}")),
        })
    }
}
