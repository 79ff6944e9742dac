// SPDX-License-Identifier: GPL-2.0
/* Sections only custom SEC() handlers know. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("oxbpf_custom/first") int custom_first(void *ctx) { return 1; }
SEC("oxbpf_custom") int custom_bare(void *ctx) { return 2; }
SEC("oxbpf_other") int fallback_prog(void *ctx) { return 3; }
SEC("socket") int plain_socket(void *ctx) { return 4; }

char LICENSE[] SEC("license") = "GPL";
