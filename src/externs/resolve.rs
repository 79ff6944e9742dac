//! The load-time extern step: give every extern its value, then patch the
//! instructions that reference them.

use super::{kallsyms, kconfig, ksym::KsymResolver, Extern, ExternKind};
use crate::error::{Error, Result};
use crate::relo::cands::Targets;
use crate::relo::logfix::POISON_CALL_KFUNC_BASE;
use crate::relo::view::TypeView;
use crate::uapi::bpf::bpf_insn;
use crate::uapi::btf::BTF_KIND_VAR;

/// What extern resolution needs from the outside world; the system
/// implementation reads the files in `sysfiles`, tests supply text.
pub trait ExternEnv {
    /// The `kconfig` open option, used before the system config.
    fn kconfig_option(&self) -> Option<&str>;
    /// The system kernel config text.
    fn system_kconfig(&self) -> Result<String>;
    /// The contents of `/proc/kallsyms`.
    fn kallsyms(&self) -> Result<Vec<u8>>;
    /// `LINUX_KERNEL_VERSION` (0: unknown).
    fn kernel_version(&self) -> u32;
    /// `LINUX_HAS_BPF_COOKIE`.
    fn has_bpf_cookie(&self) -> bool;
    /// `LINUX_HAS_SYSCALL_WRAPPER`.
    fn has_syscall_wrapper(&self) -> bool;
    /// vmlinux (and module) BTFs for typed ksyms; `None` when unavailable.
    fn ksym_targets(&self) -> Option<&Targets>;
    /// Typed ksyms and kfuncs are left to a loader program to resolve in
    /// the kernel it runs on: they count as set, with BTF id and object 0.
    fn defer_typed_ksyms(&self) -> bool {
        false
    }
}

/// Gives the `.ksyms` variables their addresses from a kallsyms text (a
/// name listed twice with different addresses is ambiguous: `EINVAL`).
fn kallsyms_set(externs: &mut [Extern], local: &dyn TypeView, text: &[u8]) -> Result<()> {
    let wanted: Vec<usize> = (0..externs.len())
        .filter(|&i| externs[i].ksym().is_some() && local.kind(externs[i].btf_id) == Some(BTF_KIND_VAR))
        .collect();
    let names: Vec<String> = wanted.iter().map(|&i| externs[i].name.clone()).collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    kallsyms::lookup(text, &name_refs, |n, addr| {
        let ext = &mut externs[wanted[n]];
        let old = ext.ksym().map_or(0, |k| k.addr);
        if ext.is_set && old != addr {
            pr_warn!("extern (ksym) '{}': resolution is ambiguous: 0x{:x} or 0x{:x}", ext.name, old, addr);
            return Err(Error::INVAL);
        }
        if !ext.is_set {
            if let Some(k) = ext.ksym_mut() {
                k.addr = addr;
            }
            ext.is_set = true;
            pr_debug!("extern (ksym) '{}': set to 0x{:x}", ext.name, addr);
        }
        Ok(())
    })
}

