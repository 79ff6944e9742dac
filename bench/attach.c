/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Attaching, the parts the library does (the kernel's own detach costs,
 * RCU grace periods of tens of ms for tracepoints and uprobes, are left
 * out):
 * - uprobe_symbol_miss: ns per bpf_program__attach_uprobe_opts() whose
 *   func_name is missing from libc (mapping libc, reading its symbol and
 *   version tables, failing with ENOENT);
 * - iter_link: ns per bpf_program__attach_iter() + bpf_link__destroy(), with
 *   raw_iter_link the same BPF_LINK_CREATE and close() issued directly.
 * The test object attach_kinds (tests-c/progs) is compiled here with
 * clang-19 against the tests' vmlinux.h; nothing is printed when that is
 * not possible. The best of several rounds counts.
 */
#define _GNU_SOURCE
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define ROUNDS 7

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

#define BEST(var, n, body)                                   \
	do {                                                 \
		for (int r = 0; r < ROUNDS; r++) {           \
			double t = now_ns(), per;            \
			for (int i = 0; i < (n); i++) {      \
				body;                        \
			}                                    \
			per = (now_ns() - t) / (n);          \
			if (r == 0 || per < var)             \
				var = per;                   \
		}                                            \
	} while (0)

int main(void)
{
	char src[PATH_MAX], root[PATH_MAX + 8], cmd[5 * PATH_MAX + 512], obj_path[64];
	LIBBPF_OPTS(bpf_uprobe_opts, uo, .func_name = "ox_no_such_function_at_all");
	double miss = 0, iter = 0, raw_iter = 0;
	struct bpf_program *up, *it;
	struct bpf_object *obj;

	snprintf(src, sizeof(src), "%s", __FILE__);
	snprintf(root, sizeof(root), "%s/..", dirname(src));
	snprintf(obj_path, sizeof(obj_path), "/tmp/oxbpf-bench-attach-%d.bpf.o", getpid());
	snprintf(cmd, sizeof(cmd),
		 "test -s %s/tests-c/build/progs/vmlinux.h && clang-19 -g -O2 -target bpf -D__TARGET_ARCH_x86 "
		 "-I%s/tests-c/build/progs -I%s/tests-c/progs -I/usr/include/x86_64-linux-gnu "
		 "-c %s/tests-c/progs/attach_kinds.bpf.c -o %s 2>/dev/null",
		 root, root, root, root, obj_path);
	if (system(cmd) != 0)
		return 0;
	libbpf_set_print(silent);
	obj = bpf_object__open_file(obj_path, NULL);
	if (!obj || bpf_object__load(obj)) {
		unlink(obj_path);
		return 0;
	}
	up = bpf_object__find_program_by_name(obj, "up");
	it = bpf_object__find_program_by_name(obj, "dump_task");

	BEST(miss, 300, {
		if (bpf_program__attach_uprobe_opts(up, -1, "/lib/x86_64-linux-gnu/libc.so.6", 0, &uo))
			return 1;
	});
	BEST(iter, 2000, bpf_link__destroy(bpf_program__attach_iter(it, NULL)));
	BEST(raw_iter, 2000, close(bpf_link_create(bpf_program__fd(it), 0, BPF_TRACE_ITER, NULL)));
	printf("RESULT uprobe_symbol_miss %.0f\n", miss);
	printf("RESULT iter_link %.0f\n", iter);
	printf("RESULT raw_iter_link %.0f\n", raw_iter);
	bpf_object__close(obj);
	unlink(obj_path);
	return 0;
}
