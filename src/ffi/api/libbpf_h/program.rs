//! BPF programs (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::ffi::ctypes::*;
use crate::ffi::handles;
use crate::ffi::api::bpf_h::types::*;
use crate::ffi::api::libbpf_h::types::*;

/// Associates a loaded (non-struct_ops) program with a created struct_ops
/// map (`bpf_prog_assoc_struct_ops()`). `-EINVAL` when the program is not
/// loaded or is a struct_ops program, or the map is not a created
/// struct_ops map; otherwise the kernel's answer.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__assoc_struct_ops(prog: *mut bpf_program, map: *mut bpf_map, opts: *mut bpf_prog_assoc_struct_ops_opts) -> c_int {
    crate::ffi::entry::ffi("bpf_program__assoc_struct_ops", || {
        // SAFETY: `prog` and `map` are NULL or live handles.
        let (h, i) = unsafe { handles::program(prog) }?;
        let p = &h.obj.programs[i];
        let Ok(prog_fd) = p.raw_fd() else {
            crate::pr_warn!("prog '{}': can't associate BPF program without FD (was it loaded?)", p.name_str());
            return Err(crate::error::Error::INVAL);
        };
        if p.prog_type == crate::uapi::bpf_enums::prog::STRUCT_OPS {
            crate::pr_warn!("prog '{}': can't associate struct_ops program", p.name_str());
            return Err(crate::error::Error::INVAL);
        }
        // SAFETY: `map` is NULL or a live map handle.
        let map_fd = unsafe { crate::ffi::api::libbpf_h::map::bpf_map__fd(map) };
        // SAFETY: as above.
        let mut r = unsafe { handles::map(map) }?;
        let m = r.map()?;
        if map_fd < 0 {
            crate::pr_warn!("map '{}': can't associate BPF map without FD (was it created?)", m.name_str());
            return Err(crate::error::Error::INVAL);
        }
        if !m.is_struct_ops() {
            crate::pr_warn!("map '{}': can't associate non-struct_ops map", m.name_str());
            return Err(crate::error::Error::INVAL);
        }
        // SAFETY: `opts` is NULL or the caller's options.
        let ret = unsafe { crate::ffi::api::bpf_h::prog::bpf_prog_assoc_struct_ops(prog_fd, map_fd, opts) };
        if ret < 0 {
            return Err(crate::error::Error::new(ret));
        }
        Ok(ret)
    })
}

/// Whether skeleton attaching attaches this program (true by default).
#[no_mangle]
pub unsafe extern "C" fn bpf_program__autoattach(prog: *const bpf_program) -> bool {
    crate::ffi::entry::ffi("bpf_program__autoattach", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { handles::prog_mut(prog) }?;
        Ok(p.autoattach)
    })
}

/// Whether the program is loaded with its object (false for `SEC("?...")`).
#[no_mangle]
pub unsafe extern "C" fn bpf_program__autoload(prog: *const bpf_program) -> bool {
    crate::ffi::entry::ffi("bpf_program__autoload", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { handles::prog_mut(prog) }?;
        Ok(p.autoload)
    })
}

/// Loads another instance of a program of a prepared (or loaded) object
/// and returns its fd, which the caller owns. Fields of `opts` left zero
/// take the program's or object's values; func/line info triples must be
/// all set or all zero; the log is only the caller's. The SEC() handler's
/// load preparation runs as for a normal load. `-EINVAL` before
/// `bpf_object__prepare()`, for NULL or bad opts.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__clone(prog: *mut bpf_program, opts: *const bpf_prog_load_opts) -> c_int {
    crate::ffi::entry::ffi("bpf_program__clone", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let (h, i) = unsafe { handles::program(prog) }?;
        let p = h as *mut handles::ObjectHandle;
        // SAFETY: `opts` is NULL or the caller's options.
        let o = unsafe { crate::ffi::opts::read(opts) }?;
        let info = |ptr: *const c_void, cnt: u32, rec: u32| crate::object::load::InfoSrc::User {
            // SAFETY: the caller's records stay valid for the call.
            mem: unsafe { crate::object::UserMem::new(ptr as usize, cnt as usize * rec as usize) },
            cnt,
            rec_size: rec,
        };
        // SAFETY: the fd array and log buffer stay valid for the call.
        let (fd_array, log_buf) = unsafe {
            (
                crate::object::UserMem::new(o.fd_array as usize, o.fd_array_cnt as usize * 4),
                crate::object::UserMem::new(o.log_buf as usize, o.log_size as usize),
            )
        };
        let clone = crate::object::load::CloneOpts {
            attrs: crate::object::load::ProgLoadAttrs {
                expected_attach_type: o.expected_attach_type,
                prog_btf_fd: o.prog_btf_fd,
                prog_flags: o.prog_flags,
                prog_ifindex: o.prog_ifindex,
                kern_version: o.kern_version,
                attach_btf_id: o.attach_btf_id,
                attach_prog_fd: o.attach_prog_fd,
                attach_btf_obj_fd: o.attach_btf_obj_fd,
                fd_array,
                fd_array_cnt: o.fd_array_cnt,
                func_info: info(o.func_info, o.func_info_cnt, o.func_info_rec_size),
                line_info: info(o.line_info, o.line_info_cnt, o.line_info_rec_size),
                log_level: o.log_level,
                log_buf,
                token_fd: o.token_fd,
            },
            log_size: o.log_size,
        };
        let cell = handles::Cell(p);
        let fd = crate::object::load::clone_program(&cell, &crate::ffi::api::libbpf_h::object::CHandlers(p), i, &clone)?;
        Ok(crate::sys::fd::release(fd))
    })
}

