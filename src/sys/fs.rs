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

/// The whole contents of the file open as `fd` (a caller's fd, not taken
/// over), read from offset 0 whatever its file position, as libelf reads an
/// object: `fstat` for the size, then `pread` until that size or the end.
pub fn read_all_at(fd: std::os::fd::RawFd) -> Result<Vec<u8>> {
    // SAFETY: `st` is plain data filled in by the kernel.
    let size = unsafe {
        let mut st: libc::stat = core::mem::zeroed();
        if libc::fstat(fd, &mut st) != 0 {
            return Err(Error::last_os_error());
        }
        st.st_size.max(0) as usize
    };
    let mut out = vec![0u8; size];
    let mut done = 0usize;
    while done < size {
        // SAFETY: the destination is the unfilled tail of `out`.
        let n = unsafe { libc::pread(fd, out[done..].as_mut_ptr().cast(), size - done, done as libc::off_t) };
        if n < 0 {
            let e = Error::last_os_error();
            if e.errno() == libc::EINTR {
                continue;
            }
            return Err(e);
        }
        if n == 0 {
            break;
        }
        done += n as usize;
    }
    out.truncate(done);
    Ok(out)
}

/// Makes the file open as `fd` hold exactly `bytes` (as libelf writes an
/// object: `ftruncate` to the size, then `pwrite` from offset 0); the fd
/// stays the caller's.
pub fn write_all_at(fd: std::os::fd::RawFd, bytes: &[u8]) -> Result<()> {
    let len = libc::off_t::try_from(bytes.len()).map_err(|_| Error::TOO_BIG)?;
    // SAFETY: ftruncate on a caller's fd; the result is checked.
    if unsafe { libc::ftruncate(fd, len) } != 0 {
        return Err(Error::last_os_error());
    }
    let mut done = 0usize;
    while done < bytes.len() {
        // SAFETY: the source is the unwritten tail of `bytes`.
        let n = unsafe { libc::pwrite(fd, bytes[done..].as_ptr().cast(), bytes.len() - done, done as libc::off_t) };
        if n < 0 {
            let e = Error::last_os_error();
            if e.errno() == libc::EINTR {
                continue;
            }
            return Err(e);
        }
        if n == 0 {
            return Err(Error::new(libc::EIO));
        }
        done += n as usize;
    }
    Ok(())
}
