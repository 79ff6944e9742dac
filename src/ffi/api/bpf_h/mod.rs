//! Declarations of `bpf.h`.

pub mod btf;
pub mod link;
pub mod map;
pub mod misc;
pub mod obj;
pub mod prog;
pub mod types;
