//! Netlink messages as bytes, without a socket: building one request,
//! walking the messages of a received datagram, reading attribute tables
//! and error acknowledgements. Every length read from the kernel is
//! checked against the bytes actually there; nothing here can panic on
//! hostile input.

use crate::error::{code, Error, Result};
use crate::uapi::netlink::*;

/// The largest request libbpf builds: a message header, the largest family
/// header (`tcmsg`) and 128 bytes of attributes. Attributes that would not
/// fit are refused with `EMSGSIZE`, as libbpf does.
pub const REQUEST_CAPACITY: usize = NLMSG_HDRLEN + TCMSG_LEN + 128;

/// An error for a malformed reply.
pub const PARSE_ERROR: Error = Error::new(code::NLPARSE);

fn get_u16(b: &[u8], off: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(b.get(off..off + 2)?.try_into().ok()?))
}

fn get_u32(b: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(off..off + 4)?.try_into().ok()?))
}

/// One request being built: `nlmsghdr`, the family header, attributes.
/// `nlmsg_len` always equals the (4-byte aligned) bytes held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    buf: Vec<u8>,
}

/// An open nested attribute, closed by [`Request::end_nested`].
#[derive(Debug)]
#[must_use]
pub struct Nest(usize);

impl Request {
    /// A request of `msg_type` with `flags`, followed by `family_header`
    /// (`ifinfomsg`, `tcmsg`, `genlmsghdr`). Sequence number and port id
    /// start at 0.
    pub fn new(msg_type: u16, flags: u16, family_header: &[u8]) -> Request {
        let mut buf = Vec::with_capacity(REQUEST_CAPACITY);
        buf.extend_from_slice(&0u32.to_ne_bytes());
        buf.extend_from_slice(&msg_type.to_ne_bytes());
        buf.extend_from_slice(&flags.to_ne_bytes());
        buf.extend_from_slice(&[0u8; 8]);
        buf.extend_from_slice(family_header);
        buf.resize(align4(buf.len()), 0);
        let mut r = Request { buf };
        r.sync_len();
        r
    }

    fn sync_len(&mut self) {
        let len = self.buf.len() as u32;
        self.buf[0..4].copy_from_slice(&len.to_ne_bytes());
    }

    /// Appends attribute `attr_type` holding `data`; `EMSGSIZE` when the
    /// request would outgrow [`REQUEST_CAPACITY`].
    pub fn add(&mut self, attr_type: u16, data: &[u8]) -> Result<()> {
        let nla_len = NLA_HDRLEN + data.len();
        if self.buf.len() + align4(nla_len) > REQUEST_CAPACITY || nla_len > u16::MAX as usize {
            return Err(Error::new(libc::EMSGSIZE));
        }
        self.buf.extend_from_slice(&(nla_len as u16).to_ne_bytes());
        self.buf.extend_from_slice(&attr_type.to_ne_bytes());
        self.buf.extend_from_slice(data);
        self.buf.resize(align4(self.buf.len()), 0);
        self.sync_len();
        Ok(())
    }

    /// Appends a native-endian `u32` attribute.
    pub fn add_u32(&mut self, attr_type: u16, v: u32) -> Result<()> {
        self.add(attr_type, &v.to_ne_bytes())
    }

    /// Appends a string attribute with its terminating NUL.
    pub fn add_str(&mut self, attr_type: u16, s: &[u8]) -> Result<()> {
        let mut v = Vec::with_capacity(s.len() + 1);
        v.extend_from_slice(s);
        v.push(0);
        self.add(attr_type, &v)
    }

    /// Opens a nested attribute: the attributes added until
    /// [`end_nested`](Self::end_nested) go inside it.
    pub fn begin_nested(&mut self, attr_type: u16) -> Result<Nest> {
        let at = self.buf.len();
        self.add(attr_type | NLA_F_NESTED, &[])?;
        Ok(Nest(at))
    }

