//! BTF to C dumping (`btf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping
//! only. A `struct btf_dump *` is a `Box<DumpHandle>`: the core printer
//! (`crate::btf::dump`), the BTF it prints (kept alive), the caller's
//! printf callback and a reused output buffer, handed to the callback as
//! `"%s"` in large pieces at the latest when each call returns.

use std::sync::Arc;

use crate::btf::dump::{DataOpts, DeclOpts, Out};
use crate::btf::{Btf, BtfDump};
use crate::error::{Error, Result};
use crate::ffi::api::btf_h::types::*;
use crate::ffi::btf_handle::*;
use crate::ffi::ctypes::*;
use crate::ffi::entry::ffi;
use crate::ffi::opts;

type PrintfFn = unsafe extern "C" fn(ctx: *mut c_void, fmt: *const c_char, args: va_list);

extern "C" {
    /// `csrc/print.c`: calls `f(ctx, "%s", msg)` with a real `va_list`.
    fn oxbpf_call_dump_printf_fn(f: PrintfFn, ctx: *mut c_void, msg: *const c_char);
}

/// What a `struct btf_dump *` points to.
struct DumpHandle {
    btf: Arc<Btf>,
    core: BtfDump,
    printf: PrintfFn,
    ctx: *mut c_void,
    buf: Vec<u8>,
}

