//! From a binary's probe notes to attach targets: for each site of
//! `provider:name`, the file offset the uprobe goes to, the absolute
//! address it runs at (needed only without BPF cookies), the semaphore's
//! file offset (`ref_ctr_offset`), and the parsed argument spec.

use crate::error::{Error, Result};

use super::arg::parse_spec;
use super::elf::{self, Header, Segment, Source, ET_DYN, ET_EXEC};
use super::note;
use super::spec::Spec;

/// Section holding the probe notes.
pub const NOTE_SEC: &[u8] = b".note.stapsdt";
/// Section whose address, compared with the one recorded in each note,
/// reveals prelink relocation.
pub const BASE_SEC: &[u8] = b".stapsdt.base";

/// What the kernel offers, decided once per object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Kernel {
    /// Programs can read the attach cookie (the spec id travels in it).
    pub bpf_cookie: bool,
    /// uprobes can maintain USDT semaphores (`ref_ctr_offset`).
    pub sema_refcnt: bool,
    /// The x86-64 `uprobe()` syscall exists: a probe on a 10-byte nop is
    /// optimised, so sites laid out as `nop; nop10` are probed on the nop10.
    pub uprobe_syscall: bool,
    /// The page size (a nop10 must not cross a page).
    pub page_size: u64,
}

/// One probe site to attach to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Absolute address in the traced process (relative for libraries
    /// when no process was given and cookies are available).
    pub abs_ip: u64,
    /// File offset of the probed instruction.
    pub rel_ip: u64,
    /// File offset of the semaphore, 0 if none.
    pub sema_off: u64,
    pub spec: Spec,
    /// The arguments string: sites with equal strings share a spec.
    pub spec_str: String,
}

/// `nop` followed by the 10-byte `nop` (`cs nopw 0x0(%rax,%rax,1)`).
const NOP_COMBO: [u8; 11] = [0x90, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00];

/// Whether the site at file offset `off` is `nop; nop10` with the nop10
/// inside one page.
pub fn has_nop_combo(src: &(impl Source + ?Sized), off: u64, page_size: u64) -> bool {
    if page_size == 0 || (off.wrapping_add(1) % page_size) + 10 > page_size {
        return false;
    }
    let mut buf = [0u8; 11];
    src.read_at(off, &mut buf) && buf == NOP_COMBO
}

/// The executable mappings of `path` in a `/proc/<pid>/maps` text.
pub fn parse_maps(text: &str, path: &str) -> Vec<Segment> {
    let mut segs = Vec::new();
    for line in text.lines() {
        let mut it = line.splitn(6, ' ');
        let (Some(range), Some(mode), Some(off), Some(_dev), Some(_inode)) = (it.next(), it.next(), it.next(), it.next(), it.next()) else {
            continue;
        };
        let name = it.next().unwrap_or("").trim_start_matches([' ', '\t']);
        if name != path {
            continue;
        }
        let Some((s, e)) = range.split_once('-') else { continue };
        let (Ok(start), Ok(end), Ok(offset)) = (u64::from_str_radix(s, 16), u64::from_str_radix(e, 16), u64::from_str_radix(off, 16)) else {
            continue;
        };
        crate::pr_debug!("usdt: discovered segment for lib '{path}': addrs {start:x}-{end:x} mode {mode} offset {offset:x}");
        if mode.as_bytes().get(2) != Some(&b'x') {
            continue;
        }
        segs.push(Segment { start, end, offset, is_exec: true });
    }
    segs.sort_by_key(|s| s.start);
    segs
}

/// How `path` appears in `/proc/<pid>/maps`: a path under the process's
/// own `/proc/<pid>/root` loses that prefix; others are resolved by
/// `realpath` (or kept as given when that fails).
pub fn maps_name(pid: i32, path: &str, realpath: impl FnOnce(&str) -> Result<String>) -> String {
    if let Some(rest) = path.strip_prefix("/proc/") {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[..digits].parse::<i32>().ok() == Some(pid) {
            if let Some(inner) = rest[digits..].strip_prefix("/root") {
                if inner.starts_with('/') {
                    return inner.to_string();
                }
            }
        }
    }
    match realpath(path) {
        Ok(p) => p,
        Err(e) => {
            crate::pr_warn!("usdt: failed to get absolute path of '{path}' (err {e}), using path as is...");
            path.to_string()
        }
    }
}

