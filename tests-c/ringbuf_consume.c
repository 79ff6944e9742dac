// oxbpf-test: differential
// oxbpf-test: valgrind
/*
 * BPF ring buffers consumed with ring_buffer__* on the real kernel: records
 * emitted by hand-written socket filters (bpf_ringbuf_output, reserve +
 * submit, reserve + discard) are received exactly (count, order, sizes,
 * bytes, 8-byte aligned), also when they wrap around the end of the ring
 * and when the ring overflows; poll timeouts, the epoll fd and its ring
 * index, a callback stopping consumption with its error, a second ring
 * added, argument errors, and free releasing fds and mappings. Same lines
 * against Debian's libbpf.
 */
#include <stdlib.h>
#include <sys/epoll.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "harness.h"
#include "ringbuf_progs.h"

struct seen {
	int count;
	int bad;		/* samples with unexpected size, sequence or bytes */
	int misaligned;
	unsigned next_seq;	/* the sequence the next sample must have */
	unsigned skip_mod;	/* sequences divisible by this are not expected (0: none) */
	size_t size;
	int stop_at;		/* return -42 on this sample (1-based; 0: never) */
	int ret;		/* what to return otherwise */
	const void *last;
};

static int on_sample(void *ctx, void *data, size_t size)
{
	struct seen *s = ctx;

	while (s->skip_mod && s->next_seq % s->skip_mod == 0)
		s->next_seq++;
	s->count++;
	s->bad += !sample_ok(data, size, s->size, s->next_seq);
	s->misaligned += ((uintptr_t)data & 7) != 0;
	s->next_seq++;
	s->last = data;
	if (s->stop_at && s->count == s->stop_at)
		return -42;
	return s->ret;
}

static void report(const char *what, int ret, const struct seen *s)
{
	printf("%s: ret %d, %d samples, %d bad, %d misaligned, next seq %u\n", what, ret, s->count, s->bad,
	       s->misaligned, s->next_seq);
}

static void test_errors(void)
{
	int arr = make_array("ox_rb_arr", 2);
	int rb_map = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ox_rb_err", 0, 0, 4096, NULL);
	struct seen s = {};
	struct {
		size_t sz;
		long extra;
	} big = { sizeof(big), 1 };
	size_t tiny = 4;

	struct ring_buffer *bad;

	errno = 0;
	bad = ring_buffer__new(arr, on_sample, &s, NULL);
	printf("new on an array map: %s errno=%d\n", bad ? "rb" : "NULL", errno);
	errno = 0;
	bad = ring_buffer__new(-1, on_sample, &s, NULL);
	printf("new on fd -1: %s errno=%d\n", bad ? "rb" : "NULL", errno);
	errno = 0;
	bad = ring_buffer__new(rb_map, on_sample, &s, (const struct ring_buffer_opts *)&tiny);
	printf("new with sz 4: %s errno=%d\n", bad ? "rb" : "NULL", errno);
	errno = 0;
	bad = ring_buffer__new(rb_map, on_sample, &s, (const struct ring_buffer_opts *)&big);
	printf("new with a non-zero tail: %s errno=%d\n", bad ? "rb" : "NULL", errno);
	big.extra = 0;
	struct ring_buffer *rb = ring_buffer__new(rb_map, on_sample, &s, (const struct ring_buffer_opts *)&big);
	printf("new with a zero tail: %s\n", rb ? "rb" : "NULL");
	SHOW(ring_buffer__add(rb, arr, on_sample, &s));
	SHOW(ring_buffer__add(rb, -1, on_sample, &s));
	ring_buffer__free(rb);
	ring_buffer__free(NULL);
	close(arr);
	close(rb_map);
}

