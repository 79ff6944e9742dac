//! A tiny in-memory BTF for the engine's unit tests, built type by type like
//! `btf__add_*` would.
#![allow(dead_code)]

use super::view::{Enumerator, Member, TypeView};
use crate::uapi::btf::*;

#[derive(Clone, Debug, Default)]
pub struct Ty {
    pub kind: u32,
    pub name: String,
    pub kflag: bool,
    pub size: u32,
    pub type_ref: u32,
    pub int: (u32, u32, u32),
    pub array: (u32, u32, u32),
    /// members: (name, type, bit offset, bitfield size)
    pub members: Vec<(String, u32, u32, u32)>,
    pub enums: Vec<(String, u64)>,
    pub params: Vec<(String, u32)>,
    pub linkage: u32,
    /// datasec vars: (type, offset, size)
    pub vars: Vec<(u32, u32, u32)>,
}

#[derive(Clone, Debug)]
pub struct TestBtf {
    pub types: Vec<Ty>,
    pub strings: String,
}

impl Default for TestBtf {
    fn default() -> Self {
        TestBtf::new()
    }
}

impl TestBtf {
    pub fn new() -> TestBtf {
        TestBtf { types: vec![Ty::default()], strings: "\0".to_string() }
    }

    fn push(&mut self, t: Ty) -> u32 {
        self.types.push(t);
        (self.types.len() - 1) as u32
    }

    /// Adds a string and returns its offset (for access strings).
    pub fn add_str(&mut self, s: &str) -> u32 {
        let off = self.strings.len() as u32;
        self.strings.push_str(s);
        self.strings.push('\0');
        off
    }

    pub fn int(&mut self, name: &str, size: u32, signed: bool) -> u32 {
        let enc = if signed { BTF_INT_SIGNED } else { 0 };
        self.push(Ty { kind: BTF_KIND_INT, name: name.into(), size, int: (enc, 0, size * 8), ..Default::default() })
    }

    pub fn ptr(&mut self, to: u32) -> u32 {
        self.push(Ty { kind: BTF_KIND_PTR, type_ref: to, ..Default::default() })
    }

    pub fn typedef(&mut self, name: &str, to: u32) -> u32 {
        self.push(Ty { kind: BTF_KIND_TYPEDEF, name: name.into(), type_ref: to, ..Default::default() })
    }

    pub fn konst(&mut self, to: u32) -> u32 {
        self.push(Ty { kind: BTF_KIND_CONST, type_ref: to, ..Default::default() })
    }

    pub fn add_array(&mut self, elem: u32, nelems: u32) -> u32 {
        self.push(Ty { kind: BTF_KIND_ARRAY, array: (elem, 0, nelems), ..Default::default() })
    }

    pub fn fwd(&mut self, name: &str, is_union: bool) -> u32 {
        self.push(Ty { kind: BTF_KIND_FWD, name: name.into(), kflag: is_union, ..Default::default() })
    }

    /// A struct (or union) with members (name, type, bit offset, bitfield size).
    pub fn composite(&mut self, union: bool, name: &str, size: u32, members: &[(&str, u32, u32, u32)]) -> u32 {
        let kflag = members.iter().any(|m| m.3 != 0);
        self.push(Ty {
            kind: if union { BTF_KIND_UNION } else { BTF_KIND_STRUCT },
            name: name.into(),
            size,
            kflag,
            members: members.iter().map(|m| (m.0.to_string(), m.1, m.2, m.3)).collect(),
            ..Default::default()
        })
    }

    pub fn strukt(&mut self, name: &str, size: u32, members: &[(&str, u32, u32)]) -> u32 {
        let m: Vec<_> = members.iter().map(|&(n, t, o)| (n, t, o, 0)).collect();
        self.composite(false, name, size, &m)
    }

    pub fn enum_(&mut self, name: &str, size: u32, signed: bool, vals: &[(&str, i64)]) -> u32 {
        let kind = if size == 8 { BTF_KIND_ENUM64 } else { BTF_KIND_ENUM };
        self.push(Ty {
            kind,
            name: name.into(),
            size,
            kflag: signed,
            enums: vals
                .iter()
                .map(|&(n, v)| (n.to_string(), if size == 8 { v as u64 } else { v as i32 as i64 as u64 }))
                .collect(),
            ..Default::default()
        })
    }

