//! BPF objects (`libbpf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::ffi::ctypes::*;
use crate::ffi::handles;
use crate::ffi::api::btf_h::types::*;
use crate::ffi::api::libbpf_h::types::*;

/// The object's BTF (owned by the object: valid until it is closed), or
/// NULL when it has none.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__btf(obj: *const bpf_object) -> *mut btf {
    // SAFETY: `obj` is NULL or a live handle.
    match unsafe { handles::object(obj) } {
        Ok(h) => h.obj.btf.as_ref().map_or(core::ptr::null_mut(), crate::ffi::btf_handle::btf_as_c),
        Err(_) => core::ptr::null_mut(),
    }
}

/// The fd of the object's BTF in the kernel, or -1 when it has none loaded.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__btf_fd(obj: *const bpf_object) -> c_int {
    // SAFETY: `obj` is NULL or a live handle.
    unsafe { handles::object(obj) }.ok().and_then(|h| h.obj.btf_raw_fd()).unwrap_or(-1)
}

/// Closes an object: every program, map, BTF and token fd it holds is
/// closed and every mapping unmapped. NULL (or an error pointer) is ignored.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__close(obj: *mut bpf_object) {
    if (obj as isize) < 0 && (obj as isize) > -4096 {
        return;
    }
    // SAFETY: `obj` is NULL or a handle from bpf_object__open*(), not used afterwards.
    unsafe { crate::ffi::handles::free_object(obj) }
}

/// The map named `name` (a name starting with a dot is the section name
/// of a global data map, such as `".rodata"`), or NULL with `errno = ENOENT`.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__find_map_by_name(obj: *const bpf_object, name: *const c_char) -> *mut bpf_map {
    crate::ffi::entry::ffi("bpf_object__find_map_by_name", || {
        // SAFETY: `obj` is NULL or a live handle; `name` a C string.
        let (h, name) = unsafe { (handles::object(obj)?, crate::ffi::cstr::bytes(name).ok_or(crate::error::Error::INVAL)?) };
        h.obj.find_map(name).map(|i| h.map_ptr(i, false)).ok_or(crate::error::Error::NOENT)
    })
}

/// The fd of the map named `name`: -1 before the map is created,
/// `-ENOENT` when there is no such map.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__find_map_fd_by_name(obj: *const bpf_object, name: *const c_char) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { crate::ffi::api::libbpf_h::map::bpf_map__fd(bpf_object__find_map_by_name(obj, name)) }
}

/// The entry-point program named `name`, or NULL with `errno = ENOENT`.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__find_program_by_name(obj: *const bpf_object, name: *const c_char) -> *mut bpf_program {
    crate::ffi::entry::ffi("bpf_object__find_program_by_name", || {
        // SAFETY: `obj` is NULL or a live handle; `name` a C string.
        let (h, name) = unsafe { (handles::object(obj)?, crate::ffi::cstr::bytes(name).ok_or(crate::error::Error::INVAL)?) };
        h.obj.find_program(name).map(|i| h.prog_ptr(i)).ok_or(crate::error::Error::NOENT)
    })
}

/// Makes the next `bpf_object__load()` generate a loader program instead
/// of loading: a `BPF_PROG_TYPE_SYSCALL` program and its data that, run by
/// a light skeleton (`skel_internal.h`'s `bpf_load_and_run()`), load the
/// object's BTF, maps and programs in the kernel it runs on. After a
/// successful load, `opts->insns`/`insns_sz` and `opts->data`/`data_sz`
/// describe the loader (memory owned by the object, valid until
/// `bpf_object__close()`); with `opts->gen_hash` the loader first checks
/// the SHA-256 of its data map (signed loaders). `opts` must stay valid
/// until the load. Returns 0, `-EFAULT` for NULL `opts`, `-EINVAL` for bad
/// options or a NULL object.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__gen_loader(obj: *mut bpf_object, opts: *mut gen_loader_opts) -> c_int {
    crate::ffi::entry::ffi("bpf_object__gen_loader", || {
        if opts.is_null() {
            return Err(crate::error::Error::new(libc::EFAULT));
        }
        // SAFETY: `opts` points to the caller's struct, starting with its size.
        unsafe { crate::ffi::opts::read(opts) }?;
        // SAFETY: `obj` is NULL or a live handle.
        let h = unsafe { handles::object(obj) }?;
        h.obj.set_gen_loader(Box::new(GenOptsSink(opts)));
        Ok(0)
    })
}

