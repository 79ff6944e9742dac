//! Netlink UAPI: `<linux/netlink.h>`, `<linux/rtnetlink.h>`,
//! `<linux/if_link.h>` (XDP), `<linux/pkt_sched.h>`/`<linux/pkt_cls.h>`
//! (TC), `<linux/genetlink.h>` and `<linux/netdev.h>`, as far as XDP and TC
//! attachment need them. Layouts are encoded by hand in `crate::netlink`.

/// Netlink protocols (`socket(AF_NETLINK, SOCK_RAW, proto)`).
pub const NETLINK_ROUTE: i32 = 0;
pub const NETLINK_GENERIC: i32 = 16;
/// `setsockopt(SOL_NETLINK, NETLINK_EXT_ACK)`: extended ACKs (error texts).
pub const SOL_NETLINK: i32 = 270;
pub const NETLINK_EXT_ACK: i32 = 11;

/// `sizeof(struct nlmsghdr)`.
pub const NLMSG_HDRLEN: usize = 16;
/// `sizeof(struct nlattr)`.
pub const NLA_HDRLEN: usize = 4;
/// `sizeof(struct nlmsgerr)`: the error and the header of the request.
pub const NLMSGERR_LEN: usize = 4 + NLMSG_HDRLEN;
/// `sizeof(struct ifinfomsg)`.
pub const IFINFOMSG_LEN: usize = 16;
/// `sizeof(struct tcmsg)`.
pub const TCMSG_LEN: usize = 20;
/// `GENL_HDRLEN`: `sizeof(struct genlmsghdr)`.
pub const GENL_HDRLEN: usize = 4;

/// Netlink messages and attributes are padded to 4 bytes.
pub const fn align4(len: usize) -> usize {
    (len + 3) & !3
}

/// Message types shared by every family.
pub const NLMSG_NOOP: u16 = 1;
pub const NLMSG_ERROR: u16 = 2;
pub const NLMSG_DONE: u16 = 3;

/// `nlmsg_flags`.
pub const NLM_F_REQUEST: u16 = 0x01;
pub const NLM_F_MULTI: u16 = 0x02;
pub const NLM_F_ACK: u16 = 0x04;
pub const NLM_F_ECHO: u16 = 0x08;
pub const NLM_F_DUMP: u16 = 0x300;
pub const NLM_F_REPLACE: u16 = 0x100;
pub const NLM_F_EXCL: u16 = 0x200;
pub const NLM_F_CREATE: u16 = 0x400;
/// In an `NLMSG_ERROR`: the request echoed back is cut to its header.
pub const NLM_F_CAPPED: u16 = 0x100;
/// In an `NLMSG_ERROR`: extended ACK attributes follow.
pub const NLM_F_ACK_TLVS: u16 = 0x200;

/// Extended ACK attributes (`NLMSGERR_ATTR_*`).
pub const NLMSGERR_ATTR_MSG: u16 = 1;
pub const NLMSGERR_ATTR_OFFS: u16 = 2;

/// Attribute type bits that are flags, not part of the type.
pub const NLA_F_NESTED: u16 = 1 << 15;
pub const NLA_F_NET_BYTEORDER: u16 = 1 << 14;
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

/// Address families of `ifinfomsg`/`tcmsg`.
pub const AF_UNSPEC: u8 = 0;
pub const AF_PACKET: u8 = 17;

/// rtnetlink message types.
pub const RTM_NEWLINK: u16 = 16;
pub const RTM_GETLINK: u16 = 18;
pub const RTM_SETLINK: u16 = 19;
pub const RTM_NEWQDISC: u16 = 36;
pub const RTM_DELQDISC: u16 = 37;
pub const RTM_NEWTFILTER: u16 = 44;
pub const RTM_DELTFILTER: u16 = 45;
pub const RTM_GETTFILTER: u16 = 46;

