/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ns per static link of the linker tests' three objects (link_a, link_b,
 * link_c of tests-c/progs, compiled here with clang-19): bpf_linker__new,
 * three bpf_linker__add_file, bpf_linker__finalize, bpf_linker__free, the
 * output on /dev/shm (file system costs out of the way). The best of
 * several rounds counts.
 *
 * Note: libbpf deduplicates the merged BTF at finalisation; oxbpf does not
 * (yet), so its output is larger and that step costs it nothing.
 *
 * Output: "RESULT link_3_objects <ns>" for bench/run.sh; nothing when the
 * objects can't be built.
 */
#define _GNU_SOURCE
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#define LINKS 200
#define ROUNDS 9

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

int main(void)
{
	char src[PATH_MAX], progs[PATH_MAX + 16], objs[3][64], cmd[3 * PATH_MAX], out[64];
	const char *names[3] = { "link_a", "link_b", "link_c" };
	double best = 0;

	snprintf(src, sizeof(src), "%s", __FILE__);
	snprintf(progs, sizeof(progs), "%s/../tests-c/progs", dirname(src));
	for (int i = 0; i < 3; i++) {
		snprintf(objs[i], sizeof(objs[i]), "/tmp/oxbpf-bench-%s-%d.bpf.o", names[i], getpid());
		snprintf(cmd, sizeof(cmd),
			 "clang-19 -g -O2 -target bpf -I%s -I/usr/include/x86_64-linux-gnu -c %s/%s.bpf.c -o %s 2>/dev/null",
			 progs, progs, names[i], objs[i]);
		if (system(cmd) != 0)
			return 0;
	}
	snprintf(out, sizeof(out), "/dev/shm/oxbpf-bench-linked-%d.bpf.o", getpid());
	libbpf_set_print(silent);
	for (int r = 0; r < ROUNDS; r++) {
		double t = now_ns(), per;

		for (int n = 0; n < LINKS; n++) {
			struct bpf_linker *l = bpf_linker__new(out, NULL);
			int err = l ? 0 : -1;

			for (int i = 0; i < 3 && !err; i++)
				err = bpf_linker__add_file(l, objs[i], NULL);
			err = err ?: bpf_linker__finalize(l);
			bpf_linker__free(l);
			if (err) {
				fprintf(stderr, "link failed: %d\n", err);
				return 1;
			}
		}
		per = (now_ns() - t) / LINKS;
		if (r == 0 || per < best)
			best = per;
	}
	printf("RESULT link_3_objects %.0f\n", best);
	for (int i = 0; i < 3; i++)
		unlink(objs[i]);
	unlink(out);
	return 0;
}
