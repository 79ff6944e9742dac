//! One USDT attachment, from its sites to a link: spec ids assigned and
//! specs written, address-to-id entries added when the kernel has no BPF
//! cookies, then one uprobe per site (or one multi-uprobe link for all).
//!
//! The kernel side is behind [`Ops`] so that the whole sequence, its
//! error unwinding and the spec id bookkeeping are tested without a
//! kernel; [`super::attach`] implements it with maps and uprobe links.

use std::sync::{Arc, Mutex};

use crate::error::Result;

use super::ids::{Dedup, IdPool};
use super::spec::Layout;
use super::targets::Target;

/// The kernel operations of an attachment.
pub trait Ops {
    /// An attached uprobe (or multi-uprobe) link; dropping it detaches.
    type Link;
    /// Writes spec `id` into `__bpf_usdt_specs`.
    fn update_spec(&mut self, id: u32, value: &[u8]) -> Result<()>;
    /// Adds `ip -> id` to `__bpf_usdt_ip_to_spec_id` (`EEXIST` if present).
    fn add_ip(&mut self, ip: u64, id: u32) -> Result<()>;
    /// Attaches one uprobe at `t.rel_ip` with `t.sema_off` as reference
    /// counter and `cookie` as BPF cookie.
    fn attach_one(&mut self, t: &Target, cookie: u64) -> Result<Self::Link>;
    /// Attaches one multi-uprobe link over all sites.
    fn attach_multi(&mut self, offsets: &[u64], ref_ctr_offsets: &[u64], cookies: &[u64]) -> Result<Self::Link>;
    /// What removes an `ip -> id` entry later (on detach), when entries are used.
    fn ip_remover(&self) -> Option<Box<dyn FnMut(u64) + Send>>;
}

/// The object-wide settings of its USDT support.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `max_entries` of `__bpf_usdt_specs`: spec ids stay below it.
    pub max_specs: u32,
    /// Value size of `__bpf_usdt_specs` and the layout it implies.
    pub value_size: u32,
    pub layout: Layout,
    /// Spec ids travel as BPF cookies (else through the address map).
    pub bpf_cookie: bool,
    /// One multi-uprobe link instead of one uprobe per site.
    pub uprobe_multi: bool,
}

/// A USDT attachment: its uprobe links and the spec ids they use. Dropping
/// it (or [`UsdtLink::detach`]) detaches the uprobes, removes address
/// entries and gives the ids back to the object.
pub struct UsdtLink<L> {
    pool: Arc<Mutex<IdPool>>,
    spec_ids: Vec<u32>,
    uprobes: Vec<L>,
    multi: Option<L>,
    ips: Vec<u64>,
    ip_remover: Option<Box<dyn FnMut(u64) + Send>>,
}

impl<L> core::fmt::Debug for UsdtLink<L> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("UsdtLink")
            .field("spec_ids", &self.spec_ids)
            .field("uprobes", &self.uprobes.len())
            .field("multi", &self.multi.is_some())
            .finish()
    }
}

impl<L> UsdtLink<L> {
    fn new(pool: Arc<Mutex<IdPool>>) -> UsdtLink<L> {
        UsdtLink { pool, spec_ids: Vec::new(), uprobes: Vec::new(), multi: None, ips: Vec::new(), ip_remover: None }
    }

    /// Spec ids this attachment holds.
    pub fn spec_ids(&self) -> &[u32] {
        &self.spec_ids
    }

    /// The underlying links: one per site, or the single multi-uprobe link.
    pub fn links(&self) -> impl Iterator<Item = &L> {
        self.multi.iter().chain(self.uprobes.iter())
    }

    /// Detaches (idempotent): uprobe links dropped, address entries
    /// removed, spec ids back in the object's pool.
    pub fn detach(&mut self) {
        self.multi = None;
        self.uprobes.clear();
        if let Some(rm) = self.ip_remover.as_mut() {
            for ip in self.ips.drain(..) {
                rm(ip);
            }
        }
        if !self.spec_ids.is_empty() {
            if let Ok(mut pool) = self.pool.lock() {
                pool.give_back(&self.spec_ids);
            }
            self.spec_ids.clear();
        }
    }

