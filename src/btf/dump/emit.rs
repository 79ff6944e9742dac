//! Printing definitions: the walk that decides where forward declarations
//! are needed, and the C text of structs/unions (with explicit padding and
//! packing), enums (with sizes), forward declarations and typedefs.

use super::state::*;
use super::Cx;
use crate::btf::types::Type;
use crate::uapi::btf::*;

/// Typedefs to base types some compilers know but C headers do not
/// (GCC's Arm SIMD polynomial types), printed where those INTs appear.
const MISSING_BASE_TYPES: [(&[u8], &[u8]); 4] = [
    (b"__Poly8_t", b"unsigned char"),
    (b"__Poly16_t", b"unsigned short"),
    (b"__Poly64_t", b"unsigned long long"),
    (b"__Poly128_t", b"unsigned __int128"),
];

/// How a resolved name is stored.
#[derive(Clone, Copy)]
pub(super) enum NameRef<'a> {
    /// The name as in the BTF (possibly empty).
    Orig(&'a [u8]),
    /// A duplicate, renamed `name___N`.
    Renamed,
}

impl<'a> Cx<'a, '_> {
    /// Prints the definitions type `id` needs, then its own when it is a
    /// top-level definition (`cont_id` 0) — or, inside the definition of
    /// `cont_id`, forward declarations of what it refers to.
    pub(super) fn emit_type(&mut self, id: u32, cont_id: u32) {
        if self.enter() {
            self.emit_type_inner(id, cont_id);
            self.leave();
        }
    }

    fn emit_type_inner(&mut self, id: u32, cont_id: u32) {
        let state = self.d.flags.emit(id);
        if state == EMITTED {
            return;
        }
        let Some(t) = self.ty(id) else { return };
        let top_level = cont_id == 0;
        if state == EMITTING {
            // Reached again while being printed: only a pointer can lead
            // here, a declaration is enough.
            if self.d.flags.has(id, FWD_EMITTED) {
                return;
            }
            match t.kind() {
                BTF_KIND_STRUCT | BTF_KIND_UNION => {
                    if id == cont_id {
                        return;
                    }
                    if t.name_off() == 0 {
                        pr_warn!("anonymous struct/union loop, id:[{id}]");
                        return;
                    }
                    self.emit_struct_fwd(id, t);
                    self.put(b";\n\n");
                    self.d.flags.set(id, FWD_EMITTED);
                }
                BTF_KIND_TYPEDEF => {
                    // A typedef is its own forward declaration.
                    if !self.is_builtin_va_list(t) {
                        self.emit_typedef_def(id, t, 0);
                        self.put(b";\n\n");
                    }
                    self.d.flags.set(id, FWD_EMITTED);
                }
                _ => {}
            }
            return;
        }
        match t.kind() {
            BTF_KIND_INT => {
                self.emit_missing_alias(id);
                self.d.flags.set_emit(id, EMITTED);
            }
            BTF_KIND_ENUM | BTF_KIND_ENUM64 => {
                if top_level {
                    self.emit_enum_def(id, t, 0);
                    self.put(b";\n\n");
                }
                self.d.flags.set_emit(id, EMITTED);
            }
            // Kinds without an emission state: only a looping graph (no C
            // type) reaches one again while walking it.
            BTF_KIND_PTR | BTF_KIND_VOLATILE | BTF_KIND_CONST | BTF_KIND_RESTRICT | BTF_KIND_TYPE_TAG
            | BTF_KIND_ARRAY | BTF_KIND_FUNC_PROTO => {
                // The common case: what it refers to is printed already.
                let next = if t.is_array() { t.array().map_or(0, |a| a.elem_type) } else { t.type_id() };
                if !t.is_func_proto() && self.d.flags.emit(next) == EMITTED {
                    return;
                }
                if !self.activate(id) {
                    self.warn_loop(id);
                    return;
                }
                if t.is_func_proto() {
                    self.emit_type(t.type_id(), cont_id);
                    for p in t.params() {
                        self.emit_type(p.type_id, cont_id);
                    }
                } else if let Some(a) = t.array() {
                    self.emit_type(a.elem_type, cont_id);
                } else {
                    self.emit_type(t.type_id(), cont_id);
                }
                self.deactivate(id);
            }
            BTF_KIND_FWD => {
                self.emit_fwd_def(id, t);
                self.put(b";\n\n");
                self.d.flags.set_emit(id, EMITTED);
            }
            BTF_KIND_TYPEDEF => {
                self.d.flags.set_emit(id, EMITTING);
                self.emit_type(t.type_id(), id);
                // Unless a pointer needed it printed already.
                if !self.d.flags.has(id, FWD_EMITTED) && !self.is_builtin_va_list(t) {
                    self.emit_typedef_def(id, t, 0);
                    self.put(b";\n\n");
                }
                self.d.flags.set_emit(id, EMITTED);
            }
            BTF_KIND_STRUCT | BTF_KIND_UNION => {
                self.d.flags.set_emit(id, EMITTING);
                let anon = t.name_off() == 0;
                if top_level || anon {
                    // Its members will be printed in full: declare what they
                    // refer to. Inside an anonymous one, the container stays.
                    let inner = if anon { cont_id } else { id };
                    for m in t.members() {
                        self.emit_type(m.type_id, inner);
                    }
                } else if !self.d.flags.has(id, FWD_EMITTED) && id != cont_id {
                    self.emit_struct_fwd(id, t);
                    self.put(b";\n\n");
                    self.d.flags.set(id, FWD_EMITTED);
                }
                if top_level {
                    self.emit_struct_def(id, t, 0);
                    self.put(b";\n\n");
                    self.d.flags.set_emit(id, EMITTED);
                } else {
                    self.d.flags.set_emit(id, 0);
                }
            }
            _ => {}
        }
    }

    /// A typedef named `__builtin_va_list`: a compiler built-in, never printed.
    fn is_builtin_va_list(&self, t: Type<'_>) -> bool {
        t.name_off() != 0 && self.str_at(t.name_off()) == b"__builtin_va_list"
    }

    /// The printed name of type `id` in the tag (struct/union/enum) or the
    /// ordinary identifier (typedef) namespace, deciding it on first use: the
    /// n-th type to claim a name gets `name___n`. Forward declarations and
    /// enum declarations without values keep their name.
    pub(super) fn resolve_name(&mut self, id: u32, ident: bool) -> NameRef<'a> {
        let Some(t) = self.ty(id) else { return NameRef::Orig(b"") };
        if t.name_off() == 0 {
            return NameRef::Orig(b"");
        }
        let orig = self.str_at(t.name_off());
        if self.d.flags.has(id, NAME_RESOLVED) {
            return if self.d.flags.has(id, RENAMED) { NameRef::Renamed } else { NameRef::Orig(orig) };
        }
        self.d.flags.set(id, NAME_RESOLVED);
        if t.is_fwd() || (t.is_enum() && t.vlen() == 0) {
            return NameRef::Orig(orig);
        }
        let names = &mut self.d.names;
        let n = if ident { names.idents.bump(self.btf, t.name_off()) } else { names.tags.bump(self.btf, t.name_off()) };
        if n > 1 {
            names.renamed.insert(id, dup_name(orig, n));
            self.d.flags.set(id, RENAMED);
            return NameRef::Renamed;
        }
        NameRef::Orig(orig)
    }

    /// Prints the resolved name of `id` (see [`Cx::resolve_name`]).
    pub(super) fn put_name(&mut self, id: u32, ident: bool) {
        match self.resolve_name(id, ident) {
            NameRef::Orig(s) => self.out.put(s),
            NameRef::Renamed => {
                if let Some(s) = self.d.names.renamed.get(&id) {
                    self.out.put(s);
                }
            }
        }
    }

    fn emit_missing_alias(&mut self, id: u32) {
        let name: &[u8] = match self.resolve_name(id, false) {
            NameRef::Orig(s) => s,
            NameRef::Renamed => return,
        };
        if let Some((_, base)) = MISSING_BASE_TYPES.iter().find(|(n, _)| *n == name) {
            self.put(b"typedef ");
            self.put(base);
            self.put(b" ");
            self.put(name);
            self.put(b";\n\n");
        }
    }

    pub(super) fn emit_struct_fwd(&mut self, id: u32, t: Type<'_>) {
        self.put(if t.is_struct() { b"struct" } else { b"union" });
        if t.name_off() != 0 {
            self.put(b" ");
        }
        self.put_name(id, false);
    }

    pub(super) fn emit_fwd_def(&mut self, id: u32, t: Type<'_>) {
        self.put(if t.kflag() { b"union " } else { b"struct " });
        self.put_name(id, false);
    }

    pub(super) fn emit_enum_fwd(&mut self, id: u32) {
        self.put(b"enum ");
        self.put_name(id, false);
    }

    fn emit_typedef_def(&mut self, id: u32, t: Type<'_>, lvl: i32) {
        let renamed;
        let name: &[u8] = match self.resolve_name(id, true) {
            NameRef::Orig(s) => s,
            NameRef::Renamed => {
                renamed = self.d.names.renamed.get(&id).cloned().unwrap_or_default();
                &renamed
            }
        };
        // Old GCCs describe __gnuc_va_list as a typedef of void.
        if t.type_id() == 0 && name == b"__gnuc_va_list" {
            self.put(b"typedef __builtin_va_list __gnuc_va_list");
            return;
        }
        self.put(b"typedef ");
        self.emit_decl(t.type_id(), name, lvl);
    }

    /// `struct name { members } [__attribute__((packed))]`, members indented
    /// at `lvl + 1`, with explicit padding where the compiler would not put
    /// members where the BTF says they are.
    pub(super) fn emit_struct_def(&mut self, id: u32, t: Type<'_>, lvl: i32) {
        let is_struct = t.is_struct();
        let align = self.align_of(id);
        let packed = is_struct && self.is_packed(t);
        self.put(if is_struct { b"struct" } else { b"union" });
        if t.name_off() != 0 {
            self.put(b" ");
        }
        self.put_name(id, false);
        self.put(b" {");
        let mut off: i64 = 0;
        let mut prev_bitfield = false;
        for m in t.members() {
            let bits = m.bitfield_size as i64;
            let m_off = m.bit_offset as i64;
            let m_align = if packed { 1 } else { self.align_of(m.type_id) };
            self.emit_bit_padding(off, m_off, m_align, prev_bitfield && bits != 0, lvl + 1);
            self.put(b"\n");
            self.put_tabs(lvl + 1);
            let fname = self.str_at(m.name_off);
            self.emit_decl(m.type_id, fname, lvl + 1);
            if bits != 0 {
                self.put(b": ");
                self.put_i64(bits);
                off = m_off + bits;
                prev_bitfield = true;
            } else {
                let size = self.btf.resolve_size(m.type_id).unwrap_or(0) as i64;
                off = m_off + size * 8;
                prev_bitfield = false;
            }
            self.put(b";");
        }
        if is_struct {
            self.emit_bit_padding(off, t.size() as i64 * 8, align, false, lvl + 1);
        }
        // `struct empty {}` stays on one line.
        if t.vlen() != 0 || t.size() != 0 {
            self.put(b"\n");
            self.put_tabs(lvl);
        }
        self.put(b"}");
        if packed {
            self.put(b" __attribute__((packed))");
        }
    }

    /// Whether a struct's layout needs `packed`: a non-bitfield member off
    /// its natural alignment, or a size that is not a multiple of the
    /// largest alignment.
    fn is_packed(&mut self, t: Type<'_>) -> bool {
        let mut max_align = 1;
        for m in t.members() {
            let align = self.align_of(m.type_id);
            if align != 0 && m.bitfield_size == 0 && m.offset as u64 % (8 * align as u64) != 0 {
                return true;
            }
            max_align = max_align.max(align);
        }
        t.size() % max_align != 0
    }

    /// Explicit padding from bit `cur` to bit `next` where the next member
    /// (aligned on `next_align` bytes) would otherwise land elsewhere:
    /// anonymous bitfields of the widest type that fits (`long: 64;`), with
    /// a zero-width one to force alignment when needed.
    fn emit_bit_padding(&mut self, cur: i64, next: i64, next_align: u32, in_bitfield: bool, lvl: i32) {
        if cur >= next {
            return;
        }
        let pads: [(&[u8], i64); 4] =
            [(b"long", self.d.ptr_sz as i64 * 8), (b"int", 32), (b"short", 16), (b"char", 8)];
        let round_up = |x: i64, to: i64| if to <= 0 { x } else { (x + to - 1) / to * to };
        let mut cur = cur;
        // The widest padding type whose next boundary is not past `next`.
        let mut pick = pads.len() - 1;
        let mut new_off = round_up(cur, pads[pick].1);
        for (i, &(_, bits)) in pads.iter().enumerate() {
            let o = round_up(cur, bits);
            if o <= next {
                pick = i;
                new_off = o;
                break;
            }
        }
        let (mut pad_name, mut pad_bits) = pads[pick];
        if new_off > cur && new_off <= next {
            // Reaching the boundary needs an explicit marker when the next
            // member would not be aligned there by itself, when the rest
            // would fit in the hole, and always inside a bitfield run.
            let misaligned = new_off == next && round_up(cur, next_align as i64 * 8) != new_off;
            let fits_in_hole = new_off != next && next - new_off <= new_off - cur;
            if in_bitfield || misaligned || fits_in_hole {
                self.put(b"\n");
                self.put_tabs(lvl);
                self.put(pad_name);
                self.put(b": ");
                self.put_i64(if in_bitfield { new_off - cur } else { 0 });
                self.put(b";");
            }
            cur = new_off;
        }
        while cur < next {
            let bits = (next - cur).min(pad_bits);
            if bits < pad_bits {
                // The remainder, with the smallest type that holds it.
                if let Some(&(n, b)) = pads.iter().rev().find(|&&(_, b)| b >= bits) {
                    pad_name = n;
                    pad_bits = b;
                }
            }
            self.put(b"\n");
            self.put_tabs(lvl);
            self.put(pad_name);
            self.put(b": ");
            self.put_i64(bits);
            self.put(b";");
            cur += bits;
        }
    }

    /// `enum name { A = 1, ... }` with `mode(byte)`/`mode(word)` when the
    /// size is one a plain C enum with these values would not get.
    pub(super) fn emit_enum_def(&mut self, id: u32, t: Type<'_>, lvl: i32) {
        self.put(b"enum");
        if t.name_off() != 0 {
            self.put(b" ");
        }
        self.put_name(id, false);
        if t.vlen() == 0 {
            return;
        }
        self.put(b" {");
        let signed = t.kflag();
        let is64 = t.is_enum64();
        let mut any_high = false;
        for e in t.enumerators() {
            let name = self.str_at(e.name_off);
            // Enumerators share the namespace of typedefs.
            let n = self.d.names.idents.bump(self.btf, e.name_off);
            self.put(b"\n");
            self.put_tabs(lvl + 1);
            self.put(name);
            if n > 1 {
                self.put(b"___");
                self.put_i64(n as i64);
            }
            self.put(b" = ");
            if is64 {
                any_high |= e.value >> 32 != 0;
                if signed {
                    self.put_i64(e.value as i64);
                    self.put(b"LL,");
                } else {
                    self.put_u64(e.value);
                    self.put(b"ULL,");
                }
            } else {
                if signed {
                    self.put_i64(e.value as u32 as i32 as i64);
                } else {
                    self.put_u64(e.value as u32 as u64);
                }
                self.put(b",");
            }
        }
        self.put(b"\n");
        self.put_tabs(lvl);
        self.put(b"}");
        if t.size() == 1 {
            self.put(b" __attribute__((mode(byte)))");
        } else if t.size() == 8 && self.d.ptr_sz == 8 && (!is64 || !any_high) {
            // An 8-byte enum whose values all fit in 32 bits.
            self.put(b" __attribute__((mode(word)))");
        }
    }

    /// The alignment of type `id` as `btf__align_of()` computes it (0 when
    /// it has none), remembered per type.
    pub(super) fn align_of(&mut self, id: u32) -> u32 {
        let ptr_sz = self.btf.ptr_size_or_host();
        let cache = &mut self.d.align;
        if cache.ptr_sz != ptr_sz {
            cache.ptr_sz = ptr_sz;
            cache.v.clear();
        }
        if cache.v.len() < self.btf.type_cnt() as usize {
            cache.v.resize(self.btf.type_cnt() as usize, 0);
        }
        self.align_rec(id, 0)
    }

    fn align_rec(&mut self, id: u32, depth: u32) -> u32 {
        const IN_PROGRESS: u8 = u8::MAX - 1;
        const NONE: u8 = u8::MAX;
        match self.d.align.v.get(id as usize).copied() {
            None => return 0,
            Some(0) => {}
            Some(IN_PROGRESS) | Some(NONE) => return 0,
            Some(a) => return a as u32 - 1,
        }
        let Some(t) = self.ty(id) else { return 0 };
        if depth >= super::MAX_NESTING {
            return 0;
        }
        let ptr_sz = self.d.align.ptr_sz;
        self.d.align.v[id as usize] = IN_PROGRESS;
        let align = match t.kind() {
            BTF_KIND_INT | BTF_KIND_ENUM | BTF_KIND_ENUM64 | BTF_KIND_FLOAT => Some(ptr_sz.min(t.size())),
            BTF_KIND_PTR => Some(ptr_sz),
            BTF_KIND_TYPEDEF | BTF_KIND_VOLATILE | BTF_KIND_CONST | BTF_KIND_RESTRICT | BTF_KIND_TYPE_TAG => {
                Some(self.align_rec(t.type_id(), depth + 1))
            }
            BTF_KIND_ARRAY => Some(t.array().map_or(0, |a| self.align_rec(a.elem_type, depth + 1))),
            BTF_KIND_STRUCT | BTF_KIND_UNION => {
                let mut max_align = 1;
                let mut result = None;
                for m in t.members() {
                    let a = self.align_rec(m.type_id, depth + 1);
                    if a == 0 {
                        result = Some(0);
                        break;
                    }
                    max_align = max_align.max(a);
                    // A member off its natural alignment: the struct is packed.
                    if m.bitfield_size == 0 && m.offset as u64 % (8 * a as u64) != 0 {
                        result = Some(1);
                        break;
                    }
                }
                Some(result.unwrap_or(if t.size() % max_align != 0 { 1 } else { max_align }))
            }
            kind => {
                pr_warn!("unsupported BTF_KIND:{kind}");
                None
            }
        };
        self.d.align.v[id as usize] = match align {
            Some(a) if a < IN_PROGRESS as u32 - 1 => a as u8 + 1,
            _ => NONE,
        };
        align.unwrap_or(0)
    }
}
