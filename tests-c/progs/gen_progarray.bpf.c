// SPDX-License-Identifier: GPL-2.0
/* A prog array initialised with `values`: a loader program can not fill
 * it (bpf_object__load() with a loader fails with -EOPNOTSUPP). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

int tail(void *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, int (void *));
} jumps SEC(".maps") = {
	.values = { [1] = (void *)&tail },
};

SEC("socket")
int tail(void *ctx)
{
	return 1;
}

SEC("socket")
int head(void *ctx)
{
	bpf_tail_call(ctx, &jumps, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
