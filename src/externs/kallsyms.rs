//! `/proc/kallsyms` parsing (pure): `<hex address> <type> <name> [\[module\]]`
//! per line, as libbpf's `fscanf("%llx %c %499s%*[^\n]\n")` reads it.

use crate::error::{Error, Result};

/// One kallsyms entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KSym<'a> {
    pub addr: u64,
    pub kind: char,
    pub name: &'a str,
}

/// Parses one line; `None` for a malformed one.
pub fn parse_line(line: &str) -> Option<KSym<'_>> {
    let mut it = line.split_ascii_whitespace();
    let addr = u64::from_str_radix(it.next()?, 16).ok()?;
    let kind_s = it.next()?;
    let mut kc = kind_s.chars();
    let kind = kc.next()?;
    if kc.next().is_some() {
        return None;
    }
    let name = it.next()?;
    // libbpf reads at most 499 bytes of a name
    let name = if name.len() > 499 {
        let mut end = 499;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        &name[..end]
    } else {
        name
    };
    Some(KSym { addr, kind, name })
}

/// Calls `f` for every entry of a kallsyms text, stopping at its first
/// error. A malformed line fails with `EINVAL` (logged).
pub fn for_each(text: &str, mut f: impl FnMut(&KSym<'_>) -> Result<()>) -> Result<()> {
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let Some(sym) = parse_line(line) else {
            pr_warn!("failed to read kallsyms entry: {}", line);
            return Err(Error::INVAL);
        };
        f(&sym)?;
    }
    Ok(())
}

/// Looks up `names` in a kallsyms text without decoding every line: only
/// the lines whose symbol field ends like one of the names are decoded as
/// `<address> <type> <name>` (such a line that does not decode is an error,
/// `EINVAL`, logged). For each line whose symbol is `names[i]`, in text
/// order, calls `f(i, address)`.
pub fn lookup(text: &[u8], names: &[&str], mut f: impl FnMut(usize, u64) -> Result<()>) -> Result<()> {
    let Ok(text) = core::str::from_utf8(text) else {
        // not ASCII: decode line by line
        let text = String::from_utf8_lossy(text);
        return for_each(&text, |s| {
            for (i, n) in names.iter().enumerate() {
                if s.name == *n {
                    f(i, s.addr)?;
                }
            }
            Ok(())
        });
    };
    for line in text.split('\n') {
        // the symbol field ends the line, or is followed by "\t[module]"
        let field_end = if line.ends_with(']') { line.find('\t').unwrap_or(line.len()) } else { line.len() };
        let head = &line[..field_end];
        for (i, name) in names.iter().enumerate() {
            let n = name.len();
            if n == 0 || head.len() <= n || head.as_bytes()[head.len() - n - 1] != b' ' || !head.ends_with(name) {
                continue;
            }
            let Some(sym) = parse_line(line) else {
                pr_warn!("failed to read kallsyms entry: {}", line);
                return Err(Error::INVAL);
            };
            if sym.name == *name {
                f(i, sym.addr)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        assert_eq!(
            parse_line("ffffffff81000000 T _stext"),
            Some(KSym { addr: 0xffffffff81000000, kind: 'T', name: "_stext" })
        );
        assert_eq!(
            parse_line("ffffffffc0a01000 t foo_init\t[foo_mod]"),
            Some(KSym { addr: 0xffffffffc0a01000, kind: 't', name: "foo_init" })
        );
        assert_eq!(parse_line("zz T x"), None);
        assert_eq!(parse_line("0 T"), None);
        let mut n = 0;
        for_each("1 T a\n2 D b\n", |s| {
            n += s.addr;
            Ok(())
        })
        .unwrap();
        assert_eq!(n, 3);
        assert_eq!(for_each("1 T a\nbad\n", |_| Ok(())), Err(Error::INVAL));
        let mut found = vec![];
        lookup(b"1 T a\nff D b\t[mod]\n3 t ab\n", &["b", "zz", "a"], |i, a| {
            found.push((i, a));
            Ok(())
        })
        .unwrap();
        assert_eq!(found, [(2, 1), (0, 0xff)]);
        assert_eq!(lookup(b"zz T a\n", &["a"], |_, _| Ok(())), Err(Error::INVAL));
        // a name inside another name, or in the module field, does not count
        let mut n = 0;
        lookup(b"1 T xa_b\n2 T b_a\n3 t foo\t[a]\n4 T a\n", &["a"], |_, addr| {
            n += addr;
            Ok(())
        })
        .unwrap();
        assert_eq!(n, 4);
    }
}
