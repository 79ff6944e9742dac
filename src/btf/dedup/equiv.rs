//! Type graph equivalence: whether the graph rooted at a candidate
//! struct/union/typedef describes the same C types as the graph rooted at a
//! canonical one.
//!
//! Both graphs are walked side by side, depth first, children in field
//! order. Each step compares one candidate-side type with one
//! canonical-side type: their kinds and everything but referenced ids must
//! agree, then their referenced types are compared in turn. The
//! correspondence canonical → candidate found so far is the *hypothetical
//! map*: meeting a canonical type again is fine when it corresponds to the
//! same candidate type (a cycle), or to a structurally identical one (the
//! compiler sometimes emits duplicates inside one unit); anything else is a
//! contradiction.
//!
//! A FWD matches a struct/union of its name and kind on either side; FWDs
//! already resolved are followed on the canonical side only. When the
//! canonical side is a base FWD that would have to resolve to a split
//! struct, the graphs are not counted as equivalent (the base cannot
//! change), though the base FWD still points to the struct afterwards.
//!
//! The walk keeps its own stack (no recursion on input depth) and visits
//! steps in exactly the order a recursive walk would, so that the
//! hypothetical map, and everything derived from it, is libbpf's.

use super::sig::*;
use super::{Dedup, MAX_ID, UNPROCESSED};
use crate::error::{Error, Result};
use crate::uapi::btf::*;

/// Depth up to which two types are compared structurally when the walk
/// meets an already mapped canonical type.
const IDENTICAL_DEPTH: i32 = 16;
/// Bound on chains of modifiers followed by the structural comparison (a
/// malformed loop of modifiers would otherwise never end).
const IDENTICAL_STEPS: u32 = 1 << 16;

