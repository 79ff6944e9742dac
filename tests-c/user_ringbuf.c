// oxbpf-test: differential
// oxbpf-test: valgrind
/*
 * User ring buffers on the real kernel: samples reserved, written and
 * submitted (or discarded) by user space are drained by a hand-written BPF
 * program with bpf_user_ringbuf_drain(), which reports the values it saw
 * through an array map: order, discards skipped, samples crossing the end
 * of the ring. Size limits (E2BIG), a full ring (ENOSPC), blocking reserves
 * that time out or are woken when a thread drains the ring, argument
 * errors, free releasing the fd and mappings. Same lines against Debian's
 * libbpf.
 */
#include <pthread.h>
#include <stdlib.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "harness.h"
#include "ringbuf_progs.h"

static int results, drainer;

/* Runs the drainer and prints what it saw since the last call. */
static void drain(const char *what)
{
	unsigned long long seen;

	array_set(results, 0, 0);
	array_set(results, 1, 0);
	run_prog(drainer, 1);
	seen = array_get(results, 1);
	printf("%s: drain returned %lld, saw %llu:", what, (long long)array_get(results, 0), seen);
	for (unsigned long long k = 0; k < seen && k < 60; k++)
		printf(" %lld", (long long)array_get(results, 2 + k));
	printf("\n");
}

/* Reserves `size` bytes holding `value` in the first 8 (when they fit). */
static void *put(struct user_ring_buffer *rb, __u32 size, long long value)
{
	void *p;

	errno = 0;
	p = user_ring_buffer__reserve(rb, size);
	if (!p) {
		printf("reserve(%u) = NULL errno=%d\n", size, errno);
		return NULL;
	}
	memset(p, 0x5a, size);
	if (size >= 8)
		memcpy(p, &value, 8);
	return p;
}

static void *drain_later(void *arg)
{
	usleep(150 * 1000);
	array_set(results, 1, 0);
	run_prog(drainer, 1);
	return NULL;
}

static void test_errors(int urb_map)
{
	int rb_map = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ox_urb_rb", 0, 0, 4096, NULL);
	size_t tiny = 4;
	struct user_ring_buffer *rb;

	errno = 0;
	rb = user_ring_buffer__new(rb_map, NULL);
	printf("new on a kernel ring buffer: %s errno=%d\n", rb ? "rb" : "NULL", errno);
	errno = 0;
	rb = user_ring_buffer__new(-1, NULL);
	printf("new on fd -1: %s errno=%d\n", rb ? "rb" : "NULL", errno);
	errno = 0;
	rb = user_ring_buffer__new(urb_map, (const struct user_ring_buffer_opts *)&tiny);
	printf("new with sz 4: %s errno=%d\n", rb ? "rb" : "NULL", errno);
	errno = 0;
	struct ring_buffer *krb = ring_buffer__new(urb_map, NULL, NULL, NULL);
	printf("ring_buffer__new on a user ring buffer: %s errno=%d\n", krb ? "rb" : "NULL", errno);
	user_ring_buffer__free(NULL);
	close(rb_map);
}

