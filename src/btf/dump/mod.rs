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
//! Every walk is bounded: recursion stops at [`MAX_NESTING`] levels and
//! declaration chains at [`MAX_CHAIN`] links, with a warning, so looping
//! type graphs neither hang nor overflow the stack (libbpf would).

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
use state::{AlignCache, Flags, Names};

/// Deepest recursion through nested types (ordering, emission, typed data).
pub const MAX_NESTING: u32 = 256;
/// Longest chain of pointers, modifiers and arrays in one declaration.
pub const MAX_CHAIN: usize = 1024;
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
        let t = btf.type_by_id(id).ok_or(Error::NOENT)?;
        self.flags.grow(btf.type_cnt());
        let mut cx = Cx::new(btf, self, out);
        data::dump_value(&mut cx, t, id, data, opts)
    }
}

/// One call's view: the BTF, the printer state and the output.
pub(super) struct Cx<'a, 'o> {
    btf: &'a Btf,
    d: &'a mut BtfDump,
    out: &'a mut Out<'o>,
    /// Current recursion depth (bounded by [`MAX_NESTING`]).
    depth: u32,
    /// Whether the nesting limit was hit (warned once per call).
    too_deep: bool,
    /// Leave qualifiers and type tags out of declarations.
    strip_mods: bool,
    /// Print anonymous types by kind only (`struct`), not inline.
    skip_anon_defs: bool,
}

impl<'a, 'o> Cx<'a, 'o> {
    fn new(btf: &'a Btf, d: &'a mut BtfDump, out: &'a mut Out<'o>) -> Self {
        Cx { btf, d, out, depth: 0, too_deep: false, strip_mods: false, skip_anon_defs: false }
    }

    /// Enters one level of recursion; false (with one warning) past the limit.
    fn enter(&mut self) -> bool {
        if self.depth >= MAX_NESTING {
            if !self.too_deep {
                self.too_deep = true;
                pr_warn!("btf_dump: types nested deeper than {MAX_NESTING} levels (a type loop?), output cut short");
            }
            return false;
        }
        self.depth += 1;
        true
    }

    fn leave(&mut self) {
        self.depth -= 1;
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
