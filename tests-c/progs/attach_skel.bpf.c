// SPDX-License-Identifier: GPL-2.0
// oxbpf-prog: skeleton
/* A skeleton's programs for bpf_object__attach_skeleton(): auto-attached
 * ones (tracepoint, raw tracepoint, uprobe on the test binary, iterator,
 * a custom section whose handler attaches it), and ones the skeleton
 * skips (no target, no auto-attach, not loaded). */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "attach_common.h"

SEC("tp/syscalls/sys_enter_getppid")
int skel_tp(void *ctx)
{
	if (mine())
		hit(S_SKEL_TP, 0);
	return 0;
}

SEC("raw_tp/sys_enter")
int skel_raw(struct bpf_raw_tracepoint_args *ctx)
{
	if (mine() && ctx->args[1] == 110)
		hit(S_SKEL_RAW, 0);
	return 0;
}

SEC("uprobe//proc/self/exe:ox_skel_target")
int skel_up(struct pt_regs *ctx)
{
	if (mine())
		hit(S_SKEL_UPROBE, 0);
	return 0;
}

SEC("iter/task")
int skel_iter(struct bpf_iter__task *ctx)
{
	return 0;
}

SEC("ox_attach_custom/sys_enter")
int skel_custom(struct bpf_raw_tracepoint_args *ctx)
{
	if (mine() && ctx->args[1] == 110)
		hit(S_CUSTOM, 0);
	return 0;
}

SEC("uprobe")
int skel_no_target(struct pt_regs *ctx)
{
	return 0;
}

SEC("xdp")
int skel_xdp(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("?tp/syscalls/sys_enter_getppid")
int skel_not_loaded(void *ctx)
{
	return 0;
}

SEC("tp/syscalls/sys_enter_getppid")
int skel_off(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
