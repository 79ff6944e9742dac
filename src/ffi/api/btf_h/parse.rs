//! Creating and loading BTF (`btf.h`).
//!
//! Thin `extern "C"` shims: argument checks, conversion and error mapping only.
#![allow(unused_variables)]

use crate::ffi::ctypes::*;
use crate::not_implemented;
use crate::ffi::api::btf_h::types::*;

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__free(btf: *mut btf) {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__load_from_kernel_by_id(id: __u32) -> *mut btf {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__load_from_kernel_by_id_split(id: __u32, base_btf: *mut btf) -> *mut btf {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__load_into_kernel(btf: *mut btf) -> c_int {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__load_module_btf(module_name: *const c_char, vmlinux_btf: *mut btf) -> *mut btf {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__load_vmlinux_btf() -> *mut btf {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__new(data: *const c_void, size: __u32) -> *mut btf {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__new_split(data: *const c_void, size: __u32, base_btf: *mut btf) -> *mut btf {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__parse(path: *const c_char, btf_ext: *mut *mut btf_ext) -> *mut btf {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__parse_elf(path: *const c_char, btf_ext: *mut *mut btf_ext) -> *mut btf {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__parse_elf_split(path: *const c_char, base_btf: *mut btf) -> *mut btf {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__parse_raw(path: *const c_char) -> *mut btf {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__parse_raw_split(path: *const c_char, base_btf: *mut btf) -> *mut btf {
    not_implemented!()
}

/// Not implemented yet: fails with `EOPNOTSUPP`.
#[no_mangle]
pub unsafe extern "C" fn btf__parse_split(path: *const c_char, base_btf: *mut btf) -> *mut btf {
    not_implemented!()
}
