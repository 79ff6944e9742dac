// SPDX-License-Identifier: GPL-2.0
/* A map definition with a field libbpf does not know: refused unless the
 * object is opened with relaxed_maps. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
	__uint(frobnicate, 3);
} odd SEC(".maps");

SEC("socket") int p(void *ctx) { __u32 k = 0; return bpf_map_lookup_elem(&odd, &k) != 0; }
char LICENSE[] SEC("license") = "GPL";
