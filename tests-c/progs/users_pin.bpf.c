// SPDX-License-Identifier: GPL-2.0
/* For tests-c/users/iproute2_tc.sh: one map pinned by name (iproute2 pins it
 * under its bpffs working directory and reuses it on the next load) counted
 * by a TC program per direction, and a map that is not pinned. Programs
 * count IPv4 UDP datagrams to port 4242 and let every packet through. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} users_pinned SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} users_private SEC(".maps");

static __always_inline int is_probe(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);

	if ((void *)(udp + 1) > data_end)
		return 0;
	return eth->h_proto == bpf_htons(ETH_P_IP) && ip->protocol == IPPROTO_UDP && ip->ihl == 5 &&
	       udp->dest == bpf_htons(4242);
}

static __always_inline void bump(void *map, __u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(map, &slot);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("tc/ingress")
int count_in(struct __sk_buff *skb)
{
	if (is_probe(skb)) {
		bump(&users_pinned, 0);
		bump(&users_private, 0);
	}
	return 0; /* TC_ACT_OK */
}

SEC("tc/egress")
int count_out(struct __sk_buff *skb)
{
	if (is_probe(skb)) {
		bump(&users_pinned, 1);
		bump(&users_private, 0);
	}
	return 0; /* TC_ACT_OK */
}

char LICENSE[] SEC("license") = "GPL";