/// Where a generated loader goes: the application's `gen_loader_opts`,
/// which libbpf's contract keeps valid until the load.
struct GenOptsSink(*mut gen_loader_opts);

impl crate::object::gen_loader::Sink for GenOptsSink {
    fn gen_hash(&self) -> bool {
        // SAFETY: the caller's options, validated when they were given.
        unsafe { crate::ffi::opts::read(self.0) }.is_ok_and(|o| o.gen_hash)
    }

    fn report(&self, insns: &[u8], data: &[u8]) {
        crate::opts_set!(self.0, gen_loader_opts, insns, insns.as_ptr().cast());
        crate::opts_set!(self.0, gen_loader_opts, insns_sz, insns.len() as __u32);
        crate::opts_set!(self.0, gen_loader_opts, data, data.as_ptr().cast());
        crate::opts_set!(self.0, gen_loader_opts, data_sz, data.len() as __u32);
    }
}

/// The kernel version the object carries (its `version` section, else the
/// running kernel's); 0 for a NULL object.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__kversion(obj: *const bpf_object) -> c_uint {
    // SAFETY: `obj` is NULL or a live handle.
    unsafe { handles::object(obj) }.map_or(0, |h| h.obj.kern_version)
}

/// Loads the object: prepares it if `bpf_object__prepare()` was not
/// called (maps created, pinned maps reused or pinned, programs relocated),
/// then loads every autoloaded program and fills prog arrays. On failure
/// every map and program fd is closed and the object can not be loaded
/// again. 0 on success, a negative errno otherwise (`-EINVAL` when loaded
/// before).
#[no_mangle]
pub unsafe extern "C" fn bpf_object__load(obj: *mut bpf_object) -> c_int {
    crate::ffi::entry::ffi("bpf_object__load", || {
        // SAFETY: `obj` is NULL or a live handle; no borrow is kept.
        unsafe { handles::object(obj) }?;
        let p = obj.cast::<handles::ObjectHandle>();
        crate::object::load::load(&handles::Cell(p), &CHandlers(p)).map(|()| 0)
    })
}

/// The object's name (at most 15 characters), or NULL with `errno =
/// EINVAL` for a NULL object.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__name(obj: *const bpf_object) -> *const c_char {
    crate::ffi::entry::ffi("bpf_object__name", || {
        // SAFETY: `obj` is NULL or a live handle.
        let h = unsafe { handles::object(obj) }?;
        Ok(h.obj.name.as_ptr())
    })
}

/// The map after `map` (the first one when `map` is NULL); NULL at the end.
/// NULL with `errno = EINVAL` for a NULL object or a map of another object.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__next_map(obj: *const bpf_object, map: *const bpf_map) -> *mut bpf_map {
    // SAFETY: `obj` and `map` are NULL or live handles.
    unsafe { step_map(obj, map, true) }
}

/// The entry-point program after `prog` (the first one when `prog` is
/// NULL), skipping subprograms; NULL at the end. NULL with `errno =
/// EINVAL` when `prog` belongs to another object.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__next_program(obj: *const bpf_object, prog: *mut bpf_program) -> *mut bpf_program {
    // SAFETY: `obj` and `prog` are NULL or live handles.
    unsafe { step_program(obj, prog, true) }
}

/// Opens the BPF object file at `path` with default options (see
/// `bpf_object__open_file()`). NULL with `errno` set on failure.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__open(path: *const c_char) -> *mut bpf_object {
    // SAFETY: forwarded from the caller.
    unsafe { bpf_object__open_file(path, core::ptr::null()) }
}

/// Opens the BPF ELF object at `path`: parses its programs, maps, BTF and
/// relocations, nothing is created in the kernel yet. `opts` may be NULL.
/// Returns the object, or NULL with `errno` set: `EINVAL` (NULL path, bad
/// options), the file's open error, `LIBBPF_ERRNO__FORMAT` for a malformed
/// object, `EOPNOTSUPP` for a legacy `SEC("maps")` section.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__open_file(path: *const c_char, opts: *const bpf_object_open_opts) -> *mut bpf_object {
    crate::ffi::entry::ffi("bpf_object__open_file", || {
        // SAFETY: the caller passes a C string (checked for NULL).
        let path = unsafe { crate::ffi::cstr::string(path) }.ok_or(crate::error::Error::INVAL)?;
        // SAFETY: `opts` is NULL or points to the caller's options.
        let opts = unsafe { open_options(opts) }?;
        let obj = crate::object::open::open_file(&path, &opts)?;
        finish_open(obj)
    })
}

