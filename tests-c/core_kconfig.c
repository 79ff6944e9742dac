// oxbpf-test: differential
// oxbpf-test: valgrind
/* The `kconfig` open option: values for .kconfig externs (integers, hex,
 * a truncated string, a tristate), the system config supplying the rest;
 * without the option, a strong extern the system lacks fails the load. */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

struct bss {
	int value, tri, bpf_syscall, pad;
	unsigned long long hex;
	char str[8];
};

int main(void)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts,
		    .kconfig = "CONFIG_OXBPF_VALUE=42\n"
			       "CONFIG_OXBPF_STR=\"hello world\"\n"
			       "CONFIG_OXBPF_TRI=m\n"
			       "CONFIG_OXBPF_HEX=0xdeadbeef\n");
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	struct bpf_object *obj;
	struct bpf_program *p;
	struct bss b;
	int err, zero = 0;

	libbpf_set_print(quiet);
	obj = bpf_object__open_file(prog_path("core_kconfig.bpf.o"), &opts);
	if (!obj && errno == EOPNOTSUPP)
		SKIP("bpf_object__open_file is not implemented yet");
	CHECK(obj != NULL);
	if (!obj)
		return harness_done();
	err = bpf_object__load(obj);
	printf("load with the option: %d\n", err);
	CHECK_EQ(err, 0);
	if (!err) {
		p = bpf_object__find_program_by_name(obj, "read_kconfig");
		CHECK_EQ(bpf_prog_test_run_opts(bpf_program__fd(p), &topts), 0);
		memset(&b, 0, sizeof(b));
		CHECK_EQ(bpf_map_lookup_elem(bpf_map__fd(bpf_object__find_map_by_name(obj, ".bss")), &zero, &b), 0);
		printf("value %d tri %d hex 0x%llx str '%s' bpf_syscall %d\n", b.value, b.tri, b.hex, b.str, b.bpf_syscall);
		CHECK_EQ(b.value, 42);
		CHECK_EQ(b.tri, 2);
		CHECK_EQ(b.hex, 0xdeadbeef);
		CHECK_STR(b.str, "hello w");
		CHECK_EQ(b.bpf_syscall, 1);
	}
	bpf_object__close(obj);

	obj = bpf_object__open_file(prog_path("core_kconfig.bpf.o"), NULL);
	CHECK(obj != NULL);
	err = bpf_object__load(obj);
	printf("load without the option: %d\n", err);
	CHECK_EQ(err, -ESRCH);
	bpf_object__close(obj);
	return harness_done();
}
