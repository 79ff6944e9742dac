// oxbpf-test: valgrind
/*
 * Perf buffer behaviour newer than Debian's libbpf 1.1 or where Debian's
 * crashes (so not differential): perf_buffer_opts.sample_period sets how
 * many samples wake the reader, and hostile arguments (explicit CPU counts
 * without arrays, page counts of 0 or too big) fail cleanly.
 */
#include <stdlib.h>
#include <sys/epoll.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "harness.h"
#include "ringbuf_progs.h"

static int samples;

static void on_sample(void *ctx, int cpu, void *data, __u32 size)
{
	samples++;
}

/* Samples needed before the epoll fd reports the ring ready. */
static int samples_to_wake(int map, int prog, __u32 sample_period)
{
	LIBBPF_OPTS(perf_buffer_opts, o, .sample_period = sample_period);
	struct perf_buffer *pb = perf_buffer__new(map, 1, on_sample, NULL, NULL, &o);
	struct epoll_event ev;
	int n = 0;

	CHECK(pb != NULL);
	if (!pb)
		return -1;
	while (n < 10) {
		run_prog(prog, 1);
		n++;
		if (epoll_wait(perf_buffer__epoll_fd(pb), &ev, 1, 20) > 0)
			break;
	}
	samples = 0;
	CHECK_EQ(perf_buffer__consume(pb), 0);
	CHECK_EQ(samples, n);
	perf_buffer__free(pb);
	return n;
}

int main(void)
{
	int state = make_array("ox_pbn_state", 2);
	int map = bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "ox_pbn", 4, 4, (int)sysconf(_SC_NPROCESSORS_ONLN), NULL);
	int prog = load_producer(PROD_PERF_OUTPUT, map, state, 8, 0xffffffffu);
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		.wakeup_events = 1,
	};

	if (pin_to_cpu(0) || map < 0 || prog < 0)
		SKIP("cannot set up a perf event array on CPU 0");

	CHECK_EQ(samples_to_wake(map, prog, 0), 1);
	CHECK_EQ(samples_to_wake(map, prog, 1), 1);
	CHECK_EQ(samples_to_wake(map, prog, 4), 4);
	CHECK_EQ(samples_to_wake(map, prog, 3), 3);

	/* Explicit CPU counts need both arrays. */
	int cpus[] = { 0 }, keys[] = { 0 };
	LIBBPF_OPTS(perf_buffer_raw_opts, ro, .cpu_cnt = 1, .cpus = NULL, .map_keys = keys);
	errno = 0;
	CHECK(perf_buffer__new_raw(map, 1, &attr, NULL, NULL, &ro) == NULL);
	CHECK_EQ(errno, EINVAL);
	ro.cpus = cpus;
	ro.map_keys = NULL;
	errno = 0;
	CHECK(perf_buffer__new_raw(map, 1, &attr, NULL, NULL, &ro) == NULL);
	CHECK_EQ(errno, EINVAL);

	/* A raw buffer without a callback consumes silently. */
	ro.map_keys = keys;
	struct perf_buffer *pb = perf_buffer__new_raw(map, 1, &attr, NULL, NULL, &ro);
	CHECK(pb != NULL);
	run_prog(prog, 2);
	CHECK_EQ(perf_buffer__poll(pb, 1000), 1);
	CHECK_EQ(perf_buffer__poll(pb, 0), 0);
	perf_buffer__free(pb);

	/* Page counts: 0, not a power of two, or past the address space. */
	errno = 0;
	CHECK(perf_buffer__new(map, 0, on_sample, NULL, NULL, NULL) == NULL);
	CHECK_EQ(errno, EINVAL);
	errno = 0;
	CHECK(perf_buffer__new(map, (size_t)1 << 62, on_sample, NULL, NULL, NULL) == NULL);
	CHECK_EQ(errno, E2BIG);

	/* NULL handles. */
	CHECK_EQ(perf_buffer__poll(NULL, 0), -EINVAL);
	CHECK_EQ(perf_buffer__buffer_cnt(NULL), 0);
	CHECK_EQ(perf_buffer__epoll_fd(NULL), -EINVAL);

	close(prog);
	close(map);
	close(state);
	return harness_done();
}