    /// Closes a nested attribute: its length covers what was added since.
    pub fn end_nested(&mut self, nest: Nest) {
        let len = (self.buf.len() - nest.0) as u16;
        self.buf[nest.0..nest.0 + 2].copy_from_slice(&len.to_ne_bytes());
    }

    /// Sets `nlmsg_seq`.
    pub fn set_seq(&mut self, seq: u32) {
        self.buf[8..12].copy_from_slice(&seq.to_ne_bytes());
    }

    /// `nlmsg_seq`.
    pub fn seq(&self) -> u32 {
        get_u32(&self.buf, 8).unwrap_or(0)
    }

    /// The bytes to send (`nlmsg_len` of them).
    pub fn bytes(&self) -> &[u8] {
        &self.buf
    }
}

/// `struct ifinfomsg` for `family` and `ifindex` (type, flags and change 0).
pub fn ifinfomsg(family: u8, ifindex: i32) -> [u8; IFINFOMSG_LEN] {
    let mut b = [0u8; IFINFOMSG_LEN];
    b[0] = family;
    b[4..8].copy_from_slice(&ifindex.to_ne_bytes());
    b
}

/// `struct genlmsghdr`.
pub fn genlmsghdr(cmd: u8, version: u8) -> [u8; GENL_HDRLEN] {
    [cmd, version, 0, 0]
}

/// `struct tcmsg`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcMsg {
    pub family: u8,
    pub ifindex: i32,
    pub handle: u32,
    pub parent: u32,
    /// Priority (high 16 bits) and protocol (low 16 bits, network order).
    pub info: u32,
}

impl TcMsg {
    pub fn to_bytes(&self) -> [u8; TCMSG_LEN] {
        let mut b = [0u8; TCMSG_LEN];
        b[0] = self.family;
        b[4..8].copy_from_slice(&self.ifindex.to_ne_bytes());
        b[8..12].copy_from_slice(&self.handle.to_ne_bytes());
        b[12..16].copy_from_slice(&self.parent.to_ne_bytes());
        b[16..20].copy_from_slice(&self.info.to_ne_bytes());
        b
    }

    /// Reads the `tcmsg` at the start of a payload.
    pub fn parse(b: &[u8]) -> Result<TcMsg> {
        if b.len() < TCMSG_LEN {
            return Err(PARSE_ERROR);
        }
        Ok(TcMsg {
            family: b[0],
            ifindex: get_u32(b, 4).ok_or(PARSE_ERROR)? as i32,
            handle: get_u32(b, 8).ok_or(PARSE_ERROR)?,
            parent: get_u32(b, 12).ok_or(PARSE_ERROR)?,
            info: get_u32(b, 16).ok_or(PARSE_ERROR)?,
        })
    }
}

/// The `ifi_index` of an `ifinfomsg` payload.
pub fn ifinfo_index(payload: &[u8]) -> Result<i32> {
    if payload.len() < IFINFOMSG_LEN {
        return Err(PARSE_ERROR);
    }
    get_u32(payload, 4).map(|v| v as i32).ok_or(PARSE_ERROR)
}

/// One message of a received datagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Message<'a> {
    pub msg_type: u16,
    pub flags: u16,
    pub seq: u32,
    pub pid: u32,
    /// The bytes after the header, `nlmsg_len - 16` of them.
    pub payload: &'a [u8],
}

/// The messages of a datagram, in order. The walk stops at the first header
/// that does not fit in what is left or announces an impossible length.
pub fn messages(buf: &[u8]) -> Messages<'_> {
    Messages { rest: buf }
}