/// Opens a BPF ELF object held in memory (`obj_buf_sz` bytes at
/// `obj_buf`, not kept after the call). Its default name is
/// `"<address>-<size>"` in hex unless `opts->object_name` says otherwise.
/// Returns the object, or NULL with `errno` set (`EINVAL` for a NULL or
/// empty buffer; otherwise as `bpf_object__open_file()`).
#[no_mangle]
pub unsafe extern "C" fn bpf_object__open_mem(obj_buf: *const c_void, obj_buf_sz: size_t, opts: *const bpf_object_open_opts) -> *mut bpf_object {
    crate::ffi::entry::ffi("bpf_object__open_mem", || {
        if obj_buf.is_null() || obj_buf_sz == 0 {
            return Err(crate::error::Error::INVAL);
        }
        // SAFETY: `opts` is NULL or points to the caller's options.
        let opts = unsafe { open_options(opts) }?;
        // SAFETY: the caller's buffer holds `obj_buf_sz` readable bytes for the call.
        let bytes = unsafe { core::slice::from_raw_parts(obj_buf.cast::<u8>(), obj_buf_sz) };
        let name = format!("{:x}-{:x}", obj_buf as usize, obj_buf_sz);
        let obj = crate::object::open::open_mem(bytes, name.as_bytes(), &opts)?;
        finish_open(obj)
    })
}

/// Pins the object's maps and then its programs under `path` (see
/// `bpf_object__pin_maps()` and `bpf_object__pin_programs()`).
#[no_mangle]
pub unsafe extern "C" fn bpf_object__pin(obj: *mut bpf_object, path: *const c_char) -> c_int {
    crate::ffi::entry::ffi("bpf_object__pin", || {
        // SAFETY: `obj` is NULL or a live handle.
        let h = unsafe { handles::object(obj) }.map_err(|_| crate::error::Error::new(libc::ENOENT))?;
        // SAFETY: `path` is NULL or a C string.
        let path = unsafe { crate::ffi::cstr::string(path) }.ok_or(crate::error::Error::INVAL)?;
        h.obj.pin(&path).map(|()| 0)
    })
}

/// Pins every created map at `<path>/<map name>` (dots in names become
/// underscores), or each at its own pin path when `path` is NULL (maps
/// without one are skipped). On failure the maps pinned so far are
/// unpinned. `-ENOENT` for a NULL object or one not prepared yet; paths
/// must be on bpffs (`-EINVAL`).
#[no_mangle]
pub unsafe extern "C" fn bpf_object__pin_maps(obj: *mut bpf_object, path: *const c_char) -> c_int {
    crate::ffi::entry::ffi("bpf_object__pin_maps", || {
        // SAFETY: `obj` is NULL or a live handle.
        let h = unsafe { handles::object(obj) }.map_err(|_| crate::error::Error::new(libc::ENOENT))?;
        // SAFETY: `path` is NULL or a C string.
        let path = unsafe { crate::ffi::cstr::string(path) };
        h.obj.pin_maps(path.as_deref()).map(|()| 0)
    })
}

/// Pins every program at `<path>/<program name>`; on failure those pinned
/// so far are unpinned. `-ENOENT` for a NULL or not loaded object.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__pin_programs(obj: *mut bpf_object, path: *const c_char) -> c_int {
    crate::ffi::entry::ffi("bpf_object__pin_programs", || {
        // SAFETY: `obj` is NULL or a live handle.
        let h = unsafe { handles::object(obj) }.map_err(|_| crate::error::Error::new(libc::ENOENT))?;
        // SAFETY: `path` is NULL or a C string.
        let path = unsafe { crate::ffi::cstr::string(path) }.ok_or(crate::error::Error::INVAL)?;
        h.obj.pin_programs(&path).map(|()| 0)
    })
}

/// Prepares the object without loading programs: BTF loaded, maps created
/// (or reused), programs relocated — `bpf_program__insns()` then shows the
/// final code and `bpf_program__clone()` can load copies. 0 on success;
/// `-EINVAL` when prepared or loaded before; on failure every fd is closed.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__prepare(obj: *mut bpf_object) -> c_int {
    crate::ffi::entry::ffi("bpf_object__prepare", || {
        // SAFETY: `obj` is NULL or a live handle; no borrow is kept.
        unsafe { handles::object(obj) }?;
        crate::object::load::prepare(&handles::Cell(obj.cast())).map(|()| 0)
    })
}

