//! Build script: generates the public C headers from the Rust FFI declarations
//! with cbindgen, and compiles the one C file (the `va_list` trampoline).
//!
//! Each public header owns one folder of FFI declarations:
//!
//! | header            | Rust declarations            | hand-written C (macros, inline helpers) |
//! |-------------------|------------------------------|-----------------------------------------|
//! | `libbpf.h`        | `src/ffi/api/libbpf_h/*.rs`  | `include-src/libbpf.{head,tail}.h`      |
//! | `bpf.h`           | `src/ffi/api/bpf_h/*.rs`     | `include-src/bpf.{head,tail}.h`         |
//! | `btf.h`           | `src/ffi/api/btf_h/*.rs`     | `include-src/btf.{head,tail}.h`         |
//! | `libbpf_legacy.h` | `src/ffi/api/legacy_h/*.rs`  | `include-src/libbpf_legacy.head.h`      |
//! | `libbpf_common.h` | (none)                       | `include-src/libbpf_common.head.h`      |
//! | `libbpf_version.h`| (none)                       | version numbers from `Cargo.toml`       |
//!
//! A type owned by one header and used by another is referred to by its tag
//! (`struct btf`) and forward-declared, never defined twice. The headers are
//! written to `include/bpf/` only when their text changes; they are committed,
//! and `make check` fails when a build leaves them different from the commit.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

struct Header {
    file: &'static str,
    /// Folder under `src/ffi/api/` holding this header's declarations.
    decl_dir: Option<&'static str>,
    guard: &'static str,
}

const HEADERS: &[Header] = &[
    Header { file: "libbpf_version.h", decl_dir: None, guard: "__LIBBPF_VERSION_H" },
    Header { file: "libbpf_common.h", decl_dir: None, guard: "__LIBBPF_LIBBPF_COMMON_H" },
    Header { file: "libbpf_legacy.h", decl_dir: Some("legacy_h"), guard: "__LIBBPF_LEGACY_BPF_H" },
    Header { file: "bpf.h", decl_dir: Some("bpf_h"), guard: "__LIBBPF_BPF_H" },
    Header { file: "btf.h", decl_dir: Some("btf_h"), guard: "__LIBBPF_BTF_H" },
    Header { file: "libbpf.h", decl_dir: Some("libbpf_h"), guard: "__LIBBPF_LIBBPF_H" },
];

/// What a declaration folder defines, found by a plain scan of its sources.
#[derive(Default)]
struct Owned {
    structs: BTreeSet<String>,
    enums: BTreeSet<String>,
    /// `(opts struct, last field)` from `impl_opts!` invocations.
    last_fields: Vec<(String, String)>,
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    println!("cargo:rerun-if-changed=src/ffi/api");
    println!("cargo:rerun-if-changed=include-src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=csrc");

    cc::Build::new()
        .file(root.join("csrc/print.c"))
        .flag_if_supported("-fvisibility=hidden")
        .warnings(true)
        .compile("oxbpf_c");

    let mut owned: BTreeMap<&str, Owned> = BTreeMap::new();
    for h in HEADERS {
        if let Some(dir) = h.decl_dir {
            owned.insert(h.file, scan_dir(&root.join("src/ffi/api").join(dir)));
        }
    }

    let out_dir = root.join("include/bpf");
    fs::create_dir_all(&out_dir).unwrap();
    for h in HEADERS {
        let text = generate(&root, h, &owned);
        let path = out_dir.join(h.file);
        if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            fs::write(&path, text).unwrap();
        }
    }
}

fn rs_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "rs"));
    files.sort();
    files
}

fn ident_after<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = line.trim_start().strip_prefix(prefix)?;
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

fn scan_dir(dir: &Path) -> Owned {
    let mut owned = Owned::default();
    for file in rs_files(dir) {
        let src = fs::read_to_string(&file).unwrap();
        for line in src.lines() {
            if let Some(name) = ident_after(line, "pub struct ") {
                owned.structs.insert(name.to_string());
            } else if let Some(name) = ident_after(line, "pub enum ") {
                owned.enums.insert(name.to_string());
            } else if let Some(args) = line.trim_start().strip_prefix("impl_opts!(") {
                // impl_opts!(struct_name, last_field: Type);
                let mut parts = args.split(|c: char| c == ',' || c == ':');
                let name = parts.next().unwrap_or("").trim().to_string();
                let field = parts.next().unwrap_or("").trim().to_string();
                if !name.is_empty() && !field.is_empty() {
                    owned.last_fields.push((name, field));
                }
            }
        }
    }
    owned
}

