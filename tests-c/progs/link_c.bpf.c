// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Third object of the static linker tests: only extern and weak
 * declarations of the shared things, plus its own data and a program in
 * another section. */
#include "link_common.h"

extern SHARED_MAP_DEF shared_map SEC(".maps");
WEAK_MAP_DEF weak_map SEC(".maps") __weak;

extern int b_add(int x);
extern int pick(void);
extern __u64 weak_var;

__u64 c_data[2] = { 40, 50 };

SEC("syscall")
int prog_c(struct link_args *args)
{
	__u32 k = 0;
	__u64 *s = bpf_map_lookup_elem(&shared_map, &k);

	args->out = b_add(1) + pick() * 1000 + weak_var * 10000 + c_data[1] * 1000000 + (s ? *s : 0) * 100000000;
	return 3;
}

SEC("socket")
int sock_c(void *ctx)
{
	return pick() + c_data[0];
}

char LICENSE[] SEC("license") = "GPL";
