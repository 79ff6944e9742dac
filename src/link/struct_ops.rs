//! struct_ops maps (`bpf_map__attach_struct_ops()`,
//! `bpf_link__update_map()`): the map's value (the kernel-side image of
//! the struct, built at load) is written to register the implementation;
//! maps created with `BPF_F_LINK` are then attached through a BPF link,
//! others are registered by the value alone (and unregistered by deleting
//! it).
//!
//! The object loader does not build struct_ops maps yet (objects with
//! them are refused at open), so no map has a kernel image: past the
//! argument checks, attaching fails with `EOPNOTSUPP`.

use std::os::fd::RawFd;

use crate::bpf_api::link::{create_link, LinkRequest};
use crate::error::{Error, Result};
use crate::uapi::bpf_enums::{attach, map_flags};

use super::Link;

/// What attaching needs to know about a map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapRef {
    pub name: String,
    pub fd: Option<RawFd>,
    pub is_struct_ops: bool,
    pub map_flags: u32,
}

impl MapRef {
    /// The snapshot of a map of an object, with its fd once created.
    pub fn of(m: &crate::object::Map, fd: Option<RawFd>) -> MapRef {
        MapRef {
            name: m.name_str().into_owned(),
            fd,
            is_struct_ops: m.is_struct_ops(),
            map_flags: m.def.map_flags,
        }
    }
}

/// Writes the kernel image `vdata` as the map's value (`EBUSY`, a value
/// already set by an earlier link, is fine for `BPF_F_LINK` maps).
fn register(map: &MapRef, fd: RawFd, vdata: Option<&[u8]>) -> Result<()> {
    let Some(vdata) = vdata else {
        crate::pr_warn!("map '{}': struct_ops maps are not supported yet", map.name);
        return Err(Error::NOT_SUPPORTED);
    };
    match crate::bpf_api::object::map_update(fd, &0u32.to_ne_bytes(), vdata, 0) {
        Err(e) if !(map.map_flags & map_flags::LINK != 0 && e == Error::BUSY) => Err(e),
        _ => Ok(()),
    }
}

/// Registers struct_ops map `map` with kernel image `vdata`. `EINVAL` for
/// other maps and maps not created; `EOPNOTSUPP` without image; else the
/// kernel's answer.
pub fn attach(map: &MapRef, vdata: Option<&[u8]>) -> Result<Link> {
    if !map.is_struct_ops {
        crate::pr_warn!("map '{}': can't attach non-struct_ops map", map.name);
        return Err(Error::INVAL);
    }
    let Some(fd) = map.fd else {
        crate::pr_warn!(
            "map '{}': can't attach BPF map without FD (was it created?)",
            map.name
        );
        return Err(Error::INVAL);
    };
    register(map, fd, vdata)?;
    if map.map_flags & map_flags::LINK == 0 {
        return Ok(Link::struct_ops(fd, None));
    }
    Ok(Link::struct_ops(fd, Some(create_link(&request(fd))?)))
}

/// The `BPF_LINK_CREATE` of a `BPF_F_LINK` struct_ops map: the map's fd
/// where the program's goes.
pub fn request(map_fd: RawFd) -> LinkRequest<'static> {
    LinkRequest {
        prog_fd: map_fd,
        target_fd: 0,
        attach_type: attach::STRUCT_OPS,
        ..Default::default()
    }
}

/// One map of `bpf_object__attach_skeleton()`: whether it is attached
/// (a created, auto-attached struct_ops map, in a skeleton new enough to
/// have a link slot, which is set: else a warning and a skip).
pub fn skeleton_wants(
    map: &MapRef,
    autocreate: bool,
    autoattach: bool,
    has_link_field: bool,
    slot_given: bool,
) -> bool {
    if !autocreate || !autoattach || !map.is_struct_ops {
        return false;
    }
    if !has_link_field {
        crate::pr_warn!(
            "map '{}': BPF skeleton version is old, skipping map auto-attachment...",
            map.name
        );
        return false;
    }
    if !slot_given {
        crate::pr_warn!("map '{}': BPF map skeleton link is uninitialized", map.name);
        return false;
    }
    true
}

/// [`attach`] for a skeleton, with libbpf's warning on failure.
pub fn skeleton_attach(map: &MapRef, vdata: Option<&[u8]>) -> Result<Link> {
    attach(map, vdata)
        .inspect_err(|e| crate::pr_warn!("map '{}': failed to auto-attach: {e}", map.name))
}

/// Switches struct_ops link `link` to map `map`. `EINVAL` for other maps,
/// maps not created and links that are no struct_ops BPF link;
/// `EOPNOTSUPP` without image; else the kernel's answer.
pub fn update_map(link: &mut Link, map: &MapRef, vdata: Option<&[u8]>) -> Result<()> {
    if !map.is_struct_ops {
        return Err(Error::INVAL);
    }
    let Some(fd) = map.fd else {
        crate::pr_warn!(
            "map '{}': can't use BPF map without FD (was it created?)",
            map.name
        );
        return Err(Error::INVAL);
    };
    let link_fd = link.fd();
    let Some(slot) = link.struct_ops_map() else {
        return Err(Error::INVAL);
    };
    register(map, fd, vdata)?;
    crate::sys::link::update(&crate::sys::link::LinkUpdateAttr {
        link_fd: link_fd as u32,
        new_prog_fd: fd as u32,
        ..Default::default()
    })?;
    *slot = fd;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_create_attr() {
        let a = request(12).attr();
        assert_eq!(
            (a.prog_fd, a.target_fd, a.attach_type, a.flags),
            (12, 0, attach::STRUCT_OPS, 0)
        );
        assert_eq!(a.target.words(), [0; 6]);
    }

    #[test]
    fn checks_before_the_kernel() {
        let m = MapRef {
            name: "m".into(),
            fd: Some(1000),
            ..Default::default()
        };
        assert_eq!(attach(&m, None).unwrap_err(), Error::INVAL);
        let so = MapRef {
            name: "s".into(),
            is_struct_ops: true,
            ..Default::default()
        };
        assert_eq!(attach(&so, None).unwrap_err(), Error::INVAL);
        let so = MapRef {
            fd: Some(1000),
            ..so
        };
        assert_eq!(attach(&so, None).unwrap_err(), Error::NOT_SUPPORTED);
        let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
        let mut l = Link::from_fd(a.into());
        assert_eq!(update_map(&mut l, &m, None).unwrap_err(), Error::INVAL);
        assert_eq!(update_map(&mut l, &so, None).unwrap_err(), Error::INVAL);
    }
}
