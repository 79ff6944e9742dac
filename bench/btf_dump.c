/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BTF to C: ns to print every type of the running kernel's BTF as one C
 * header (btf_dump__new, btf_dump__dump_type for ids 1..n in order,
 * btf_dump__free, as `bpftool btf dump ... format c` does), with a
 * vfprintf() callback writing to /dev/null (bpftool's callback writes to
 * stdout). The BTF is loaded once, outside the timing; best of 15 rounds.
 * Also the same for btf_dump__dump_type_data() of every type of at most
 * 4 KiB holding 0x5a bytes, and btf_dump__emit_type_decl() of every type.
 *
 * Output: "RESULT <metric> <ns>" lines for bench/run.sh, and "LIBRARY".
 */
#define _GNU_SOURCE
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROUNDS 15

static FILE *devnull;
static size_t bytes;

static void printf_cb(void *ctx, const char *fmt, va_list args)
{
	int n = vfprintf(ctx, fmt, args);

	if (n > 0)
		bytes += n;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double dump_c(const struct btf *btf)
{
	double t0 = now_ns();
	struct btf_dump *d = btf_dump__new(btf, printf_cb, devnull, NULL);
	__u32 id, n = btf__type_cnt(btf);

	for (id = 1; id < n; id++)
		btf_dump__dump_type(d, id);
	btf_dump__free(d);
	return now_ns() - t0;
}

static unsigned char data[4096 + 16] __attribute__((aligned(16)));

static double dump_data(const struct btf *btf)
{
	LIBBPF_OPTS(btf_dump_type_data_opts, opts);
	double t0 = now_ns();
	struct btf_dump *d = btf_dump__new(btf, printf_cb, devnull, NULL);
	__u32 id, n = btf__type_cnt(btf);

	for (id = 1; id < n; id++) {
		long sz = btf__resolve_size(btf, id);

		if (sz > 0 && sz <= 4096)
			btf_dump__dump_type_data(d, id, data, sz, &opts);
	}
	btf_dump__free(d);
	return now_ns() - t0;
}

static double emit_decls(const struct btf *btf)
{
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, opts, .field_name = "x");
	double t0 = now_ns();
	struct btf_dump *d = btf_dump__new(btf, printf_cb, devnull, NULL);
	__u32 id, n = btf__type_cnt(btf);

	for (id = 1; id < n; id++)
		btf_dump__emit_type_decl(d, id, &opts);
	btf_dump__free(d);
	return now_ns() - t0;
}

int main(void)
{
	struct btf *btf;
	double best_c = 1e18, best_data = 1e18, best_decl = 1e18, t;
	Dl_info info;
	int r;

	if (dladdr((void *)btf_dump__new, &info) && info.dli_fname)
		printf("LIBRARY %s\n", info.dli_fname);
	devnull = fopen("/dev/null", "w");
	btf = btf__load_vmlinux_btf();
	if (!btf || !devnull) {
		fprintf(stderr, "no vmlinux BTF\n");
		return 1;
	}
	libbpf_set_print(NULL);
	memset(data, 0x5a, sizeof(data));
	for (r = 0; r < ROUNDS; r++) {
		t = dump_c(btf);
		best_c = t < best_c ? t : best_c;
		t = dump_data(btf);
		best_data = t < best_data ? t : best_data;
		t = emit_decls(btf);
		best_decl = t < best_decl ? t : best_decl;
	}
	printf("RESULT btf_dump_c_vmlinux %.0f\n", best_c);
	printf("RESULT btf_dump_data_vmlinux %.0f\n", best_data);
	printf("RESULT btf_dump_decl_vmlinux %.0f\n", best_decl);
	printf("BYTES %zu\n", bytes / ROUNDS);
	btf__free(btf);
	fclose(devnull);
	return 0;
}
