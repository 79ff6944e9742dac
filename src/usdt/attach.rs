//! `bpf_program__attach_usdt()` on a loaded object, and the auto-attach of
//! `SEC("usdt/<path>:<provider>:<name>")`.
//!
//! Each object gets, at its first USDT attachment, its USDT state
//! ([`ObjectUsdt`]): where its `__bpf_usdt_specs` and
//! `__bpf_usdt_ip_to_spec_id` maps are (they come from `usdt.bpf.h`, so an
//! object without them cannot attach USDT probes, now or later), what the
//! kernel supports, and the pool of spec ids its attachments share. The
//! uprobes themselves are made by the link layer, through [`Uprobes`].

use std::os::fd::AsRawFd;
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::object::features::Feature;
use crate::object::Object;
use crate::sys::binary::{self, ReadOnlyFile};

use super::elf::{self, Source};
use super::ids::IdPool;
use super::manager::{attach_sites, Ops, Settings, UsdtLink};
use super::spec::Layout;
use super::targets::{self, Kernel, Target};

/// Map of the specs, written by the library and read by `usdt.bpf.h`.
pub const SPECS_MAP: &[u8] = b"__bpf_usdt_specs";
/// Map from probe address to spec id (kernels without BPF cookies).
pub const IP_MAP: &[u8] = b"__bpf_usdt_ip_to_spec_id";
/// `BPF_NOEXIST`: add only.
const BPF_NOEXIST: u64 = 1;
/// Present when uprobes can maintain USDT semaphores.
const REF_CTR_FORMAT: &str = "/sys/bus/event_source/devices/uprobe/format/ref_ctr_offset";

/// The uprobe attachments USDT is made of (implemented by the link layer
/// for one loaded program).
pub trait Uprobes {
    type Link;
    /// One uprobe at file offset `offset` of `path` (pid -1: every
    /// process), with a semaphore at `ref_ctr_offset` (0: none) and a BPF
    /// cookie.
    fn uprobe(&self, pid: i32, path: &str, offset: u64, ref_ctr_offset: u64, cookie: u64) -> Result<Self::Link>;
    /// One multi-uprobe link over several offsets (parallel arrays).
    fn uprobe_multi(&self, pid: i32, path: &str, offsets: &[u64], ref_ctr_offsets: &[u64], cookies: &[u64]) -> Result<Self::Link>;
}

/// An object's USDT state.
#[derive(Debug)]
pub struct ObjectUsdt {
    specs_map: usize,
    ip_map: usize,
    kernel: Kernel,
    uprobe_multi: bool,
    pool: Arc<Mutex<IdPool>>,
}

impl ObjectUsdt {
    /// Finds the support maps and probes the kernel. `ESRCH` (with a
    /// warning) when the object has no USDT maps.
    fn new(o: &Object) -> Result<ObjectUsdt> {
        let (Some(specs_map), Some(ip_map)) = (o.find_map(SPECS_MAP), o.find_map(IP_MAP)) else {
            crate::pr_warn!("usdt: failed to find USDT support BPF maps, did you forget to include bpf/usdt.bpf.h?");
            return Err(Error::new(libc::ESRCH));
        };
        Ok(ObjectUsdt {
            specs_map,
            ip_map,
            kernel: Kernel {
                bpf_cookie: o.supports(Feature::BpfCookie),
                sema_refcnt: crate::sys::tracefs::exists(REF_CTR_FORMAT),
                uprobe_syscall: o.supports(Feature::UprobeSyscall),
                page_size: crate::sys::mmap::page_size() as u64,
            },
            uprobe_multi: o.supports(Feature::UprobeMultiLink),
            pool: Arc::new(Mutex::new(IdPool::default())),
        })
    }

    /// What the kernel offers, as probed for this object.
    pub fn kernel(&self) -> Kernel {
        self.kernel
    }

    /// Whether attachments use one multi-uprobe link.
    pub fn uses_uprobe_multi(&self) -> bool {
        self.uprobe_multi
    }
}

/// The object's USDT state, made at the first call; a failure to make it
/// is remembered and returned again (as libbpf does).
pub fn state(o: &mut Object) -> Result<&ObjectUsdt> {
    if o.usdt.is_none() {
        o.usdt = Some(ObjectUsdt::new(o).map(Box::new));
    }
    match o.usdt.as_ref() {
        Some(Ok(u)) => Ok(u),
        Some(Err(e)) => Err(*e),
        None => Err(Error::INTERNAL),
    }
}

