// One CO-RE field offset, relocated against a custom BTF (btf_custom_path)
// in tests-c/core_custom_btf.c, and an optional and a failing relocation.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

struct task_struct___gone {
	int nope;
} __attribute__((preserve_access_index));

int out_pid_offset;
int out_nope;

SEC("syscall")
int read_pid(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	out_pid_offset = bpf_core_field_offset(t->pid);
	bpf_probe_read_kernel(&out_nope, sizeof(out_nope), &t->pid);
	return 0;
}

SEC("syscall")
int optional_relo(void *ctx)
{
	struct task_struct___gone *t = (void *)bpf_get_current_task();

	if (bpf_core_field_exists(t->nope))
		out_nope = BPF_CORE_READ(t, nope);
	else
		out_nope = -1;
	return 0;
}

SEC("syscall")
int failing_relo(void *ctx)
{
	struct task_struct___gone *t = (void *)bpf_get_current_task();

	out_nope = BPF_CORE_READ(t, nope);
	return 0;
}