/// The expected attach type passed at load (`BPF_*`).
#[no_mangle]
pub unsafe extern "C" fn bpf_program__expected_attach_type(prog: *const bpf_program) -> enum_bpf_attach_type {
    crate::ffi::entry::ffi("bpf_program__expected_attach_type", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { handles::prog_mut(prog) }?;
        Ok(p.expected_attach_type)
    })
}

/// The program's fd once loaded; `-ENOENT` before (or after a failed
/// load), `-EINVAL` for NULL.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__fd(prog: *const bpf_program) -> c_int {
    crate::ffi::entry::ffi("bpf_program__fd", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { handles::prog_mut(prog) }?;
        p.raw_fd()
    })
}

/// Extra `BPF_F_*` load flags set with `bpf_program__set_flags()`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__flags(prog: *const bpf_program) -> __u32 {
    crate::ffi::entry::ffi("bpf_program__flags", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { handles::prog_mut(prog) }?;
        Ok(p.prog_flags)
    })
}

/// The func_info records prepared for the kernel (after prepare), or NULL
/// with `errno = EOPNOTSUPP` when there are none in `struct bpf_func_info` form.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__func_info(prog: *const bpf_program) -> *mut bpf_func_info {
    crate::ffi::entry::ffi("bpf_program__func_info", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { handles::prog_mut(prog) }?;
        if p.func_info.rec_size as usize != core::mem::size_of::<bpf_func_info>() {
            return Err(crate::error::Error::NOT_SUPPORTED);
        }
        Ok(p.func_info.words.as_mut_ptr().cast())
    })
}

/// Number of func_info records prepared for the kernel (after prepare).
#[no_mangle]
pub unsafe extern "C" fn bpf_program__func_info_cnt(prog: *const bpf_program) -> __u32 {
    crate::ffi::entry::ffi("bpf_program__func_info_cnt", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { handles::prog_mut(prog) }?;
        Ok(p.func_info.count())
    })
}

/// Number of instructions of the program: its own before loading
/// preparation, then with the subprograms it uses appended.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__insn_cnt(prog: *const bpf_program) -> size_t {
    crate::ffi::entry::ffi("bpf_program__insn_cnt", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { handles::prog_mut(prog) }?;
        Ok(p.insns.len())
    })
}

/// The program's instructions (see `bpf_program__insn_cnt()`); after
/// `bpf_object__prepare()` or load they are relocated. Valid until the
/// instructions are changed or the object closed.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__insns(prog: *const bpf_program) -> *const bpf_insn {
    crate::ffi::entry::ffi("bpf_program__insns", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { handles::prog_mut(prog) }?;
        Ok(p.insns.as_ptr())
    })
}

/// The line_info records prepared for the kernel (after prepare), or NULL
/// with `errno = EOPNOTSUPP` when there are none in `struct bpf_line_info` form.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__line_info(prog: *const bpf_program) -> *mut bpf_line_info {
    crate::ffi::entry::ffi("bpf_program__line_info", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { handles::prog_mut(prog) }?;
        if p.line_info.rec_size as usize != core::mem::size_of::<bpf_line_info>() {
            return Err(crate::error::Error::NOT_SUPPORTED);
        }
        Ok(p.line_info.words.as_mut_ptr().cast())
    })
}

/// Number of line_info records prepared for the kernel (after prepare).
#[no_mangle]
pub unsafe extern "C" fn bpf_program__line_info_cnt(prog: *const bpf_program) -> __u32 {
    crate::ffi::entry::ffi("bpf_program__line_info_cnt", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { handles::prog_mut(prog) }?;
        Ok(p.line_info.count())
    })
}

