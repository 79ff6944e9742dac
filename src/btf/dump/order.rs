//! Which definitions `dump_type` prints, in which order.
//!
//! A depth-first walk from the requested type queues every named type that
//! must be defined, dependencies first. C needs a type defined before it is
//! embedded (a struct member, an array element: a *strong* dependency), but
//! a forward declaration is enough behind a pointer (*weak*) — unless what
//! the pointer leads to is anonymous, which is then defined inline and so
//! brings its own strong dependencies. Each step returns whether the link
//! from its caller is strong.

use super::state::*;
use super::Cx;
use crate::btf::types::Type;
use crate::error::{Error, Result};
use crate::uapi::btf::*;

impl Cx<'_, '_> {
    /// Orders type `id`, reached through a pointer or not; returns whether
    /// the caller needs it fully defined (strong link). `ELOOP` for a cycle
    /// of strong links (or a graph nested too deep), `EINVAL` for an
    /// unknown kind or id.
    #[inline]
    pub(super) fn order_type(&mut self, id: u32, through_ptr: bool) -> Result<bool> {
        // Done before: whoever reaches it again may rely on its definition.
        if self.d.flags.order(id) == ORDERED {
            return Ok(true);
        }
        self.order_step(id, through_ptr)
    }

    fn order_step(&mut self, id: u32, through_ptr: bool) -> Result<bool> {
        if !self.enter() {
            return Err(Error::new(libc::ELOOP));
        }
        let r = self.order_inner(id, through_ptr);
        self.leave();
        r
    }

    fn order_inner(&mut self, id: u32, through_ptr: bool) -> Result<bool> {
        let state = self.d.flags.order(id);
        let t = self.ty(id).ok_or(Error::INVAL)?;
        let named = t.name_off() != 0;
        if state == ORDERING {
            // Back at a struct being ordered: fine through a pointer to a
            // named one (a forward declaration breaks the cycle).
            if t.is_composite() && through_ptr && named {
                return Ok(false);
            }
            pr_warn!("unsatisfiable type cycle, id:[{id}]");
            return Err(Error::new(libc::ELOOP));
        }
        // Pointers, arrays, qualifiers and prototypes have no ordering state
        // of their own; reaching one again while ordering it means the graph
        // loops without a named struct in between, which no C type does
        // (typedefs may be reached again, through a struct's pointer member).
        let stateless = matches!(
            t.kind(),
            BTF_KIND_PTR | BTF_KIND_ARRAY | BTF_KIND_VOLATILE | BTF_KIND_CONST | BTF_KIND_RESTRICT | BTF_KIND_TYPE_TAG
                | BTF_KIND_FUNC_PROTO
        );
        if !stateless {
            return self.order_kind(id, t, through_ptr);
        }
        if !self.activate(id) {
            pr_warn!("unsatisfiable type cycle, id:[{id}]");
            return Err(Error::new(libc::ELOOP));
        }
        let r = self.order_kind(id, t, through_ptr);
        self.deactivate(id);
        r
    }

    fn order_kind(&mut self, id: u32, t: Type<'_>, through_ptr: bool) -> Result<bool> {
        let named = t.name_off() != 0;
        match t.kind() {
            BTF_KIND_INT | BTF_KIND_FLOAT => {
                self.d.flags.set_order(id, ORDERED);
                Ok(false)
            }
            BTF_KIND_PTR => {
                let r = self.order_type(t.type_id(), true);
                self.d.flags.set_order(id, ORDERED);
                r
            }
            BTF_KIND_ARRAY => self.order_type(t.array().ok_or(Error::INVAL)?.elem_type, false),
            BTF_KIND_STRUCT | BTF_KIND_UNION => {
                // A named struct behind a pointer only needs a declaration.
                if through_ptr && named {
                    return Ok(false);
                }
                self.d.flags.set_order(id, ORDERING);
                for m in t.members() {
                    self.order_type(m.type_id, false)?;
                }
                // Anonymous ones are defined inline by whoever embeds them.
                if named {
                    self.d.queue.push(id);
                }
                self.d.flags.set_order(id, ORDERED);
                Ok(true)
            }
            BTF_KIND_ENUM | BTF_KIND_ENUM64 | BTF_KIND_FWD => {
                // Named ones are declared on their own; so is an anonymous
                // enum nothing refers to (a set of constants).
                if named || !self.d.flags.has(id, REFERENCED) {
                    self.d.queue.push(id);
                }
                self.d.flags.set_order(id, ORDERED);
                Ok(true)
            }
            BTF_KIND_TYPEDEF => {
                let strong = self.order_type(t.type_id(), through_ptr)?;
                if through_ptr && !strong {
                    return Ok(false);
                }
                self.d.queue.push(id);
                self.d.flags.set_order(id, ORDERED);
                Ok(true)
            }
            BTF_KIND_VOLATILE | BTF_KIND_CONST | BTF_KIND_RESTRICT | BTF_KIND_TYPE_TAG => {
                self.order_type(t.type_id(), through_ptr)
            }
            BTF_KIND_FUNC_PROTO => {
                let mut strong = self.order_type(t.type_id(), through_ptr)?;
                for p in t.params() {
                    strong |= self.order_type(p.type_id, through_ptr)?;
                }
                Ok(strong)
            }
            BTF_KIND_FUNC | BTF_KIND_VAR | BTF_KIND_DATASEC | BTF_KIND_DECL_TAG => {
                self.d.flags.set_order(id, ORDERED);
                Ok(false)
            }
            _ => Err(Error::INVAL),
        }
    }
}
