//! Linking subprograms into main programs: every subprogram a main program
//! calls (directly, through other subprograms, or by address as a callback)
//! is appended to the main program's image, call offsets are rewritten for
//! that layout, and the func_info/line_info records of each piece follow it.
//!
//! The order is a depth-first walk from the main program, as libbpf does, so
//! the resulting images are identical to libbpf's. The walk uses an explicit
//! stack: a hostile object with a long call chain cannot overflow ours.

use crate::error::{Error, Result};
use crate::uapi::bpf_enums::insn as op;

use super::program::{AppendedSubprog, ExtInfo, Program};
use super::reloc::{self, RelocKind};

/// `.BTF.ext` records of one ELF section (func_info or line_info), raw:
/// each record starts with the instruction offset in bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExtSec {
    /// ELF index of the section the records describe (None if unknown).
    pub sec_idx: Option<usize>,
    /// Bytes per record (a multiple of 4, at least 4).
    pub rec_size: u32,
    pub words: Vec<u32>,
}

/// All func_info and line_info sections of an object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExtInfos {
    pub func: Vec<ExtSec>,
    pub line: Vec<ExtSec>,
}

/// Index of the program containing instruction `insn_idx` of section
/// `sec_idx` (`progs` sorted by section and offset).
pub fn find_prog_by_sec_insn(progs: &[Program], sec_idx: usize, insn_idx: usize) -> Option<usize> {
    let pos = progs.partition_point(|p| p.sec_idx < sec_idx || (p.sec_idx == sec_idx && p.sec_insn_off <= insn_idx));
    let i = pos.checked_sub(1)?;
    (progs[i].sec_idx == sec_idx && progs[i].contains_insn(insn_idx)).then_some(i)
}

/// Where one piece of code (a main program or a subprogram) sits.
struct Piece {
    name: String,
    sec_idx: usize,
    sec_insn_off: usize,
    sec_insn_cnt: usize,
    sub_insn_off: usize,
}

impl Piece {
    fn of(p: &Program) -> Piece {
        Piece {
            name: p.name_str().into_owned(),
            sec_idx: p.sec_idx,
            sec_insn_off: p.sec_insn_off,
            sec_insn_cnt: p.sec_insn_cnt,
            sub_insn_off: p.sub_insn_off,
        }
    }
}

/// Appends the records of `piece` (at its position in the main image) to
/// `out`. `Err(NOENT)` when its section has none for it.
fn append_ext(out: &mut ExtInfo, secs: &[ExtSec], piece: &Piece) -> Result<()> {
    let Some(sec) = secs.iter().find(|s| s.sec_idx == Some(piece.sec_idx)) else { return Err(Error::NOENT) };
    let rec_words = (sec.rec_size / 4) as usize;
    if rec_words == 0 {
        return Err(Error::INVAL);
    }
    let (start, end) = (piece.sec_insn_off, piece.sec_insn_off + piece.sec_insn_cnt);
    let mut first = None;
    let mut last = 0;
    for (i, rec) in sec.words.chunks_exact(rec_words).enumerate() {
        let insn = (rec[0] / 8) as usize;
        if insn < start {
            continue;
        }
        if insn >= end {
            break;
        }
        first.get_or_insert(i);
        last = i + 1;
    }
    let Some(first) = first else { return Err(Error::NOENT) };
    let adj = piece.sub_insn_off as i64 - piece.sec_insn_off as i64;
    let base = out.words.len();
    out.words.extend_from_slice(&sec.words[first * rec_words..last * rec_words]);
    for rec in out.words[base..].chunks_exact_mut(rec_words) {
        rec[0] = ((rec[0] / 8) as i64 + adj) as u32;
    }
    out.rec_size = sec.rec_size;
    Ok(())
}

