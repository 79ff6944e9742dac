/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Event producers for the ring buffer and perf buffer tests, without the
 * object loader: socket-filter programs assembled here and run with
 * bpf_prog_test_run_opts() (each run emits one record), and a drain program
 * for user ring buffers that reports what it saw through an array map.
 *
 * A produced sample of `size` bytes is: a u32 sequence number (1, 2, ...
 * per state map), then byte i = (i * 7 + 1) & 0xff for i >= 4. The state
 * map (array, 4-byte keys, 8-byte values, >= 2 entries) holds the sequence
 * at key 0 and the number of failed outputs at key 1.
 */
#ifndef OXBPF_RINGBUF_PROGS_H
#define OXBPF_RINGBUF_PROGS_H

#include <sched.h>
#include <stdint.h>
#include <time.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <linux/btf.h>
#include "syscall_util.h"

#define I_ST_B(dst, o, v) ((struct bpf_insn){ .code = BPF_ST | BPF_MEM | BPF_B, .dst_reg = (dst), .off = (o), .imm = (v) })
#define I_ST_DW(dst, o, v) ((struct bpf_insn){ .code = BPF_ST | BPF_MEM | BPF_DW, .dst_reg = (dst), .off = (o), .imm = (v) })
#define I_STX_DW(dst, src, o) ((struct bpf_insn){ .code = BPF_STX | BPF_MEM | BPF_DW, .dst_reg = (dst), .src_reg = (src), .off = (o) })
#define I_MOV32_IMM(d, v) ((struct bpf_insn){ .code = BPF_ALU | BPF_MOV | BPF_K, .dst_reg = (d), .imm = (v) })
#define I_MOD64_IMM(d, v) ((struct bpf_insn){ .code = BPF_ALU64 | BPF_MOD | BPF_K, .dst_reg = (d), .imm = (v) })
#define I_JNE_IMM(d, v, o) ((struct bpf_insn){ .code = BPF_JMP | BPF_JNE | BPF_K, .dst_reg = (d), .off = (o), .imm = (v) })
#define I_JGT_IMM(d, v, o) ((struct bpf_insn){ .code = BPF_JMP | BPF_JGT | BPF_K, .dst_reg = (d), .off = (o), .imm = (v) })
#define I_JA(o) ((struct bpf_insn){ .code = BPF_JMP | BPF_JA, .off = (o) })

enum { H_MAP_LOOKUP = 1, H_PERF_OUTPUT = 25, H_RB_OUTPUT = 130, H_RB_RESERVE = 131, H_RB_SUBMIT = 132,
       H_RB_DISCARD = 133, H_DYNPTR_READ = 201, H_USER_RB_DRAIN = 209 };

/* How a producer emits its sample. */
enum producer_mode {
	PROD_RB_OUTPUT,		/* bpf_ringbuf_output(rb, stack, size, flags) */
	PROD_RB_RESERVE,	/* bpf_ringbuf_reserve + fill + bpf_ringbuf_submit(flags) */
	PROD_RB_DISCARD3,	/* as RESERVE, but samples whose sequence % 3 == 0 are discarded */
	PROD_PERF_OUTPUT,	/* bpf_perf_event_output(ctx, perf array, flags, stack, size) */
};

struct prog_buf {
	struct bpf_insn insn[1024];
	int n;
};

static inline int emit(struct prog_buf *p, struct bpf_insn i)
{
	p->insn[p->n] = i;
	return p->n++;
}

static inline void emit_map(struct prog_buf *p, int reg, int fd)
{
	struct bpf_insn ld[] = { I_LD_MAP_FD(reg, fd) };

	emit(p, ld[0]);
	emit(p, ld[1]);
}

/* Points the jump at `at` to the next instruction emitted. */
static inline void land(struct prog_buf *p, int at)
{
	p->insn[at].off = p->n - at - 1;
}

static inline unsigned char sample_byte(int i)
{
	return (unsigned char)(i * 7 + 1);
}

/* Checks a received sample: size, sequence number and filler bytes. */
static inline int sample_ok(const void *data, size_t size, size_t want_size, unsigned want_seq)
{
	const unsigned char *b = data;
	unsigned seq;

	if (size != want_size || size < 4)
		return 0;
	memcpy(&seq, b, 4);
	if (seq != want_seq)
		return 0;
	for (size_t i = 4; i < size; i++)
		if (b[i] != sample_byte(i))
			return 0;
	return 1;
}

