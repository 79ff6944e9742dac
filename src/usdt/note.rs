//! `.note.stapsdt`: the ELF notes in which `<sys/sdt.h>` records each
//! probe site.
//!
//! Each note is owned by `"stapsdt"`, has type 3, and its descriptor holds
//! three addresses (the probe's location, the link-time address of
//! `.stapsdt.base`, and the semaphore, 0 if none) followed by three
//! NUL-terminated strings: provider, probe name and argument specs.

use crate::error::{Error, Result};

/// `NT_STAPSDT`.
pub const NOTE_TYPE: u32 = 3;
/// The owner name of probe notes.
pub const NOTE_NAME: &[u8] = b"stapsdt";

/// One probe site as recorded by its note (addresses as link-time values).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub provider: String,
    pub name: String,
    /// Argument specs (empty when the probe has none).
    pub args: String,
    pub loc_addr: u64,
    pub base_addr: u64,
    pub sema_addr: u64,
}

/// One raw note: owner name bytes (as stored, `namesz` long), type, descriptor.
#[derive(Clone, Copy, Debug)]
pub struct RawNote<'a> {
    pub name: &'a [u8],
    pub kind: u32,
    pub desc: &'a [u8],
}

fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(off..off.checked_add(4)?)?.try_into().ok()?))
}

fn u64_at(b: &[u8], off: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(off..off.checked_add(8)?)?.try_into().ok()?))
}

fn align(v: usize, a: usize) -> Option<usize> {
    v.checked_add(a - 1).map(|x| x & !(a - 1))
}

/// The notes of a note section's bytes, names and descriptors padded to
/// `align` (4, or 8 for sections aligned to 8). Iteration ends at the first
/// note that does not fit, as libelf's `gelf_getnote()` does.
pub fn raw_notes(data: &[u8], align_to: u64) -> Vec<RawNote<'_>> {
    let a = if align_to == 8 { 8 } else { 4 };
    let mut out = Vec::new();
    let mut off = 0usize;
    while let (Some(namesz), Some(descsz), Some(kind)) = (u32_at(data, off), u32_at(data, off + 4), u32_at(data, off + 8)) {
        let name_off = off + 12;
        let Some(desc_off) = name_off.checked_add(namesz as usize).and_then(|v| align(v, a)) else { break };
        let Some(end) = desc_off.checked_add(descsz as usize).and_then(|v| align(v, a)) else { break };
        let (Some(name), Some(desc)) = (data.get(name_off..name_off + namesz as usize), data.get(desc_off..desc_off + descsz as usize)) else {
            break;
        };
        out.push(RawNote { name, kind, desc });
        if end > data.len() || end <= off {
            break;
        }
        off = end;
    }
    out
}