/// One `bpf_program__attach_usdt()` request.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// Process filter: 0 for the calling process, negative for all.
    pub pid: i32,
    /// The binary: a path, or a bare name looked up like a command or a library.
    pub path: Option<&'a str>,
    pub provider: &'a str,
    pub name: &'a str,
    /// What `bpf_usdt_cookie()` returns in the program.
    pub cookie: u64,
}

struct FileSource(ReadOnlyFile);

impl Source for FileSource {
    fn read_at(&self, off: u64, buf: &mut [u8]) -> bool {
        self.0.read_at(off, buf)
    }
    fn size(&self) -> u64 {
        self.0.size()
    }
}

/// Opens a binary as libbpf's `elf_open()` does: `open(2)`'s error, or
/// `LIBBPF_ERRNO__FORMAT` when the file cannot be read as a whole (a
/// directory).
fn open_binary(path: &str) -> Result<FileSource> {
    let f = ReadOnlyFile::open(path).inspect_err(|e| crate::pr_warn!("elf: failed to open {path}: {e}"))?;
    if std::fs::metadata(path).map(|m| m.is_dir()).unwrap_or(false) {
        crate::pr_warn!("elf: could not read elf from {path}: Is a directory");
        return Err(Error::FORMAT);
    }
    Ok(FileSource(f))
}

/// The executable mappings of library `path` in process `pid`.
fn library_mappings(pid: i32, path: &str) -> Result<Vec<elf::Segment>> {
    let name = targets::maps_name(pid, path, binary::realpath);
    let text = binary::process_maps(pid).inspect_err(|e| {
        crate::pr_warn!("usdt: failed to open '/proc/{pid}/maps' to get base addr of '{path}': {e}");
    })?;
    let segs = targets::parse_maps(&text, &name);
    if segs.is_empty() {
        crate::pr_warn!("usdt: failed to find '{path}' (resolved to '{name}') within PID {pid} memory mappings");
        return Err(Error::new(libc::ESRCH));
    }
    Ok(segs)
}

/// `bytes` zero-extended (or cut) to `size`: what the kernel reads for a
/// key or value of a map whose definition says `size`.
fn sized(bytes: &[u8], size: u32) -> Vec<u8> {
    let mut v = bytes.to_vec();
    v.resize(size as usize, 0);
    v
}

/// The maps and uprobe layer of one attachment.
struct KernelOps<'a, U: Uprobes> {
    up: &'a U,
    pid: i32,
    path: &'a str,
    specs_fd: i32,
    specs_key_size: u32,
    ip_map: Option<(std::os::fd::OwnedFd, u32, u32)>,
}

impl<U: Uprobes> Ops for KernelOps<'_, U> {
    type Link = U::Link;

    fn update_spec(&mut self, id: u32, value: &[u8]) -> Result<()> {
        crate::bpf_api::object::map_update(self.specs_fd, &sized(&id.to_ne_bytes(), self.specs_key_size), value, 0)
    }

    fn add_ip(&mut self, ip: u64, id: u32) -> Result<()> {
        let Some((fd, ks, vs)) = self.ip_map.as_ref() else { return Err(Error::BAD_FD) };
        crate::bpf_api::object::map_update(fd.as_raw_fd(), &sized(&ip.to_ne_bytes(), *ks), &sized(&id.to_ne_bytes(), *vs), BPF_NOEXIST)
    }

    fn attach_one(&mut self, t: &Target, cookie: u64) -> Result<U::Link> {
        self.up.uprobe(self.pid, self.path, t.rel_ip, t.sema_off, cookie)
    }

    fn attach_multi(&mut self, offsets: &[u64], ref_ctr_offsets: &[u64], cookies: &[u64]) -> Result<U::Link> {
        self.up.uprobe_multi(self.pid, self.path, offsets, ref_ctr_offsets, cookies)
    }

    fn ip_remover(&self) -> Option<Box<dyn FnMut(u64) + Send>> {
        let (fd, ks, _) = self.ip_map.as_ref()?;
        let (fd, ks) = (crate::sys::fd::dup(fd.as_raw_fd()).ok()?, *ks);
        // Nothing useful can be done about a failed removal on detach.
        Some(Box::new(move |ip: u64| {
            let _ = crate::bpf_api::object::map_delete(fd.as_raw_fd(), Some(&sized(&ip.to_ne_bytes(), ks)), 0);
        }))
    }
}

