// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* First object of the static linker tests: defines shared_map, a weak
 * weak_map, a weak pick() and a weak variable overridden by link_b, and
 * calls functions and reads variables defined in link_b. */
#include "link_common.h"

SHARED_MAP_DEF shared_map SEC(".maps");
WEAK_MAP_DEF weak_map SEC(".maps") __weak;

extern int b_add(int x);
extern __u64 b_value;
extern const volatile __u32 b_ro;

__u64 a_data = 5;
__u64 a_bss;
const volatile __u32 a_ro = 7;
__weak __u64 weak_var = 1000;
static __u64 a_static_counter;

/* Same static name as in link_b: both survive, each file calls its own. */
static __noinline int helper(int x)
{
	return x * 2;
}

__weak __noinline int pick(void)
{
	return 1;
}

SEC("syscall")
int prog_a(struct link_args *args)
{
	__u32 k = 0;
	__u64 v = 11, *w;

	a_static_counter++;
	a_bss = args->in;
	args->out = b_add(args->in) + helper(args->in & 7) * 10000 + pick() * 1000000 + b_value * 100000000ULL +
		    a_ro + b_ro * 10 + weak_var * 1000000000ULL + a_static_counter * 10000000000000ULL;
	bpf_map_update_elem(&shared_map, &k, &v, 0);
	k = 1;
	w = bpf_map_lookup_elem(&weak_map, &k);
	if (w)
		args->out += *w * 100;
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
