/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Helpers of the btf_dump tests: a printf callback collecting the output in
 * a growing buffer, a hash of it, and the normalisation of the one known
 * output difference between libbpf 1.8 (and oxbpf) and Debian's 1.1.2.
 */
#ifndef OXBPF_DUMP_CAPTURE_H
#define OXBPF_DUMP_CAPTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct capture {
	char *buf;
	size_t len, cap;
	size_t calls;
};

/* btf_dump_printf_fn_t appending to a struct capture. */
static inline void capture_printf(void *ctx, const char *fmt, va_list args)
{
	struct capture *c = ctx;
	va_list copy;
	int n;

	c->calls++;
	va_copy(copy, args);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	if (c->len + n + 1 > c->cap) {
		size_t cap = c->cap ? c->cap : 4096;

		while (cap < c->len + n + 1)
			cap *= 2;
		c->buf = realloc(c->buf, cap);
		if (!c->buf)
			abort();
		c->cap = cap;
	}
	vsnprintf(c->buf + c->len, n + 1, fmt, args);
	c->len += n;
}

/* Appends a string (as the callback would). */
static inline void capture_puts_helper(struct capture *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	capture_printf(c, fmt, ap);
	va_end(ap);
	c->calls--;
}

static inline void capture_puts(struct capture *c, const char *s)
{
	capture_puts_helper(c, "%s", s);
}

static inline void capture_reset(struct capture *c)
{
	c->len = 0;
	if (c->buf)
		c->buf[0] = 0;
}

static inline const char *capture_str(struct capture *c)
{
	return c->buf ? c->buf : "";
}

static inline void capture_free(struct capture *c)
{
	free(c->buf);
	memset(c, 0, sizeof(*c));
}

/*
 * libbpf 1.8 prints an empty parameter list as "(void)", 1.1.2 as "()":
 * rewrite every "(void)" as "()" so that both compare equal (1.1.2 also
 * prints "(void)" for a single void parameter, which becomes "()" too).
 */
static inline void capture_normalize(struct capture *c)
{
	char *r = c->buf, *w = c->buf;

	if (!r)
		return;
	while (*r) {
		if (strncmp(r, "(void)", 6) == 0) {
			*w++ = '(';
			*w++ = ')';
			r += 6;
		} else {
			*w++ = *r++;
		}
	}
	*w = 0;
	c->len = w - c->buf;
}

/*
 * BTF type tags with kflag set are arbitrary attributes: libbpf 1.8 prints
 * `__attribute__((X))`, 1.1.2 (which predates them) `__attribute__((
 * btf_type_tag("X")))`. Rewrites the latter as the former; used where
 * kernel BTF (which has such tags on kfunc prototypes) is printed.
 */
static inline void capture_normalize_tags(struct capture *c)
{
	static const char open[] = "__attribute__((btf_type_tag(\"";
	static const char close[] = "\")))";
	char *r = c->buf, *w = c->buf, *end;

	if (!r)
		return;
	while (*r) {
		if (strncmp(r, open, sizeof(open) - 1) == 0 && (end = strstr(r + sizeof(open) - 1, close))) {
			r += sizeof(open) - 1;
			memcpy(w, "__attribute__((", 15);
			w += 15;
			while (r < end)
				*w++ = *r++;
			*w++ = ')';
			*w++ = ')';
			r += sizeof(close) - 1;
		} else {
			*w++ = *r++;
		}
	}
	*w = 0;
	c->len = w - c->buf;
}

/* 64-bit FNV-1a. */
static inline unsigned long long capture_hash(const char *s, size_t n)
{
	unsigned long long h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Prints `text` with every line prefixed, so it compares line by line. */
static inline void print_prefixed(const char *prefix, const char *text)
{
	const char *p = text, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		if (!nl) {
			printf("%s%s\n", prefix, p);
			break;
		}
		printf("%s%.*s\n", prefix, (int)(nl - p), p);
		p = nl + 1;
	}
}

#endif /* OXBPF_DUMP_CAPTURE_H */
