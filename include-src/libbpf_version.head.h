
/* The version of the libbpf API this library provides (from Cargo.toml). */