/* r0 = &state[key] or jump (recorded in *null_jump) when NULL. */
static inline int emit_state_lookup(struct prog_buf *p, int state_fd, int key)
{
	emit(p, I_ST_W(BPF_REG_10, -4, key));
	emit(p, I_MOV64_REG(BPF_REG_2, BPF_REG_10));
	emit(p, I_ADD64_IMM(BPF_REG_2, -4));
	emit_map(p, BPF_REG_1, state_fd);
	emit(p, I_CALL(H_MAP_LOOKUP));
	return emit(p, I_JEQ_IMM(BPF_REG_0, 0, 0));
}

/* A socket filter emitting one sample of `size` (4..256) bytes per run into
 * `out_fd` (ring buffer or perf event array) as `mode` says; `flags` are the
 * output/submit flags (for perf: the index, or 0xffffffff for the current CPU). */
static inline int load_producer(enum producer_mode mode, int out_fd, int state_fd, int size, unsigned flags)
{
	static struct prog_buf p;
	int base = -(8 + ((size + 7) & ~7));
	int to_exit[8], nexit = 0, to_fail = -1;
	char log[16384] = "";
	LIBBPF_OPTS(bpf_prog_load_opts, o, .log_buf = log, .log_size = sizeof(log));
	int fd;

	p.n = 0;
	emit(&p, I_MOV64_REG(BPF_REG_6, BPF_REG_1));
	to_exit[nexit++] = emit_state_lookup(&p, state_fd, 0);
	emit(&p, I_MOV64_REG(BPF_REG_7, BPF_REG_0));
	emit(&p, I_LDX_DW(BPF_REG_8, BPF_REG_7, 0));
	emit(&p, I_ADD64_IMM(BPF_REG_8, 1));
	emit(&p, I_STX_DW(BPF_REG_7, BPF_REG_8, 0));
	if (mode == PROD_RB_OUTPUT || mode == PROD_PERF_OUTPUT) {
		for (int i = 4; i < size; i++)
			emit(&p, I_ST_B(BPF_REG_10, base + i, sample_byte(i)));
		emit(&p, I_STX_W(BPF_REG_10, BPF_REG_8, base));
		if (mode == PROD_RB_OUTPUT) {
			emit_map(&p, BPF_REG_1, out_fd);
			emit(&p, I_MOV64_REG(BPF_REG_2, BPF_REG_10));
			emit(&p, I_ADD64_IMM(BPF_REG_2, base));
			emit(&p, I_MOV64_IMM(BPF_REG_3, size));
			emit(&p, I_MOV64_IMM(BPF_REG_4, (int)flags));
			emit(&p, I_CALL(H_RB_OUTPUT));
		} else {
			emit(&p, I_MOV64_REG(BPF_REG_1, BPF_REG_6));
			emit_map(&p, BPF_REG_2, out_fd);
			emit(&p, I_MOV32_IMM(BPF_REG_3, (int)flags));
			emit(&p, I_MOV64_REG(BPF_REG_4, BPF_REG_10));
			emit(&p, I_ADD64_IMM(BPF_REG_4, base));
			emit(&p, I_MOV64_IMM(BPF_REG_5, size));
			emit(&p, I_CALL(H_PERF_OUTPUT));
		}
		to_exit[nexit++] = emit(&p, I_JEQ_IMM(BPF_REG_0, 0, 0));
	} else {
		emit_map(&p, BPF_REG_1, out_fd);
		emit(&p, I_MOV64_IMM(BPF_REG_2, size));
		emit(&p, I_MOV64_IMM(BPF_REG_3, 0));
		emit(&p, I_CALL(H_RB_RESERVE));
		to_fail = emit(&p, I_JEQ_IMM(BPF_REG_0, 0, 0));
		emit(&p, I_MOV64_REG(BPF_REG_9, BPF_REG_0));
		emit(&p, I_STX_W(BPF_REG_9, BPF_REG_8, 0));
		for (int i = 4; i < size; i++)
			emit(&p, I_ST_B(BPF_REG_9, i, sample_byte(i)));
		if (mode == PROD_RB_DISCARD3) {
			emit(&p, I_MOV64_REG(BPF_REG_1, BPF_REG_8));
			emit(&p, I_MOD64_IMM(BPF_REG_1, 3));
			int keep = emit(&p, I_JNE_IMM(BPF_REG_1, 0, 0));
			emit(&p, I_MOV64_REG(BPF_REG_1, BPF_REG_9));
			emit(&p, I_MOV64_IMM(BPF_REG_2, (int)flags));
			emit(&p, I_CALL(H_RB_DISCARD));
			to_exit[nexit++] = emit(&p, I_JA(0));
			land(&p, keep);
		}
		emit(&p, I_MOV64_REG(BPF_REG_1, BPF_REG_9));
		emit(&p, I_MOV64_IMM(BPF_REG_2, (int)flags));
		emit(&p, I_CALL(H_RB_SUBMIT));
		to_exit[nexit++] = emit(&p, I_JA(0));
		land(&p, to_fail);
	}
	/* The output failed: state[1] += 1. */
	to_exit[nexit++] = emit_state_lookup(&p, state_fd, 1);
	emit(&p, I_LDX_DW(BPF_REG_1, BPF_REG_0, 0));
	emit(&p, I_ADD64_IMM(BPF_REG_1, 1));
	emit(&p, I_STX_DW(BPF_REG_0, BPF_REG_1, 0));
	for (int i = 0; i < nexit; i++)
		land(&p, to_exit[i]);
	emit(&p, I_MOV64_IMM(BPF_REG_0, 0));
	emit(&p, I_EXIT());
	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_producer", "GPL", p.insn, p.n, &o);
	if (fd < 0)
		fprintf(stderr, "producer load failed (%d):\n%s\n", -errno, log);
	return fd;
}

