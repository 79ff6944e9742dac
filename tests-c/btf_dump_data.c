// oxbpf-test: differential
/*
 * btf_dump__dump_type_data(), compared with Debian's libbpf.
 *
 * - vmlinux sweep: every type of at most 4 KiB holding pseudo-random data
 *   (with runs of zero bytes), with 5 sets of options (compact, skip_names,
 *   emit_zeroes combinations and a custom indent); a hash per 10,000 ids
 *   and the sum of return values. Then every type without bitfields with
 *   half of its data (E2BIG after a partial dump).
 * - The corpus object's types (bitfields, enums, nested anonymous types,
 *   scalars of every size, function pointers, multi-dimensional arrays)
 *   and its data sections, printed in full; floats of 4, 8 and 16 bytes.
 * - Errors: unknown ids, short data, bad opts, kinds without values.
 *
 * Known 1.8 vs 1.1.2 differences, kept out of the comparison:
 * - 1.1.2 prints no "," after an enum value that has no enumerator, and
 *   treats the first NUL of a char array differently (1.8 prints '\0' and
 *   resets that state for the next array; once a char array was seen, 1.8
 *   also prints a zero char outside arrays as '\0'): the sweep rewrites enum
 *   fields to named values and zero chars to 'z' (types where that is
 *   not possible, e.g. overlapping union members, are skipped in both runs);
 *   1.1.2 also reads enum bitfields as whole enums: types with them are
 *   skipped too;
 *   cases with them are printed through note() and checked against 1.8's
 *   text in our run;
 * - 1.1.2 checks a bitfield's bounds with its whole integer type (E2BIG at
 *   the end of the data): full dumps pass 16 spare bytes, partial dumps
 *   skip types with bitfields;
 * - "(void)" for empty parameter lists (see dump_capture.h);
 * - emit_strings is new (1.1.2 refuses the opts): our run only.
 * And one deliberate difference: to decide whether a member is zero,
 * libbpf may read past the end of short data; oxbpf never does and takes
 * such members as non-zero. Partial dumps fill the bytes past the end with
 * 0xff, so both decide the same.
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "dump_capture.h"

static struct capture cap;
static unsigned char buf[8192] __attribute__((aligned(16)));
static unsigned long long seed;

static unsigned rnd(void)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return seed >> 33;
}

static void fill(size_t n)
{
	size_t j = 0;

	while (j < n) {
		unsigned run = rnd() % 24 + 1, zero = rnd() % 2, r;

		for (r = 0; r < run && j < n; r++, j++)
			buf[j] = zero ? 0 : (rnd() % 3 == 0 ? 'a' + rnd() % 26 : rnd());
	}
}

/* ---- Rewriting enum fields and char arrays (see the header comment). ---- */

enum { PASS_ENUMS, PASS_CHARS, PASS_CHECK };

struct walk {
	int pass;
	int bad;	   /* the rewrite cannot hold (overlaps, odd enums) */
	int bitfields;	   /* the type holds bitfields */
	int visits;
};

static const struct btf_type *skip(const struct btf *btf, __u32 *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t) || btf_is_var(t))) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

static unsigned long long get_bits(size_t bitoff, int bits)
{
	unsigned long long v = 0;
	int i;

	for (i = 0; i < bits; i++)
		if (buf[(bitoff + i) / 8] & (1 << ((bitoff + i) % 8)))
			v |= 1ULL << i;
	return v;
}

static void put_bits(size_t bitoff, int bits, unsigned long long v)
{
	int i;

	for (i = 0; i < bits; i++) {
		unsigned char m = 1 << ((bitoff + i) % 8);

		if (v & (1ULL << i))
			buf[(bitoff + i) / 8] |= m;
		else
			buf[(bitoff + i) / 8] &= ~m;
	}
}

/* The enumerator to store at a position: non-negative, below 2^31 for
 * 32-bit enums, fitting a bitfield; -1 when there is none. */
