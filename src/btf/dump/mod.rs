//! BTF to C (`btf_dump`): C declarations of types with everything they
//! depend on, single declarations, and typed data pretty-printed as C
//! initialisers. Output is byte-for-byte libbpf 1.8's.
//!
//! # Use
//!
//! A [`BtfDump`] keeps what must stay consistent across calls on one BTF
//! (which types were printed, which names were taken and how duplicates
//! were renamed `name___2`, ...). Every call borrows the [`Btf`] (the same
//! one each time; types may have been appended since the last call) and
//! writes text through an [`Out`], which buffers it and hands it to a sink
//! in large pieces.
//!
//! - [`BtfDump::dump_type`]: the C definition of a type, preceded by every
//!   type it needs that was not printed yet, in an order a C compiler
//!   accepts (forward declarations where a pointer suffices, anonymous types
//!   inline, `__attribute__((packed))` where the layout says so, explicit
//!   padding fields, `mode(byte)`/`mode(word)` for odd enum sizes).
//! - [`BtfDump::emit_type_decl`]: one declaration (`int (*f)(void)`), with a
//!   field name, indentation and optionally without qualifiers.
//! - [`BtfDump::dump_type_data`]: a value of a type, as a C compound
//!   literal (`(struct s){.a = (int)1,}`).
//!
//! # Hostile BTF
//!
//! Every walk is bounded: recursion stops at [`MAX_NESTING`] levels,
//! declaration chains at [`MAX_CHAIN`] links, and each call at a budget of
//! recursive steps far above what real BTF needs ([`STEP_BUDGET`], plus a
//! share per type and per byte of data), with a warning, so looping type
//! graphs neither hang (even those whose expansion grows exponentially)
//! nor overflow the stack (libbpf would).

mod data;
mod decl;
mod emit;
mod numbers;
mod order;
mod state;

#[cfg(test)]
mod tests;

use super::data::Btf;
use crate::error::{Error, Result};
use crate::btf::types::Type;
use crate::uapi::btf::*;
use state::{AlignCache, Flags, Names};

/// Deepest recursion through nested types (ordering, emission, typed data).
pub const MAX_NESTING: u32 = 256;
/// Longest chain of pointers, modifiers and arrays in one declaration.
pub const MAX_CHAIN: usize = 64;
/// Recursive steps one call may take, before per-type and per-byte shares.
pub const STEP_BUDGET: u64 = 1 << 20;
/// Buffered output handed to the sink once it reaches this size.
const FLUSH_AT: usize = 64 * 1024;

/// Where dumped text goes: bytes are buffered and handed to `sink` in
/// pieces (at the latest when the `Out` is dropped). The sink receives the
/// buffer and may append to it (e.g. a NUL terminator); it is cleared after.
pub struct Out<'a> {
    buf: &'a mut Vec<u8>,
    sink: &'a mut dyn FnMut(&mut Vec<u8>),
}

impl<'a> Out<'a> {
    /// Text written to `buf` (expected empty) goes to `sink`.
    pub fn new(buf: &'a mut Vec<u8>, sink: &'a mut dyn FnMut(&mut Vec<u8>)) -> Out<'a> {
        Out { buf, sink }
    }

    #[inline]
    pub(crate) fn put(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= FLUSH_AT {
            self.flush();
        }
    }

    /// Hands buffered text to the sink.
    pub fn flush(&mut self) {
        if !self.buf.is_empty() {
            (self.sink)(self.buf);
            self.buf.clear();
        }
    }
}

impl Drop for Out<'_> {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Options of [`BtfDump::emit_type_decl`].
#[derive(Clone, Copy, Debug, Default)]
pub struct DeclOpts<'a> {
    /// The declared name ("" for an abstract declarator such as a cast).
    pub field_name: &'a [u8],
    /// Indentation (in tabs) of the lines of inline struct/union/enum bodies.
    pub indent_level: i32,
    /// Leave out `const`, `volatile`, `restrict` and type tags.
    pub strip_mods: bool,
}

/// Options of [`BtfDump::dump_type_data`].
#[derive(Clone, Copy, Debug)]
pub struct DataOpts<'a> {
    /// One level of indentation (libbpf keeps at most 31 bytes of it).
    pub indent_str: &'a [u8],
    /// Levels of indentation of the outermost value (libbpf keeps 8 bits).
    pub indent_level: u8,
    /// Everything on one line, no indentation.
    pub compact: bool,
    /// No `.member = ` and no `(type)` casts.
    pub skip_names: bool,
    /// Also print members that are zero.
    pub emit_zeroes: bool,
    /// Print NUL-terminated char arrays as `"strings"`.
    pub emit_strings: bool,
}

