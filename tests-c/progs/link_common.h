/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Declarations shared by link_a/b/c.bpf.c, the objects the static linker
 * tests combine (tests-c/linker*.c). Each object is compiled on its own;
 * the linker resolves what one declares extern against another. */
#ifndef LINK_COMMON_H
#define LINK_COMMON_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct link_args {
	__u64 in;
	__u64 out;
};

/* The map defined in link_a, declared extern in link_b and link_c. */
#define SHARED_MAP_DEF                        \
	struct {                              \
		__uint(type, BPF_MAP_TYPE_ARRAY); \
		__uint(max_entries, 4);           \
		__type(key, __u32);               \
		__type(value, __u64);             \
	}

/* The map every object defines weakly: one instance after linking. */
#define WEAK_MAP_DEF                         \
	struct {                             \
		__uint(type, BPF_MAP_TYPE_HASH); \
		__uint(max_entries, 8);          \
		__type(key, __u32);              \
		__type(value, __u64);            \
	}

#endif