#define OX_BTF_INFO(kind, vlen) (((kind) << 24) | (vlen))

/* BTF with two static functions of type int(void), "main" (id 3) and "cb"
 * (id 4): programs with callbacks need func_info. Returns a BTF fd. */
static inline int load_two_funcs_btf(void)
{
	static const char strs[] = "\0int\0main\0cb";
	struct {
		struct btf_header h;
		__u32 types[3 + 1 + 3 + 3 + 3];
		char strs[sizeof(strs)];
	} __attribute__((packed)) b = {
		.h = { .magic = BTF_MAGIC, .version = BTF_VERSION, .hdr_len = sizeof(struct btf_header),
		       .type_off = 0, .type_len = sizeof(b.types), .str_off = sizeof(b.types), .str_len = sizeof(strs) },
		.types = {
			1, OX_BTF_INFO(BTF_KIND_INT, 0), 4, (BTF_INT_SIGNED << 24) | 32, /* 1: int */
			0, OX_BTF_INFO(BTF_KIND_FUNC_PROTO, 0), 1,				  /* 2: int(void) */
			5, OX_BTF_INFO(BTF_KIND_FUNC, 0), 2,				  /* 3: main */
			10, OX_BTF_INFO(BTF_KIND_FUNC, 0), 2,				  /* 4: cb */
		},
	};

	memcpy(b.strs, strs, sizeof(strs));
	return bpf_btf_load(&b, sizeof(b), NULL);
}

/* A socket filter draining user ring buffer `urb_fd` with `flags`; it stores
 * in `results_fd` (array, 4-byte keys, 8-byte values, 64 entries): [0] the
 * drain's return, [1] the number of samples seen, [2 + k] the first 8 bytes
 * of sample k (all ones when the sample is shorter). */
