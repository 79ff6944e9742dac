// SPDX-License-Identifier: GPL-2.0
/* CO-RE relocations and externs for loader programs: the loader has the
 * kernel it runs on apply the CO-RE relocations, finds kfuncs and
 * typeless ksyms itself, and carries the .kconfig values of the
 * generating host. Everything core_reloc.bpf.c checks except
 * bpf_core_type_matches(), which the kernel's own CO-RE refuses. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

struct task_struct___mine {
	pid_t tgid;
	pid_t pid;
	unsigned int in_execve:1;
	unsigned int user_dumpable:1;
	char comm[16];
	struct task_struct___mine *real_parent;
	unsigned int flags;
} __attribute__((preserve_access_index));

struct task_struct___old {
	int no_such_field;
	pid_t pid;
} __attribute__((preserve_access_index));

struct oxbpf_not_in_kernel___x {
	int a;
} __attribute__((preserve_access_index));

enum pid_type___mine { PIDTYPE_TGID___mine = 7, PIDTYPE_NOPE___mine = 9 };

extern int CONFIG_HZ __kconfig;
extern bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig __weak;
extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_OXBPF_DOES_NOT_EXIST __kconfig __weak;
extern const void schedule __ksym;
extern const void oxbpf_no_such_symbol __ksym __weak;

struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
void bpf_task_release(struct task_struct *p) __ksym;
void bpf_oxbpf_no_such_kfunc(void) __ksym __weak;

struct out {
	int pid, tgid, ppid;
	char comm[16];
	int comm0;
	unsigned long long dumpable, in_execve;
	int mine_pid, mine_tgid, mine_ppid;
	char mine_comm[16];
	unsigned long long mine_dumpable;
	int old_field_exists, pid_exists, comm_size, comm_offset, pid_offset;
	int type_exists, missing_type_exists, type_size, missing_type_size;
	int kernel_type_id, local_type_id;
	long long enum_tgid, enum_ringbuf, enum_tgid_exists, enum_nope_exists;
	int hz, bpf_syscall, jit, missing_cfg;
	unsigned int kversion;
	unsigned long long schedule_addr, no_such_symbol_addr;
	int kfunc_pid, missing_kfunc;
} out;

static __noinline int sub_pid(struct task_struct *task)
{
	/* a CO-RE relocation in a subprogram */
	return BPF_CORE_READ(task, pid);
}

SEC("syscall")
int core_main(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct task_struct___mine *mine = (void *)task;
	struct task_struct *t;

	out.pid = sub_pid(task);
	out.tgid = BPF_CORE_READ(task, tgid);
	out.ppid = BPF_CORE_READ(task, real_parent, tgid);
	BPF_CORE_READ_INTO(&out.comm, task, comm);
	out.comm0 = BPF_CORE_READ(task, comm[0]);
	out.dumpable = BPF_CORE_READ_BITFIELD_PROBED(task, user_dumpable);
	out.in_execve = BPF_CORE_READ_BITFIELD_PROBED(task, in_execve);

	out.mine_pid = BPF_CORE_READ(mine, pid);
	out.mine_tgid = BPF_CORE_READ(mine, tgid);
	out.mine_ppid = BPF_CORE_READ(mine, real_parent, tgid);
	bpf_core_read_str(&out.mine_comm, sizeof(out.mine_comm), &mine->comm);
	out.mine_dumpable = BPF_CORE_READ_BITFIELD_PROBED(mine, user_dumpable);

	out.old_field_exists = bpf_core_field_exists(((struct task_struct___old *)task)->no_such_field);
	if (bpf_core_field_exists(((struct task_struct___old *)task)->no_such_field))
		out.old_field_exists = BPF_CORE_READ((struct task_struct___old *)task, no_such_field);
	out.pid_exists = bpf_core_field_exists(((struct task_struct___old *)task)->pid);
	out.comm_size = bpf_core_field_size(task->comm);
	out.comm_offset = bpf_core_field_offset(task->comm);
	out.pid_offset = bpf_core_field_offset(struct task_struct___mine, pid);

	out.type_exists = bpf_core_type_exists(struct task_struct);
	out.missing_type_exists = bpf_core_type_exists(struct oxbpf_not_in_kernel___x);
	out.type_size = bpf_core_type_size(struct task_struct);
	out.missing_type_size = bpf_core_type_size(struct oxbpf_not_in_kernel___x);
	out.kernel_type_id = bpf_core_type_id_kernel(struct task_struct);
	out.local_type_id = bpf_core_type_id_local(struct task_struct___mine);

	out.enum_tgid = bpf_core_enum_value(enum pid_type, PIDTYPE_TGID);
	out.enum_ringbuf = bpf_core_enum_value(enum bpf_map_type, BPF_MAP_TYPE_RINGBUF);
	out.enum_tgid_exists = bpf_core_enum_value_exists(enum pid_type___mine, PIDTYPE_TGID___mine);
	out.enum_nope_exists = bpf_core_enum_value_exists(enum pid_type___mine, PIDTYPE_NOPE___mine);

	out.hz = CONFIG_HZ;
	out.bpf_syscall = CONFIG_BPF_SYSCALL;
	out.jit = CONFIG_BPF_JIT;
	out.missing_cfg = CONFIG_OXBPF_DOES_NOT_EXIST;
	out.kversion = LINUX_KERNEL_VERSION;
	out.schedule_addr = (unsigned long long)&schedule;
	out.no_such_symbol_addr = (unsigned long long)&oxbpf_no_such_symbol;

	t = bpf_task_from_pid(out.tgid);
	if (t) {
		out.kfunc_pid = t->pid;
		bpf_task_release(t);
	}
	t = bpf_task_from_pid(out.pid);
	if (t)
		bpf_task_release(t);
	out.missing_kfunc = 1;
	if (&bpf_oxbpf_no_such_kfunc) {
		out.missing_kfunc = 2;
		bpf_oxbpf_no_such_kfunc();
	}
	return 0;
}
