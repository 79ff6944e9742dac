// SPDX-License-Identifier: GPL-2.0
/* Programs of the attach kinds newer than libbpf 1.1 (tcx, netkit,
 * netfilter, sockmap links, multi-uprobes, raw tracepoint cookies). */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "attach_common.h"

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} socks SEC(".maps");

SEC("tcx/ingress")
int tcx_count(struct __sk_buff *skb)
{
	hit(S_TCX, 1);
	return TCX_NEXT;
}

SEC("tcx/ingress")
int tcx_count2(struct __sk_buff *skb)
{
	hit(S_TCX, 2);
	return TCX_NEXT;
}

SEC("netkit/primary")
int nk_count(struct __sk_buff *skb)
{
	hit(S_NETKIT, skb->ifindex);
	return -1; /* NETKIT_NEXT */
}

SEC("netfilter")
int nf_count(struct bpf_nf_ctx *ctx)
{
	hit(S_NETFILTER, 0);
	return 1; /* NF_ACCEPT */
}

SEC("sk_skb/verdict")
int verdict(struct __sk_buff *skb)
{
	hit(S_SOCKMAP, skb->len);
	return SK_PASS;
}

SEC("uprobe.multi")
int upm(struct pt_regs *ctx)
{
	if (mine())
		hit(S_UPROBE_MULTI, bpf_get_attach_cookie(ctx));
	return 0;
}

SEC("uretprobe.multi")
int urpm(struct pt_regs *ctx)
{
	if (mine())
		hit(S_URETPROBE, PT_REGS_RC(ctx));
	return 0;
}

SEC("raw_tp/sys_enter")
int raw_cookie(struct bpf_raw_tracepoint_args *ctx)
{
	if (mine() && ctx->args[1] == 110)
		hit(S_RAW_TP, bpf_get_attach_cookie(ctx));
	return 0;
}

SEC("uprobe")
int up_modes(struct pt_regs *ctx)
{
	if (mine())
		hit(S_UPROBE, bpf_get_attach_cookie(ctx));
	return 0;
}

SEC("perf_event")
int pe_opts(struct bpf_perf_event_data *ctx)
{
	if (mine())
		hit(S_PERF, 1);
	return 0;
}

SEC("cgroup_skb/egress")
int cg_a(struct __sk_buff *skb)
{
	return 1;
}

SEC("cgroup_skb/egress")
int cg_b(struct __sk_buff *skb)
{
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
