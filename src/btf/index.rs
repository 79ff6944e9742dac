//! Compact hash indexes over BTF: type names to ids, strings to offsets.
//!
//! libbpf finds a type by name with a linear scan over every type, which
//! costs milliseconds per lookup on vmlinux. oxbpf builds, on first use, an
//! open-addressing table holding nothing but 32-bit keys (type ids or string
//! offsets): 4 bytes a slot, at most half full. Keys are compared by reading
//! the name they stand for from the BTF itself, so the table never copies a
//! string. Keys with equal names are kept in insertion order along their
//! probe chain, so the first match is the smallest id, as libbpf's scan finds.

/// Marks an empty slot.
const EMPTY: u32 = u32::MAX;

/// A fast, non-cryptographic hash of a byte string (8 bytes per step).
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h: u64 = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let v = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(5) ^ v).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
    }
    // Final avalanche so the low bits (the slot index) depend on every byte.
    h ^= h >> 29;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 32)
}

/// An open-addressing (linear probing) set of u32 keys; a key's hash is
/// supplied by the caller, equality is decided by the caller while probing.
#[derive(Clone, Debug, Default)]
pub struct SlotTable {
    slots: Vec<u32>,
    len: usize,
}

impl SlotTable {
    /// A table sized for `n` keys without growing.
    pub fn with_capacity(n: usize) -> SlotTable {
        let cap = (n.max(4) * 2).next_power_of_two();
        SlotTable { slots: vec![EMPTY; cap], len: 0 }
    }

    /// Adds `key` (never `u32::MAX`) with hash `hash`. When the table is half
    /// full it doubles, calling `rehash` to recompute the hash of each key.
    pub fn insert(&mut self, hash: u64, key: u32, rehash: impl Fn(u32) -> u64) {
        if self.slots.is_empty() || (self.len + 1) * 2 > self.slots.len() {
            self.grow(&rehash);
        }
        Self::place(&mut self.slots, hash, key);
        self.len += 1;
    }

    fn place(slots: &mut [u32], hash: u64, key: u32) {
        let mask = slots.len() - 1;
        let mut i = hash as usize & mask;
        while slots[i] != EMPTY {
            i = (i + 1) & mask;
        }
        slots[i] = key;
    }

    fn grow(&mut self, rehash: &impl Fn(u32) -> u64) {
        let cap = (self.slots.len() * 2).max(8);
        let mut slots = vec![EMPTY; cap];
        // Re-inserting in slot order could reorder equal keys that wrapped
        // around the end; walking each chain from an empty slot keeps every
        // key behind the keys that preceded it on its chain.
        let n = self.slots.len();
        let start = self.slots.iter().position(|&k| k == EMPTY).unwrap_or(0);
        for j in 0..n {
            let key = self.slots[(start + j) % n];
            if key != EMPTY {
                Self::place(&mut slots, rehash(key), key);
            }
        }
        self.slots = slots;
    }

    /// The keys along the probe chain of `hash`, in insertion order for keys
    /// of equal hash; the caller stops at the first that matches.
    pub fn probe(&self, hash: u64) -> Probe<'_> {
        let mask = self.slots.len().wrapping_sub(1);
        Probe { slots: &self.slots, i: hash as usize & mask, mask, left: self.slots.len() }
    }
}

/// Iterator over a probe chain.
pub struct Probe<'a> {
    slots: &'a [u32],
    i: usize,
    mask: usize,
    left: usize,
}

impl Iterator for Probe<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.left == 0 {
            return None;
        }
        let key = *self.slots.get(self.i)?;
        if key == EMPTY {
            self.left = 0;
            return None;
        }
        self.left -= 1;
        self.i = (self.i + 1) & self.mask;
        Some(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_keep_insertion_order_through_growth() {
        let names = ["a", "b", "a", "c", "a", "b", "d", "e", "f", "g", "a", "h", "i", "j", "k"];
        let h = |k: u32| hash_bytes(names[k as usize].as_bytes());
        let mut t = SlotTable::default();
        for k in 0..names.len() as u32 {
            t.insert(h(k), k, h);
        }
        assert_eq!(t.len, names.len());
        let found: Vec<u32> = t.probe(hash_bytes(b"a")).filter(|&k| names[k as usize] == "a").collect();
        assert_eq!(found, vec![0, 2, 4, 10]);
        assert!(t.probe(hash_bytes(b"zz")).all(|k| names[k as usize] != "zz"));
        assert!(SlotTable::default().probe(1).next().is_none());
    }

    #[test]
    fn hash_spreads() {
        assert_ne!(hash_bytes(b"task_struct"), hash_bytes(b"task_structs"));
        assert_ne!(hash_bytes(b""), hash_bytes(b"\0"));
    }
}
