// SPDX-License-Identifier: GPL-2.0
/* Programs whose attachment this machine's lockdown refuses (kprobes,
 * fentry/fexit/fmod_ret, LSM): the tests compare the kernel's answer. */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("kprobe/do_nanosleep") int kp(void *ctx) { return 0; }
SEC("kretprobe/do_nanosleep") int krp(void *ctx) { return 0; }
SEC("ksyscall/nanosleep") int ksc(void *ctx) { return 0; }
SEC("kprobe.multi/do_nanosleep") int kpm(void *ctx) { return 0; }
SEC("fentry/do_nanosleep") int BPF_PROG(fen) { return 0; }
SEC("fexit/do_nanosleep") int BPF_PROG(fex) { return 0; }
SEC("fmod_ret/do_nanosleep") int BPF_PROG(fmr) { return 0; }
SEC("lsm/file_open") int BPF_PROG(lsm_open) { return 0; }

char LICENSE[] SEC("license") = "GPL";
