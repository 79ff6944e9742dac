//! C declarators: turning a chain of BTF types (typedef → array → pointer →
//! const → int) into C syntax (`const int *name[10]`).
//!
//! The chain is collected outermost first onto a stack, down to a type
//! that has a name of its own (int, struct, typedef, ...); the C text is
//! then written from the top of the stack (the base type) back out:
//! qualifiers of the base type go before it, those of pointers after the
//! `*`, and arrays and function prototypes wrap what remains in
//! parentheses. Nested declarations (parameters, inline struct members)
//! push their own chains above the current one on the shared stack.

use super::{Cx, MAX_CHAIN};
use crate::uapi::btf::*;

impl Cx<'_, '_> {
    /// Prints the declaration of `name` (may be empty) with type `id`;
    /// anonymous struct/union/enum bodies are indented at `lvl`.
    pub(super) fn emit_decl(&mut self, id: u32, name: &[u8], lvl: i32) {
        if !self.enter() {
            return;
        }
        let start = self.d.decl_stack.len();
        let mut id = id;
        loop {
            let Some(t) = self.ty(id) else {
                pr_warn!("unexpected type in decl chain, kind:0, id:[{id}]");
                break;
            };
            // A chain that comes back to a type it went through loops (no C
            // type does), as does one longer than any real declaration.
            if self.d.decl_stack[start..].contains(&id) || self.d.decl_stack.len() - start >= MAX_CHAIN {
                self.warn_loop(id);
                break;
            }
            if !(self.strip_mods && t.is_mod()) {
                self.d.decl_stack.push(id);
            }
            if id == 0 {
                break;
            }
            id = match t.kind() {
                BTF_KIND_PTR | BTF_KIND_VOLATILE | BTF_KIND_CONST | BTF_KIND_RESTRICT | BTF_KIND_FUNC_PROTO
                | BTF_KIND_TYPE_TAG => t.type_id(),
                BTF_KIND_ARRAY => t.array().map_or(0, |a| a.elem_type),
                BTF_KIND_INT | BTF_KIND_ENUM | BTF_KIND_ENUM64 | BTF_KIND_FWD | BTF_KIND_STRUCT | BTF_KIND_UNION
                | BTF_KIND_TYPEDEF | BTF_KIND_FLOAT => break,
                kind => {
                    pr_warn!("unexpected type in decl chain, kind:{kind}, id:[{id}]");
                    break;
                }
            };
        }
        let top = self.d.decl_stack.len();
        self.emit_chain(start, top, name, lvl);
        self.d.decl_stack.truncate(start);
        self.leave();
    }

    /// Prints qualifiers on top of the chain (those of the base type,
    /// written before it); returns the new top.
    fn emit_leading_mods(&mut self, start: usize, mut top: usize) -> usize {
        while top > start {
            let Some(t) = self.ty(self.d.decl_stack[top - 1]) else { break };
            let word: &[u8] = match t.kind() {
                BTF_KIND_VOLATILE => b"volatile ",
                BTF_KIND_CONST => b"const ",
                BTF_KIND_RESTRICT => b"restrict ",
                _ => break,
            };
            self.put(word);
            top -= 1;
        }
        top
    }

    /// Drops qualifiers and type tags on top of the chain (those GCC puts on
    /// arrays and noreturn function pointers); returns the new top.
    fn drop_mods(&self, start: usize, mut top: usize) -> usize {
        while top > start && self.ty(self.d.decl_stack[top - 1]).is_some_and(|t| t.is_mod()) {
            top -= 1;
        }
        top
    }

    /// The declared name, separated from a preceding type by a space (but
    /// not from a `*`).
    fn emit_declared_name(&mut self, name: &[u8], last_was_ptr: bool) {
        if !name.is_empty() && !last_was_ptr {
            self.put(b" ");
        }
        self.put(name);
    }

