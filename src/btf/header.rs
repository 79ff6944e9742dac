//! The BTF header: decoding (either byte order), bounds checks of the
//! sections it describes, and encoding.
//!
//! Layout of a blob: header (`hdr_len` bytes), then, at offsets relative to
//! the end of the header, the type section, the optional layout section
//! (libbpf 1.8 / Linux 7.0) and the string section.

use crate::error::{Error, Result};
use crate::uapi::btf::*;

/// A decoded header, in native byte order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub version: u8,
    pub flags: u8,
    pub hdr_len: u32,
    pub type_off: u32,
    pub type_len: u32,
    pub str_off: u32,
    pub str_len: u32,
    pub layout_off: u32,
    pub layout_len: u32,
    /// Header bytes past the fields this library knows (`hdr_len` > 32),
    /// kept to be written back unchanged.
    pub tail: Vec<u8>,
}

impl Header {
    /// The header libbpf 1.8 writes for BTF it builds: 32 bytes.
    pub fn new_v2() -> Header {
        Header {
            version: BTF_VERSION,
            flags: 0,
            hdr_len: BTF_HDR_LEN,
            type_off: 0,
            type_len: 0,
            str_off: 0,
            str_len: 0,
            layout_off: 0,
            layout_len: 0,
            tail: Vec::new(),
        }
    }

    /// Decodes and checks the header at the start of `data`. Returns the
    /// header and whether the data is in the other byte order.
    ///
    /// Errors: `EINVAL` for a short blob, a bad magic, a header or sections
    /// outside the blob, overlapping or misaligned sections; `EOPNOTSUPP` for
    /// a foreign-endian header of a length this library cannot swap.
    pub fn parse(data: &[u8]) -> Result<(Header, bool)> {
        if data.len() < BTF_HDR_LEN_V1 as usize {
            pr_debug!("BTF header not found");
            return Err(Error::INVAL);
        }
        let magic = u16::from_ne_bytes([data[0], data[1]]);
        let swapped = if magic == BTF_MAGIC {
            false
        } else if magic == BTF_MAGIC.swap_bytes() {
            true
        } else {
            pr_debug!("Invalid BTF magic: {magic:x}");
            return Err(Error::INVAL);
        };
        let word = |i: usize| -> u32 {
            let v = u32::from_ne_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
            if swapped {
                v.swap_bytes()
            } else {
                v
            }
        };
        let hdr_len = word(4);
        if swapped && hdr_len != BTF_HDR_LEN_V1 && hdr_len != BTF_HDR_LEN {
            pr_warn!("Can't load BTF with non-native endianness due to unsupported header length {hdr_len}");
            return Err(Error::NOT_SUPPORTED);
        }
        if hdr_len < BTF_HDR_LEN_V1 {
            pr_debug!("BTF header len {hdr_len} is too small");
            return Err(Error::INVAL);
        }
        if data.len() < hdr_len as usize {
            pr_debug!("BTF header len {hdr_len} larger than data size {}", data.len());
            return Err(Error::INVAL);
        }
        let has_layout = hdr_len >= BTF_HDR_LEN;
        let h = Header {
            version: data[2],
            flags: data[3],
            hdr_len,
            type_off: word(8),
            type_len: word(12),
            str_off: word(16),
            str_len: word(20),
            layout_off: if has_layout { word(24) } else { 0 },
            layout_len: if has_layout { word(28) } else { 0 },
            tail: if hdr_len > BTF_HDR_LEN { data[BTF_HDR_LEN as usize..hdr_len as usize].to_vec() } else { Vec::new() },
        };
        h.check_sections(data.len() as u64 - hdr_len as u64)?;
        Ok((h, swapped))
    }

