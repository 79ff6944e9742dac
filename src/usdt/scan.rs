//! A small `sscanf` subset, enough to read USDT argument specs with the
//! same acceptance rules as C's scanf family (which is what decides, in
//! libbpf, whether `-4@-8(%rbp)` is a memory reference and `8@%rax` a
//! register). Patterns are written as a list of [`Tok`]s; matching returns
//! the values converted so far and where the input stopped, like scanf's
//! return count and `%n`.

/// One element of a pattern.
#[derive(Clone, Copy, Debug)]
pub enum Tok {
    /// A space in the format: skips any amount of white space (even none).
    Ws,
    /// A literal character (`@`, `(`, `,`, `)`, `$`, `%`). Like C's `%%`,
    /// a literal `%` skips leading white space first.
    Lit(u8),
    /// `%d` / `%ld`: optional sign and decimal digits, after white space.
    Int,
    /// `%<max>[^<stop>]`: 1..=max bytes other than `stop` (no white space skip).
    Until { max: usize, stop: u8 },
    /// `%<max>s`: 1..=max bytes that are not white space, after white space.
    Word { max: usize },
}

/// A converted value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val {
    Int(i64),
    Str(String),
}

/// The outcome of matching a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scan {
    /// Values converted, in order (their count is scanf's return value).
    pub vals: Vec<Val>,
    /// Bytes consumed when the whole pattern matched (`%n` at the end).
    pub consumed: Option<usize>,
    /// Bytes consumed where matching stopped (equal to `consumed` on success).
    pub stopped_at: usize,
}

impl Scan {
    pub fn count(&self) -> usize {
        self.vals.len()
    }

    pub fn int(&self, i: usize) -> i64 {
        match self.vals.get(i) {
            Some(Val::Int(v)) => *v,
            _ => 0,
        }
    }

    pub fn str(&self, i: usize) -> &str {
        match self.vals.get(i) {
            Some(Val::Str(s)) => s,
            _ => "",
        }
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// Decimal conversion with C's rules: sign, digits, saturation at the
/// bounds of `long` (as `strtol` does).
fn int_at(s: &[u8], mut i: usize) -> Option<(i64, usize)> {
    let neg = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let start = i;
    let mut mag: u64 = 0;
    let mut overflow = false;
    while let Some(&c) = s.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        match mag.checked_mul(10).and_then(|m| m.checked_add(u64::from(c - b'0'))) {
            Some(m) => mag = m,
            None => overflow = true,
        }
        i += 1;
    }
    if i == start {
        return None;
    }
    let v = if neg {
        if overflow || mag > (i64::MAX as u64) + 1 {
            i64::MIN
        } else {
            (mag as i64).wrapping_neg()
        }
    } else if overflow || mag > i64::MAX as u64 {
        i64::MAX
    } else {
        mag as i64
    };
    Some((v, i))
}

/// Matches `pat` against the start of `s`.
pub fn scan(s: &[u8], pat: &[Tok]) -> Scan {
    let mut vals = Vec::new();
    let mut i = 0;
    let skip_ws = |mut i: usize| {
        while s.get(i).is_some_and(|&c| is_space(c)) {
            i += 1;
        }
        i
    };
    for tok in pat {
        match *tok {
            Tok::Ws => i = skip_ws(i),
            Tok::Lit(c) => {
                let j = if c == b'%' { skip_ws(i) } else { i };
                if s.get(j) != Some(&c) {
                    return Scan { vals, consumed: None, stopped_at: i };
                }
                i = j + 1;
            }
            Tok::Int => {
                let j = skip_ws(i);
                match int_at(s, j) {
                    Some((v, end)) => {
                        vals.push(Val::Int(v));
                        i = end;
                    }
                    None => return Scan { vals, consumed: None, stopped_at: i },
                }
            }
            Tok::Until { max, stop } => {
                let n = s[i.min(s.len())..].iter().take(max).take_while(|&&c| c != stop && c != 0).count();
                if n == 0 {
                    return Scan { vals, consumed: None, stopped_at: i };
                }
                vals.push(Val::Str(String::from_utf8_lossy(&s[i..i + n]).into_owned()));
                i += n;
            }
            Tok::Word { max } => {
                let j = skip_ws(i);
                let n = s[j.min(s.len())..].iter().take(max).take_while(|&&c| !is_space(c) && c != 0).count();
                if n == 0 {
                    return Scan { vals, consumed: None, stopped_at: i };
                }
                vals.push(Val::Str(String::from_utf8_lossy(&s[j..j + n]).into_owned()));
                i = j + n;
            }
        }
    }
    Scan { vals, consumed: Some(i), stopped_at: i }
}

#[cfg(test)]
mod tests {
    use super::Tok::*;
    use super::*;

    #[test]
    fn ints_follow_strtol() {
        let p = [Ws, Int, Ws, Lit(b'@')];
        let r = scan(b"  -8 @", &p);
        assert_eq!(r.vals, vec![Val::Int(-8)]);
        assert_eq!(r.consumed, Some(6));
        assert_eq!(scan(b"+4@", &p).int(0), 4);
        assert_eq!(scan(b"99999999999999999999@", &p).int(0), i64::MAX);
        assert_eq!(scan(b"-99999999999999999999@", &p).int(0), i64::MIN);
        assert_eq!(scan(b"-9223372036854775808@", &p).int(0), i64::MIN);
        let r = scan(b"x@", &p);
        assert_eq!(r.count(), 0);
        assert_eq!(r.consumed, None);
        let r = scan(b"-@", &p);
        assert_eq!(r.count(), 0);
    }

    #[test]
    fn sets_and_words() {
        let p = [Lit(b'('), Lit(b'%'), Until { max: 15, stop: b')' }, Lit(b')'), Ws];
        let r = scan(b"(%rbp) next", &p);
        assert_eq!(r.str(0), "rbp");
        assert_eq!(r.consumed, Some(7));
        // At most 15 bytes are taken, then the ')' does not match.
        let r = scan(b"(%abcdefghijklmnopq)", &p);
        assert_eq!(r.str(0), "abcdefghijklmno");
        assert_eq!(r.consumed, None);
        assert_eq!(r.count(), 1);
        // An empty set conversion fails.
        assert_eq!(scan(b"(%)", &p).count(), 0);
        let w = [Lit(b'%'), Word { max: 15 }, Ws];
        let r = scan(b"%eax  -4@$5", &w);
        assert_eq!(r.str(0), "eax");
        assert_eq!(r.consumed, Some(6));
        // A literal '%' skips white space before it, like C's "%%".
        assert_eq!(scan(b"  %r8", &w).str(0), "r8");
    }

    #[test]
    fn stops_at_the_end() {
        let p = [Int, Lit(b'@'), Lit(b'$'), Int];
        let r = scan(b"4@$", &p);
        assert_eq!(r.count(), 1);
        assert_eq!(r.stopped_at, 3);
        let r = scan(b"", &p);
        assert_eq!(r.count(), 0);
    }
}
