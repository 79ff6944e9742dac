/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The BPF side of USDT support with libbpf 1.8's spec layout (24-byte
 * argument records with scale-index-base operands), for the tests: Debian
 * ships the older usdt.bpf.h. The structs and maps are the ABI shared
 * with the library and must keep this exact layout; the readers are our
 * own. */
#ifndef OXBPF_TESTS_USDT18_H
#define OXBPF_TESTS_USDT18_H

#include <linux/errno.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#ifndef BPF_USDT_MAX_SPEC_CNT
#define BPF_USDT_MAX_SPEC_CNT 256
#endif
#ifndef BPF_USDT_MAX_IP_CNT
#define BPF_USDT_MAX_IP_CNT (4 * BPF_USDT_MAX_SPEC_CNT)
#endif

enum __bpf_usdt_arg_type {
	BPF_USDT_ARG_CONST,
	BPF_USDT_ARG_REG,
	BPF_USDT_ARG_REG_DEREF,
	BPF_USDT_ARG_SIB,
};

struct __bpf_usdt_arg_spec {
	__u64 val_off;
	enum __bpf_usdt_arg_type arg_type: 8;
	__u16 idx_reg_off: 12;
	__u16 scale_bitshift: 4;
	__u8 __reserved: 8;
	short reg_off;
	bool arg_signed;
	char arg_bitshift;
};

#define BPF_USDT_MAX_ARG_CNT 12
struct __bpf_usdt_spec {
	struct __bpf_usdt_arg_spec args[BPF_USDT_MAX_ARG_CNT];
	__u64 usdt_cookie;
	short arg_cnt;
};

_Static_assert(sizeof(struct __bpf_usdt_spec) == 304, "libbpf 1.8 spec layout");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BPF_USDT_MAX_SPEC_CNT);
	__type(key, int);
	__type(value, struct __bpf_usdt_spec);
} __bpf_usdt_specs SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BPF_USDT_MAX_IP_CNT);
	__type(key, long);
	__type(value, __u32);
} __bpf_usdt_ip_to_spec_id SEC(".maps") __weak;

extern const _Bool LINUX_HAS_BPF_COOKIE __kconfig;

/* The spec of the probe site that fired, or NULL. */
static __always_inline struct __bpf_usdt_spec *usdt18_spec(struct pt_regs *ctx)
{
	int id;

	if (LINUX_HAS_BPF_COOKIE) {
		id = bpf_get_attach_cookie(ctx);
	} else {
		long ip = PT_REGS_IP(ctx);
		int *p = bpf_map_lookup_elem(&__bpf_usdt_ip_to_spec_id, &ip);

		if (!p)
			return NULL;
		id = *p;
	}
	return bpf_map_lookup_elem(&__bpf_usdt_specs, &id);
}

__weak __hidden int bpf_usdt_arg_cnt(struct pt_regs *ctx)
{
	struct __bpf_usdt_spec *spec = usdt18_spec(ctx);

	return spec ? spec->arg_cnt : -ESRCH;
}

__weak __hidden long bpf_usdt_cookie(struct pt_regs *ctx)
{
	struct __bpf_usdt_spec *spec = usdt18_spec(ctx);

	return spec ? spec->usdt_cookie : 0;
}

/* Reads a saved register of the probed task by its pt_regs offset. */
static __always_inline int usdt18_reg(struct pt_regs *ctx, short off, unsigned long *out)
{
	return bpf_probe_read_kernel(out, sizeof(*out), (void *)ctx + off);
}

/* Argument #n of the probe that fired, widened to 64 bits with the sign
 * the note gives it. 0 on success (*res set), -ENOENT past the last
 * argument, -ESRCH without a spec, -EINVAL for an unknown kind, or the
 * error of a failed read (*res then 0). */
__weak __hidden int bpf_usdt_arg(struct pt_regs *ctx, __u64 n, long *res)
{
	struct __bpf_usdt_spec *spec = usdt18_spec(ctx);
	struct __bpf_usdt_arg_spec *a;
	unsigned long val, idx, addr;
	int err;

	*res = 0;
	if (!spec)
		return -ESRCH;
	if (n >= BPF_USDT_MAX_ARG_CNT || n >= spec->arg_cnt)
		return -ENOENT;
	a = &spec->args[n];
	switch (a->arg_type) {
	case BPF_USDT_ARG_CONST:
		val = a->val_off;
		break;
	case BPF_USDT_ARG_REG:
		err = usdt18_reg(ctx, a->reg_off, &val);
		if (err)
			return err;
		break;
	case BPF_USDT_ARG_REG_DEREF:
	case BPF_USDT_ARG_SIB:
		err = usdt18_reg(ctx, a->reg_off, &addr);
		if (err)
			return err;
		if (a->arg_type == BPF_USDT_ARG_SIB) {
			err = usdt18_reg(ctx, a->idx_reg_off, &idx);
			if (err)
				return err;
			addr += idx << a->scale_bitshift;
		}
		err = bpf_probe_read_user(&val, sizeof(val), (void *)(addr + a->val_off));
		if (err)
			return err;
		break;
	default:
		return -EINVAL;
	}
	/* Keep the low (64 - bitshift) bits, sign- or zero-extended. */
	val <<= a->arg_bitshift;
	*res = a->arg_signed ? (long)val >> a->arg_bitshift : (long)(val >> a->arg_bitshift);
	return 0;
}

#endif