/// Relocates the func_info and line_info of piece `prog` into main
/// program `main`'s. A main program whose own records are missing goes
/// without (with a warning); a subprogram missing them is an error once the
/// main program has some.
fn reloc_ext_info(progs: &mut [Program], main: usize, prog: usize, ext: &ExtInfos) -> Result<()> {
    let piece = Piece::of(&progs[prog]);
    let m = &mut progs[main];
    for (kind, secs, info) in [("function", &ext.func, &mut m.func_info), ("line", &ext.line, &mut m.line_info)] {
        if main != prog && info.is_empty() {
            continue;
        }
        match append_ext(info, secs, &piece) {
            Ok(()) => {}
            Err(e) if e != Error::NOENT => {
                crate::pr_warn!("prog '{}': error relocating .BTF.ext {kind} info: {e}", piece.name);
                return Err(e);
            }
            Err(e) if !info.is_empty() => {
                crate::pr_warn!("prog '{}': missing .BTF.ext {kind} info.", piece.name);
                return Err(e);
            }
            Err(_) => crate::pr_warn!(
                "prog '{}': missing .BTF.ext {kind} info for the main program, skipping all of .BTF.ext {kind} info.",
                piece.name
            ),
        }
    }
    Ok(())
}

/// Appends subprogram `sub` to main program `main`: its code, its
/// relocations (shifted) and its position.
fn append_subprog(progs: &mut [Program], main: usize, sub: usize) {
    let at = progs[main].insns.len();
    progs[sub].sub_insn_off = at;
    let (code, mut relos) = (progs[sub].insns.clone(), progs[sub].relos.clone());
    let sec_insn_off = progs[sub].sec_insn_off;
    crate::pr_debug!("prog '{}': added {} insns from sub-prog '{}'", progs[main].name_str(), code.len(), progs[sub].name_str());
    let m = &mut progs[main];
    m.insns.extend_from_slice(&code);
    if main != sub {
        relos.iter_mut().for_each(|r| r.insn_idx += at);
        m.relos.extend_from_slice(&relos);
    }
    m.subprogs.push(AppendedSubprog { sec_insn_off: sec_insn_off as u32, sub_insn_off: at as u32 });
}

/// Links every subprogram main program `main` needs into its image and
/// rewrites the call offsets. `text_shndx` is the section holding
/// subprograms; `ext` the func/line info to carry along (None when the
/// object has none or the kernel does not take it).
pub fn relocate_calls(progs: &mut [Program], main: usize, text_shndx: Option<usize>, ext: Option<&ExtInfos>) -> Result<()> {
    for p in progs.iter_mut() {
        if Some(p.sec_idx) == text_shndx {
            p.sub_insn_off = 0;
        }
    }
    progs[main].sub_insn_off = 0;
    walk(progs, main, main, text_shndx, ext)
}

/// Appends subprogram `sub` (not reached by any call, such as an exception
/// callback) to main program `main` and links what it calls.
pub fn append_and_relocate(progs: &mut [Program], main: usize, sub: usize, text_shndx: Option<usize>, ext: Option<&ExtInfos>) -> Result<()> {
    append_subprog(progs, main, sub);
    walk(progs, main, sub, text_shndx, ext)
}