    /// Gives up the underlying links without detaching them (for
    /// `bpf_link__disconnect()`): the uprobes stay attached and the spec
    /// ids stay taken.
    pub fn take_links(&mut self) -> Vec<L> {
        self.spec_ids.clear();
        self.ips.clear();
        let mut v: Vec<L> = self.multi.take().into_iter().collect();
        v.append(&mut self.uprobes);
        v
    }
}

impl<L> Drop for UsdtLink<L> {
    fn drop(&mut self) {
        self.detach();
    }
}

/// Attaches the program (through `ops`) to every site of `targets`.
/// `what` names the probe for messages (`provider:name`, path).
pub fn attach_sites<O: Ops>(
    ops: &mut O,
    pool: &Arc<Mutex<IdPool>>,
    set: &Settings,
    targets: &[Target],
    what: (&str, &str, &str),
) -> Result<UsdtLink<O::Link>> {
    let (provider, name, path) = what;
    let mut link = UsdtLink::new(pool.clone());
    let mut dedup = Dedup::default();
    if !set.bpf_cookie {
        link.ip_remover = ops.ip_remover();
    }
    let (mut offsets, mut ref_ctrs, mut cookies) = (Vec::new(), Vec::new(), Vec::new());
    for (i, t) in targets.iter().enumerate() {
        // Ids are recorded in the link as soon as taken, so that any
        // failure below returns them to the pool when `link` drops.
        let taken = {
            let mut p = pool.lock().map_err(|_| crate::error::Error::INTERNAL)?;
            let r = dedup.id_for(&mut p, &t.spec_str, set.max_specs);
            link.spec_ids.clone_from(&dedup.taken);
            r?
        };
        let (id, is_new) = taken;
        if is_new {
            let value = t.spec.encode(set.layout, set.value_size as usize);
            ops.update_spec(id, &value).inspect_err(|e| {
                crate::pr_warn!("usdt: failed to set USDT spec #{id} for '{provider}:{name}' in '{path}': {e}");
            })?;
        }
        if !set.bpf_cookie {
            match ops.add_ip(t.abs_ip, id) {
                Ok(()) => link.ips.push(t.abs_ip),
                Err(e) if e.errno() == libc::EEXIST => {
                    crate::pr_warn!("usdt: IP collision detected for spec #{id} for '{provider}:{name}' in '{path}'");
                    return Err(e);
                }
                Err(e) => {
                    crate::pr_warn!("usdt: failed to map IP 0x{:x} to spec #{id} for '{provider}:{name}' in '{path}': {e}", t.abs_ip);
                    return Err(e);
                }
            }
        }
        if set.uprobe_multi {
            offsets.push(t.rel_ip);
            ref_ctrs.push(t.sema_off);
            cookies.push(u64::from(id));
        } else {
            let cookie = if set.bpf_cookie { u64::from(id) } else { 0 };
            let l = ops.attach_one(t, cookie).inspect_err(|e| {
                crate::pr_warn!("usdt: failed to attach uprobe #{i} for '{provider}:{name}' in '{path}': {e}");
            })?;
            link.uprobes.push(l);
        }
    }
    if set.uprobe_multi {
        let l = ops.attach_multi(&offsets, &ref_ctrs, &cookies).inspect_err(|e| {
            crate::pr_warn!("usdt: failed to attach uprobe multi for '{provider}:{name}' in '{path}': {e}");
        })?;
        link.multi = Some(l);
    }
    Ok(link)
}

#[cfg(test)]
mod tests {
    use super::super::arg::parse_spec;
    use super::*;
    use crate::error::Error;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static LIVE: AtomicUsize = AtomicUsize::new(0);