/// Resolves all externs of an object, as libbpf does at load: virtual
/// `LINUX_*` kconfig values, `CONFIG_*` values (from the `kconfig` option
/// first, the system config for what remains), typeless ksyms from
/// kallsyms, typed ksyms from kernel BTFs. `kcfg_data` is the `.kconfig`
/// map's value. Returns the object's `fd_array` (empty when no module kfunc
/// is used). Errors: `EINVAL` for an unknown `LINUX_*` extern that is not
/// weak or for any failed source; `ESRCH` when a strong extern stays unresolved.
pub fn resolve_externs(
    externs: &mut [Extern],
    local: &dyn TypeView,
    mut kcfg_data: Option<&mut [u8]>,
    env: &dyn ExternEnv,
) -> Result<Vec<i32>> {
    let (mut need_config, mut need_kallsyms, mut need_vmlinux) = (false, false, false);
    for ext in externs.iter_mut() {
        match ext.kind {
            ExternKind::Ksym(k) => {
                if k.type_id != 0 {
                    need_vmlinux = true;
                } else {
                    need_kallsyms = true;
                }
            }
            ExternKind::Kcfg(_) => {
                if ext.name.starts_with("CONFIG_") {
                    need_config = true;
                    continue;
                }
                let value: u64 = match ext.name.as_str() {
                    "LINUX_KERNEL_VERSION" => {
                        let v = env.kernel_version();
                        if v == 0 {
                            pr_warn!("extern (kcfg) '{}': failed to get kernel version", ext.name);
                            return Err(Error::INVAL);
                        }
                        u64::from(v)
                    }
                    "LINUX_HAS_BPF_COOKIE" => u64::from(env.has_bpf_cookie()),
                    "LINUX_HAS_SYSCALL_WRAPPER" => u64::from(env.has_syscall_wrapper()),
                    n if n.starts_with("LINUX_") && ext.is_weak => 0,
                    _ => {
                        pr_warn!("extern (kcfg) '{}': unrecognized virtual extern", ext.name);
                        return Err(Error::INVAL);
                    }
                };
                let data = kcfg_data.as_deref_mut().ok_or(Error::INVAL)?;
                kconfig::set_value_num(ext, data, value)?;
                pr_debug!("extern (kcfg) '{}': set to 0x{:x}", ext.name, value);
            }
        }
    }
    if need_config {
        if let Some(text) = env.kconfig_option() {
            let data = kcfg_data.as_deref_mut().ok_or(Error::INVAL)?;
            kconfig::process_text(externs, data, text, "in-memory").map_err(|_| Error::INVAL)?;
            need_config = externs.iter().any(|e| e.kcfg().is_some() && !e.is_set);
        }
    }
    if need_config {
        let text = env.system_kconfig().map_err(|_| Error::INVAL)?;
        let data = kcfg_data.as_deref_mut().ok_or(Error::INVAL)?;
        kconfig::process_text(externs, data, &text, "system").map_err(|_| Error::INVAL)?;
    }
    if need_kallsyms {
        let text = env.kallsyms().map_err(|_| Error::INVAL)?;
        kallsyms_set(externs, local, &text).map_err(|_| Error::INVAL)?;
    }
    let mut fd_array = Vec::new();
    if need_vmlinux && env.defer_typed_ksyms() {
        for ext in externs.iter_mut() {
            if let ExternKind::Ksym(k) = &mut ext.kind {
                if k.type_id != 0 {
                    (k.kernel_btf_id, k.kernel_btf_obj_fd, k.btf_fd_idx) = (0, 0, 0);
                    ext.is_set = true;
                }
            }
        }
    } else if need_vmlinux {
        let Some(targets) = env.ksym_targets() else {
            pr_warn!("Error loading vmlinux BTF: {}", -libc::ESRCH);
            return Err(Error::INVAL);
        };
        let mut r = KsymResolver::new(local, targets);
        r.resolve_all(externs).map_err(|_| Error::INVAL)?;
        fd_array = r.fd_array;
    }
    for ext in externs.iter() {
        if !ext.is_set && !ext.is_weak {
            pr_warn!("extern '{}' (strong): not resolved", ext.name);
            return Err(Error::new(libc::ESRCH));
        } else if !ext.is_set {
            pr_debug!("extern '{}' (weak): not resolved, defaulting to zero", ext.name);
        }
    }
    Ok(fd_array)
}

const BPF_JMP_CALL: u8 = 0x85;
const BPF_PSEUDO_MAP_VALUE: u8 = 2;
const BPF_PSEUDO_BTF_ID: u8 = 3;
const BPF_PSEUDO_KFUNC_CALL: u8 = 2;