/// The depth-first walk from piece `start` of main program `main`.
fn walk(progs: &mut [Program], main: usize, start: usize, text_shndx: Option<usize>, ext: Option<&ExtInfos>) -> Result<()> {
    // Frames of the depth-first walk: (program, next instruction to look at).
    let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
    while let Some(frame) = stack.last_mut() {
        let (prog, insn_idx) = *frame;
        if insn_idx == 0 {
            if let Some(ext) = ext {
                reloc_ext_info(progs, main, prog, ext)?;
            }
        }
        if insn_idx >= progs[prog].sec_insn_cnt {
            stack.pop();
            continue;
        }
        frame.1 += 1;

        let pos = progs[prog].sub_insn_off + insn_idx;
        let Some(insn) = progs[main].insns.get(pos).copied() else { return Err(Error::RELOC) };
        if !reloc::is_subprog_call(&insn) && !reloc::is_pseudo_func(&insn) {
            continue;
        }
        let name = progs[prog].name_str().into_owned();
        let relo = reloc::find(&progs[prog].relos, insn_idx).copied();
        let target: i64 = match relo {
            Some(r) if r.kind == RelocKind::ExternCall => continue,
            Some(r) if r.kind != RelocKind::Call && r.kind != RelocKind::SubprogAddr => {
                crate::pr_warn!("prog '{name}': unexpected relo for insn #{insn_idx}, type {}", r.kind as i32);
                return Err(Error::RELOC);
            }
            Some(r) if r.kind == RelocKind::Call => r.sym_off as i64 / 8 + insn.imm as i64 + 1,
            Some(r) => (r.sym_off as i64 + insn.imm as i64) / 8,
            None if reloc::is_pseudo_func(&insn) => {
                crate::pr_warn!("prog '{name}': missing subprog addr relo for insn #{insn_idx}");
                return Err(Error::RELOC);
            }
            None => (progs[prog].sec_insn_off + insn_idx) as i64 + insn.imm as i64 + 1,
        };
        let sub = match (text_shndx, usize::try_from(target)) {
            (Some(text), Ok(t)) => find_prog_by_sec_insn(progs, text, t),
            _ => None,
        };
        let Some(sub) = sub else {
            crate::pr_warn!("prog '{name}': no .text section found yet sub-program call exists");
            return Err(Error::RELOC);
        };
        let first_use = progs[sub].sub_insn_off == 0;
        if first_use {
            append_subprog(progs, main, sub);
        }
        let imm = progs[sub].sub_insn_off as i64 - pos as i64 - 1;
        progs[main].insns[pos].imm = imm as i32;
        crate::pr_debug!(
            "prog '{name}': insn #{insn_idx} relocated, imm {imm} points to subprog '{}' (now at {} offset)",
            progs[sub].name_str(),
            progs[sub].sub_insn_off
        );
        if first_use {
            stack.push((sub, 0));
        }
    }
    Ok(())
}

