//! ELF files stored in zip archives (an APK's native libraries): uprobes
//! on `archive.zip!/lib/libfoo.so` probe the archive file at the member's
//! data offset plus the function's offset in the member. Only members
//! stored uncompressed can be probed. Pure: works on the archive's bytes.

use crate::error::{Error, Result};

const EOCD_SIG: u32 = 0x0605_4b50;
const CD_SIG: u32 = 0x0201_4b50;
const LOCAL_SIG: u32 = 0x0403_4b50;
const EOCD_LEN: usize = 22;
const CD_LEN: usize = 46;
const LOCAL_LEN: usize = 30;
const FLAG_ENCRYPTED: u16 = 1;

/// One member of an archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// 0: stored (uncompressed).
    pub compression: u16,
    /// Offset of the member's data in the archive.
    pub data_offset: usize,
    /// Size of the data as stored.
    pub data_len: usize,
}

fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(off..off.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(off..off.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// The offset and record count of the central directory (from the end of
/// central directory record, searched backwards over a trailing comment).
fn central_directory(b: &[u8]) -> Option<(usize, usize)> {
    let last = b.len().checked_sub(EOCD_LEN)?;
    let first = last.saturating_sub(u16::MAX as usize);
    (first..=last).rev().find_map(|at| {
        if u32_at(b, at)? != EOCD_SIG {
            return None;
        }
        // A single-disk archive: the directory starts on disk 0.
        if u16_at(b, at + 4)? != 0 || u16_at(b, at + 6)? != 0 {
            return None;
        }
        let records = u16_at(b, at + 10)? as usize;
        let offset = u32_at(b, at + 16)? as usize;
        Some((offset, records))
    })
}

/// The member named `name` of archive `b`. `EINVAL` for a damaged (or
/// multi-disk, or encrypted-member) archive, `ENOENT` when it has no such
/// member.
pub fn find_entry(b: &[u8], name: &str) -> Result<Entry> {
    let (mut at, records) = central_directory(b).ok_or(Error::INVAL)?;
    for _ in 0..records {
        if u32_at(b, at) != Some(CD_SIG) {
            return Err(Error::INVAL);
        }
        let field = |off: usize| u16_at(b, at + off).ok_or(Error::INVAL);
        let (flags, compression) = (field(8)?, field(10)?);
        let (name_len, extra_len, comment_len) = (
            field(28)? as usize,
            field(30)? as usize,
            field(32)? as usize,
        );
        let csize = u32_at(b, at + 20).ok_or(Error::INVAL)? as usize;
        let local = u32_at(b, at + 42).ok_or(Error::INVAL)? as usize;
        let this = b
            .get(at + CD_LEN..at + CD_LEN + name_len)
            .ok_or(Error::INVAL)?;
        if this == name.as_bytes() {
            if flags & FLAG_ENCRYPTED != 0 {
                return Err(Error::INVAL);
            }
            if u32_at(b, local) != Some(LOCAL_SIG) {
                return Err(Error::INVAL);
            }
            let lname = u16_at(b, local + 26).ok_or(Error::INVAL)? as usize;
            let lextra = u16_at(b, local + 28).ok_or(Error::INVAL)? as usize;
            let data_offset = local + LOCAL_LEN + lname + lextra;
            if data_offset
                .checked_add(csize)
                .is_none_or(|end| end > b.len())
            {
                return Err(Error::INVAL);
            }
            return Ok(Entry {
                compression,
                data_offset,
                data_len: csize,
            });
        }
        at += CD_LEN + name_len + extra_len + comment_len;
    }
    Err(Error::NOENT)
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// A stored (uncompressed) archive of the given members.
    pub fn archive(members: &[(&str, &[u8], u16)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut cd = Vec::new();
        for (name, data, compression) in members {
            let local = out.len() as u32;
            out.extend_from_slice(&LOCAL_SIG.to_le_bytes());
            out.extend_from_slice(&[20, 0, 0, 0]);
            out.extend_from_slice(&compression.to_le_bytes());
            out.extend_from_slice(&[0; 8]); // time, date, crc
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&3u16.to_le_bytes()); // extra
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&[0, 0, 0]);
            out.extend_from_slice(data);
            cd.extend_from_slice(&CD_SIG.to_le_bytes());
            cd.extend_from_slice(&[20, 0, 20, 0, 0, 0]);
            cd.extend_from_slice(&compression.to_le_bytes());
            cd.extend_from_slice(&[0; 8]);
            cd.extend_from_slice(&(data.len() as u32).to_le_bytes());
            cd.extend_from_slice(&(data.len() as u32).to_le_bytes());
            cd.extend_from_slice(&(name.len() as u16).to_le_bytes());
            cd.extend_from_slice(&[0; 12]); // extra, comment, disk, attrs
            cd.extend_from_slice(&local.to_le_bytes());
            cd.extend_from_slice(name.as_bytes());
        }
        let cd_off = out.len() as u32;
        out.extend_from_slice(&cd);
        out.extend_from_slice(&EOCD_SIG.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&(members.len() as u16).to_le_bytes());
        out.extend_from_slice(&(members.len() as u16).to_le_bytes());
        out.extend_from_slice(&(cd.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_off.to_le_bytes());
        out.extend_from_slice(&5u16.to_le_bytes());
        out.extend_from_slice(b"hello");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::archive;
    use super::*;

    #[test]
    fn members() {
        let a = archive(&[("lib/a.so", b"AAAA", 0), ("lib/b.so", b"BBBBBB", 8)]);
        let e = find_entry(&a, "lib/b.so").unwrap();
        assert_eq!(e.compression, 8);
        assert_eq!(&a[e.data_offset..e.data_offset + e.data_len], b"BBBBBB");
        let e = find_entry(&a, "lib/a.so").unwrap();
        assert_eq!(
            (e.compression, &a[e.data_offset..e.data_offset + 4]),
            (0, &b"AAAA"[..])
        );
        assert_eq!(find_entry(&a, "lib/c.so").unwrap_err(), Error::NOENT);
    }

    #[test]
    fn damaged_archives() {
        assert_eq!(find_entry(b"short", "x").unwrap_err(), Error::INVAL);
        let a = archive(&[("x", b"data", 0)]);
        for cut in 0..a.len() {
            let _ = find_entry(&a[..cut], "x");
        }
        let mut bad = a.clone();
        let cd_off = u32_at(&bad, bad.len() - 5 - 6).unwrap() as usize;
        bad[cd_off] ^= 0xff;
        assert_eq!(find_entry(&bad, "x").unwrap_err(), Error::INVAL);
    }
}
