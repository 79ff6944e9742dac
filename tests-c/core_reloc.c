// oxbpf-test: differential
// oxbpf-test: valgrind
/* CO-RE relocations of every kind, kconfig and ksym externs, against the
 * running kernel: the instructions after load are printed (and so compared
 * with Debian's libbpf line for line, map fd immediates masked), then the
 * program runs and its view of the current task is checked against what
 * user space sees, and its CO-RE answers against vmlinux BTF. */
#include "harness.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

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
	int type_matches, mine_matches;
	int kernel_type_id, local_type_id;
	long long enum_tgid, enum_ringbuf, enum_tgid_exists, enum_nope_exists;
	int hz, bpf_syscall, jit, missing_cfg;
	unsigned int kversion;
	unsigned long long init_task_addr, no_such_symbol_addr;
	int kfunc_pid;
	int has_cookie, has_wrapper;
};

/* Prints the instructions, with the fds of map references masked. */
static void print_insns(const struct bpf_program *prog)
{
	const struct bpf_insn *insn = bpf_program__insns(prog);
	size_t i, n = bpf_program__insn_cnt(prog);

	printf("prog %s: %zu insns\n", bpf_program__name(prog), n);
	for (i = 0; i < n; i++) {
		const struct bpf_insn *in = &insn[i];
		bool map_ref = in->code == (BPF_LD | BPF_IMM | BPF_DW) &&
			       (in->src_reg == BPF_PSEUDO_MAP_FD || in->src_reg == BPF_PSEUDO_MAP_VALUE);

		if (map_ref)
			printf("%4zu: %02x %x %x %d fd\n", i, in->code, in->dst_reg, in->src_reg, in->off);
		else
			printf("%4zu: %02x %x %x %d %d\n", i, in->code, in->dst_reg, in->src_reg, in->off, in->imm);
	}
}

static long member_offset(const struct btf *btf, const char *type, const char *field)
{
	int id = btf__find_by_name_kind(btf, type, BTF_KIND_STRUCT);
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m = btf_members(t);
	int i;

	for (i = 0; i < (int)btf_vlen(t); i++, m++)
		if (strcmp(btf__name_by_offset(btf, m->name_off), field) == 0)
			return btf_member_bit_offset(t, i) / 8;
	return -1;
}

static unsigned long long kallsyms_addr(const char *name)
{
	char line[512], sym[256], type;
	unsigned long long addr, found = 0;
	FILE *f = fopen("/proc/kallsyms", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %255s", &addr, &type, sym) == 3 && strcmp(sym, name) == 0) {
			found = addr;
			break;
		}
	if (f)
		fclose(f);
	return found;
}

static unsigned int kernel_version(void)
{
	struct utsname u;
	unsigned int a = 0, b = 0, c = 0;

	uname(&u);
	sscanf(u.release, "%u.%u.%u", &a, &b, &c);
	return (a << 16) + (b << 8) + (c > 255 ? 255 : c);
}

static int read_status_ppid(void)
{
	return getppid();
}

int main(void)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *bss;
	struct out o;
	struct btf *vmlinux;
	int err, zero = 0;
	char comm[16] = {};
	LIBBPF_OPTS(bpf_test_run_opts, topts);

	obj = bpf_object__open_file(prog_path("core_reloc.bpf.o"), NULL);
	if (!obj && errno == EOPNOTSUPP)
		SKIP("bpf_object__open_file is not implemented yet");
	CHECK(obj != NULL);
	if (!obj)
		return harness_done();
	err = bpf_object__load(obj);
	if (err == -EOPNOTSUPP)
		SKIP("bpf_object__load is not implemented yet");
	CHECK_EQ(err, 0);
	if (err)
		return harness_done();

	bpf_object__for_each_program(prog, obj)
		print_insns(prog);

	prog = bpf_object__find_program_by_name(obj, "core_main");
	CHECK(prog != NULL);
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &topts);
	CHECK_EQ(err, 0);
	bss = bpf_object__find_map_by_name(obj, ".bss");
	CHECK(bss != NULL);
	memset(&o, 0, sizeof(o));
	CHECK_EQ(bpf_map_lookup_elem(bpf_map__fd(bss), &zero, &o), 0);

	/* what user space sees of itself */
	prctl(PR_GET_NAME, comm);
	CHECK_EQ(o.pid, getpid());
	CHECK_EQ(o.tgid, getpid());
	CHECK_EQ(o.ppid, read_status_ppid());
	CHECK_STR(o.comm, comm);
	CHECK_EQ(o.comm0, comm[0]);
	CHECK(o.dumpable <= 1);
	CHECK_EQ(o.in_execve, 0);
	CHECK_EQ(o.mine_pid, getpid());
	CHECK_EQ(o.mine_tgid, getpid());
	CHECK_EQ(o.mine_ppid, getppid());
	CHECK_STR(o.mine_comm, comm);
	CHECK_EQ(o.mine_dumpable, o.dumpable);
	CHECK_EQ(o.kfunc_pid, getpid());

	/* what vmlinux BTF says */
	vmlinux = btf__load_vmlinux_btf();
	CHECK(vmlinux != NULL);
	if (vmlinux) {
		int task_id = btf__find_by_name_kind(vmlinux, "task_struct", BTF_KIND_STRUCT);

		CHECK_EQ(o.comm_offset, member_offset(vmlinux, "task_struct", "comm"));
		CHECK_EQ(o.pid_offset, member_offset(vmlinux, "task_struct", "pid"));
		CHECK_EQ(o.type_size, btf__resolve_size(vmlinux, task_id));
		CHECK_EQ(o.kernel_type_id, task_id);
		btf__free(vmlinux);
	}
	CHECK_EQ(o.old_field_exists, 0);
	CHECK_EQ(o.pid_exists, 1);
	CHECK_EQ(o.comm_size, 16);
	CHECK_EQ(o.type_exists, 1);
	CHECK_EQ(o.missing_type_exists, 0);
	CHECK_EQ(o.missing_type_size, 0);
	/* bpf_core_type_matches() of vmlinux.h's task_struct: the instruction
	 * dump above compares it with Debian's libbpf */
	printf("type_matches %d\n", o.type_matches);
	CHECK_EQ(o.mine_matches, 0);
	CHECK(o.local_type_id > 0);
	CHECK_EQ(o.enum_tgid, 1);
	CHECK_EQ(o.enum_ringbuf, BPF_MAP_TYPE_RINGBUF);
	CHECK_EQ(o.enum_tgid_exists, 1);
	CHECK_EQ(o.enum_nope_exists, 0);

	/* externs */
	CHECK(o.hz == 100 || o.hz == 250 || o.hz == 300 || o.hz == 1000);
	CHECK_EQ(o.bpf_syscall, 1);
	CHECK_EQ(o.missing_cfg, 0);
	CHECK_EQ(o.kversion, kernel_version());
	CHECK_EQ(o.init_task_addr, kallsyms_addr("schedule"));
	CHECK_EQ(o.no_such_symbol_addr, 0);
	printf("hz %d jit %d bpf_cookie %d syscall_wrapper %d\n", o.hz, o.jit, o.has_cookie, o.has_wrapper);

	bpf_object__close(obj);
	return harness_done();
}
