//! The values a relocation patches: computed once from the local spec (what
//! the compiler assumed, checked against the instruction) and once from the
//! target spec (what the running kernel has).

use super::kind::{self, CoreRelo};
use super::spec::Spec;
use super::view::{self, TypeView};
use crate::error::{Error, Result};
use crate::uapi::btf::*;

/// The outcome of one relocation: the value the instruction must hold now
/// (`orig_val`) and the one to write (`new_val`), or `poison` when the
/// target has no such field/enumerator and the instruction must be made
/// invalid. For loads/stores whose field changed size, the memory sizes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RelocResult {
    pub orig_val: u64,
    pub new_val: u64,
    pub poison: bool,
    /// Check that the instruction holds `orig_val` before patching.
    pub validate: bool,
    /// The load/store size change is not safe: poison such instructions.
    pub fail_memsz_adjust: bool,
    pub orig_sz: u32,
    pub new_sz: u32,
    pub orig_type_id: u32,
    pub new_type_id: u32,
}

/// `EUCLEAN` marks "poison the instruction" inside the computation.
const POISON: Error = Error::new(libc::EUCLEAN);

#[derive(Default)]
struct FieldValue {
    val: u64,
    size: u32,
    type_id: u32,
    validate: bool,
}

fn field_value(prog_name: &str, relo: &CoreRelo, spec: Option<&Spec<'_>>) -> Result<FieldValue> {
    let mut out = FieldValue { validate: true, ..Default::default() };
    if relo.kind == kind::FIELD_EXISTS {
        out.val = u64::from(spec.is_some());
        return Ok(out);
    }
    let spec = spec.ok_or(POISON)?;
    let btf = spec.btf;
    let acc = spec.access.last().ok_or(Error::INVAL)?;

    if acc.name.is_none() {
        // the field is an array element (or the root itself)
        let size = view::resolve_size(btf, acc.type_id).map_err(|_| Error::INVAL)?;
        match relo.kind {
            kind::FIELD_BYTE_OFFSET => {
                out.val = u64::from(spec.bit_offset / 8);
                out.size = size as u32;
                out.type_id = acc.type_id;
            }
            kind::FIELD_BYTE_SIZE => out.val = size,
            _ => {
                pr_warn!(
                    "prog '{}': relo {} at insn #{} can't be applied to array access",
                    prog_name,
                    relo.kind,
                    relo.insn_off / 8
                );
                return Err(Error::INVAL);
            }
        }
        return Ok(out);
    }

    let m = btf.member(acc.type_id, acc.idx).ok_or(Error::INVAL)?;
    let field_type = view::skip_mods_and_typedefs(btf, m.type_id).ok_or(Error::INVAL)?;
    let bit_off = spec.bit_offset;
    let mut bit_sz = m.bitfield_size;
    let bitfield = bit_sz > 0;
    let (mut byte_off, mut byte_sz);
    if bitfield {
        byte_sz = btf.size(field_type);
        if byte_sz == 0 {
            return Err(Error::INVAL);
        }
        byte_off = bit_off / 8 / byte_sz * byte_sz;
        // the smallest load that covers the whole bitfield
        while u64::from(bit_off) + u64::from(bit_sz) - u64::from(byte_off) * 8 > u64::from(byte_sz) * 8 {
            if byte_sz >= 8 {
                pr_warn!(
                    "prog '{}': relo {} at insn #{} can't be satisfied for bitfield",
                    prog_name,
                    relo.kind,
                    relo.insn_off / 8
                );
                return Err(Error::TOO_BIG);
            }
            byte_sz *= 2;
            byte_off = bit_off / 8 / byte_sz * byte_sz;
        }
    } else {
        byte_sz = view::resolve_size(btf, field_type).map_err(|_| Error::INVAL)? as u32;
        byte_off = bit_off / 8;
        bit_sz = byte_sz.wrapping_mul(8);
    }
    // bitfield offsets and sizes depend on the compiler's choices: only
    // signedness and the right shift are checked for them
    out.validate = !bitfield;
    match relo.kind {
        kind::FIELD_BYTE_OFFSET => {
            out.val = u64::from(byte_off);
            if !bitfield {
                out.size = byte_sz;
                out.type_id = field_type;
            }
        }
        kind::FIELD_BYTE_SIZE => out.val = u64::from(byte_sz),
        kind::FIELD_SIGNED => {
            let k = btf.kind(field_type);
            let signed = (view::is_any_enum(k) && btf.kflag(field_type))
                || (k == Some(BTF_KIND_INT) && btf.int_info(field_type).0 & BTF_INT_SIGNED != 0);
            out.val = u64::from(signed);
            out.validate = true;
        }
        kind::FIELD_LSHIFT_U64 => {
            // little-endian layout
            out.val = u64::from(64u32.wrapping_sub(bit_off.wrapping_add(bit_sz).wrapping_sub(byte_off.wrapping_mul(8))));
        }
        kind::FIELD_RSHIFT_U64 => {
            out.val = u64::from(64u32.wrapping_sub(bit_sz));
            out.validate = true;
        }
        _ => return Err(Error::NOT_SUPPORTED),
    }
    Ok(out)
}

