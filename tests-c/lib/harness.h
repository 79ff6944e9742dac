/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The C test harness (tests-c/run.sh builds and runs every test in tests-c/).
 *
 * - Before main(), checks that the libbpf this process calls is the one the
 *   runner expects (OXBPF_EXPECT_LIB): ours, or Debian's in differential runs.
 * - CHECK*() record failures and go on; the exit status is the verdict.
 * - SKIP("reason") ends the test as skipped (exit 77), naming the reason.
 * - Lines printed on stdout are compared between libraries in differential
 *   runs; note() prints a line that is not compared (it starts with "~").
 */
#ifndef OXBPF_TEST_HARNESS_H
#define OXBPF_TEST_HARNESS_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int harness_failures;
static char harness_lib[PATH_MAX];

/* The file the running process resolved libbpf_strerror() from. */
static inline const char *harness_libbpf_path(void)
{
	return harness_lib;
}

/* Whether this run is against Debian's libbpf (differential runs). */
static inline int harness_is_reference(void)
{
	const char *ref = getenv("OXBPF_REFERENCE_RUN");

	return ref && ref[0] == '1';
}

__attribute__((constructor)) static void harness_check_library(void)
{
	const char *expect = getenv("OXBPF_EXPECT_LIB");
	void *sym = dlsym(RTLD_DEFAULT, "libbpf_strerror");
	char want[PATH_MAX];
	Dl_info info;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!sym || !dladdr(sym, &info) || !info.dli_fname || !realpath(info.dli_fname, harness_lib)) {
		fprintf(stderr, "harness: cannot find which libbpf this process uses\n");
		exit(2);
	}
	if (!expect) {
		fprintf(stderr, "harness: OXBPF_EXPECT_LIB is not set (run through tests-c/run.sh)\n");
		exit(2);
	}
	if (!realpath(expect, want) || strcmp(want, harness_lib) != 0) {
		fprintf(stderr, "harness: running against %s, expected %s\n", harness_lib, expect);
		exit(2);
	}
}

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			harness_failures++;                                          \
		}                                                                    \
	} while (0)

/* CHECK with a printf-style explanation. */
#define CHECKM(cond, fmt, ...)                                                         \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "FAIL %s:%d: %s: " fmt "\n", __FILE__, __LINE__, \
				#cond, ##__VA_ARGS__);                                 \
			harness_failures++;                                            \
		}                                                                      \
	} while (0)

#define CHECK_EQ(a, b)                                                                     \
	do {                                                                               \
		long long __a = (long long)(a), __b = (long long)(b);                      \
		if (__a != __b) {                                                          \
			fprintf(stderr, "FAIL %s:%d: %s == %s: %lld != %lld\n", __FILE__, \
				__LINE__, #a, #b, __a, __b);                               \
			harness_failures++;                                                \
		}                                                                          \
	} while (0)

#define CHECK_STR(a, b)                                                                     \
	do {                                                                                \
		const char *__a = (a), *__b = (b);                                          \
		if (!__a || !__b || strcmp(__a, __b) != 0) {                                \
			fprintf(stderr, "FAIL %s:%d: %s == %s: \"%s\" != \"%s\"\n", __FILE__, \
				__LINE__, #a, #b, __a ? __a : "(null)", __b ? __b : "(null)"); \
			harness_failures++;                                                 \
		}                                                                           \
	} while (0)

/* Ends the test as skipped; the reason is shown in the summary. */
#define SKIP(...)                          \
	do {                               \
		printf("SKIP: " __VA_ARGS__); \
		printf("\n");              \
		fflush(stdout);            \
		exit(77);                  \
	} while (0)

/* A line excluded from differential comparison. */
static inline void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("~ ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
}

/* The verdict: return it from main(). */
static inline int harness_done(void)
{
	if (harness_failures)
		fprintf(stderr, "%d check(s) failed\n", harness_failures);
	return harness_failures ? 1 : 0;
}

/* Path of a BPF object built from tests-c/progs/ (OXBPF_PROGS is set by the runner). */
static inline const char *prog_path(const char *name)
{
	static char buf[PATH_MAX];
	const char *dir = getenv("OXBPF_PROGS");

	snprintf(buf, sizeof(buf), "%s/%s", dir ? dir : "tests-c/build/progs", name);
	return buf;
}

#endif /* OXBPF_TEST_HARNESS_H */
