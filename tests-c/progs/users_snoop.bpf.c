// SPDX-License-Identifier: GPL-2.0
// oxbpf-prog: skeleton
/* The BPF side of tests-c/users/skel_tool.sh, a libbpf-tools-style tool
 * (tests-c/users/skel_tool.c): a tracepoint on getppid() entry filtered on
 * a pid set in .rodata before load, events to a ring buffer and to a perf
 * event array, counters in .bss and in a hash map, a .data knob changed at
 * run time through the skeleton's mmap-ed section. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

const volatile int target_pid = 0;
const volatile char tag[8] = "snoop";
int seen = 0;	 /* .bss */
int stride = 1;	 /* .data: events only for every stride-th call */

struct event {
	int pid;
	int seq;
	char tag[8];
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(int));
	__uint(value_size, sizeof(int));
} perf_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, int);
	__type(value, long);
} per_pid SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	int pid = bpf_get_current_pid_tgid() >> 32, seq, i;
	long one = 1, *cnt;
	struct event *e, pe = {};

	if (pid != target_pid)
		return 0;
	seq = ++seen;
	cnt = bpf_map_lookup_elem(&per_pid, &pid);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&per_pid, &pid, &one, BPF_ANY);
	if (stride > 1 && (unsigned int)seq % (unsigned int)stride)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = pid;
	e->seq = seq;
	for (i = 0; i < 8; i++)
		e->tag[i] = tag[i];
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	pe = *e;
	bpf_ringbuf_submit(e, 0);
	bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, &pe, sizeof(pe));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
