// SPDX-License-Identifier: GPL-2.0
/* A map defined the pre-BTF way in SEC("maps"): libbpf 1.x refuses it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct legacy_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct legacy_map_def counters SEC("maps") = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = 4,
	.value_size = 8,
	.max_entries = 1,
};

SEC("socket")
int prog(void *ctx)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(&counters, &k) != 0;
}

char LICENSE[] SEC("license") = "GPL";
