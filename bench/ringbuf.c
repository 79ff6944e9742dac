/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Consumption throughput: ns per record for ring_buffer__consume() on a BPF
 * ring buffer and perf_buffer__consume() on a perf buffer, through whichever
 * libbpf.so.1 the process loaded, against a minimal consumer loop written
 * here over the same memory (the raw baseline). Each round, a socket filter
 * run with bpf_prog_test_run_opts(repeat) fills the ring (not timed), then
 * one consumer drains it (timed). Library and raw rounds alternate and the
 * best round of each counts.
 *
 * Output: "RESULT <metric> <value>" lines for bench/run.sh.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "../tests-c/lib/ringbuf_progs.h"

#define RECORDS 40000 /* 32-byte samples: 40 bytes each in both rings */
#ifndef ROUNDS
#define ROUNDS 31
#endif
#define RB_SIZE (4 << 20)
#define PERF_PAGES 512 /* 2 MiB */

static unsigned long long sink;

static int on_rb_sample(void *ctx, void *data, size_t size)
{
	sink += *(unsigned char *)data + size;
	return 0;
}

static long perf_samples;

static void on_perf_sample(void *ctx, int cpu, void *data, __u32 size)
{
	sink += *(unsigned char *)data + size;
	perf_samples++;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double min2(double a, double b)
{
	return a < b ? a : b;
}

/* The raw ring buffer consumer: the same protocol, no library. */
struct raw_rb {
	unsigned long *cons, *prod;
	unsigned char *data;
	unsigned long mask;
};

static long raw_rb_consume(struct raw_rb *r)
{
	unsigned long cons = atomic_load_explicit((_Atomic unsigned long *)r->cons, memory_order_acquire);
	unsigned long prod = atomic_load_explicit((_Atomic unsigned long *)r->prod, memory_order_acquire);
	long n = 0;

	while (cons < prod) {
		__u32 *hdr = (__u32 *)(r->data + (cons & r->mask));
		__u32 len = atomic_load_explicit((_Atomic __u32 *)hdr, memory_order_acquire);

		if (len & BPF_RINGBUF_BUSY_BIT)
			break;
		cons += ((len & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT)) + BPF_RINGBUF_HDR_SZ + 7) & ~7UL;
		if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
			sink += *(unsigned char *)(hdr + 2) + len;
			n++;
		}
		atomic_store_explicit((_Atomic unsigned long *)r->cons, cons, memory_order_release);
	}
	return n;
}

/* The raw perf ring consumer (records crossing the end are copied, as the
 * libraries do). */
static long raw_perf_consume(void *base, size_t page, size_t size)
{
	struct perf_event_mmap_page *h = base;
	unsigned char *data = (unsigned char *)base + page, copy[256];
	__u64 head = atomic_load_explicit((_Atomic __u64 *)&h->data_head, memory_order_acquire);
	__u64 tail = h->data_tail;
	long n = 0;

	while (tail != head) {
		struct perf_event_header *e = (void *)(data + (tail & (size - 1)));
		size_t off = tail & (size - 1);

		if (off + e->size > size) {
			memcpy(copy, data + off, size - off);
			memcpy(copy + (size - off), data, e->size - (size - off));
			e = (void *)copy;
		}
		if (e->type == PERF_RECORD_SAMPLE) {
			sink += *((unsigned char *)e + 12) + *(__u32 *)((char *)e + 8);
			n++;
		}
		tail += e->size;
	}
	atomic_store_explicit((_Atomic __u64 *)&h->data_tail, tail, memory_order_release);
	return n;
}

int main(void)
{
	double lib_rb = 1e18, raw_rb = 1e18, lib_pb = 1e18, raw_pb = 1e18, t;
	int state = make_array("ox_bench_st", 2);
	int rb_map = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ox_bench_rb", 0, 0, RB_SIZE, NULL);
	int pb_map = bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "ox_bench_pb", 4, 4, 1, NULL);
	int rb_prog = load_producer(PROD_RB_OUTPUT, rb_map, state, 32, BPF_RB_NO_WAKEUP);
	int pb_prog = load_producer(PROD_PERF_OUTPUT, pb_map, state, 28, 0);
	long page = sysconf(_SC_PAGESIZE);
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	struct raw_rb raw;
	void *pbase;
	size_t psize;
	Dl_info info;
	long n;

	if (pin_to_cpu(0) || rb_prog < 0 || pb_prog < 0) {
		fprintf(stderr, "cannot set up the producers\n");
		return 1;
	}
	if (dladdr((void *)ring_buffer__consume, &info))
		printf("LIBRARY %s\n", info.dli_fname);
	rb = ring_buffer__new(rb_map, on_rb_sample, NULL, NULL);
	raw.cons = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, rb_map, 0);
	raw.prod = mmap(NULL, page + 2 * RB_SIZE, PROT_READ, MAP_SHARED, rb_map, page);
	raw.data = (unsigned char *)raw.prod + page;
	raw.mask = RB_SIZE - 1;
	/* A one-entry map: one ring, CPU 0's, at key 0. */
	pb = perf_buffer__new(pb_map, PERF_PAGES, on_perf_sample, NULL, NULL, NULL);
	if (!rb || !pb || raw.cons == MAP_FAILED || raw.prod == MAP_FAILED ||
	    perf_buffer__buffer(pb, 0, &pbase, &psize)) {
		fprintf(stderr, "cannot set up the consumers\n");
		return 1;
	}
	for (int r = 0; r < ROUNDS; r++) {
		run_prog(rb_prog, RECORDS);
		t = now_ns();
		n = ring_buffer__consume(rb);
		t = (now_ns() - t) / (n > 0 ? n : 1);
		if (n == RECORDS)
			lib_rb = min2(lib_rb, t);

		run_prog(rb_prog, RECORDS);
		t = now_ns();
		n = raw_rb_consume(&raw);
		t = (now_ns() - t) / (n > 0 ? n : 1);
		if (n == RECORDS)
			raw_rb = min2(raw_rb, t);

		/* 2 MiB hold 52428 records of 40 bytes. */
		run_prog(pb_prog, RECORDS);
		perf_samples = 0;
		t = now_ns();
		perf_buffer__consume(pb);
		t = (now_ns() - t) / RECORDS;
		if (perf_samples == RECORDS)
			lib_pb = min2(lib_pb, t);

		run_prog(pb_prog, RECORDS);
		t = now_ns();
		n = raw_perf_consume(pbase, page, psize);
		t = (now_ns() - t) / (n > 0 ? n : 1);
		if (n == RECORDS)
			raw_pb = min2(raw_pb, t);
	}
	printf("RESULT ringbuf_consume %.2f\nRESULT raw_ringbuf_consume %.2f\n", lib_rb, raw_rb);
	printf("RESULT perfbuf_consume %.2f\nRESULT raw_perfbuf_consume %.2f\n", lib_pb, raw_pb);
	ring_buffer__free(rb);
	perf_buffer__free(pb);
	return 0;
}