/// Patches the instruction at `insn_idx` that references extern number
/// `ext_idx`: a kfunc call gets the kfunc's BTF id and fd_array index (or is
/// poisoned, when an unresolved weak kfunc, with helper id 2002000000 +
/// `ext_idx`); a 64-bit load gets the `.kconfig` map value address
/// (`kconfig_map_fd` + offset), a typed ksym's BTF id and object fd, or a
/// typeless ksym's address. `EINVAL` when the instruction is not there.
pub fn patch_extern_insn(
    prog_name: &str,
    relo_idx: usize,
    insns: &mut [bpf_insn],
    insn_idx: usize,
    ext: &Extern,
    ext_idx: usize,
    kconfig_map_fd: i32,
) -> Result<()> {
    let insn = insns.get(insn_idx).copied().ok_or(Error::INVAL)?;
    if insn.code == BPF_JMP_CALL {
        let k = ext.ksym().ok_or(Error::INVAL)?;
        let i = &mut insns[insn_idx];
        if ext.is_set {
            i.set_src_reg(BPF_PSEUDO_KFUNC_CALL);
            i.imm = k.kernel_btf_id as i32;
            i.off = k.btf_fd_idx;
        } else {
            pr_debug!(
                "prog '{}': relo #{}: poisoning insn #{} that calls kfunc '{}'",
                prog_name,
                relo_idx,
                insn_idx,
                ext.name
            );
            *i = bpf_insn { code: BPF_JMP_CALL, regs: 0, off: 0, imm: POISON_CALL_KFUNC_BASE.wrapping_add(ext_idx as i32) };
        }
        return Ok(());
    }
    if insn_idx + 1 >= insns.len() {
        return Err(Error::INVAL);
    }
    match ext.kind {
        ExternKind::Kcfg(k) => {
            insns[insn_idx].set_src_reg(BPF_PSEUDO_MAP_VALUE);
            insns[insn_idx].imm = kconfig_map_fd;
            insns[insn_idx + 1].imm = k.data_off as i32;
        }
        ExternKind::Ksym(k) => {
            if k.type_id != 0 && ext.is_set {
                insns[insn_idx].set_src_reg(BPF_PSEUDO_BTF_ID);
                insns[insn_idx].imm = k.kernel_btf_id as i32;
                insns[insn_idx + 1].imm = k.kernel_btf_obj_fd;
            } else {
                insns[insn_idx].imm = k.addr as u32 as i32;
                insns[insn_idx + 1].imm = (k.addr >> 32) as u32 as i32;
            }
        }
    }
    Ok(())
}

/// The [`ExternEnv`] of the running system, with the `kconfig` option and
/// the kernel BTFs of the object being loaded.
pub struct SystemEnv<'a> {
    pub kconfig: Option<&'a str>,
    pub targets: Option<&'a Targets>,
    /// Typed ksyms are resolved by a loader program (see
    /// [`ExternEnv::defer_typed_ksyms`]).
    pub defer_typed: bool,
}

