// oxbpf-test: differential
// oxbpf-test: valgrind
/*
 * btf__dedup() on hand-built BTF, against Debian's libbpf: types repeated
 * across "compilation units", forward declarations resolved across units
 * (libbpf's own S/A/B example), cycles, different definitions of one name,
 * lone forward declarations, enums and enum forward declarations (ENUM64
 * too), typedefs, modifiers, arrays, functions, DATASEC/VAR, string
 * compaction of parsed BTF, .BTF.ext rewriting, split BTF on a base that
 * never changes (including a split struct that would need a base FWD
 * resolved), force_collisions, and errors. Each result is printed as a
 * type listing and as the raw bytes after the header (1.8 writes a 32-byte
 * header, 1.1.2 a 24-byte one: the header itself is not compared).
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <bpf/libbpf_legacy.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char *kinds[] = { "UNKN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD", "TYPEDEF",
			       "VOLATILE", "CONST", "RESTRICT", "FUNC", "FUNC_PROTO", "VAR", "DATASEC",
			       "FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64" };

static void hex(const void *p, __u32 n)
{
	const unsigned char *b = p;
	__u32 i;

	for (i = 0; i < n; i++)
		printf("%02x%s", b[i], i % 32 == 31 || i + 1 == n ? "\n" : "");
}

/* Lists the own types, then the raw bytes after the header. */
static void show(const char *what, const struct btf *btf)
{
	const struct btf *base = btf__base_btf(btf);
	__u32 id = base ? btf__type_cnt(base) : 1, n = btf__type_cnt(btf), size, i;
	const unsigned char *raw;

	printf("== %s: %u types\n", what, n - id);
	for (; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		printf("[%u] %s '%s' info=%#x sz/type=%u", id, kinds[btf_kind(t)],
		       btf__name_by_offset(btf, t->name_off), t->info, t->size);
		if (btf_is_composite(t))
			for (i = 0; i < btf_vlen(t); i++)
				printf(" %s:%u", btf__name_by_offset(btf, btf_members(t)[i].name_off),
				       btf_members(t)[i].type);
		if (btf_is_func_proto(t))
			for (i = 0; i < btf_vlen(t); i++)
				printf(" %s:%u", btf__name_by_offset(btf, btf_params(t)[i].name_off),
				       btf_params(t)[i].type);
		if (btf_is_array(t))
			printf(" elem=%u idx=%u n=%u", btf_array(t)->type, btf_array(t)->index_type,
			       btf_array(t)->nelems);
		printf("\n");
	}
	raw = btf__raw_data(btf, &size);
	i = ((const struct btf_header *)raw)->hdr_len;
	note("%s: hdr_len %u", what, i);
	hex(raw + i, size - i);
}

static int dedup(struct btf *btf, struct btf_ext *ext, bool collide)
{
	LIBBPF_OPTS(btf_dedup_opts, opts, .btf_ext = ext, .force_collisions = collide);

	return btf__dedup(btf, &opts);
}

/* One unit's worth of types; `long_name` varies a member type. */
static void unit(struct btf *b, const char *long_name)
{
	int i = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	int l = btf__add_int(b, long_name, 8, BTF_INT_SIGNED);
	int s = btf__add_struct(b, "list", 24), p, td, c, arr, proto, f, v;

	btf__add_field(b, "next", s + 1, 0, 0);
	btf__add_field(b, "v", i, 64, 0);
	btf__add_field(b, "w", l, 128, 0);
	p = btf__add_ptr(b, s);
	arr = btf__add_array(b, i, p, 3);
	td = btf__add_typedef(b, "list_t", s);
	c = btf__add_const(b, td);
	btf__add_volatile(b, c);
	btf__add_ptr(b, c);
	proto = btf__add_func_proto(b, i);
	btf__add_func_param(b, "l", p);
	btf__add_func_param(b, "a", arr);
	f = btf__add_func(b, "walk", BTF_FUNC_GLOBAL, proto);
	btf__add_decl_tag(b, "hot", f, -1);
	btf__add_type_tag(b, "user", p);
	btf__add_float(b, "double", 8);
	v = btf__add_var(b, "head", BTF_VAR_GLOBAL_ALLOCATED, s);
	btf__add_datasec(b, ".data", 24);
	btf__add_datasec_var_info(b, v, 0, 24);
}

