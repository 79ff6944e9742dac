//! Function replacement (`bpf_program__attach_freplace()`): an EXT program
//! replacing a global function of another loaded BPF program.

use crate::bpf_api::link::Target;
use crate::error::{Error, Result};
use crate::uapi::bpf_enums::prog;

use super::{Link, Prog};

/// Attaches EXT program `p` in place of function `func` of program
/// `target_fd`, or (neither given) onto the target chosen at load.
/// `EINVAL` when only one of them is given, for a non-EXT program, a
/// target without BTF or no such function; else the kernel's answer.
pub fn attach(p: &Prog, target_fd: i32, func: Option<&str>) -> Result<Link> {
    if (target_fd != 0) != func.is_some() {
        crate::pr_warn!(
            "prog '{}': supply none or both of target_fd and attach_func_name",
            p.name
        );
        return Err(Error::INVAL);
    }
    if p.prog_type != prog::EXT {
        crate::pr_warn!(
            "prog '{}': only BPF_PROG_TYPE_EXT can attach as freplace",
            p.name
        );
        return Err(Error::INVAL);
    }
    match func {
        Some(func) => {
            let btf_id = crate::object::sanitize::find_prog_btf_id(func, target_fd as u32)?;
            super::attach_fd(p, target_fd, "freplace", 0, Target::BtfId(btf_id))
        }
        None => super::trace::attach(p, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bpf_api::link::LinkRequest;

    #[test]
    fn rules_and_link_create_attr() {
        let ext = Prog {
            name: "e".into(),
            prog_type: prog::EXT,
            ..Default::default()
        };
        assert_eq!(attach(&ext, 5, None).unwrap_err(), Error::INVAL);
        assert_eq!(attach(&ext, 0, Some("f")).unwrap_err(), Error::INVAL);
        let other = Prog {
            name: "o".into(),
            prog_type: prog::SCHED_CLS,
            ..Default::default()
        };
        assert_eq!(attach(&other, 0, None).unwrap_err(), Error::INVAL);
        // Onto function 42 of program fd 5: the target fd and the BTF id.
        let a = LinkRequest {
            prog_fd: 3,
            target_fd: 5,
            attach_type: 0,
            flags: 0,
            target: Target::BtfId(42),
        }
        .attr();
        assert_eq!((a.prog_fd, a.target_fd, a.attach_type), (3, 5, 0));
        assert_eq!(a.target.words(), [42, 0, 0, 0, 0, 0]);
    }
}
