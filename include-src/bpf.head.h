
#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "libbpf_common.h"

/* Accept map definitions with unknown non-zero attributes. */
#define MAPS_RELAX_COMPAT 0x01

/* The largest verifier log buffer kernels up to 5.1 accept. */
#define BPF_LOG_BUF_SIZE (UINT32_MAX >> 8)

/*
 * The three opts structs below hold anonymous unions, which cbindgen cannot
 * emit, so they are written here by hand. Their Rust mirrors
 * (src/ffi/union_opts.rs) assert the same layout.
 */

/* Options of bpf_prog_attach_opts(). */
struct bpf_prog_attach_opts {
	size_t sz; /* size of this struct, for forward and backward compatibility */
	__u32 flags;
	union {
		int replace_prog_fd;
		int replace_fd;
	};
	int relative_fd;
	__u32 relative_id;
	__u64 expected_revision;
	size_t :0;
};
#define bpf_prog_attach_opts__last_field expected_revision

/* Options of bpf_link_create(); the union member to fill depends on the attach type. */
struct bpf_link_create_opts {
	size_t sz; /* size of this struct, for forward and backward compatibility */
	__u32 flags;
	union bpf_iter_link_info *iter_info;
	__u32 iter_info_len;
	__u32 target_btf_id;
	union {
		struct {
			__u64 bpf_cookie;
		} perf_event;
		struct {
			__u32 flags;
			__u32 cnt;
			const char **syms;
			const unsigned long *addrs;
			const __u64 *cookies;
		} kprobe_multi;
		struct {
			__u32 flags;
			__u32 cnt;
			const char *path;
			const unsigned long *offsets;
			const unsigned long *ref_ctr_offsets;
			const __u64 *cookies;
			__u32 pid;
			int path_fd;
		} uprobe_multi;
		struct {
			__u64 cookie;
		} tracing;
		struct {
			__u32 pf;
			__u32 hooknum;
			__s32 priority;
			__u32 flags;
		} netfilter;
		struct {
			__u32 relative_fd;
			__u32 relative_id;
			__u64 expected_revision;
		} tcx;
		struct {
			__u32 relative_fd;
			__u32 relative_id;
			__u64 expected_revision;
		} netkit;
		struct {
			__u32 relative_fd;
			__u32 relative_id;
			__u64 expected_revision;
		} cgroup;
		struct {
			__u32 *ids;
			__u64 *cookies;
			__u32 cnt;
		} tracing_multi;
	};
	size_t :0;
};
#define bpf_link_create_opts__last_field uprobe_multi.path_fd

/* In and out parameters of bpf_prog_query_opts(). */
struct bpf_prog_query_opts {
	size_t sz; /* size of this struct, for forward and backward compatibility */
	__u32 query_flags;
	__u32 attach_flags; /* output */
	__u32 *prog_ids;
	union {
		__u32 prog_cnt; /* input: capacity of the arrays; output: programs attached */
		__u32 count;
	};
	__u32 *prog_attach_flags;
	__u32 *link_ids;
	__u32 *link_attach_flags;
	__u64 revision; /* output */
	size_t :0;
};
#define bpf_prog_query_opts__last_field revision
