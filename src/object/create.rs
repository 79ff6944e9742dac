//! Creating an object's maps in the kernel: pinned maps reused when
//! compatible, inner-map templates, BTF key/value types (dropped if the
//! kernel refuses them), global data images copied in and remapped,
//! `.rodata` frozen, `values` of maps of maps filled; prog arrays are
//! filled once the programs are loaded.

use std::ffi::CString;
use std::os::fd::AsRawFd;

use crate::bpf_api::object::{self as kcall, MapCreate};
use crate::error::{Error, Result};
use crate::uapi::bpf_enums::{map as mt, map_flags};

use super::features::Feature;
use super::load::{compute_hash, perm_msg};
use super::map_def::{Map, Slot};
use super::reloc::DataKind;
use super::Object;

/// Maps whose type takes no BTF key/value types.
pub(crate) fn takes_no_btf(map_type: u32) -> bool {
    matches!(
        map_type,
        mt::PERF_EVENT_ARRAY
            | mt::CGROUP_ARRAY
            | mt::STACK_TRACE
            | mt::ARRAY_OF_MAPS
            | mt::HASH_OF_MAPS
            | mt::DEVMAP
            | mt::DEVMAP_HASH
            | mt::CPUMAP
            | mt::XSKMAP
            | mt::SOCKMAP
            | mt::SOCKHASH
            | mt::QUEUE
            | mt::STACK
            | mt::ARENA
    )
}

/// A perf event array without size gets one slot per possible CPU.
pub(crate) fn set_def_max_entries(m: &mut Map) -> Result<()> {
    if m.def.map_type == mt::PERF_EVENT_ARRAY && m.def.max_entries == 0 {
        let n = crate::cpus::num_possible().map_err(|e| {
            crate::pr_warn!("map '{}': failed to determine number of system CPUs: {}", m.name_str(), e.neg());
            e
        })?;
        crate::pr_debug!("map '{}': setting size to {n}", m.name_str());
        m.def.max_entries = n as u32;
    }
    Ok(())
}

/// Creates one map (and its inner template first); the fd goes into `m.fd`.
fn create_one(o: &Object, m: &mut Map, excl_hash: Option<&[u8; 32]>) -> Result<()> {
    let token = o.token_raw_fd().unwrap_or(0);
    let mut inner_fd = None;
    if m.is_map_in_map() {
        if let Some(mut inner) = m.inner.take() {
            set_def_max_entries(&mut inner)?;
            if let Err(e) = create_one(o, &mut inner, None) {
                crate::pr_warn!("map '{}': failed to create inner map: {e}", m.name_str());
                return Err(e);
            }
            inner_fd = inner.fd.take();
        }
    }
    let mut req = MapCreate {
        map_type: m.def.map_type,
        name: Some(m.name.as_bytes()),
        key_size: m.def.key_size,
        value_size: m.def.value_size,
        max_entries: m.def.max_entries,
        map_flags: m.def.map_flags | if token != 0 { map_flags::TOKEN_FD } else { 0 },
        numa_node: m.numa_node,
        map_ifindex: m.ifindex,
        map_extra: m.map_extra,
        token_fd: token,
        excl_prog_hash: excl_hash,
        ..Default::default()
    };
    if m.is_struct_ops() {
        req.btf_vmlinux_value_type_id = m.btf_vmlinux_value_type_id;
    }
    if let Some(btf_fd) = o.btf_raw_fd() {
        req.btf_fd = btf_fd as u32;
        req.btf_key_type_id = m.btf_key_type_id;
        req.btf_value_type_id = m.btf_value_type_id;
    }
    if m.is_map_in_map() {
        if let Some(fd) = inner_fd.as_ref().map(|f| f.as_raw_fd()).or(m.inner_map_fd) {
            req.inner_map_fd = fd as u32;
        }
    }
    if takes_no_btf(m.def.map_type) {
        req.btf_fd = 0;
        req.btf_key_type_id = 0;
        req.btf_value_type_id = 0;
        m.btf_key_type_id = 0;
        m.btf_value_type_id = 0;
    } else if m.is_struct_ops() {
        req.btf_value_type_id = 0;
    }
    let mut res = kcall::create_map(&req);
    if let Err(e) = &res {
        if req.btf_key_type_id != 0 || req.btf_value_type_id != 0 {
            crate::pr_warn!("Error in bpf_create_map_xattr({}): {e}. Retrying without BTF.", m.name_str());
            req.btf_fd = 0;
            req.btf_key_type_id = 0;
            req.btf_value_type_id = 0;
            m.btf_key_type_id = 0;
            m.btf_value_type_id = 0;
            res = kcall::create_map(&req);
        }
    }
    drop(inner_fd);
    m.fd = Some(res?);
    Ok(())
}

