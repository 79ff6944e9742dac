// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Static linker test object with sections the linker tracks without ELF
 * sections of their own: .kconfig and .ksyms externs, and a .maps holding
 * only an extern map (defined by link_a, linked after this object). Also
 * string literals (.rodata.str1.1) and a static variable. */
#include "link_common.h"

extern SHARED_MAP_DEF shared_map SEC(".maps");

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_HZ __kconfig __weak;
extern const void bpf_prog_active __ksym __weak;

static __u64 e_calls;
const char e_msg[] = "linked";

SEC("syscall")
int prog_e(struct link_args *args)
{
	__u32 k = 0;
	__u64 *s = bpf_map_lookup_elem(&shared_map, &k);

	e_calls++;
	args->out = (LINUX_KERNEL_VERSION > 0) + (CONFIG_HZ > 0) * 10 + (&bpf_prog_active != 0) * 100 +
		    e_calls * 1000 + e_msg[1] * 10000 + (s ? *s : 0) * 10000000;
	return 5;
}

char LICENSE[] SEC("license") = "GPL";