static void units(void)
{
	struct btf *b = btf__new_empty();

	unit(b, "long");
	unit(b, "long");
	unit(b, "long long"); /* a different `list`: member w differs */
	printf("before: %u\n", btf__type_cnt(b));
	printf("dedup = %d\n", dedup(b, NULL, false));
	show("units", b);
	btf__free(b);
}

/*
 * libbpf's example: CU 1 knows A fully, S fully, B only as a FWD; CU 2
 * knows B fully, S fully, A only as a FWD. One A, one B, one S remain.
 */
static void fwd_example(bool collide)
{
	struct btf *b = btf__new_empty();
	int i;

	/* CU 1 */
	i = btf__add_int(b, "int", 4, BTF_INT_SIGNED); /* 1 */
	btf__add_fwd(b, "S", BTF_FWD_STRUCT); /* 2 */
	btf__add_struct(b, "A", 24); /* 3 */
	btf__add_field(b, "a", i, 0, 0);
	btf__add_field(b, "self", 4, 64, 0);
	btf__add_field(b, "parent", 5, 128, 0);
	btf__add_ptr(b, 3); /* 4 */
	btf__add_ptr(b, 2); /* 5 */
	btf__add_fwd(b, "B", BTF_FWD_STRUCT); /* 6 */
	btf__add_struct(b, "S", 16); /* 7 */
	btf__add_field(b, "a_ptr", 4, 0, 0);
	btf__add_field(b, "b_ptr", 8, 64, 0);
	btf__add_ptr(b, 6); /* 8 */
	/* CU 2 */
	i = btf__add_int(b, "int", 4, BTF_INT_SIGNED); /* 9 */
	btf__add_fwd(b, "S", BTF_FWD_STRUCT); /* 10 */
	btf__add_fwd(b, "A", BTF_FWD_STRUCT); /* 11 */
	btf__add_struct(b, "B", 24); /* 12 */
	btf__add_field(b, "b", i, 0, 0);
	btf__add_field(b, "self", 13, 64, 0);
	btf__add_field(b, "parent", 14, 128, 0);
	btf__add_ptr(b, 12); /* 13 */
	btf__add_ptr(b, 10); /* 14 */
	btf__add_struct(b, "S", 16); /* 15 */
	btf__add_field(b, "a_ptr", 16, 0, 0);
	btf__add_field(b, "b_ptr", 13, 64, 0);
	btf__add_ptr(b, 11); /* 16 */
	printf("dedup = %d\n", dedup(b, NULL, collide));
	show(collide ? "fwd example, forced collisions" : "fwd example", b);
	btf__free(b);
}

