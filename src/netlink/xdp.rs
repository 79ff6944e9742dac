//! XDP through rtnetlink: attaching a program to a device (`RTM_SETLINK`
//! with a nested `IFLA_XDP`), querying what is attached (a link dump), and
//! the device's XDP features (the `netdev` generic netlink family).

use crate::error::{Error, Result};
use crate::netlink::message::{attrs_after, genlmsghdr, ifinfo_index, ifinfomsg, Message, Request};
use crate::netlink::{converse, open, Step, Transport};
use crate::uapi::netlink::*;

/// What a device has attached (`IFLA_XDP_*` of a link dump).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct XdpInfo {
    pub prog_id: u32,
    pub drv_prog_id: u32,
    pub hw_prog_id: u32,
    pub skb_prog_id: u32,
    /// `XDP_ATTACHED_*`.
    pub attach_mode: u8,
}

/// XDP features of a device (`netdev` family).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct XdpFeatures {
    /// `NETDEV_XDP_ACT_*` bits.
    pub flags: u64,
    /// Zero-copy maximum segments (0 when the kernel does not say).
    pub zc_max_segs: u32,
}

/// The `RTM_SETLINK` request attaching `prog_fd` (-1: detach) to `ifindex`.
/// `flags` are sent when non-zero; with `XDP_FLAGS_REPLACE`, the program
/// expected to be attached now (`old_prog_fd`) goes too.
pub fn attach_request(ifindex: i32, prog_fd: i32, old_prog_fd: i32, flags: u32) -> Result<Request> {
    let mut req = Request::new(RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK, &ifinfomsg(AF_UNSPEC, ifindex));
    let nest = req.begin_nested(IFLA_XDP)?;
    req.add(IFLA_XDP_FD, &prog_fd.to_ne_bytes())?;
    if flags != 0 {
        req.add_u32(IFLA_XDP_FLAGS, flags)?;
    }
    if flags & XDP_FLAGS_REPLACE != 0 {
        req.add(IFLA_XDP_EXPECTED_FD, &old_prog_fd.to_ne_bytes())?;
    }
    req.end_nested(nest);
    Ok(req)
}

/// Attaches (or with `prog_fd` -1 detaches) an XDP program, as
/// `bpf_xdp_attach()`: a non-zero `old_prog_fd` adds `XDP_FLAGS_REPLACE`
/// (the kernel then fails with `EEXIST` unless that program is the one
/// attached); without it the expected fd sent is -1. Flags are checked by
/// the kernel.
pub fn attach_with<T: Transport>(t: &mut T, ifindex: i32, prog_fd: i32, mut flags: u32, old_prog_fd: i32) -> Result<()> {
    let old = if old_prog_fd != 0 {
        flags |= XDP_FLAGS_REPLACE;
        old_prog_fd
    } else {
        -1
    };
    let mut req = attach_request(ifindex, prog_fd, old, flags)?;
    converse(t, &mut req, |_| Ok(Step::Continue))
}

/// [`attach_with`] over a new rtnetlink socket.
pub fn attach(ifindex: i32, prog_fd: i32, flags: u32, old_prog_fd: i32) -> Result<()> {
    let mut sock = open(NETLINK_ROUTE)?;
    attach_with(&mut sock, ifindex, prog_fd, flags, old_prog_fd)
}

/// Checks `bpf_xdp_query()`'s flags: only `XDP_FLAGS_*` bits, and at most
/// one of the SKB/DRV/HW modes; else `EINVAL`.
pub fn check_query_flags(flags: i32) -> Result<()> {
    let flags = flags as u32;
    if flags & !XDP_FLAGS_MASK != 0 {
        return Err(Error::INVAL);
    }
    let modes = flags & XDP_FLAGS_MODES;
    if modes & modes.wrapping_sub(1) != 0 {
        return Err(Error::INVAL);
    }
    Ok(())
}

