//! Rewriting the verifier's log after a failed load, so that a poisoned
//! instruction is explained in CO-RE terms instead of as a call to an
//! unknown helper.
//!
//! Three poison markers are recognized in the last ten lines of the log:
//! a failed CO-RE relocation (helper 195896080), a load of a map that was not
//! created (2001000000 + map index) and a call to an unresolved kfunc
//! (2002000000 + extern index). The two lines the verifier wrote about the
//! instruction are replaced by a description.

/// First poison helper id of an ldimm64 referencing a map that was not created.
pub const POISON_LDIMM64_MAP_BASE: i32 = 2_001_000_000;
/// First poison helper id of a call to an unresolved (weak) kfunc.
pub const POISON_CALL_KFUNC_BASE: i32 = 2_002_000_000;

/// What the log rewriter needs to know about the program.
pub trait LogContext {
    /// The formatted local spec of the CO-RE relocation at (final) instruction `insn_idx`.
    fn core_relo_spec(&self, insn_idx: usize) -> Option<String>;
    /// The name of map number `map_idx` of the object.
    fn map_name(&self, map_idx: usize) -> Option<String>;
    /// The name of extern number `ext_idx` of the object.
    fn extern_name(&self, ext_idx: usize) -> Option<String>;
}

/// Parses "123: (85) call unknown#NNN" into (123, NNN).
fn parse_call_line(line: &str) -> Option<(usize, i64)> {
    let line = line.strip_suffix('\n').unwrap_or(line);
    let (idx, rest) = line.split_once(": (")?;
    let idx = idx.trim_start().parse::<usize>().ok()?;
    let (code, rest) = rest.split_once(") call unknown#")?;
    code.trim().parse::<i64>().ok()?;
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect();
    Some((idx, digits.parse().ok()?))
}

/// Returns the log with the recognized poisoned instruction explained, or
/// `None` when the log has no such pattern (or the context cannot tell).
pub fn fixup_verifier_log(log: &str, ctx: &dyn LogContext) -> Option<String> {
    // line starts, last line last
    let mut starts: Vec<usize> = vec![0];
    for (i, b) in log.bytes().enumerate() {
        if b == b'\n' && i + 1 < log.len() {
            starts.push(i + 1);
        }
    }
    if log.is_empty() {
        return None;
    }
    let n = starts.len();
    for k in 0..n.min(10) {
        let cur = n - 1 - k;
        let cur_start = starts[cur];
        let next_start = if cur + 1 < n { starts[cur + 1] } else { log.len() };
        let cur_line = &log[cur_start..next_start];
        let Some(rest) = cur_line.strip_prefix("invalid func unknown#") else { continue };
        if cur == 0 {
            continue;
        }
        let prev_start = starts[cur - 1];
        let prev_line = &log[prev_start..cur_start];
        let patch = if rest.starts_with("195896080\n") {
            let (insn_idx, _) = parse_call_line(prev_line)?;
            let spec = ctx.core_relo_spec(insn_idx)?;
            let ellipsis = if spec.len() >= 255 { "..." } else { "" };
            format!("{insn_idx}: <invalid CO-RE relocation>\nfailed to resolve CO-RE relocation {spec}{ellipsis}\n")
        } else if rest.starts_with("200100") {
            let (insn_idx, id) = parse_call_line(prev_line)?;
            let map_idx = usize::try_from(id - i64::from(POISON_LDIMM64_MAP_BASE)).ok()?;
            let name = ctx.map_name(map_idx)?;
            format!("{insn_idx}: <invalid BPF map reference>\nBPF map '{name}' is referenced but wasn't created\n")
        } else if rest.starts_with("2002") {
            let (insn_idx, id) = parse_call_line(prev_line)?;
            let ext_idx = usize::try_from(id - i64::from(POISON_CALL_KFUNC_BASE)).ok()?;
            let name = ctx.extern_name(ext_idx)?;
            format!("{insn_idx}: <invalid kfunc call>\nkfunc '{name}' is referenced but wasn't resolved\n")
        } else {
            continue;
        };
        let mut out = String::with_capacity(log.len() + patch.len());
        out.push_str(&log[..prev_start]);
        out.push_str(&patch);
        out.push_str(&log[next_start..]);
        return Some(out);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Ctx;
    impl LogContext for Ctx {
        fn core_relo_spec(&self, insn_idx: usize) -> Option<String> {
            (insn_idx == 5).then(|| "<byte_off> [7] struct task_struct.nope (0:99 @ offset 0)".to_string())
        }
        fn map_name(&self, map_idx: usize) -> Option<String> {
            (map_idx == 3).then(|| "my_map".to_string())
        }
        fn extern_name(&self, ext_idx: usize) -> Option<String> {
            (ext_idx == 1).then(|| "bpf_kfunc_x".to_string())
        }
    }

    #[test]
    fn core_relo_is_explained() {
        let log = "func#0 @0\n4: (b7) r1 = 0\n5: (85) call unknown#195896080\ninvalid func unknown#195896080\nprocessed 6 insns\n";
        let out = fixup_verifier_log(log, &Ctx).unwrap();
        assert_eq!(
            out,
            "func#0 @0\n4: (b7) r1 = 0\n5: <invalid CO-RE relocation>\nfailed to resolve CO-RE relocation <byte_off> [7] struct task_struct.nope (0:99 @ offset 0)\nprocessed 6 insns\n"
        );
    }

    #[test]
    fn map_and_kfunc() {
        let log = "0: (85) call unknown#2001000003\ninvalid func unknown#2001000003\n";
        assert_eq!(
            fixup_verifier_log(log, &Ctx).unwrap(),
            "0: <invalid BPF map reference>\nBPF map 'my_map' is referenced but wasn't created\n"
        );
        let log = "2: (85) call unknown#2002000001\ninvalid func unknown#2002000001\n";
        assert_eq!(
            fixup_verifier_log(log, &Ctx).unwrap(),
            "2: <invalid kfunc call>\nkfunc 'bpf_kfunc_x' is referenced but wasn't resolved\n"
        );
    }

    #[test]
    fn other_logs_untouched() {
        assert_eq!(fixup_verifier_log("", &Ctx), None);
        assert_eq!(fixup_verifier_log("R1 invalid mem access\n", &Ctx), None);
        assert_eq!(fixup_verifier_log("invalid func unknown#195896080\n", &Ctx), None);
    }
}
