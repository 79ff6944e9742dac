/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The error and log model, as a program built against libbpf sees it. Included
 * by foundation_errors_debian.c (built against Debian's libbpf-dev headers) and
 * foundation_errors_ours.c (built against ours with -Wall -Werror); both run
 * against Debian's libbpf1 and ours and must print the same lines.
 *
 * Allowed differences (printed as "~" lines, not compared): the version
 * (1.8 vs 1.1), and enum values Debian's 1.1.2 does not know.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "harness.h"

/* Table sizes of Debian's libbpf 1.1.2; values past them are newer than 1.1. */
#define DEBIAN_PROG_TYPES 32
#define DEBIAN_MAP_TYPES 33
#define DEBIAN_ATTACH_TYPES 44
#define DEBIAN_LINK_TYPES 10

static int custom_calls;

static int custom_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[256];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	custom_calls++;
	printf("custom print level=%d: %s", (int)level, buf);
	return 0;
}

static void print_strerror(int err, size_t size)
{
	char buf[128];
	int ret;

	memset(buf, 'x', sizeof(buf));
	errno = 0;
	ret = libbpf_strerror(err, buf, size);
	printf("strerror(%d, %zu) = %d errno=%d '%s'\n", err, size, ret, errno, buf);
}

static void print_names(const char *what, const char *(*fn)(int), int debian_known, int upto)
{
	for (int i = 0; i < upto; i++) {
		const char *s = fn(i);

		if (i < debian_known)
			printf("%s %d = %s\n", what, i, s ? s : "(null)");
		else
			note("%s %d = %s", what, i, s ? s : "(null)");
	}
}

static const char *prog_str(int v) { return libbpf_bpf_prog_type_str((enum bpf_prog_type)v); }
static const char *map_str(int v) { return libbpf_bpf_map_type_str((enum bpf_map_type)v); }
static const char *attach_str(int v) { return libbpf_bpf_attach_type_str((enum bpf_attach_type)v); }
static const char *link_str(int v) { return libbpf_bpf_link_type_str((enum bpf_link_type)v); }

static int errors_main(void)
{
	libbpf_print_fn_t def, prev;
	char buf[64];
	int err;

	note("libbpf in use: %s", harness_libbpf_path());
	note("version %u.%u %s", libbpf_major_version(), libbpf_minor_version(), libbpf_version_string());
	CHECK_EQ(libbpf_major_version(), 1);

	for (err = 4000; err <= 4020; err++)
		print_strerror(err, 128);
	print_strerror(-4003, 128);
	print_strerror(0, 128);
	print_strerror(EPERM, 128);
	print_strerror(-ENOENT, 128);
	print_strerror(EINVAL, 128);
	print_strerror(E2BIG, 128);
	print_strerror(3998, 128);
	print_strerror(100000, 128);
	/* truncation */
	print_strerror(4001, 8);
	print_strerror(EINVAL, 8);
	print_strerror(5000, 8);
	print_strerror(4001, 1);
	errno = 0;
	err = libbpf_strerror(EINVAL, buf, 0);
	printf("strerror size 0 = %d errno=%d\n", err, errno);
	errno = 0;
	err = libbpf_strerror(EINVAL, NULL, 16);
	printf("strerror NULL = %d errno=%d\n", err, errno);

	print_names("prog", prog_str, DEBIAN_PROG_TYPES, 40);
	print_names("map", map_str, DEBIAN_MAP_TYPES, 40);
	print_names("attach", attach_str, DEBIAN_ATTACH_TYPES, 64);
	print_names("link", link_str, DEBIAN_LINK_TYPES, 20);

	/* libbpf_set_print swaps and returns the previous callback. */
	def = libbpf_set_print(custom_print);
	printf("default callback installed: %s\n", def ? "yes" : "no");
	prev = libbpf_set_print(NULL);
	printf("swap returns the custom callback: %s\n", prev == custom_print ? "yes" : "no");
	prev = libbpf_set_print(def);
	printf("NULL was installed: %s\n", prev == NULL ? "yes" : "no");
	CHECK(def != NULL);

	/* libbpf_get_error: NULL reports errno, error pointers their value. */
	errno = ENOENT;
	printf("get_error(NULL) = %ld\n", libbpf_get_error(NULL));
	printf("get_error(ptr) = %ld\n", libbpf_get_error(buf));
	printf("get_error(-E2BIG) = %ld errno=%d\n", libbpf_get_error((void *)(long)-E2BIG), errno);
	printf("set_strict_mode = %d\n", libbpf_set_strict_mode(LIBBPF_STRICT_ALL));
	printf("possible cpus > 0: %s\n", libbpf_num_possible_cpus() > 0 ? "yes" : "no");
	CHECK_EQ(custom_calls, 0);
	return harness_done();
}
