// SPDX-License-Identifier: GPL-2.0
/* A USDT program without usdt.bpf.h: no USDT support maps. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("usdt")
int plain(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
