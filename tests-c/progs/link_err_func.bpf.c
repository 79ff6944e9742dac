// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Linker error case: defines b_add() with two parameters where link_a
 * declares it with one. */
#include "link_common.h"

__noinline long b_add(long x, long y)
{
	return x + y;
}

SEC("syscall")
int prog_err(struct link_args *args)
{
	return b_add(args->in, 2);
}

char LICENSE[] SEC("license") = "GPL";