/// Reads one `RTM_NEWLINK` message of the dump into `info` when it is the
/// device asked for (`ifindex` 0: any) and has XDP attached.
fn read_link(msg: &Message<'_>, ifindex: i32, info: &mut XdpInfo) -> Result<()> {
    let index = ifinfo_index(msg.payload)?;
    if ifindex != 0 && index != ifindex {
        return Ok(());
    }
    let attrs = attrs_after(msg.payload, IFINFOMSG_LEN, IFLA_XDP)?;
    let Some(xdp) = attrs.nested(IFLA_XDP, IFLA_XDP_EXPECTED_FD) else { return Ok(()) };
    let Some(mode) = xdp.u8(IFLA_XDP_ATTACHED)? else { return Ok(()) };
    info.attach_mode = mode;
    if mode == XDP_ATTACHED_NONE {
        return Ok(());
    }
    let ids = [
        (IFLA_XDP_PROG_ID, &mut info.prog_id),
        (IFLA_XDP_SKB_PROG_ID, &mut info.skb_prog_id),
        (IFLA_XDP_DRV_PROG_ID, &mut info.drv_prog_id),
        (IFLA_XDP_HW_PROG_ID, &mut info.hw_prog_id),
    ];
    for (ty, slot) in ids {
        if let Some(id) = xdp.u32(ty)? {
            *slot = id;
        }
    }
    Ok(())
}

/// Dumps every link (`RTM_GETLINK`, `AF_PACKET`) and collects the XDP state
/// of `ifindex`. A device that does not exist reads as nothing attached.
pub fn query_with<T: Transport>(t: &mut T, ifindex: i32) -> Result<XdpInfo> {
    let mut req = Request::new(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, &ifinfomsg(AF_PACKET, 0));
    let mut info = XdpInfo::default();
    converse(t, &mut req, |msg| {
        read_link(msg, ifindex, &mut info)?;
        Ok(Step::Continue)
    })?;
    Ok(info)
}

/// [`check_query_flags`], then [`query_with`] over a new rtnetlink socket.
pub fn query(ifindex: i32, flags: i32) -> Result<XdpInfo> {
    check_query_flags(flags)?;
    query_with(&mut open(NETLINK_ROUTE)?, ifindex)
}

/// The id of the generic netlink family `name` (`CTRL_CMD_GETFAMILY`);
/// `ENOENT` when the kernel has no such family.
pub fn genl_family_id<T: Transport>(t: &mut T, name: &[u8]) -> Result<u16> {
    let mut req = Request::new(GENL_ID_CTRL, NLM_F_REQUEST, &genlmsghdr(CTRL_CMD_GETFAMILY, 2));
    req.add_str(CTRL_ATTR_FAMILY_NAME, name)?;
    let mut id = None;
    converse(t, &mut req, |msg| {
        let attrs = attrs_after(msg.payload, GENL_HDRLEN, CTRL_ATTR_FAMILY_ID)?;
        match attrs.u16(CTRL_ATTR_FAMILY_ID)? {
            None => Ok(Step::Continue),
            Some(v) => {
                id = Some(v);
                Ok(Step::Done)
            }
        }
    })?;
    // A reply without the id: libbpf leaves its variable unset; we say
    // the family is missing.
    id.ok_or(Error::NOENT)
}

/// Asks the `netdev` family (id `family`) for the XDP features of `ifindex`.
pub fn features_with<T: Transport>(t: &mut T, family: u16, ifindex: i32) -> Result<XdpFeatures> {
    let mut req = Request::new(family, NLM_F_REQUEST, &genlmsghdr(NETDEV_CMD_DEV_GET, 2));
    req.add(NETDEV_A_DEV_IFINDEX, &ifindex.to_ne_bytes())?;
    let mut out = XdpFeatures::default();
    converse(t, &mut req, |msg| {
        let attrs = attrs_after(msg.payload, GENL_HDRLEN, NETDEV_A_DEV_XDP_ZC_MAX_SEGS)?;
        match attrs.u32(NETDEV_A_DEV_IFINDEX)? {
            Some(index) if index == ifindex as u32 => {}
            _ => return Ok(Step::Continue),
        }
        out.flags = attrs.u64(NETDEV_A_DEV_XDP_FEATURES)?.unwrap_or(0);
        if let Some(segs) = attrs.u32(NETDEV_A_DEV_XDP_ZC_MAX_SEGS)? {
            out.zc_max_segs = segs;
        }
        Ok(Step::Done)
    })?;
    Ok(out)
}

