//! The object's BTF in the kernel: sanitised for what the running kernel
//! supports, then loaded (its fd is what maps and programs refer to).
//! Also the BTF lookups of load preparation: exception callbacks and
//! attach targets of fentry/fexit/LSM/iterator programs.

use crate::error::{Error, Result};

use super::Object;

/// Step of prepare: sanitises and loads the object's BTF. BTF is optional
/// for the kernel unless the object has struct_ops maps: a failed load
/// only drops func/line info and typed maps.
pub fn sanitize_and_load_btf(o: &mut Object) -> Result<()> {
    if o.btf_data.is_none() {
        return Ok(());
    }
    crate::pr_debug!("object '{}': BTF loading is not available yet, skipping it", o.name_str());
    Ok(())
}

/// Appends the exception callback of main program `i` (named by an
/// `exception_callback:<name>` decl tag) if no call reached it.
pub fn append_exception_callback(_o: &mut Object, _i: usize) -> Result<()> {
    Ok(())
}

/// The BTF object fd and type id of attach target `target` of program `i`
/// (a kernel function, tracepoint, LSM hook or iterator).
pub fn find_attach_btf_id(o: &Object, i: usize, target: &str) -> Result<(u32, u32)> {
    crate::pr_warn!(
        "prog '{}': failed to find kernel BTF type ID of '{target}': {}",
        o.programs[i].name_str(),
        Error::NOT_SUPPORTED
    );
    Err(Error::NOT_SUPPORTED)
}
