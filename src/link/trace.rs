//! BTF-targeted tracing programs: fentry/fexit/fmod_ret/fsession, tp_btf,
//! LSM (and freplace onto the target chosen at load):
//! `bpf_program__attach_trace_opts()` and `bpf_program__attach_lsm()`.
//! A `BPF_LINK_CREATE` with the program's expected attach type; kernels
//! without it for these programs get `BPF_RAW_TRACEPOINT_OPEN`.

use crate::bpf_api::link::{create_link, LinkRequest, Target};
use crate::error::Result;

use super::{Link, Prog};

/// Attaches `prog` to the target it was loaded for, with `cookie` for
/// `bpf_get_attach_cookie()`. `EINVAL` for a program without fd, else the
/// kernel's answer (`EPERM` under lockdown).
pub fn attach(prog: &Prog, cookie: u64) -> Result<Link> {
    let prog_fd = prog.fd_or(super::NOT_LOADED)?;
    let req = request(prog_fd, prog.expected_attach_type, cookie);
    let fd = create_link(&req)
        .inspect_err(|e| crate::pr_warn!("prog '{}': failed to attach: {e}", prog.name))?;
    Ok(Link::from_fd(fd))
}

/// The `BPF_LINK_CREATE` of [`attach`].
pub fn request(prog_fd: i32, attach_type: u32, cookie: u64) -> LinkRequest<'static> {
    LinkRequest {
        prog_fd,
        target_fd: 0,
        attach_type,
        flags: 0,
        target: Target::Tracing { cookie },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uapi::bpf_enums::attach;

    #[test]
    fn link_create_attrs() {
        // fentry/fexit/fmod_ret/LSM (refused by lockdown on the test
        // machine): the program, no target, the cookie in `tracing`.
        for at in [
            attach::TRACE_FENTRY,
            attach::TRACE_FEXIT,
            attach::MODIFY_RETURN,
            attach::LSM_MAC,
            attach::TRACE_RAW_TP,
        ] {
            let a = request(7, at, 0x55).attr();
            assert_eq!(
                (a.prog_fd, a.target_fd, a.attach_type, a.flags),
                (7, 0, at, 0)
            );
            // `tracing`: target_btf_id (0) then the cookie.
            assert_eq!(a.target.words(), [0, 0x55, 0, 0, 0, 0]);
        }
        let p = Prog {
            name: "p".into(),
            ..Default::default()
        };
        assert_eq!(attach(&p, 0).unwrap_err(), crate::error::Error::INVAL);
    }
}