/// Copies a global data map's image in, freezes `.rodata`/`.kconfig`, and
/// remaps the image onto the map's memory (or drops it if not mmap-able).
fn populate_internal(m: &mut Map) -> Result<()> {
    let fd = m.raw_fd().ok_or(Error::INVAL)?;
    let name = m.user_name().to_string_lossy().into_owned();
    let size = m.def.value_size as usize;
    let value = m.mmaped.as_ref().map(|img| img.as_slice()[..size.min(img.len())].to_vec()).unwrap_or_else(|| vec![0; size]);
    if let Err(e) = kcall::map_update(fd, &0u32.to_ne_bytes(), &value, 0) {
        crate::pr_warn!("map '{name}': failed to set initial contents: {e}");
        return Err(e);
    }
    if matches!(m.data, Some(DataKind::Rodata | DataKind::Kconfig)) {
        if let Err(e) = crate::sys::map::freeze(fd) {
            crate::pr_warn!("map '{name}': failed to freeze as read-only: {e}");
            return Err(e);
        }
    }
    if m.def.map_flags & map_flags::MMAPABLE != 0 {
        let writable = m.def.map_flags & map_flags::RDONLY_PROG == 0;
        if let Some(img) = m.mmaped.as_mut() {
            if let Err(e) = img.remap_fd(fd, writable) {
                crate::pr_warn!("map '{name}': failed to re-mmap() contents: {e}");
                return Err(e);
            }
        }
    } else {
        m.mmaped = None;
    }
    Ok(())
}

/// Whether the pinned map `fd` matches `m`'s definition.
fn reuse_compatible(m: &Map, fd: i32) -> bool {
    let info = match kcall::map_info(fd) {
        Ok(i) => i,
        Err(e) => {
            crate::pr_warn!("failed to get map info for map FD {fd}: {e}");
            return false;
        }
    };
    let mut flags = info.map_flags;
    if matches!(m.def.map_type, mt::DEVMAP | mt::DEVMAP_HASH) {
        flags &= !map_flags::RDONLY_PROG;
    }
    info.type_ == m.def.map_type
        && info.key_size == m.def.key_size
        && info.value_size == m.def.value_size
        && info.max_entries == m.def.max_entries
        && flags == m.def.map_flags
        && info.map_extra == m.map_extra
}

/// `bpf_map__reuse_fd()`: `m` becomes a handle of the existing map `fd`
/// (duplicated), taking its definition and, when the kernel truncated the
/// name, keeping ours.
pub fn reuse_fd(m: &mut Map, fd: i32) -> Result<()> {
    let info = kcall::map_info(fd)?;
    let kname_len = info.name.iter().position(|&b| b == 0).unwrap_or(info.name.len());
    let kname = &info.name[..kname_len];
    let keep_ours = kname_len == super::map_def::BPF_OBJ_NAME_LEN - 1 && m.name.as_bytes().starts_with(kname);
    let new_fd = crate::sys::fd::dup(fd)?;
    if !keep_ours {
        m.name = CString::new(kname).map_err(|_| Error::INVAL)?;
    }
    m.fd = Some(new_fd);
    m.def.map_type = info.type_;
    m.def.key_size = info.key_size;
    m.def.value_size = info.value_size;
    m.def.max_entries = info.max_entries;
    m.def.map_flags = info.map_flags;
    m.btf_key_type_id = info.btf_key_type_id;
    m.btf_value_type_id = info.btf_value_type_id;
    m.map_extra = info.map_extra;
    m.reused = true;
    Ok(())
}

/// Reuses the map pinned at `m`'s pin path, if there is one.
fn reuse_pinned(m: &mut Map) -> Result<()> {
    let Some(path) = m.pin_path.clone() else { return Ok(()) };
    let shown = path.to_string_lossy().into_owned();
    let pin_fd = match kcall::obj_get(&path) {
        Ok(fd) => fd,
        Err(e) if e.errno() == libc::ENOENT => {
            crate::pr_debug!("found no pinned map to reuse at '{shown}'");
            return Ok(());
        }
        Err(e) => {
            crate::pr_warn!("couldn't retrieve pinned map '{shown}': {e}");
            return Err(e);
        }
    };
    if !reuse_compatible(m, pin_fd.as_raw_fd()) {
        crate::pr_warn!("couldn't reuse pinned map at '{shown}': parameter mismatch");
        return Err(Error::INVAL);
    }
    reuse_fd(m, pin_fd.as_raw_fd())?;
    m.pinned = true;
    crate::pr_debug!("reused pinned map at '{shown}'");
    Ok(())
}

