//! Read-only byte blobs aligned to 4 bytes: a heap copy, or a private
//! read-only mapping of a file (`mmap(2)`).
//!
//! BTF is made of 32-bit words; keeping its bytes 4-byte aligned lets the
//! core read records as `&[u32]` and hand C a `struct btf_type *` that points
//! straight into the data. A mapped blob costs no heap at all: this is how
//! vmlinux BTF is read from `/sys/kernel/btf/vmlinux` (the kernel maps its
//! own pages, which are not even counted in the process's RSS).

use std::fs::File;
use std::io::Read;
use std::os::fd::AsRawFd;
use std::path::Path;
use std::ptr::NonNull;

use crate::error::{Error, Result};

/// 4-byte-aligned, immutable bytes.
pub struct Blob {
    repr: Repr,
    len: usize,
}

enum Repr {
    Heap(Vec<u32>),
    Map { ptr: NonNull<u8>, map_len: usize },
}

// SAFETY: a mapping is private, read-only and never written or remapped while
// the blob lives; a heap blob is a plain Vec.
unsafe impl Send for Blob {}
// SAFETY: as above: shared references only ever read.
unsafe impl Sync for Blob {}

impl Blob {
    /// A zero-length blob.
    pub fn empty() -> Blob {
        Blob { repr: Repr::Heap(Vec::new()), len: 0 }
    }

    /// A heap copy of `bytes`.
    pub fn copy_from(bytes: &[u8]) -> Blob {
        let mut words = vec![0u32; bytes.len().div_ceil(4)];
        words_as_bytes_mut(&mut words)[..bytes.len()].copy_from_slice(bytes);
        Blob { repr: Repr::Heap(words), len: bytes.len() }
    }

    /// A heap blob holding `words` (all of their bytes).
    pub fn from_words(words: Vec<u32>) -> Blob {
        let len = words.len() * 4;
        Blob { repr: Repr::Heap(words), len }
    }

    /// Reads a whole file into a heap blob, without an intermediate copy.
    pub fn read_file(path: &Path) -> Result<Blob> {
        let mut file = File::open(path)?;
        let size = file.metadata()?.len();
        let size = usize::try_from(size).map_err(|_| Error::TOO_BIG)?;
        if size == 0 {
            // Pseudo-files report no size: read until EOF.
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes)?;
            return Ok(Blob::copy_from(&bytes));
        }
        let mut words = vec![0u32; size.div_ceil(4)];
        let buf = &mut words_as_bytes_mut(&mut words)[..size];
        let mut got = 0;
        while got < size {
            match file.read(&mut buf[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Ok(Blob { repr: Repr::Heap(words), len: got })
    }

    /// Reads `len` bytes at `offset` of an open file into a heap blob
    /// (`EIO` when the file ends before).
    pub fn read_at(file: &File, offset: u64, len: usize) -> Result<Blob> {
        use std::os::unix::fs::FileExt;
        let mut words = vec![0u32; len.div_ceil(4)];
        file.read_exact_at(&mut words_as_bytes_mut(&mut words)[..len], offset).map_err(|e| {
            if e.kind() == std::io::ErrorKind::UnexpectedEof {
                Error::new(libc::EIO)
            } else {
                Error::from(e)
            }
        })?;
        Ok(Blob { repr: Repr::Heap(words), len })
    }

    /// Maps a whole file read-only and private. Fails (with the errno of
    /// `mmap`) when the file cannot be mapped; callers fall back to
    /// [`Blob::read_file`].
    pub fn map_file(path: &Path) -> Result<Blob> {
        let file = File::open(path)?;
        let size = file.metadata()?.len();
        let size = usize::try_from(size).map_err(|_| Error::TOO_BIG)?;
        if size == 0 {
            return Err(Error::INVAL);
        }
        // SAFETY: a fresh private read-only mapping of `size` bytes of an open
        // fd; the result is checked before use. The fd may close afterwards.
        let ptr = unsafe {
            libc::mmap(core::ptr::null_mut(), size, libc::PROT_READ, libc::MAP_PRIVATE, file.as_raw_fd(), 0)
        };
        if ptr == libc::MAP_FAILED {
            return Err(Error::last_os_error());
        }
        let ptr = NonNull::new(ptr.cast::<u8>()).ok_or(Error::NOMEM)?;
        Ok(Blob { repr: Repr::Map { ptr, map_len: size }, len: size })
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        match &self.repr {
            Repr::Heap(w) => &words_as_bytes(w)[..self.len],
            // SAFETY: the mapping covers `map_len >= len` readable bytes for
            // as long as `self` lives.
            Repr::Map { ptr, .. } => unsafe { core::slice::from_raw_parts(ptr.as_ptr(), self.len) },
        }
    }

    /// The bytes as native 32-bit words (a trailing partial word is left out).
    pub fn words(&self) -> &[u32] {
        match &self.repr {
            Repr::Heap(w) => &w[..self.len / 4],
            // SAFETY: mappings are page aligned, hence 4-byte aligned, and
            // cover `len` bytes.
            Repr::Map { ptr, .. } => unsafe {
                core::slice::from_raw_parts(ptr.as_ptr().cast::<u32>(), self.len / 4)
            },
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the blob holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the bytes are a file mapping rather than heap memory.
    pub fn is_mapped(&self) -> bool {
        matches!(self.repr, Repr::Map { .. })
    }
}

impl Drop for Blob {
    fn drop(&mut self) {
        if let Repr::Map { ptr, map_len } = self.repr {
            // SAFETY: unmapping exactly the mapping this blob created.
            unsafe { libc::munmap(ptr.as_ptr().cast(), map_len) };
        }
    }
}

/// The bytes of a word slice, in memory order.
pub fn words_as_bytes(words: &[u32]) -> &[u8] {
    // SAFETY: any u32 is 4 initialised bytes; u8 has no alignment needs.
    unsafe { core::slice::from_raw_parts(words.as_ptr().cast::<u8>(), words.len() * 4) }
}

/// The bytes of a mutable word slice, in memory order.
pub fn words_as_bytes_mut(words: &mut [u32]) -> &mut [u8] {
    // SAFETY: as above; every byte pattern is a valid u32.
    unsafe { core::slice::from_raw_parts_mut(words.as_mut_ptr().cast::<u8>(), words.len() * 4) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heap_copy_is_aligned_and_exact() {
        let b = Blob::copy_from(&[1, 0, 0, 0, 2, 0, 0, 0, 9]);
        assert_eq!(b.len(), 9);
        assert_eq!(b.bytes(), &[1, 0, 0, 0, 2, 0, 0, 0, 9]);
        assert_eq!(b.words().len(), 2);
        assert_eq!(b.words()[1], u32::from_ne_bytes([2, 0, 0, 0]));
        assert_eq!(b.words().as_ptr() as usize % 4, 0);
    }

    #[test]
    fn read_and_map_agree() {
        let path = std::env::temp_dir().join(format!("oxbpf-blob-{}", std::process::id()));
        std::fs::write(&path, b"hello, blob").unwrap();
        let r = Blob::read_file(&path).unwrap();
        let m = Blob::map_file(&path).unwrap();
        assert!(m.is_mapped() && !r.is_mapped());
        assert_eq!(r.bytes(), b"hello, blob");
        assert_eq!(m.bytes(), r.bytes());
        assert_eq!(m.words(), r.words());
        std::fs::remove_file(&path).unwrap();
        assert!(Blob::read_file(&path).is_err());
    }
}
