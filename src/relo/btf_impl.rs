//! [`TypeView`] over the BTF core's [`Btf`] (`crate::btf`).

use super::view::{Enumerator, Member, TypeView};
use crate::btf::Btf;
use crate::uapi::btf::*;

impl TypeView for Btf {
    fn type_cnt(&self) -> u32 {
        Btf::type_cnt(self)
    }
    fn kind(&self, id: u32) -> Option<u32> {
        self.type_by_id(id).map(|t| t.kind())
    }
    fn name(&self, id: u32) -> &str {
        self.type_name(id)
    }
    fn name_bytes(&self, id: u32) -> &[u8] {
        self.type_by_id(id).and_then(|t| self.str_bytes(t.name_off())).unwrap_or(b"")
    }
    fn str_at(&self, off: u32) -> Option<&str> {
        Btf::name(self, off)
    }
    fn vlen(&self, id: u32) -> u32 {
        self.type_by_id(id).map_or(0, |t| t.vlen())
    }
    fn kflag(&self, id: u32) -> bool {
        self.type_by_id(id).is_some_and(|t| t.kflag())
    }
    fn size(&self, id: u32) -> u32 {
        self.type_by_id(id).map_or(0, |t| t.size_or_type())
    }
    fn type_ref(&self, id: u32) -> u32 {
        self.type_by_id(id).map_or(0, |t| t.size_or_type())
    }
    fn int_info(&self, id: u32) -> (u32, u32, u32) {
        self.type_by_id(id).map_or((0, 0, 0), |t| {
            (u32::from(t.int_encoding()), u32::from(t.int_offset()), u32::from(t.int_bits()))
        })
    }
    fn array(&self, id: u32) -> Option<(u32, u32, u32)> {
        self.type_by_id(id)?.array().map(|a| (a.elem_type, a.index_type, a.nelems))
    }
    fn member(&self, id: u32, idx: u32) -> Option<Member<'_>> {
        let m = self.type_by_id(id)?.member(idx as usize)?;
        Some(Member {
            name: Btf::name(self, m.name_off).unwrap_or(""),
            type_id: m.type_id,
            bit_offset: m.bit_offset,
            bitfield_size: m.bitfield_size,
        })
    }
    fn enumerator(&self, id: u32, idx: u32) -> Option<Enumerator<'_>> {
        let t = self.type_by_id(id)?;
        let e = t.enumerators().nth(idx as usize)?;
        // CO-RE reads a 32-bit enumerator as a signed int, whatever the kflag
        let value = if t.kind() == BTF_KIND_ENUM { e.value as u32 as i32 as i64 as u64 } else { e.value };
        Some(Enumerator { name: Btf::name(self, e.name_off).unwrap_or(""), value })
    }
    fn param(&self, id: u32, idx: u32) -> Option<(&str, u32)> {
        let p = self.type_by_id(id)?.params().nth(idx as usize)?;
        Some((Btf::name(self, p.name_off).unwrap_or(""), p.type_id))
    }
    fn var_linkage(&self, id: u32) -> u32 {
        self.type_by_id(id).and_then(|t| t.var_linkage()).unwrap_or(0)
    }
    fn datasec_var(&self, id: u32, idx: u32) -> Option<(u32, u32, u32)> {
        let v = self.type_by_id(id)?.secinfos().nth(idx as usize)?;
        Some((v.type_id, v.offset, v.size))
    }
}
