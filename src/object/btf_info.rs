//! What the object loader reads from the object's BTF.

use crate::error::{Error, Result};

use super::Object;

/// Offset of variable `var` in the DATASEC `datasec_id`; None when the
/// section has no such variable; an error when `datasec_id` is not a DATASEC.
pub fn datasec_var_offset(_o: &Object, _datasec_id: u32, _var: &[u8]) -> Result<Option<u32>> {
    Err(Error::NOT_SUPPORTED)
}