/// Iterator of [`messages`].
#[derive(Debug)]
pub struct Messages<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Messages<'a> {
    type Item = Message<'a>;

    fn next(&mut self) -> Option<Message<'a>> {
        let b = self.rest;
        let len = get_u32(b, 0)? as usize;
        if b.len() < NLMSG_HDRLEN || len < NLMSG_HDRLEN || len > b.len() {
            self.rest = &[];
            return None;
        }
        let msg = Message {
            msg_type: get_u16(b, 4)?,
            flags: get_u16(b, 6)?,
            seq: get_u32(b, 8)?,
            pid: get_u32(b, 12)?,
            payload: &b[NLMSG_HDRLEN..len],
        };
        self.rest = b.get(align4(len)..).unwrap_or(&[]);
        Some(msg)
    }
}

/// The attributes of a message part, by type (`1..=max`; larger types are
/// skipped). A type seen twice keeps its last value, with a warning, as
/// libbpf does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attrs<'a> {
    slots: Vec<Option<&'a [u8]>>,
}

/// Splits `bytes` into attributes (header checks as `nla_ok`: the walk stops
/// at an attribute shorter than its header or longer than what is left).
pub fn parse_attrs(bytes: &[u8], max: u16) -> Attrs<'_> {
    let mut slots = vec![None; max as usize + 1];
    let mut rest = bytes;
    while let (Some(len), Some(ty)) = (get_u16(rest, 0), get_u16(rest, 2)) {
        let len = len as usize;
        if len < NLA_HDRLEN || len > rest.len() {
            break;
        }
        let ty = ty & NLA_TYPE_MASK;
        if let Some(slot) = slots.get_mut(ty as usize) {
            if slot.is_some() {
                crate::pr_warn!(
                    "Attribute of type {:#x} found multiple times in message, previous attribute is being ignored.",
                    ty
                );
            }
            *slot = Some(&rest[NLA_HDRLEN..len]);
        }
        rest = rest.get(align4(len)..).unwrap_or(&[]);
    }
    Attrs { slots }
}

impl<'a> Attrs<'a> {
    /// The payload of attribute `ty`.
    pub fn get(&self, ty: u16) -> Option<&'a [u8]> {
        self.slots.get(ty as usize).copied().flatten()
    }

    fn fixed<const N: usize>(&self, ty: u16) -> Result<Option<[u8; N]>> {
        match self.get(ty) {
            None => Ok(None),
            Some(p) => p.get(..N).and_then(|b| b.try_into().ok()).map(Some).ok_or(PARSE_ERROR),
        }
    }

    /// A `u8` attribute; `LIBBPF_ERRNO__NLPARSE` when it is too short.
    pub fn u8(&self, ty: u16) -> Result<Option<u8>> {
        Ok(self.fixed::<1>(ty)?.map(|b| b[0]))
    }

    /// A native-endian `u16` attribute.
    pub fn u16(&self, ty: u16) -> Result<Option<u16>> {
        Ok(self.fixed::<2>(ty)?.map(u16::from_ne_bytes))
    }

    /// A native-endian `u32` attribute.
    pub fn u32(&self, ty: u16) -> Result<Option<u32>> {
        Ok(self.fixed::<4>(ty)?.map(u32::from_ne_bytes))
    }

    /// A native-endian `u64` attribute.
    pub fn u64(&self, ty: u16) -> Result<Option<u64>> {
        Ok(self.fixed::<8>(ty)?.map(u64::from_ne_bytes))
    }

    /// The attributes nested in attribute `ty`.
    pub fn nested(&self, ty: u16, max: u16) -> Option<Attrs<'a>> {
        self.get(ty).map(|p| parse_attrs(p, max))
    }
}

/// The attributes following a fixed header of `hdr_len` bytes (aligned) in
/// a payload; `LIBBPF_ERRNO__NLPARSE` when the payload is shorter.
pub fn attrs_after(payload: &[u8], hdr_len: usize, max: u16) -> Result<Attrs<'_>> {
    let start = align4(hdr_len);
    if payload.len() < hdr_len {
        return Err(PARSE_ERROR);
    }
    Ok(parse_attrs(payload.get(start..).unwrap_or(&[]), max))
}