static long long pick_enum(const struct btf_type *t, size_t bitoff, int bitsz)
{
	int n = btf_vlen(t), i, start = n ? (int)(bitoff * 7919 % n) : 0;

	for (i = 0; i < n; i++) {
		int k = (start + i) % n;
		long long v;

		if (btf_is_enum(t))
			v = btf_enum(t)[k].val;
		else
			v = (long long)btf_enum64_value(&btf_enum64(t)[k]);
		if (v < 0 || (btf_is_enum(t) && v > 0x7fffffff))
			continue;
		if (bitsz && bitsz < 63 && v >= (1LL << bitsz))
			continue;
		if (t->size < 8 && v >= (1LL << (t->size * 8)))
			continue;
		return v;
	}
	return -1;
}

static void walk(const struct btf *btf, __u32 id, size_t bitoff, int bitsz, size_t end, struct walk *w)
{
	const struct btf_type *t = skip(btf, &id);
	int i;

	if (!t || ++w->visits > 200000) {
		w->bad = 1;
		return;
	}
	if (bitsz)
		w->bitfields = 1;
	if (btf_is_composite(t)) {
		for (i = 0; i < (int)btf_vlen(t); i++)
			walk(btf, btf_members(t)[i].type, bitoff + btf_member_bit_offset(t, i),
			     btf_member_bitfield_size(t, i), end, w);
	} else if (btf_is_array(t)) {
		const struct btf_array *a = btf_array(t);
		long esz = btf__resolve_size(btf, a->type);
		__u32 k;

		if (esz <= 0)
			return;
		for (k = 0; k < a->nelems && bitoff / 8 + k * esz < end; k++)
			walk(btf, a->type, bitoff + k * esz * 8, 0, end, w);
	} else if (btf_is_int(t) && t->size == 1 && !bitsz) {
		unsigned char *c = &buf[bitoff / 8];

		if (bitoff / 8 >= end)
			return;
		if (w->pass == PASS_CHARS && *c == 0)
			*c = 'z';
		if (w->pass == PASS_CHECK && *c == 0)
			w->bad = 1;
	} else if (btf_is_any_enum(t)) {
		long long v = pick_enum(t, bitoff, bitsz);

		/* 1.1.2 reads enum bitfields as whole enums. */
		if (bitsz) {
			w->bad = 1;
			return;
		}
		int bits = bitsz ? bitsz : (int)t->size * 8;

		if (v < 0 || (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8) || bits > 64 ||
		    (bitoff + bits + 7) / 8 > end) {
			if (w->pass == PASS_CHECK && (bitoff + bits + 7) / 8 <= end)
				w->bad = 1;
			return;
		}
		if (w->pass == PASS_ENUMS)
			put_bits(bitoff, bits, v);
		if (w->pass == PASS_CHECK && get_bits(bitoff, bits) != (unsigned long long)v)
			w->bad = 1;
	}
}

/* Prepares data for type `id` of `size` bytes; 0 when the type is skipped. */
static int prepare(const struct btf *btf, __u32 id, size_t size, int *bitfields)
{
	struct walk w = {};

	fill(size + 16);
	w.pass = PASS_ENUMS;
	walk(btf, id, 0, 0, size, &w);
	w.pass = PASS_CHARS;
	walk(btf, id, 0, 0, size, &w);
	w.pass = PASS_CHECK;
	walk(btf, id, 0, 0, size, &w);
	*bitfields = w.bitfields;
	return !w.bad;
}

/* ---- The vmlinux sweep. ---- */

static void opts_variant(int v, struct btf_dump_type_data_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->sz = sizeof(*o);
	o->compact = v == 1 || v == 3;
	o->skip_names = v == 2 || v == 3;
	o->emit_zeroes = v == 3;
	if (v == 4) {
		o->indent_str = "  ";
		o->indent_level = 2;
		o->emit_zeroes = true;
	}
}

