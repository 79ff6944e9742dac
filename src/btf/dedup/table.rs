//! The table of canonical candidates: type signature hash → the canonical
//! types filed under it, tried in libbpf's order.
//!
//! Which candidate wins when several match depends on the order candidates
//! are tried in, and the output must be libbpf's. libbpf keeps them in one
//! chained hash map that puts each new entry at the head of its bucket and,
//! every time it grows (before an insertion that would fill it past 3/4;
//! first to 4 buckets, then doubling), moves each bucket's chain over in
//! order to the head of its new bucket, which reverses the relative order
//! of entries sharing a key. So for one key the order tried is: newest
//! first, flipped once per growth since. Between two entries of a key, only
//! the later one's insertion matters: it came first, then every growth
//! since flipped the pair ([`CandTable::before`]).
//!
//! Each key owns a singly linked list (in one arena) whose head is the entry
//! tried first; a growth counter follows libbpf's map size, and a list is
//! reversed lazily, the next time its key is touched, when an odd number of
//! growths happened since it was last put in order. Keys live in
//! open-addressing indexes (at most half full).
//!
//! An entry is filed under a *coarse* key (libbpf's hash), a *fine* key, or
//! both. A fine key refines the coarse one (e.g. also hashes what a
//! comparison would look at) so that looking it up skips candidates that
//! could not match; a fine list is a sub-sequence of libbpf's list, and the
//! rules above keep any sub-sequence in the same relative order.

/// No entry / empty slot.
const NONE: u32 = u32::MAX;

#[derive(Clone, Copy)]
struct Slot {
    key: u64,
    /// First entry of this key's list (NONE: empty slot).
    head: u32,
    /// Growth counter when the list was last put in order.
    gen: u32,
}

const EMPTY_SLOT: Slot = Slot { key: 0, head: NONE, gen: 0 };

/// Keys → list heads, open addressing.
struct Index {
    slots: Vec<Slot>,
    used: usize,
}

impl Index {
    fn new(n: usize) -> Index {
        Index { slots: vec![EMPTY_SLOT; (n.max(8) * 2).next_power_of_two()], used: 0 }
    }

