// SPDX-License-Identifier: GPL-2.0
/* `values` on a map that is neither a map of maps nor a prog array. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} in SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__uint(max_entries, 2);
	__array(values, struct inner);
} wrong SEC(".maps") = { .values = { &in } };

SEC("socket") int p(void *ctx) { __u32 k = 0; return bpf_map_lookup_elem(&wrong, &k) != 0; }
char LICENSE[] SEC("license") = "GPL";