static void sweep(const struct btf *btf)
{
	struct btf_dump_type_data_opts o;
	struct btf_dump *d;
	__u32 id, n = btf__type_cnt(btf);
	long long sum;
	int v, skipped, partial;

	for (partial = 0; partial < 2; partial++) {
		for (v = 0; v < (partial ? 2 : 5); v++) {
			capture_reset(&cap);
			d = btf_dump__new(btf, capture_printf, &cap, NULL);
			CHECK(d);
			if (!d)
				return;
			opts_variant(v, &o);
			seed = 42 + v;
			sum = 0;
			skipped = 0;
			for (id = 1; id < n; id++) {
				const struct btf_type *t = btf__type_by_id(btf, id);
				long size = btf__resolve_size(btf, id);
				int bitfields, ret;

				if (btf_is_func(t) || btf_is_func_proto(t) || size <= 0 || size > 4096)
					continue;
				if (!prepare(btf, id, size, &bitfields) || (partial && bitfields)) {
					skipped++;
					continue;
				}
				/* Past the end of partial data: bytes libbpf reads when
				 * deciding whether a member is zero (oxbpf reads none
				 * and takes the member as non-zero): non-zero ones. */
				if (partial)
					memset(buf + size / 2, 0xff, size - size / 2 + 16);
				ret = btf_dump__dump_type_data(d, id, buf, partial ? size / 2 : size + 16, &o);
				sum += ret;
				if (getenv("OXBPF_DUMP_TEXT"))
					capture_puts(&cap, " => ");
				capture_puts(&cap, "\n");
				if (id % 10000 == 0 || id == n - 1) {
					capture_normalize(&cap);
					/* Debugging aid: the text itself, on stderr. */
					if (getenv("OXBPF_DUMP_TEXT"))
						fputs(capture_str(&cap), stderr);
					printf("vmlinux %s v%d: ids ..%u: %zu bytes, hash %016llx, returns %lld\n",
					       partial ? "partial" : "full", v, id, cap.len, capture_hash(cap.buf, cap.len),
					       sum);
					capture_reset(&cap);
				}
			}
			printf("vmlinux %s v%d: %d types skipped\n", partial ? "partial" : "full", v, skipped);
			btf_dump__free(d);
		}
	}
}

/* ---- Literal cases. ---- */

static struct btf_dump *dd;
static const struct btf *dbtf;

/* Dumps `data` as type `name` with the options, printing the text. */
static int show(const char *label, const char *name, int kind, const void *data, size_t sz,
		const struct btf_dump_type_data_opts *o, int compare)
{
	int id = kind >= 0 ? btf__find_by_name_kind(dbtf, name, kind) : btf__find_by_name(dbtf, name);
	int ret;

	if (id < 0) {
		printf("%s: no type %s\n", label, name);
		return id;
	}
	capture_reset(&cap);
	ret = btf_dump__dump_type_data(dd, id, data, sz, o);
	capture_normalize(&cap);
	if (compare) {
		printf("%s: %d\n", label, ret);
		print_prefixed("| ", capture_str(&cap));
	} else {
		note("%s: %d", label, ret);
		print_prefixed("~ | ", capture_str(&cap));
	}
	return ret;
}

#define OPTS(...) (&(struct btf_dump_type_data_opts){ .sz = sizeof(struct btf_dump_type_data_opts), __VA_ARGS__ })

