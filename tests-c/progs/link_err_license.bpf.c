// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Linker error case: another license than link_a's. */
#include "link_common.h"

__u64 other_value = 1;

char LICENSE[] SEC("license") = "Dual BSD/GPL";
