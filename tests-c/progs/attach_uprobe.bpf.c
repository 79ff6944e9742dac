// SPDX-License-Identifier: GPL-2.0
/* Uprobes whose SEC() names their target, for auto-attachment: functions
 * of the test binary (through /proc/self/exe) and of libc (found through
 * libbpf's library path search). */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "attach_common.h"

SEC("uprobe//proc/self/exe:ox_auto_target")
int auto_entry(struct pt_regs *ctx)
{
	if (mine())
		hit(S_UPROBE, 1);
	return 0;
}

SEC("uretprobe//proc/self/exe:ox_auto_target")
int auto_return(struct pt_regs *ctx)
{
	if (mine())
		hit(S_URETPROBE, PT_REGS_RC(ctx));
	return 0;
}

SEC("uprobe/libc.so.6:getppid")
int auto_libc(struct pt_regs *ctx)
{
	if (mine())
		hit(S_SKEL_UPROBE, 2);
	return 0;
}

SEC("uprobe//proc/self/exe:ox_auto_target+4")
int auto_offset(struct pt_regs *ctx)
{
	if (mine())
		hit(S_PERF, 3);
	return 0;
}

SEC("uprobe//proc/self/exe:ox_no_such_function")
int auto_missing(struct pt_regs *ctx)
{
	return 0;
}

SEC("uretprobe//proc/self/exe:ox_auto_target+4")
int auto_bad_ret(struct pt_regs *ctx)
{
	return 0;
}

SEC("uprobe//proc/self/exe")
int auto_no_func(struct pt_regs *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
