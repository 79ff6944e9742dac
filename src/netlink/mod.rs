//! XDP and TC attachment through netlink, as libbpf does it.
//!
//! - [`message`]: requests and replies as bytes (builder, message walk,
//!   attribute tables, error acknowledgements), pure and unit-tested;
//! - [`converse`]: one request/reply exchange over a [`Transport`], with
//!   libbpf's checks: every reply must carry our port id
//!   (`LIBBPF_ERRNO__WRNGPID`) and the request's sequence number
//!   (`LIBBPF_ERRNO__INVSEQ`); an error acknowledgement ends the exchange
//!   with its errno after logging the kernel's extended-ACK text;
//! - [`xdp`]: `bpf_xdp_attach/detach/query` (rtnetlink `IFLA_XDP` and the
//!   `netdev` generic netlink family for XDP features);
//! - [`tc`]: clsact (and any qdisc) hooks and cls_bpf direct-action filters.
//!
//! Each operation opens its own socket (`crate::sys::netlink::Socket`, the
//! real [`Transport`]) and closes it when done. The logic is written
//! against the trait so that tests can script the kernel's replies.

pub mod message;
pub mod tc;
pub mod xdp;

use std::sync::atomic::{AtomicU32, Ordering};

use crate::error::{code, Error, Result};
use crate::uapi::netlink::*;
use message::{ack_error, ext_ack, messages, ExtAck, Message, Request};

/// What a reply handler wants after one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Go on with the next message.
    Continue,
    /// Drop the rest of this datagram and read the next one.
    NextDatagram,
    /// The exchange is complete.
    Done,
}

/// A netlink socket as the exchange sees it.
pub trait Transport {
    /// The port id the kernel gave the socket; replies must carry it.
    fn local_pid(&self) -> u32;
    /// Sends one request.
    fn send(&mut self, bytes: &[u8]) -> Result<()>;
    /// Receives one whole datagram (empty when the peer has nothing more).
    fn recv(&mut self) -> Result<Vec<u8>>;
}

/// A sequence number for the next request (libbpf uses the time; any
/// value works since every request has its own socket).
fn next_seq() -> u32 {
    static SEQ: AtomicU32 = AtomicU32::new(0);
    let base = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_secs() as u32);
    let _ = SEQ.compare_exchange(0, base, Ordering::Relaxed, Ordering::Relaxed);
    SEQ.fetch_add(1, Ordering::Relaxed)
}

/// Logs what an error acknowledgement says, as libbpf words it.
fn log_ext_ack(msg: &Message<'_>) {
    match ext_ack(msg) {
        ExtAck::None => {}
        ExtAck::Malformed => crate::pr_warn!("Failed to parse extended error attributes"),
        ExtAck::Text(text) => crate::pr_warn!("Kernel error message: {}", text.as_deref().unwrap_or("(null)")),
    }
}

/// Sends `req` (with a fresh sequence number) and reads replies until the
/// kernel is done, calling `handle` on every message that is neither an
/// acknowledgement nor the end of a dump.
///
/// Reading goes on while messages carry `NLM_F_MULTI` (a dump spanning
/// datagrams); `NLMSG_DONE` or [`Step::Done`] end it; a zero error
/// acknowledgement is skipped; a non-zero one fails with its errno. A reply
/// with another port id is `LIBBPF_ERRNO__WRNGPID`, another sequence number
/// `LIBBPF_ERRNO__INVSEQ`.
pub fn converse<T: Transport>(t: &mut T, req: &mut Request, mut handle: impl FnMut(&Message<'_>) -> Result<Step>) -> Result<()> {
    req.set_seq(next_seq());
    t.send(req.bytes())?;
    let (pid, seq) = (t.local_pid(), req.seq());
    let mut more = true;
    'datagrams: while more {
        more = false;
        let buf = t.recv()?;
        if buf.is_empty() {
            break;
        }
        for msg in messages(&buf) {
            if msg.pid != pid {
                return Err(Error::new(code::WRNGPID));
            }
            if msg.seq != seq {
                return Err(Error::new(code::INVSEQ));
            }
            if msg.flags & NLM_F_MULTI != 0 {
                more = true;
            }
            match msg.msg_type {
                NLMSG_ERROR => {
                    let err = ack_error(&msg)?;
                    if err == 0 {
                        continue;
                    }
                    log_ext_ack(&msg);
                    return Err(Error::new(err));
                }
                NLMSG_DONE => return Ok(()),
                _ => {}
            }
            match handle(&msg)? {
                Step::Continue => {}
                Step::NextDatagram => {
                    more = true;
                    continue 'datagrams;
                }
                Step::Done => return Ok(()),
            }
        }
    }
    Ok(())
}