static void misc_kinds(void)
{
	struct btf *b = btf__new_empty();
	int i = btf__add_int(b, "int", 4, BTF_INT_SIGNED), k;

	/* Lone FWDs: resolved when the name is unique, not when ambiguous. */
	btf__add_struct(b, "foo", 4);
	btf__add_field(b, "u", i, 0, 0);
	btf__add_ptr(b, btf__add_fwd(b, "foo", BTF_FWD_STRUCT));
	btf__add_ptr(b, btf__add_fwd(b, "foo", BTF_FWD_UNION));
	btf__add_struct(b, "bar", 4);
	btf__add_field(b, "u", i, 0, 0);
	btf__add_struct(b, "bar", 8);
	btf__add_field(b, "u", i, 0, 0);
	btf__add_fwd(b, "bar", BTF_FWD_STRUCT);
	/* Enums: FWD before and after definitions, ENUM64, anonymous. */
	k = btf__add_fwd(b, "e", BTF_FWD_ENUM);
	btf__add_ptr(b, k);
	btf__add_enum(b, "e", 4);
	btf__add_enum_value(b, "A", 1);
	btf__add_enum(b, "e", 4);
	btf__add_enum_value(b, "A", 1);
	btf__add_enum(b, "e", 4);
	btf__add_enum_value(b, "A", 2);
	btf__add_enum64(b, "big", 8, false);
	btf__add_enum64_value(b, "X", 1ULL << 40);
	btf__add_ptr(b, btf__add_fwd(b, "big", BTF_FWD_ENUM));
	for (k = 0; k < 3; k++) {
		btf__add_enum(b, "", 4);
		btf__add_enum_value(b, "Z", k & 1);
	}
	/* Typedef chains and a union. */
	k = btf__add_typedef(b, "i_t", i);
	btf__add_typedef(b, "i_t", i);
	btf__add_union(b, "un", 8);
	btf__add_field(b, "a", i, 0, 0);
	btf__add_field(b, "b", k, 0, 0);
	k = btf__type_cnt(b) - 1;
	btf__add_typedef(b, "u_t", k);
	btf__add_typedef(b, "u_t", k);
	printf("dedup = %d\n", dedup(b, NULL, false));
	show("misc kinds", b);
	btf__free(b);
}

/* Parsed (not built) BTF: strings are compacted, in first-use order. */
static void strings(void)
{
	struct btf *b = btf__new_empty(), *p;
	const void *raw;
	__u32 size;

	btf__add_str(b, "never used");
	btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	btf__add_str(b, "also unused");
	btf__add_typedef(b, "zzz", 1);
	btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	btf__add_typedef(b, "aaa", 3);
	raw = btf__raw_data(b, &size);
	p = btf__new(raw, size);
	printf("dedup = %d\n", dedup(p, NULL, false));
	show("strings", p);
	printf("dedup again = %d\n", dedup(p, NULL, false));
	show("strings again", p);
	btf__free(p);
	/* Built from scratch: strings are known unique and are kept. */
	printf("dedup built = %d\n", dedup(b, NULL, false));
	show("strings built", b);
	btf__free(b);
}

static void put(unsigned char **p, __u32 v)
{
	memcpy(*p, &v, 4);
	*p += 4;
}

/* .BTF.ext: func info and CO-RE type ids and every string offset follow. */
static void ext(void)
{
	struct btf *b = btf__new_empty(), *p;
	unsigned char buf[256], *w = buf;
	int sec, file, line, acc, f, proto2;
	struct btf_ext *e;
	const void *raw;
	__u32 size;

	btf__add_str(b, "padding");
	btf__add_int(b, "int", 4, BTF_INT_SIGNED); /* 1 */
	btf__add_func_proto(b, 1); /* 2 */
	proto2 = btf__add_func_proto(b, 1); /* 3 == 2 */
	f = btf__add_func(b, "f", BTF_FUNC_GLOBAL, proto2); /* 4 */
	sec = btf__add_str(b, "prog");
	file = btf__add_str(b, "f.c");
	line = btf__add_str(b, "return 0;");
	acc = btf__add_str(b, "0:1");
	raw = btf__raw_data(b, &size);
	p = btf__new(raw, size);

	memset(buf, 0, sizeof(buf));
	*(__u16 *)w = 0xeb9f;
	w[2] = 1;
	w += 4;
	put(&w, 32);
	put(&w, 0), put(&w, 20); /* func info */
	put(&w, 20), put(&w, 28); /* line info */
	put(&w, 48), put(&w, 28); /* CO-RE relocations */
	put(&w, 8), put(&w, sec), put(&w, 1), put(&w, 0), put(&w, f);
	put(&w, 16), put(&w, sec), put(&w, 1), put(&w, 0), put(&w, file), put(&w, line), put(&w, 7 << 10);
	put(&w, 16), put(&w, sec), put(&w, 1), put(&w, 8), put(&w, proto2), put(&w, acc), put(&w, 0);
	e = btf_ext__new(buf, w - buf);
	CHECK(e != NULL);
	printf("dedup = %d\n", dedup(p, e, false));
	show("ext", p);
	raw = btf_ext__get_raw_data(e, &size);
	printf("ext after:\n");
	hex(raw, size);
	btf_ext__free(e);
	btf__free(p);
	btf__free(b);
}

