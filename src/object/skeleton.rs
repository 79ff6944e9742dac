//! What `bpftool gen skeleton` code asks of an object: its maps and
//! programs by name, and the memory of its global data maps. The C
//! structures themselves (with their `map_skel_sz`/`prog_skel_sz` strides)
//! are walked at the C boundary.

use crate::error::{Error, Result};

use super::reloc::DataKind;
use super::Object;

/// The map a skeleton entry names, and the address its `mmaped` pointer
/// gets (NULL for `.kconfig` and maps without an image).
pub fn skeleton_map(o: &Object, name: &[u8]) -> Result<(usize, usize)> {
    let Some(idx) = o.find_map(name) else {
        crate::pr_warn!("failed to find skeleton map '{}'", String::from_utf8_lossy(name));
        return Err(Error::new(libc::ESRCH));
    };
    let m = &o.maps[idx];
    let addr = if m.data == Some(DataKind::Kconfig) { 0 } else { m.mmaped.as_ref().map_or(0, |img| img.as_ptr() as usize) };
    Ok((idx, addr))
}

/// The program a skeleton entry names.
pub fn skeleton_prog(o: &Object, name: &[u8]) -> Result<usize> {
    o.find_program(name).ok_or_else(|| {
        crate::pr_warn!("failed to find skeleton program '{}'", String::from_utf8_lossy(name));
        Error::new(libc::ESRCH)
    })
}

/// The address of global variable `var` in the memory of map `idx` (a
/// global data map described by a BTF DATASEC), for subskeletons; None when
/// the section has no such variable.
pub fn var_addr(o: &Object, idx: usize, var: &[u8]) -> Result<Option<usize>> {
    let m = &o.maps[idx];
    let Some(off) = super::btf_info::datasec_var_offset(o, m.btf_value_type_id, var).map_err(|e| {
        crate::pr_warn!("type for map '{}' is not a datasec: {e}", m.user_name().to_string_lossy());
        e
    })?
    else {
        return Ok(None);
    };
    Ok(m.mmaped.as_ref().map(|img| img.as_ptr() as usize + off as usize))
}