/// The error code of an `NLMSG_ERROR` message: 0 for an acknowledgement,
/// else a negative errno.
pub fn ack_error(msg: &Message<'_>) -> Result<i32> {
    get_u32(msg.payload, 0).map(|v| v as i32).ok_or(PARSE_ERROR)
}

/// What an `NLMSG_ERROR` says beyond its code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExtAck {
    /// No extended attributes.
    None,
    /// Extended attributes that do not parse (a text without its NUL,
    /// an offset shorter than 4 bytes).
    Malformed,
    /// Extended attributes, with the kernel's text when there is one.
    Text(Option<String>),
}

/// Reads the extended acknowledgement of an `NLMSG_ERROR` message: its
/// attributes follow the echoed request (or only its header when
/// `NLM_F_CAPPED` is set).
pub fn ext_ack(msg: &Message<'_>) -> ExtAck {
    if msg.flags & NLM_F_ACK_TLVS == 0 {
        return ExtAck::None;
    }
    let mut hlen = NLMSGERR_LEN;
    if msg.flags & NLM_F_CAPPED == 0 {
        let inner_len = get_u32(msg.payload, 4).unwrap_or(0) as usize;
        hlen += inner_len.saturating_sub(NLMSG_HDRLEN);
    }
    let Some(tlvs) = msg.payload.get(align4(hlen)..) else { return ExtAck::Malformed };
    let attrs = parse_attrs(tlvs, NLMSGERR_ATTR_OFFS);
    if let Some(offs) = attrs.get(NLMSGERR_ATTR_OFFS) {
        if offs.len() < 4 {
            return ExtAck::Malformed;
        }
    }
    match attrs.get(NLMSGERR_ATTR_MSG) {
        None => ExtAck::Text(None),
        Some(text) => match text.split_last() {
            Some((0, body)) => {
                let end = body.iter().position(|&b| b == 0).unwrap_or(body.len());
                ExtAck::Text(Some(String::from_utf8_lossy(&body[..end]).into_owned()))
            }
            _ => ExtAck::Malformed,
        },
    }
}

