//! Parsing raw BTF: header, sections, type records (either byte order), and
//! a full check of every reference before anyone can follow it.
//!
//! Everything a record points at is checked once here, so that accessors,
//! resolvers and C callers walking `struct btf_type` can trust it: name and
//! member string offsets are valid, type ids are in range, record sizes add
//! up exactly to the type section, FUNC refers to a FUNC_PROTO. A blob that
//! fails any check is refused with `EINVAL` (libbpf's code for malformed BTF).

use std::sync::Arc;

use super::data::{Btf, Store, BTF_MAX_NR_TYPES, BTF_MAX_STR_OFFSET_LIBBPF};
use super::header::Header;
use super::types::{record_words, Type};
use crate::error::{Error, Result};
use crate::sys::blob::Blob;
use crate::uapi::btf::*;

impl Btf {
    /// Parses a copy of `data`.
    pub fn parse(data: &[u8]) -> Result<Btf> {
        Btf::from_blob(Blob::copy_from(data), None)
    }

    /// Parses a copy of `data` as split BTF on `base`.
    pub fn parse_split(data: &[u8], base: Arc<Btf>) -> Result<Btf> {
        Btf::from_blob(Blob::copy_from(data), Some(base))
    }

    /// Parses `blob` (kept as is when native and aligned: no copy).
    pub fn from_blob(blob: Blob, base: Option<Arc<Btf>>) -> Result<Btf> {
        let (hdr, swapped) = Header::parse(blob.bytes())?;
        let body = hdr.hdr_len as usize;
        let types_at = body + hdr.type_off as usize;
        let types = types_at..types_at + hdr.type_len as usize;
        let strs = body + hdr.str_off as usize..body + hdr.str_off as usize + hdr.str_len as usize;
        check_strings(&blob.bytes()[strs.clone()], base.is_some())?;
        let layouts = if hdr.layout_len > 0 {
            let at = body + hdr.layout_off as usize;
            let raw = &blob.bytes()[at..at + hdr.layout_len as usize];
            Some(
                raw.chunks_exact(4)
                    .map(|c| {
                        let flags = u16::from_ne_bytes([c[2], c[3]]);
                        btf_layout { info_sz: c[0], elem_sz: c[1], flags: if swapped { flags.swap_bytes() } else { flags } }
                    })
                    .collect::<Vec<_>>(),
            )
        } else {
            None
        };

        let store = if !swapped && types_at % 4 == 0 && hdr.type_len % 4 == 0 {
            let words = types.start / 4..types.end / 4;
            Store::Blob { blob, types: words, strs }
        } else {
            // Foreign byte order or a misaligned type section: copy the
            // sections out. Every field of every record is a 32-bit word, so
            // swapping the section word by word swaps every record.
            if hdr.type_len % 4 != 0 {
                pr_warn!("BTF types data is malformed");
                return Err(Error::INVAL);
            }
            let bytes = blob.bytes();
            let types: Vec<u32> = bytes[types]
                .chunks_exact(4)
                .map(|c| {
                    let w = u32::from_ne_bytes([c[0], c[1], c[2], c[3]]);
                    if swapped {
                        w.swap_bytes()
                    } else {
                        w
                    }
                })
                .collect();
            Store::Owned { types, strs: bytes[strs].to_vec() }
        };

        let mut btf = Btf::with_store(base, store, hdr);
        btf.swapped = swapped;
        btf.layouts = layouts;
        let total_strs = btf.start_str_off as u64 + btf.str_section().len() as u64;
        if total_strs > u32::MAX as u64 {
            pr_debug!("Invalid BTF string section");
            return Err(Error::INVAL);
        }
        btf.type_offs = index_types(btf.type_words(), btf.layouts.as_deref().unwrap_or(&[]), btf.start_id)?;
        btf.check_types()?;
        Ok(btf)
    }

    /// Checks every own type's references (see the module docs).
    fn check_types(&self) -> Result<()> {
        let cnt = self.type_cnt();
        for (id, t) in self.own_types() {
            self.check_type(id, t, cnt)?;
        }
        Ok(())
    }

    fn check_str(&self, id: u32, off: u32, what: &str) -> Result<()> {
        if self.str_by_offset(off).is_none() {
            pr_warn!("btf: type [{id}]: invalid {what} (string offset {off})");
            return Err(Error::INVAL);
        }
        Ok(())
    }