impl Dedup<'_> {
    /// Forgets the hypothetical map of the previous walk.
    pub(super) fn clear_hypot(&mut self) {
        for &id in &self.hypot_list {
            self.hypot_map[id as usize] = UNPROCESSED;
        }
        self.hypot_list.clear();
        self.hypot_adjust_canon = false;
    }

    fn hypot_add(&mut self, canon: u32, cand: u32) {
        self.hypot_list.push(canon);
        self.hypot_map[canon as usize] = cand;
    }

    /// Whether the graphs rooted at `cand` and `canon` are equivalent,
    /// filling the hypothetical map. `EINVAL` for kinds that cannot appear
    /// in a type graph (VAR, DATASEC).
    pub(super) fn is_equiv(&mut self, cand: u32, canon: u32) -> Result<bool> {
        let mut walk = core::mem::take(&mut self.walk);
        walk.clear();
        walk.push((cand, canon));
        let mut res = Ok(true);
        while let Some((cand, canon)) = walk.pop() {
            match self.equiv_step(cand, canon, &mut walk) {
                Ok(true) => {}
                other => {
                    res = other;
                    break;
                }
            }
        }
        self.walk = walk;
        res
    }

    /// One step of the walk: compares `cand` with `canon` and queues the
    /// pairs of referenced types (the first to compare on top).
    fn equiv_step(&mut self, cand: u32, canon: u32, walk: &mut Vec<(u32, u32)>) -> Result<bool> {
        if self.resolve(cand) == self.resolve(canon) {
            return Ok(true);
        }
        let canon = self.resolve_fwd(canon);
        let seen = self.hypot_map[canon as usize];
        if seen <= MAX_ID {
            return Ok(seen == cand || self.identical(seen, cand, IDENTICAL_DEPTH));
        }
        self.hypot_add(canon, cand);

        let (c, k) = (self.ty(cand), self.ty(canon));
        if wd(c, 0) != wd(k, 0) {
            return Ok(false);
        }
        let (ck, kk) = (kind(c), kind(k));
        if (ck == BTF_KIND_FWD || kk == BTF_KIND_FWD) && ck != kk {
            if ck == BTF_KIND_FWD {
                return Ok(fwd_kind(c) == kk);
            }
            let matches = fwd_kind(k) == ck;
            if matches && canon < self.start_id {
                self.hypot_adjust_canon = true;
            }
            return Ok(matches);
        }
        if ck != kk {
            return Ok(false);
        }
        match ck {
            BTF_KIND_INT => Ok(equal_int_tag(c, k)),
            BTF_KIND_ENUM | BTF_KIND_ENUM64 => Ok(compat_enum(c, k)),
            BTF_KIND_FWD | BTF_KIND_FLOAT => Ok(equal_common(c, k)),
            BTF_KIND_CONST | BTF_KIND_VOLATILE | BTF_KIND_RESTRICT | BTF_KIND_PTR | BTF_KIND_TYPEDEF | BTF_KIND_FUNC
            | BTF_KIND_TYPE_TAG => {
                if wd(c, 1) != wd(k, 1) {
                    return Ok(false);
                }
                walk.push((wd(c, 2), wd(k, 2)));
                Ok(true)
            }
            BTF_KIND_ARRAY => {
                if !compat_array(c, k) {
                    return Ok(false);
                }
                // Index type first, then element type.
                walk.push((wd(c, 3), wd(k, 3)));
                walk.push((wd(c, 4), wd(k, 4)));
                Ok(true)
            }
            BTF_KIND_STRUCT | BTF_KIND_UNION => {
                if !shallow_equal_struct(c, k) {
                    return Ok(false);
                }
                for i in (0..vlen(c)).rev() {
                    walk.push((wd(c, 4 + 3 * i), wd(k, 4 + 3 * i)));
                }
                Ok(true)
            }
            BTF_KIND_FUNC_PROTO => {
                if !compat_fnproto(c, k) {
                    return Ok(false);
                }
                for i in (0..vlen(c)).rev() {
                    walk.push((wd(c, 4 + 2 * i), wd(k, 4 + 2 * i)));
                }
                walk.push((wd(c, 2), wd(k, 2)));
                Ok(true)
            }
            _ => Err(Error::INVAL),
        }
    }

    /// Whether types `a` and `b` are structurally the same, comparing
    /// referenced types recursively up to `depth` levels (modifier chains
    /// do not count as levels).
    fn identical(&self, mut a: u32, mut b: u32, depth: i32) -> bool {
        if depth <= 0 {
            return false;
        }
        for _ in 0..IDENTICAL_STEPS {
            let (t1, t2) = (self.ty(a), self.ty(b));
            let k = kind(t1);
            if k != kind(t2) {
                return false;
            }
            let sub = |x: u32, y: u32| x == y || self.identical(x, y, depth - 1);
            return match k {
                BTF_KIND_UNKN => true,
                BTF_KIND_INT => equal_int_tag(t1, t2),
                BTF_KIND_ENUM | BTF_KIND_ENUM64 => compat_enum(t1, t2),
                BTF_KIND_FWD | BTF_KIND_FLOAT => equal_common(t1, t2),
                BTF_KIND_CONST | BTF_KIND_VOLATILE | BTF_KIND_RESTRICT | BTF_KIND_PTR | BTF_KIND_TYPEDEF
                | BTF_KIND_FUNC | BTF_KIND_TYPE_TAG => {
                    if wd(t1, 1) != wd(t2, 1) || wd(t1, 0) != wd(t2, 0) {
                        return false;
                    }
                    (a, b) = (wd(t1, 2), wd(t2, 2));
                    continue;
                }
                BTF_KIND_ARRAY => compat_array(t1, t2) && sub(wd(t1, 4), wd(t2, 4)) && sub(wd(t1, 3), wd(t2, 3)),
                BTF_KIND_STRUCT | BTF_KIND_UNION => {
                    if !shallow_equal_struct(t1, t2) {
                        return false;
                    }
                    let same = (0..vlen(t1)).all(|i| sub(wd(t1, 4 + 3 * i), wd(t2, 4 + 3 * i)));
                    if !same && wd(t1, 0) != 0 {
                        pr_debug!(
                            "{} [{a}]/[{b}] (size {} vlen {}) appears equal but its members differ",
                            if k == BTF_KIND_STRUCT { "struct" } else { "union" },
                            wd(t1, 2),
                            vlen(t1)
                        );
                    }
                    same
                }
                BTF_KIND_FUNC_PROTO => {
                    compat_fnproto(t1, t2)
                        && sub(wd(t1, 2), wd(t2, 2))
                        && (0..vlen(t1)).all(|i| sub(wd(t1, 4 + 2 * i), wd(t2, 4 + 2 * i)))
                }
                _ => false,
            };
        }
        false
    }

    /// After a successful walk: records the FWD resolutions it found, and
    /// maps the candidate-side structs it passed through to their
    /// canonical counterparts when those are canonical already (which
    /// spares walking them again).
    pub(super) fn merge_hypot(&mut self) {
        for i in 0..self.hypot_list.len() {
            let canon = self.hypot_list[i];
            let targ = self.hypot_map[canon as usize];
            let t_id = self.resolve(targ);
            let c_id = self.resolve(canon);
            let t_kind = kind(self.ty(t_id));
            let c_kind = kind(self.ty(c_id));
            // A canonical FWD (even a base one) resolves to the struct.
            if t_kind != BTF_KIND_FWD && c_kind == BTF_KIND_FWD {
                self.map[c_id as usize] = t_id;
            }
            if self.hypot_adjust_canon {
                continue;
            }
            if t_kind == BTF_KIND_FWD && c_kind != BTF_KIND_FWD {
                self.map[t_id as usize] = c_id;
            }
            if matches!(t_kind, BTF_KIND_STRUCT | BTF_KIND_UNION)
                && c_kind != BTF_KIND_FWD
                && self.is_mapped(c_id)
                && !self.is_mapped(t_id)
            {
                self.map[t_id as usize] = c_id;
            }
        }
    }
}
