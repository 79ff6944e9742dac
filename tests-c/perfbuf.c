// oxbpf-test: differential
// oxbpf-test: valgrind
/*
 * Perf buffers on the real kernel: a hand-written socket filter calls
 * bpf_perf_event_output() on the current CPU (the test stays on CPU 0) and
 * the samples arrive exactly (count, order, sizes, bytes, CPU), also when
 * records cross the end of the ring (bounce buffer); a full ring loses
 * samples and the lost callback gets the exact count; poll timeouts, the
 * per-CPU buffers (fds, mappings, map slots filled then emptied on free),
 * raw event callbacks with their stop codes, explicit CPUs and map keys,
 * argument errors. Same lines against Debian's libbpf.
 */
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "harness.h"
#include "ringbuf_progs.h"

#define CURRENT_CPU 0xffffffffu

struct seen {
	int count, bad, wrong_cpu;
	unsigned next_seq;
	size_t size;
	int lost_calls;
	unsigned long long lost;
};

static void on_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct seen *s = ctx;

	s->count++;
	/* The kernel pads raw data so that size + 4 is a multiple of 8. */
	s->bad += size < s->size || !sample_ok(data, s->size, s->size, s->next_seq);
	s->wrong_cpu += cpu != 0;
	s->next_seq++;
}

static void on_lost(void *ctx, int cpu, __u64 cnt)
{
	struct seen *s = ctx;

	s->lost_calls++;
	s->lost += cnt;
	s->wrong_cpu += cpu != 0;
}

static void report(const char *what, int ret, const struct seen *s)
{
	printf("%s: ret %d, %d samples, %d bad, %d on another cpu, next seq %u, %d lost call(s) for %llu\n", what,
	       ret, s->count, s->bad, s->wrong_cpu, s->next_seq, s->lost_calls, s->lost);
}

