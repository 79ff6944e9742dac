//! Spec ids: small integers, keys of the `__bpf_usdt_specs` array, shared
//! by every USDT attachment of one object.
//!
//! Within one attachment, sites with the same arguments string share one
//! id (hence one spec, which also carries that attachment's cookie). Ids
//! come back to the object's pool when the attachment's link is destroyed
//! and are handed out again before fresh ones, most recently freed first.

use std::collections::HashMap;

use crate::error::{Error, Result};

/// The per-object pool.
#[derive(Debug, Default)]
pub struct IdPool {
    free: Vec<u32>,
    next: u32,
}

impl IdPool {
    /// Takes an id: a freed one if any, else the next fresh one below
    /// `max_entries` (`E2BIG` when the specs map is full).
    pub fn take(&mut self, max_entries: u32) -> Result<u32> {
        if let Some(id) = self.free.pop() {
            return Ok(id);
        }
        if self.next >= max_entries {
            return Err(Error::TOO_BIG);
        }
        self.next += 1;
        Ok(self.next - 1)
    }

    /// Returns ids for reuse.
    pub fn give_back(&mut self, ids: &[u32]) {
        self.free.extend_from_slice(ids);
    }

    /// Ids currently free (for tests and diagnostics).
    pub fn free_count(&self) -> usize {
        self.free.len()
    }
}

/// Id assignment for one attachment: one id per distinct arguments string.
#[derive(Debug, Default)]
pub struct Dedup {
    by_spec: HashMap<String, u32>,
    /// Ids this attachment took from the pool, in order.
    pub taken: Vec<u32>,
}

impl Dedup {
    /// The id of `spec_str` in this attachment, and whether it is new (its
    /// spec must then be written to the specs map).
    pub fn id_for(&mut self, pool: &mut IdPool, spec_str: &str, max_entries: u32) -> Result<(u32, bool)> {
        if let Some(&id) = self.by_spec.get(spec_str) {
            return Ok((id, false));
        }
        let id = pool.take(max_entries)?;
        self.by_spec.insert(spec_str.to_string(), id);
        self.taken.push(id);
        Ok((id, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedup_within_an_attachment() {
        let mut pool = IdPool::default();
        let mut a = Dedup::default();
        assert_eq!(a.id_for(&mut pool, "8@%rax", 256).unwrap(), (0, true));
        assert_eq!(a.id_for(&mut pool, "-4@$5", 256).unwrap(), (1, true));
        assert_eq!(a.id_for(&mut pool, "8@%rax", 256).unwrap(), (0, false));
        // Another attachment never shares, even for equal strings.
        let mut b = Dedup::default();
        assert_eq!(b.id_for(&mut pool, "8@%rax", 256).unwrap(), (2, true));
        assert_eq!(a.taken, vec![0, 1]);
    }

    #[test]
    fn reuse_and_limits() {
        let mut pool = IdPool::default();
        let mut a = Dedup::default();
        for s in ["a", "b", "c"] {
            a.id_for(&mut pool, s, 3).unwrap();
        }
        let mut b = Dedup::default();
        assert_eq!(b.id_for(&mut pool, "d", 3), Err(Error::TOO_BIG));
        pool.give_back(&a.taken);
        assert_eq!(pool.free_count(), 3);
        // Most recently freed first.
        assert_eq!(b.id_for(&mut pool, "d", 3).unwrap(), (2, true));
        assert_eq!(b.id_for(&mut pool, "e", 3).unwrap(), (1, true));
        assert_eq!(pool.take(0).unwrap(), 0);
        assert_eq!(pool.take(0), Err(Error::TOO_BIG));
    }
}
