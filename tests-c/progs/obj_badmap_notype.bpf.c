// SPDX-License-Identifier: GPL-2.0
/* A map definition without a type. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} typeless SEC(".maps");

SEC("socket") int p(void *ctx) { __u32 k = 0; return bpf_map_lookup_elem(&typeless, &k) != 0; }
char LICENSE[] SEC("license") = "GPL";