    pub fn func_proto(&mut self, ret: u32, params: &[u32]) -> u32 {
        self.push(Ty {
            kind: BTF_KIND_FUNC_PROTO,
            type_ref: ret,
            params: params.iter().map(|&p| (String::new(), p)).collect(),
            ..Default::default()
        })
    }

    pub fn func(&mut self, name: &str, proto: u32, linkage: u32) -> u32 {
        self.push(Ty { kind: BTF_KIND_FUNC, name: name.into(), type_ref: proto, linkage, ..Default::default() })
    }

    pub fn var(&mut self, name: &str, ty: u32, linkage: u32) -> u32 {
        self.push(Ty { kind: BTF_KIND_VAR, name: name.into(), type_ref: ty, linkage, ..Default::default() })
    }

    pub fn float(&mut self, name: &str, size: u32) -> u32 {
        self.push(Ty { kind: BTF_KIND_FLOAT, name: name.into(), size, ..Default::default() })
    }

    pub fn datasec(&mut self, name: &str, vars: &[(u32, u32, u32)]) -> u32 {
        self.push(Ty { kind: BTF_KIND_DATASEC, name: name.into(), vars: vars.to_vec(), ..Default::default() })
    }

    fn t(&self, id: u32) -> Option<&Ty> {
        self.types.get(id as usize)
    }
}

impl TypeView for TestBtf {
    fn type_cnt(&self) -> u32 {
        self.types.len() as u32
    }
    fn kind(&self, id: u32) -> Option<u32> {
        self.t(id).map(|t| t.kind)
    }
    fn name(&self, id: u32) -> &str {
        self.t(id).map_or("", |t| t.name.as_str())
    }
    fn str_at(&self, off: u32) -> Option<&str> {
        let s = self.strings.get(off as usize..)?;
        Some(&s[..s.find('\0').unwrap_or(s.len())])
    }
    fn vlen(&self, id: u32) -> u32 {
        self.t(id).map_or(0, |t| match t.kind {
            BTF_KIND_STRUCT | BTF_KIND_UNION => t.members.len() as u32,
            BTF_KIND_ENUM | BTF_KIND_ENUM64 => t.enums.len() as u32,
            BTF_KIND_FUNC_PROTO => t.params.len() as u32,
            BTF_KIND_FUNC => t.linkage,
            BTF_KIND_DATASEC => t.vars.len() as u32,
            _ => 0,
        })
    }
    fn kflag(&self, id: u32) -> bool {
        self.t(id).is_some_and(|t| t.kflag)
    }
    fn size(&self, id: u32) -> u32 {
        self.t(id).map_or(0, |t| t.size)
    }
    fn type_ref(&self, id: u32) -> u32 {
        self.t(id).map_or(0, |t| t.type_ref)
    }
    fn int_info(&self, id: u32) -> (u32, u32, u32) {
        self.t(id).map_or((0, 0, 0), |t| t.int)
    }
    fn array(&self, id: u32) -> Option<(u32, u32, u32)> {
        self.t(id).filter(|t| t.kind == BTF_KIND_ARRAY).map(|t| t.array)
    }
    fn member(&self, id: u32, idx: u32) -> Option<Member<'_>> {
        let m = self.t(id)?.members.get(idx as usize)?;
        Some(Member { name: &m.0, type_id: m.1, bit_offset: m.2, bitfield_size: m.3 })
    }
    fn enumerator(&self, id: u32, idx: u32) -> Option<Enumerator<'_>> {
        let e = self.t(id)?.enums.get(idx as usize)?;
        Some(Enumerator { name: &e.0, value: e.1 })
    }
    fn param(&self, id: u32, idx: u32) -> Option<(&str, u32)> {
        let p = self.t(id)?.params.get(idx as usize)?;
        Some((&p.0, p.1))
    }
    fn var_linkage(&self, id: u32) -> u32 {
        self.t(id).map_or(0, |t| t.linkage)
    }
    fn datasec_var(&self, id: u32, idx: u32) -> Option<(u32, u32, u32)> {
        self.t(id)?.vars.get(idx as usize).copied()
    }
}
