// SPDX-License-Identifier: GPL-2.0
/* Global data and code relocations, proven by running the programs:
 * .rodata and .data set from user space before load are read, .bss is
 * written; static and global subprograms and a bpf_loop() callback are
 * called. No BTF-defined maps. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u64 ro_mult = 3;
const volatile __u32 ro_table[4] = { 1, 2, 3, 4 };
__u64 data_add = 10;
__u64 out_static;
__u64 out_global;
__u64 out_loop;
__u32 out_table_sum;
__u64 custom_counter SEC(".data.counters") = 100;

static __noinline __u64 times_mult(__u64 x)
{
	return x * ro_mult;
}

__noinline __u64 plus_data(__u64 x)
{
	return x + data_add;
}

static int loop_cb(__u32 index, void *ctx)
{
	__u64 *acc = ctx;

	*acc += index;
	return 0;
}

struct args {
	__u64 in;
};

SEC("syscall")
int run(struct args *a)
{
	__u64 acc = 0;
	__u32 i, sum = 0;

	out_static = times_mult(a->in);
	out_global = plus_data(a->in);
	bpf_loop(5, loop_cb, &acc, 0);
	out_loop = acc;
	for (i = 0; i < 4; i++)
		sum += ro_table[i];
	out_table_sum = sum;
	custom_counter++;
	return 7;
}

SEC("socket")
int sock(void *ctx)
{
	return times_mult(2);
}

char LICENSE[] SEC("license") = "GPL";
