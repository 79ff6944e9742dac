//! The CO-RE step of an object's load: every relocation record of
//! `.BTF.ext`, applied to the program that contains its instruction, before
//! subprograms are linked (instruction indices are still section-relative).

use super::kind::CoreRelo;
use super::resolve::CoreRelocator;
use super::spec::{format_spec, parse_spec};
use super::cands::Targets;
use super::view::TypeView;
use crate::error::{Error, Result};
use crate::uapi::bpf::bpf_insn;

/// A program's code as the CO-RE step sees it.
pub struct ProgCode<'a> {
    pub name: &'a str,
    /// The ELF section the program lives in.
    pub sec_name: &'a str,
    /// Index of its first instruction within that section.
    pub sec_insn_off: usize,
    /// Its own instructions (subprograms not appended yet).
    pub insns: &'a mut [bpf_insn],
    pub autoload: bool,
}

/// The CO-RE records of one ELF section.
pub struct SectionRelos<'a> {
    pub sec_name: &'a str,
    pub relos: Vec<CoreRelo>,
}

/// A relocation applied to a program: (program number, instruction index in
/// the program, record). The loader keeps them to explain a poisoned
/// instruction in the verifier log (see `logfix`).
pub type AppliedRelo = (usize, usize, CoreRelo);

/// Applies every CO-RE relocation of the object to its programs. Records of
/// instructions no program holds (an eliminated weak subprogram) are
/// skipped, as are programs not loaded. The first failure is logged with the
/// program and relocation number and returned (`EINVAL` for malformed
/// records), preceded by libbpf's "failed to perform CO-RE relocations".
pub fn relocate_object(
    local: &dyn TypeView,
    sections: &[SectionRelos<'_>],
    progs: &mut [ProgCode<'_>],
    targets: &Targets,
) -> Result<Vec<AppliedRelo>> {
    let r = relocate_all(local, sections, progs, targets);
    if let Err(e) = r {
        pr_warn!("failed to perform CO-RE relocations: {}", e.neg());
    }
    r
}

/// The CO-RE relocations of the object's programs, found as
/// [`relocate_object`] finds them but not applied (a loader program has
/// the kernel apply them). `EINVAL` for malformed records.
pub fn record_object(sections: &[SectionRelos<'_>], progs: &mut [ProgCode<'_>]) -> Result<Vec<AppliedRelo>> {
    walk(sections, progs, |_, _, _, _| Ok(()))
}

fn relocate_all(
    local: &dyn TypeView,
    sections: &[SectionRelos<'_>],
    progs: &mut [ProgCode<'_>],
    targets: &Targets,
) -> Result<Vec<AppliedRelo>> {
    let mut relocator = CoreRelocator::new(local, targets);
    walk(sections, progs, |prog, local_idx, relo, i| relocator.relocate(prog.name, prog.insns, local_idx, relo, i))
}

/// Calls `f` with every relocation record and the program (and
/// program-relative instruction) it applies to; returns them all.
fn walk(
    sections: &[SectionRelos<'_>],
    progs: &mut [ProgCode<'_>],
    mut f: impl FnMut(&mut ProgCode<'_>, usize, &CoreRelo, usize) -> Result<()>,
) -> Result<Vec<AppliedRelo>> {
    let mut applied = Vec::new();
    for sec in sections {
        if sec.sec_name.is_empty() {
            return Err(Error::INVAL);
        }
        pr_debug!("sec '{}': found {} CO-RE relocations", sec.sec_name, sec.relos.len());
        for (i, relo) in sec.relos.iter().enumerate() {
            if relo.insn_off % 8 != 0 {
                return Err(Error::INVAL);
            }
            let insn_idx = (relo.insn_off / 8) as usize;
            let Some(p) = progs.iter().position(|p| {
                p.sec_name == sec.sec_name && insn_idx >= p.sec_insn_off && insn_idx < p.sec_insn_off + p.insns.len()
            }) else {
                pr_debug!(
                    "sec '{}': skipping CO-RE relocation #{} for insn #{} belonging to eliminated weak subprogram",
                    sec.sec_name,
                    i,
                    insn_idx
                );
                continue;
            };
            let prog = &mut progs[p];
            if !prog.autoload {
                continue;
            }
            let local_idx = insn_idx - prog.sec_insn_off;
            applied.push((p, local_idx, *relo));
            f(prog, local_idx, relo, i)?;
        }
    }
    Ok(applied)
}

/// The formatted local spec of a relocation (for the verifier log rewrite):
/// `<byte_off> [12] struct task_struct.pid (0:1 @ offset 4)`.
pub fn describe_relo(prog_name: &str, local: &dyn TypeView, relo: &CoreRelo) -> Option<String> {
    parse_spec(prog_name, local, relo).ok().map(|s| format_spec(&s))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::relo::cands::Target;
    use crate::relo::kind::FIELD_BYTE_OFFSET;
    use crate::relo::testbtf::TestBtf;

    #[test]
    fn relocations_find_their_program() {
        let mut k = TestBtf::new();
        let int = k.int("int", 4, true);
        k.strukt("s", 8, &[("a", int, 0), ("b", int, 32)]);
        let targets = Targets::new(Target::new("vmlinux", Arc::new(k)), false, None);
        let mut l = TestBtf::new();
        let li = l.int("int", 4, true);
        let s = l.strukt("s", 8, &[("b", li, 0)]);
        let acc = l.add_str("0:0");
        let mov = bpf_insn { code: 0xb7, ..Default::default() };
        let mut a = vec![mov; 3];
        let mut b = vec![mov; 2];
        let mut c = vec![mov; 2];
        let mut progs = vec![
            ProgCode { name: "a", sec_name: "sec", sec_insn_off: 0, insns: &mut a, autoload: true },
            ProgCode { name: "b", sec_name: "sec", sec_insn_off: 3, insns: &mut b, autoload: true },
            ProgCode { name: "c", sec_name: "other", sec_insn_off: 0, insns: &mut c, autoload: false },
        ];
        let r = |off: u32| CoreRelo { insn_off: off * 8, type_id: s, access_str_off: acc, kind: FIELD_BYTE_OFFSET };
        let sections = [
            SectionRelos { sec_name: "sec", relos: vec![r(1), r(4), r(9)] },
            SectionRelos { sec_name: "other", relos: vec![r(0)] },
        ];
        let applied = relocate_object(&l, &sections, &mut progs, &targets).unwrap();
        assert_eq!(applied.iter().map(|a| (a.0, a.1)).collect::<Vec<_>>(), [(0, 1), (1, 1)]);
        assert_eq!((a[1].imm, b[1].imm, c[0].imm), (4, 4, 0));
        assert_eq!(describe_relo("a", &l, &r(1)).unwrap(), "<byte_off> [2] struct s.b (0:0 @ offset 0)");
        let bad = [SectionRelos { sec_name: "sec", relos: vec![CoreRelo { insn_off: 3, ..r(0) }] }];
        let mut a = vec![mov; 3];
        let mut progs = vec![ProgCode { name: "a", sec_name: "sec", sec_insn_off: 0, insns: &mut a, autoload: true }];
        assert_eq!(relocate_object(&l, &bad, &mut progs, &targets).unwrap_err(), Error::INVAL);
    }
}
