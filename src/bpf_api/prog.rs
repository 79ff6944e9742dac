//! Program loading and the attach/detach/query argument rules, as libbpf
//! does them.

use std::os::fd::OwnedFd;

use crate::bpf_api::{features, LogBuf};
use crate::error::{Error, Result};
use crate::sys::bpf::ptr_to_u64;
use crate::sys::prog::{self, AttachAttr, ProgLoadAttr};
use crate::uapi::flags::BPF_F_ID;

/// How many times a load failing with `EAGAIN` is tried, by default.
pub const DEFAULT_ATTEMPTS: i32 = 5;

/// Everything `bpf_prog_load()` takes beyond the attr fields it copies
/// as they are.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadRequest<'a> {
    /// Every field except the name, the log fields and the attach target.
    pub attr: ProgLoadAttr,
    /// Program name (copied when the kernel supports names).
    pub name: Option<&'a [u8]>,
    /// Instruction count as the caller gave it (`E2BIG` past `u32::MAX`).
    pub insn_cnt: usize,
    /// Tries on `EAGAIN`: 0 means [`DEFAULT_ATTEMPTS`], negative is `EINVAL`.
    pub attempts: i32,
    /// Program to attach to (freplace, fentry on a BPF program)...
    pub attach_prog_fd: u32,
    /// ... or module BTF holding `attach_btf_id`; not both (`EINVAL`).
    pub attach_btf_obj_fd: u32,
    /// Verifier log (see [`load`] for the rules).
    pub log: LogBuf,
}

/// `BPF_PROG_LOAD` retried while the kernel says `EAGAIN`, at most
/// `attempts` times.
///
/// # Safety
/// As [`prog::load`].
unsafe fn load_with_attempts(attr: &mut ProgLoadAttr, attempts: i32) -> Result<OwnedFd> {
    let mut left = attempts;
    loop {
        // SAFETY: forwarded contract.
        match unsafe { prog::load(attr) } {
            Err(e) if e.errno() == libc::EAGAIN && {
                left -= 1;
                left > 0
            } => continue,
            other => return other,
        }
    }
}

/// Copies `cnt` records of `user_size` bytes from `src`, keeping the first
/// `kernel_size` bytes of each and zeroing the rest, so a kernel expecting
/// shorter records accepts them (it checks that the bytes it does not know
/// are zero).
///
/// # Safety
/// `src` is readable for `cnt * user_size` bytes.
unsafe fn zero_record_tails(src: u64, cnt: u32, user_size: u32, kernel_size: u32) -> Option<Vec<u8>> {
    let (cnt, user, keep) = (cnt as usize, user_size as usize, kernel_size as usize);
    let total = cnt.checked_mul(user)?;
    if src == 0 || keep > user {
        return None;
    }
    // SAFETY: the caller promises `total` readable bytes at `src`.
    let input = unsafe { core::slice::from_raw_parts(src as usize as *const u8, total) };
    let mut out = vec![0u8; total];
    for (o, i) in out.chunks_exact_mut(user).zip(input.chunks_exact(user)) {
        o[..keep].copy_from_slice(&i[..keep]);
    }
    Some(out)
}

