// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* An object with .BTF and a .BTF.ext holding func info, line info and
 * CO-RE relocations, for the BTF parsing tests. Never loaded. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct sample_task {
	int pid;
	int tgid;
	struct sample_task *parent;
} __attribute__((preserve_access_index));

int sample_counter = 1;
const volatile long sample_config = 3;

static __attribute__((noinline)) int sample_helper(struct sample_task *t)
{
	return t->tgid + sample_counter;
}

SEC("raw_tracepoint/sample")
int sample_prog(void *ctx)
{
	struct sample_task *t = ctx;

	sample_counter += t->pid;
	return sample_helper(t->parent) + sample_config;
}

char LICENSE[] SEC("license") = "GPL";
