//! A value loaded once per process and shared by everyone who needs it at
//! the same time — the parsed vmlinux BTF.
//!
//! Holders take a [`Handle`]; the value is loaded by the first holder and
//! kept while any handle is alive. When the last handle goes, the value
//! lingers for a short grace period (so that a program loading objects one
//! after the other parses vmlinux BTF once, not once per object), then a
//! short-lived reaper thread frees it if nobody took it again. libbpf parses
//! vmlinux BTF for every object and frees it after the load; we parse it once
//! for a burst of loads and free it when no object has needed it for
//! [`GRACE`].

use std::ops::Deref;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::error::Result;

/// How long an unused value stays loaded.
pub const GRACE: Duration = Duration::from_secs(3);

struct State<T> {
    value: Option<Arc<T>>,
    holders: usize,
    /// When the value may be freed (set when `holders` drops to 0).
    idle_since: Option<Instant>,
    reaper_running: bool,
    loads: usize,
}

/// A lazily loaded, shared, reference-counted value (see the module comment).
pub struct Shared<T: Send + Sync + 'static> {
    state: Mutex<State<T>>,
    grace: Duration,
}

/// A holder's access to the shared value; dropping it releases it.
pub struct Handle<T: Send + Sync + 'static> {
    value: Arc<T>,
    owner: &'static Shared<T>,
}

impl<T: Send + Sync + 'static> Shared<T> {
    pub const fn new(grace: Duration) -> Shared<T> {
        Shared {
            state: Mutex::new(State { value: None, holders: 0, idle_since: None, reaper_running: false, loads: 0 }),
            grace,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The shared value, loaded with `load` if it is not loaded (the lock is
    /// held while loading, so concurrent first users load it once). A
    /// failed load is returned and not remembered.
    pub fn acquire(&'static self, load: impl FnOnce() -> Result<T>) -> Result<Handle<T>> {
        let mut st = self.lock();
        let value = match &st.value {
            Some(v) => v.clone(),
            None => {
                let v = Arc::new(load()?);
                st.loads += 1;
                st.value = Some(v.clone());
                v
            }
        };
        st.holders += 1;
        st.idle_since = None;
        Ok(Handle { value, owner: self })
    }

    /// How many times the value was loaded since the process started.
    pub fn load_count(&self) -> usize {
        self.lock().loads
    }

    /// Whether the value is currently loaded.
    pub fn is_loaded(&self) -> bool {
        self.lock().value.is_some()
    }

    fn release(&'static self) {
        let mut st = self.lock();
        st.holders = st.holders.saturating_sub(1);
        if st.holders > 0 {
            return;
        }
        st.idle_since = Some(Instant::now());
        if st.reaper_running {
            return;
        }
        st.reaper_running = true;
        let spawned = std::thread::Builder::new().name("oxbpf-btf-reaper".into()).spawn(move || self.reap());
        if spawned.is_err() {
            // no thread: free now rather than never
            st.reaper_running = false;
            let v = st.value.take();
            drop(st);
            drop(v);
        }
    }

    /// The reaper: frees the value once it has been idle for the grace period.
    fn reap(&'static self) {
        loop {
            let wait = {
                let mut st = self.lock();
                match st.idle_since {
                    None => {
                        // taken again: the next release starts a new reaper
                        st.reaper_running = false;
                        return;
                    }
                    Some(t) if t.elapsed() >= self.grace => {
                        let v = st.value.take();
                        st.idle_since = None;
                        st.reaper_running = false;
                        drop(st);
                        drop(v);
                        return;
                    }
                    Some(t) => self.grace - t.elapsed(),
                }
            };
            std::thread::sleep(wait);
        }
    }
}

impl<T: Send + Sync + 'static> Deref for Handle<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Send + Sync + 'static> Handle<T> {
    /// The shared value itself (its memory lives as long as this `Arc`).
    pub fn arc(&self) -> &Arc<T> {
        &self.value
    }
}

impl<T: Send + Sync + 'static> Clone for Handle<T> {
    fn clone(&self) -> Self {
        self.owner.lock().holders += 1;
        Handle { value: self.value.clone(), owner: self.owner }
    }
}

impl<T: Send + Sync + 'static> Drop for Handle<T> {
    fn drop(&mut self) {
        self.owner.release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static CELL: Shared<Vec<u8>> = Shared::new(Duration::from_millis(100));

    #[test]
    fn loaded_once_shared_then_freed() {
        let a = CELL.acquire(|| Ok(vec![1, 2, 3])).unwrap();
        let b = CELL.acquire(|| panic!("loaded twice")).unwrap();
        assert_eq!(*a, *b);
        assert_eq!(CELL.load_count(), 1);
        drop(a);
        drop(b);
        // one after the other within the grace period: no reload
        let c = CELL.acquire(|| panic!("reloaded within the grace period")).unwrap();
        drop(c);
        assert!(CELL.is_loaded());
        std::thread::sleep(Duration::from_millis(400));
        assert!(!CELL.is_loaded());
        let d = CELL.acquire(|| Ok(vec![4])).unwrap();
        assert_eq!(*d, vec![4]);
        assert_eq!(CELL.load_count(), 2);
        // a failed load is not remembered
        drop(d);
    }
}