/* Split BTF: duplicates of base types vanish into the base, which stays. */
static void split(void)
{
	struct btf *base = btf__new_empty(), *s;
	const void *raw;
	unsigned char *copy;
	__u32 size;
	int i, p;

	i = btf__add_int(base, "int", 4, BTF_INT_SIGNED); /* 1 */
	btf__add_struct(base, "s", 4); /* 2 */
	btf__add_field(base, "x", i, 0, 0);
	btf__add_ptr(base, 2); /* 3 */
	btf__add_fwd(base, "t", BTF_FWD_STRUCT); /* 4 */
	btf__add_ptr(base, 4); /* 5 */
	btf__add_struct(base, "u", 8); /* 6 */
	btf__add_field(base, "p", 5, 0, 0);
	btf__add_typedef(base, "s_t", 2); /* 7 */
	raw = btf__raw_data(base, &size);
	copy = malloc(size);
	memcpy(copy, raw, size);

	s = btf__new_empty_split(base);
	i = btf__add_int(s, "int", 4, BTF_INT_SIGNED); /* 8 == 1 */
	btf__add_struct(s, "s", 4); /* 9 == 2 */
	btf__add_field(s, "x", i, 0, 0);
	p = btf__add_ptr(s, 9); /* 10 == 3 */
	btf__add_struct(s, "t", 4); /* 11 */
	btf__add_field(s, "x", i, 0, 0);
	btf__add_ptr(s, 11); /* 12 */
	btf__add_struct(s, "u", 8); /* 13: would need base FWD t resolved */
	btf__add_field(s, "p", 12, 0, 0);
	btf__add_struct(s, "holder", 16); /* 14 */
	btf__add_field(s, "s", p, 0, 0);
	btf__add_field(s, "t", 12, 64, 0);
	btf__add_ptr(s, 4); /* 15: to the base FWD */
	btf__add_typedef(s, "s_t", 9); /* 16 == 7 */
	btf__add_const(s, 16); /* 17 */
	btf__add_var(s, "v", BTF_VAR_STATIC, 14);
	printf("dedup = %d\n", dedup(s, NULL, false));
	show("split", s);
	raw = btf__raw_data(base, &size);
	printf("base unchanged: %d\n", memcmp(raw, copy, size) == 0);
	free(copy);
	btf__free(s);
	btf__free(base);
}

static void errors(void)
{
	struct btf *b = btf__new_empty();
	struct { size_t sz; void *ext; bool collide; char pad[16]; } big = { sizeof(big) };
	int i, err;

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	big.pad[3] = 1;
	err = btf__dedup(b, (struct btf_dedup_opts *)&big);
	printf("non-zero opts tail: %d errno %d\n", err, errno);
	btf__free(b);

	/* Reference types in a loop. */
	b = btf__new_empty();
	btf__add_ptr(b, 2);
	btf__add_const(b, 1);
	printf("loop: %d\n", btf__dedup(b, NULL));
	btf__free(b);

	/* Struct members of kind VAR (malformed): the comparison fails. */
	b = btf__new_empty();
	for (i = 0; i < 2; i++) {
		int v = btf__add_var(b, "v", 0, 0);

		btf__add_struct(b, "s", 4);
		btf__add_field(b, "m", v, 0, 0);
	}
	printf("var member: %d\n", btf__dedup(b, NULL));
	btf__free(b);
}

int main(void)
{
	units();
	fwd_example(false);
	fwd_example(true);
	misc_kinds();
	strings();
	ext();
	split();
	errors();
	return harness_done();
}