impl Default for DataOpts<'_> {
    fn default() -> Self {
        DataOpts {
            indent_str: b"\t",
            indent_level: 0,
            compact: false,
            skip_names: false,
            emit_zeroes: false,
            emit_strings: false,
        }
    }
}

/// The state of a BTF-to-C printer (see the module docs).
pub struct BtfDump {
    /// Pointer size of the dumped BTF (8 unless the BTF says otherwise).
    ptr_sz: u32,
    flags: Flags,
    names: Names,
    align: AlignCache,
    /// Types to define, in order, for the current `dump_type` call.
    queue: Vec<u32>,
    /// Shared stack of declaration chains (each call works on its own top).
    decl_stack: Vec<u32>,
    /// Storage for [`Cx`]'s list of types being walked, kept across calls.
    active: Vec<u32>,
}

impl BtfDump {
    /// A printer for `btf`. `EINVAL` when the BTF holds a kind the printer
    /// does not know.
    pub fn new(btf: &Btf) -> Result<BtfDump> {
        let mut d = BtfDump {
            ptr_sz: btf.pointer_size().unwrap_or(core::mem::size_of::<usize>() as u32),
            flags: Flags::default(),
            names: Names::default(),
            align: AlignCache::default(),
            queue: Vec::new(),
            decl_stack: Vec::new(),
            active: Vec::new(),
        };
        d.flags.mark_references(btf)?;
        // Enough for kernel BTF without growing.
        d.names.tags.reserve(btf, btf.type_cnt() as usize / 8);
        d.names.idents.reserve(btf, btf.type_cnt() as usize / 4);
        Ok(d)
    }

    /// The pointer size the printer assumes (fixed when it was created).
    pub fn pointer_size(&self) -> u32 {
        self.ptr_sz
    }

    /// Prints the C definition of type `id` and, first, of every type it
    /// depends on that an earlier call has not printed yet (all types in id
    /// order give a complete header). Functions, variables and sections
    /// print nothing. `EINVAL` for an id out of range or an unknown kind,
    /// `ELOOP` when the types cannot be ordered (a struct containing itself).
    pub fn dump_type(&mut self, btf: &Btf, id: u32, out: &mut Out<'_>) -> Result<()> {
        if id >= btf.type_cnt() {
            return Err(Error::INVAL);
        }
        self.flags.mark_references(btf)?;
        // Functions, variables, sections and tags print nothing (most ids
        // of kernel BTF): settle them without setting up a walk.
        if btf.type_by_id(id).is_some_and(|t| {
            matches!(t.kind(), BTF_KIND_FUNC | BTF_KIND_VAR | BTF_KIND_DATASEC | BTF_KIND_DECL_TAG)
        }) {
            self.flags.set_order(id, state::ORDERED);
            return Ok(());
        }
        self.queue.clear();
        let mut cx = Cx::new(btf, self, out);
        cx.order_type(id, false)?;
        let queue = core::mem::take(&mut cx.d.queue);
        for &qid in &queue {
            cx.emit_type(qid, 0);
        }
        cx.d.queue = queue;
        Ok(())
    }

    /// Prints the declaration of type `id` (no definitions of named types;
    /// anonymous ones inline), as C would declare a field or variable named
    /// `opts.field_name`. `EINVAL` for an id out of range or an unknown kind.
    pub fn emit_type_decl(&mut self, btf: &Btf, id: u32, opts: &DeclOpts<'_>, out: &mut Out<'_>) -> Result<()> {
        self.flags.mark_references(btf)?;
        if id >= btf.type_cnt() {
            return Err(Error::INVAL);
        }
        let mut cx = Cx::new(btf, self, out);
        cx.strip_mods = opts.strip_mods;
        cx.emit_decl(id, opts.field_name, opts.indent_level);
        Ok(())
    }

    /// Prints the value in `data` of type `id` as a C initialiser. Returns
    /// the size of the type (what was shown), or: `ENOENT` for an unknown
    /// id; `E2BIG` when `data` ends before a scalar it should show (what
    /// came before is printed); `EINVAL` for types without a size or with
    /// sizes no C scalar has; `EOPNOTSUPP` for kinds without a value
    /// (functions, tags).
    pub fn dump_type_data(
        &mut self,
        btf: &Btf,
        id: u32,
        data: &[u8],
        opts: &DataOpts<'_>,
        out: &mut Out<'_>,
    ) -> Result<i32> {
        btf.type_by_id(id).ok_or(Error::NOENT)?;
        self.flags.grow(btf.type_cnt());
        let mut cx = Cx::new(btf, self, out);
        cx.steps_left += 64 * data.len() as u64;
        data::dump_value(&mut cx, id, data, opts)
    }
}

