// SPDX-License-Identifier: GPL-2.0
/* Programs the verifier refuses (all off by default): a bad memory access,
 * and a use of a map that will not be created. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} lonely SEC(".maps");

SEC("?socket")
int bad_access(struct __sk_buff *skb)
{
	return *(volatile int *)(long)skb->len;
}

SEC("?socket")
int uses_lonely(void *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&lonely, &k);

	return v ? *v : 0;
}

SEC("socket")
int fine(void *ctx)
{
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
