/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Helpers of the low-level API tests (tests-c/bpf_*.c): hand-written BPF
 * instructions and result printers whose lines are the same whichever
 * libbpf runs (fds and ids are checked, never printed).
 */
#ifndef OXBPF_SYSCALL_UTIL_H
#define OXBPF_SYSCALL_UTIL_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <linux/bpf.h>

#define I_MOV64_IMM(d, v) ((struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = (d), .imm = (v) })
#define I_MOV64_REG(dst, src) ((struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = (dst), .src_reg = (src) })
#define I_ADD64_IMM(d, v) ((struct bpf_insn){ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = (d), .imm = (v) })
#define I_LDX_W(dst, src, o) ((struct bpf_insn){ .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = (dst), .src_reg = (src), .off = (o) })
#define I_STX_W(dst, src, o) ((struct bpf_insn){ .code = BPF_STX | BPF_MEM | BPF_W, .dst_reg = (dst), .src_reg = (src), .off = (o) })
#define I_ST_W(dst, o, v) ((struct bpf_insn){ .code = BPF_ST | BPF_MEM | BPF_W, .dst_reg = (dst), .off = (o), .imm = (v) })
#define I_CALL(fn) ((struct bpf_insn){ .code = BPF_JMP | BPF_CALL, .imm = (fn) })
#define I_EXIT() ((struct bpf_insn){ .code = BPF_JMP | BPF_EXIT })
/* 64-bit immediate load of a map fd (two instructions). */
#define I_LD_MAP_FD(dst, fd) \
	((struct bpf_insn){ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = (dst), .src_reg = BPF_PSEUDO_MAP_FD, .imm = (fd) }), \
	((struct bpf_insn){ 0 })

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* "<what> = <ret> errno=<errno>" for calls returning 0 or -errno. */
#define SHOW(expr)                                                                    \
	({                                                                            \
		errno = 0;                                                            \
		long __r = (long)(expr);                                              \
		printf("%s = %ld errno=%d\n", #expr, __r, __r < 0 ? errno : 0);        \
		__r;                                                                  \
	})

/* For calls returning an fd: prints "fd" on success, the error otherwise. */
#define SHOW_FD(expr)                                                                 \
	({                                                                            \
		errno = 0;                                                            \
		int __r = (int)(expr);                                                \
		if (__r >= 0)                                                         \
			printf("%s = fd\n", #expr);                                   \
		else                                                                  \
			printf("%s = %d errno=%d\n", #expr, __r, errno);              \
		__r;                                                                  \
	})

/* Every fd the library hands out is close-on-exec and above stderr. */
static inline int fd_ok(int fd)
{
	int fl = fcntl(fd, F_GETFD);

	return fd > 2 && fl >= 0 && (fl & FD_CLOEXEC);
}

#endif