    fn bucket(&self, key: u64) -> usize {
        let h = (key ^ (key >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (h >> 32) as usize & (self.slots.len() - 1)
    }

    fn find(&self, key: u64) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut i = self.bucket(key);
        loop {
            let s = self.slots[i];
            if s.head == NONE {
                return None;
            }
            if s.key == key {
                return Some(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// The slot of `key`, created (with an empty list) if absent.
    fn find_or_insert(&mut self, key: u64, gen: u32) -> usize {
        if (self.used + 1) * 2 > self.slots.len() {
            let doubled = vec![EMPTY_SLOT; self.slots.len() * 2];
            let old = core::mem::replace(&mut self.slots, doubled);
            let mask = self.slots.len() - 1;
            for s in old.into_iter().filter(|s| s.head != NONE) {
                let mut i = self.bucket(s.key);
                while self.slots[i].head != NONE {
                    i = (i + 1) & mask;
                }
                self.slots[i] = s;
            }
        }
        let mask = self.slots.len() - 1;
        let mut i = self.bucket(key);
        loop {
            let s = self.slots[i];
            if s.head == NONE {
                self.used += 1;
                self.slots[i] = Slot { key, head: NONE, gen };
                return i;
            }
            if s.key == key {
                return i;
            }
            i = (i + 1) & mask;
        }
    }
}

/// One candidate.
#[derive(Clone, Copy)]
struct Entry {
    id: u32,
    /// Insertion number, and the growth counter just after that insertion.
    time: u32,
    gen: u32,
    /// Next entry in the coarse list and in the fine list.
    next: [u32; 2],
}

const COARSE: usize = 0;
const FINE: usize = 1;

/// Signature hash → candidates, tried in libbpf's order.
pub(super) struct CandTable {
    index: [Index; 2],
    entries: Vec<Entry>,
    /// libbpf's map size and capacity, to know when it would grow.
    lib_size: usize,
    lib_cap: usize,
    growths: u32,
}

impl CandTable {
    /// A table expecting about `n` entries.
    pub(super) fn with_capacity(n: usize) -> CandTable {
        CandTable {
            index: [Index::new(n / 2), Index::new(n / 16)],
            entries: Vec::with_capacity(n),
            lib_size: 0,
            lib_cap: 0,
            growths: 0,
        }
    }

    /// Puts list `which` of slot `i` in the order libbpf would try it now.
    fn settle(&mut self, which: usize, i: usize) {
        let s = self.index[which].slots[i];
        if (self.growths.wrapping_sub(s.gen)) & 1 == 1 {
            let mut prev = NONE;
            let mut cur = s.head;
            while cur != NONE {
                let e = &mut self.entries[cur as usize];
                let nx = e.next[which];
                e.next[which] = prev;
                prev = cur;
                cur = nx;
            }
            self.index[which].slots[i].head = prev;
        }
        self.index[which].slots[i].gen = self.growths;
    }

    /// Adds candidate `id` (one insertion into libbpf's map), filed under
    /// its coarse key and/or a fine key.
    pub(super) fn add(&mut self, coarse: Option<u64>, fine: Option<u64>, id: u32) {
        if self.lib_cap == 0 || (self.lib_size + 1) * 4 / 3 > self.lib_cap {
            self.lib_cap = (self.lib_cap * 2).max(4);
            self.growths = self.growths.wrapping_add(1);
        }
        let e = self.entries.len() as u32;
        self.entries.push(Entry { id, time: self.lib_size as u32, gen: self.growths, next: [NONE; 2] });
        self.lib_size += 1;
        for (which, key) in [(COARSE, coarse), (FINE, fine)] {
            let Some(key) = key else { continue };
            let i = self.index[which].find_or_insert(key, self.growths);
            self.settle(which, i);
            self.entries[e as usize].next[which] = self.index[which].slots[i].head;
            self.index[which].slots[i].head = e;
        }
    }

    fn list(&mut self, which: usize, key: u64, out: &mut Vec<u32>) {
        out.clear();
        let Some(i) = self.index[which].find(key) else { return };
        self.settle(which, i);
        let mut cur = self.index[which].slots[i].head;
        while cur != NONE {
            out.push(cur);
            cur = self.entries[cur as usize].next[which];
        }
    }

    /// The entries under coarse key `key`, in the order to try them.
    pub(super) fn coarse(&mut self, key: u64, out: &mut Vec<u32>) {
        self.list(COARSE, key, out)
    }

    /// The entries under fine key `key`, in the order to try them.
    pub(super) fn fine(&mut self, key: u64, out: &mut Vec<u32>) {
        self.list(FINE, key, out)
    }

    /// The type id of entry `e`.
    pub(super) fn id(&self, e: u32) -> u32 {
        self.entries[e as usize].id
    }

    /// Whether entry `a` comes before entry `b` in the list of the libbpf
    /// key they share.
    pub(super) fn before(&self, a: u32, b: u32) -> bool {
        let (ea, eb) = (self.entries[a as usize], self.entries[b as usize]);
        let later_first = |e: Entry| (self.growths.wrapping_sub(e.gen)) & 1 == 0;
        if ea.time > eb.time {
            later_first(ea)
        } else {
            !later_first(eb)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A direct model of libbpf's chained map: buckets of head-inserted
    /// chains, regrown by moving chains in bucket order.
    struct Chained {
        buckets: Vec<Vec<(u64, u32)>>, // each chain head first
        bits: u32,
        size: usize,
    }

    impl Chained {
        fn bucket(&self, key: u64) -> usize {
            if self.bits == 0 {
                return 0;
            }
            (key.wrapping_mul(11400714819323198485) >> (64 - self.bits)) as usize
        }
        fn add(&mut self, key: u64, id: u32) {
            if self.buckets.is_empty() || (self.size + 1) * 4 / 3 > self.buckets.len() {
                let bits = (self.bits + 1).max(2);
                let mut nb: Vec<Vec<(u64, u32)>> = vec![Vec::new(); 1 << bits];
                let old = core::mem::take(&mut self.buckets);
                self.bits = bits;
                for chain in old {
                    for e in chain {
                        let b = self.bucket(e.0);
                        nb[b].insert(0, e);
                    }
                }
                self.buckets = nb;
            }
            let b = self.bucket(key);
            self.buckets[b].insert(0, (key, id));
            self.size += 1;
        }
        fn candidates(&self, key: u64) -> Vec<u32> {
            if self.buckets.is_empty() {
                return vec![];
            }
            self.buckets[self.bucket(key)].iter().filter(|e| e.0 == key).map(|e| e.1).collect()
        }
    }

    #[test]
    fn same_order_as_a_chained_map() {
        let mut t = CandTable::with_capacity(4);
        let mut m = Chained { buckets: vec![], bits: 0, size: 0 };
        let mut out = Vec::new();
        let mut x: u64 = 12345;
        let ids = |t: &CandTable, out: &[u32]| out.iter().map(|&e| t.id(e)).collect::<Vec<_>>();
        for id in 0..3000u32 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let key = (x >> 33) % 97; // many entries per key
            // Odd ids also go to a fine list (key and parity of the id / 3).
            let fine = (id % 2 == 1).then_some(key * 2 + (id / 3 % 2) as u64);
            t.add(Some(key), fine, id);
            m.add(key, id);
            if id % 7 == 0 {
                let k = (x >> 40) % 97;
                t.coarse(k, &mut out);
                let full = m.candidates(k);
                assert_eq!(ids(&t, &out), full, "key {k} after {id}");
                // Pairwise order agrees with the list.
                for (i, &a) in out.iter().enumerate().take(6) {
                    for &b in &out[i + 1..] {
                        assert!(t.before(a, b) && !t.before(b, a));
                    }
                }
                // A fine list is the matching sub-sequence of the coarse one.
                for sub in 0..2 {
                    t.fine(k * 2 + sub, &mut out);
                    let want: Vec<u32> = full.iter().copied().filter(|&i| i % 2 == 1 && (i / 3 % 2) as u64 == sub).collect();
                    assert_eq!(ids(&t, &out), want);
                }
            }
        }
        for k in 0..100 {
            t.coarse(k, &mut out);
            assert_eq!(ids(&t, &out), m.candidates(k));
        }
    }
}