/// The log buffer set with `bpf_program__set_log_buf()` (its size in
/// `*log_size`), or NULL.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__log_buf(prog: *const bpf_program, log_size: *mut size_t) -> *const c_char {
    crate::ffi::entry::ffi("bpf_program__log_buf", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { handles::prog_mut(prog) }?;
        if !log_size.is_null() {
            // SAFETY: the caller passes a writable size_t.
            unsafe { *log_size = p.log_buf.len() };
        }
        Ok(p.log_buf.addr() as *const c_char)
    })
}

/// The verifier log level of this program (the object's by default).
#[no_mangle]
pub unsafe extern "C" fn bpf_program__log_level(prog: *const bpf_program) -> __u32 {
    crate::ffi::entry::ffi("bpf_program__log_level", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { handles::prog_mut(prog) }?;
        Ok(p.log_level)
    })
}

/// The program's name (its function name).
#[no_mangle]
pub unsafe extern "C" fn bpf_program__name(prog: *const bpf_program) -> *const c_char {
    crate::ffi::entry::ffi("bpf_program__name", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { handles::prog_mut(prog) }?;
        Ok(p.name.as_ptr())
    })
}

/// Pins the loaded program at `path` (on bpffs; missing parent directory
/// created). `-EINVAL` when not loaded or not on bpffs.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__pin(prog: *mut bpf_program, path: *const c_char) -> c_int {
    crate::ffi::entry::ffi("bpf_program__pin", || {
        // SAFETY: `prog` is NULL or a live program handle; `path` a C string.
        let (h, i) = unsafe { handles::program(prog) }?;
        // SAFETY: as above.
        let path = unsafe { crate::ffi::cstr::string(path) }.ok_or(crate::error::Error::INVAL)?;
        h.obj.pin_program(i, &path).map(|()| 0)
    })
}

/// The program's ELF section name, without the leading `?` of `SEC("?...")`.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__section_name(prog: *const bpf_program) -> *const c_char {
    crate::ffi::entry::ffi("bpf_program__section_name", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { handles::prog_mut(prog) }?;
        Ok(p.sec_name.as_ptr())
    })
}

/// Sets what an fentry/fexit/freplace/... program attaches to:
/// `attach_prog_fd` (a loaded BPF program; with a NULL name its function is
/// resolved from the SEC() name at load) and/or `attach_func_name`, a
/// function of that program or, without a program, of the kernel (found in
/// vmlinux BTF). `-EINVAL` for a negative fd, a missing name, or once
/// loaded; `-ESRCH` when the kernel has no such function.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__set_attach_target(prog: *mut bpf_program, attach_prog_fd: c_int, attach_func_name: *const c_char) -> c_int {
    crate::ffi::entry::ffi("bpf_program__set_attach_target", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let (h, i) = unsafe { handles::program(prog) }?;
        // SAFETY: `attach_func_name` is NULL or a C string.
        let name = unsafe { crate::ffi::cstr::string(attach_func_name) };
        h.obj.set_attach_target(i, attach_prog_fd, name.as_deref()).map(|()| 0)
    })
}

/// Chooses whether skeleton attaching attaches this program.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__set_autoattach(prog: *mut bpf_program, autoattach: bool) {
    // SAFETY: `prog` is NULL or a live program handle.
    if let Ok(p) = unsafe { handles::prog_mut(prog) } {
        p.autoattach = autoattach;
    }
}

/// Chooses whether the program is loaded with its object. `-EINVAL` once
/// the object was loaded.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__set_autoload(prog: *mut bpf_program, autoload: bool) -> c_int {
    crate::ffi::entry::ffi("bpf_program__set_autoload", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let (h, i) = unsafe { handles::program(prog) }?;
        let state = h.obj.state;
        let p = &mut h.obj.programs[i];
        if state >= crate::object::State::Loaded {
            return Err(crate::error::Error::INVAL);
        }
        p.autoload = autoload;
        Ok(0)
    })
}

/// Sets the expected attach type. `-EBUSY` once loaded.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__set_expected_attach_type(prog: *mut bpf_program, r#type: enum_bpf_attach_type) -> c_int {
    crate::ffi::entry::ffi("bpf_program__set_expected_attach_type", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let (h, i) = unsafe { handles::program(prog) }?;
        let state = h.obj.state;
        let p = &mut h.obj.programs[i];
        if state >= crate::object::State::Loaded {
            return Err(crate::error::Error::BUSY);
        }
        p.expected_attach_type = r#type;
        Ok(0)
    })
}

