// SPDX-License-Identifier: GPL-2.0
/* Programs of the attach tests, one per attach kind libbpf 1.1 knows: each
 * counts its runs (for this test's process where that can be told) in
 * slot S_* of `hits` and records the last attach cookie in `cookies`. */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "attach_common.h"

SEC("tp/syscalls/sys_enter_getppid")
int tp_getppid(void *ctx)
{
	if (mine())
		hit(S_TP, bpf_get_attach_cookie(ctx));
	return 0;
}

SEC("raw_tp/sys_enter")
int raw_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	if (mine() && ctx->args[1] == 110 /* getppid */)
		hit(S_RAW_TP, 0);
	return 0;
}

SEC("tp_btf/sys_enter")
int btf_sys_enter(u64 *ctx)
{
	if (mine() && ctx[1] == 110)
		hit(S_TP_BTF, bpf_get_attach_cookie(ctx));
	return 0;
}

SEC("uprobe")
int up(struct pt_regs *ctx)
{
	if (mine())
		hit(S_UPROBE, bpf_get_attach_cookie(ctx));
	return 0;
}

SEC("uretprobe")
int uretp(struct pt_regs *ctx)
{
	if (mine())
		hit(S_URETPROBE, PT_REGS_RC(ctx));
	return 0;
}

SEC("perf_event")
int pe(struct bpf_perf_event_data *ctx)
{
	if (mine())
		hit(S_PERF, bpf_get_attach_cookie(ctx));
	return 0;
}

SEC("cgroup_skb/egress")
int cg_egress(struct __sk_buff *skb)
{
	hit(S_CG_SKB, 0);
	return 1;
}

SEC("cgroup_skb/egress")
int cg_egress2(struct __sk_buff *skb)
{
	hit(S_CG_SKB, 2);
	return 1;
}

SEC("cgroup/sock_create")
int cg_sock(struct bpf_sock *sk)
{
	hit(S_CG_SOCK, 0);
	return 1;
}

SEC("sk_lookup")
int lookup(struct bpf_sk_lookup *ctx)
{
	hit(S_SK_LOOKUP, ctx->local_port);
	return SK_PASS;
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	hit(S_XDP, 0);
	return XDP_PASS;
}

SEC("iter/task")
int dump_task(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	__u32 k = 0, *pid = bpf_map_lookup_elem(&cfg, &k);

	if (!task || !pid || task->tgid != *pid)
		return 0;
	BPF_SEQ_PRINTF(seq, "task %d %s\n", task->pid, task->comm);
	return 0;
}

SEC("iter/task")
int dump_task2(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	__u32 k = 0, *pid = bpf_map_lookup_elem(&cfg, &k);

	if (!task || !pid || task->tgid != *pid)
		return 0;
	BPF_SEQ_PRINTF(seq, "second %d\n", task->pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