    fn check_ref(&self, id: u32, to: u32, cnt: u32) -> Result<()> {
        if to >= cnt {
            pr_warn!("btf: type [{id}]: invalid referenced type ID {to}");
            return Err(Error::INVAL);
        }
        Ok(())
    }

    fn check_type(&self, id: u32, t: Type<'_>, cnt: u32) -> Result<()> {
        self.check_str(id, t.name_off(), "type name")?;
        match t.kind() {
            BTF_KIND_UNKN | BTF_KIND_INT | BTF_KIND_FWD | BTF_KIND_FLOAT => {}
            BTF_KIND_PTR | BTF_KIND_TYPEDEF | BTF_KIND_VOLATILE | BTF_KIND_CONST | BTF_KIND_RESTRICT | BTF_KIND_VAR
            | BTF_KIND_DECL_TAG | BTF_KIND_TYPE_TAG => self.check_ref(id, t.type_id(), cnt)?,
            BTF_KIND_ARRAY => {
                let a = t.array().ok_or(Error::INVAL)?;
                self.check_ref(id, a.elem_type, cnt)?;
                self.check_ref(id, a.index_type, cnt)?;
            }
            BTF_KIND_STRUCT | BTF_KIND_UNION => {
                for m in t.members() {
                    self.check_str(id, m.name_off, "field name")?;
                    self.check_ref(id, m.type_id, cnt)?;
                }
            }
            BTF_KIND_ENUM | BTF_KIND_ENUM64 => {
                for e in t.enumerators() {
                    self.check_str(id, e.name_off, "enum name")?;
                }
            }
            BTF_KIND_FUNC => {
                self.check_ref(id, t.type_id(), cnt)?;
                let proto = self.type_by_id(t.type_id()).ok_or(Error::INVAL)?;
                if !proto.is_func_proto() {
                    pr_warn!("btf: type [{id}]: referenced type [{}] is not FUNC_PROTO", t.type_id());
                    return Err(Error::INVAL);
                }
            }
            BTF_KIND_FUNC_PROTO => {
                self.check_ref(id, t.type_id(), cnt)?;
                for p in t.params() {
                    self.check_str(id, p.name_off, "param name")?;
                    self.check_ref(id, p.type_id, cnt)?;
                }
            }
            BTF_KIND_DATASEC => {
                for v in t.secinfos() {
                    self.check_ref(id, v.type_id, cnt)?;
                }
            }
            // A kind only the layout section describes: nothing to follow.
            _ => {}
        }
        Ok(())
    }
}

/// Checks a string section: NUL-terminated, starting with the empty string
/// (for base BTF), within libbpf's offset limit. Split BTF may have none.
fn check_strings(strs: &[u8], split: bool) -> Result<()> {
    if split && strs.is_empty() {
        return Ok(());
    }
    let bad = strs.is_empty()
        || strs.len() - 1 > BTF_MAX_STR_OFFSET_LIBBPF as usize
        || strs[strs.len() - 1] != 0
        || (!split && strs[0] != 0);
    if bad {
        pr_debug!("Invalid BTF string section");
        return Err(Error::INVAL);
    }
    Ok(())
}

/// Walks the type section, returning the word offset of each record.
fn index_types(words: &[u32], layouts: &[btf_layout], start_id: u32) -> Result<Vec<u32>> {
    // Records are at least 3 words: reserve for the common case generously
    // but not for the worst case.
    let mut offs = Vec::with_capacity(words.len() / 6);
    let mut at = 0usize;
    while at + 3 <= words.len() {
        let id = start_id as u64 + offs.len() as u64;
        if id > BTF_MAX_NR_TYPES as u64 {
            pr_warn!("BTF has too many types");
            return Err(Error::INVAL);
        }
        let info = words[at + 1];
        let Some(n) = record_words(info, layouts) else {
            pr_debug!("Unsupported BTF_KIND:{}", btf_info_kind(info));
            return Err(Error::INVAL);
        };
        if at + n > words.len() {
            pr_warn!("BTF type [{id}] is malformed");
            return Err(Error::INVAL);
        }
        offs.push(at as u32);
        at += n;
    }
    if at != words.len() {
        pr_warn!("BTF types data is malformed");
        return Err(Error::INVAL);
    }
    offs.shrink_to_fit();
    Ok(offs)
}
