// SPDX-License-Identifier: GPL-2.0
/* A BTF tracepoint whose target the kernel does not have: generating its
 * loader succeeds (targets are looked up by the loader), running the
 * loader fails with the kernel's answer and leaves nothing behind. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

__u64 runs;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} counts SEC(".maps");

SEC("tp_btf/oxbpf_no_such_tracepoint")
int on_nothing(u64 *ctx)
{
	runs++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
