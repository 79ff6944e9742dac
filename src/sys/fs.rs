//! File system queries the loader needs beyond `std::fs`.

use std::ffi::CStr;

use crate::error::{Error, Result};

/// `BPF_FS_MAGIC`: the `f_type` of a bpffs mount.
pub const BPF_FS_MAGIC: i64 = 0xcafe_4a11;

/// The `f_type` of the file system holding `path` (`statfs(2)`).
pub fn fs_type(path: &CStr) -> Result<i64> {
    // SAFETY: `st` is plain data written by the kernel; `path` is a C string.
    unsafe {
        let mut st: libc::statfs = core::mem::zeroed();
        if libc::statfs(path.as_ptr(), &mut st) != 0 {
            return Err(Error::last_os_error());
        }
        Ok(st.f_type as i64)
    }
}
