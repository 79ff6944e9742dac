//! Serialising BTF: the raw bytes `btf__raw_data()` returns and the kernel
//! loads.
//!
//! Parsed, unmodified BTF in native order is returned exactly as it was
//! given (as libbpf does). Anything else is written out canonically: the
//! header (its original length, 32 bytes for built BTF), the types, the
//! layout section if any, then the strings, in the chosen byte order.

use super::data::{Btf, Store};
use crate::uapi::btf::*;

impl Btf {
    /// The raw bytes in this BTF's output byte order (see
    /// [`Btf::set_big_endian`]). Valid until the BTF is modified.
    pub fn raw_data(&self) -> &[u8] {
        self.raw_data_order(self.swapped)
    }

    /// The raw bytes in native byte order (what the kernel loads).
    pub fn raw_data_native(&self) -> &[u8] {
        self.raw_data_order(false)
    }

    fn raw_data_order(&self, swap: bool) -> &[u8] {
        if let (false, Store::Blob { blob, .. }) = (swap, &self.store) {
            return blob.bytes();
        }
        self.raw[swap as usize].get_or_init(|| self.serialize(swap))
    }

    /// Writes the canonical form.
    fn serialize(&self, swap: bool) -> Vec<u8> {
        let types = self.type_words();
        let strs = self.str_section();
        let layout_len = self.layouts.as_ref().map_or(0, |l| l.len() * 4) as u32;
        let mut hdr = self.hdr.clone();
        hdr.type_off = 0;
        hdr.type_len = (types.len() * 4) as u32;
        (hdr.layout_off, hdr.layout_len) = if layout_len > 0 { (hdr.type_len, layout_len) } else { (0, 0) };
        if hdr.hdr_len < BTF_HDR_LEN {
            (hdr.layout_off, hdr.layout_len) = (0, 0);
        }
        hdr.str_off = hdr.type_len + hdr.layout_len;
        hdr.str_len = strs.len() as u32;

        let total = hdr.hdr_len as usize + hdr.str_off as usize + strs.len();
        let mut out = Vec::with_capacity(total);
        hdr.write(&mut out, swap);
        if swap {
            out.extend(types.iter().flat_map(|w| w.swap_bytes().to_ne_bytes()));
        } else {
            out.extend_from_slice(crate::sys::blob::words_as_bytes(types));
        }
        if hdr.layout_len > 0 {
            for l in self.layouts.as_deref().unwrap_or(&[]) {
                let flags = if swap { l.flags.swap_bytes() } else { l.flags };
                out.extend_from_slice(&[l.info_sz, l.elem_sz]);
                out.extend_from_slice(&flags.to_ne_bytes());
            }
        }
        out.extend_from_slice(strs);
        out
    }
}
