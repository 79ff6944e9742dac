/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `make demo`: a libbpf program, built against oxbpf's headers, showing which
 * library it runs on and a few calls. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>

int main(void)
{
	Dl_info info = { 0 };
	char msg[64];

	dladdr((void *)libbpf_strerror, &info);
	printf("libbpf %s from %s\n", libbpf_version_string(), info.dli_fname);
	libbpf_strerror(-LIBBPF_ERRNO__FORMAT, msg, sizeof(msg));
	printf("LIBBPF_ERRNO__FORMAT: %s\n", msg);
	printf("prog type 6 is %s, map type 27 is %s\n", libbpf_bpf_prog_type_str(BPF_PROG_TYPE_XDP),
	       libbpf_bpf_map_type_str(BPF_MAP_TYPE_RINGBUF));
	printf("possible CPUs: %d\n", libbpf_num_possible_cpus());
	return 0;
}