/// A reply message built by hand for tests: header, then `payload`.
#[cfg(test)]
pub(crate) fn test_msg(ty: u16, flags: u16, seq: u32, pid: u32, payload: &[u8]) -> Vec<u8> {
    let len = NLMSG_HDRLEN + payload.len();
    let mut b = Vec::new();
    b.extend_from_slice(&(len as u32).to_ne_bytes());
    b.extend_from_slice(&ty.to_ne_bytes());
    b.extend_from_slice(&flags.to_ne_bytes());
    b.extend_from_slice(&seq.to_ne_bytes());
    b.extend_from_slice(&pid.to_ne_bytes());
    b.extend_from_slice(payload);
    b.resize(align4(b.len()), 0);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::test_msg as msg;

    fn attr(ty: u16, data: &[u8]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&((NLA_HDRLEN + data.len()) as u16).to_ne_bytes());
        b.extend_from_slice(&ty.to_ne_bytes());
        b.extend_from_slice(data);
        b.resize(align4(b.len()), 0);
        b
    }

    #[test]
    fn request_layout() {
        let mut r = Request::new(RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK, &ifinfomsg(AF_UNSPEC, 7));
        assert_eq!(r.bytes().len(), 32);
        let n = r.begin_nested(IFLA_XDP).unwrap();
        r.add_u32(IFLA_XDP_FD, 5).unwrap();
        r.add_u32(IFLA_XDP_FLAGS, 2).unwrap();
        r.end_nested(n);
        r.set_seq(99);
        let b = r.bytes();
        assert_eq!(b.len(), 32 + 4 + 8 + 8);
        assert_eq!(get_u32(b, 0), Some(b.len() as u32));
        assert_eq!(get_u16(b, 4), Some(RTM_SETLINK));
        assert_eq!(get_u16(b, 6), Some(NLM_F_REQUEST | NLM_F_ACK));
        assert_eq!(r.seq(), 99);
        assert_eq!(get_u32(b, 20), Some(7));
        // The nested attribute covers its two members.
        assert_eq!(get_u16(b, 32), Some(20));
        assert_eq!(get_u16(b, 34), Some(IFLA_XDP | NLA_F_NESTED));
        let outer = parse_attrs(&b[32..], IFLA_XDP);
        let inner = outer.nested(IFLA_XDP, IFLA_XDP_EXPECTED_FD).unwrap();
        assert_eq!(inner.u32(IFLA_XDP_FD), Ok(Some(5)));
        assert_eq!(inner.u32(IFLA_XDP_FLAGS), Ok(Some(2)));
        assert_eq!(inner.u32(IFLA_XDP_EXPECTED_FD), Ok(None));
    }

    #[test]
    fn strings_are_padded_and_capacity_is_enforced() {
        let mut r = Request::new(RTM_NEWQDISC, NLM_F_REQUEST, &TcMsg::default().to_bytes());
        r.add_str(TCA_KIND, b"clsact").unwrap();
        assert_eq!(r.bytes().len(), 36 + 12);
        assert_eq!(&r.bytes()[40..47], b"clsact\0");
        // 36 + 12 used: 116 bytes left, so a 112-byte payload fits, 113 does not.
        let mut big = r.clone();
        assert_eq!(big.add(TCA_OPTIONS, &[1u8; 113]), Err(Error::new(libc::EMSGSIZE)));
        assert_eq!(big, r);
        big.add(TCA_OPTIONS, &[1u8; 112]).unwrap();
        assert_eq!(big.bytes().len(), REQUEST_CAPACITY);
        assert!(big.begin_nested(TCA_OPTIONS).is_err());
    }

    #[test]
    fn message_walk_is_bounded() {
        let mut d = msg(NLMSG_DONE, NLM_F_MULTI, 1, 2, &[0; 4]);
        d.extend(msg(RTM_NEWLINK, 0, 3, 4, &[9; 5]));
        let all: Vec<_> = messages(&d).collect();
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].msg_type, all[0].flags, all[0].seq, all[0].pid), (NLMSG_DONE, NLM_F_MULTI, 1, 2));
        assert_eq!(all[1].payload, &[9; 5]);
        // A length past the end, below the header size, or a cut header: stop.
        let mut bad = d.clone();
        bad[0..4].copy_from_slice(&1000u32.to_ne_bytes());
        assert_eq!(messages(&bad).count(), 0);
        bad[0..4].copy_from_slice(&8u32.to_ne_bytes());
        assert_eq!(messages(&bad).count(), 0);
        assert_eq!(messages(&d[..d.len() - 10]).count(), 1);
        assert_eq!(messages(&d[..3]).count(), 0);
        assert_eq!(messages(&[]).count(), 0);
    }

    #[test]
    fn attributes_are_bounds_checked() {
        let mut b = attr(1, &[7]);
        b.extend(attr(3 | NLA_F_NESTED, &attr(2, &5u32.to_ne_bytes())));
        b.extend(attr(40, &[1, 2, 3, 4]));
        let a = parse_attrs(&b, 3);
        assert_eq!(a.u8(1), Ok(Some(7)));
        assert_eq!(a.u32(1), Err(PARSE_ERROR));
        assert_eq!(a.u64(2), Ok(None));
        assert_eq!(a.get(40), None);
        assert_eq!(a.nested(3, 2).unwrap().u32(2), Ok(Some(5)));
        // An attribute longer than what is left ends the walk.
        let mut cut = b.clone();
        cut[0..2].copy_from_slice(&200u16.to_ne_bytes());
        assert_eq!(parse_attrs(&cut, 3).get(1), None);
        // Shorter than its header: same.
        cut[0..2].copy_from_slice(&2u16.to_ne_bytes());
        assert_eq!(parse_attrs(&cut, 3).get(3), None);
        // Trailing garbage shorter than a header is ignored.
        let mut tail = b.clone();
        tail.extend([1, 0]);
        assert_eq!(parse_attrs(&tail, 3).u8(1), Ok(Some(7)));
        // Duplicates: the last wins.
        let mut dup = attr(1, &[1]);
        dup.extend(attr(1, &[2]));
        assert_eq!(parse_attrs(&dup, 1).u8(1), Ok(Some(2)));
        assert_eq!(attrs_after(&[0; 3], 4, 1).err(), Some(PARSE_ERROR));
    }

    fn error_payload(err: i32, inner: &[u8], tlvs: &[u8]) -> Vec<u8> {
        let mut p = err.to_ne_bytes().to_vec();
        p.extend_from_slice(inner);
        p.extend_from_slice(tlvs);
        p
    }

    #[test]
    fn error_messages_and_extended_acks() {
        let inner = msg(RTM_SETLINK, NLM_F_REQUEST, 5, 0, &[0; 16]);
        let text = attr(NLMSGERR_ATTR_MSG, b"bad thing\0");
        let full = msg(NLMSG_ERROR, NLM_F_ACK_TLVS, 5, 1, &error_payload(-22, &inner, &text));
        let m = messages(&full).next().unwrap();
        assert_eq!(ack_error(&m), Ok(-22));
        assert_eq!(ext_ack(&m), ExtAck::Text(Some("bad thing".into())));
        // Capped: only the request's header is echoed.
        let capped = msg(NLMSG_ERROR, NLM_F_ACK_TLVS | NLM_F_CAPPED, 5, 1, &error_payload(-1, &inner[..16], &text));
        assert_eq!(ext_ack(&messages(&capped).next().unwrap()), ExtAck::Text(Some("bad thing".into())));
        // No TLVs flag; an offset only; a text without its NUL; a cut message.
        let plain = msg(NLMSG_ERROR, 0, 5, 1, &error_payload(0, &inner, &[]));
        assert_eq!(ext_ack(&messages(&plain).next().unwrap()), ExtAck::None);
        let offs = msg(NLMSG_ERROR, NLM_F_ACK_TLVS, 5, 1, &error_payload(-1, &inner, &attr(NLMSGERR_ATTR_OFFS, &[0; 4])));
        assert_eq!(ext_ack(&messages(&offs).next().unwrap()), ExtAck::Text(None));
        let nonul = msg(NLMSG_ERROR, NLM_F_ACK_TLVS, 5, 1, &error_payload(-1, &inner, &attr(NLMSGERR_ATTR_MSG, b"abc")));
        assert_eq!(ext_ack(&messages(&nonul).next().unwrap()), ExtAck::Malformed);
        let short = msg(NLMSG_ERROR, 0, 5, 1, &[1, 2]);
        assert_eq!(ack_error(&messages(&short).next().unwrap()), Err(PARSE_ERROR));
        let huge_inner = msg(NLMSG_ERROR, NLM_F_ACK_TLVS, 5, 1, &error_payload(-1, &2000u32.to_ne_bytes(), &[]));
        assert_eq!(ext_ack(&messages(&huge_inner).next().unwrap()), ExtAck::Malformed);
    }

    #[test]
    fn tcmsg_roundtrip() {
        let t = TcMsg { family: 0, ifindex: 3, handle: 1, parent: 0xFFFF_FFF2, info: 0x0001_0300 };
        assert_eq!(TcMsg::parse(&t.to_bytes()), Ok(t));
        assert_eq!(TcMsg::parse(&[0; 19]), Err(PARSE_ERROR));
        assert_eq!(ifinfo_index(&ifinfomsg(AF_PACKET, 12)), Ok(12));
        assert_eq!(ifinfo_index(&[0; 8]), Err(PARSE_ERROR));
    }
}