impl DumpHandle {
    /// Runs `f` with an output that goes to the caller's callback.
    fn run<R>(&mut self, f: impl FnOnce(&mut BtfDump, &Btf, &mut Out<'_>) -> R) -> R {
        let (printf, ctx) = (self.printf, self.ctx);
        let mut sink = move |text: &mut Vec<u8>| {
            text.push(0);
            // SAFETY: `printf` is the caller's callback for `ctx`; `text` is
            // NUL-terminated (BTF names and printed values hold no NUL).
            unsafe { oxbpf_call_dump_printf_fn(printf, ctx, text.as_ptr().cast()) };
        };
        let mut out = Out::new(&mut self.buf, &mut sink);
        let r = f(&mut self.core, &self.btf, &mut out);
        drop(out);
        r
    }
}

/// Borrows a dump handle (`EINVAL` for NULL).
///
/// # Safety
/// `d` is NULL or a live handle from `btf_dump__new()`, used by one thread.
unsafe fn handle<'a>(d: *mut btf_dump) -> Result<&'a mut DumpHandle> {
    // SAFETY: per the contract.
    unsafe { d.cast::<DumpHandle>().as_mut() }.ok_or(Error::INVAL)
}

/// Prints the C definition of type `id`, preceded by the definitions (or
/// forward declarations) of every type it needs that this dumper has not
/// printed yet; calling it for every id in order prints a complete,
/// compilable header. Returns 0, or `-EINVAL` (id out of range, unknown
/// kind) or `-ELOOP` (types that cannot be ordered, e.g. a struct that
/// contains itself).
#[no_mangle]
pub unsafe extern "C" fn btf_dump__dump_type(d: *mut btf_dump, id: __u32) -> c_int {
    ffi("btf_dump__dump_type", || {
        // SAFETY: NULL or a live handle.
        let h = unsafe { handle(d) }?;
        h.run(|core, btf, out| core.dump_type(btf, id, out)).map(|_| 0)
    })
}

/// Prints the value in `data` (`data_sz` bytes) of type `id` as a C
/// initialiser, e.g. `(struct s){.a = (int)1,}`: on one line if
/// `opts->compact`, else one member per line indented with
/// `opts->indent_str` (default a tab); zero members left out unless
/// `opts->emit_zeroes`; no names or casts if `opts->skip_names`; NUL-ended
/// char arrays as strings if `opts->emit_strings`. Returns the size of the
/// type, or: `-ENOENT` (unknown id), `-E2BIG` (`data_sz` too small for a
/// member to print; what came before is printed), `-EINVAL` (bad opts,
/// types without a size or with impossible sizes, a type containing
/// itself), `-EOPNOTSUPP` (kinds without values).
#[no_mangle]
pub unsafe extern "C" fn btf_dump__dump_type_data(
    d: *mut btf_dump,
    id: __u32,
    data: *const c_void,
    data_sz: size_t,
    opts: *const btf_dump_type_data_opts,
) -> c_int {
    ffi("btf_dump__dump_type_data", || {
        // SAFETY: NULL or `sz` readable bytes.
        let o = unsafe { opts::read(opts) }?;
        // SAFETY: NULL or a live handle.
        let h = unsafe { handle(d) }?;
        let indent: &[u8] = if o.indent_str.is_null() {
            b"\t"
        } else {
            // SAFETY: a NUL-terminated string.
            unsafe { c_bytes(o.indent_str) }?
        };
        let data: &[u8] = match (data.is_null(), data_sz) {
            (true, 0) => &[],
            (true, _) => return Err(Error::INVAL),
            // SAFETY: the caller provides `data_sz` readable bytes at `data`.
            (false, n) => unsafe { core::slice::from_raw_parts(data.cast::<u8>(), n.min(isize::MAX as usize)) },
        };
        let dopts = DataOpts {
            indent_str: indent,
            // libbpf keeps the level in 8 bits.
            indent_level: o.indent_level as u8,
            compact: o.compact,
            skip_names: o.skip_names,
            emit_zeroes: o.emit_zeroes,
            emit_strings: o.emit_strings,
        };
        h.run(|core, btf, out| core.dump_type_data(btf, id, data, &dopts, out))
    })
}

/// Prints the declaration of type `id` as C would declare
/// `opts->field_name` (an abstract declarator when NULL or ""): anonymous
/// struct/union/enum bodies inline (their lines indented by
/// `opts->indent_level` tabs), named types by name; qualifiers left out if
/// `opts->strip_mods`. Returns 0, or `-EINVAL` (bad opts, id out of range).
#[no_mangle]
pub unsafe extern "C" fn btf_dump__emit_type_decl(
    d: *mut btf_dump,
    id: __u32,
    opts: *const btf_dump_emit_type_decl_opts,
) -> c_int {
    ffi("btf_dump__emit_type_decl", || {
        // SAFETY: NULL or `sz` readable bytes.
        let o = unsafe { opts::read(opts) }?;
        // SAFETY: NULL or a live handle.
        let h = unsafe { handle(d) }?;
        let field_name: &[u8] = if o.field_name.is_null() {
            b""
        } else {
            // SAFETY: a NUL-terminated string.
            unsafe { c_bytes(o.field_name) }?
        };
        let dopts = DeclOpts { field_name, indent_level: o.indent_level, strip_mods: o.strip_mods };
        h.run(|core, btf, out| core.emit_type_decl(btf, id, &dopts, out)).map(|_| 0)
    })
}

/// Frees a dumper (NULL is ignored). The BTF it printed stays with its
/// owner.
#[no_mangle]
pub unsafe extern "C" fn btf_dump__free(d: *mut btf_dump) {
    ffi("btf_dump__free", || {
        // libbpf also ignores error pointers (the last 4095 addresses).
        if !d.is_null() && (d as usize) < usize::MAX - 4095 {
            // SAFETY: a handle from `btf_dump__new()`, not used afterwards.
            drop(unsafe { Box::from_raw(d.cast::<DumpHandle>()) });
        }
        Ok(())
    })
}

/// Creates a BTF-to-C printer for `btf`, printing through
/// `printf_fn(ctx, fmt, args)` (called with `"%s"` and text in pieces: the
/// concatenation is the output). The printer keeps `btf` alive until it is
/// freed; types may be added to `btf` between calls. Returns NULL with
/// `errno = EINVAL` for a NULL callback or BTF, bad opts, or a BTF holding
/// kinds the printer does not know.
#[no_mangle]
pub unsafe extern "C" fn btf_dump__new(
    btf: *const btf,
    printf_fn: btf_dump_printf_fn_t,
    ctx: *mut c_void,
    opts: *const btf_dump_opts,
) -> *mut btf_dump {
    ffi("btf_dump__new", || {
        // SAFETY: NULL or `sz` readable bytes.
        unsafe { opts::read(opts) }?;
        let printf = printf_fn.ok_or(Error::INVAL)?;
        // SAFETY: NULL or a live handle, which lives inside an Arc.
        let btf = unsafe { btf_arc(btf) }.ok_or(Error::INVAL)?;
        let core = BtfDump::new(&btf)?;
        let h = DumpHandle { btf, core, printf, ctx, buf: Vec::new() };
        Ok(Box::into_raw(Box::new(h)).cast::<btf_dump>())
    })
}
