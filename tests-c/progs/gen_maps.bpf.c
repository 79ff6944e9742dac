// SPDX-License-Identifier: GPL-2.0
/* An object for loader programs (bpf_object__gen_loader): BTF-defined maps
 * of several kinds (map_flags, map_extra, an LRU, a ring buffer, a bloom
 * filter, a per-CPU array), maps of maps with an inner template and `values`, global data
 * (.rodata the light skeleton may override, .data, .bss), subprograms and a
 * bpf_loop() callback, and programs of several types: a syscall program
 * that proves every map works by running, a socket filter, a BTF
 * tracepoint (its attach target is found by the loader) and a task
 * iterator. No pinning and no prog arrays: loaders can not do those. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct gkey {
	__u32 a;
	__u16 b;
};

struct gvalue {
	__u64 x;
	__u32 y[3];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct gkey);
	__type(value, struct gvalue);
	__uint(max_entries, 64);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} by_type SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, 24);
	__uint(max_entries, 8);
} by_size SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 2);
} percpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 32);
} lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__type(value, __u64);
	__uint(max_entries, 16);
	__uint(map_extra, 3);
} bloom SEC(".maps");

struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 3);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer SEC(".maps") = {
	.values = { [0] = &inner_a, [2] = &inner_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_HASH);
		__type(key, __u32);
		__type(value, __u32);
		__uint(max_entries, 5);
	});
} outer_hash SEC(".maps");

const volatile __u64 ro_mult = 3;
const volatile char ro_name[8] = "gen";
__u64 data_add = 10;
__u64 seen_a, seen_b, seen_missing, out_mult, out_loop, out_bloom, out_ring;
__u64 sys_enters, iter_tasks;
int target_pid;

static __noinline __u64 times_mult(__u64 x)
{
	return x * ro_mult;
}

static int loop_cb(__u32 index, void *ctx)
{
	__u64 *acc = ctx;

	*acc += index;
	return 0;
}

struct args {
	__u64 in;
};

SEC("syscall")
int read_maps(struct args *args)
{
	__u32 k = 0, zero = 0;
	struct gkey hk = { .a = 1, .b = 2 };
	struct gvalue hv = { .x = 99 };
	__u64 acc = 0, *v;
	void *inner, *r;

	inner = bpf_map_lookup_elem(&outer, &k);
	if (inner) {
		v = bpf_map_lookup_elem(inner, &zero);
		if (v)
			seen_a = *v;
	}
	k = 2;
	inner = bpf_map_lookup_elem(&outer, &k);
	if (inner) {
		v = bpf_map_lookup_elem(inner, &zero);
		if (v)
			seen_b = *v;
	}
	k = 1;
	seen_missing = bpf_map_lookup_elem(&outer, &k) == NULL;
	out_mult = times_mult(args->in) + data_add + ro_name[0];
	bpf_loop(5, loop_cb, &acc, 0);
	out_loop = acc;
	bpf_map_update_elem(&by_type, &hk, &hv, BPF_ANY);
	r = bpf_ringbuf_reserve(&ring, 8, 0);
	if (r) {
		*(__u64 *)r = 0x1234;
		bpf_ringbuf_submit(r, 0);
		out_ring = 1;
	}
	v = bpf_map_lookup_elem(&by_size, &zero);
	if (v)
		*v = 77;
	return 42;
}

/* (sleepable syscall programs can not use LRU, bloom or per-CPU maps) */
SEC("socket")
int sock(struct __sk_buff *skb)
{
	__u32 one = 1, zero = 0, *c;
	__u64 bl = 7, lv = 5;

	bpf_map_update_elem(&lru, &one, &lv, BPF_ANY);
	bpf_map_push_elem(&bloom, &bl, BPF_ANY);
	out_bloom = bpf_map_peek_elem(&bloom, &bl) == 0;
	c = bpf_map_lookup_elem(&percpu, &zero);
	if (c)
		*c += 1;
	return times_mult(skb->len);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_enter, struct pt_regs *regs, long id)
{
	if ((bpf_get_current_pid_tgid() >> 32) == target_pid)
		__sync_fetch_and_add(&sys_enters, 1);
	return 0;
}

SEC("iter/task")
int count_tasks(struct bpf_iter__task *ctx)
{
	if (ctx->task)
		__sync_fetch_and_add(&iter_tasks, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
