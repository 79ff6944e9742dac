//! Resolving one relocation against its candidates, and the per-object
//! driver that relocates instructions.
//!
//! Every matching candidate must agree (same bit offset, same decision, same
//! value), otherwise the relocation is ambiguous and fails. Candidates that
//! do not match are dropped from the cached list of their local type for the
//! following relocations, as libbpf does (unless none matched: then the list
//! is kept and the relocation resolves to "not found").

use std::collections::HashMap;

use super::calc::{calc_relo, RelocResult};
use super::cands::{find_cands, Cand, Targets};
use super::kind::{self, CoreRelo};
use super::patch::patch_insn;
use super::spec::{format_spec, parse_spec, Spec};
use super::view::{self, TypeView};
use crate::error::{Error, Result};
use crate::uapi::bpf::bpf_insn;

/// Computes the result of relocation `relo` (number `relo_idx` in its
/// section, for logs) of program `prog_name`, given its candidate list,
/// which it prunes to the matching candidates. This is the pure core:
/// local BTF, target BTFs and the record in, a [`RelocResult`] out.
pub fn resolve_relo(
    prog_name: &str,
    relo: &CoreRelo,
    relo_idx: usize,
    local: &dyn TypeView,
    targets: &Targets,
    cands: &mut Vec<Cand>,
) -> Result<RelocResult> {
    let local_id = relo.type_id;
    let local_name = local.name(local_id);
    let local_spec = match parse_spec(prog_name, local, relo) {
        Ok(s) => s,
        Err(e) => {
            let spec_str = local.str_at(relo.access_str_off).unwrap_or("<?>");
            pr_warn!(
                "prog '{}': relo #{}: parsing [{}] {} {} + {} failed: {}",
                prog_name,
                relo_idx,
                local_id,
                view::kind_str(local.kind(local_id)),
                if local_name.is_empty() { "<anon>" } else { local_name },
                spec_str,
                e.neg()
            );
            return Err(Error::INVAL);
        }
    };
    pr_debug!("prog '{}': relo #{}: {}", prog_name, relo_idx, format_spec(&local_spec));

    if relo.kind == kind::TYPE_ID_LOCAL {
        // the local id may have changed during linking: not checked
        let id = u64::from(local_spec.root_type_id);
        return Ok(RelocResult { orig_val: id, new_val: id, ..Default::default() });
    }
    if local_name.is_empty() {
        pr_warn!(
            "prog '{}': relo #{}: <{}> ({}) relocation doesn't support anonymous types",
            prog_name,
            relo_idx,
            kind::kind_str(relo.kind),
            relo.kind
        );
        return Err(Error::NOT_SUPPORTED);
    }

    let mut chosen: Option<(RelocResult, u32)> = None;
    let mut kept = Vec::with_capacity(cands.len());
    for (i, &(t, id)) in cands.iter().enumerate() {
        let targ = targets.get(t).ok_or(Error::INVAL)?;
        let (matched, cand_spec) = match super::matching::spec_match(&local_spec, &*targ.btf, id) {
            Ok(r) => r,
            Err(e) => {
                let partial = Spec::new(&*targ.btf, id, relo.kind);
                pr_warn!(
                    "prog '{}': relo #{}: error matching candidate #{} {}: {}",
                    prog_name,
                    relo_idx,
                    i,
                    format_spec(&partial),
                    e.neg()
                );
                return Err(e);
            }
        };
        pr_debug!(
            "prog '{}': relo #{}: {} candidate #{} {}",
            prog_name,
            relo_idx,
            if matched { "matching" } else { "non-matching" },
            i,
            format_spec(&cand_spec)
        );
        if !matched {
            continue;
        }
        let res = calc_relo(prog_name, relo, relo_idx, &local_spec, Some(&cand_spec))?;
        match &chosen {
            None => chosen = Some((res, cand_spec.bit_offset)),
            Some((first, bit_offset)) => {
                if cand_spec.bit_offset != *bit_offset {
                    pr_warn!(
                        "prog '{}': relo #{}: field offset ambiguity: {} != {}",
                        prog_name,
                        relo_idx,
                        cand_spec.bit_offset,
                        bit_offset
                    );
                    return Err(Error::INVAL);
                }
                if res.poison != first.poison || res.new_val != first.new_val {
                    pr_warn!(
                        "prog '{}': relo #{}: relocation decision ambiguity: {} {} != {} {}",
                        prog_name,
                        relo_idx,
                        if res.poison { "failure" } else { "success" },
                        res.new_val,
                        if first.poison { "failure" } else { "success" },
                        first.new_val
                    );
                    return Err(Error::INVAL);
                }
            }
        }
        kept.push((t, id));
    }

    if let Some((res, _)) = chosen {
        *cands = kept;
        return Ok(res);
    }
    // No candidate: expected for existence checks and guarded code; other
    // kinds poison their instruction (see `patch`).
    pr_debug!("prog '{}': relo #{}: no matching targets found", prog_name, relo_idx);
    calc_relo(prog_name, relo, relo_idx, &local_spec, None)
}

/// Relocates the instructions of one object's programs, sharing the
/// candidate lists per local type id across all its relocations.
pub struct CoreRelocator<'a> {
    local: &'a dyn TypeView,
    targets: &'a Targets,
    cands: HashMap<u32, Vec<Cand>>,
}

impl<'a> CoreRelocator<'a> {
    /// A relocator for an object whose BTF is `local`.
    pub fn new(local: &'a dyn TypeView, targets: &'a Targets) -> CoreRelocator<'a> {
        CoreRelocator { local, targets, cands: HashMap::new() }
    }

    /// Computes relocation `relo` (without patching anything).
    pub fn resolve(&mut self, prog_name: &str, relo: &CoreRelo, relo_idx: usize) -> Result<RelocResult> {
        let local_id = relo.type_id;
        if self.local.kind(local_id).is_none() {
            return Err(Error::INVAL);
        }
        if relo.kind == kind::TYPE_ID_LOCAL {
            return resolve_relo(prog_name, relo, relo_idx, self.local, self.targets, &mut Vec::new());
        }
        if !self.cands.contains_key(&local_id) {
            let found = find_cands(self.local, local_id, self.targets).map_err(|e| {
                let name = self.local.name(local_id);
                pr_warn!(
                    "prog '{}': relo #{}: target candidate search failed for [{}] {} {}: {}",
                    prog_name,
                    relo_idx,
                    local_id,
                    view::kind_str(self.local.kind(local_id)),
                    name,
                    e.neg()
                );
                e
            })?;
            self.cands.insert(local_id, found);
        }
        let cands = self.cands.get_mut(&local_id).ok_or(Error::INTERNAL)?;
        resolve_relo(prog_name, relo, relo_idx, self.local, self.targets, cands)
    }

    /// Resolves relocation `relo` and patches instruction `insn_idx` of a
    /// program's instructions. Errors are logged with the program's name and
    /// the relocation's number, as libbpf does.
    pub fn relocate(
        &mut self,
        prog_name: &str,
        insns: &mut [bpf_insn],
        insn_idx: usize,
        relo: &CoreRelo,
        relo_idx: usize,
    ) -> Result<()> {
        let res = self.resolve(prog_name, relo, relo_idx).map_err(|e| {
            pr_warn!("prog '{}': relo #{}: failed to relocate: {}", prog_name, relo_idx, e.neg());
            e
        })?;
        patch_insn(prog_name, insns, insn_idx, relo, relo_idx, &res).map_err(|e| {
            pr_warn!("prog '{}': relo #{}: failed to patch insn #{}: {}", prog_name, relo_idx, insn_idx, e.neg());
            e
        })
    }
}
