//! Declarations of `btf.h`.

pub mod build;
pub mod dump;
pub mod ext;
pub mod inspect;
pub mod parse;
pub mod transform;
pub mod types;