/// Attaches program `prog` of `o` to every site of `req.provider:req.name`
/// in `req.path`. Errors: `EINVAL` for a program not loaded or no path;
/// `ENOENT` when a bare name is not found or the probe has no site;
/// `ESRCH` without the USDT maps; the binary's open error; `EBADF` for an
/// unusable binary; see [`targets::collect`] and [`attach_sites`].
pub fn attach<U: Uprobes>(o: &mut Object, prog: usize, req: &Request<'_>, up: &U) -> Result<UsdtLink<U::Link>> {
    let p = o.programs.get(prog).ok_or(Error::INVAL)?;
    let pname = p.name_str().into_owned();
    if p.raw_fd().is_err() {
        crate::pr_warn!("prog '{pname}': can't attach BPF program w/o FD (did you load it?)");
        return Err(Error::INVAL);
    }
    let Some(given) = req.path else { return Err(Error::INVAL) };
    let path = if given.contains('/') {
        given.to_string()
    } else {
        crate::link::binary_path::resolve(given).inspect_err(|e| {
            crate::pr_warn!("prog '{pname}': failed to resolve full path for '{given}': {e}");
        })?
    };
    let st = state(o)?;
    let (kernel, uprobe_multi, pool, specs_map, ip_map) = (st.kernel, st.uprobe_multi, st.pool.clone(), st.specs_map, st.ip_map);

    let src = open_binary(&path)?;
    let h = elf::check_header(&src, &path)?;
    let pid = match req.pid {
        p if p < 0 => -1,
        0 => binary::pid(),
        p => p,
    };
    let treq = targets::Request { path: &path, pid, provider: req.provider, name: req.name, cookie: req.cookie };
    let sites = targets::collect(&src, &h, &treq, &kernel, &mut || library_mappings(pid, &path))?;
    if sites.is_empty() {
        return Err(Error::NOENT);
    }

    let specs = &o.maps[specs_map];
    let ip = &o.maps[ip_map];
    let specs_fd = specs.raw_fd().ok_or(Error::INVAL)?;
    let set = Settings {
        max_specs: specs.def.max_entries,
        value_size: specs.def.value_size,
        layout: Layout::for_value_size(specs.def.value_size),
        bpf_cookie: kernel.bpf_cookie,
        uprobe_multi,
    };
    let ip_map = match (kernel.bpf_cookie, ip.raw_fd()) {
        (false, Some(fd)) => Some((crate::sys::fd::dup(fd)?, ip.def.key_size, ip.def.value_size)),
        _ => None,
    };
    let mut ops = KernelOps { up, pid, path: &path, specs_fd, specs_key_size: specs.def.key_size, ip_map };
    attach_sites(&mut ops, &pool, &set, &sites, (req.provider, req.name, &path))
}

/// What `SEC("usdt/<path>:<provider>:<name>")` asks for: Ok(None) for a
/// bare `SEC("usdt")` (no auto-attach); `EINVAL` (with a warning) for any
/// other form. `usdt.s` sections do not auto-attach either (libbpf 1.8
/// reads only the `usdt/` form and refuses them).
pub fn parse_section(sec: &str) -> Result<Option<(String, String, String)>> {
    if sec == "usdt" {
        return Ok(None);
    }
    let bad = || {
        crate::pr_warn!("invalid section '{sec}', expected SEC(\"usdt/<path>:<provider>:<name>\")");
        Error::INVAL
    };
    let rest = sec.strip_prefix("usdt/").ok_or_else(bad)?;
    // Three non-empty fields separated by ':' (anything after a third ':' is ignored).
    let mut it = rest.split(':');
    let (Some(path), Some(provider), Some(name)) = (it.next(), it.next(), it.next()) else { return Err(bad()) };
    if path.is_empty() || provider.is_empty() || name.is_empty() {
        return Err(bad());
    }
    Ok(Some((path.to_string(), provider.to_string(), name.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections() {
        assert_eq!(parse_section("usdt").unwrap(), None);
        assert_eq!(
            parse_section("usdt/usdt_attach:test:auto").unwrap(),
            Some(("usdt_attach".into(), "test".into(), "auto".into()))
        );
        assert_eq!(
            parse_section("usdt//usr/lib/libc.so.6:libc:setjmp:extra").unwrap(),
            Some(("/usr/lib/libc.so.6".into(), "libc".into(), "setjmp".into()))
        );
        for bad in ["usdt/", "usdt/a:b", "usdt/a::c", "usdt/:b:c", "usdt/a:b:", "usdt.s/a:b:c", "usdt.s", "usdtx"] {
            assert_eq!(parse_section(bad), Err(Error::INVAL), "{bad}");
        }
    }

    #[test]
    fn key_and_value_sizes() {
        assert_eq!(sized(&7u32.to_ne_bytes(), 8), vec![7, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(sized(&0x0102u64.to_ne_bytes(), 2), vec![2, 1]);
    }
}
