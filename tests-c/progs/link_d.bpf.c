// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Fourth object of the static linker tests, linked after link_b: CO-RE
 * relocations (against vmlinux's task_struct) in code that lands at an
 * offset of the output section, and a call into link_b. */
#include "link_common.h"

struct task_struct {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

extern int b_add(int x);

static __noinline int tgid_off(void)
{
	return bpf_core_field_offset(struct task_struct, tgid);
}

SEC("syscall")
int prog_d(struct link_args *args)
{
	args->out = b_add(args->in) + tgid_off() * 1000 + bpf_core_field_size(struct task_struct, pid) * 100000;
	return 4;
}

char LICENSE[] SEC("license") = "GPL";
