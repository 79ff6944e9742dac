// Typed __ksym variables: a per-CPU kernel variable resolved through
// vmlinux BTF (the kernel, without CONFIG_KALLSYMS_ALL, then refuses the
// program: the test checks the instruction libbpf produced), and a weak
// one the kernel does not have (0).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern const int bpf_prog_active __ksym;
extern const int oxbpf_no_such_var __ksym __weak;

int out_active, out_missing;

SEC("syscall")
int typed_ksym(void *ctx)
{
	int *p = bpf_per_cpu_ptr(&bpf_prog_active, 0);

	if (p)
		out_active = *p;
	out_missing = &oxbpf_no_such_var != 0;
	return 0;
}