static void corpus(void)
{
	struct btf *btf = btf__parse_elf(prog_path("btf_dump_corpus.bpf.o"), NULL);
	static unsigned char data[512] __attribute__((aligned(16)));
	const struct btf_dump_type_data_opts *variants[] = {
		OPTS(), OPTS(.compact = true), OPTS(.skip_names = true, .compact = true), OPTS(.emit_zeroes = true),
	};
	/* (struct bits has an enum bitfield: see below.) */
	const char *structs[] = { "bits_only", "packed_s", "aligned16", "holes", "packed_inner",
				  "has_empty", "funcs", "node", "list", "uses_typedefs", "tagged" };
	char label[64];
	size_t i, v, k;

	CHECK(btf);
	if (!btf)
		return;
	dbtf = btf;
	dd = btf_dump__new(btf, capture_printf, &cap, NULL);
	/* Patterned data: no NUL in char arrays, enums with named values. */
	for (i = 0; i < sizeof(data); i++)
		data[i] = (i * 37 + 11) & 0xff ? (i * 37 + 11) & 0xff : 1;
	for (i = 0; i < sizeof(structs) / sizeof(structs[0]); i++)
		for (v = 0; v < 4; v++) {
			snprintf(label, sizeof(label), "%s v%zu", structs[i], v);
			show(label, structs[i], BTF_KIND_STRUCT, data, sizeof(data), variants[v], 1);
		}
	/* Zero and sparse data: members left out, top-level zero shown. */
	memset(data, 0, sizeof(data));
	data[8] = 5;
	/* (With emit_zeroes, 1.8 shows the NUL of the zero char array.) */
	for (i = 0; i < 4; i++) {
		snprintf(label, sizeof(label), "sparse holes v%zu", i);
		show(label, "holes", BTF_KIND_STRUCT, data, sizeof(data), variants[i], i != 3);
	}
	show("zero int", "int", BTF_KIND_INT, data, 4, variants[0], 1);
	show("zero bits", "bits", BTF_KIND_STRUCT, data, sizeof(data), variants[0], 1);

	/* Enums: named values (signed, unsigned, 64-bit, 1-byte, bitfields). */
	{
		struct {
			int n;
			unsigned int pad;
			unsigned long long bu;
			long long bs;
			unsigned int uf;
			unsigned char b;
			unsigned short s;
			unsigned long long w;
			unsigned char bits;
		} __attribute__((packed, aligned(8))) e = { -1, 0, 1, 5000000000LL, 0, 200, 40000, 2, 0x11 };
		struct btf_dump_type_data_opts o = { .sz = sizeof(o), .compact = true };

		(void)e;
		show("enum neg_e", "neg_e", BTF_KIND_ENUM, &e.n, 4, &o, 1);
		show("enum big_u", "big_u", BTF_KIND_ENUM64, &e.bu, 8, &o, 1);
		show("enum big_s", "big_s", BTF_KIND_ENUM64, &e.bs, 8, &o, 1);
		show("enum byte_e", "byte_e", BTF_KIND_ENUM, &e.b, 1, &o, 1);
		show("enum word_e", "word_e", BTF_KIND_ENUM, &e.w, 8, &o, 1);
	}
	/* Enum bitfields (1.1.2 reads them as whole enums): 1.8's text. */
	{
		static unsigned char b[64] __attribute__((aligned(16)));

		memset(b, 0, sizeof(b));
		capture_reset(&cap);
		b[0] = 1;		/* a = 1 */
		b[10] = 1;		/* f = SMALL_B (bits 80..81) */
		show("bits with an enum bitfield", "bits", BTF_KIND_STRUCT, b, sizeof(b), OPTS(.compact = true), 0);
		if (!harness_is_reference())
			CHECK_STR(capture_str(&cap),
				  "(struct bits){.a = (unsigned int)0x1,.f = (enum small_e)SMALL_B,}");
	}
	/* Enum values without a name: 1.1.2 prints no ",". */
	{
		int v32 = 12345;
		long long v64 = -77;

		show("unnamed neg_e", "neg_e", BTF_KIND_ENUM, &v32, 4, OPTS(.compact = true), 0);
		show("unnamed big_s", "big_s", BTF_KIND_ENUM64, &v64, 8, OPTS(.compact = true), 0);
		show("unnamed enums struct", "enums", BTF_KIND_STRUCT, buf, 64, OPTS(), 0);
	}
	/* Scalars: every size, int128, floats, strings, pointers. */
	{
		struct {
			char c;
			signed char sc;
			unsigned char uc;
			short s;
			unsigned short us;
			int i;
			unsigned int ui;
			long l;
			unsigned long ul;
			long long ll;
			unsigned long long ull;
			__int128 i128;
			unsigned __int128 u128;
			float f;
			double d;
			_Bool b;
			char name[16];
			unsigned char bytes[6];
			int ints[5];
			char grid[2][4];
			void *vp;
			const char *str;
		} s = { 'A', -5, 250, -300, 60000, -70000, 4000000000U, -1, 12, -9000000000LL, 18000000000000000000ULL,
			((__int128)1 << 100) | 7, 99, 1.5f, -2.25, 1, "hello", { 1, 2, 0, 3 }, { 0, 0, 7, 0, 0 },
			{ "abc", "xyz" }, (void *)0x1234, 0 };

		for (v = 0; v < 4; v++) {
			snprintf(label, sizeof(label), "scalars v%zu", v);
			show(label, "scalars", BTF_KIND_STRUCT, &s, sizeof(s), variants[v], 0);
		}
		/* Unaligned: pointers print as plain hex. */
		memcpy(data + 1, &s, sizeof(s));
		show("scalars unaligned", "scalars", BTF_KIND_STRUCT, data + 1, sizeof(s), variants[1], 0);
		for (k = 0; k < sizeof(s.name); k++)
			s.name[k] = 'a' + k;
		memset(s.grid, 'q', sizeof(s.grid));
		memset(s.bytes, 9, sizeof(s.bytes));
		show("scalars no NUL", "scalars", BTF_KIND_STRUCT, &s, sizeof(s), variants[0], 1);
	}
	/* Nested anonymous types. */
	{
		static unsigned char n[256] __attribute__((aligned(16)));

		for (i = 0; i < sizeof(n); i++)
			n[i] = i % 7 ? i : 0;
		memset(n + 4, 0, 4);
		n[8] = 3;
		n[16] = 10; /* point.dir = DIR_S */
		for (v = 0; v < 4; v++) {
			snprintf(label, sizeof(label), "nested v%zu", v);
			show(label, "nested", BTF_KIND_STRUCT, n, sizeof(n), variants[v], 0);
		}
	}
	/* Data sections and variables. */
	{
		static char sec[256] __attribute__((aligned(16)));
		int id, k2;
		const char *secs[] = { ".data", ".bss", ".rodata", "license" };

		for (i = 0; i < sizeof(sec); i++)
			sec[i] = 'A' + i % 26;
		for (k2 = 0; k2 < 4; k2++) {
			id = btf__find_by_name_kind(btf, secs[k2], BTF_KIND_DATASEC);
			capture_reset(&cap);
			if (id < 0) {
				printf("no section %s\n", secs[k2]);
				continue;
			}
			k = btf_dump__dump_type_data(dd, id, sec, sizeof(sec), OPTS(.compact = true));
			capture_normalize(&cap);
			/* .bss holds enums with unnamed values and an enum
			 * bitfield (see the header comment). */
			if (strcmp(secs[k2], ".bss") == 0) {
				note("datasec %s: %d", secs[k2], (int)k);
				print_prefixed("~ | ", capture_str(&cap));
			} else {
				printf("datasec %s: %d\n", secs[k2], (int)k);
				print_prefixed("| ", capture_str(&cap));
			}
		}
		id = btf__find_by_name_kind(btf, "g_int_array", BTF_KIND_VAR);
		capture_reset(&cap);
		printf("var g_int_array: %d\n", btf_dump__dump_type_data(dd, id, sec, sizeof(sec), OPTS()));
		print_prefixed("| ", capture_str(&cap));
	}
	btf_dump__free(dd);
	btf__free(btf);
}