/// Fills `values` of a map of maps with its inner maps' fds.
fn init_map_slots(o: &Object, idx: usize) -> Result<()> {
    let m = &o.maps[idx];
    let fd = m.raw_fd().ok_or(Error::INVAL)?;
    for (i, slot) in m.init_slots.iter().enumerate() {
        let Some(Slot::Map(t)) = slot else { continue };
        let target = &o.maps[*t];
        let tfd = target.raw_fd().unwrap_or(-1);
        if let Err(e) = kcall::map_update(fd, &(i as u32).to_ne_bytes(), &tfd.to_ne_bytes(), 0) {
            crate::pr_warn!(
                "map '{}': failed to initialize slot [{i}] to map '{}' fd={tfd}: {e}",
                m.name_str(),
                target.name_str()
            );
            return Err(e);
        }
        crate::pr_debug!("map '{}': slot [{i}] set to map '{}' fd={tfd}", m.name_str(), target.name_str());
    }
    Ok(())
}

/// Step of prepare: every map with autocreate on, in object order.
pub fn create_maps(o: &mut Object) -> Result<()> {
    if o.generates_loader() {
        return super::gen_loader::steps::create_maps(o);
    }
    for i in 0..o.maps.len() {
        if let Err(e) = create_map_at(o, i) {
            crate::pr_warn!("map '{}': failed to create: {e}", o.maps[i].name_str());
            perm_msg(e);
            for m in &mut o.maps[..i] {
                m.fd = None;
            }
            return Err(e);
        }
    }
    Ok(())
}

fn create_map_at(o: &mut Object, i: usize) -> Result<()> {
    if o.maps[i].is_internal() && !o.supports(Feature::GlobalData) {
        o.maps[i].autocreate = false;
    }
    if !o.maps[i].autocreate {
        crate::pr_debug!("map '{}': skipped auto-creating...", o.maps[i].name_str());
        return Ok(());
    }
    set_def_max_entries(&mut o.maps[i])?;
    let mut retried = false;
    loop {
        if o.maps[i].pin_path.is_some() {
            if let Err(e) = reuse_pinned(&mut o.maps[i]) {
                crate::pr_warn!("map '{}': error reusing pinned map", o.maps[i].name_str());
                return Err(e);
            }
            if retried && o.maps[i].fd.is_none() {
                crate::pr_warn!("map '{}': cannot find pinned map", o.maps[i].name_str());
                return Err(Error::NOENT);
            }
        }
        if o.maps[i].reused {
            crate::pr_debug!("map '{}': skipping creation (preset fd={})", o.maps[i].name_str(), o.maps[i].raw_fd().unwrap_or(-1));
        } else {
            let hash = match o.maps[i].excl_prog {
                Some(p) => Some(compute_hash(&o.programs[p].insns)?),
                None => None,
            };
            let mut m = std::mem::replace(&mut o.maps[i], Map::new(CString::default()));
            let res = create_one(o, &mut m, hash.as_ref());
            o.maps[i] = m;
            res?;
            crate::pr_debug!("map '{}': created successfully, fd={}", o.maps[i].name_str(), o.maps[i].raw_fd().unwrap_or(-1));
            if o.maps[i].is_internal() {
                populate_internal(&mut o.maps[i])?;
            } else if o.maps[i].def.map_type == mt::ARENA {
                crate::pr_warn!("map '{}': arena maps are not supported yet", o.maps[i].name_str());
                return Err(Error::NOT_SUPPORTED);
            }
            if !o.maps[i].init_slots.is_empty() && o.maps[i].def.map_type != mt::PROG_ARRAY {
                init_map_slots(o, i)?;
                o.maps[i].init_slots.clear();
            }
        }
        if o.maps[i].pin_path.is_some() && !o.maps[i].pinned {
            if let Err(e) = o.pin_map(i, None) {
                if !retried && e.errno() == libc::EEXIST {
                    retried = true;
                    o.maps[i].fd = None;
                    continue;
                }
                let path = o.maps[i].pin_path.as_ref().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
                crate::pr_warn!("map '{}': failed to auto-pin at '{path}': {e}", o.maps[i].name_str());
                return Err(e);
            }
        }
        return Ok(());
    }
}

/// Step of load: prog arrays' `values` get their programs' fds.
pub fn init_prog_arrays(o: &mut Object) -> Result<()> {
    for idx in 0..o.maps.len() {
        let m = &o.maps[idx];
        if m.init_slots.is_empty() || m.def.map_type != mt::PROG_ARRAY {
            continue;
        }
        let fd = m.raw_fd().ok_or(Error::INVAL)?;
        for (i, slot) in m.init_slots.iter().enumerate() {
            let Some(Slot::Prog(t)) = slot else { continue };
            let p = &o.programs[*t];
            let pfd = p.raw_fd().unwrap_or(-libc::ENOENT);
            if let Err(e) = kcall::map_update(fd, &(i as u32).to_ne_bytes(), &pfd.to_ne_bytes(), 0) {
                crate::pr_warn!("map '{}': failed to initialize slot [{i}] to prog '{}' fd={pfd}: {e}", m.name_str(), p.name_str());
                return Err(e);
            }
            crate::pr_debug!("map '{}': slot [{i}] set to prog '{}' fd={pfd}", m.name_str(), p.name_str());
        }
        o.maps[idx].init_slots.clear();
    }
    Ok(())
}
