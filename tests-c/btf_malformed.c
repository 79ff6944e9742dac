// oxbpf-test: valgrind
/*
 * Hostile BTF and .BTF.ext: a corpus of malformed blobs (truncated header,
 * bad hdr_len, sections past the end or overlapping or misaligned, string
 * offsets out of range, vlen overflowing the data, unknown kinds, type ids
 * out of range) must be refused with NULL and errno EINVAL (EOPNOTSUPP for
 * a foreign-endian header of unknown length); type graphs with loops must
 * make btf__resolve_size/resolve_type/align_of fail, not hang or crash;
 * thousands of randomly corrupted blobs must parse or fail cleanly. Runs
 * under valgrind too (no invalid access, no leak).
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/* Raw BTF: a 24-byte header, `type_off` bytes of padding, types, strings. */
static size_t mk(unsigned char *out, __u32 type_off, const __u32 *types, size_t ntypes, const char *strs,
		 size_t slen)
{
	struct btf_header h = {
		.magic = 0xeB9F,
		.version = 1,
		.hdr_len = 24,
		.type_off = type_off,
		.type_len = ntypes * 4,
		.str_off = type_off + ntypes * 4,
		.str_len = slen,
	};

	memcpy(out, &h, 24);
	memset(out + 24, 0, type_off);
	memcpy(out + 24 + type_off, types, ntypes * 4);
	memcpy(out + 24 + type_off + ntypes * 4, strs, slen);
	return 24 + type_off + ntypes * 4 + slen;
}

#define INT_T(name) name, BTF_KIND_INT << 24, 4, 32

static int refused(const void *data, size_t size, int want, const char *why)
{
	struct btf *b;

	errno = 0;
	b = btf__new(data, size);
	if (b || errno != want) {
		fprintf(stderr, "FAIL: %s: got %p errno %d, want NULL errno %d\n", why, (void *)b, errno, want);
		btf__free(b);
		return 0;
	}
	return 1;
}

#define BAD(data, size, why) CHECK(refused(data, size, EINVAL, why))

static void corpus(void)
{
	unsigned char buf[512], d[512];
	__u32 good_t[] = { INT_T(1) };
	size_t n, i;
	struct btf *b;

	n = mk(buf, 0, good_t, 4, "\0int", 5);
	b = btf__new(buf, n);
	CHECK(b && btf__type_cnt(b) == 2);
	btf__free(b);

	for (i = 0; i < 24; i++)
		BAD(buf, i, "truncated header");
	BAD(buf, n - 1, "truncated strings");
	CHECK(btf__new(NULL, 0) == NULL && errno == EINVAL);

	memcpy(d, buf, n);
	((struct btf_header *)d)->hdr_len = 1000;
	BAD(d, n, "hdr_len past the end");
	((struct btf_header *)d)->hdr_len = 8;
	BAD(d, n, "hdr_len too small");
	memcpy(d, buf, n);
	d[0] = 0;
	BAD(d, n, "bad magic");
	memcpy(d, buf, n);
	((struct btf_header *)d)->str_off = 100;
	BAD(d, n, "strings past the end");
	memcpy(d, buf, n);
	((struct btf_header *)d)->type_len = 0xffffffff;
	BAD(d, n, "type_len overflowing");
	memcpy(d, buf, n);
	((struct btf_header *)d)->str_len = 0xfffffff0;
	BAD(d, n, "str_len overflowing");
	memcpy(d, buf, n);
	((struct btf_header *)d)->type_len = 20;
	BAD(d, n, "types overlapping strings");

	n = mk(d, 2, good_t, 4, "\0int", 5);
	BAD(d, n, "misaligned type section");
	n = mk(d, 0, good_t, 4, "\0int", 4);
	BAD(d, n, "strings not terminated");
	n = mk(d, 0, good_t, 4, "xint", 5);
	BAD(d, n, "first string not empty");
	n = mk(d, 0, good_t, 4, "", 0);
	BAD(d, n, "no strings");
	{
		__u32 t[] = { INT_T(99) };
		n = mk(d, 0, t, 4, "\0int", 5);
		BAD(d, n, "name offset out of range");
	}
	{
		__u32 t[] = { 1, (BTF_KIND_STRUCT << 24) | 0xffff, 4, 0, 1, 0 };
		n = mk(d, 0, t, 6, "\0int", 5);
		BAD(d, n, "vlen overflowing the data");
	}
	{
		__u32 t[] = { 1, 20u << 24, 4 };
		n = mk(d, 0, t, 3, "\0int", 5);
		BAD(d, n, "unknown kind 20");
		t[1] = 31u << 24;
		n = mk(d, 0, t, 3, "\0int", 5);
		BAD(d, n, "unknown kind 31");
		t[1] = 0;
		n = mk(d, 0, t, 3, "\0int", 5);
		BAD(d, n, "kind 0");
	}
	{
		__u32 t[] = { INT_T(1), 0 };
		n = mk(d, 0, t, 5, "\0int", 5);
		BAD(d, n, "trailing bytes in the type section");
	}
	{
		__u32 t[] = { 0, BTF_KIND_PTR << 24, 9 };
		n = mk(d, 0, t, 3, "\0", 1);
		BAD(d, n, "pointer to an unknown id");
	}
	{
		__u32 t[] = { INT_T(1), 1, (BTF_KIND_STRUCT << 24) | 1, 4, 50, 1, 0 };
		n = mk(d, 0, t, 10, "\0int", 5);
		BAD(d, n, "member name out of range");
		t[8] = 77;
		t[7] = 0;
		n = mk(d, 0, t, 10, "\0int", 5);
		BAD(d, n, "member type out of range");
	}
	{
		__u32 t[] = { INT_T(1), 1, BTF_KIND_FUNC << 24, 1 };
		n = mk(d, 0, t, 7, "\0int", 5);
		BAD(d, n, "FUNC not on a FUNC_PROTO");
	}
	{
		__u32 t[] = { INT_T(1), 0, (BTF_KIND_DATASEC << 24) | 1, 4, 8, 0, 4 };
		n = mk(d, 0, t, 10, "\0int", 5);
		BAD(d, n, "DATASEC variable out of range");
	}
	/* a foreign-endian header of a length that cannot be swapped */
	n = mk(d, 0, good_t, 4, "\0int", 5);
	d[0] = 0xeb;
	d[1] = 0x9f;
	((struct btf_header *)d)->hdr_len = __builtin_bswap32(28);
	CHECK(refused(d, n, EOPNOTSUPP, "foreign header length"));
}

