//! Where a type record keeps its type ids and string offsets, as word
//! indexes into the record, without allocating.
//!
//! The order is the one libbpf visits fields in (it decides, for example,
//! the order strings land in a deduplicated string section): the record's
//! own name first, then each member/enumerator/parameter name; for ids, the
//! third word when it is a type id, then the per-element ids (ARRAY: element
//! type before index type).

use super::types::TYPE_WORDS;
use crate::uapi::btf::*;

/// Word indexes of one kind of field in a record: an optional single index,
/// then `count` indexes `step` apart from `first`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Slots {
    single: Option<usize>,
    next: usize,
    step: usize,
    left: usize,
    len: usize,
}

impl Iterator for Slots {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if let Some(i) = self.single.take() {
            if i < self.len {
                return Some(i);
            }
        }
        if self.left == 0 || self.next >= self.len {
            return None;
        }
        let i = self.next;
        self.left -= 1;
        self.next += self.step;
        Some(i)
    }
}

fn slots(single: Option<usize>, first: usize, step: usize, count: usize, len: usize) -> Slots {
    Slots { single, next: first, step, left: count, len }
}

/// The string-offset fields of record `w`. Indexes never pass the record's
/// end (a truncated record yields fewer).
pub(crate) fn str_slots(w: &[u32]) -> Slots {
    let (kind, vlen) = kind_vlen(w);
    let b = TYPE_WORDS;
    match kind {
        BTF_KIND_STRUCT | BTF_KIND_UNION | BTF_KIND_ENUM64 => slots(Some(0), b, 3, vlen, w.len()),
        BTF_KIND_ENUM | BTF_KIND_FUNC_PROTO => slots(Some(0), b, 2, vlen, w.len()),
        _ => slots(Some(0), 0, 1, 0, w.len()),
    }
}

/// The type-id fields of record `w`; None for a kind without a known
/// layout.
pub(crate) fn id_slots(w: &[u32]) -> Option<Slots> {
    let (kind, vlen) = kind_vlen(w);
    let b = TYPE_WORDS;
    let len = w.len();
    Some(match kind {
        BTF_KIND_INT | BTF_KIND_FWD | BTF_KIND_FLOAT | BTF_KIND_ENUM | BTF_KIND_ENUM64 => slots(None, 0, 1, 0, len),
        BTF_KIND_PTR | BTF_KIND_TYPEDEF | BTF_KIND_VOLATILE | BTF_KIND_CONST | BTF_KIND_RESTRICT | BTF_KIND_FUNC
        | BTF_KIND_VAR | BTF_KIND_DECL_TAG | BTF_KIND_TYPE_TAG => slots(Some(2), 0, 1, 0, len),
        BTF_KIND_ARRAY => slots(None, b, 1, 2, len),
        BTF_KIND_STRUCT | BTF_KIND_UNION => slots(None, b + 1, 3, vlen, len),
        BTF_KIND_FUNC_PROTO => slots(Some(2), b + 1, 2, vlen, len),
        BTF_KIND_DATASEC => slots(None, b, 3, vlen, len),
        _ => return None,
    })
}

fn kind_vlen(w: &[u32]) -> (u32, usize) {
    let info = w.get(1).copied().unwrap_or(0);
    (btf_info_kind(info), btf_info_vlen(info) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders() {
        let proto = [0, btf_info_enc(BTF_KIND_FUNC_PROTO, false, 2), 1, 5, 2, 6, 3];
        assert_eq!(id_slots(&proto).unwrap().collect::<Vec<_>>(), vec![2, 4, 6]);
        assert_eq!(str_slots(&proto).collect::<Vec<_>>(), vec![0, 3, 5]);
        let arr = [0, btf_info_enc(BTF_KIND_ARRAY, false, 0), 0, 7, 8, 9];
        assert_eq!(id_slots(&arr).unwrap().collect::<Vec<_>>(), vec![3, 4]);
        let st = [1, btf_info_enc(BTF_KIND_STRUCT, false, 2), 8, 2, 3, 0, 4, 5, 32];
        assert_eq!(id_slots(&st).unwrap().collect::<Vec<_>>(), vec![4, 7]);
        assert_eq!(str_slots(&st).collect::<Vec<_>>(), vec![0, 3, 6]);
        let ds = [1, btf_info_enc(BTF_KIND_DATASEC, false, 1), 8, 4, 0, 8];
        assert_eq!(id_slots(&ds).unwrap().collect::<Vec<_>>(), vec![3]);
        assert!(id_slots(&[0, btf_info_enc(25, false, 0), 0]).is_none());
        // A record shorter than its vlen claims never yields an index past its end.
        let short = [1, btf_info_enc(BTF_KIND_STRUCT, false, 9), 8, 2, 3];
        assert_eq!(id_slots(&short).unwrap().collect::<Vec<_>>(), vec![4]);
    }
}