static int online_cpus(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

static void test_errors(int map)
{
	int arr = make_array("ox_pb_arr", 2);
	struct perf_buffer *pb;
	size_t tiny = 4;
	struct seen s = {};

	errno = 0;
	pb = perf_buffer__new(arr, 1, on_sample, on_lost, &s, NULL);
	printf("new on an array map: %s errno=%d\n", pb ? "pb" : "NULL", errno);
	errno = 0;
	pb = perf_buffer__new(map, 3, on_sample, on_lost, &s, NULL);
	printf("new with 3 pages: %s errno=%d\n", pb ? "pb" : "NULL", errno);
	errno = 0;
	pb = perf_buffer__new(-1, 1, on_sample, on_lost, &s, NULL);
	printf("new on fd -1: %s errno=%d\n", pb ? "pb" : "NULL", errno);
	errno = 0;
	pb = perf_buffer__new(map, 1, on_sample, on_lost, &s, (const struct perf_buffer_opts *)&tiny);
	printf("new with sz 4: %s errno=%d\n", pb ? "pb" : "NULL", errno);
	/* Not a BPF object: the map info check is skipped, the map update fails. */
	int pfd[2];
	CHECK(pipe(pfd) == 0);
	errno = 0;
	pb = perf_buffer__new(pfd[0], 1, on_sample, on_lost, &s, NULL);
	printf("new on a pipe: %s errno=%d\n", pb ? "pb" : "NULL", errno);
	close(pfd[0]);
	close(pfd[1]);
	errno = 0;
	pb = perf_buffer__new_raw(map, 1, NULL, NULL, NULL, NULL);
	printf("new_raw without attr: %s errno=%d\n", pb ? "pb" : "NULL", errno);
	perf_buffer__free(NULL);
	close(arr);
}

static void test_samples(int map, int state)
{
	int p20 = load_producer(PROD_PERF_OUTPUT, map, state, 20, CURRENT_CPU);
	int p28 = load_producer(PROD_PERF_OUTPUT, map, state, 28, CURRENT_CPU);
	struct seen s = { .size = 20, .next_seq = 1 };
	int fds = count_fds();
	struct perf_buffer *pb = perf_buffer__new(map, 1, on_sample, on_lost, &s, NULL);
	void *base = NULL;
	size_t size = 0;
	long long t0;

	CHECK(pb && p20 >= 0 && p28 >= 0);
	if (!pb)
		return;
	int cnt = (int)perf_buffer__buffer_cnt(pb);
	printf("one buffer per online cpu: %d, fds added: buffers + epoll: %d\n", cnt == online_cpus(),
	       count_fds() == fds + cnt + 1);
	printf("epoll fd ok: %d\n", fd_ok(perf_buffer__epoll_fd(pb)));
	int all_ok = 1;
	for (int i = 0; i < cnt; i++)
		all_ok &= fd_ok(perf_buffer__buffer_fd(pb, i));
	printf("buffer fds ok: %d\n", all_ok);
	SHOW(perf_buffer__buffer_fd(pb, cnt));
	SHOW(perf_buffer__buffer(pb, 0, &base, &size));
	printf("buffer 0: %zu bytes of data, mapped %d\n", size, is_mapped(base));
	SHOW(perf_buffer__buffer(pb, cnt, &base, &size));
	/* libbpf reads cpu_bufs[-1] for a negative index (Debian's crashes); ours
	 * refuses it. */
	if (!harness_is_reference())
		CHECK_EQ(perf_buffer__buffer(pb, -1, &base, &size), -EINVAL);
	SHOW(perf_buffer__consume_buffer(pb, cnt));

	printf("poll(0) on empty rings = %d\n", perf_buffer__poll(pb, 0));
	t0 = now_ms();
	printf("poll(60) on empty rings = %d\n", perf_buffer__poll(pb, 60));
	printf("waited at least 50 ms: %d\n", now_ms() - t0 >= 50);
	printf("consume on empty rings = %d\n", perf_buffer__consume(pb));

	run_prog(p20, 5);
	report("5 samples of 20 bytes, poll", perf_buffer__poll(pb, 1000), &s);
	run_prog(p20, 3);
	report("3 more, consume_buffer(0)", perf_buffer__consume_buffer(pb, 0), &s);

	/* 28-byte samples make 40-byte records: rounds of 60 cross the end of the
	 * 4096-byte ring at changing offsets. */
	s.size = 28;
	for (int round = 0; round < 8; round++) {
		run_prog(p28, 60);
		perf_buffer__consume(pb);
	}
	report("8 rounds of 60 samples of 28 bytes", 0, &s);

	/* A full ring: 102 records fit, 98 outputs fail, then one LOST record. */
	run_prog(p28, 200);
	printf("failed outputs: %llu\n", array_get(state, 1));
	report("after 200 outputs", perf_buffer__consume(pb), &s);
	s.next_seq += 98;
	run_prog(p28, 1);
	report("after one more", perf_buffer__poll(pb, 1000), &s);

	perf_buffer__free(pb);
	printf("after free: mapped %d, fds back %d\n", is_mapped(base), count_fds() == fds);
	/* The map slots were emptied: outputs fail now. */
	run_prog(p28, 1);
	printf("failed outputs after free: %llu\n", array_get(state, 1));
	close(p20);
	close(p28);
}

struct raw_seen {
	int samples, lost, other, bad, done_after, error_after;
	int cpus[4];
	unsigned next_seq;
};

static enum bpf_perf_event_ret on_event(void *ctx, int cpu, struct perf_event_header *e)
{
	struct raw_seen *r = ctx;
	int n = r->samples + r->lost + r->other + 1;

	if (cpu >= 0 && cpu < 4)
		r->cpus[cpu]++;
	if (e->type == PERF_RECORD_SAMPLE) {
		__u32 size;

		memcpy(&size, (char *)e + 8, 4);
		r->samples++;
		r->bad += e->size != 8 + 4 + size || size < 16 || !sample_ok((char *)e + 12, 16, 16, r->next_seq);
		r->next_seq++;
	} else if (e->type == PERF_RECORD_LOST) {
		r->lost++;
	} else {
		r->other++;
	}
	if (r->done_after && n % r->done_after == 0)
		return LIBBPF_PERF_EVENT_DONE;
	if (r->error_after && n == r->error_after)
		return LIBBPF_PERF_EVENT_ERROR;
	return LIBBPF_PERF_EVENT_CONT;
}

static void raw_report(const char *what, int ret, const struct raw_seen *r)
{
	printf("%s: ret %d, %d samples, %d lost, %d other, %d bad, on cpu 0/1: %d/%d\n", what, ret, r->samples,
	       r->lost, r->other, r->bad, r->cpus[0], r->cpus[1]);
}

static void test_raw(int map, int state)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		.wakeup_events = 1,
	};
	int p16 = load_producer(PROD_PERF_OUTPUT, map, state, 16, CURRENT_CPU);
	int to_key0 = load_producer(PROD_PERF_OUTPUT, map, state, 16, 0);
	struct raw_seen r = { .next_seq = (unsigned)array_get(state, 0) + 1 };
	struct perf_buffer *pb = perf_buffer__new_raw(map, 2, &attr, on_event, &r, NULL);
	int ret;

	CHECK(pb && p16 >= 0 && to_key0 >= 0);
	if (!pb)
		return;
	run_prog(p16, 4);
	raw_report("raw: 4 samples, poll", perf_buffer__poll(pb, 1000), &r);

	r.done_after = 3;
	run_prog(p16, 5);
	ret = perf_buffer__consume(pb);
	raw_report("raw: 5 samples, DONE every 3rd record, consume", ret, &r);
	ret = perf_buffer__consume(pb);
	raw_report("raw: consume again", ret, &r);

	r.done_after = 0;
	r.error_after = r.samples + 2;
	run_prog(p16, 3);
	errno = 0;
	ret = perf_buffer__consume(pb);
	raw_report("raw: ERROR on the 2nd of 3, consume", ret, &r);
	printf("errno %d\n", ret < 0 ? errno : 0);
	run_prog(p16, 1);
	r.error_after = r.samples + 2;
	errno = 0;
	ret = perf_buffer__poll(pb, 1000);
	raw_report("raw: ERROR on the 2nd of 2, poll", ret, &r);
	printf("errno %d\n", ret < 0 ? errno : 0);
	r.error_after = 0;
	perf_buffer__free(pb);

	/* One ring on CPU 1 stored at key 0; the program outputs to index 0
	 * while running on CPU 1. */
	if (online_cpus() < 2) {
		note("one online CPU: the explicit CPU case is not run");
		return;
	}
	int cpus[] = { 1 }, keys[] = { 0 };
	LIBBPF_OPTS(perf_buffer_raw_opts, ro, .cpu_cnt = 1, .cpus = cpus, .map_keys = keys);
	memset(&r, 0, sizeof(r));
	r.next_seq = (unsigned)array_get(state, 0) + 1;
	pb = perf_buffer__new_raw(map, 1, &attr, on_event, &r, &ro);
	CHECK(pb != NULL);
	if (!pb)
		return;
	printf("explicit cpus: %zu buffer(s)\n", perf_buffer__buffer_cnt(pb));
	pin_to_cpu(1);
	run_prog(to_key0, 3);
	pin_to_cpu(0);
	raw_report("explicit cpu 1 at key 0, poll", perf_buffer__poll(pb, 1000), &r);
	perf_buffer__free(pb);
	close(p16);
	close(to_key0);
}