/// Loads a program with libbpf's rules:
///
/// - `attempts` tries while the kernel answers `EAGAIN`;
/// - a name is passed only to kernels that support names (15 bytes max);
/// - a log buffer needs a log size and the other way round (`EINVAL`);
/// - with a log level, the verifier logs from the first try; with level 0
///   and a buffer, the program is loaded without a log first and, if that
///   fails, loaded again at level 1 so the buffer explains the failure;
/// - when the kernel refuses func/line info records larger than it knows
///   (`E2BIG`, writing back the size it expects), the records are resent
///   with the unknown tail bytes zeroed;
/// - a buffer too small for the log gives `ENOSPC` from the kernel.
///
/// Returns the fd and, once the kernel was called, the size the full log
/// needs (`log_true_size` of the last try; `None` when the arguments were
/// refused before any syscall). Call [`crate::bpf_api::memlock::bump`] first.
///
/// # Safety
/// Every address in the request is valid for the sizes its companions give.
pub unsafe fn load(req: &LoadRequest<'_>) -> (Result<OwnedFd>, Option<u32>) {
    let attempts = match req.attempts {
        a if a < 0 => return (Err(Error::INVAL), None),
        0 => DEFAULT_ATTEMPTS,
        a => a,
    };
    let mut attr = req.attr;
    if let Some(name) = req.name {
        if features::prog_name() {
            attr.set_name(name);
        }
    }
    let Ok(insn_cnt) = u32::try_from(req.insn_cnt) else {
        return (Err(Error::TOO_BIG), None);
    };
    attr.insn_cnt = insn_cnt;
    if req.attach_prog_fd != 0 && req.attach_btf_obj_fd != 0 {
        return (Err(Error::INVAL), None);
    }
    attr.attach_prog_fd = if req.attach_prog_fd != 0 { req.attach_prog_fd } else { req.attach_btf_obj_fd };
    let log = req.log;
    if (log.buf != 0) != (log.size != 0) {
        return (Err(Error::INVAL), None);
    }
    if log.level != 0 {
        attr.log_buf = log.buf;
        attr.log_size = log.size;
        attr.log_level = log.level;
    }
    let (func_rec, line_rec) = (attr.func_info_rec_size, attr.line_info_rec_size);
    let (func_src, line_src) = (attr.func_info, attr.line_info);

    // SAFETY: forwarded contract.
    let mut res = unsafe { load_with_attempts(&mut attr, attempts) };
    let mut true_size = attr.log_true_size;
    if res.is_ok() {
        return (res, Some(true_size));
    }

    // The kernel wrote back the record sizes it knows: resend with zeroed
    // tails, func info first, then line info, each at most once.
    let (mut finfo, mut linfo): (Option<Vec<u8>>, Option<Vec<u8>>) = (None, None);
    while matches!(res, Err(e) if e.errno() == libc::E2BIG) && (finfo.is_none() || linfo.is_none()) {
        if finfo.is_none() && attr.func_info_cnt != 0 && attr.func_info_rec_size < func_rec {
            // SAFETY: the caller's func info holds `cnt * func_rec` bytes.
            let Some(buf) = (unsafe { zero_record_tails(func_src, attr.func_info_cnt, func_rec, attr.func_info_rec_size) }) else {
                break;
            };
            attr.func_info = ptr_to_u64(buf.as_ptr());
            attr.func_info_rec_size = func_rec;
            finfo = Some(buf);
        } else if linfo.is_none() && attr.line_info_cnt != 0 && attr.line_info_rec_size < line_rec {
            // SAFETY: the caller's line info holds `cnt * line_rec` bytes.
            let Some(buf) = (unsafe { zero_record_tails(line_src, attr.line_info_cnt, line_rec, attr.line_info_rec_size) }) else {
                break;
            };
            attr.line_info = ptr_to_u64(buf.as_ptr());
            attr.line_info_rec_size = line_rec;
            linfo = Some(buf);
        } else {
            break;
        }
        // SAFETY: forwarded contract; the copies live in `finfo`/`linfo`.
        res = unsafe { load_with_attempts(&mut attr, attempts) };
        true_size = attr.log_true_size;
        if res.is_ok() {
            return (res, Some(true_size));
        }
    }

    if log.level == 0 && log.buf != 0 {
        attr.log_buf = log.buf;
        attr.log_size = log.size;
        attr.log_level = 1;
        // SAFETY: forwarded contract.
        res = unsafe { load_with_attempts(&mut attr, attempts) };
        true_size = attr.log_true_size;
    }
    drop((finfo, linfo));
    (res, Some(true_size))
}