/// The map before `map` (the last one when `map` is NULL); NULL at the
/// start. NULL with `errno = EINVAL` for a NULL object or a map of another
/// object.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__prev_map(obj: *const bpf_object, map: *const bpf_map) -> *mut bpf_map {
    // SAFETY: `obj` and `map` are NULL or live handles.
    unsafe { step_map(obj, map, false) }
}

/// The entry-point program before `prog` (the last one when `prog` is
/// NULL); NULL at the start. NULL with `errno = EINVAL` when `prog` belongs
/// to another object.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__prev_program(obj: *const bpf_object, prog: *mut bpf_program) -> *mut bpf_program {
    // SAFETY: `obj` and `prog` are NULL or live handles.
    unsafe { step_program(obj, prog, false) }
}

/// Sets the kernel version passed when loading programs. `-EINVAL` once
/// the object was loaded (or a load was attempted).
#[no_mangle]
pub unsafe extern "C" fn bpf_object__set_kversion(obj: *mut bpf_object, kern_version: __u32) -> c_int {
    crate::ffi::entry::ffi("bpf_object__set_kversion", || {
        // SAFETY: `obj` is NULL or a live handle.
        let h = unsafe { handles::object(obj) }?;
        h.obj.set_kversion(kern_version).map(|()| 0)
    })
}

/// The fd of the BPF token the object uses, or -1 when it uses none.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__token_fd(obj: *const bpf_object) -> c_int {
    // SAFETY: `obj` is NULL or a live handle.
    unsafe { handles::object(obj) }.ok().and_then(|h| h.obj.token_raw_fd()).unwrap_or(-1)
}

/// Unpins the object's programs and then its maps from under `path`.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__unpin(obj: *mut bpf_object, path: *const c_char) -> c_int {
    crate::ffi::entry::ffi("bpf_object__unpin", || {
        // SAFETY: `obj` is NULL or a live handle.
        let h = unsafe { handles::object(obj) }.map_err(|_| crate::error::Error::new(libc::ENOENT))?;
        // SAFETY: `path` is NULL or a C string.
        let path = unsafe { crate::ffi::cstr::string(path) }.ok_or(crate::error::Error::INVAL)?;
        h.obj.unpin(&path).map(|()| 0)
    })
}

/// Unpins every map from `<path>/<map name>`, or from its own pin path
/// when `path` is NULL. `-ENOENT` for a NULL object.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__unpin_maps(obj: *mut bpf_object, path: *const c_char) -> c_int {
    crate::ffi::entry::ffi("bpf_object__unpin_maps", || {
        // SAFETY: `obj` is NULL or a live handle.
        let h = unsafe { handles::object(obj) }.map_err(|_| crate::error::Error::new(libc::ENOENT))?;
        // SAFETY: `path` is NULL or a C string.
        let path = unsafe { crate::ffi::cstr::string(path) };
        h.obj.unpin_maps(path.as_deref()).map(|()| 0)
    })
}

/// Unpins every program from `<path>/<program name>`. `-ENOENT` for a
/// NULL object.
#[no_mangle]
pub unsafe extern "C" fn bpf_object__unpin_programs(obj: *mut bpf_object, path: *const c_char) -> c_int {
    crate::ffi::entry::ffi("bpf_object__unpin_programs", || {
        // SAFETY: `obj` is NULL or a live handle.
        let h = unsafe { handles::object(obj) }.map_err(|_| crate::error::Error::new(libc::ENOENT))?;
        // SAFETY: `path` is NULL or a C string.
        let path = unsafe { crate::ffi::cstr::string(path) }.ok_or(crate::error::Error::INVAL)?;
        h.obj.unpin_programs(&path).map(|()| 0)
    })
}

