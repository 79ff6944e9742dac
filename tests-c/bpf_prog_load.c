// oxbpf-test: differential
/*
 * Programs through the low-level API, on the real kernel: a socket filter
 * and a syscall program built from hand-written instructions, run with
 * bpf_prog_test_run_opts (retval, data_out, ctx_out, repeat, duration);
 * a program the verifier refuses, with the verifier's text in the caller's
 * log buffer under each log rule (level 0 retry, explicit level, buffer too
 * small: ENOSPC); argument errors. Also run against Debian's libbpf.
 *
 * Allowed differences ("~" lines): log_true_size is only reported by
 * libbpf >= 1.2; a log level without a buffer is refused by libbpf 1.1
 * itself but passed to the kernel by 1.8.
 */
#include <stddef.h>
#include <stdlib.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "harness.h"
#include "syscall_util.h"

static void test_socket_filter(void)
{
	/* cb[0] = 99; r0 = skb->mark + 1 */
	struct bpf_insn insns[] = {
		I_ST_W(BPF_REG_1, offsetof(struct __sk_buff, cb[0]), 99),
		I_LDX_W(BPF_REG_0, BPF_REG_1, offsetof(struct __sk_buff, mark)),
		I_ADD64_IMM(BPF_REG_0, 1),
		I_EXIT(),
	};
	unsigned char pkt[64], out[128];
	struct __sk_buff ctx_in = { .mark = 41 }, ctx_out = {};
	LIBBPF_OPTS(bpf_test_run_opts, t);
	int fd, i;

	fd = SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_sockf", "GPL", insns, ARRAY_LEN(insns), NULL));
	CHECK(fd_ok(fd));
	for (i = 0; i < (int)sizeof(pkt); i++)
		pkt[i] = i;
	memset(out, 0, sizeof(out));
	t.data_in = pkt;
	t.data_size_in = sizeof(pkt);
	t.data_out = out;
	t.data_size_out = sizeof(out);
	t.ctx_in = &ctx_in;
	t.ctx_size_in = sizeof(ctx_in);
	t.ctx_out = &ctx_out;
	t.ctx_size_out = sizeof(ctx_out);
	t.repeat = 10;
	SHOW(bpf_prog_test_run_opts(fd, &t));
	printf("retval %u data_size_out %u ctx_size_out %u\n", t.retval, t.data_size_out, t.ctx_size_out);
	printf("ctx_out.cb[0] %u mark %u\n", ctx_out.cb[0], ctx_out.mark);
	/* Non-L2 programs see the packet past the Ethernet header, which the
	 * kernel hands back zeroed. */
	CHECK(memcmp(out + 14, pkt + 14, sizeof(pkt) - 14) == 0);
	printf("data_out[0..13] zero: %s, data_out[63] %u\n", memcmp(out, (char[14]){ 0 }, 14) ? "no" : "yes", out[63]);
	note("duration %u ns", t.duration);

	/* Output buffer too small: ENOSPC, truncated copy, size reported. */
	memset(out, 0, sizeof(out));
	t.data_size_out = 16;
	t.ctx_in = NULL, t.ctx_size_in = 0, t.ctx_out = NULL, t.ctx_size_out = 0;
	SHOW(bpf_prog_test_run_opts(fd, &t));
	printf("truncated: data_size_out %u, byte 15 %u byte 16 %u\n", t.data_size_out, out[15], out[16]);

	/* Packet shorter than an Ethernet header. */
	t.data_size_in = 4;
	t.data_out = NULL, t.data_size_out = 0;
	SHOW(bpf_prog_test_run_opts(fd, &t));
	SHOW(bpf_prog_test_run_opts(-1, &t));

	/* Opts with a non-zero byte past the known fields. */
	struct {
		struct bpf_test_run_opts o;
		char extra[8];
	} big = {};
	big.o.sz = sizeof(big);
	big.extra[3] = 1;
	SHOW(bpf_prog_test_run_opts(fd, &big.o));
	close(fd);
}

static void test_syscall_prog(void)
{
	/* ctx[1] = ctx[0] + 1; return ctx[0] + 1 */
	struct bpf_insn insns[] = {
		I_LDX_W(BPF_REG_2, BPF_REG_1, 0),
		I_ADD64_IMM(BPF_REG_2, 1),
		I_STX_W(BPF_REG_1, BPF_REG_2, 4),
		I_MOV64_REG(BPF_REG_0, BPF_REG_2),
		I_EXIT(),
	};
	LIBBPF_OPTS(bpf_prog_load_opts, lo, .prog_flags = BPF_F_SLEEPABLE);
	LIBBPF_OPTS(bpf_test_run_opts, t);
	__u32 ctx[2] = { 20, 0 };
	int fd;

	SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_SYSCALL, "ox_sys_nosleep", "GPL", insns, ARRAY_LEN(insns), NULL));
	fd = SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_SYSCALL, "ox_syscall", "GPL", insns, ARRAY_LEN(insns), &lo));
	t.ctx_in = ctx;
	t.ctx_size_in = sizeof(ctx);
	SHOW(bpf_prog_test_run_opts(fd, &t));
	printf("syscall retval %u ctx %u %u\n", t.retval, ctx[0], ctx[1]);
	t.repeat = 2; /* syscall programs run once */
	SHOW(bpf_prog_test_run_opts(fd, &t));
	close(fd);
}