/// A safe form for Rust callers: loads `insns` as `prog_type` with
/// `license`, filling `log` (if any) under the rules of [`load`] at
/// `log_level`. Returns the fd or error, and the size the full log needs.
pub fn load_insns(
    prog_type: u32,
    name: Option<&str>,
    license: &core::ffi::CStr,
    insns: &[crate::uapi::bpf_insn],
    expected_attach_type: u32,
    log: Option<&mut [u8]>,
    log_level: u32,
) -> (Result<OwnedFd>, u32) {
    crate::bpf_api::memlock::bump().ok();
    let log = match log {
        Some(buf) => LogBuf { buf: ptr_to_u64(buf.as_mut_ptr()), size: buf.len().min(u32::MAX as usize) as u32, level: log_level },
        None => LogBuf { level: log_level, ..Default::default() },
    };
    let req = LoadRequest {
        attr: ProgLoadAttr {
            prog_type,
            insns: ptr_to_u64(insns.as_ptr()),
            license: ptr_to_u64(license.as_ptr()),
            expected_attach_type,
            ..Default::default()
        },
        name: name.map(str::as_bytes),
        insn_cnt: insns.len(),
        log,
        ..Default::default()
    };
    // SAFETY: every address points into a live slice of the right length.
    let (res, size) = unsafe { load(&req) };
    (res, size.unwrap_or(0))
}

/// The mprog position options shared by attach and detach.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub flags: u32,
    pub relative_fd: i32,
    pub relative_id: u32,
    pub expected_revision: u64,
}

/// Builds the attr of `BPF_PROG_ATTACH`/`BPF_PROG_DETACH`: a relative id
/// adds `BPF_F_ID`; giving both a relative fd and id is `EINVAL`.
pub fn attach_attr(prog_fd: i32, target: i32, attach_type: u32, pos: Position, replace_fd: i32) -> Result<AttachAttr> {
    if pos.relative_fd != 0 && pos.relative_id != 0 {
        return Err(Error::INVAL);
    }
    let (attach_flags, relative) = if pos.relative_id != 0 {
        (pos.flags | BPF_F_ID, pos.relative_id)
    } else {
        (pos.flags, pos.relative_fd as u32)
    };
    Ok(AttachAttr {
        target_fd: target as u32,
        attach_bpf_fd: prog_fd as u32,
        attach_type,
        attach_flags,
        replace_bpf_fd: replace_fd as u32,
        relative_fd: relative,
        expected_revision: pos.expected_revision,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_id_sets_f_id() {
        let pos = Position { flags: 1, relative_id: 7, ..Default::default() };
        let a = attach_attr(3, 4, 0, pos, 0).unwrap();
        assert_eq!((a.attach_flags, a.relative_fd), (1 | BPF_F_ID, 7));
        let both = Position { relative_fd: 5, relative_id: 7, ..Default::default() };
        assert_eq!(attach_attr(3, 4, 0, both, 0).err(), Some(Error::INVAL));
    }

    #[test]
    fn record_tails_are_zeroed() {
        let src: Vec<u8> = (1..=12).collect();
        let out = unsafe { zero_record_tails(ptr_to_u64(src.as_ptr()), 2, 6, 4) }.unwrap();
        assert_eq!(out, vec![1, 2, 3, 4, 0, 0, 7, 8, 9, 10, 0, 0]);
    }

    #[test]
    fn bad_arguments_never_reach_the_kernel() {
        let req = LoadRequest { attempts: -1, ..Default::default() };
        assert_eq!(unsafe { load(&req) }.0.err(), Some(Error::INVAL));
        let req = LoadRequest { attach_prog_fd: 3, attach_btf_obj_fd: 4, ..Default::default() };
        let (res, size) = unsafe { load(&req) };
        assert_eq!((res.err(), size), (Some(Error::INVAL), None));
        let req = LoadRequest { log: LogBuf { buf: 0, size: 10, level: 0 }, ..Default::default() };
        assert_eq!(unsafe { load(&req) }.1, None);
    }
}