/// One call's view: the BTF, the printer state and the output.
pub(super) struct Cx<'a, 'o> {
    btf: &'a Btf,
    d: &'a mut BtfDump,
    out: &'a mut Out<'o>,
    /// Current recursion depth (bounded by [`MAX_NESTING`]).
    depth: u32,
    /// Whether a limit was hit (warned once per call).
    too_deep: bool,
    /// Recursive steps left for this call.
    steps_left: u64,
    /// Leave qualifiers and type tags out of declarations.
    strip_mods: bool,
    /// Print anonymous types by kind only (`struct`), not inline.
    skip_anon_defs: bool,
    /// Types marked [`state::ACTIVE`], cleared when the call ends.
    active: Vec<u32>,
    /// The BTF's own records and where each starts (for [`Cx::ty`]).
    words: &'a [u32],
    offs: &'a [u32],
}

impl Drop for Cx<'_, '_> {
    fn drop(&mut self) {
        // Normally empty; after an unwinding panic, leave no marks behind.
        for &id in &self.active {
            self.d.flags.clear(id, state::ACTIVE);
        }
        self.active.clear();
        self.d.active = core::mem::take(&mut self.active);
    }
}

impl<'a, 'o> Cx<'a, 'o> {
    fn new(btf: &'a Btf, d: &'a mut BtfDump, out: &'a mut Out<'o>) -> Self {
        let steps_left = STEP_BUDGET + 16 * btf.type_cnt() as u64;
        let active = core::mem::take(&mut d.active);
        let (words, offs) = (btf.type_words(), &btf.type_offs[..]);
        Cx {
            btf,
            d,
            out,
            depth: 0,
            too_deep: false,
            steps_left,
            strip_mods: false,
            skip_anon_defs: false,
            active,
            words,
            offs,
        }
    }

    /// Type `id` ([`Btf::type_by_id`], with the BTF's sections looked up
    /// once per call: the printers' hottest path).
    #[inline]
    fn ty(&self, id: u32) -> Option<Type<'a>> {
        let Some(i) = id.checked_sub(self.btf.start_id()) else { return self.btf.type_by_id(id) };
        let i = i as usize;
        let start = *self.offs.get(i)? as usize;
        let end = self.offs.get(i + 1).map_or(self.words.len(), |&o| o as usize);
        self.words.get(start..end).map(Type::new)
    }

    /// Enters one level of recursion; false (with one warning) past the
    /// nesting limit or the step budget.
    fn enter(&mut self) -> bool {
        if self.depth >= MAX_NESTING || self.steps_left == 0 {
            if !self.too_deep {
                self.too_deep = true;
                pr_warn!("btf_dump: types nested too deep or too large to print (a type loop?), output cut short");
            }
            return false;
        }
        self.steps_left -= 1;
        self.depth += 1;
        true
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Marks `id` as being walked; false when it already is (a loop).
    fn activate(&mut self, id: u32) -> bool {
        if self.d.flags.has(id, state::ACTIVE) {
            return false;
        }
        self.d.flags.set(id, state::ACTIVE);
        self.active.push(id);
        true
    }

    /// Warns (once per call) that type `id` contains itself.
    fn warn_loop(&mut self, id: u32) {
        if !self.too_deep {
            self.too_deep = true;
            pr_warn!("btf_dump: type [{id}] contains itself (no C type does), output cut short");
        }
    }

    fn deactivate(&mut self, id: u32) {
        self.d.flags.clear(id, state::ACTIVE);
        // Marks are taken and released in stack order.
        if self.active.last() == Some(&id) {
            self.active.pop();
        } else if let Some(at) = self.active.iter().rposition(|&a| a == id) {
            self.active.remove(at);
        }
    }

    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.out.put(bytes);
    }

    /// The string at `off` as libbpf prints it ("(null)" when invalid).
    fn str_at(&self, off: u32) -> &'a [u8] {
        self.btf.str_bytes(off).unwrap_or(b"(null)")
    }

    /// Indentation for C definitions: `lvl` tabs, at most 13 (a negative
    /// level, as C's size_t comparison sees it, is 13 too).
    fn put_tabs(&mut self, lvl: i32) {
        const TABS: &[u8; 13] = b"\t\t\t\t\t\t\t\t\t\t\t\t\t";
        let n = if (0..13).contains(&lvl) { lvl as usize } else { 13 };
        self.out.put(&TABS[..n]);
    }
}