/* Floats of every size, from hand-built BTF. */
static void floats(void)
{
	struct btf *btf = btf__new_empty();
	struct btf_dump *d;
	float f[] = { 1.234567f, -1.234567f, 0.0f, 1e30f, 0.0078125f, -0.0f };
	double dv[] = { 5.678912, -5.678912, 0.0, 1e300, 2.5e-7, 0.1, 123456789.987654321 };
	long double ld[] = { 9.876543L, -9.876543L, 0.0L, 1e4000L, 1e-4000L, 0.5L };
	__u32 i;
	int f4, f8, f16, s;

	f4 = btf__add_float(btf, "float", 4);
	f8 = btf__add_float(btf, "double", 8);
	f16 = btf__add_float(btf, "long double", 16);
	btf__add_float(btf, "half", 2);
	s = btf__add_struct(btf, "fs", 32);
	btf__add_field(btf, "f", f4, 0, 0);
	btf__add_field(btf, "d", f8, 64, 0);
	btf__add_field(btf, "ld", f16, 128, 0);
	d = btf_dump__new(btf, capture_printf, &cap, NULL);
	capture_reset(&cap);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		printf("float %d\n", btf_dump__dump_type_data(d, f4, &f[i], sizeof(f[i]), NULL));
	for (i = 0; i < sizeof(dv) / sizeof(dv[0]); i++)
		printf("double %d\n", btf_dump__dump_type_data(d, f8, &dv[i], sizeof(dv[i]), NULL));
	for (i = 0; i < sizeof(ld) / sizeof(ld[0]); i++)
		printf("long double %d\n", btf_dump__dump_type_data(d, f16, &ld[i], sizeof(ld[i]), NULL));
	printf("half %d\n", btf_dump__dump_type_data(d, f16 + 1, &f[0], 2, NULL));
	{
		struct {
			float f;
			double d;
			long double ld;
		} v = { 3.5f, 0.0, -1.0L };

		printf("struct %d\n", btf_dump__dump_type_data(d, s, &v, sizeof(v), NULL));
	}
	print_prefixed("| ", capture_str(&cap));
	btf_dump__free(d);
	btf__free(btf);
}

