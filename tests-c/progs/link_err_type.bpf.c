// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Linker error case: defines b_value as a 32-bit integer where link_a
 * declares it extern as 64-bit. */
#include "link_common.h"

__u32 b_value = 3;

char LICENSE[] SEC("license") = "GPL";
