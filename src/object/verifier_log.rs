//! Post-processing of verifier logs: a reference to a map that was not
//! created shows up as a call of an unknown helper (see
//! [`super::reloc::POISON_LDIMM64_MAP_BASE`]); those lines are rewritten to
//! name the map, as libbpf does.

use super::reloc::POISON_LDIMM64_MAP_BASE;

/// Rewrites the last lines of the NUL-terminated log in `buf` in place
/// (truncating what no longer fits).
pub fn fixup(buf: &mut [u8], map_names: &[String]) {
    if buf.is_empty() {
        return;
    }
    let len = buf.iter().position(|&b| b == 0).unwrap_or(buf.len() - 1);
    let text = String::from_utf8_lossy(&buf[..len]).into_owned();
    let Some(new) = rewrite(&text, map_names) else { return };
    let n = new.len().min(buf.len() - 1);
    buf[..n].copy_from_slice(&new.as_bytes()[..n]);
    buf[n] = 0;
}

/// The log with the poisoned map reference explained, if the last ten
/// lines hold one.
pub fn rewrite(text: &str, map_names: &[String]) -> Option<String> {
    let pfx = format!("invalid func unknown#{}", POISON_LDIMM64_MAP_BASE / 1_000_000);
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for k in (lines.len().saturating_sub(10)..lines.len()).rev() {
        if !lines[k].starts_with(&pfx) || k == 0 {
            continue;
        }
        let call = lines[k - 1];
        let (idx, rest) = call.split_once(": (")?;
        let insn_idx: i64 = idx.trim().parse().ok()?;
        let helper: i64 = rest.split_once("call unknown#")?.1.trim().parse().ok()?;
        let map_idx = usize::try_from(helper - POISON_LDIMM64_MAP_BASE as i64).ok()?;
        let name = map_names.get(map_idx)?;
        let patch = format!("{insn_idx}: <invalid BPF map reference>\nBPF map '{name}' is referenced but wasn't created\n");
        let mut out: String = lines[..k - 1].concat();
        out.push_str(&patch);
        out.push_str(&lines[k + 1..].concat());
        return Some(out);
    }
    None
}

/// What the rewrite needs to know about program `prog` of an object: the
/// names of its maps and externs, the CO-RE relocations of its code.
pub struct LogCtx {
    maps: Vec<String>,
    externs: Vec<String>,
    core: Vec<(usize, String)>,
}

impl LogCtx {
    pub fn new(o: &super::Object, prog: usize) -> LogCtx {
        let p = &o.programs[prog];
        let name = p.name_str().into_owned();
        let core = match o.btf.as_deref() {
            Some(btf) => p
                .relos
                .iter()
                .filter(|r| r.kind == super::reloc::RelocKind::Core)
                .filter_map(|r| crate::relo::object::describe_relo(&name, btf, &r.core).map(|d| (r.insn_idx, d)))
                .collect(),
            None => Vec::new(),
        };
        LogCtx {
            maps: o.maps.iter().map(|m| m.name_str().into_owned()).collect(),
            externs: o.externs.iter().map(|e| e.name.clone()).collect(),
            core,
        }
    }
}

impl crate::relo::logfix::LogContext for LogCtx {
    fn core_relo_spec(&self, insn_idx: usize) -> Option<String> {
        self.core.iter().find(|c| c.0 == insn_idx).map(|c| c.1.clone())
    }
    fn map_name(&self, map_idx: usize) -> Option<String> {
        self.maps.get(map_idx).cloned()
    }
    fn extern_name(&self, ext_idx: usize) -> Option<String> {
        self.externs.get(ext_idx).cloned()
    }
}

/// [`fixup`] for every poisoned instruction kind (CO-RE relocations, maps
/// not created, unresolved kfuncs).
pub fn fixup_with(buf: &mut [u8], ctx: &LogCtx) {
    if buf.is_empty() {
        return;
    }
    let len = buf.iter().position(|&b| b == 0).unwrap_or(buf.len() - 1);
    let text = String::from_utf8_lossy(&buf[..len]).into_owned();
    let Some(new) = crate::relo::logfix::fixup_verifier_log(&text, ctx) else { return };
    let n = new.len().min(buf.len() - 1);
    buf[..n].copy_from_slice(&new.as_bytes()[..n]);
    buf[n] = 0;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_poisoned_map_loads() {
        let log = "0: R1=ctx() R10=fp0\n5: (85) call unknown#2001000001\ninvalid func unknown#2001000001\nprocessed 6 insns\n";
        let out = rewrite(log, &["a".into(), "skipped_map".into()]).unwrap();
        assert_eq!(
            out,
            "0: R1=ctx() R10=fp0\n5: <invalid BPF map reference>\nBPF map 'skipped_map' is referenced but wasn't created\nprocessed 6 insns\n"
        );
        assert!(rewrite("all good\n", &[]).is_none());
        let mut buf = [0u8; 40];
        buf[..log.len().min(39)].copy_from_slice(&log.as_bytes()[..39]);
        fixup(&mut buf, &[]);
    }
}
