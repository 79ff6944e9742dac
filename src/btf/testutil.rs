//! Helpers shared by the BTF tests.

use crate::btf::{kind_name, Btf};
use crate::uapi::btf::*;

/// One line per own type: `[id] KIND 'name' refs...` (member/param names
/// with their type ids), in the spirit of libbpf's raw dumps.
pub(crate) fn dump(b: &Btf) -> Vec<String> {
    b.own_types()
        .map(|(id, t)| {
            let mut s = format!("[{id}] {} '{}'", kind_name(t.kind()), b.type_name(id));
            match t.kind() {
                BTF_KIND_STRUCT | BTF_KIND_UNION => {
                    s += &format!(" size={}", t.size());
                    for m in t.members() {
                        s += &format!(" {}:{}@{}", b.name(m.name_off).unwrap_or("?"), m.type_id, m.bit_offset);
                    }
                }
                BTF_KIND_ENUM | BTF_KIND_ENUM64 => {
                    s += &format!(" size={}", t.size());
                    for e in t.enumerators() {
                        s += &format!(" {}={}", b.name(e.name_off).unwrap_or("?"), e.value as i64);
                    }
                }
                BTF_KIND_INT | BTF_KIND_FLOAT => s += &format!(" size={}", t.size()),
                BTF_KIND_FWD => s += if t.kflag() { " union" } else { " struct" },
                BTF_KIND_ARRAY => {
                    let a = t.array().unwrap();
                    s += &format!(" {}[{}] idx={}", a.elem_type, a.nelems, a.index_type);
                }
                BTF_KIND_FUNC_PROTO => {
                    s += &format!(" ret={}", t.type_id());
                    for p in t.params() {
                        s += &format!(" {}:{}", b.name(p.name_off).unwrap_or("?"), p.type_id);
                    }
                }
                BTF_KIND_DATASEC => {
                    for v in t.secinfos() {
                        s += &format!(" {}", v.type_id);
                    }
                }
                _ => s += &format!(" -> {}", t.type_id()),
            }
            s
        })
        .collect()
}

