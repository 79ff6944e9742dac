//! Pinning maps and programs in bpffs, one at a time or a whole object.

use std::ffi::CString;
use std::os::fd::AsRawFd;

use crate::bpf_api::object as kcall;
use crate::error::{Error, Result};
use crate::sys::fs::{fs_type, BPF_FS_MAGIC};

use super::{Object, State};

/// POSIX `dirname()` of `path`.
pub fn dirname(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return if path.starts_with('/') { "/".into() } else { ".".into() };
    }
    match trimmed.rfind('/') {
        None => ".".into(),
        Some(i) => {
            let d = trimmed[..i].trim_end_matches('/');
            if d.is_empty() {
                "/".into()
            } else {
                d.into()
            }
        }
    }
}

/// Creates the directory holding `path` (mode 0700) unless it exists.
pub fn make_parent_dir(path: &str) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    let dir = dirname(path);
    match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => {
            let err = Error::from(e);
            crate::pr_warn!("failed to mkdir {path}: {err}");
            Err(err)
        }
    }
}

/// Checks that the directory of `path` is on bpffs.
pub fn check_path(path: &str) -> Result<()> {
    let dir = dirname(path);
    let cdir = CString::new(dir.clone()).map_err(|_| Error::INVAL)?;
    let ty = fs_type(&cdir).map_err(|e| {
        crate::pr_warn!("failed to statfs {dir}: {e}");
        e
    })?;
    if ty != BPF_FS_MAGIC {
        crate::pr_warn!("specified path {path} is not on BPF FS");
        return Err(Error::INVAL);
    }
    Ok(())
}

/// `<dir>/<name>`, `ENAMETOOLONG` past `PATH_MAX`.
pub fn join(dir: &str, name: &str) -> Result<String> {
    let p = format!("{dir}/{name}");
    if p.len() >= super::open::PATH_MAX {
        return Err(Error::new(libc::ENAMETOOLONG));
    }
    Ok(p)
}

fn unlink(path: &str) -> Result<()> {
    std::fs::remove_file(path).map_err(Error::from)
}

impl Object {
    /// `bpf_program__pin()`.
    pub fn pin_program(&self, idx: usize, path: &str) -> Result<()> {
        let p = &self.programs[idx];
        let Some(fd) = p.fd.as_ref() else {
            crate::pr_warn!("prog '{}': can't pin program that wasn't loaded", p.name_str());
            return Err(Error::INVAL);
        };
        make_parent_dir(path)?;
        check_path(path)?;
        let cpath = CString::new(path).map_err(|_| Error::INVAL)?;
        kcall::pin(fd.as_raw_fd(), &cpath).map_err(|e| {
            crate::pr_warn!("prog '{}': failed to pin at '{path}': {e}", p.name_str());
            e
        })?;
        crate::pr_debug!("prog '{}': pinned at '{path}'", p.name_str());
        Ok(())
    }

    /// `bpf_program__unpin()`.
    pub fn unpin_program(&self, idx: usize, path: &str) -> Result<()> {
        let p = &self.programs[idx];
        if p.fd.is_none() {
            crate::pr_warn!("prog '{}': can't unpin program that wasn't loaded", p.name_str());
            return Err(Error::INVAL);
        }
        check_path(path)?;
        unlink(path)?;
        crate::pr_debug!("prog '{}': unpinned from '{path}'", p.name_str());
        Ok(())
    }

    /// `bpf_map__pin()`: pins at `path`, or at the map's pin path when
    /// `path` is None. Pinning again at the same path does nothing.
    pub fn pin_map(&mut self, idx: usize, path: Option<&str>) -> Result<()> {
        let m = &mut self.maps[idx];
        let name = m.user_name().to_string_lossy().into_owned();
        let Some(fd) = m.raw_fd() else {
            crate::pr_warn!("map '{name}': can't pin BPF map without FD (was it created?)");
            return Err(Error::INVAL);
        };
        match (&m.pin_path, path) {
            (Some(own), Some(p)) if own.as_bytes() != p.as_bytes() => {
                crate::pr_warn!("map '{name}' already has pin path '{}' different from '{p}'", own.to_string_lossy());
                return Err(Error::INVAL);
            }
            (Some(own), _) if m.pinned => {
                crate::pr_debug!("map '{name}' already pinned at '{}'; not re-pinning", own.to_string_lossy());
                return Ok(());
            }
            (Some(_), _) => {}
            (None, None) => {
                crate::pr_warn!("missing a path to pin map '{name}' at");
                return Err(Error::INVAL);
            }
            (None, Some(_)) if m.pinned => {
                crate::pr_warn!("map '{name}' already pinned");
                return Err(Error::EXIST);
            }
            (None, Some(p)) => m.pin_path = Some(CString::new(p).map_err(|_| Error::INVAL)?),
        }
        let pin_path = m.pin_path.as_ref().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
        make_parent_dir(&pin_path)?;
        check_path(&pin_path)?;
        let cpath = m.pin_path.clone().unwrap_or_default();
        if let Err(e) = kcall::pin(fd, &cpath) {
            crate::pr_warn!("failed to pin map: {e}");
            return Err(e);
        }
        m.pinned = true;
        crate::pr_debug!("pinned map '{pin_path}'");
        Ok(())
    }