/* No callbacks: records are consumed silently. */
static void test_no_callbacks(int map, int state)
{
	int p = load_producer(PROD_PERF_OUTPUT, map, state, 8, CURRENT_CPU);
	struct perf_buffer *pb = perf_buffer__new(map, 1, NULL, NULL, NULL, NULL);
	void *base;
	size_t size;

	CHECK(pb != NULL);
	if (!pb)
		return;
	run_prog(p, 3);
	printf("no callbacks: consume = %d\n", perf_buffer__consume(pb));
	perf_buffer__buffer(pb, 0, &base, &size);
	printf("no callbacks: ring emptied %d\n",
	       ((struct perf_event_mmap_page *)base)->data_head == ((struct perf_event_mmap_page *)base)->data_tail);
	perf_buffer__free(pb);
	close(p);
}

int main(void)
{
	int state = make_array("ox_pb_state", 2);
	int map = bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "ox_pb", 4, 4, online_cpus(), NULL);

	if (pin_to_cpu(0))
		SKIP("cannot run on CPU 0");
	if (map < 0)
		SKIP("cannot create a perf event array (%d)", errno);
	test_errors(map);
	test_samples(map, state);
	test_raw(map, state);
	test_no_callbacks(map, state);
	close(map);
	close(state);
	return harness_done();
}