int main(void)
{
	int map = bpf_map_create(BPF_MAP_TYPE_USER_RINGBUF, "ox_urb", 0, 0, 4096, NULL);
	struct user_ring_buffer *rb;
	void *p, *q;
	long long t0;
	pthread_t th;

	results = make_array("ox_urb_res", 64);
	drainer = load_drainer(map, results, 0);
	if (map < 0 || drainer < 0)
		SKIP("cannot set up a user ring buffer and its drainer (%d)", errno);
	test_errors(map);

	int fds = count_fds();
	rb = user_ring_buffer__new(map, NULL);
	printf("new: %s, one more fd: %d\n", rb ? "rb" : "NULL", count_fds() == fds + 1);
	if (!rb)
		return harness_done();
	drain("empty ring");

	/* Submitted samples in order; a discarded one is skipped. */
	p = put(rb, 8, 11);
	printf("sample aligned to 8: %d\n", ((uintptr_t)p & 7) == 0);
	user_ring_buffer__submit(rb, p);
	user_ring_buffer__submit(rb, put(rb, 13, 22));
	user_ring_buffer__discard(rb, put(rb, 24, 33));
	user_ring_buffer__submit(rb, put(rb, 4, 0));
	user_ring_buffer__submit(rb, put(rb, 16, 44));
	drain("8, 13, discarded 24, 4, 16 bytes");

	/* Out of order commits: the kernel waits for the first one. */
	p = put(rb, 8, 55);
	q = put(rb, 8, 66);
	user_ring_buffer__submit(rb, q);
	drain("second submitted, first still reserved");
	user_ring_buffer__submit(rb, p);
	drain("first submitted too");

	/* Size limits: 4089 bytes plus the header exceed the 4096-byte ring. */
	put(rb, 4089, 0);
	put(rb, 1u << 31, 0);
	put(rb, 1u << 30, 0);
	p = put(rb, 4088, 77);
	printf("a sample filling the whole ring: %s\n", p ? "reserved" : "NULL");
	put(rb, 0, 0);
	errno = 0;
	t0 = now_ms();
	q = user_ring_buffer__reserve_blocking(rb, 8, 0);
	printf("reserve_blocking(8, 0) on a full ring: %s errno=%d\n", q ? "sample" : "NULL", errno);
	errno = 0;
	q = user_ring_buffer__reserve_blocking(rb, 8, 100);
	printf("reserve_blocking(8, 100) on a full ring: %s errno=%d, waited >= 90 ms: %d\n", q ? "sample" : "NULL",
	       errno, now_ms() - t0 >= 90);
	errno = 0;
	q = user_ring_buffer__reserve_blocking(rb, 8, -2);
	printf("reserve_blocking(8, -2): %s errno=%d\n", q ? "sample" : "NULL", errno);
	errno = 0;
	q = user_ring_buffer__reserve_blocking(rb, 4089, 1000);
	printf("reserve_blocking(4089, 1000): %s errno=%d\n", q ? "sample" : "NULL", errno);
	user_ring_buffer__submit(rb, p);

	/* A thread drains the full ring after 150 ms: the blocked reserve wakes. */
	for (int timeout = 5000; timeout >= -1; timeout -= 5001) {
		if (timeout < 0) {
			user_ring_buffer__submit(rb, put(rb, 4088, 88));
		}
		pthread_create(&th, NULL, drain_later, NULL);
		t0 = now_ms();
		errno = 0;
		q = user_ring_buffer__reserve_blocking(rb, 8, timeout);
		long long waited = now_ms() - t0;
		printf("reserve_blocking(8, %d) woken by a drain: %s, waited 100..4000 ms: %d\n", timeout,
		       q ? "sample" : "NULL", waited >= 100 && waited < 4000);
		pthread_join(th, NULL);
		printf("the thread drained %llu sample(s)\n", array_get(results, 1));
		if (q) {
			long long v = 1000 + timeout;

			memcpy(q, &v, 8);
			user_ring_buffer__submit(rb, q);
		}
		drain("after the wake-up");
	}

	/* Samples crossing the end of the ring, round after round. */
	int wrong = 0;
	for (int round = 0; round < 12; round++) {
		for (int k = 0; k < 3; k++)
			user_ring_buffer__submit(rb, put(rb, 1000 + 8 * k, round * 10 + k));
		array_set(results, 1, 0);
		run_prog(drainer, 1);
		wrong += array_get(results, 1) != 3;
		for (int k = 0; k < 3; k++)
			wrong += array_get(results, 2 + k) != (unsigned long long)(round * 10 + k);
	}
	printf("12 rounds of 3 samples of ~1000 bytes: %d wrong\n", wrong);

	p = put(rb, 8, 99);
	printf("ring mapped before free: %d\n", is_mapped(p));
	user_ring_buffer__discard(rb, p);
	user_ring_buffer__free(rb);
	printf("ring mapped after free: %d, fds back: %d\n", is_mapped(p), count_fds() == fds);
	close(drainer);
	close(results);
	close(map);
	return harness_done();
}
