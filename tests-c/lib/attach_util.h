/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Helpers of the attach tests (tests-c/attach_*.c): the counters of the
 * attach test objects, fd and tracefs-event accounting, and result lines
 * that are the same whichever libbpf runs.
 */
#ifndef OXBPF_ATTACH_UTIL_H
#define OXBPF_ATTACH_UTIL_H

#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../progs/attach_slots.h"

/* "<what>: link" or "<what>: NULL errno=<e>" for a call returning a link. */
#define SHOW_LINK(expr)                                                   \
	({                                                                \
		errno = 0;                                                \
		struct bpf_link *__l = (expr);                            \
		if (__l)                                                  \
			printf("%s: link\n", #expr);                      \
		else                                                      \
			printf("%s: NULL errno=%d\n", #expr, errno);      \
		__l;                                                      \
	})

/* "<what> = <ret> errno=<errno>" for calls returning 0 or -errno. */
#define SHOW_RET(expr)                                                               \
	({                                                                           \
		errno = 0;                                                           \
		long __r = (long)(expr);                                             \
		printf("%s = %ld errno=%d\n", #expr, __r, __r < 0 ? errno : 0);       \
		__r;                                                                 \
	})

static inline int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static inline int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		n++;
	closedir(d);
	return n;
}

static inline __u64 slot_value(struct bpf_object *obj, const char *map, __u32 slot)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, map);
	__u64 v = 0;

	if (!m || bpf_map__lookup_elem(m, &slot, sizeof(slot), &v, sizeof(v), 0))
		return (__u64)-1;
	return v;
}

static inline __u64 hits_of(struct bpf_object *obj, __u32 slot)
{
	return slot_value(obj, "hits", slot);
}

static inline __u64 cookie_of(struct bpf_object *obj, __u32 slot)
{
	return slot_value(obj, "cookies", slot);
}

/* Tells the programs which process is the test's. */
static inline int set_test_pid(struct bpf_object *obj)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, "cfg");
	__u32 k = 0, pid = getpid();

	return m ? bpf_map__update_elem(m, &k, sizeof(k), &pid, sizeof(pid), 0) : -1;
}

/* Lines of a tracefs probe events file naming this process's libbpf
 * events (libbpf_<pid>_...). */
static inline int own_probe_events(const char *file)
{
	char line[512], tag[64];
	int n = 0;
	FILE *f = fopen(file, "r");

	if (!f)
		return 0;
	snprintf(tag, sizeof(tag), "libbpf_%d_", getpid());
	while (fgets(line, sizeof(line), f))
		n += strstr(line, tag) != NULL;
	fclose(f);
	return n;
}

static inline void getppid_n(int n)
{
	for (int i = 0; i < n; i++)
		syscall(SYS_getppid);
}

#endif
