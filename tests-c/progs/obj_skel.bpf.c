// SPDX-License-Identifier: GPL-2.0
// oxbpf-prog: skeleton
/* A skeleton's object: globals in .rodata, .data and .bss reached through
 * the skeleton's pointers, a map and programs. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} results SEC(".maps");

const volatile __u32 factor = 1;
__u32 offset = 0;
__u64 product;
__u32 calls;

SEC("syscall")
int compute(void *ctx)
{
	__u32 k = 1;
	__u64 v;

	calls++;
	product = (__u64)factor * 1000 + offset;
	v = product;
	bpf_map_update_elem(&results, &k, &v, BPF_ANY);
	return 0;
}

SEC("?socket")
int unused(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
