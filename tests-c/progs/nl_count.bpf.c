// SPDX-License-Identifier: GPL-2.0
/* Packet counters for the XDP and TC tests (tests-c/netlink_*.c): each
 * program counts the IPv4 UDP datagrams sent to port 4242 into its own slot
 * of `counts` and lets every packet through. Built with -g, so the programs
 * carry BTF line info (tests-c/prog_linfo.c). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define PROBE_PORT 4242

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

/* Whether [data, data_end) is an IPv4 UDP datagram to PROBE_PORT. */
static __always_inline int is_probe(void *data, void *data_end)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp;

	if ((void *)(ip + 1) > data_end)
		return 0;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP || ip->ihl != 5)
		return 0;
	udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > data_end)
		return 0;
	return udp->dest == bpf_htons(PROBE_PORT);
}

static __noinline int bump(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&counts, &slot);

	if (!v)
		return 0;
	__sync_fetch_and_add(v, 1);
	return 1;
}

SEC("xdp")
int xdp_a(struct xdp_md *ctx)
{
	if (is_probe((void *)(long)ctx->data, (void *)(long)ctx->data_end))
		bump(0);
	return XDP_PASS;
}

SEC("xdp")
int xdp_b(struct xdp_md *ctx)
{
	if (is_probe((void *)(long)ctx->data, (void *)(long)ctx->data_end))
		bump(1);
	return XDP_PASS;
}

SEC("tc")
int tc_in(struct __sk_buff *skb)
{
	if (is_probe((void *)(long)skb->data, (void *)(long)skb->data_end))
		bump(2);
	return 0; /* TC_ACT_OK */
}

SEC("tc")
int tc_out(struct __sk_buff *skb)
{
	if (is_probe((void *)(long)skb->data, (void *)(long)skb->data_end))
		bump(3);
	return 0; /* TC_ACT_OK */
}

char LICENSE[] SEC("license") = "GPL";
