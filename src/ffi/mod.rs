//! The C boundary: thin `extern "C"` shims only. Each shim checks its
//! arguments (NULL, opts `sz`), converts them, calls the core, and maps the
//! result through [`entry::ffi`]. No logic lives here.

pub mod api;
pub mod btf_handle;
pub mod ctypes;
pub mod cstr;
pub mod entry;
pub mod handles;
pub mod link_handle;
pub mod opts;
pub mod union_opts;