/// Converts the caller's open options.
///
/// # Safety
/// `opts` is NULL or points to at least `opts->sz` readable bytes whose
/// string fields are NULL or C strings.
pub(crate) unsafe fn open_options(opts: *const bpf_object_open_opts) -> crate::error::Result<crate::object::OpenOptions> {
    // SAFETY: per the contract.
    let o = unsafe { crate::ffi::opts::read(opts) }?;
    // SAFETY: string fields are NULL or C strings (contract); the log
    // buffer stays valid while the object lives (libbpf's contract).
    unsafe {
        Ok(crate::object::OpenOptions {
            object_name: crate::ffi::cstr::bytes(o.object_name).map(<[u8]>::to_vec),
            relaxed_maps: o.relaxed_maps,
            pin_root_path: crate::ffi::cstr::string(o.pin_root_path),
            kconfig: crate::ffi::cstr::string(o.kconfig),
            btf_custom_path: crate::ffi::cstr::string(o.btf_custom_path),
            kernel_log_buf: crate::object::UserMem::new(o.kernel_log_buf as usize, o.kernel_log_size),
            kernel_log_level: o.kernel_log_level,
            bpf_token_path: crate::ffi::cstr::string(o.bpf_token_path),
        })
    }
}

/// Calls custom SEC() handler callbacks with C program handles.
pub(crate) struct CHandlers(pub *mut handles::ObjectHandle);

impl crate::object::HandlerCalls for CHandlers {
    fn setup(&self, prog: usize, func: usize, cookie: i64) -> i32 {
        // SAFETY: the handle is live; only the address is read here.
        let p = unsafe { (*self.0).prog_ptr(prog) };
        // SAFETY: `func` is the address of the application's
        // `libbpf_prog_setup_fn_t` callback, registered as such.
        let f: unsafe extern "C" fn(*mut bpf_program, c_long) -> c_int = unsafe { core::mem::transmute(func) };
        // SAFETY: calling the application's callback with a live program handle.
        unsafe { f(p, cookie as c_long) }
    }

    fn prepare_load(&self, prog: usize, func: usize, cookie: i64, attrs: &mut crate::object::load::ProgLoadAttrs) -> i32 {
        use crate::object::load::InfoSrc;
        use crate::object::ObjectCell;
        let cell = handles::Cell(self.0);
        // The program's own records, as the callback sees them.
        let own = cell.with(|o| {
            let p = &o.programs[prog];
            let f = (p.func_info.words.as_ptr() as usize, p.func_info.count(), p.func_info.rec_size);
            let l = (p.line_info.words.as_ptr() as usize, p.line_info.count(), p.line_info.rec_size);
            (f, l)
        });
        let out = |src: InfoSrc, own: (usize, u32, u32)| match src {
            InfoSrc::None => (0usize, 0u32, 0u32),
            InfoSrc::Program => own,
            InfoSrc::User { mem, cnt, rec_size } => (mem.addr(), cnt, rec_size),
        };
        let (fi, li) = (out(attrs.func_info, own.0), out(attrs.line_info, own.1));
        let mut opts = crate::ffi::api::bpf_h::types::bpf_prog_load_opts {
            sz: core::mem::size_of::<crate::ffi::api::bpf_h::types::bpf_prog_load_opts>(),
            attempts: 0,
            expected_attach_type: attrs.expected_attach_type,
            prog_btf_fd: attrs.prog_btf_fd,
            prog_flags: attrs.prog_flags,
            prog_ifindex: attrs.prog_ifindex,
            kern_version: attrs.kern_version,
            attach_btf_id: attrs.attach_btf_id,
            attach_prog_fd: attrs.attach_prog_fd,
            attach_btf_obj_fd: attrs.attach_btf_obj_fd,
            fd_array: attrs.fd_array.addr() as *const c_int,
            func_info: fi.0 as *const c_void,
            func_info_cnt: fi.1,
            func_info_rec_size: fi.2,
            line_info: li.0 as *const c_void,
            line_info_cnt: li.1,
            line_info_rec_size: li.2,
            log_level: attrs.log_level,
            log_size: attrs.log_buf.len() as u32,
            log_buf: attrs.log_buf.addr() as *mut c_char,
            log_true_size: 0,
            token_fd: attrs.token_fd,
            fd_array_cnt: attrs.fd_array_cnt,
        };
        // SAFETY: the handle is live; only the address is read here.
        let p = unsafe { (*self.0).prog_ptr(prog) };
        // SAFETY: `func` is the address of the application's
        // `libbpf_prog_prepare_load_fn_t` callback, registered as such.
        let f: unsafe extern "C" fn(*mut bpf_program, *mut crate::ffi::api::bpf_h::types::bpf_prog_load_opts, c_long) -> c_int =
            unsafe { core::mem::transmute(func) };
        // SAFETY: the application's callback, with a live handle and opts.
        let ret = unsafe { f(p, &mut opts, cookie as c_long) };
        let back = |ptr: *const c_void, cnt: u32, rec: u32, own: (usize, u32, u32)| {
            if ptr.is_null() || cnt == 0 {
                InfoSrc::None
            } else if (ptr as usize, cnt, rec) == own {
                InfoSrc::Program
            } else {
                // SAFETY: the application handed these records to libbpf
                // for the load that follows (libbpf's contract).
                InfoSrc::User { mem: unsafe { crate::object::UserMem::new(ptr as usize, cnt as usize * rec as usize) }, cnt, rec_size: rec }
            }
        };
        attrs.expected_attach_type = opts.expected_attach_type;
        attrs.prog_btf_fd = opts.prog_btf_fd;
        attrs.prog_flags = opts.prog_flags;
        attrs.prog_ifindex = opts.prog_ifindex;
        attrs.kern_version = opts.kern_version;
        attrs.attach_btf_id = opts.attach_btf_id;
        attrs.attach_prog_fd = opts.attach_prog_fd;
        attrs.attach_btf_obj_fd = opts.attach_btf_obj_fd;
        // SAFETY: as above, for the fd array and log buffer the callback set.
        unsafe {
            attrs.fd_array = crate::object::UserMem::new(opts.fd_array as usize, opts.fd_array_cnt as usize * 4);
            attrs.log_buf = crate::object::UserMem::new(opts.log_buf as usize, opts.log_size as usize);
        }
        attrs.fd_array_cnt = opts.fd_array_cnt;
        attrs.func_info = back(opts.func_info, opts.func_info_cnt, opts.func_info_rec_size, own.0);
        attrs.line_info = back(opts.line_info, opts.line_info_cnt, opts.line_info_rec_size, own.1);
        attrs.log_level = opts.log_level;
        attrs.token_fd = opts.token_fd;
        ret
    }
}