/// Marks every `ld_imm64` that loads a subprogram's address as
/// `BPF_PSEUDO_FUNC`, so that call relocation recognises it.
pub fn mark_pseudo_funcs(progs: &mut [Program]) {
    for p in progs {
        for r in p.relos.iter().filter(|r| r.kind == RelocKind::SubprogAddr) {
            if let Some(insn) = p.insns.get_mut(r.insn_idx) {
                insn.set_src_reg(op::PSEUDO_FUNC);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::reloc::Reloc;
    use crate::uapi::bpf_insn;

    const TEXT: usize = 2;

    fn mov(imm: i32) -> bpf_insn {
        bpf_insn { code: 0xb7, regs: 0, off: 0, imm }
    }
    fn exit() -> bpf_insn {
        bpf_insn { code: op::BPF_JMP | op::BPF_EXIT, ..Default::default() }
    }
    fn call(imm: i32) -> bpf_insn {
        bpf_insn { code: op::CALL, regs: op::PSEUDO_CALL << 4, off: 0, imm }
    }
    fn prog(name: &str, sec: usize, off: usize, insns: Vec<bpf_insn>) -> Program {
        Program::new(name.as_bytes(), b"sec", sec, off, insns, 0).unwrap()
    }
    fn call_relo(insn_idx: usize, sym_off: u32) -> Reloc {
        Reloc { insn_idx, kind: RelocKind::Call, map_idx: 0, sym_off, ext_idx: 0, core: Default::default() }
    }

    /// .text holds subA (insns 0..3, calls subB) and subB (3..5); two main
    /// programs call subA and subB respectively.
    fn object() -> Vec<Program> {
        let mut sub_a = prog("subA", TEXT, 0, vec![call(-1), mov(1), exit()]);
        sub_a.relos = vec![call_relo(0, 24)];
        let sub_b = prog("subB", TEXT, 3, vec![mov(2), exit()]);
        let mut main_a = prog("mainA", 3, 0, vec![mov(0), call(-1), exit()]);
        main_a.relos = vec![call_relo(1, 0)];
        let mut main_b = prog("mainB", 3, 3, vec![call(-1), exit()]);
        main_b.relos = vec![call_relo(0, 24)];
        let mut v = vec![sub_a, sub_b, main_a, main_b];
        v.sort_by_key(|p| (p.sec_idx, p.sec_insn_off));
        v
    }

    #[test]
    fn depth_first_append_and_offsets() {
        let mut progs = object();
        relocate_calls(&mut progs, 2, Some(TEXT), None).unwrap();
        let a = &progs[2];
        // mainA | subA | subB
        assert_eq!(a.insns.len(), 3 + 3 + 2);
        // mainA's call at 1 jumps to subA at 3: imm = 3 - 1 - 1.
        assert_eq!(a.insns[1].imm, 1);
        // subA's call (at 3) jumps to subB at 6: imm = 6 - 3 - 1.
        assert_eq!(a.insns[3].imm, 2);
        assert_eq!(a.subprogs.len(), 2);
        // Relocations of subA were appended, shifted.
        assert!(a.relos.iter().any(|r| r.insn_idx == 3 && r.kind == RelocKind::Call));

        relocate_calls(&mut progs, 3, Some(TEXT), None).unwrap();
        let b = &progs[3];
        // mainB | subB
        assert_eq!(b.insns.len(), 2 + 2);
        assert_eq!(b.insns[0].imm, 1);
        // Subprogram code itself is untouched.
        assert_eq!(progs[0].insns[0].imm, -1);
    }

    #[test]
    fn static_call_without_relocation() {
        // A static call inside .text: imm is relative to the section.
        let sub_a = prog("subA", TEXT, 0, vec![call(1), exit(), mov(3), exit()]);
        let mut sub_a = sub_a;
        sub_a.sec_insn_cnt = 2;
        sub_a.insns.truncate(2);
        let sub_b = prog("subB", TEXT, 2, vec![mov(3), exit()]);
        let mut main = prog("main", 3, 0, vec![call(-1), exit()]);
        main.relos = vec![call_relo(0, 0)];
        let mut progs = vec![sub_a, sub_b, main];
        relocate_calls(&mut progs, 2, Some(TEXT), None).unwrap();
        assert_eq!(progs[2].insns.len(), 6);
        assert_eq!(progs[2].insns[2].imm, 1);
    }

    #[test]
    fn call_into_nowhere_is_an_error() {
        let mut main = prog("main", 3, 0, vec![call(100), exit()]);
        main.relos = vec![call_relo(0, 800)];
        let mut progs = vec![main];
        assert_eq!(relocate_calls(&mut progs, 0, Some(TEXT), None).unwrap_err(), Error::RELOC);
        // No .text at all.
        assert_eq!(relocate_calls(&mut progs, 0, None, None).unwrap_err(), Error::RELOC);
    }

    #[test]
    fn deep_call_chains_do_not_recurse() {
        // main -> s0 -> s1 -> ... -> s9999
        let n = 10_000;
        let mut progs: Vec<Program> = (0..n)
            .map(|i| {
                let insns = if i + 1 < n { vec![call(-1), exit()] } else { vec![exit()] };
                let mut p = prog(&format!("s{i}"), TEXT, i * 2, insns);
                if i + 1 < n {
                    p.relos = vec![call_relo(0, ((i + 1) * 16) as u32)];
                }
                p
            })
            .collect();
        let mut main = prog("main", 3, 0, vec![call(-1), exit()]);
        main.relos = vec![call_relo(0, 0)];
        progs.push(main);
        relocate_calls(&mut progs, n, Some(TEXT), None).unwrap();
        assert_eq!(progs[n].insns.len(), 2 + (n - 1) * 2 + 1);
    }

    #[test]
    fn func_info_follows_the_layout() {
        let mut progs = object();
        let ext = ExtInfos {
            // records: (insn_off in bytes, type_id)
            func: vec![
                ExtSec { sec_idx: Some(TEXT), rec_size: 8, words: vec![0, 10, 24, 11] },
                ExtSec { sec_idx: Some(3), rec_size: 8, words: vec![0, 20, 24, 21] },
            ],
            line: vec![],
        };
        relocate_calls(&mut progs, 2, Some(TEXT), Some(&ext)).unwrap();
        // mainA at 0, subA at 3, subB at 6.
        assert_eq!(progs[2].func_info.words, vec![0, 20, 3, 10, 6, 11]);
        assert_eq!(progs[2].func_info.count(), 3);
        assert!(progs[2].line_info.is_empty());
    }
}