static inline int load_drainer(int urb_fd, int results_fd, unsigned flags)
{
	static struct prog_buf p;
	char log[16384] = "";
	LIBBPF_OPTS(bpf_prog_load_opts, o, .log_buf = log, .log_size = sizeof(log));
	int to_exit, cb_ref, to_ret[4], nret = 0, fd;

	p.n = 0;
	emit_map(&p, BPF_REG_1, urb_fd);
	cb_ref = emit(&p, ((struct bpf_insn){ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = BPF_REG_2,
					       .src_reg = BPF_PSEUDO_FUNC }));
	emit(&p, ((struct bpf_insn){ 0 }));
	emit(&p, I_MOV64_IMM(BPF_REG_3, 0));
	emit(&p, I_MOV64_IMM(BPF_REG_4, (int)flags));
	emit(&p, I_CALL(H_USER_RB_DRAIN));
	emit(&p, I_MOV64_REG(BPF_REG_6, BPF_REG_0));
	to_exit = emit_state_lookup(&p, results_fd, 0);
	emit(&p, I_STX_DW(BPF_REG_0, BPF_REG_6, 0));
	land(&p, to_exit);
	emit(&p, I_MOV64_IMM(BPF_REG_0, 0));
	emit(&p, I_EXIT());

	/* The callback: (struct bpf_dynptr *sample, void *ctx). */
	int cb_start = p.n;

	p.insn[cb_ref].imm = p.n - cb_ref - 1;
	emit(&p, I_MOV64_REG(BPF_REG_6, BPF_REG_1));
	emit(&p, I_MOV64_REG(BPF_REG_1, BPF_REG_10));
	emit(&p, I_ADD64_IMM(BPF_REG_1, -16));
	emit(&p, I_MOV64_IMM(BPF_REG_2, 8));
	emit(&p, I_MOV64_REG(BPF_REG_3, BPF_REG_6));
	emit(&p, I_MOV64_IMM(BPF_REG_4, 0));
	emit(&p, I_MOV64_IMM(BPF_REG_5, 0));
	emit(&p, I_CALL(H_DYNPTR_READ));
	int read_ok = emit(&p, I_JEQ_IMM(BPF_REG_0, 0, 0));
	emit(&p, I_ST_DW(BPF_REG_10, -16, -1));
	land(&p, read_ok);
	to_ret[nret++] = emit_state_lookup(&p, results_fd, 1);
	emit(&p, I_MOV64_REG(BPF_REG_7, BPF_REG_0));
	emit(&p, I_LDX_DW(BPF_REG_8, BPF_REG_7, 0));
	emit(&p, I_MOV64_REG(BPF_REG_1, BPF_REG_8));
	emit(&p, I_ADD64_IMM(BPF_REG_1, 1));
	emit(&p, I_STX_DW(BPF_REG_7, BPF_REG_1, 0));
	to_ret[nret++] = emit(&p, I_JGT_IMM(BPF_REG_8, 59, 0));
	emit(&p, I_ADD64_IMM(BPF_REG_8, 2));
	emit(&p, I_STX_W(BPF_REG_10, BPF_REG_8, -4));
	emit(&p, I_MOV64_REG(BPF_REG_2, BPF_REG_10));
	emit(&p, I_ADD64_IMM(BPF_REG_2, -4));
	emit_map(&p, BPF_REG_1, results_fd);
	emit(&p, I_CALL(H_MAP_LOOKUP));
	to_ret[nret++] = emit(&p, I_JEQ_IMM(BPF_REG_0, 0, 0));
	emit(&p, I_LDX_DW(BPF_REG_1, BPF_REG_10, -16));
	emit(&p, I_STX_DW(BPF_REG_0, BPF_REG_1, 0));
	for (int i = 0; i < nret; i++)
		land(&p, to_ret[i]);
	emit(&p, I_MOV64_IMM(BPF_REG_0, 0));
	emit(&p, I_EXIT());
	struct bpf_func_info fi[2] = { { 0, 3 }, { cb_start, 4 } };
	int btf = load_two_funcs_btf();

	o.prog_btf_fd = btf;
	o.func_info = fi;
	o.func_info_cnt = 2;
	o.func_info_rec_size = sizeof(fi[0]);
	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_drainer", "GPL", p.insn, p.n, &o);
	close(btf);
	if (fd < 0)
		fprintf(stderr, "drainer load failed (%d):\n%s\n", -errno, log);
	return fd;
}

/* Runs a socket filter `repeat` times on a small packet; returns the
 * syscall's result. */
static inline int run_prog(int prog_fd, int repeat)
{
	char pkt[64] = { 0 }, out[64];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = sizeof(pkt), .data_out = out,
		    .data_size_out = sizeof(out), .repeat = repeat);

	return bpf_prog_test_run_opts(prog_fd, &o);
}

/* A state/results array of 8-byte values. */
static inline int make_array(const char *name, int entries)
{
	return bpf_map_create(BPF_MAP_TYPE_ARRAY, name, 4, 8, entries, NULL);
}

static inline unsigned long long array_get(int fd, int key)
{
	unsigned long long v = 0;

	bpf_map_lookup_elem(fd, &key, &v);
	return v;
}

static inline void array_set(int fd, int key, unsigned long long v)
{
	bpf_map_update_elem(fd, &key, &v, 0);
}

/* Milliseconds of CLOCK_MONOTONIC. */
static inline long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Keeps this thread on one CPU so the test runs land on a known ring. */
static inline int pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* Whether the page holding `addr` is mapped in this process. */
static inline int is_mapped(const void *addr)
{
	long ps = sysconf(_SC_PAGESIZE);
	unsigned char vec;
	void *page = (void *)((uintptr_t)addr & ~(uintptr_t)(ps - 1));

	return mincore(page, ps, &vec) == 0;
}

/* Open fds of this process (below 1024), to check that free closes all. */
static inline int count_fds(void)
{
	char path[64];
	int n = 0;

	for (int fd = 0; fd < 1024; fd++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n += access(path, F_OK) == 0;
	}
	return n;
}

#endif
