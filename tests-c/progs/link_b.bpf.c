// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Second object of the static linker tests: defines b_add(), b_value,
 * b_ro, the strong pick() and weak_var, declares shared_map extern and
 * weak_map weakly. */
#include "link_common.h"

extern SHARED_MAP_DEF shared_map SEC(".maps");
WEAK_MAP_DEF weak_map SEC(".maps") __weak;

extern __u64 a_data;

__u64 b_value = 3;
const volatile __u32 b_ro = 4;
__u64 weak_var = 2;
__u64 b_bss[3];

/* First function of .text: called through the section symbol. */
static __noinline int first_static(int x)
{
	return x + 1;
}

static __noinline int helper(int x)
{
	return x * 3;
}

__noinline int b_add(int x)
{
	return x + 100 + first_static(0);
}

__noinline int pick(void)
{
	return 2;
}

SEC("syscall")
int prog_b(struct link_args *args)
{
	__u32 k = 1;
	__u64 v = 22, *s;

	bpf_map_update_elem(&weak_map, &k, &v, 0);
	k = 0;
	s = bpf_map_lookup_elem(&shared_map, &k);
	b_bss[2] = args->in;
	args->out = helper(args->in & 7) + first_static(args->in & 3) * 10 + a_data * 100 + (s ? *s : 0) * 1000;
	return 2;
}

char LICENSE[] SEC("license") = "GPL";