/// What [`collect`] needs to know about one attach request.
pub struct Request<'a> {
    pub path: &'a str,
    /// Process filter: -1 for every process, else a pid.
    pub pid: i32,
    pub provider: &'a str,
    pub name: &'a str,
    pub cookie: u64,
}

/// Every site of `req.provider:req.name` in the binary. `vma_segs` returns
/// the library's executable mappings in process `req.pid`; it is called
/// (at most once) only for libraries on kernels without BPF cookies.
/// Errors: see the warnings; `ENOENT` when the note section is missing.
/// An empty result means the probe does not exist in the binary.
pub fn collect(
    src: &(impl Source + ?Sized),
    h: &Header,
    req: &Request<'_>,
    k: &Kernel,
    vma_segs: &mut dyn FnMut() -> Result<Vec<Segment>>,
) -> Result<Vec<Target>> {
    let path = req.path;
    let (prov, pname) = (req.provider, req.name);
    let notes_sh = match elf::find_section(src, h, NOTE_SEC) {
        Ok(Some(s)) => s,
        r => {
            crate::pr_warn!("usdt: no USDT notes section (.note.stapsdt) found in '{path}'");
            return Err(r.err().unwrap_or(Error::NOENT));
        }
    };
    if notes_sh.sh_type != elf::SHT_NOTE {
        crate::pr_warn!("usdt: invalid USDT notes section (.note.stapsdt) in '{path}'");
        return Err(Error::INVAL);
    }
    let segs = elf::load_segments(src, h, path).inspect_err(|e| {
        crate::pr_warn!("usdt: failed to process ELF program segments for '{path}': {e}");
    })?;
    let base_addr = match elf::find_section(src, h, BASE_SEC) {
        Ok(Some(s)) => s.addr,
        _ => 0,
    };
    let data = elf::section_data(src, &notes_sh).unwrap_or_default();
    let kind = if h.e_type == ET_EXEC { "exec" } else { "lib " };
    let mut vma: Option<Vec<Segment>> = None;
    let mut out = Vec::new();
    for raw in note::raw_notes(&data, notes_sh.addralign) {
        let n = note::parse(&raw)?;
        if n.provider != prov || n.name != pname {
            continue;
        }
        // Prelink moves sections but not the notes: shift by how far
        // .stapsdt.base moved from where the note says it was.
        let mut abs_ip = n.loc_addr;
        if base_addr != 0 && n.base_addr != 0 {
            abs_ip = abs_ip.wrapping_add(base_addr.wrapping_sub(n.base_addr));
        }
        let Some(seg) = elf::seg_by_addr(&segs, abs_ip) else {
            crate::pr_warn!("usdt: failed to find ELF program segment for '{prov}:{pname}' in '{path}' at IP 0x{abs_ip:x}");
            return Err(Error::new(libc::ESRCH));
        };
        if !seg.is_exec {
            crate::pr_warn!(
                "usdt: matched ELF binary '{path}' segment [0x{:x}, 0x{:x}) for '{prov}:{pname}' at IP 0x{abs_ip:x} is not executable",
                seg.start,
                seg.end
            );
            return Err(Error::new(libc::ESRCH));
        }
        let mut rel_ip = abs_ip.wrapping_sub(seg.start).wrapping_add(seg.offset);
        let mut shown = *seg;
        if h.e_type == ET_DYN && !k.bpf_cookie {
            // Without cookies the BPF side finds the spec by absolute
            // address, which for a library only a given process defines.
            if req.pid < 0 {
                crate::pr_warn!("usdt: attaching to shared libraries without specific PID is not supported on current kernel");
                return Err(Error::NOT_SUPPORTED);
            }
            if vma.is_none() {
                let v = vma_segs().inspect_err(|e| {
                    crate::pr_warn!("usdt: failed to get memory segments in PID {} for shared library '{path}': {e}", req.pid);
                })?;
                vma = Some(v);
            }
            let Some(m) = vma.as_deref().and_then(|v| elf::seg_by_offset(v, rel_ip)) else {
                crate::pr_warn!("usdt: failed to find shared lib memory segment for '{prov}:{pname}' in '{path}' at relative IP 0x{rel_ip:x}");
                return Err(Error::new(libc::ESRCH));
            };
            abs_ip = m.start.wrapping_sub(m.offset).wrapping_add(rel_ip);
            shown = *m;
        }
        crate::pr_debug!(
            "usdt: probe for '{prov}:{pname}' in {kind} '{path}': addr 0x{:x} base 0x{:x} (resolved abs_ip 0x{abs_ip:x} rel_ip 0x{rel_ip:x}) args '{}' in segment [0x{:x}, 0x{:x}) at offset 0x{:x}",
            n.loc_addr,
            n.base_addr,
            n.args,
            shown.start,
            shown.end,
            shown.offset
        );
        let mut sema_off = 0;
        if n.sema_addr != 0 {
            if !k.sema_refcnt {
                crate::pr_warn!("usdt: kernel doesn't support USDT semaphore refcounting for '{prov}:{pname}' in '{path}'");
                return Err(Error::NOT_SUPPORTED);
            }
            let Some(s) = elf::seg_by_addr(&segs, n.sema_addr) else {
                crate::pr_warn!("usdt: failed to find ELF loadable segment with semaphore of '{prov}:{pname}' in '{path}' at 0x{:x}", n.sema_addr);
                return Err(Error::new(libc::ESRCH));
            };
            if s.is_exec {
                crate::pr_warn!(
                    "usdt: matched ELF binary '{path}' segment [0x{:x}, 0x{:x}] for semaphore of '{prov}:{pname}' at 0x{:x} is executable",
                    s.start,
                    s.end,
                    n.sema_addr
                );
                return Err(Error::new(libc::ESRCH));
            }
            sema_off = n.sema_addr.wrapping_sub(s.start).wrapping_add(s.offset);
            crate::pr_debug!(
                "usdt: sema  for '{prov}:{pname}' in {kind} '{path}': addr 0x{:x} base 0x{:x} (resolved 0x{sema_off:x}) in segment [0x{:x}, 0x{:x}] at offset 0x{:x}",
                n.sema_addr,
                n.base_addr,
                s.start,
                s.end,
                s.offset
            );
        }
        if k.uprobe_syscall && has_nop_combo(src, rel_ip, k.page_size) {
            abs_ip = abs_ip.wrapping_add(1);
            rel_ip = rel_ip.wrapping_add(1);
        }
        let spec = parse_spec(prov, pname, &n.args, req.cookie)?;
        out.push(Target { abs_ip, rel_ip, sema_off, spec, spec_str: n.args });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::elf::testelf::{build, Sec};
    use super::super::elf::{check_header, SHT_NOTE};
    use super::*;

    const K: Kernel = Kernel { bpf_cookie: true, sema_refcnt: true, uprobe_syscall: false, page_size: 4096 };

    fn binary(e_type: u16, notes: &[Vec<u8>], text: Vec<u8>) -> Vec<u8> {
        build(
            e_type,
            &[(1, 4, 0, 0x5e0, 0), (1, 5, 0x1000, 0x185, 0x1000), (1, 6, 0x3e00, 0x218, 0x2e00)],
            &[
                Sec { name: ".text", sh_type: 1, addr: 0x1000, data: text, align: 16 },
                Sec { name: ".stapsdt.base", sh_type: 1, addr: 0x2004, data: vec![0], align: 1 },
                Sec { name: ".note.stapsdt", sh_type: SHT_NOTE, addr: 0, data: notes.concat(), align: 4 },
            ],
        )
    }

    fn req<'a>(pid: i32, provider: &'a str, name: &'a str) -> Request<'a> {
        Request { path: "/bin/x", pid, provider, name, cookie: 9 }
    }

    fn no_vma() -> Result<Vec<Segment>> {
        panic!("maps read without need")
    }

    #[test]
    fn sites_offsets_semaphores() {
        let img = binary(
            ET_DYN,
            &[
                note::build(0x1160, 0x2004, 0, "test", "four", "-4@%edi -8@%rsi"),
                note::build(0x1161, 0x2004, 0, "test", "other", "-4@$5"),
                note::build(0x117a, 0x2004, 0x4014, "test", "four", "-4@%edi -8@%rsi"),
            ],
            vec![0x90; 16],
        );
        let h = check_header(&img[..], "x").unwrap();
        let t = collect(&img[..], &h, &req(-1, "test", "four"), &K, &mut no_vma).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].abs_ip, t[0].rel_ip, t[0].sema_off), (0x1160, 0x1160, 0));
        assert_eq!((t[1].rel_ip, t[1].sema_off), (0x117a, 0x4014 - 0x3e00 + 0x2e00));
        assert_eq!(t[0].spec.args.len(), 2);
        assert_eq!(t[0].spec.cookie, 9);
        assert_eq!(t[0].spec_str, "-4@%edi -8@%rsi");
        // Unknown probe: no sites.
        assert!(collect(&img[..], &h, &req(-1, "test", "nope"), &K, &mut no_vma).unwrap().is_empty());
        assert!(collect(&img[..], &h, &req(-1, "tes", "four"), &K, &mut no_vma).unwrap().is_empty());
        // Semaphores need kernel support.
        let k = Kernel { sema_refcnt: false, ..K };
        assert_eq!(collect(&img[..], &h, &req(-1, "test", "four"), &k, &mut no_vma), Err(Error::NOT_SUPPORTED));
    }

    #[test]
    fn prelink_base_shift() {
        // The note says .stapsdt.base was at 0x1004; it is now at 0x2004.
        let img = binary(ET_EXEC, &[note::build(0x0160, 0x1004, 0, "p", "n", "")], vec![0x90; 16]);
        let h = check_header(&img[..], "x").unwrap();
        let t = collect(&img[..], &h, &req(-1, "p", "n"), &K, &mut no_vma).unwrap();
        assert_eq!(t[0].abs_ip, 0x1160);
        // A note base of 0 means no adjustment.
        let img = binary(ET_EXEC, &[note::build(0x1170, 0, 0, "p", "n", "")], vec![0x90; 16]);
        let t = collect(&img[..], &h, &req(-1, "p", "n"), &K, &mut no_vma).unwrap();
        assert_eq!(t[0].abs_ip, 0x1170);
    }

    #[test]
    fn bad_sites() {
        let h_of = |img: &Vec<u8>| check_header(&img[..], "x").unwrap();
        // Outside every segment, in a data segment, semaphore in code.
        for (loc, sema) in [(0x9000u64, 0u64), (0x3e10, 0), (0x1160, 0x1100), (0x1160, 0x9000)] {
            let img = binary(ET_EXEC, &[note::build(loc, 0x2004, sema, "p", "n", "")], vec![]);
            assert_eq!(collect(&img[..], &h_of(&img), &req(-1, "p", "n"), &K, &mut no_vma), Err(Error::new(libc::ESRCH)));
        }
        // A malformed note anywhere fails the whole lookup, matched or not.
        let mut bad = note::build(0x1160, 0x2004, 0, "p", "n", "");
        bad[8] = 1;
        let img = binary(ET_EXEC, &[note::build(0x1160, 0x2004, 0, "p", "n", ""), bad], vec![]);
        assert_eq!(collect(&img[..], &h_of(&img), &req(-1, "p", "n"), &K, &mut no_vma), Err(Error::INVAL));
        // Bad argument specs fail too.
        let img = binary(ET_EXEC, &[note::build(0x1160, 0x2004, 0, "p", "n", "-4@glob(%rip)")], vec![]);
        assert_eq!(collect(&img[..], &h_of(&img), &req(-1, "p", "n"), &K, &mut no_vma), Err(Error::INVAL));
        // No note section.
        let img = build(ET_EXEC, &[(1, 5, 0x1000, 0x100, 0x1000)], &[]);
        assert_eq!(collect(&img[..], &h_of(&img), &req(-1, "p", "n"), &K, &mut no_vma), Err(Error::NOENT));
    }

    #[test]
    fn libraries_without_cookies() {
        let img = binary(ET_DYN, &[note::build(0x1160, 0x2004, 0, "p", "n", ""), note::build(0x1170, 0x2004, 0, "p", "n", "")], vec![]);
        let h = check_header(&img[..], "x").unwrap();
        let k = Kernel { bpf_cookie: false, ..K };
        assert_eq!(collect(&img[..], &h, &req(-1, "p", "n"), &k, &mut no_vma), Err(Error::NOT_SUPPORTED));
        let mut calls = 0;
        let mut vma = || {
            calls += 1;
            Ok(vec![Segment { start: 0x7f00_0000_1000, end: 0x7f00_0000_2000, offset: 0x1000, is_exec: true }])
        };
        let t = collect(&img[..], &h, &req(42, "p", "n"), &k, &mut vma).unwrap();
        assert_eq!((t[0].abs_ip, t[0].rel_ip), (0x7f00_0000_1160, 0x1160));
        assert_eq!(t[1].abs_ip, 0x7f00_0000_1170);
        assert_eq!(calls, 1);
        let mut none = || Ok(vec![]);
        assert_eq!(collect(&img[..], &h, &req(42, "p", "n"), &k, &mut none), Err(Error::new(libc::ESRCH)));
        let mut fails = || Err(Error::NOENT);
        assert_eq!(collect(&img[..], &h, &req(42, "p", "n"), &k, &mut fails), Err(Error::NOENT));
        // Executables need no mappings.
        let exe = binary(ET_EXEC, &[note::build(0x1160, 0x2004, 0, "p", "n", "")], vec![]);
        assert_eq!(collect(&exe[..], &check_header(&exe[..], "x").unwrap(), &req(-1, "p", "n"), &k, &mut no_vma).unwrap()[0].abs_ip, 0x1160);
    }

    #[test]
    fn nop_combo_moves_the_probe() {
        let mut text = vec![0xcc; 0x80];
        text[0x60..0x6b].copy_from_slice(&NOP_COMBO);
        let site = 0x1000 + 0x60;
        // With one program header, the test image puts .text at file offset 120.
        let img = build(
            ET_EXEC,
            &[(1, 5, 0x1000, 0x80, 120)],
            &[
                Sec { name: ".text", sh_type: 1, addr: 0x1000, data: text, align: 16 },
                Sec { name: ".note.stapsdt", sh_type: SHT_NOTE, addr: 0, data: note::build(site, 0, 0, "p", "n", ""), align: 4 },
            ],
        );
        let h = check_header(&img[..], "x").unwrap();
        assert_eq!(elf::find_section(&img[..], &h, b".text").unwrap().unwrap().offset, 120);
        let k = Kernel { uprobe_syscall: true, ..K };
        let t = collect(&img[..], &h, &req(-1, "p", "n"), &k, &mut no_vma).unwrap();
        assert_eq!((t[0].abs_ip, t[0].rel_ip), (site + 1, 120 + 0x60 + 1));
        let t = collect(&img[..], &h, &req(-1, "p", "n"), &K, &mut no_vma).unwrap();
        assert_eq!((t[0].abs_ip, t[0].rel_ip), (site, 120 + 0x60));
        assert!(has_nop_combo(&img[..], 120 + 0x60, 4096));
        assert!(!has_nop_combo(&img[..], 120 + 0x60, 0x60 + 120 + 8));
        assert!(!has_nop_combo(&img[..], 120 + 0x61, 4096));
    }

    #[test]
    fn maps_lines() {
        let text = "\
55d0c0a00000-55d0c0a01000 r--p 00000000 08:01 131  /usr/lib/libx.so
7f5c6f5d3000-7f5c6f5d8000 rw-p 00000000 00:00 0
7f5c6f5d8000-7f5c6f5d9000 r-xp 00001000 103:01 362990598                  /usr/lib/libx.so
7f5c6f5e0000-7f5c6f5e1000 r-xp 00001000 103:01 362990599                  /usr/lib/libx.so.2
garbage line
";
        let s = parse_maps(text, "/usr/lib/libx.so");
        assert_eq!(s, vec![Segment { start: 0x7f5c_6f5d_8000, end: 0x7f5c_6f5d_9000, offset: 0x1000, is_exec: true }]);
        assert_eq!(maps_name(7, "/proc/7/root/usr/lib/libx.so", |_| Err(Error::NOENT)), "/usr/lib/libx.so");
        assert_eq!(maps_name(8, "/proc/7/root/usr/lib/libx.so", |_| Ok("/r".into())), "/r");
        assert_eq!(maps_name(7, "/proc/7/rootx", |_| Err(Error::NOENT)), "/proc/7/rootx");
        assert_eq!(maps_name(7, "lib.so", |p| Ok(format!("/abs/{p}"))), "/abs/lib.so");
    }
}
