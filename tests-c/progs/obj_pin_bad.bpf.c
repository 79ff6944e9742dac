// SPDX-License-Identifier: GPL-2.0
/* A map pinned by name under the same name as obj_maps' pinned_counts but
 * with another definition: loading it where that one is pinned must fail. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 8);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} pinned_counts SEC(".maps");

SEC("socket")
int user(void *ctx)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(&pinned_counts, &k) != 0;
}

char LICENSE[] SEC("license") = "GPL";
