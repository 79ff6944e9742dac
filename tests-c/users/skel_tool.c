/* A libbpf-tools-style tool, built the way a distribution builds one
 * (Debian's <bpf/libbpf.h>, a skeleton from bpftool, -lbpf), run unchanged
 * on Debian's libbpf and on oxbpf by tests-c/users/skel_tool.sh.
 *
 * It traces getppid() calls of a child process: opens the skeleton, sets
 * the child's pid and a tag in .rodata, loads, attaches, then reads events
 * from a ring buffer and from a perf buffer, counters from .bss (mmap-ed)
 * and from a hash map, and changes a .data knob at run time. Everything it
 * prints is deterministic. Exit: 0 ok, 2 setup, 3 attach failed (with the
 * error printed), 4 wrong results. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "users_snoop.skel.h"

struct event {
	int pid;
	int seq;
	char tag[8];
	char comm[16];
};

static int child_pid;
static int ring_seqs[64], n_ring;
static int perf_seqs[64], n_perf;
static int lost;

static int on_ring(void *ctx, void *data, size_t len)
{
	const struct event *e = data;

	if (len < sizeof(*e) || e->pid != child_pid || n_ring >= 64)
		return 0;
	printf("ring: seq %d tag %.8s comm %.16s\n", e->seq, e->tag, e->comm);
	ring_seqs[n_ring++] = e->seq;
	return 0;
}

static void on_perf(void *ctx, int cpu, void *data, __u32 size)
{
	const struct event *e = data;

	if (size < sizeof(*e) || e->pid != child_pid || n_perf >= 64)
		return;
	perf_seqs[n_perf++] = e->seq;
}

static void on_lost(void *ctx, int cpu, __u64 cnt)
{
	lost += (int)cnt;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

/* The child: waits for a byte on `go`, makes `n` getppid() calls, answers
 * on `done`; twice. */
static void child(int go, int done)
{
	char c;
	int round, i;

	for (round = 0; round < 2; round++) {
		if (read(go, &c, 1) != 1)
			_exit(1);
		for (i = 0; i < 10; i++)
			syscall(SYS_getppid);
		if (write(done, "x", 1) != 1)
			_exit(1);
	}
	_exit(0);
}

static int round_trip(int go, int done)
{
	char c;

	return write(go, "x", 1) == 1 && read(done, &c, 1) == 1 ? 0 : -1;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void drain(struct ring_buffer *rb, struct perf_buffer *pb, int want)
{
	int i;

	for (i = 0; i < 50 && (n_ring < want || n_perf < want); i++) {
		ring_buffer__poll(rb, 20);
		perf_buffer__poll(pb, 20);
	}
}

int main(void)
{
	int go[2], done[2], err, key, i, rc = 0;
	struct users_snoop *skel;
	struct ring_buffer *rb = NULL;
	struct perf_buffer *pb = NULL;
	cpu_set_t cpus;
	long count = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(quiet);
	if (pipe(go) || pipe(done))
		return 2;
	child_pid = fork();
	if (child_pid < 0)
		return 2;
	if (child_pid == 0) {
		CPU_ZERO(&cpus);
		CPU_SET(0, &cpus);
		sched_setaffinity(0, sizeof(cpus), &cpus);
		child(go[0], done[1]);
	}

	skel = users_snoop__open();
	if (!skel) {
		printf("open failed: %d\n", -errno);
		rc = 2;
		goto out;
	}
	skel->rodata->target_pid = child_pid;
	memcpy((char *)skel->rodata->tag, "skel-ok", 8);
	err = users_snoop__load(skel);
	if (err) {
		printf("load failed: %d\n", err);
		rc = 2;
		goto out;
	}
	printf("loaded: %s, ringbuf %u bytes, maps %s/%s/%s\n", bpf_program__name(skel->progs.on_getppid),
	       bpf_map__max_entries(skel->maps.events), bpf_map__name(skel->maps.events),
	       bpf_map__name(skel->maps.perf_events), bpf_map__name(skel->maps.per_pid));
	err = users_snoop__attach(skel);
	if (err) {
		printf("attach failed: %d (%s)\n", err, strerror(-err));
		rc = 3;
		goto out;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_ring, NULL, NULL);
	pb = perf_buffer__new(bpf_map__fd(skel->maps.perf_events), 8, on_perf, on_lost, NULL, NULL);
	if (!rb || !pb) {
		printf("buffers: %d\n", -errno);
		rc = 2;
		goto out;
	}

	/* Round 1: every call is an event. */
	if (round_trip(go[1], done[0]))
		return 2;
	drain(rb, pb, 10);
	/* Round 2: only every 5th call, through the mmap-ed .data. */
	skel->data->stride = 5;
	if (round_trip(go[1], done[0]))
		return 2;
	drain(rb, pb, 12);

	qsort(perf_seqs, n_perf, sizeof(int), cmp_int);
	printf("perf:");
	for (i = 0; i < n_perf; i++)
		printf(" %d", perf_seqs[i]);
	printf(" (lost %d)\n", lost);
	key = child_pid;
	err = bpf_map__lookup_elem(skel->maps.per_pid, &key, sizeof(key), &count, sizeof(count), 0);
	printf("seen (.bss) %d, per_pid %ld (lookup %d)\n", skel->bss->seen, count, err);
	if (n_ring != 12 || n_perf != 12 || skel->bss->seen != 20 || count != 20 || ring_seqs[11] != 20)
		rc = 4;
	users_snoop__detach(skel);
out:
	kill(child_pid, SIGKILL);
	waitpid(child_pid, NULL, 0);
	ring_buffer__free(rb);
	perf_buffer__free(pb);
	users_snoop__destroy(skel);
	printf("exit %d\n", rc);
	return rc;
}