/// `IFLA_XDP` (nested) and its members.
pub const IFLA_XDP: u16 = 43;
pub const IFLA_XDP_FD: u16 = 1;
pub const IFLA_XDP_ATTACHED: u16 = 2;
pub const IFLA_XDP_FLAGS: u16 = 3;
pub const IFLA_XDP_PROG_ID: u16 = 4;
pub const IFLA_XDP_DRV_PROG_ID: u16 = 5;
pub const IFLA_XDP_SKB_PROG_ID: u16 = 6;
pub const IFLA_XDP_HW_PROG_ID: u16 = 7;
pub const IFLA_XDP_EXPECTED_FD: u16 = 8;

/// `XDP_FLAGS_*`.
pub const XDP_FLAGS_UPDATE_IF_NOEXIST: u32 = 1 << 0;
pub const XDP_FLAGS_SKB_MODE: u32 = 1 << 1;
pub const XDP_FLAGS_DRV_MODE: u32 = 1 << 2;
pub const XDP_FLAGS_HW_MODE: u32 = 1 << 3;
pub const XDP_FLAGS_REPLACE: u32 = 1 << 4;
pub const XDP_FLAGS_MODES: u32 = XDP_FLAGS_SKB_MODE | XDP_FLAGS_DRV_MODE | XDP_FLAGS_HW_MODE;
pub const XDP_FLAGS_MASK: u32 = XDP_FLAGS_UPDATE_IF_NOEXIST | XDP_FLAGS_MODES | XDP_FLAGS_REPLACE;

/// `XDP_ATTACHED_*` (the `IFLA_XDP_ATTACHED` value).
pub const XDP_ATTACHED_NONE: u8 = 0;
pub const XDP_ATTACHED_DRV: u8 = 1;
pub const XDP_ATTACHED_SKB: u8 = 2;
pub const XDP_ATTACHED_HW: u8 = 3;
pub const XDP_ATTACHED_MULTI: u8 = 4;

/// TC handles (`TC_H_*`).
pub const TC_H_ROOT: u32 = 0xFFFF_FFFF;
pub const TC_H_CLSACT: u32 = 0xFFFF_FFF1;
pub const TC_H_MIN_INGRESS: u32 = 0xFFF2;
pub const TC_H_MIN_EGRESS: u32 = 0xFFF3;
/// `TC_H_MAKE(maj, min)`.
pub const fn tc_h_make(maj: u32, min: u32) -> u32 {
    (maj & 0xFFFF_0000) | (min & 0xFFFF)
}

/// TC attributes (`TCA_*`).
pub const TCA_KIND: u16 = 1;
pub const TCA_OPTIONS: u16 = 2;
/// cls_bpf options (`TCA_BPF_*`).
pub const TCA_BPF_FD: u16 = 6;
pub const TCA_BPF_NAME: u16 = 7;
pub const TCA_BPF_FLAGS: u16 = 8;
pub const TCA_BPF_ID: u16 = 11;
/// `TCA_BPF_FLAG_ACT_DIRECT`: the program's return code is the TC action.
pub const TCA_BPF_FLAG_ACT_DIRECT: u32 = 1;
/// `ETH_P_ALL`: every protocol.
pub const ETH_P_ALL: u16 = 0x0003;

/// Generic netlink's controller.
pub const GENL_ID_CTRL: u16 = 0x10;
pub const CTRL_CMD_GETFAMILY: u8 = 3;
pub const CTRL_ATTR_FAMILY_ID: u16 = 1;
pub const CTRL_ATTR_FAMILY_NAME: u16 = 2;

/// The `netdev` generic netlink family.
pub const NETDEV_CMD_DEV_GET: u8 = 1;
pub const NETDEV_A_DEV_IFINDEX: u16 = 1;
pub const NETDEV_A_DEV_XDP_FEATURES: u16 = 3;
pub const NETDEV_A_DEV_XDP_ZC_MAX_SEGS: u16 = 4;
