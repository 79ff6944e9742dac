// SPDX-License-Identifier: GPL-2.0
/* USDT handlers built against libbpf 1.8's spec layout (usdt18.h): scale-
 * index-base arguments, a small specs map (8 ids) to reach its limit. */
#include "vmlinux.h"
#define BPF_USDT_MAX_SPEC_CNT 8
#include "usdt18.h"

struct seen {
	long args[BPF_USDT_MAX_ARG_CNT];
	long hits;
	__u64 cookie;
	int arg_cnt;
	int arg_errs;
};

struct seen seen[8];

SEC("usdt")
int record(struct pt_regs *ctx)
{
	__u64 cookie = bpf_usdt_cookie(ctx);
	struct seen *s = &seen[cookie % 8];
	long v;
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
	__sync_fetch_and_add(&s->hits, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
