/*
 * BTF dedup benchmark (bench/run.sh runs it against oxbpf and Debian's
 * libbpf): the running kernel's BTF added twice into one BTF with
 * btf__add_btf() (about 2 x 127k types, every struct graph duplicated),
 * then btf__dedup(). Only the dedup is timed; prints the best of the
 * rounds ("RESULT btf_dedup <ns>") and the resulting type count. Target:
 * oxbpf at most 0.5x Debian's time.
 */
#define _GNU_SOURCE
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 8, r;
	struct btf *vm = btf__load_vmlinux_btf();
	double best = 1e18;
	__u32 types = 0;
	Dl_info info;

	if (!vm) {
		fprintf(stderr, "no vmlinux BTF\n");
		return 1;
	}
	if (dladdr((void *)btf__dedup, &info) && info.dli_fname)
		printf("LIBRARY %s\n", info.dli_fname);
	for (r = 0; r < rounds; r++) {
		struct btf *b = btf__new_empty();
		double t0, dt;

		if (btf__add_btf(b, vm) < 0 || btf__add_btf(b, vm) < 0) {
			fprintf(stderr, "btf__add_btf failed\n");
			return 1;
		}
		t0 = now_ns();
		if (btf__dedup(b, NULL)) {
			fprintf(stderr, "btf__dedup failed\n");
			return 1;
		}
		dt = now_ns() - t0;
		if (dt < best)
			best = dt;
		types = btf__type_cnt(b);
		btf__free(b);
	}
	printf("TYPES %u\n", types);
	printf("RESULT btf_dedup %.0f\n", best);
	btf__free(vm);
	return 0;
}
