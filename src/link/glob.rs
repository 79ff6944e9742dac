//! The patterns of multi-probe attachment (kprobe_multi, uprobe_multi,
//! tracing_multi): `*` matches any run of characters (also empty), `?`
//! exactly one character, anything else itself. The whole name must match.

/// Whether `name` matches `pattern`.
pub fn matches(name: &[u8], pattern: &[u8]) -> bool {
    // Greedy matching with one back-tracking point: the last `*` seen and
    // where in `name` it started matching.
    let (mut n, mut p) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, n));
                p += 1;
            }
            Some(&c) if c == b'?' || c == name[n] => {
                n += 1;
                p += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    // Let the last `*` swallow one more character.
                    p = sp + 1;
                    n = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p.min(pattern.len())..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn literal_and_wildcards() {
        assert!(matches(b"do_nanosleep", b"do_nanosleep"));
        assert!(!matches(b"do_nanosleep2", b"do_nanosleep"));
        assert!(!matches(b"do_nanoslee", b"do_nanosleep"));
        assert!(matches(b"do_nanosleep", b"do_*"));
        assert!(matches(b"do_", b"do_*"));
        assert!(matches(b"anything", b"*"));
        assert!(matches(b"", b"*"));
        assert!(!matches(b"", b"?"));
        assert!(matches(b"abc", b"a?c"));
        assert!(!matches(b"abbc", b"a?c"));
        assert!(matches(b"bpf_fentry_test1", b"bpf_*_test?"));
        assert!(matches(b"xaxbxc", b"*x*c"));
        assert!(!matches(b"xaxbxd", b"*x*c"));
        assert!(matches(b"aaa", b"a**a"));
        assert!(matches(b"mississippi", b"m*iss*ppi"));
        assert!(!matches(b"mississippi", b"m*iss*ppx"));
    }

    #[test]
    fn long_inputs_stay_linear_enough() {
        let name = vec![b'a'; 5000];
        let mut pat = b"*a*a*a*a*".to_vec();
        pat.push(b'b');
        assert!(!matches(&name, &pat));
    }
}