/// The XDP features of `ifindex`; `None` when the kernel has no `netdev`
/// family (older than 6.3), other errors as the kernel gives them (a
/// missing device is `ENODEV`).
pub fn features(ifindex: i32) -> Result<Option<XdpFeatures>> {
    let family = match genl_family_id(&mut open(NETLINK_GENERIC)?, b"netdev") {
        Ok(id) => id,
        Err(e) if e == Error::NOENT => return Ok(None),
        Err(e) => return Err(e),
    };
    features_with(&mut open(NETLINK_GENERIC)?, family, ifindex).map(Some)
}

/// `bpf_xdp_query_id()`: [`query`], then (as libbpf asks for every field)
/// [`features`], whose errors count; then [`prog_id_for`].
pub fn query_id(ifindex: i32, flags: i32) -> Result<u32> {
    let info = query(ifindex, flags)?;
    features(ifindex)?;
    Ok(prog_id_for(&info, flags))
}

/// The program id `bpf_xdp_query_id()` reports for `flags`: the only
/// program when one mode is attached and no mode is asked for, else the
/// program of the mode asked for (DRV, then HW, then SKB), else 0.
pub fn prog_id_for(info: &XdpInfo, flags: i32) -> u32 {
    let flags = flags as u32 & XDP_FLAGS_MODES;
    if info.attach_mode != XDP_ATTACHED_MULTI && flags == 0 {
        info.prog_id
    } else if flags & XDP_FLAGS_DRV_MODE != 0 {
        info.drv_prog_id
    } else if flags & XDP_FLAGS_HW_MODE != 0 {
        info.hw_prog_id
    } else if flags & XDP_FLAGS_SKB_MODE != 0 {
        info.skb_prog_id
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::fake::*;
    use crate::netlink::message::{messages, parse_attrs, test_msg as msg};

    fn attr(ty: u16, data: &[u8]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&((NLA_HDRLEN + data.len()) as u16).to_ne_bytes());
        b.extend_from_slice(&ty.to_ne_bytes());
        b.extend_from_slice(data);
        b.resize(align4(b.len()), 0);
        b
    }

    fn link(ifindex: i32, xdp: &[u8]) -> Vec<u8> {
        let mut p = ifinfomsg(AF_UNSPEC, ifindex).to_vec();
        p.extend(attr(3, b"eth0\0")); // IFLA_IFNAME
        if !xdp.is_empty() {
            p.extend(attr(IFLA_XDP | NLA_F_NESTED, xdp));
        }
        p
    }

    fn ack(seq: u32, pid: u32) -> Vec<u8> {
        msg(NLMSG_ERROR, 0, seq, pid, &[0u8; 20])
    }

    #[test]
    fn attach_request_layout() {
        let req = attach_request(4, 9, 11, XDP_FLAGS_SKB_MODE | XDP_FLAGS_REPLACE).unwrap();
        let m = messages(req.bytes()).next().unwrap();
        assert_eq!((m.msg_type, m.flags), (RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK));
        assert_eq!(ifinfo_index(m.payload), Ok(4));
        let xdp = parse_attrs(&m.payload[16..], IFLA_XDP).nested(IFLA_XDP, IFLA_XDP_EXPECTED_FD).unwrap();
        assert_eq!(xdp.u32(IFLA_XDP_FD), Ok(Some(9)));
        assert_eq!(xdp.u32(IFLA_XDP_FLAGS), Ok(Some(XDP_FLAGS_SKB_MODE | XDP_FLAGS_REPLACE)));
        assert_eq!(xdp.u32(IFLA_XDP_EXPECTED_FD), Ok(Some(11)));
        // No flags: neither flags nor an expected fd.
        let req = attach_request(4, -1, -1, 0).unwrap();
        let xdp = parse_attrs(&req.bytes()[32..], IFLA_XDP).nested(IFLA_XDP, IFLA_XDP_EXPECTED_FD).unwrap();
        assert_eq!(xdp.u32(IFLA_XDP_FD), Ok(Some(u32::MAX)));
        assert_eq!((xdp.get(IFLA_XDP_FLAGS), xdp.get(IFLA_XDP_EXPECTED_FD)), (None, None));
    }

    #[test]
    fn replace_flag_comes_with_old_fd() {
        let mut t = Fake::new(5, |r| vec![ack(seq_of(r), 5)]);
        attach_with(&mut t, 2, 7, XDP_FLAGS_DRV_MODE, 6).unwrap();
        let xdp = parse_attrs(&t.sent[0][32..], IFLA_XDP).nested(IFLA_XDP, IFLA_XDP_EXPECTED_FD).unwrap();
        assert_eq!(xdp.u32(IFLA_XDP_FLAGS), Ok(Some(XDP_FLAGS_DRV_MODE | XDP_FLAGS_REPLACE)));
        assert_eq!(xdp.u32(IFLA_XDP_EXPECTED_FD), Ok(Some(6)));
        // REPLACE given by hand without an old fd: the kernel gets -1.
        let mut t = Fake::new(5, |r| vec![ack(seq_of(r), 5)]);
        attach_with(&mut t, 2, 7, XDP_FLAGS_REPLACE, 0).unwrap();
        let xdp = parse_attrs(&t.sent[0][32..], IFLA_XDP).nested(IFLA_XDP, IFLA_XDP_EXPECTED_FD).unwrap();
        assert_eq!(xdp.u32(IFLA_XDP_EXPECTED_FD), Ok(Some(u32::MAX)));
    }

    #[test]
    fn query_picks_the_device() {
        let mut xdp2 = attr(IFLA_XDP_ATTACHED, &[XDP_ATTACHED_MULTI]);
        xdp2.extend(attr(IFLA_XDP_SKB_PROG_ID, &7u32.to_ne_bytes()));
        xdp2.extend(attr(IFLA_XDP_DRV_PROG_ID, &8u32.to_ne_bytes()));
        let none = attr(IFLA_XDP_ATTACHED, &[XDP_ATTACHED_NONE]);
        let script = move |r: &[u8]| {
            let s = seq_of(r);
            let mut d = msg(RTM_NEWLINK, NLM_F_MULTI, s, 1, &link(1, &none));
            d.extend(msg(RTM_NEWLINK, NLM_F_MULTI, s, 1, &link(2, &xdp2)));
            vec![d, msg(RTM_NEWLINK, NLM_F_MULTI, s, 1, &link(3, &[])), msg(NLMSG_DONE, NLM_F_MULTI, s, 1, &[0; 4])]
        };
        let info = query_with(&mut Fake::new(1, script.clone()), 2).unwrap();
        assert_eq!(info, XdpInfo { attach_mode: XDP_ATTACHED_MULTI, skb_prog_id: 7, drv_prog_id: 8, ..Default::default() });
        assert_eq!(prog_id_for(&info, 0), 0);
        assert_eq!(prog_id_for(&info, XDP_FLAGS_SKB_MODE as i32), 7);
        assert_eq!(prog_id_for(&info, (XDP_FLAGS_DRV_MODE | XDP_FLAGS_SKB_MODE) as i32), 8);
        assert_eq!(query_with(&mut Fake::new(1, script.clone()), 1).unwrap(), XdpInfo::default());
        assert_eq!(query_with(&mut Fake::new(1, script.clone()), 99).unwrap(), XdpInfo::default());
        // ifindex 0: every device, the last with XDP wins.
        assert_eq!(query_with(&mut Fake::new(1, script), 0).unwrap().skb_prog_id, 7);
    }

    #[test]
    fn query_rejects_short_attributes() {
        let xdp = attr(IFLA_XDP_ATTACHED, &[]);
        let mut t = Fake::new(1, move |r| vec![msg(RTM_NEWLINK, 0, seq_of(r), 1, &link(2, &xdp))]);
        assert_eq!(query_with(&mut t, 2), Err(crate::netlink::message::PARSE_ERROR));
        let mut t = Fake::new(1, |r| vec![msg(RTM_NEWLINK, 0, seq_of(r), 1, &[0; 6])]);
        assert_eq!(query_with(&mut t, 2), Err(crate::netlink::message::PARSE_ERROR));
    }

    #[test]
    fn query_flags() {
        assert_eq!(check_query_flags(0), Ok(()));
        assert_eq!(check_query_flags((XDP_FLAGS_SKB_MODE | XDP_FLAGS_REPLACE) as i32), Ok(()));
        assert_eq!(check_query_flags((XDP_FLAGS_SKB_MODE | XDP_FLAGS_DRV_MODE) as i32), Err(Error::INVAL));
        assert_eq!(check_query_flags(1 << 5), Err(Error::INVAL));
        assert_eq!(check_query_flags(-1), Err(Error::INVAL));
    }

    #[test]
    fn features_from_netdev() {
        let mut t = Fake::new(4, |r| {
            let mut p = genlmsghdr(0x12, 2).to_vec();
            p.extend(attr(CTRL_ATTR_FAMILY_NAME, b"netdev\0"));
            p.extend(attr(CTRL_ATTR_FAMILY_ID, &0x1bu16.to_ne_bytes()));
            vec![msg(GENL_ID_CTRL, 0, seq_of(r), 4, &p)]
        });
        assert_eq!(genl_family_id(&mut t, b"netdev"), Ok(0x1b));
        let sent = messages(&t.sent[0]).next().unwrap();
        let name = attrs_after(sent.payload, GENL_HDRLEN, CTRL_ATTR_FAMILY_NAME).unwrap();
        assert_eq!(name.get(CTRL_ATTR_FAMILY_NAME), Some(&b"netdev\0"[..]));

        let mut t = Fake::new(4, |r| {
            let mut p = (-libc::ENOENT).to_ne_bytes().to_vec();
            p.extend_from_slice(&[0; 16]);
            vec![msg(NLMSG_ERROR, 0, seq_of(r), 4, &p)]
        });
        assert_eq!(genl_family_id(&mut t, b"netdev"), Err(Error::NOENT));

        let mut t = Fake::new(4, |r| {
            let mut p = genlmsghdr(NETDEV_CMD_DEV_GET, 2).to_vec();
            p.extend(attr(NETDEV_A_DEV_IFINDEX, &6u32.to_ne_bytes()));
            p.extend(attr(NETDEV_A_DEV_XDP_FEATURES, &0x5u64.to_ne_bytes()));
            p.extend(attr(NETDEV_A_DEV_XDP_ZC_MAX_SEGS, &1u32.to_ne_bytes()));
            vec![msg(0x1b, 0, seq_of(r), 4, &p)]
        });
        assert_eq!(features_with(&mut t, 0x1b, 6), Ok(XdpFeatures { flags: 5, zc_max_segs: 1 }));
        let sent = messages(&t.sent[0]).next().unwrap();
        assert_eq!(sent.msg_type, 0x1b);
        // Another device's answer is ignored.
        let mut t = Fake::new(4, |r| {
            let mut p = genlmsghdr(NETDEV_CMD_DEV_GET, 2).to_vec();
            p.extend(attr(NETDEV_A_DEV_IFINDEX, &7u32.to_ne_bytes()));
            p.extend(attr(NETDEV_A_DEV_XDP_FEATURES, &0x5u64.to_ne_bytes()));
            vec![msg(0x1b, 0, seq_of(r), 4, &p)]
        });
        assert_eq!(features_with(&mut t, 0x1b, 6), Ok(XdpFeatures::default()));
    }

    #[test]
    fn loopback_on_the_real_kernel() {
        // Loopback (ifindex 1) exists in every namespace; nothing attached.
        let info = query(1, 0).unwrap();
        assert_eq!(info.attach_mode, XDP_ATTACHED_NONE);
        let f = features(1).unwrap().unwrap();
        let _ = f.flags;
        assert_eq!(features(0x7fff_fff0).err(), Some(Error::new(libc::ENODEV)));
    }
}
