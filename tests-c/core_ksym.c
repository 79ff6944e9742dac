// oxbpf-test: differential
/* Typed __ksym variables resolved through vmlinux BTF: the per-CPU
 * variable's ld_imm64 carries its BTF id (the kernel, without
 * CONFIG_KALLSYMS_ALL, then refuses the program with ENOENT, as it does
 * for libbpf), the absent weak one becomes the address 0. The instructions
 * are compared with Debian's libbpf (map fds masked). */
#include "harness.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stdio.h>

#include <bpf/libbpf.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

int main(void)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	const struct bpf_insn *in;
	size_t i, n;
	int err;

	libbpf_set_print(quiet);
	obj = bpf_object__open_file(prog_path("core_ksym.bpf.o"), NULL);
	if (!obj && errno == EOPNOTSUPP)
		SKIP("bpf_object__open_file is not implemented yet");
	CHECK(obj != NULL);
	if (!obj)
		return harness_done();
	err = bpf_object__load(obj);
	if (err == -EOPNOTSUPP)
		SKIP("bpf_object__load is not implemented yet");
	printf("load: %d\n", err);
	prog = bpf_object__find_program_by_name(obj, "typed_ksym");
	in = bpf_program__insns(prog);
	n = bpf_program__insn_cnt(prog);
	for (i = 0; i < n; i++) {
		bool map_ref = in[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
			       (in[i].src_reg == BPF_PSEUDO_MAP_FD || in[i].src_reg == BPF_PSEUDO_MAP_VALUE);

		if (map_ref)
			printf("%3zu: %02x %x %x %d fd\n", i, in[i].code, in[i].dst_reg, in[i].src_reg, in[i].off);
		else
			printf("%3zu: %02x %x %x %d %d\n", i, in[i].code, in[i].dst_reg, in[i].src_reg, in[i].off, in[i].imm);
	}
	CHECK(n > 1 && in[0].src_reg == BPF_PSEUDO_BTF_ID && in[0].imm > 0);
	bpf_object__close(obj);
	return harness_done();
}