    /// A fake link counting live instances.
    #[derive(Debug)]
    struct FakeLink(#[allow(dead_code)] u64);
    impl FakeLink {
        fn new(v: u64) -> FakeLink {
            LIVE.fetch_add(1, Ordering::SeqCst);
            FakeLink(v)
        }
    }
    impl Drop for FakeLink {
        fn drop(&mut self) {
            LIVE.fetch_sub(1, Ordering::SeqCst);
        }
    }

    #[derive(Default)]
    struct Fake {
        specs: Vec<(u32, Vec<u8>)>,
        ips: Arc<Mutex<Vec<(u64, u32)>>>,
        one: Vec<(u64, u64, u64)>,
        multi: Vec<(Vec<u64>, Vec<u64>, Vec<u64>)>,
        fail_one_at: Option<usize>,
        fail_multi: bool,
        fail_spec: bool,
    }

    impl Ops for Fake {
        type Link = FakeLink;
        fn update_spec(&mut self, id: u32, value: &[u8]) -> Result<()> {
            if self.fail_spec {
                return Err(Error::PERM);
            }
            self.specs.push((id, value.to_vec()));
            Ok(())
        }
        fn add_ip(&mut self, ip: u64, id: u32) -> Result<()> {
            let mut v = self.ips.lock().unwrap();
            if v.iter().any(|e| e.0 == ip) {
                return Err(Error::EXIST);
            }
            v.push((ip, id));
            Ok(())
        }
        fn attach_one(&mut self, t: &Target, cookie: u64) -> Result<FakeLink> {
            if self.fail_one_at == Some(self.one.len()) {
                return Err(Error::INVAL);
            }
            self.one.push((t.rel_ip, t.sema_off, cookie));
            Ok(FakeLink::new(t.rel_ip))
        }
        fn attach_multi(&mut self, o: &[u64], r: &[u64], c: &[u64]) -> Result<FakeLink> {
            if self.fail_multi {
                return Err(Error::NOT_SUPPORTED);
            }
            self.multi.push((o.to_vec(), r.to_vec(), c.to_vec()));
            Ok(FakeLink::new(0))
        }
        fn ip_remover(&self) -> Option<Box<dyn FnMut(u64) + Send>> {
            let ips = self.ips.clone();
            Some(Box::new(move |ip| ips.lock().unwrap().retain(|e| e.0 != ip)))
        }
    }

    fn target(ip: u64, sema: u64, args: &str) -> Target {
        Target { abs_ip: ip + 0x5000, rel_ip: ip, sema_off: sema, spec: parse_spec("p", "n", args, 77).unwrap(), spec_str: args.into() }
    }

    fn settings(cookie: bool, multi: bool) -> Settings {
        Settings { max_specs: 4, value_size: 304, layout: Layout::Sib, bpf_cookie: cookie, uprobe_multi: multi }
    }

    const WHAT: (&str, &str, &str) = ("p", "n", "/bin/x");

    // The tests share LIVE; run them one at a time.
    static SERIAL: Mutex<()> = Mutex::new(());

    #[test]
    fn uprobe_per_site_with_cookies() {
        let _g = SERIAL.lock().unwrap();
        let pool = Arc::new(Mutex::new(IdPool::default()));
        let mut ops = Fake::default();
        let ts = [target(0x10, 0, "8@%rax"), target(0x20, 0x99, "-4@$5"), target(0x30, 0, "8@%rax")];
        let mut l = attach_sites(&mut ops, &pool, &settings(true, false), &ts, WHAT).unwrap();
        assert_eq!(l.spec_ids(), &[0, 1]);
        assert_eq!(ops.specs.len(), 2, "shared specs are written once");
        assert_eq!(ops.specs[0].1, ts[0].spec.encode(Layout::Sib, 304));
        assert_eq!(ops.one, vec![(0x10, 0, 0), (0x20, 0x99, 1), (0x30, 0, 0)]);
        assert!(ops.ips.lock().unwrap().is_empty(), "no address map with cookies");
        assert_eq!(LIVE.load(Ordering::SeqCst), 3);
        assert_eq!(l.links().count(), 3);
        l.detach();
        assert_eq!(LIVE.load(Ordering::SeqCst), 0);
        assert_eq!(pool.lock().unwrap().free_count(), 2);
        l.detach();
        drop(l);
        assert_eq!(pool.lock().unwrap().free_count(), 2, "detach is idempotent");
        // Freed ids are reused by the next attachment.
        let l2 = attach_sites(&mut ops, &pool, &settings(true, false), &ts[..1], WHAT).unwrap();
        assert_eq!(l2.spec_ids(), &[1]);
    }

    #[test]
    fn multi_link() {
        let _g = SERIAL.lock().unwrap();
        let pool = Arc::new(Mutex::new(IdPool::default()));
        let mut ops = Fake::default();
        let ts = [target(0x10, 0, "8@%rax"), target(0x20, 0x99, "-4@$5"), target(0x30, 0, "8@%rax")];
        let l = attach_sites(&mut ops, &pool, &settings(true, true), &ts, WHAT).unwrap();
        assert_eq!(ops.multi, vec![(vec![0x10, 0x20, 0x30], vec![0, 0x99, 0], vec![0, 1, 0])]);
        assert!(ops.one.is_empty());
        assert_eq!(LIVE.load(Ordering::SeqCst), 1);
        drop(l);
        assert_eq!(LIVE.load(Ordering::SeqCst), 0);
        // A failed multi attach gives the ids back.
        ops.fail_multi = true;
        assert_eq!(attach_sites(&mut ops, &pool, &settings(true, true), &ts, WHAT).unwrap_err(), Error::NOT_SUPPORTED);
        assert_eq!(pool.lock().unwrap().free_count(), 2);
    }

    #[test]
    fn address_map_without_cookies() {
        let _g = SERIAL.lock().unwrap();
        let pool = Arc::new(Mutex::new(IdPool::default()));
        let mut ops = Fake::default();
        let ts = [target(0x10, 0, "8@%rax"), target(0x20, 0, "8@%rax")];
        let l = attach_sites(&mut ops, &pool, &settings(false, false), &ts, WHAT).unwrap();
        assert_eq!(*ops.ips.lock().unwrap(), vec![(0x5010, 0), (0x5020, 0)]);
        assert_eq!(ops.one, vec![(0x10, 0, 0), (0x20, 0, 0)], "cookies stay 0");
        // The same sites again collide on addresses; the second attempt
        // leaves the first attachment's entries alone.
        assert_eq!(attach_sites(&mut ops, &pool, &settings(false, false), &ts, WHAT).unwrap_err(), Error::EXIST);
        assert_eq!(ops.ips.lock().unwrap().len(), 2);
        drop(l);
        assert!(ops.ips.lock().unwrap().is_empty());
        assert_eq!(LIVE.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn failures_unwind() {
        let _g = SERIAL.lock().unwrap();
        let pool = Arc::new(Mutex::new(IdPool::default()));
        let ts = [target(0x10, 0, "8@%rax"), target(0x20, 0, "-4@$5"), target(0x30, 0, "-8@$1")];
        let mut ops = Fake { fail_one_at: Some(2), ..Default::default() };
        assert_eq!(attach_sites(&mut ops, &pool, &settings(true, false), &ts, WHAT).unwrap_err(), Error::INVAL);
        assert_eq!(LIVE.load(Ordering::SeqCst), 0, "attached uprobes are detached");
        assert_eq!(pool.lock().unwrap().free_count(), 3);
        let mut ops = Fake { fail_spec: true, ..Default::default() };
        assert_eq!(attach_sites(&mut ops, &pool, &settings(true, false), &ts, WHAT).unwrap_err(), Error::PERM);
        assert_eq!(pool.lock().unwrap().free_count(), 3);
        // The specs map holds 4: a fifth distinct spec is E2BIG.
        let many: Vec<Target> = (0..5).map(|i| target(0x10 * i, 0, &format!("-8@${i}"))).collect();
        let mut ops = Fake::default();
        assert_eq!(attach_sites(&mut ops, &pool, &settings(true, false), &many, WHAT).unwrap_err(), Error::TOO_BIG);
        assert_eq!(LIVE.load(Ordering::SeqCst), 0);
        assert_eq!(pool.lock().unwrap().free_count(), 4);
    }

    #[test]
    fn disconnect_keeps_links() {
        let _g = SERIAL.lock().unwrap();
        let pool = Arc::new(Mutex::new(IdPool::default()));
        let mut ops = Fake::default();
        let mut l = attach_sites(&mut ops, &pool, &settings(true, false), &[target(0x10, 0, "")], WHAT).unwrap();
        let kept = l.take_links();
        drop(l);
        assert_eq!(kept.len(), 1);
        assert_eq!(LIVE.load(Ordering::SeqCst), 1);
        assert_eq!(pool.lock().unwrap().free_count(), 0, "ids stay in use");
        drop(kept);
    }
}
