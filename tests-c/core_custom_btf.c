// oxbpf-test: differential
// oxbpf-test: valgrind
/* btf_custom_path: relocations follow a BTF built with btf__add_*() where
 * task_struct.pid sits at another offset than in vmlinux; a relocation that
 * finds no field poisons its instruction: guarded, the program loads;
 * unguarded, the load fails with a log naming the program, the relocation
 * and the type. */
#include "harness.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

static char logbuf[1 << 16];
static size_t loglen;

static int capture(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int n = vsnprintf(logbuf + loglen, sizeof(logbuf) - loglen, fmt, ap);

	if (n > 0 && loglen + n < sizeof(logbuf))
		loglen += n;
	return 0;
}

/* Loads only program `name` of the object; returns the load result. */
static int load_only(const char *name, const struct bpf_object_open_opts *opts, struct bpf_object **out)
{
	struct bpf_object *obj = bpf_object__open_file(prog_path("core_custom.bpf.o"), opts);
	struct bpf_program *p;

	if (!obj) {
		if (errno == EOPNOTSUPP)
			SKIP("bpf_object__open_file is not implemented yet");
		return -errno;
	}
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, strcmp(bpf_program__name(p), name) == 0);
	*out = obj;
	return bpf_object__load(obj);
}

static const struct bpf_insn *find_ld_off(const struct bpf_program *p, int *imm)
{
	const struct bpf_insn *in = bpf_program__insns(p);
	size_t i;

	/* the relocated "r = <offset>" / "r += <offset>" */
	for (i = 0; i < bpf_program__insn_cnt(p); i++)
		if ((in[i].code == (BPF_ALU64 | BPF_MOV | BPF_K) || in[i].code == (BPF_ALU64 | BPF_ADD | BPF_K)) &&
		    in[i].imm == 40) {
			*imm = in[i].imm;
			return &in[i];
		}
	return NULL;
}

int main(void)
{
	char path[64];
	struct btf *btf;
	const void *raw;
	__u32 raw_sz;
	int int_id, err, imm = 0;
	FILE *f;
	struct bpf_object *obj = NULL;

	/* task_struct { int pad[10]; int pid; } */
	btf = btf__new_empty();
	CHECK(btf != NULL);
	int_id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	if (int_id < 0 && errno == EOPNOTSUPP)
		SKIP("btf__add_int is not implemented yet");
	CHECK(int_id > 0);
	CHECK(btf__add_struct(btf, "task_struct", 44) > 0);
	CHECK_EQ(btf__add_field(btf, "pad", int_id, 0, 0), 0);
	CHECK_EQ(btf__add_field(btf, "pid", int_id, 40 * 8, 0), 0);
	raw = btf__raw_data(btf, &raw_sz);
	CHECK(raw != NULL);
	snprintf(path, sizeof(path), "/tmp/oxbpf-custom-btf-%d", getpid());
	f = fopen(path, "w");
	CHECK(f && fwrite(raw, 1, raw_sz, f) == raw_sz);
	if (f)
		fclose(f);
	btf__free(btf);

	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = path);
	err = load_only("read_pid", &opts, &obj);
	if (err == -EOPNOTSUPP)
		SKIP("bpf_object__load is not implemented yet");
	CHECK_EQ(err, 0);
	if (!err) {
		struct bpf_program *p = bpf_object__find_program_by_name(obj, "read_pid");
		LIBBPF_OPTS(bpf_test_run_opts, topts);
		struct bpf_map *bss = bpf_object__find_map_by_name(obj, ".bss");
		int zero = 0, vals[2] = {};

		CHECK(find_ld_off(p, &imm) != NULL);
		printf("custom BTF: pid offset patched to %d\n", imm);
		CHECK_EQ(bpf_prog_test_run_opts(bpf_program__fd(p), &topts), 0);
		CHECK_EQ(bpf_map_lookup_elem(bpf_map__fd(bss), &zero, vals), 0);
		CHECK_EQ(vals[0], 40);
	}
	bpf_object__close(obj);
	unlink(path);

	/* guarded: loads, and takes the "doesn't exist" branch */
	err = load_only("optional_relo", NULL, &obj);
	CHECK_EQ(err, 0);
	printf("optional relocation: load %d\n", err);
	bpf_object__close(obj);

	/* unguarded: the verifier meets the poisoned instruction */
	libbpf_set_print(capture);
	err = load_only("failing_relo", NULL, &obj);
	libbpf_set_print(NULL);
	bpf_object__close(obj);
	CHECK(err < 0);
	printf("failing relocation: load %s\n", err < 0 ? "failed" : "succeeded");
	CHECKM(strstr(logbuf, "prog 'failing_relo'") != NULL, "log: %s", logbuf);
	CHECKM(strstr(logbuf, "failed to resolve CO-RE relocation <byte_off>") != NULL, "log: %s", logbuf);
	CHECKM(strstr(logbuf, "struct task_struct___gone.nope") != NULL, "log: %s", logbuf);
	printf("log names program, relocation and type: %s\n",
	       strstr(logbuf, "failing_relo") && strstr(logbuf, "<byte_off>") && strstr(logbuf, "task_struct___gone.nope")
		       ? "yes" : "no");
	return harness_done();
}
