//! The public C API, one folder per header. build.rs generates each header
//! from its folder with cbindgen, so the declarations here are the contract:
//! names, parameter names, types and doc comments all reach the header.

pub mod bpf_h;
pub mod btf_h;
pub mod legacy_h;
pub mod libbpf_h;