static void errors(const struct btf *vmlinux)
{
	struct btf *btf = btf__new_empty();
	struct btf_dump *d;
	int i, s, fn, tag, big;
	char data[64] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct {
		struct btf_dump_type_data_opts o;
		char tail[8];
	} bigo = {};

	i = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	s = btf__add_struct(btf, "s", 8);
	btf__add_field(btf, "a", i, 0, 0);
	btf__add_field(btf, "b", i, 32, 0);
	fn = btf__add_func_proto(btf, i);
	tag = btf__add_decl_tag(btf, "tag", s, -1);
	btf__add_int(btf, "odd", 3, 0);
	big = btf__add_array(btf, i, i, 0x40000000);
	d = btf_dump__new(btf, capture_printf, &cap, NULL);
	capture_reset(&cap);
	libbpf_set_print(NULL);
	printf("unknown id: %d\n", btf_dump__dump_type_data(d, 1000, data, sizeof(data), NULL));
	printf("void: %d\n", btf_dump__dump_type_data(d, 0, data, sizeof(data), NULL));
	printf("short int: %d\n", btf_dump__dump_type_data(d, i, data, 3, NULL));
	printf("no data: %d\n", btf_dump__dump_type_data(d, i, data, 0, NULL));
	printf("short struct: %d\n", btf_dump__dump_type_data(d, s, data, 6, NULL));
	printf("func proto: %d\n", btf_dump__dump_type_data(d, fn, data, sizeof(data), NULL));
	printf("decl tag: %d\n", btf_dump__dump_type_data(d, tag, data, sizeof(data), NULL));
	printf("3-byte int: %d\n", btf_dump__dump_type_data(d, tag + 1, data, sizeof(data), NULL));
	printf("4 GiB array: %d\n", btf_dump__dump_type_data(d, big, data, sizeof(data), NULL));
	bigo.o.sz = sizeof(bigo);
	printf("bigger opts, zero tail: %d\n", btf_dump__dump_type_data(d, i, data, 4, &bigo.o));
	bigo.tail[0] = 1;
	printf("bigger opts, non-zero tail: %d\n", btf_dump__dump_type_data(d, i, data, 4, &bigo.o));
	bigo.o.sz = 2;
	printf("opts sz 2: %d\n", btf_dump__dump_type_data(d, i, data, 4, &bigo.o));
	/* An older caller without emit_strings (nor emit_zeroes). */
	memset(&bigo, 0, sizeof(bigo));
	bigo.o.sz = offsetof(struct btf_dump_type_data_opts, emit_zeroes);
	bigo.o.compact = true;
	bigo.o.emit_zeroes = true;
	printf("older opts: %d\n", btf_dump__dump_type_data(d, s, data, 8, &bigo.o));
	print_prefixed("| ", capture_str(&cap));
	libbpf_set_print(libbpf_set_print(NULL));
	btf_dump__free(d);
	btf__free(btf);

	/* The overflow cases of libbpf's selftests, on vmlinux types. */
	if (vmlinux) {
		struct {
			__u32 op;
			__u32 args[4];
		} ops = { 1, { 0 } };
		int id = btf__find_by_name_kind(vmlinux, "bpf_sock_ops", BTF_KIND_STRUCT);
		long sz = btf__resolve_size(vmlinux, id);
		static char sock_ops[1024] __attribute__((aligned(8)));

		d = btf_dump__new(vmlinux, capture_printf, &cap, NULL);
		memcpy(sock_ops, &ops, sizeof(ops));
		capture_reset(&cap);
		printf("bpf_sock_ops short: %d\n", btf_dump__dump_type_data(d, id, sock_ops, sz - 1, NULL));
		sock_ops[sz - 4] = 2;
		printf("bpf_sock_ops short, last non-zero: %d\n",
		       btf_dump__dump_type_data(d, id, sock_ops, sz - 1, NULL));
		print_prefixed("| ", capture_str(&cap));
		btf_dump__free(d);
	}
}

