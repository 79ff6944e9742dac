// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Linker error case: weak_map weakly defined with a 32-bit value where
 * link_a's has a 64-bit one. */
#include "link_common.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} weak_map SEC(".maps") __weak;

char LICENSE[] SEC("license") = "GPL";