static const struct bpf_insn bad_insns[] = {
	I_EXIT(), /* R0 never written */
};

static void show_log(const char *what, int ret, const char *log, __u32 true_size)
{
	printf("%s: ret %d errno %d, log has 'R0 !read_ok': %s\n", what, ret, ret < 0 ? errno : 0,
	       strstr(log, "R0 !read_ok") ? "yes" : "no");
	note("%s: log_true_size %u", what, true_size);
}

static void test_verifier_log(void)
{
	char log[4096];
	LIBBPF_OPTS(bpf_prog_load_opts, o);
	int ret;

	/* No log: just the error. */
	SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_bad", "GPL", bad_insns, 1, NULL));

	/* Level 0 with a buffer: retried with level 1 after the failure. */
	memset(log, 0, sizeof(log));
	o.log_buf = log;
	o.log_size = sizeof(log);
	ret = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_bad", "GPL", bad_insns, 1, &o);
	show_log("level 0 + buf", ret, log, o.log_true_size);
	if (!harness_is_reference()) {
		CHECK(o.log_true_size == strlen(log) + 1);
	}

	/* Explicit level 1. */
	memset(log, 0, sizeof(log));
	o.log_level = 1;
	o.log_true_size = 0;
	ret = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_bad", "GPL", bad_insns, 1, &o);
	show_log("level 1", ret, log, o.log_true_size);

	/* A buffer too small for the log: ENOSPC, truncated, full size reported. */
	memset(log, 'x', sizeof(log));
	o.log_size = 24;
	o.log_true_size = 0;
	ret = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_bad", "GPL", bad_insns, 1, &o);
	printf("small buffer: ret %d errno %d, log length %zu\n", ret, errno, strnlen(log, sizeof(log)));
	if (!harness_is_reference()) {
		CHECK(o.log_true_size > 24);
	}

	/* A good program with a log level: loads, and the log shows the stats. */
	struct bpf_insn good[] = { I_MOV64_IMM(BPF_REG_0, 0), I_EXIT() };
	memset(log, 0, sizeof(log));
	o.log_size = sizeof(log);
	o.log_level = 2;
	ret = SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_good", "GPL", good, 2, &o));
	printf("good log mentions processed: %s\n", strstr(log, "processed") ? "yes" : "no");
	close(ret);

	/* Level 0 with a buffer on success: no log is written. */
	memset(log, 0, sizeof(log));
	o.log_level = 0;
	ret = SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_good", "GPL", good, 2, &o));
	printf("quiet success log empty: %s\n", log[0] ? "no" : "yes");
	close(ret);

	/* log_buf and log_size go together. */
	o.log_buf = NULL;
	SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_good", "GPL", good, 2, &o));
	o.log_buf = log;
	o.log_size = 0;
	SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_good", "GPL", good, 2, &o));

	/* A level without a buffer: libbpf 1.1 refuses it, 1.8 lets the kernel decide. */
	o.log_buf = NULL;
	o.log_size = 0;
	o.log_level = 1;
	ret = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_good", "GPL", good, 2, &o);
	note("level without buffer: %d", ret < 0 ? -errno : 0);
	if (!harness_is_reference())
		CHECK(ret >= 0);
	if (ret >= 0)
		close(ret);
}

static void test_load_errors(void)
{
	struct bpf_insn good[] = { I_MOV64_IMM(BPF_REG_0, 0), I_EXIT() };
	LIBBPF_OPTS(bpf_prog_load_opts, o, .attempts = -1);
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd;

	SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_x", "GPL", good, 2, &o));
	o.attempts = 0;
	o.attach_prog_fd = 5;
	o.attach_btf_obj_fd = 6;
	SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_x", "GPL", good, 2, &o));
	SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_x", "GPL", good, 0, NULL));
	SHOW_FD(bpf_prog_load(9999, "ox_x", "GPL", good, 2, NULL));
	SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "bad name!", "GPL", good, 2, NULL));

	fd = SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "a_very_long_program_name", "GPL", good, 2, NULL));
	CHECK_EQ(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	printf("prog name '%s' type %u xlated %u gpl %u\n", info.name, info.type, info.xlated_prog_len,
	       info.gpl_compatible);
	close(fd);
	fd = SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "Dual BSD/GPL", good, 2, NULL));
	close(fd);
}

int main(void)
{
	test_socket_filter();
	test_syscall_prog();
	test_verifier_log();
	test_load_errors();
	return harness_done();
}