static void loops(void)
{
	/* typedef A -> typedef B -> A; struct S { S a; S b; }; array of itself */
	__u32 t[] = {
		1, BTF_KIND_TYPEDEF << 24, 2,
		3, BTF_KIND_TYPEDEF << 24, 1,
		5, (BTF_KIND_STRUCT << 24) | 2, 8, 0, 3, 0, 0, 3, 0,
		0, BTF_KIND_ARRAY << 24, 0, 4, 0, 1,
		0, BTF_KIND_CONST << 24, 5,
	};
	unsigned char d[256];
	size_t n = mk(d, 0, t, sizeof(t) / 4, "\0A\0B\0S", 7);
	struct btf *b = btf__new(d, n);
	__u32 id;

	CHECK(b);
	if (!b)
		return;
	for (id = 1; id <= 5; id++) {
		errno = 0;
		/* a struct has its size without following its members */
		CHECK(btf__resolve_size(b, id) == (id == 3 ? 8 : -EINVAL));
		CHECK(btf__resolve_type(b, id) == -EINVAL || btf__resolve_type(b, id) == (int)id);
		CHECK(btf__align_of(b, id) == 0 && errno == EINVAL);
	}
	CHECK(btf__resolve_type(b, 1) == -EINVAL);
	btf__free(b);
}

static __u64 seed = 0x9e3779b97f4a7c15ULL;

static __u32 rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (__u32)seed;
}

/* Random corruption of real BTF: parse or fail cleanly, then every
 * accessor works on what parsed. */
static void fuzz(void)
{
	struct btf *src = btf__new_empty(), *b;
	const void *raw;
	unsigned char d[4096];
	__u32 size, i, id, round, ok = 0;

	btf__add_int(src, "int", 4, BTF_INT_SIGNED);
	btf__add_struct(src, "s", 8);
	btf__add_field(src, "a", 1, 0, 0);
	btf__add_field(src, "b", 1, 33, 3);
	btf__add_enum(src, "e", 4);
	btf__add_enum_value(src, "E", -1);
	btf__add_func_proto(src, 1);
	btf__add_func_param(src, "p", 2);
	btf__add_func(src, "f", BTF_FUNC_GLOBAL, 4);
	btf__add_array(src, 1, 2, 3);
	btf__add_var(src, "v", 1, 6);
	btf__add_datasec(src, ".data", 24);
	btf__add_datasec_var_info(src, 7, 0, 24);
	btf__add_typedef(src, "t", 2);
	btf__add_decl_tag(src, "tag", 2, 1);
	btf__add_enum64(src, "e64", 8, 0);
	btf__add_enum64_value(src, "X", 1);
	raw = btf__raw_data(src, &size);
	CHECK(size < sizeof(d));

	for (round = 0; round < 3000; round++) {
		memcpy(d, raw, size);
		for (i = 0; i < 1 + rnd() % 4; i++)
			d[rnd() % size] = rnd();
		b = btf__new(d, round % 5 == 0 ? rnd() % size : size);
		if (!b) {
			CHECK(errno == EINVAL || errno == EOPNOTSUPP);
			continue;
		}
		ok++;
		for (id = 0; id < btf__type_cnt(b) + 2; id++) {
			const struct btf_type *t = btf__type_by_id(b, id);

			btf__resolve_size(b, id);
			btf__resolve_type(b, id);
			btf__align_of(b, id);
			if (t && btf__name_by_offset(b, t->name_off))
				btf__find_by_name_kind(b, btf__name_by_offset(b, t->name_off), btf_kind(t));
		}
		btf__free(b);
	}
	note("fuzz: %u of 3000 corrupted blobs parsed", ok);
	btf__free(src);
}