    /// Checks that the sections fit in the `left` bytes after the header, do
    /// not overlap, and are aligned where records need it.
    fn check_sections(&self, left: u64) -> Result<()> {
        let (t0, t1) = (self.type_off as u64, self.type_off as u64 + self.type_len as u64);
        let (s0, s1) = (self.str_off as u64, self.str_off as u64 + self.str_len as u64);
        if s1 > left {
            pr_debug!("Invalid BTF total size: {}", left + self.hdr_len as u64);
            return Err(Error::INVAL);
        }
        if t1 > s0 {
            pr_debug!(
                "Invalid BTF data sections layout: type data at {} + {}, strings data at {} + {}",
                self.type_off,
                self.type_len,
                self.str_off,
                self.str_len
            );
            return Err(Error::INVAL);
        }
        if self.type_off % 4 != 0 {
            pr_debug!("BTF type section is not aligned to 4 bytes");
            return Err(Error::INVAL);
        }
        if self.layout_len != 0 {
            let (l0, l1) = (self.layout_off as u64, self.layout_off as u64 + self.layout_len as u64);
            let overlaps = |a0: u64, a1: u64| l0 < a1 && a0 < l1;
            if l1 > left || overlaps(t0, t1) || overlaps(s0, s1) || self.layout_off % 4 != 0 || self.layout_len % 4 != 0
            {
                pr_debug!("Invalid BTF layout section: {} + {}", self.layout_off, self.layout_len);
                return Err(Error::INVAL);
            }
        }
        Ok(())
    }

    /// Appends the encoded header (`hdr_len` bytes) to `out`, in the other
    /// byte order when `swap` is set.
    pub fn write(&self, out: &mut Vec<u8>, swap: bool) {
        let w = |v: u32| if swap { v.swap_bytes().to_ne_bytes() } else { v.to_ne_bytes() };
        let start = out.len();
        let magic = if swap { BTF_MAGIC.swap_bytes() } else { BTF_MAGIC };
        out.extend_from_slice(&magic.to_ne_bytes());
        out.push(self.version);
        out.push(self.flags);
        for v in [self.hdr_len, self.type_off, self.type_len, self.str_off, self.str_len] {
            out.extend_from_slice(&w(v));
        }
        if self.hdr_len >= BTF_HDR_LEN {
            out.extend_from_slice(&w(self.layout_off));
            out.extend_from_slice(&w(self.layout_len));
            out.extend_from_slice(&self.tail);
        }
        // A header of an unusual length between the known ones: zero-filled.
        out.resize(start + self.hdr_len as usize, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(fields: [u32; 5], hdr_len: u32, extra: usize) -> Vec<u8> {
        let mut h = Header::new_v2();
        h.hdr_len = hdr_len;
        (h.type_off, h.type_len, h.str_off, h.str_len) = (fields[0], fields[1], fields[2], fields[3]);
        let mut out = Vec::new();
        h.write(&mut out, false);
        out.truncate(hdr_len as usize);
        out.resize(out.len() + extra, 0);
        let _ = fields[4];
        out
    }

    #[test]
    fn round_trip_both_orders() {
        let mut h = Header::new_v2();
        (h.type_len, h.str_off, h.str_len) = (16, 16, 5);
        for swap in [false, true] {
            let mut out = Vec::new();
            h.write(&mut out, swap);
            assert_eq!(out.len(), 32);
            out.resize(32 + 21, 0);
            let (back, swapped) = Header::parse(&out).unwrap();
            assert_eq!((back, swapped), (h.clone(), swap));
        }
    }

    #[test]
    fn rejects_bad_layouts() {
        assert_eq!(Header::parse(&[0u8; 10]).err(), Some(Error::INVAL));
        assert_eq!(Header::parse(&blob([0, 4, 4, 1, 0], 24, 5)).map(|h| h.1), Ok(false));
        // strings past the end
        assert_eq!(Header::parse(&blob([0, 4, 4, 2, 0], 24, 5)).err(), Some(Error::INVAL));
        // types overlapping strings
        assert_eq!(Header::parse(&blob([0, 8, 4, 1, 0], 24, 9)).err(), Some(Error::INVAL));
        // misaligned types
        assert_eq!(Header::parse(&blob([2, 0, 4, 1, 0], 24, 5)).err(), Some(Error::INVAL));
        // header longer than the data
        let mut b = blob([0, 0, 0, 1, 0], 24, 1);
        b[4] = 200;
        assert_eq!(Header::parse(&b).err(), Some(Error::INVAL));
        // header shorter than the fields
        b[4] = 8;
        assert_eq!(Header::parse(&b).err(), Some(Error::INVAL));
        // foreign-endian header of an odd length
        let mut s = Vec::new();
        let mut h = Header::new_v2();
        h.hdr_len = 40;
        h.tail = vec![0; 8];
        h.write(&mut s, true);
        s.push(0);
        assert_eq!(Header::parse(&s).err(), Some(Error::NOT_SUPPORTED));
    }
}
