/* Maps and helpers shared by the attach test objects: each program
 * counts its runs in slot S_* of `hits` (for the test's own process where
 * that can be told) and records a value (the attach cookie) in `cookies`.
 * Include after vmlinux.h and bpf_helpers.h. */
#ifndef ATTACH_COMMON_H
#define ATTACH_COMMON_H
#include "attach_slots.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, S_MAX);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, S_MAX);
	__type(key, __u32);
	__type(value, __u64);
} cookies SEC(".maps");

/* cfg[0]: the test's pid. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cfg SEC(".maps");

static __always_inline int mine(void)
{
	__u32 k = 0, *pid = bpf_map_lookup_elem(&cfg, &k);

	return pid && *pid == (bpf_get_current_pid_tgid() >> 32);
}

static __always_inline void hit(__u32 slot, __u64 cookie)
{
	__u64 *n = bpf_map_lookup_elem(&hits, &slot), *c = bpf_map_lookup_elem(&cookies, &slot);

	if (n)
		__sync_fetch_and_add(n, 1);
	if (c)
		*c = cookie;
}

#endif
