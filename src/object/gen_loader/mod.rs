//! Loader programs for light skeletons (`bpf_object__gen_loader()`).
//!
//! Once an object has a loader session, `bpf_object__load()` creates
//! nothing in the kernel. The load pipeline runs as usual (externs, CO-RE
//! records, relocation, BTF, maps, programs), but each step that would
//! call the kernel is recorded instead, as instructions of one
//! `BPF_PROG_TYPE_SYSCALL` program and the bytes they use (the data blob).
//! A light skeleton (`skel_internal.h`'s `bpf_load_and_run()`) puts the
//! blob in a one-element array map, loads the program with that map as
//! `fd_array[0]` and runs it once with `BPF_PROG_RUN`; the program then
//! loads the BTF, creates and fills the maps, resolves kernel symbols and
//! attach targets, loads the programs (the kernel applying their CO-RE
//! relocations) and hands every map and program fd back through the
//! context (`struct bpf_loader_ctx` followed by the skeleton's map and
//! program descriptors). On any failure it closes what it created and
//! returns the negative errno.
//!
//! - [`emit`]: the generator, a pure value turning load steps into
//!   instructions and data ([`emit::Generator`]);
//! - [`asm`]: instruction constructors; [`layout`]: attr and context layouts;
//! - [`steps`]: the hooks the object's load pipeline calls in loader mode.
//!
//! As in libbpf, the generating process assumes the newest kernel (every
//! feature probe answers yes), does not load vmlinux BTF (typed ksyms,
//! kfuncs, attach targets and CO-RE are resolved by the loader in the
//! kernel it runs on) and fills `.kconfig` and typeless ksyms from the
//! generating host.

pub mod asm;
pub mod emit;
pub mod layout;
pub mod steps;

#[cfg(test)]
mod interp;
#[cfg(test)]
mod tests;

pub use emit::{Generator, Output};

/// Where a finished loader goes: the C boundary writes it into the
/// application's `struct gen_loader_opts`.
pub trait Sink {
    /// The `gen_hash` option, read when generation starts.
    fn gen_hash(&self) -> bool;
    /// Hands out the loader's instructions and data; the slices stay valid
    /// (and unchanged) until the object is closed.
    fn report(&self, insns: &[u8], data: &[u8]);
}

/// An object's loader session.
pub struct Session {
    sink: Box<dyn Sink>,
    /// The generator, from the start of `prepare` to the end of `load`.
    gen: Option<Generator>,
    /// Whether generation started (it can not start after `prepare`).
    started: bool,
    /// The finished loader, owned by the object for the application.
    output: Option<Output>,
    /// Loaders of replaced sessions: the application may still hold them.
    retired: Vec<Output>,
}

impl Session {
    pub fn new(sink: Box<dyn Sink>) -> Session {
        Session {
            sink,
            gen: None,
            started: false,
            output: None,
            retired: Vec::new(),
        }
    }

    /// The finished loader, once `load` succeeded.
    pub fn output(&self) -> Option<&Output> {
        self.output.as_ref()
    }
}

impl core::fmt::Debug for Session {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Session")
            .field("started", &self.started)
            .field("output", &self.output.is_some())
            .finish()
    }
}

impl super::Object {
    /// `bpf_object__gen_loader()`: the next load generates a loader
    /// program (see the module documentation) instead of loading. A second
    /// call replaces the first (a loader already generated stays valid);
    /// after a load the next load fails anyway.
    pub fn set_gen_loader(&mut self, sink: Box<dyn Sink>) {
        let mut s = Session::new(sink);
        if let Some(old) = self.gen.take() {
            // a loader handed out before stays valid until the object closes
            s.retired = old.retired;
            s.retired.extend(old.output);
        }
        self.gen = Some(Box::new(s));
    }

    /// Whether loads of this object generate a loader.
    pub fn generates_loader(&self) -> bool {
        self.gen.is_some()
    }

    /// Whether the loader being generated loads BTF.
    pub fn loader_has_btf(&self) -> bool {
        self.gen
            .as_ref()
            .and_then(|s| s.gen.as_ref())
            .is_some_and(Generator::has_btf)
    }
}
