// oxbpf-test: valgrind
/*
 * The ring buffer functions newer than Debian's libbpf 1.1 (so not
 * differential), on the real kernel: ring_buffer__ring() and the ring__*
 * accessors (positions, available data, size, map fd, consume, consume_n),
 * ring_buffer__consume_n() limits within and across rings, and consuming
 * one ring picked from the epoll fd's event data.
 */
#include <stdlib.h>
#include <sys/epoll.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "harness.h"
#include "ringbuf_progs.h"

struct seen {
	int count, bad;
	unsigned next_seq;
	size_t size;
};

static int on_sample(void *ctx, void *data, size_t size)
{
	struct seen *s = ctx;

	s->count++;
	s->bad += !sample_ok(data, size, s->size, s->next_seq++);
	return 0;
}

static int fail_second(void *ctx, void *data, size_t size)
{
	int *n = ctx;

	return ++*n == 2 ? -7 : 0;
}

int main(void)
{
	int state = make_array("ox_rbn_state", 2);
	int map_a = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ox_rbn_a", 0, 0, 4096, NULL);
	int map_b = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ox_rbn_b", 0, 0, 16384, NULL);
	int out_a = load_producer(PROD_RB_OUTPUT, map_a, state, 13, 0);
	int out_b = load_producer(PROD_RB_RESERVE, map_b, state, 40, 0);
	struct seen a = { .size = 13, .next_seq = 1 }, b = { .size = 40 };
	struct ring_buffer *rb = ring_buffer__new(map_a, on_sample, &a, NULL);
	struct ring *ra, *rb_ring;

	if (!rb || out_a < 0 || out_b < 0)
		SKIP("cannot set up a ring buffer (%d)", errno);
	CHECK_EQ(ring_buffer__add(rb, map_b, on_sample, &b), 0);

	ra = ring_buffer__ring(rb, 0);
	rb_ring = ring_buffer__ring(rb, 1);
	CHECK(ra && rb_ring && ra != rb_ring);
	errno = 0;
	CHECK(ring_buffer__ring(rb, 2) == NULL);
	CHECK_EQ(errno, ERANGE);
	CHECK_EQ(ring__map_fd(ra), map_a);
	CHECK_EQ(ring__map_fd(rb_ring), map_b);
	CHECK_EQ(ring__size(ra), 4096);
	CHECK_EQ(ring__size(rb_ring), 16384);
	CHECK_EQ(ring__consumer_pos(ra), 0);
	CHECK_EQ(ring__producer_pos(ra), 0);
	CHECK_EQ(ring__avail_data_size(ra), 0);

	/* 13-byte samples take 24 bytes each. */
	run_prog(out_a, 5);
	CHECK_EQ(ring__producer_pos(ra), 5 * 24);
	CHECK_EQ(ring__avail_data_size(ra), 5 * 24);
	CHECK_EQ(ring__consume_n(ra, 2), 2);
	CHECK_EQ(a.count, 2);
	CHECK_EQ(ring__consumer_pos(ra), 2 * 24);
	CHECK_EQ(ring__avail_data_size(ra), 3 * 24);
	CHECK_EQ(ring__consume(ra), 3);
	CHECK_EQ(ring__avail_data_size(ra), 0);
	CHECK_EQ(ring__consume(ra), 0);
	CHECK(a.count == 5 && a.bad == 0);

	/* consume_n across rings, in the order they were added. */
	run_prog(out_a, 2); /* seq 6, 7 */
	b.next_seq = 8;
	run_prog(out_b, 5); /* seq 8..12 */
	CHECK_EQ(ring_buffer__consume_n(rb, 3), 3);
	CHECK_EQ(a.count, 7);
	CHECK_EQ(b.count, 1);
	CHECK_EQ(ring__avail_data_size(rb_ring), 4 * 48);
	CHECK_EQ(ring_buffer__consume_n(rb, 2), 2);
	CHECK_EQ(b.count, 3);
	CHECK_EQ(ring_buffer__consume_n(rb, 100), 2);
	CHECK_EQ(ring_buffer__consume_n(rb, 100), 0);
	CHECK(b.count == 5 && b.bad == 0 && a.bad == 0);

	/* The epoll event names the ring to consume. */
	run_prog(out_b, 3); /* seq 13..15 */
	struct epoll_event ev = {};
	CHECK_EQ(epoll_wait(ring_buffer__epoll_fd(rb), &ev, 1, 1000), 1);
	CHECK_EQ(ev.data.u32, 1);
	struct ring *picked = ring_buffer__ring(rb, ev.data.u32);
	b.next_seq = 13;
	CHECK_EQ(ring__consume(picked), 3);
	CHECK(b.count == 8 && b.bad == 0);
	CHECK_EQ(ring__consumer_pos(picked), ring__producer_pos(picked));
	ring_buffer__free(rb);

	/* A callback error stops ring__consume_n and is returned. */
	int calls = 0;
	rb = ring_buffer__new(map_a, fail_second, &calls, NULL);
	CHECK(rb != NULL);
	run_prog(out_a, 4);
	ra = ring_buffer__ring(rb, 0);
	errno = 0;
	CHECK_EQ(ring__consume_n(ra, 10), -7);
	CHECK_EQ(errno, 7);
	CHECK_EQ(ring__avail_data_size(ra), 2 * 24);
	CHECK_EQ(ring_buffer__consume_n(rb, 1), 1);
	CHECK_EQ(ring_buffer__consume_n(rb, 1), 1);
	CHECK_EQ(calls, 4);
	ring_buffer__free(rb);

	/* NULL handles fail cleanly. */
	errno = 0;
	CHECK_EQ(ring__map_fd(NULL), -EINVAL);
	CHECK_EQ(ring__size(NULL), 0);
	CHECK_EQ(errno, EINVAL);

	close(out_a);
	close(out_b);
	close(map_a);
	close(map_b);
	close(state);
	return harness_done();
}
