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
#define I_LDX_DW(dst, src, o) ((struct bpf_insn){ .code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = (dst), .src_reg = (src), .off = (o) })
#define I_JEQ_IMM(d, v, o) ((struct bpf_insn){ .code = BPF_JMP | BPF_JEQ | BPF_K, .dst_reg = (d), .off = (o), .imm = (v) })
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


#include <stdlib.h>
#include <linux/btf.h>

/* The id of the vmlinux BTF type `name` of `kind` (0 if absent): a small
 * walk over /sys/kernel/btf/vmlinux, independent of the library tested. */
static inline __u32 vmlinux_btf_id(const char *name, unsigned kind)
{
	FILE *f = fopen("/sys/kernel/btf/vmlinux", "rb");
	struct btf_header *h;
	char *data = NULL;
	size_t cap = 0, len = 0, n;
	__u32 id = 0, found = 0;

	if (!f)
		return 0;
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 1 << 22;
			data = realloc(data, cap);
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	h = (struct btf_header *)data;
	const char *types = data + h->hdr_len + h->type_off, *end = types + h->type_len;
	const char *strs = data + h->hdr_len + h->str_off;
	for (const char *p = types; p < end && !found;) {
		const struct btf_type *t = (const void *)p;
		unsigned k = BTF_INFO_KIND(t->info), vlen = BTF_INFO_VLEN(t->info);

		id++;
		if (k == kind && strcmp(strs + t->name_off, name) == 0)
			found = id;
		p += sizeof(*t);
		switch (k) {
		case BTF_KIND_INT: p += 4; break;
		case BTF_KIND_ARRAY: p += sizeof(struct btf_array); break;
		case BTF_KIND_STRUCT: case BTF_KIND_UNION: p += vlen * sizeof(struct btf_member); break;
		case BTF_KIND_ENUM: p += vlen * sizeof(struct btf_enum); break;
		case BTF_KIND_FUNC_PROTO: p += vlen * sizeof(struct btf_param); break;
		case BTF_KIND_VAR: p += sizeof(struct btf_var); break;
		case BTF_KIND_DATASEC: p += vlen * sizeof(struct btf_var_secinfo); break;
		case BTF_KIND_DECL_TAG: p += sizeof(struct btf_decl_tag); break;
		case 19 /* BTF_KIND_ENUM64 */: p += vlen * 12; break;
		default: break;
		}
	}
	free(data);
	return found;
}

#endif