/// Hands a freshly opened object to C, after its custom setup callbacks.
pub(crate) fn finish_open(obj: crate::object::Object) -> crate::error::Result<*mut bpf_object> {
    let p = handles::new_object(obj);
    let cell = handles::Cell(p.cast());
    if let Err(e) = crate::object::open::run_setup_callbacks(&cell, &CHandlers(p.cast())) {
        // SAFETY: `p` was just created and is not handed out.
        unsafe { handles::free_object(p) };
        return Err(e);
    }
    Ok(p)
}

/// Program iteration for `bpf_object__next_program`/`prev_program`.
///
/// # Safety
/// `obj` and `prog` are NULL or live handles.
unsafe fn step_program(obj: *const bpf_object, prog: *const bpf_program, forward: bool) -> *mut bpf_program {
    crate::ffi::entry::ffi("bpf_object__next_program", || {
        // SAFETY: per the contract.
        let h = unsafe { handles::object(obj) }?;
        let from = if prog.is_null() {
            None
        } else {
            match h.prog_index(prog) {
                Some(i) => Some(i),
                None => {
                    crate::pr_warn!("error: program handler doesn't match object");
                    return Err(crate::error::Error::INVAL);
                }
            }
        };
        Ok(h.obj.step_program(from, forward).map_or(core::ptr::null_mut(), |i| h.prog_ptr(i)))
    })
}

/// Map iteration for `bpf_object__next_map`/`prev_map`.
///
/// # Safety
/// `obj` and `map` are NULL or live handles.
unsafe fn step_map(obj: *const bpf_object, map: *const bpf_map, forward: bool) -> *mut bpf_map {
    let name = if forward { "bpf_object__next_map" } else { "bpf_object__prev_map" };
    crate::ffi::entry::ffi(name, || {
        // SAFETY: per the contract.
        let h = unsafe { handles::object(obj) }?;
        let n = h.obj.maps.len();
        let next = if map.is_null() {
            if forward { (n > 0).then_some(0) } else { n.checked_sub(1) }
        } else {
            let Some(i) = h.map_index(map) else {
                crate::pr_warn!("error in {name}: map handler doesn't belong to object");
                return Err(crate::error::Error::INVAL);
            };
            if forward { Some(i + 1).filter(|&j| j < n) } else { i.checked_sub(1) }
        };
        Ok(next.map_or(core::ptr::null_mut(), |i| h.map_ptr(i, false)))
    })
}
