//! USDT (user statically defined tracepoints, `<sys/sdt.h>` probes):
//! `bpf_program__attach_usdt()` and `SEC("usdt/<path>:<provider>:<name>")`.
//!
//! A USDT probe is a `nop` in the traced binary plus a note in
//! `.note.stapsdt` telling where it is and where its arguments live. To
//! attach, every site of `provider:name` is found ([`targets`], over the
//! binary's ELF headers read by [`elf`] and its notes decoded by [`note`]),
//! the arguments string of each site is turned into a spec ([`arg`],
//! [`spec`]) stored in the object's `__bpf_usdt_specs` map under a spec id
//! ([`ids`]), and the program is attached as a uprobe at each site with
//! the spec id as BPF cookie (or, on kernels without cookies, with the
//! site's address mapped to the id in `__bpf_usdt_ip_to_spec_id`). The
//! BPF side (`usdt.bpf.h`) reads the spec back to fetch each argument.
//!
//! Everything but [`attach`] (the object, the maps, the link layer's
//! uprobes) is pure and unit-tested; `SEC("usdt/...")` auto-attach goes
//! through `link::auto`, which asks the C boundary (holder of the object)
//! to call `link::usdt::attach`.

pub mod arg;
pub mod attach;
pub mod elf;
pub mod ids;
pub mod manager;
pub mod note;
pub mod scan;
pub mod spec;
pub mod targets;