fn type_value(relo: &CoreRelo, spec: Option<&Spec<'_>>) -> Result<(u64, bool)> {
    let Some(spec) = spec else { return Ok((0, true)) };
    match relo.kind {
        // type ids may change during linking: never checked
        kind::TYPE_ID_TARGET => Ok((u64::from(spec.root_type_id), false)),
        kind::TYPE_EXISTS | kind::TYPE_MATCHES => Ok((1, true)),
        kind::TYPE_SIZE => {
            let size = view::resolve_size(spec.btf, spec.root_type_id).map_err(|_| Error::INVAL)?;
            Ok((size, true))
        }
        _ => Err(Error::NOT_SUPPORTED),
    }
}

fn enumval_value(relo: &CoreRelo, spec: Option<&Spec<'_>>) -> Result<u64> {
    match relo.kind {
        kind::ENUMVAL_EXISTS => Ok(u64::from(spec.is_some())),
        kind::ENUMVAL_VALUE => {
            let spec = spec.ok_or(POISON)?;
            let acc = spec.access.first().ok_or(Error::INVAL)?;
            let e = spec.btf.enumerator(acc.type_id, acc.idx).ok_or(Error::INVAL)?;
            Ok(e.value)
        }
        _ => Err(Error::NOT_SUPPORTED),
    }
}

fn is_int_not_signed(btf: &dyn TypeView, id: u32) -> bool {
    btf.kind(id) == Some(BTF_KIND_INT) && btf.int_info(id).0 != BTF_INT_SIGNED
}

/// Computes a relocation's original and new values from the local spec and
/// the target spec (`None`: no candidate matched). A missing field or
/// enumerator value becomes `poison`; an unknown kind fails with
/// `EOPNOTSUPP` (logged); malformed types with `EINVAL` or `E2BIG`.
pub fn calc_relo(
    prog_name: &str,
    relo: &CoreRelo,
    relo_idx: usize,
    local: &Spec<'_>,
    targ: Option<&Spec<'_>>,
) -> Result<RelocResult> {
    let mut res = RelocResult { validate: true, ..Default::default() };
    let r: Result<()> = (|| {
        if kind::is_field_based(relo.kind) {
            let o = field_value(prog_name, relo, Some(local))?;
            res.orig_val = o.val;
            res.orig_sz = o.size;
            res.orig_type_id = o.type_id;
            res.validate = o.validate;
            let n = field_value(prog_name, relo, targ)?;
            res.new_val = n.val;
            res.new_sz = n.size;
            res.new_type_id = n.type_id;
            if res.orig_sz != res.new_sz {
                // Resizing a load/store is safe only for pointers (a 32-bit
                // kernel pointer is zero-extended) and unsigned integers.
                let (lb, tb) = (local.btf, targ.map(|t| t.btf).ok_or(Error::INVAL)?);
                let (o, n) = (res.orig_type_id, res.new_type_id);
                let both_ptr = lb.kind(o) == Some(BTF_KIND_PTR) && tb.kind(n) == Some(BTF_KIND_PTR);
                let both_unsigned = is_int_not_signed(lb, o) && is_int_not_signed(tb, n);
                res.fail_memsz_adjust = !(both_ptr || both_unsigned);
            }
        } else if kind::is_type_based(relo.kind) {
            let (o, validate) = type_value(relo, Some(local))?;
            res.orig_val = o;
            res.validate = validate;
            res.new_val = type_value(relo, targ)?.0;
        } else if kind::is_enumval_based(relo.kind) {
            res.orig_val = enumval_value(relo, Some(local))?;
            res.new_val = enumval_value(relo, targ)?;
        } else {
            return Err(Error::NOT_SUPPORTED);
        }
        Ok(())
    })();
    match r {
        Ok(()) => Ok(res),
        Err(e) if e == POISON => {
            res.poison = true;
            Ok(res)
        }
        Err(e) => {
            if e == Error::NOT_SUPPORTED {
                pr_warn!(
                    "prog '{}': relo #{}: unrecognized CO-RE relocation {} ({}) at insn #{}",
                    prog_name,
                    relo_idx,
                    kind::kind_str(relo.kind),
                    relo.kind,
                    relo.insn_off / 8
                );
            }
            Err(e)
        }
    }
}
