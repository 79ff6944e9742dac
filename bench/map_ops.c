/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ns per bpf_map_lookup_elem() and bpf_map_update_elem() on an array map,
 * through whichever libbpf.so.1 the process loaded, against the same
 * command issued with a bare syscall(2) in the same process. Rounds of
 * library and raw calls alternate, and the best round of each counts, so
 * noise from other processes hits both sides alike.
 *
 * Output: "RESULT <metric> <value>" lines for bench/run.sh (metrics named
 * raw_* do not depend on the library).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>

#define OPS 20000
#define ROUNDS 101

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* The same 32-byte attr libbpf passes for element commands. */
static long raw_elem(int cmd, int fd, const void *key, const void *value, __u64 flags)
{
	union bpf_attr attr;

	memset(&attr, 0, 32);
	attr.map_fd = fd;
	attr.key = (__u64)(unsigned long)key;
	attr.value = (__u64)(unsigned long)value;
	attr.flags = flags;
	return syscall(__NR_bpf, cmd, &attr, 32);
}

static double round_lib_lookup(int fd)
{
	__u32 key = 1;
	__u64 val;
	double t = now_ns();

	for (int i = 0; i < OPS; i++)
		bpf_map_lookup_elem(fd, &key, &val);
	return (now_ns() - t) / OPS;
}

static double round_raw_lookup(int fd)
{
	__u32 key = 1;
	__u64 val;
	double t = now_ns();

	for (int i = 0; i < OPS; i++)
		raw_elem(BPF_MAP_LOOKUP_ELEM, fd, &key, &val, 0);
	return (now_ns() - t) / OPS;
}

static double round_lib_update(int fd)
{
	__u32 key = 1;
	__u64 val = 7;
	double t = now_ns();

	for (int i = 0; i < OPS; i++)
		bpf_map_update_elem(fd, &key, &val, BPF_ANY);
	return (now_ns() - t) / OPS;
}

static double round_raw_update(int fd)
{
	__u32 key = 1;
	__u64 val = 7;
	double t = now_ns();

	for (int i = 0; i < OPS; i++)
		raw_elem(BPF_MAP_UPDATE_ELEM, fd, &key, &val, BPF_ANY);
	return (now_ns() - t) / OPS;
}

static double min2(double a, double b)
{
	return a < b ? a : b;
}

int main(void)
{
	double lib_l = 1e18, raw_l = 1e18, lib_u = 1e18, raw_u = 1e18;
	Dl_info info;
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_bench", 4, 8, 4, NULL);

	if (fd < 0) {
		perror("bpf_map_create");
		return 1;
	}
	if (dladdr((void *)bpf_map_lookup_elem, &info))
		printf("LIBRARY %s\n", info.dli_fname);
	/* Warm up, then alternate library and raw rounds. */
	round_lib_lookup(fd);
	round_raw_lookup(fd);
	for (int r = 0; r < ROUNDS; r++) {
		lib_l = min2(lib_l, round_lib_lookup(fd));
		raw_l = min2(raw_l, round_raw_lookup(fd));
		lib_u = min2(lib_u, round_lib_update(fd));
		raw_u = min2(raw_u, round_raw_update(fd));
	}
	printf("RESULT lookup %.1f\nRESULT raw_lookup %.1f\n", lib_l, raw_l);
	printf("RESULT update %.1f\nRESULT raw_update %.1f\n", lib_u, raw_u);
	close(fd);
	return 0;
}