/* Records of every producer kind, poll timeouts, the epoll fd. */
static void test_records(void)
{
	int state = make_array("ox_rb_state", 2);
	int map = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ox_rb_rec", 0, 0, 4096, NULL);
	int out = load_producer(PROD_RB_OUTPUT, map, state, 13, 0);
	int res = load_producer(PROD_RB_RESERVE, map, state, 20, 0);
	int dis = load_producer(PROD_RB_DISCARD3, map, state, 20, 0);
	struct seen s = { .size = 13, .next_seq = 1 };
	struct ring_buffer *rb = ring_buffer__new(map, on_sample, &s, NULL);
	long long t0;
	int fds = count_fds();

	CHECK(out >= 0 && res >= 0 && dis >= 0 && rb);
	if (!rb)
		return;
	int efd = ring_buffer__epoll_fd(rb);
	printf("epoll fd ok %d, distinct from the map %d\n", fd_ok(efd), efd != map);

	printf("poll(0) on an empty ring = %d\n", ring_buffer__poll(rb, 0));
	t0 = now_ms();
	printf("poll(60) on an empty ring = %d\n", ring_buffer__poll(rb, 60));
	printf("waited at least 50 ms: %d\n", now_ms() - t0 >= 50);
	printf("consume on an empty ring = %d\n", ring_buffer__consume(rb));

	run_prog(out, 5);
	report("5 x ringbuf_output(13), poll", ring_buffer__poll(rb, 1000), &s);
	CHECK_EQ(s.count, 5);

	s = (struct seen){ .size = 20, .next_seq = 6 };
	run_prog(res, 4);
	report("4 x reserve+submit(20), consume", ring_buffer__consume(rb), &s);

	s = (struct seen){ .size = 20, .next_seq = 10, .skip_mod = 3 };
	run_prog(dis, 9);
	report("9 x reserve, every 3rd discarded, consume", ring_buffer__consume(rb), &s);
	printf("failed outputs: %llu\n", array_get(state, 1));

	/* A callback returning a positive value goes on; -42 stops after that sample. */
	s = (struct seen){ .size = 13, .next_seq = 19, .ret = 5, .stop_at = 3 };
	run_prog(out, 6);
	errno = 0;
	int r = ring_buffer__consume(rb);
	printf("consume with a callback stopping at the 3rd: ret %d errno %d, %d samples\n", r, errno, s.count);
	s.stop_at = 0;
	report("consume again", ring_buffer__consume(rb), &s);
	CHECK_EQ(s.next_seq, 25);

	/* The epoll fd is readable when there is data; poll drains it. */
	struct epoll_event ev = {};
	printf("epoll_wait before data = %d\n", epoll_wait(efd, &ev, 1, 0));
	run_prog(out, 1);
	int n = epoll_wait(efd, &ev, 1, 1000);
	printf("epoll_wait with data = %d, ring index %u, EPOLLIN %d\n", n, ev.data.u32, !!(ev.events & EPOLLIN));
	s = (struct seen){ .size = 13, .next_seq = 25 };
	report("poll", ring_buffer__poll(rb, 1000), &s);

	const void *last = s.last;
	printf("data mapped before free: %d\n", is_mapped(last));
	ring_buffer__free(rb);
	printf("data mapped after free: %d, fds back to before: %d\n", is_mapped(last), count_fds() == fds - 1);
	close(out);
	close(res);
	close(dis);
	close(map);
	close(state);
}

/* Overflow and records crossing the end of the ring. */
static void test_wrap_and_overflow(void)
{
	int state = make_array("ox_rb_state2", 2);
	int map = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ox_rb_wrap", 0, 0, 4096, NULL);
	int out = load_producer(PROD_RB_OUTPUT, map, state, 100, 0);
	int res = load_producer(PROD_RB_RESERVE, map, state, 100, 0);
	struct seen s = { .size = 100, .next_seq = 1 };
	struct ring_buffer *rb = ring_buffer__new(map, on_sample, &s, NULL);

	CHECK(out >= 0 && res >= 0 && rb);
	if (!rb)
		return;
	/* 100-byte samples take 112 bytes: 36 fit in 4096. */
	run_prog(out, 50);
	printf("overflow: %llu outputs failed\n", array_get(state, 1));
	report("consume after overflow", ring_buffer__consume(rb), &s);
	s.next_seq = 51;
	/* Rounds of 30 records (3360 bytes) cross the end of the ring each time. */
	for (int round = 0; round < 6; round++) {
		run_prog(round % 2 ? res : out, 30);
		int r = ring_buffer__poll(rb, 1000);
		printf("round %d: ret %d, total %d samples, %d bad, %d misaligned\n", round, r, s.count, s.bad,
		       s.misaligned);
	}
	printf("failed outputs after the rounds: %llu\n", array_get(state, 1));
	ring_buffer__free(rb);
	close(out);
	close(res);
	close(map);
	close(state);
}

/* Two rings behind one epoll fd. */
static void test_two_rings(void)
{
	int state = make_array("ox_rb_state3", 2);
	int map_a = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ox_rb_a", 0, 0, 4096, NULL);
	int map_b = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ox_rb_b", 0, 0, 8192, NULL);
	int out_a = load_producer(PROD_RB_OUTPUT, map_a, state, 8, 0);
	int out_b = load_producer(PROD_RB_OUTPUT, map_b, state, 24, 0);
	struct seen a = { .size = 8, .next_seq = 1 }, b = { .size = 24 };
	struct ring_buffer *rb = ring_buffer__new(map_a, on_sample, &a, NULL);

	CHECK(rb && out_a >= 0 && out_b >= 0);
	if (!rb)
		return;
	SHOW(ring_buffer__add(rb, map_b, on_sample, &b));
	b.next_seq = 1;
	run_prog(out_b, 3);
	struct epoll_event ev[2] = {};
	int n = epoll_wait(ring_buffer__epoll_fd(rb), ev, 2, 1000);
	printf("only ring b has data: %d event(s), ring index %u\n", n, ev[0].data.u32);
	report("poll: ring b", ring_buffer__poll(rb, 1000), &b);
	report("poll: ring a", 0, &a);
	run_prog(out_a, 2);
	run_prog(out_b, 4);
	a.next_seq = 4;
	b.next_seq = 6;
	int r = ring_buffer__consume(rb);
	printf("consume both: ret %d\n", r);
	report("ring a", 0, &a);
	report("ring b", 0, &b);
	ring_buffer__free(rb);
	close(out_a);
	close(out_b);
	close(map_a);
	close(map_b);
	close(state);
}

int main(void)
{
	test_errors();
	test_records();
	test_wrap_and_overflow();
	test_two_rings();
	return harness_done();
}
