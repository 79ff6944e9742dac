// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Linker error case: weak_var weakly defined in .bss where link_b defines
 * it in .data. */
#include "link_common.h"

__weak __u64 weak_var;

char LICENSE[] SEC("license") = "GPL";
