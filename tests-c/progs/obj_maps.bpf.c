// SPDX-License-Identifier: GPL-2.0
/* BTF-defined maps with every attribute: key/value by type and by size,
 * max_entries, map_flags, numa_node, map_extra, pinning by name, inner-map
 * templates with `values` for maps of maps, `values` for a prog array.
 * Programs prove the relocations by running: a syscall program reads an
 * inner map through the array of maps, a socket filter tail-calls through
 * the prog array. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#ifndef PIN_NAME
#define PIN_NAME pinned_counts
#endif

struct key {
	__u32 a;
	__u16 b;
};

struct value {
	__u64 x;
	__u32 y[3];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct key);
	__type(value, struct value);
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
	__uint(numa_node, 0);
} percpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 5000);
} ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__type(value, __u64);
	__uint(max_entries, 16);
	__uint(map_extra, 3);
} bloom SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} PIN_NAME SEC(".maps");

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

int tail_a(void *ctx);
int tail_b(void *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int (void *));
} jumps SEC(".maps") = {
	.values = { [1] = (void *)&tail_a, [3] = (void *)&tail_b },
};

__u64 seen_a, seen_b, seen_missing;

SEC("syscall")
int read_inner(void *ctx)
{
	__u32 k = 0, zero = 0;
	__u64 *v;
	void *inner;

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
	k = 0;
	v = bpf_map_lookup_elem(&PIN_NAME, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

SEC("socket")
int tail_a(void *ctx)
{
	return 111;
}

SEC("socket")
int tail_b(void *ctx)
{
	return 222;
}

__u32 jump_slot = 1;

SEC("socket")
int jumper(void *ctx)
{
	bpf_tail_call(ctx, &jumps, jump_slot);
	return 7;
}

char LICENSE[] SEC("license") = "GPL";