/// C's `strncmp(a, b, n) == 0` where `a` is the bytes available.
fn strncmp_eq(a: &[u8], b: &[u8], n: usize) -> bool {
    for i in 0..n {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        if x != y {
            return false;
        }
        if x == 0 {
            return true;
        }
    }
    true
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Decodes one probe note; `EINVAL` when it is not a well-formed probe
/// note (other owner or type, descriptor too short, strings not
/// terminated, empty probe name).
pub fn parse(raw: &RawNote<'_>) -> Result<Note> {
    if !strncmp_eq(raw.name, NOTE_NAME, raw.name.len()) || raw.kind != NOTE_TYPE {
        return Err(Error::INVAL);
    }
    let d = raw.desc;
    // Three addresses and, at least, three empty strings.
    if d.len() < 24 + 3 {
        return Err(Error::INVAL);
    }
    let (loc_addr, base_addr, sema_addr) = (u64_at(d, 0).unwrap_or(0), u64_at(d, 8).unwrap_or(0), u64_at(d, 16).unwrap_or(0));
    let strs = &d[24..];
    let p_end = strs.iter().position(|&c| c == 0).ok_or(Error::INVAL)?;
    let name_start = p_end + 1;
    if name_start >= strs.len() || strs[name_start] == 0 {
        return Err(Error::INVAL);
    }
    let n_end = name_start + strs[name_start..].iter().position(|&c| c == 0).ok_or(Error::INVAL)?;
    let args_start = n_end + 1;
    if args_start >= strs.len() {
        return Err(Error::INVAL);
    }
    let args_bytes = &strs[args_start..];
    let args_bytes = &args_bytes[..args_bytes.iter().position(|&c| c == 0).unwrap_or(args_bytes.len())];
    let args = if args_bytes.first() == Some(&b':') { String::new() } else { lossy(args_bytes) };
    Ok(Note { provider: lossy(&strs[..p_end]), name: lossy(&strs[name_start..n_end]), args, loc_addr, base_addr, sema_addr })
}

/// Builds the bytes of one probe note (for tests and tools).
pub fn build(loc: u64, base: u64, sema: u64, provider: &str, name: &str, args: &str) -> Vec<u8> {
    let mut desc = Vec::new();
    for v in [loc, base, sema] {
        desc.extend_from_slice(&v.to_le_bytes());
    }
    for s in [provider, name, args] {
        desc.extend_from_slice(s.as_bytes());
        desc.push(0);
    }
    let mut out = Vec::new();
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&(desc.len() as u32).to_le_bytes());
    out.extend_from_slice(&NOTE_TYPE.to_le_bytes());
    out.extend_from_slice(b"stapsdt\0");
    out.extend_from_slice(&desc);
    while out.len() % 4 != 0 {
        out.push(0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut sec = build(0x1160, 0x2004, 0, "test", "four", "-4@%edi -8@%rsi");
        sec.extend(build(0x117a, 0x2004, 0x4014, "test", "sema1", ""));
        let notes: Vec<Note> = raw_notes(&sec, 4).iter().map(|r| parse(r).unwrap()).collect();
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[0].provider, "test");
        assert_eq!(notes[0].name, "four");
        assert_eq!(notes[0].args, "-4@%edi -8@%rsi");
        assert_eq!((notes[0].loc_addr, notes[0].base_addr, notes[0].sema_addr), (0x1160, 0x2004, 0));
        assert_eq!(notes[1].sema_addr, 0x4014);
        assert_eq!(notes[1].args, "");
    }

    #[test]
    fn malformed_notes() {
        let good = build(1, 2, 3, "p", "n", "8@%rax");
        let raw = raw_notes(&good, 4)[0];
        // Another owner or type.
        assert_eq!(parse(&RawNote { name: b"GNU\0", ..raw }), Err(Error::INVAL));
        assert_eq!(parse(&RawNote { kind: 1, ..raw }), Err(Error::INVAL));
        // Short descriptor, unterminated provider, empty name, missing args.
        assert_eq!(parse(&RawNote { desc: &raw.desc[..26], ..raw }), Err(Error::INVAL));
        let mut d = vec![0u8; 24];
        d.extend_from_slice(b"prov");
        assert_eq!(parse(&RawNote { desc: &d, ..raw }), Err(Error::INVAL));
        let mut d = vec![0u8; 24];
        d.extend_from_slice(b"p\0\0\0");
        assert_eq!(parse(&RawNote { desc: &d, ..raw }), Err(Error::INVAL));
        let mut d = vec![0u8; 24];
        d.extend_from_slice(b"p\0nm\0");
        assert_eq!(parse(&RawNote { desc: &d, ..raw }), Err(Error::INVAL));
        let mut d = vec![0u8; 24];
        d.extend_from_slice(b"p\0nm");
        assert_eq!(parse(&RawNote { desc: &d, ..raw }), Err(Error::INVAL));
        // Args starting with ':' count as none; unterminated args end with the note.
        let mut d = vec![0u8; 24];
        d.extend_from_slice(b"p\0n\0:x\0");
        assert_eq!(parse(&RawNote { desc: &d, ..raw }).unwrap().args, "");
        let mut d = vec![0u8; 24];
        d.extend_from_slice(b"p\0n\x008@%rax");
        assert_eq!(parse(&RawNote { desc: &d, ..raw }).unwrap().args, "8@%rax");
    }

    #[test]
    fn truncated_sections_stop_iteration() {
        let good = build(1, 2, 3, "p", "n", "8@%rax");
        for cut in 0..good.len() {
            let notes = raw_notes(&good[..cut], 4);
            assert!(notes.is_empty() || cut >= good.len() - 3, "cut {cut}");
        }
        // Huge sizes never overflow.
        let mut bad = Vec::new();
        for v in [u32::MAX, u32::MAX, 3] {
            bad.extend_from_slice(&v.to_le_bytes());
        }
        assert!(raw_notes(&bad, 4).is_empty());
        assert!(raw_notes(&bad, 8).is_empty());
    }
}