/// Sets extra `BPF_F_*` load flags (replacing earlier ones). `-EBUSY` once loaded.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__set_flags(prog: *mut bpf_program, flags: __u32) -> c_int {
    crate::ffi::entry::ffi("bpf_program__set_flags", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let (h, i) = unsafe { handles::program(prog) }?;
        let state = h.obj.state;
        let p = &mut h.obj.programs[i];
        if state >= crate::object::State::Loaded {
            return Err(crate::error::Error::BUSY);
        }
        p.prog_flags = flags;
        Ok(0)
    })
}

/// Sets the network device to offload the program to (0: none).
#[no_mangle]
pub unsafe extern "C" fn bpf_program__set_ifindex(prog: *mut bpf_program, ifindex: __u32) {
    // SAFETY: `prog` is NULL or a live program handle.
    if let Ok(p) = unsafe { handles::prog_mut(prog) } {
        p.ifindex = ifindex;
    }
}

/// Replaces the program's instructions (copied). Meant for the
/// `prog_prepare_load_fn` of a custom SEC() handler. `-EBUSY` once loaded.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__set_insns(prog: *mut bpf_program, new_insns: *mut bpf_insn, new_insn_cnt: size_t) -> c_int {
    crate::ffi::entry::ffi("bpf_program__set_insns", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let (h, i) = unsafe { handles::program(prog) }?;
        let state = h.obj.state;
        let p = &mut h.obj.programs[i];
        let insns = if new_insn_cnt == 0 || new_insns.is_null() {
            &[][..]
        } else {
            // SAFETY: the caller passes `new_insn_cnt` readable instructions.
            unsafe { core::slice::from_raw_parts(new_insns, new_insn_cnt) }
        };
        p.set_insns(state, insns).map(|()| 0)
    })
}

/// Sets a buffer for this program's verifier log (it wins over the
/// object's). `-EINVAL` for a size without buffer, `-EBUSY` once loaded.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__set_log_buf(prog: *mut bpf_program, log_buf: *mut c_char, log_size: size_t) -> c_int {
    crate::ffi::entry::ffi("bpf_program__set_log_buf", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let (h, i) = unsafe { handles::program(prog) }?;
        let state = h.obj.state;
        let p = &mut h.obj.programs[i];
        // SAFETY: the application keeps its log buffer valid until the
        // program is loaded (libbpf's contract).
        let buf = unsafe { crate::object::UserMem::new(log_buf as usize, log_size) };
        p.set_log_buf(state, buf).map(|()| 0)
    })
}

/// Sets the verifier log level of this program. `-EBUSY` once loaded.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__set_log_level(prog: *mut bpf_program, log_level: __u32) -> c_int {
    crate::ffi::entry::ffi("bpf_program__set_log_level", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let (h, i) = unsafe { handles::program(prog) }?;
        let state = h.obj.state;
        let p = &mut h.obj.programs[i];
        if state >= crate::object::State::Loaded {
            return Err(crate::error::Error::BUSY);
        }
        p.log_level = log_level;
        Ok(0)
    })
}

/// Sets the program type; a different type drops the SEC() handler (other
/// than the application's fallback handler). `-EBUSY` once loaded.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__set_type(prog: *mut bpf_program, r#type: enum_bpf_prog_type) -> c_int {
    crate::ffi::entry::ffi("bpf_program__set_type", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let (h, i) = unsafe { handles::program(prog) }?;
        let state = h.obj.state;
        let p = &mut h.obj.programs[i];
        p.set_type(state, r#type).map(|()| 0)
    })
}

/// The program type (`BPF_PROG_TYPE_*`), as its SEC() name implies unless set.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__type(prog: *const bpf_program) -> enum_bpf_prog_type {
    crate::ffi::entry::ffi("bpf_program__type", || {
        // SAFETY: `prog` is NULL or a live program handle.
        let p = unsafe { handles::prog_mut(prog) }?;
        Ok(p.prog_type)
    })
}

/// Unloads the program: closes its fd and drops its prepared func/line
/// info. The object keeps the program and can not load it again.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__unload(prog: *mut bpf_program) {
    // SAFETY: `prog` is NULL or a live program handle.
    if let Ok(p) = unsafe { handles::prog_mut(prog) } {
        p.unload();
    }
}

/// Removes the program's pin at `path`. `-EINVAL` when not loaded or not
/// on bpffs.
#[no_mangle]
pub unsafe extern "C" fn bpf_program__unpin(prog: *mut bpf_program, path: *const c_char) -> c_int {
    crate::ffi::entry::ffi("bpf_program__unpin", || {
        // SAFETY: `prog` is NULL or a live program handle; `path` a C string.
        let (h, i) = unsafe { handles::program(prog) }?;
        // SAFETY: as above.
        let path = unsafe { crate::ffi::cstr::string(path) }.ok_or(crate::error::Error::INVAL)?;
        h.obj.unpin_program(i, &path).map(|()| 0)
    })
}
