// SPDX-License-Identifier: GPL-2.0
/* For tests-c/users/iproute2_lwt.sh: a lightweight-tunnel program (`ip
 * route ... encap bpf out obj ...`) counting the packets routed through it
 * and letting them go on. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lwt_count SEC(".maps");

SEC("lwt_out")
int count_out(struct __sk_buff *skb)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&lwt_count, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
	return BPF_OK;
}

char LICENSE[] SEC("license") = "GPL";