    /// `bpf_map__unpin()`: unpins from `path` or the map's pin path.
    pub fn unpin_map(&mut self, idx: usize, path: Option<&str>) -> Result<()> {
        let m = &mut self.maps[idx];
        let name = m.user_name().to_string_lossy().into_owned();
        let path = match (&m.pin_path, path) {
            (Some(own), Some(p)) if own.as_bytes() != p.as_bytes() => {
                crate::pr_warn!("map '{name}' already has pin path '{}' different from '{p}'", own.to_string_lossy());
                return Err(Error::INVAL);
            }
            (Some(own), _) => own.to_string_lossy().into_owned(),
            (None, Some(p)) => p.to_string(),
            (None, None) => {
                crate::pr_warn!("no path to unpin map '{name}' from");
                return Err(Error::INVAL);
            }
        };
        check_path(&path)?;
        unlink(&path)?;
        m.pinned = false;
        crate::pr_debug!("unpinned map '{name}' from '{path}'");
        Ok(())
    }

    /// `bpf_object__pin_maps()`: each created map at `<path>/<name>` (dots
    /// turned into underscores), or at its own pin path when `path` is None.
    /// On failure the maps pinned so far are unpinned.
    pub fn pin_maps(&mut self, path: Option<&str>) -> Result<()> {
        if self.state < State::Prepared {
            crate::pr_warn!("object not yet loaded; load it first");
            return Err(Error::NOENT);
        }
        for i in 0..self.maps.len() {
            if !self.maps[i].autocreate {
                continue;
            }
            let target = match path {
                Some(dir) => match join(dir, &self.maps[i].user_name().to_string_lossy()) {
                    Ok(p) => Some(p.replace('.', "_")),
                    Err(e) => return self.unpin_maps_before(i, e),
                },
                None if self.maps[i].pin_path.is_none() => continue,
                None => None,
            };
            if let Err(e) = self.pin_map(i, target.as_deref()) {
                return self.unpin_maps_before(i, e);
            }
        }
        Ok(())
    }

    fn unpin_maps_before(&mut self, end: usize, err: Error) -> Result<()> {
        for j in (0..end).rev() {
            if self.maps[j].pin_path.is_some() {
                let _ = self.unpin_map(j, None);
            }
        }
        Err(err)
    }

    /// `bpf_object__unpin_maps()`.
    pub fn unpin_maps(&mut self, path: Option<&str>) -> Result<()> {
        for i in 0..self.maps.len() {
            let target = match path {
                Some(dir) => Some(join(dir, &self.maps[i].user_name().to_string_lossy())?.replace('.', "_")),
                None if self.maps[i].pin_path.is_none() => continue,
                None => None,
            };
            self.unpin_map(i, target.as_deref())?;
        }
        Ok(())
    }

    /// `bpf_object__pin_programs()`: every program at `<path>/<name>`; on
    /// failure the programs pinned so far are unpinned.
    pub fn pin_programs(&mut self, path: &str) -> Result<()> {
        if self.state < State::Loaded {
            crate::pr_warn!("object not yet loaded; load it first");
            return Err(Error::NOENT);
        }
        let progs: Vec<usize> = (0..self.programs.len()).filter(|&i| !self.is_subprog(i)).collect();
        for (n, &i) in progs.iter().enumerate() {
            let res = join(path, &self.programs[i].name_str()).and_then(|p| self.pin_program(i, &p));
            if let Err(e) = res {
                for &j in progs[..n].iter().rev() {
                    if let Ok(p) = join(path, &self.programs[j].name_str()) {
                        let _ = self.unpin_program(j, &p);
                    }
                }
                return Err(e);
            }
        }
        Ok(())
    }

    /// `bpf_object__unpin_programs()`.
    pub fn unpin_programs(&mut self, path: &str) -> Result<()> {
        for i in 0..self.programs.len() {
            if self.is_subprog(i) {
                continue;
            }
            let p = join(path, &self.programs[i].name_str())?;
            self.unpin_program(i, &p)?;
        }
        Ok(())
    }

    /// `bpf_object__pin()`: maps, then programs (maps unpinned again if the
    /// programs fail).
    pub fn pin(&mut self, path: &str) -> Result<()> {
        self.pin_maps(Some(path))?;
        if let Err(e) = self.pin_programs(path) {
            let _ = self.unpin_maps(Some(path));
            return Err(e);
        }
        Ok(())
    }

    /// `bpf_object__unpin()`: programs, then maps.
    pub fn unpin(&mut self, path: &str) -> Result<()> {
        self.unpin_programs(path)?;
        self.unpin_maps(Some(path))
    }

    /// Unpins the maps this object pinned itself while loading (not those
    /// it found pinned), after a failed load.
    pub fn unpin_auto_pinned(&mut self) {
        for i in 0..self.maps.len() {
            if self.maps[i].pinned && !self.maps[i].reused {
                let _ = self.unpin_map(i, None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dirnames() {
        assert_eq!(dirname("/sys/fs/bpf/x"), "/sys/fs/bpf");
        assert_eq!(dirname("/sys/fs/bpf/x/"), "/sys/fs/bpf");
        assert_eq!(dirname("x"), ".");
        assert_eq!(dirname("/x"), "/");
        assert_eq!(dirname("/"), "/");
        assert_eq!(dirname("a//b"), "a");
    }
}
