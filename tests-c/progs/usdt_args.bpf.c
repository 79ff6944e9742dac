// SPDX-License-Identifier: GPL-2.0
// oxbpf-prog: skeleton
/* USDT handlers built with Debian's usdt.bpf.h (libbpf 1.1, the 208-byte
 * spec layout): what they see (argument count and values, USDT cookie,
 * pid) is stored for the test (tests-c/usdt_attach.c) to compare. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

#define SLOTS 16

/* What one attachment saw, indexed by its USDT cookie (slot = cookie % 16). */
struct seen {
	long args[BPF_USDT_MAX_ARG_CNT];
	long hits;
	__u64 cookie;
	int arg_cnt;
	int arg_errs;   /* bitmask of arguments bpf_usdt_arg() refused */
	int past_end;   /* bpf_usdt_arg() one past the last argument */
	int pid;
};

struct seen seen[SLOTS];

/* Hits per process id (pid filtering). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, int);
	__type(value, long);
} hits_by_pid SEC(".maps");

/* The typed handler's view. */
int typed_a;
long typed_b;
short typed_c;
signed char typed_d;
unsigned long typed_e;
long typed_hits;

SEC("usdt")
int record(struct pt_regs *ctx)
{
	__u64 cookie = bpf_usdt_cookie(ctx);
	struct seen *s = &seen[cookie % SLOTS];
	int pid = bpf_get_current_pid_tgid() >> 32;
	long one = 1, *n, v;
	int i, errs = 0;

	s->cookie = cookie;
	s->arg_cnt = bpf_usdt_arg_cnt(ctx);
	for (i = 0; i < BPF_USDT_MAX_ARG_CNT; i++) {
		if (bpf_usdt_arg(ctx, i, &v) == 0)
			s->args[i] = v;
		else
			errs |= 1 << i;
	}
	s->arg_errs = errs;
	s->past_end = bpf_usdt_arg(ctx, s->arg_cnt >= 0 && s->arg_cnt < 12 ? s->arg_cnt : 12, &v);
	s->pid = pid;
	__sync_fetch_and_add(&s->hits, 1);
	n = bpf_map_lookup_elem(&hits_by_pid, &pid);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&hits_by_pid, &pid, &one, BPF_NOEXIST);
	return 0;
}

SEC("usdt")
int BPF_USDT(typed, int a, long b, short c, signed char d, unsigned long e)
{
	typed_a = a;
	typed_b = b;
	typed_c = c;
	typed_d = d;
	typed_e = e;
	__sync_fetch_and_add(&typed_hits, 1);
	return 0;
}

/* Auto-attached by bpf_program__attach()/skeletons: the binary is found
 * through $PATH (the test puts its own directory there). */
SEC("usdt/usdt_attach:test:auto")
int BPF_USDT(auto_probe, int x)
{
	struct seen *s = &seen[15];

	s->args[0] = x;
	__sync_fetch_and_add(&s->hits, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