static void ext_corpus(void)
{
	__u32 good[] = {
		0x0001eB9F, 32, 0, 20, 20, 28, 48, 28,
		8, 1, 1, 0, 5,
		16, 1, 1, 0, 3, 4, (5 << 10) | 2,
		16, 1, 1, 8, 7, 9, 0,
	};
	unsigned char d[sizeof(good)];
	struct btf_ext *e;
	const void *raw;
	__u32 size;

#define EXT_BAD(mod, want)                                        \
	do {                                                      \
		memcpy(d, good, sizeof(good));                    \
		mod;                                              \
		errno = 0;                                        \
		e = btf_ext__new(d, sizeof(d));                   \
		CHECKM(!e && errno == want, "%s", #mod);          \
		btf_ext__free(e);                                 \
	} while (0)

	e = btf_ext__new((void *)good, sizeof(good));
	CHECK(e);
	raw = btf_ext__raw_data(e, &size);
	CHECK(raw && size == sizeof(good) && memcmp(raw, good, size) == 0);
	btf_ext__free(e);
	CHECK(btf_ext__new((void *)good, 4) == NULL && errno == EINVAL);
	CHECK(btf_ext__new((void *)good, 32) == NULL && errno == EINVAL);
	CHECK(btf_ext__new(NULL, 0) == NULL && errno == EINVAL);
	EXT_BAD(d[0] = 0, EINVAL);
	EXT_BAD(d[2] = 2, EOPNOTSUPP);
	EXT_BAD(d[3] = 1, EOPNOTSUPP);
	EXT_BAD(((__u32 *)d)[1] = 16, EINVAL);      /* header without line info */
	EXT_BAD(((__u32 *)d)[1] = 200, EINVAL);     /* header past the end */
	EXT_BAD(((__u32 *)d)[2] = 2, EINVAL);       /* misaligned func info */
	EXT_BAD(((__u32 *)d)[3] = 4000, EINVAL);    /* func info past the end */
	EXT_BAD(((__u32 *)d)[8] = 4, EINVAL);       /* record size too small */
	EXT_BAD(((__u32 *)d)[8] = 10, EINVAL);      /* record size unaligned */
	EXT_BAD(((__u32 *)d)[10] = 0, EINVAL);      /* zero records */
	EXT_BAD(((__u32 *)d)[10] = 0x40000000, EINVAL); /* records past the end */
	EXT_BAD(((__u32 *)d)[3] = 4, EINVAL);       /* record size only */
	EXT_BAD(((__u32 *)d)[3] = 8, EINVAL);       /* truncated section header */
	EXT_BAD(((__u32 *)d)[7] = 20, EINVAL);      /* core relo past the end */
}

static void files(void)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/oxbpf-malformed-%d", getpid());
	f = fopen(path, "w");
	fwrite("\x7f" "ELF\x02\x01\x01", 1, 7, f);
	fwrite("garbage garbage garbage garbage garbage garbage garbage garbage", 1, 60, f);
	fclose(f);
	CHECK(btf__parse_elf(path, NULL) == NULL && errno == LIBBPF_ERRNO__FORMAT);
	CHECK(btf__parse(path, NULL) == NULL && errno == LIBBPF_ERRNO__FORMAT);
	CHECK(btf__parse_raw(path) == NULL && errno == EPROTO);
	f = fopen(path, "w");
	fwrite("x", 1, 1, f);
	fclose(f);
	CHECK(btf__parse_raw(path) == NULL && errno == EIO);
	f = fopen(path, "w");
	fwrite("\x9f\xeb\x01\x00\x18\x00", 1, 6, f);
	fclose(f);
	CHECK(btf__parse(path, NULL) == NULL && errno == EINVAL);
	unlink(path);
	CHECK(btf__parse(path, NULL) == NULL && errno == ENOENT);
	CHECK(btf__parse_elf(path, NULL) == NULL && errno == ENOENT);
	CHECK(btf__parse(NULL, NULL) == NULL && errno == EINVAL);
}

int main(void)
{
	libbpf_set_print(silent);
	corpus();
	loops();
	fuzz();
	ext_corpus();
	files();
	return harness_done();
}
