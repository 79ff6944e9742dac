// SPDX-License-Identifier: GPL-2.0
/* A static map definition (BTF linkage static): not supported. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} hidden_map SEC(".maps");

SEC("socket") int p(void *ctx) { __u32 k = 0; return bpf_map_lookup_elem(&hidden_map, &k) != 0; }
char LICENSE[] SEC("license") = "GPL";