/* emit_strings (libbpf 1.6+), and char arrays with emit_zeroes: our run
 * checks 1.8's text. */
static void strings(void)
{
	struct btf *btf = btf__new_empty();
	struct btf_dump *d;
	int c, i, a, a4, s;
	char name[8] = "ab\tc";
	struct {
		char s1[8];
		char s2[4];
		int x;
	} v = { "hi", { 'n', 'o', 'n', 'u' }, 3 };

	c = btf__add_int(btf, "char", 1, BTF_INT_SIGNED);
	i = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	a = btf__add_array(btf, i, c, 8);
	a4 = btf__add_array(btf, i, c, 4);
	s = btf__add_struct(btf, "strs", 16);
	btf__add_field(btf, "s1", a, 0, 0);
	btf__add_field(btf, "s2", a4, 64, 0);
	btf__add_field(btf, "x", i, 96, 0);
	d = btf_dump__new(btf, capture_printf, &cap, NULL);
	capture_reset(&cap);
	note("emit_strings array: %d", btf_dump__dump_type_data(d, a, name, 8, OPTS(.emit_strings = true)));
	note("emit_strings struct: %d",
	     btf_dump__dump_type_data(d, s, &v, sizeof(v), OPTS(.emit_strings = true, .compact = true)));
	if (!harness_is_reference())
		CHECK_STR(capture_str(&cap), "(char[8])\"ab\\x09c\"(struct strs){.s1 = (char[8])\"hi\""
					     ".s2 = (char[4])['n','o','n','u',],.x = (int)3,}");
	/* Without it: zero chars are left out like other zero members. */
	capture_reset(&cap);
	printf("char arrays: %d\n", btf_dump__dump_type_data(d, s, &v, sizeof(v), OPTS(.compact = true)));
	print_prefixed("| ", capture_str(&cap));
	/* 1.8 shows the terminating NUL with emit_zeroes, then the next array
	 * starts afresh (1.1.2 shows neither). */
	capture_reset(&cap);
	btf_dump__dump_type_data(d, s, &v, sizeof(v), OPTS(.compact = true, .emit_zeroes = true));
	note("char arrays, zeroes: %s", capture_str(&cap));
	if (!harness_is_reference())
		CHECK_STR(capture_str(&cap), "(struct strs){.s1 = (char[8])['h','i','\\0',],"
					     ".s2 = (char[4])['n','o','n','u',],.x = (int)3,}");
	btf_dump__free(d);
	btf__free(btf);
}

int main(void)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();

	libbpf_set_print(NULL);
	if (vmlinux)
		sweep(vmlinux);
	corpus();
	floats();
	errors(vmlinux);
	strings();
	btf__free(vmlinux);
	capture_free(&cap);
	return harness_done();
}
