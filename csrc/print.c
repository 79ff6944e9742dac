/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The only C in oxbpf. Stable Rust cannot create a va_list, yet every libbpf
 * print callback takes one: these helpers take a message Rust has already
 * formatted and hand it to the callback as "%s" plus a real va_list.
 * Nothing here is exported: libbpf.map keeps these symbols local.
 */
#include <stdarg.h>
#include <stdio.h>

typedef int (*oxbpf_print_fn)(int level, const char *fmt, va_list ap);
typedef void (*oxbpf_dump_printf_fn)(void *ctx, const char *fmt, va_list ap);

/* Defined in Rust (src/log.rs): the most verbose level the default callback prints. */
extern int oxbpf_log_threshold(void);

static int call_print_va(oxbpf_print_fn fn, int level, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = fn(level, fmt, ap);
	va_end(ap);
	return ret;
}

int oxbpf_call_print_fn(oxbpf_print_fn fn, int level, const char *msg)
{
	return call_print_va(fn, level, "%s", msg);
}

static void call_dump_va(oxbpf_dump_printf_fn fn, void *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fn(ctx, fmt, ap);
	va_end(ap);
}

void oxbpf_call_dump_printf_fn(oxbpf_dump_printf_fn fn, void *ctx, const char *msg)
{
	call_dump_va(fn, ctx, "%s", msg);
}

/*
 * The default libbpf_print_fn_t. libbpf_set_print() hands it back to callers,
 * who may call it with their own format and arguments, so it must be a real
 * vfprintf-style callback.
 */
int oxbpf_default_print(int level, const char *fmt, va_list ap)
{
	if (level > oxbpf_log_threshold())
		return 0;
	return vfprintf(stderr, fmt, ap);
}
