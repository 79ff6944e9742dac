// SPDX-License-Identifier: GPL-2.0
/* A program calling a global function that freplace tests replace. */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

__noinline int target_fn(struct __sk_buff *skb)
{
	return skb->len > 1000 ? 7 : 1;
}

SEC("tc")
int entry(struct __sk_buff *skb)
{
	return target_fn(skb);
}

char LICENSE[] SEC("license") = "GPL";
