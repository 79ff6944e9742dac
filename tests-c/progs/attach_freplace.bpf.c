// SPDX-License-Identifier: GPL-2.0
/* Replaces target_fn of attach_target.bpf.o. */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("freplace/target_fn")
int new_fn(struct __sk_buff *skb)
{
	return 42;
}

char LICENSE[] SEC("license") = "GPL";
