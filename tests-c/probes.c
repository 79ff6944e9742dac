// oxbpf-test: differential
/*
 * libbpf_probe_bpf_prog_type/map_type/helper for every program and map
 * type the kernel numbers (and a few past them), and helpers in several
 * program types, compared call for call with Debian's libbpf.
 *
 * Known differences with libbpf 1.1 (lines sent through note()): types
 * 1.1 does not know how to probe answer -EOPNOTSUPP there, while 1.8
 * probes them: the netfilter program type (32), arena maps (33) and
 * instruction-array maps (34, Linux 6.19: 0 on this kernel). Our own
 * answers for them are checked below.
 */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "harness.h"

static int newer_prog_type(int t)
{
	return t == 32 /* netfilter (Linux 6.4) */;
}

static int newer_map_type(int t)
{
	return t == 33 /* arena */ || t == 34 /* insn_array */;
}

/* Whether the verifier refuses helper `fn` in `type` with "program of this
 * type cannot use helper" (the probe's own program, loaded here). */
static int cannot_use(int type, int fn)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_JMP | BPF_CALL, .imm = fn },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static char log[4096];
	LIBBPF_OPTS(bpf_prog_load_opts, o, .log_buf = log, .log_size = sizeof(log), .log_level = 1);
	int fd;

	if (type == BPF_PROG_TYPE_SYSCALL)
		o.prog_flags = BPF_F_SLEEPABLE;
	log[0] = 0;
	fd = bpf_prog_load(type, NULL, "GPL", insns, 2, &o);
	if (fd >= 0)
		close(fd);
	return fd < 0 && strstr(log, "program of this type cannot use helper ");
}

int main(void)
{
	int t, r;

	for (t = 0; t <= 40; t++) {
		errno = 0;
		r = libbpf_probe_bpf_prog_type(t, NULL);
		if (newer_prog_type(t)) {
			note("prog type %d: %d errno=%d", t, r, r < 0 ? errno : 0);
			if (!harness_is_reference())
				CHECK_EQ(r, 1);
		} else {
			printf("prog type %d (%s): %d errno=%d\n", t, libbpf_bpf_prog_type_str(t) ?: "?", r, r < 0 ? errno : 0);
		}
	}
	for (t = 0; t <= 40; t++) {
		errno = 0;
		r = libbpf_probe_bpf_map_type(t, NULL);
		if (newer_map_type(t)) {
			note("map type %d: %d errno=%d", t, r, r < 0 ? errno : 0);
			if (!harness_is_reference())
				CHECK_EQ(r, t == 33 ? 1 : 0);
		} else {
			printf("map type %d: %d errno=%d\n", t, r, r < 0 ? errno : 0);
		}
	}

	/* Helpers: known and allowed, known but not for this type, unknown. */
	static const int prog_types[] = {
		BPF_PROG_TYPE_SOCKET_FILTER, BPF_PROG_TYPE_KPROBE, BPF_PROG_TYPE_SCHED_CLS, BPF_PROG_TYPE_XDP,
		BPF_PROG_TYPE_TRACEPOINT,    BPF_PROG_TYPE_CGROUP_SKB, BPF_PROG_TYPE_SYSCALL, BPF_PROG_TYPE_TRACING,
		BPF_PROG_TYPE_EXT,           BPF_PROG_TYPE_LSM,  BPF_PROG_TYPE_STRUCT_OPS, 999,
	};
	static const int helpers[] = {
		BPF_FUNC_map_lookup_elem, BPF_FUNC_ktime_get_ns, BPF_FUNC_trace_printk, BPF_FUNC_skb_store_bytes,
		BPF_FUNC_xdp_adjust_head, BPF_FUNC_get_current_pid_tgid, BPF_FUNC_sys_bpf, BPF_FUNC_probe_read_kernel,
		BPF_FUNC_ringbuf_output, BPF_FUNC_loop, 5000,
	};
	unsigned i, j;

	for (i = 0; i < sizeof(prog_types) / sizeof(prog_types[0]); i++)
		for (j = 0; j < sizeof(helpers) / sizeof(helpers[0]); j++) {
			errno = 0;
			r = libbpf_probe_bpf_helper(prog_types[i], helpers[j], NULL);
			/* libbpf 1.1 does not know the verifier's newer wording for
			 * a helper the type may not use (1.8 answers 0). */
			if (cannot_use(prog_types[i], helpers[j])) {
				note("helper %d in prog type %d: %d", helpers[j], prog_types[i], r);
				if (!harness_is_reference())
					CHECK_EQ(r, 0);
				continue;
			}
			printf("helper %d in prog type %d: %d errno=%d\n", helpers[j], prog_types[i], r, r < 0 ? errno : 0);
		}

	/* opts must be NULL. */
	int dummy = 0;
	errno = 0;
	r = libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_XDP, &dummy);
	printf("prog opts: %d errno=%d\n", r, errno);
	errno = 0;
	r = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_HASH, &dummy);
	printf("map opts: %d errno=%d\n", r, errno);
	errno = 0;
	r = libbpf_probe_bpf_helper(BPF_PROG_TYPE_XDP, BPF_FUNC_map_lookup_elem, &dummy);
	printf("helper opts: %d errno=%d\n", r, errno);
	return harness_done();
}
