//! Candidate search: which target types a local type may correspond to.
//!
//! A candidate has the same kind (enums of both widths mix) and the same
//! essential name (`foo___v2` matches `foo` and `foo___old`). libbpf scans
//! every target type for each local root type; we index a target BTF once by
//! the hash of its essential names (a sorted vector of (hash, id), a few MB
//! for vmlinux, built once per process for the shared vmlinux BTF) and look
//! candidates up in it, in increasing id order as a scan would find them.

use std::os::fd::OwnedFd;
use std::sync::{Arc, OnceLock};

use super::view::{self, essential_name, TypeView};
use crate::error::Result;

/// FNV-1a, 64 bits: fast and good enough to bucket type names.
pub fn name_hash(s: &str) -> u64 {
    bytes_hash(s.as_bytes())
}

/// [`name_hash`] over bytes.
pub fn bytes_hash(s: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The named types of one BTF (from `start_id` on) by essential-name hash.
#[derive(Debug, Default)]
pub struct NameIndex {
    entries: Vec<(u64, u32)>,
}

impl NameIndex {
    /// Indexes every named type of `btf` with an id >= `start_id` (split
    /// BTFs index only their own types).
    pub fn build(btf: &dyn TypeView, start_id: u32) -> NameIndex {
        let cnt = btf.type_cnt();
        let mut entries = Vec::with_capacity(cnt.saturating_sub(start_id) as usize);
        for id in start_id.max(1)..cnt {
            let name = btf.name_bytes(id);
            if !name.is_empty() {
                entries.push((bytes_hash(&name[..view::essential_len_bytes(name)]), id));
            }
        }
        entries.sort_unstable();
        NameIndex { entries }
    }

    /// Ids (ascending) whose essential name hashes like `essential`; the
    /// caller checks the actual names.
    pub fn bucket(&self, essential: &str) -> impl Iterator<Item = u32> + '_ {
        let h = name_hash(essential);
        let start = self.entries.partition_point(|&(eh, _)| eh < h);
        self.entries[start..].iter().take_while(move |&&(eh, _)| eh == h).map(|&(_, id)| id)
    }

    /// `btf__find_by_name_kind` over the indexed range: the first type named
    /// exactly `name` with kind `kind`.
    pub fn find_by_name_kind(&self, btf: &dyn TypeView, name: &str, kind: u32) -> Option<u32> {
        self.bucket(essential_name(name)).find(|&id| btf.kind(id) == Some(kind) && btf.name(id) == name)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A BTF candidates are searched in: vmlinux (or a custom BTF), or one
/// kernel module's split BTF.
#[derive(Clone)]
pub struct Target {
    /// "vmlinux" or the module's name (for logs).
    pub name: String,
    pub btf: Arc<dyn TypeView + Send + Sync>,
    pub index: Arc<NameIndex>,
    /// First own type id (0 for a base BTF).
    pub start_id: u32,
    /// A module BTF's kernel object fd (typed ksyms and kfuncs reference it).
    pub fd: Option<Arc<OwnedFd>>,
}

impl Target {
    /// A target over a whole BTF, indexed now.
    pub fn new(name: &str, btf: Arc<dyn TypeView + Send + Sync>) -> Target {
        let index = Arc::new(NameIndex::build(&*btf, 1));
        Target { name: name.to_string(), btf, index, start_id: 1, fd: None }
    }
}

/// A loader of module BTFs, run once, on the first search that needs them.
pub type ModuleLoader = Box<dyn Fn() -> Result<Vec<Target>> + Send + Sync>;

/// Where one object's relocations look for candidates: the main BTF (the
/// shared vmlinux BTF, or the BTF given by `btf_custom_path`), then, only
/// when the main BTF has none and it is not a custom one, kernel modules.
pub struct Targets {
    pub main: Target,
    pub custom: bool,
    loader: Option<ModuleLoader>,
    modules: OnceLock<Result<Vec<Target>>>,
}

impl Targets {
    /// Targets with a main BTF; `custom` disables module search.
    pub fn new(main: Target, custom: bool, loader: Option<ModuleLoader>) -> Targets {
        Targets { main, custom, loader, modules: OnceLock::new() }
    }

    /// Module BTFs, loaded on first call (an empty list without a loader).
    pub fn modules(&self) -> Result<&[Target]> {
        let r = self.modules.get_or_init(|| match &self.loader {
            Some(load) => load(),
            None => Ok(Vec::new()),
        });
        match r {
            Ok(v) => Ok(v),
            Err(e) => Err(*e),
        }
    }

    /// Target `i`: 0 is the main BTF, 1.. the modules (once loaded).
    pub fn get(&self, i: usize) -> Option<&Target> {
        if i == 0 {
            return Some(&self.main);
        }
        match self.modules.get() {
            Some(Ok(m)) => m.get(i - 1),
            _ => None,
        }
    }
}

/// A candidate: (target number as in [`Targets::get`], type id).
pub type Cand = (usize, u32);

fn add_cands(
    local: &dyn TypeView,
    local_id: u32,
    targ: &Target,
    targ_no: usize,
    out: &mut Vec<Cand>,
) {
    let lname = local.name(local_id);
    let lkind = local.kind(local_id);
    let ess = essential_name(lname);
    let tb = &*targ.btf;
    for id in targ.index.bucket(ess) {
        if id < targ.start_id || !view::kinds_core_compat(tb.kind(id), lkind) {
            continue;
        }
        let tname = tb.name(id);
        if tname.is_empty() || essential_name(tname) != ess {
            continue;
        }
        pr_debug!(
            "CO-RE relocating [{}] {} {}: found target candidate [{}] {} {} in [{}]",
            local_id,
            view::kind_str(lkind),
            lname,
            id,
            view::kind_str(tb.kind(id)),
            tname,
            targ.name
        );
        out.push((targ_no, id));
    }
}

/// Finds the candidates of local type `local_id`: in the main BTF first;
/// only if none is there (and the main BTF is not a custom one), in every
/// module BTF. Fails with `EINVAL` for anonymous or unknown local types, or
/// with the module loader's error.
pub fn find_cands(local: &dyn TypeView, local_id: u32, targets: &Targets) -> Result<Vec<Cand>> {
    use crate::error::Error;
    if local.kind(local_id).is_none() || local.name(local_id).is_empty() {
        return Err(Error::INVAL);
    }
    let mut out = Vec::new();
    add_cands(local, local_id, &targets.main, 0, &mut out);
    if !out.is_empty() || targets.custom {
        return Ok(out);
    }
    for (i, m) in targets.modules()?.iter().enumerate() {
        add_cands(local, local_id, m, i + 1, &mut out);
    }
    Ok(out)
}