impl ExternEnv for SystemEnv<'_> {
    fn kconfig_option(&self) -> Option<&str> {
        self.kconfig
    }
    fn system_kconfig(&self) -> Result<String> {
        super::sysfiles::read_system_kconfig()
    }
    fn kallsyms(&self) -> Result<Vec<u8>> {
        super::sysfiles::read_kallsyms()
    }
    fn kernel_version(&self) -> u32 {
        super::sysfiles::kernel_version()
    }
    fn has_bpf_cookie(&self) -> bool {
        super::features::has_bpf_cookie()
    }
    fn has_syscall_wrapper(&self) -> bool {
        super::features::has_syscall_wrapper()
    }
    fn ksym_targets(&self) -> Option<&Targets> {
        self.targets
    }
    fn defer_typed_ksyms(&self) -> bool {
        self.defer_typed
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::externs::collect::{collect_externs, ExternSymbol};
    use crate::relo::cands::Target;
    use crate::relo::testbtf::TestBtf;
    use crate::uapi::btf::*;

    struct Env {
        kconfig: Option<&'static str>,
        targets: Option<Targets>,
    }
    impl ExternEnv for Env {
        fn kconfig_option(&self) -> Option<&str> {
            self.kconfig
        }
        fn system_kconfig(&self) -> Result<String> {
            Ok("CONFIG_HZ=250\nCONFIG_BPF=y\n".into())
        }
        fn kallsyms(&self) -> Result<Vec<u8>> {
            Ok(b"ffffffff81000000 T _stext\nffffffff82000010 D some_var\n".to_vec())
        }
        fn kernel_version(&self) -> u32 {
            0x06122c
        }
        fn has_bpf_cookie(&self) -> bool {
            true
        }
        fn has_syscall_wrapper(&self) -> bool {
            false
        }
        fn ksym_targets(&self) -> Option<&Targets> {
            self.targets.as_ref()
        }
    }

    fn kernel() -> Targets {
        let mut k = TestBtf::new();
        let int = k.int("int", 4, true);
        k.var("bpf_prog_active", int, BTF_VAR_GLOBAL_ALLOCATED);
        let proto = k.func_proto(int, &[int]);
        k.func("bpf_kfunc_x", proto, BTF_FUNC_GLOBAL);
        Targets::new(Target::new("vmlinux", Arc::new(k)), false, None)
    }

    #[test]
    fn every_kind_of_extern() {
        let mut b = TestBtf::new();
        let int = b.int("int", 4, true);
        let u64t = b.int("unsigned long long", 8, false);
        let v_ver = b.var("LINUX_KERNEL_VERSION", u64t, BTF_VAR_GLOBAL_EXTERN);
        let v_ck = b.var("LINUX_HAS_BPF_COOKIE", int, BTF_VAR_GLOBAL_EXTERN);
        let v_hz = b.var("CONFIG_HZ", int, BTF_VAR_GLOBAL_EXTERN);
        let v_x = b.var("CONFIG_FROM_OPTION", int, BTF_VAR_GLOBAL_EXTERN);
        let v_sv = b.var("some_var", int, BTF_VAR_GLOBAL_EXTERN);
        let v_pa = b.var("bpf_prog_active", int, BTF_VAR_GLOBAL_EXTERN);
        let v_gone = b.var("gone", int, BTF_VAR_GLOBAL_EXTERN);
        let proto = b.func_proto(int, &[int]);
        let f = b.func("bpf_kfunc_x", proto, BTF_FUNC_EXTERN);
        let fw = b.func("bpf_kfunc_missing", proto, BTF_FUNC_EXTERN);
        b.datasec(".kconfig", &[(v_ver, 0, 8), (v_ck, 0, 4), (v_hz, 0, 4), (v_x, 0, 4)]);
        b.datasec(".ksyms", &[(v_sv, 0, 4), (v_pa, 0, 4), (v_gone, 0, 4), (f, 0, 4), (fw, 0, 4)]);
        // the typeless one has no type: make "some_var" a void variable
        b.types[v_sv as usize].type_ref = 0;
        let names = [
            ("LINUX_KERNEL_VERSION", false),
            ("LINUX_HAS_BPF_COOKIE", false),
            ("CONFIG_HZ", false),
            ("CONFIG_FROM_OPTION", false),
            ("some_var", false),
            ("bpf_prog_active", false),
            ("gone", true),
            ("bpf_kfunc_x", false),
            ("bpf_kfunc_missing", true),
        ];
        let syms: Vec<_> = names
            .iter()
            .enumerate()
            .map(|(i, (n, w))| ExternSymbol { sym_idx: i, name: n.to_string(), is_weak: *w })
            .collect();
        let mut layout = collect_externs(Some(&b), &syms).unwrap();
        let mut data = vec![0u8; layout.kconfig_size.unwrap() as usize];
        let env = Env { kconfig: Some("CONFIG_FROM_OPTION=7\n"), targets: Some(kernel()) };
        let fds = resolve_externs(&mut layout.externs, &b, Some(&mut data), &env).unwrap();
        assert!(fds.is_empty());
        let get = |n: &str| layout.externs.iter().find(|e| e.name == n).unwrap().clone();
        let off = |n: &str| get(n).kcfg().unwrap().data_off as usize;
        assert_eq!(&data[off("LINUX_KERNEL_VERSION")..][..8], &0x06122cu64.to_le_bytes());
        assert_eq!(&data[off("LINUX_HAS_BPF_COOKIE")..][..4], &1u32.to_le_bytes());
        assert_eq!(&data[off("CONFIG_HZ")..][..4], &250u32.to_le_bytes());
        assert_eq!(&data[off("CONFIG_FROM_OPTION")..][..4], &7u32.to_le_bytes());
        assert_eq!(get("some_var").ksym().unwrap().addr, 0xffffffff82000010);
        assert_eq!(get("bpf_prog_active").ksym().unwrap().kernel_btf_id, 2);
        assert!(!get("gone").is_set);
        assert_eq!(get("bpf_kfunc_x").ksym().unwrap().kernel_btf_id, 4);
        assert!(!get("bpf_kfunc_missing").is_set);

        // instruction patching
        let idx = |n: &str| layout.externs.iter().position(|e| e.name == n).unwrap();
        let mut insns = vec![
            bpf_insn { code: 0x18, regs: 1, ..Default::default() },
            bpf_insn::default(),
            bpf_insn { code: 0x85, regs: 0x10, ..Default::default() },
            bpf_insn { code: 0x85, regs: 0x10, ..Default::default() },
        ];
        patch_extern_insn("p", 0, &mut insns, 0, &get("CONFIG_HZ"), idx("CONFIG_HZ"), 42).unwrap();
        assert_eq!((insns[0].src_reg(), insns[0].imm, insns[1].imm), (2, 42, off("CONFIG_HZ") as i32));
        patch_extern_insn("p", 0, &mut insns, 0, &get("bpf_prog_active"), 0, 42).unwrap();
        assert_eq!((insns[0].src_reg(), insns[0].imm, insns[1].imm), (3, 2, 0));
        patch_extern_insn("p", 0, &mut insns, 0, &get("some_var"), 0, 42).unwrap();
        assert_eq!((insns[0].imm as u32, insns[1].imm as u32), (0x82000010, 0xffffffff));
        patch_extern_insn("p", 0, &mut insns, 2, &get("bpf_kfunc_x"), 0, 42).unwrap();
        assert_eq!((insns[2].src_reg(), insns[2].imm, insns[2].off), (2, 4, 0));
        let m = idx("bpf_kfunc_missing");
        patch_extern_insn("p", 0, &mut insns, 3, &get("bpf_kfunc_missing"), m, 42).unwrap();
        assert_eq!((insns[3].regs, insns[3].imm), (0, 2_002_000_000 + m as i32));
    }

    #[test]
    fn failures() {
        let mut b = TestBtf::new();
        let int = b.int("int", 4, true);
        let v = b.var("LINUX_NOPE", int, BTF_VAR_GLOBAL_EXTERN);
        b.datasec(".kconfig", &[(v, 0, 4)]);
        let syms = vec![ExternSymbol { sym_idx: 1, name: "LINUX_NOPE".into(), is_weak: false }];
        let mut l = collect_externs(Some(&b), &syms).unwrap();
        let env = Env { kconfig: None, targets: None };
        assert_eq!(resolve_externs(&mut l.externs, &b, Some(&mut [0; 4]), &env), Err(Error::INVAL));
        // weak: zero
        let syms = vec![ExternSymbol { sym_idx: 1, name: "LINUX_NOPE".into(), is_weak: true }];
        let mut l = collect_externs(Some(&b), &syms).unwrap();
        resolve_externs(&mut l.externs, &b, Some(&mut [9; 4]), &env).unwrap();

        let mut b = TestBtf::new();
        let int = b.int("int", 4, true);
        let v = b.var("CONFIG_ABSENT", int, BTF_VAR_GLOBAL_EXTERN);
        b.datasec(".kconfig", &[(v, 0, 4)]);
        let syms = vec![ExternSymbol { sym_idx: 1, name: "CONFIG_ABSENT".into(), is_weak: false }];
        let mut l = collect_externs(Some(&b), &syms).unwrap();
        assert_eq!(resolve_externs(&mut l.externs, &b, Some(&mut [0; 4]), &env), Err(Error::new(libc::ESRCH)));
    }
}
