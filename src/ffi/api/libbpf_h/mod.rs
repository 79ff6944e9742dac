//! Declarations of `libbpf.h`.

pub mod attach;
pub mod link;
pub mod linker;
pub mod map;
pub mod misc;
pub mod netlink;
pub mod object;
pub mod perfbuf;
pub mod probe;
pub mod prog_linfo;
pub mod program;
pub mod ringbuf;
pub mod skeleton;
pub mod types;