    /// Writes the chain `decl_stack[start..top]` (base type on top).
    fn emit_chain(&mut self, start: usize, mut top: usize, name: &[u8], lvl: i32) {
        // True at first: a lone pointer ending a function prototype's chain
        // prints as `(*name)`.
        let mut last_was_ptr = true;
        while top > start {
            top -= 1;
            let id = self.d.decl_stack[top];
            if id == 0 {
                top = self.emit_leading_mods(start, top);
                self.put(b"void");
                last_was_ptr = false;
                continue;
            }
            let Some(t) = self.ty(id) else { return };
            let kind = t.kind();
            match kind {
                BTF_KIND_INT | BTF_KIND_FLOAT => {
                    top = self.emit_leading_mods(start, top);
                    let n = self.str_at(t.name_off());
                    self.put(n);
                }
                BTF_KIND_STRUCT | BTF_KIND_UNION => {
                    top = self.emit_leading_mods(start, top);
                    // Anonymous ones are defined inline (once: one inside
                    // itself is a loop no C type has).
                    if t.name_off() == 0 && !self.skip_anon_defs && self.activate(id) {
                        self.emit_struct_def(id, t, lvl);
                        self.deactivate(id);
                    } else {
                        self.emit_struct_fwd(id, t);
                    }
                }
                BTF_KIND_ENUM | BTF_KIND_ENUM64 => {
                    top = self.emit_leading_mods(start, top);
                    if t.name_off() == 0 && !self.skip_anon_defs {
                        self.emit_enum_def(id, t, lvl);
                    } else {
                        self.emit_enum_fwd(id);
                    }
                }
                BTF_KIND_FWD => {
                    top = self.emit_leading_mods(start, top);
                    self.emit_fwd_def(id, t);
                }
                BTF_KIND_TYPEDEF => {
                    top = self.emit_leading_mods(start, top);
                    self.put_name(id, true);
                }
                BTF_KIND_PTR => self.put(if last_was_ptr { b"*" } else { b" *" }),
                BTF_KIND_VOLATILE => self.put(b" volatile"),
                BTF_KIND_CONST => self.put(b" const"),
                BTF_KIND_RESTRICT => self.put(b" restrict"),
                BTF_KIND_TYPE_TAG => {
                    top = self.emit_leading_mods(start, top);
                    let tag = self.str_at(t.name_off());
                    // kflag: an arbitrary attribute (`btf_type_attr`).
                    if t.kflag() {
                        self.put(b" __attribute__((");
                        self.put(tag);
                        self.put(b"))");
                    } else {
                        self.put(b" __attribute__((btf_type_tag(\"");
                        self.put(tag);
                        self.put(b"\")))");
                    }
                }
                BTF_KIND_ARRAY => {
                    let nelems = t.array().map_or(0, |a| a.nelems);
                    top = self.drop_mods(start, top);
                    if top == start {
                        self.emit_declared_name(name, last_was_ptr);
                    } else {
                        // What is left declares an array of it: wrap it in
                        // parentheses unless it is another dimension.
                        let multidim = self.ty(self.d.decl_stack[top - 1]).is_some_and(|n| n.is_array());
                        if !name.is_empty() && !last_was_ptr {
                            self.put(b" ");
                        }
                        if !multidim {
                            self.put(b"(");
                        }
                        self.emit_nested_chain(start, top, name, lvl);
                        if !multidim {
                            self.put(b")");
                        }
                    }
                    self.put(b"[");
                    self.put_u64(nelems as u64);
                    self.put(b"]");
                    return;
                }
                BTF_KIND_FUNC_PROTO => {
                    top = self.drop_mods(start, top);
                    if top > start {
                        self.put(b" (");
                        self.emit_nested_chain(start, top, name, lvl);
                        self.put(b")");
                    } else {
                        self.emit_declared_name(name, last_was_ptr);
                    }
                    self.emit_params(id, t, lvl);
                    return;
                }
                _ => {
                    pr_warn!("unexpected type in decl chain, kind:{kind}, id:[{id}]");
                    return;
                }
            }
            last_was_ptr = kind == BTF_KIND_PTR;
        }
        self.emit_declared_name(name, last_was_ptr);
    }

    /// The rest of a chain inside an array or prototype declarator, one
    /// level deeper (bounded: chains of arrays or prototypes may loop).
    fn emit_nested_chain(&mut self, start: usize, top: usize, name: &[u8], lvl: i32) {
        if self.enter() {
            self.emit_chain(start, top, name, lvl);
            self.leave();
        }
    }

    /// `(type name, ...)`: `(void)` for none (or a lone void, as clang
    /// describes `f(void)`), `...` for a trailing void.
    fn emit_params(&mut self, id: u32, proto: crate::btf::types::Type<'_>, lvl: i32) {
        self.put(b"(");
        // A parameter whose type leads back to this prototype loops (no C
        // type does).
        if !self.activate(id) {
            self.warn_loop(id);
            self.put(b")");
            return;
        }
        self.emit_param_list(proto, lvl);
        self.deactivate(id);
    }

    fn emit_param_list(&mut self, proto: crate::btf::types::Type<'_>, lvl: i32) {
        let vlen = proto.vlen() as usize;
        if vlen == 0 || (vlen == 1 && proto.params().next().is_some_and(|p| p.type_id == 0)) {
            self.put(b"void)");
            return;
        }
        for (i, p) in proto.params().enumerate() {
            if i > 0 {
                self.put(b", ");
            }
            if i == vlen - 1 && p.type_id == 0 {
                self.put(b"...");
                break;
            }
            let pname = self.str_at(p.name_off);
            self.emit_decl(p.type_id, pname, lvl);
        }
        self.put(b")");
    }
}
