// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Linker error case: declares shared_map extern with another size than
 * link_a's definition, and weak_map with another value size. */
#include "link_common.h"

extern struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} shared_map SEC(".maps");

SEC("syscall")
int prog_err(struct link_args *args)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&shared_map, &k);

	return v ? *v : 0;
}

char LICENSE[] SEC("license") = "GPL";