/// Opens a socket of netlink protocol `proto` for one exchange, warning
/// (as libbpf) when the kernel does not send error texts.
pub fn open(proto: i32) -> Result<crate::sys::netlink::Socket> {
    let sock = crate::sys::netlink::Socket::open(proto)?;
    if !sock.ext_ack() {
        crate::pr_warn!("Netlink error reporting not supported");
    }
    Ok(sock)
}

/// Opens a socket of protocol `proto` and runs one [`converse`] exchange.
pub fn request(proto: i32, req: &mut Request, handle: impl FnMut(&Message<'_>) -> Result<Step>) -> Result<()> {
    converse(&mut open(proto)?, req, handle)
}

impl Transport for crate::sys::netlink::Socket {
    fn local_pid(&self) -> u32 {
        self.pid()
    }

    fn send(&mut self, bytes: &[u8]) -> Result<()> {
        crate::sys::netlink::Socket::send(self, bytes)
    }

    fn recv(&mut self) -> Result<Vec<u8>> {
        crate::sys::netlink::Socket::recv(self)
    }
}

/// A scripted kernel for tests: records what is sent, replies with the
/// given datagrams (built by a closure that learns the request's sequence
/// number).
#[cfg(test)]
pub(crate) mod fake {
    use super::*;

    /// Replies to one request, by datagram.
    type Script = Box<dyn FnMut(&[u8]) -> Vec<Vec<u8>>>;

    pub struct Fake {
        pub pid: u32,
        pub sent: Vec<Vec<u8>>,
        pub script: Script,
        pub pending: std::collections::VecDeque<Vec<u8>>,
    }

    impl Fake {
        pub fn new(pid: u32, script: impl FnMut(&[u8]) -> Vec<Vec<u8>> + 'static) -> Fake {
            Fake { pid, sent: Vec::new(), script: Box::new(script), pending: Default::default() }
        }
    }

    /// The sequence number of a request.
    pub fn seq_of(req: &[u8]) -> u32 {
        u32::from_ne_bytes(req[8..12].try_into().unwrap())
    }

    impl Transport for Fake {
        fn local_pid(&self) -> u32 {
            self.pid
        }
        fn send(&mut self, bytes: &[u8]) -> Result<()> {
            self.sent.push(bytes.to_vec());
            let replies = (self.script)(bytes);
            self.pending.extend(replies);
            Ok(())
        }
        fn recv(&mut self) -> Result<Vec<u8>> {
            Ok(self.pending.pop_front().unwrap_or_default())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fake::*;
    use super::message::test_msg as msg;
    use super::*;

    fn ack(seq: u32, pid: u32, err: i32) -> Vec<u8> {
        let mut p = err.to_ne_bytes().to_vec();
        p.extend_from_slice(&[0u8; 16]);
        msg(NLMSG_ERROR, 0, seq, pid, &p)
    }

    fn req() -> Request {
        Request::new(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, &message::ifinfomsg(AF_PACKET, 0))
    }

    #[test]
    fn ack_and_error() {
        let mut t = Fake::new(7, |r| vec![ack(seq_of(r), 7, 0)]);
        assert_eq!(converse(&mut t, &mut req(), |_| panic!("no data")), Ok(()));
        let mut t = Fake::new(7, |r| vec![ack(seq_of(r), 7, -libc::EBUSY)]);
        assert_eq!(converse(&mut t, &mut req(), |_| Ok(Step::Continue)), Err(Error::new(libc::EBUSY)));
    }

    #[test]
    fn wrong_pid_and_sequence() {
        let mut t = Fake::new(7, |r| vec![ack(seq_of(r), 8, 0)]);
        assert_eq!(converse(&mut t, &mut req(), |_| Ok(Step::Continue)), Err(Error::new(code::WRNGPID)));
        let mut t = Fake::new(7, |r| vec![ack(seq_of(r).wrapping_add(1), 7, 0)]);
        assert_eq!(converse(&mut t, &mut req(), |_| Ok(Step::Continue)), Err(Error::new(code::INVSEQ)));
    }

    #[test]
    fn multipart_dump_across_datagrams() {
        let mut t = Fake::new(3, |r| {
            let s = seq_of(r);
            let mut first = msg(RTM_NEWLINK, NLM_F_MULTI, s, 3, &[1; 16]);
            first.extend(msg(RTM_NEWLINK, NLM_F_MULTI, s, 3, &[2; 16]));
            vec![first, msg(RTM_NEWLINK, NLM_F_MULTI, s, 3, &[3; 16]), msg(NLMSG_DONE, NLM_F_MULTI, s, 3, &[0; 4])]
        });
        let mut seen = Vec::new();
        converse(&mut t, &mut req(), |m| {
            seen.push(m.payload[0]);
            Ok(Step::Continue)
        })
        .unwrap();
        assert_eq!(seen, vec![1, 2, 3]);
        assert_eq!(t.sent.len(), 1);
    }

    #[test]
    fn steps_end_or_skip() {
        // Done stops at once; NextDatagram skips the rest of the datagram
        // and reads the next one even without NLM_F_MULTI.
        let script = |r: &[u8]| {
            let s = seq_of(r);
            let mut first = msg(RTM_NEWLINK, 0, s, 1, &[1; 16]);
            first.extend(msg(RTM_NEWLINK, 0, s, 1, &[2; 16]));
            vec![first, ack(s, 1, 0), msg(RTM_NEWLINK, 0, s, 1, &[3; 16])]
        };
        let mut seen = Vec::new();
        let mut t = Fake::new(1, script);
        converse(&mut t, &mut req(), |m| {
            seen.push(m.payload[0]);
            Ok(Step::NextDatagram)
        })
        .unwrap();
        assert_eq!(seen, vec![1]);
        let mut t = Fake::new(1, script);
        let mut n = 0;
        converse(&mut t, &mut req(), |_| {
            n += 1;
            Ok(Step::Done)
        })
        .unwrap();
        assert_eq!(n, 1);
        // A handler error ends the exchange with it.
        let mut t = Fake::new(1, script);
        assert_eq!(converse(&mut t, &mut req(), |_| Err(Error::NOENT)), Err(Error::NOENT));
    }

    #[test]
    fn empty_and_garbage_replies() {
        let mut t = Fake::new(1, |_| vec![]);
        assert_eq!(converse(&mut t, &mut req(), |_| Ok(Step::Continue)), Ok(()));
        let mut t = Fake::new(1, |_| vec![vec![0xff; 7]]);
        assert_eq!(converse(&mut t, &mut req(), |_| Ok(Step::Continue)), Ok(()));
        let mut t = Fake::new(1, |r| vec![msg(NLMSG_ERROR, 0, seq_of(r), 1, &[1])]);
        assert_eq!(converse(&mut t, &mut req(), |_| Ok(Step::Continue)), Err(message::PARSE_ERROR));
    }

    #[test]
    fn real_socket_dumps_links() {
        // Whatever the namespace, a dump of links answers with our pid/seq.
        let mut r = req();
        let mut n = 0;
        request(NETLINK_ROUTE, &mut r, |m| {
            assert_eq!(m.msg_type, RTM_NEWLINK);
            n += 1;
            Ok(Step::Continue)
        })
        .unwrap();
        assert!(n >= 1);
    }
}
