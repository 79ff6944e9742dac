// SPDX-License-Identifier: GPL-2.0
/* A map definition whose key size and key type disagree. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(key_size, 8);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} conflicting SEC(".maps");

SEC("socket") int p(void *ctx) { __u32 k = 0; return bpf_map_lookup_elem(&conflicting, &k) != 0; }
char LICENSE[] SEC("license") = "GPL";