fn fragment(root: &Path, header: &str, part: &str) -> String {
    let stem = header.trim_end_matches(".h");
    fs::read_to_string(root.join("include-src").join(format!("{stem}.{part}.h"))).unwrap_or_default()
}

fn generate(root: &Path, h: &Header, owned: &BTreeMap<&str, Owned>) -> String {
    let mut cfg = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    cfg.include_guard = Some(h.guard.to_string());

    let mut head = fragment(root, h.file, "head");
    if h.file == "libbpf_version.h" {
        head.push_str(&format!(
            "#define LIBBPF_MAJOR_VERSION {}\n#define LIBBPF_MINOR_VERSION {}\n",
            std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap(),
            std::env::var("CARGO_PKG_VERSION_MINOR").unwrap()
        ));
    }
    if let Some(mine) = owned.get(h.file) {
        if !mine.last_fields.is_empty() {
            head.push('\n');
            for (name, field) in &mine.last_fields {
                head.push_str(&format!("#define {name}__last_field {field}\n"));
            }
        }
        // Emit everything this header owns, used by a function or not.
        cfg.export.include.extend(mine.structs.iter().cloned());
        cfg.export.include.extend(mine.enums.iter().cloned());
    }
    // Types owned by other headers are referred to by tag only.
    for (file, theirs) in owned {
        if *file == h.file {
            continue;
        }
        for s in &theirs.structs {
            cfg.export.rename.entry(s.clone()).or_insert_with(|| format!("struct {s}"));
        }
        for e in &theirs.enums {
            cfg.export.rename.entry(e.clone()).or_insert_with(|| format!("enum {e}"));
        }
    }
    cfg.after_includes = Some(head.clone());
    // The tail fragment (inline helpers) goes inside the include guard; cbindgen's
    // own `trailer` would land after it.
    let tail = fragment(root, h.file, "tail");

    let mut builder = cbindgen::Builder::new().with_config(cfg);
    if let Some(dir) = h.decl_dir {
        // Every file but mod.rs (cbindgen would follow its `mod` lines and
        // read each file twice).
        for file in rs_files(&root.join("src/ffi/api").join(dir)) {
            if file.file_name().is_some_and(|n| n == "mod.rs") {
                continue;
            }
            builder = builder.with_src(file);
        }
    }
    let mut buf = Vec::new();
    builder.generate().expect("cbindgen failed").write(&mut buf);
    let text = add_forward_declarations(String::from_utf8(buf).unwrap(), &head);
    insert_before_guard_end(text, &tail, h.guard)
}

/// Puts `tail` right before the closing `#endif` of the include guard.
fn insert_before_guard_end(text: String, tail: &str, guard: &str) -> String {
    if tail.is_empty() {
        return text;
    }
    let end = text.rfind("#endif").filter(|&at| text[at..].contains(guard)).expect("include guard end");
    format!("{}{}\n{}", &text[..end], tail, &text[end..])
}

/// Forward-declares every `struct X` the header names but does not define,
/// right after the hand-written head fragment (before any use).
fn add_forward_declarations(text: String, head: &str) -> String {
    let mut named = BTreeSet::new();
    let mut defined = BTreeSet::new();
    let code = strip_comments(&text);
    let mut rest = code.as_str();
    while let Some(pos) = rest.find("struct ") {
        let after = &rest[pos + 7..];
        let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
        let before_ok = pos == 0 || !rest.as_bytes()[pos - 1].is_ascii_alphanumeric() && rest.as_bytes()[pos - 1] != b'_';
        if end > 0 && before_ok {
            let name = &after[..end];
            let tail = after[end..].trim_start();
            if tail.starts_with('{') || tail.starts_with(';') {
                defined.insert(name.to_string());
            } else {
                named.insert(name.to_string());
            }
        }
        rest = &after[end..];
    }
    let missing: Vec<_> = named.difference(&defined).collect();
    if missing.is_empty() {
        return text;
    }
    let mut decls = String::from("\n");
    for name in missing {
        decls.push_str(&format!("struct {name};\n"));
    }
    match text.find(head) {
        Some(at) if !head.is_empty() => {
            let split = at + head.len();
            format!("{}{}{}", &text[..split], decls, &text[split..])
        }
        _ => text,
    }
}

/// The text with `/* */` and `//` comments removed (for scanning declarations).
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let block = rest.find("/*");
        let line = rest.find("//");
        match (block, line) {
            (Some(b), l) if l.map_or(true, |l| b < l) => {
                out.push_str(&rest[..b]);
                rest = rest[b + 2..].find("*/").map_or("", |e| &rest[b + 2 + e + 2..]);
            }
            (_, Some(l)) => {
                out.push_str(&rest[..l]);
                rest = rest[l..].find('\n').map_or("", |e| &rest[l + e..]);
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}
