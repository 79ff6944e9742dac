// oxbpf-test: differential
// oxbpf-test: valgrind
/*
 * Builds one BTF with every kind Debian's libbpf 1.1.2 can add, and prints
 * the raw bytes btf__raw_data() produces after the header, in both byte
 * orders; they must be identical between the libraries. Known difference:
 * libbpf 1.8 (and oxbpf) write a 32-byte header (layout_off/layout_len
 * after str_len, both 0 here), 1.1.2 a 24-byte one: the header length is
 * printed with note(), the fields both have are compared.
 * Also: argument errors of every btf__add_*(), string deduplication,
 * btf__add_type()/btf__add_btf(), parsing the output back (both orders),
 * and building on top of parsed BTF.
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

/* Prints an expression and its value; calls are evaluated in order. */
#define R(expr) printf("%s = %lld\n", #expr, (long long)(expr))

static void dump(const char *what, const struct btf *btf)
{
	const struct btf_header *h;
	const unsigned char *p;
	__u32 size, i, hl;

	p = btf__raw_data(btf, &size);
	if (!p) {
		printf("%s: raw_data failed %d\n", what, -errno);
		return;
	}
	h = (const void *)p;
	hl = btf__endianness(btf) == BTF_BIG_ENDIAN ? __builtin_bswap32(h->hdr_len) : h->hdr_len;
	note("%s: hdr_len %u", what, hl);
	printf("%s: %u bytes after the header, magic %02x%02x version %u flags %u endian %d\n", what, size - hl, p[0], p[1],
	       p[2], p[3], btf__endianness(btf));
	for (i = 8; i < 24; i += 4) {
		__u32 v;

		memcpy(&v, p + i, 4);
		printf(" %08x", v);
	}
	printf("\n");
	for (i = hl; i < size; i++)
		printf("%02x%s", p[i], (i - hl) % 32 == 31 ? "\n" : "");
	printf("\n");
}

int main(void)
{
	struct btf *btf = btf__new_empty(), *copy, *back, *big, *two;
	const void *raw;
	__u32 size;
	int i, s, u, e, e64, proto, f, v, td, c, ptr, arr;

	CHECK(btf);
	printf("empty: cnt %u ptr_sz %zu endian %d fd %d\n", btf__type_cnt(btf), btf__pointer_size(btf),
	       btf__endianness(btf), btf__fd(btf));
	dump("empty", btf);

	/* strings first: deduplicated, in call order */
	R(btf__add_str(btf, "hello"));
	R(btf__add_str(btf, "world"));
	R(btf__add_str(btf, "hello"));
	R(btf__add_str(btf, ""));
	R(btf__find_str(btf, "world"));
	R(btf__find_str(btf, "nope"));

	R(i = btf__add_int(btf, "int", 4, BTF_INT_SIGNED));
	R(btf__add_int(btf, "char", 1, BTF_INT_CHAR | BTF_INT_SIGNED));
	R(btf__add_int(btf, "_Bool", 1, BTF_INT_BOOL));
	R(btf__add_int(btf, "__int128", 16, 0));
	R(ptr = btf__add_ptr(btf, i));
	R(arr = btf__add_array(btf, i, ptr, 7));
	R(s = btf__add_struct(btf, "st", 32));
	R(btf__add_field(btf, "a", i, 0, 0));
	R(btf__add_field(btf, "bits", i, 33, 5));
	R(btf__add_field(btf, NULL, arr, 64, 0));
	R(btf__add_field(btf, "hello", ptr, 128, 0));
	R(btf__add_field(btf, "", i, 192, 0));
	R(u = btf__add_union(btf, NULL, 8));
	R(btf__add_field(btf, "x", i, 0, 0));
	R(btf__add_field(btf, "y", ptr, 0, 0));
	R(e = btf__add_enum(btf, "en", 4));
	R(btf__add_enum_value(btf, "E1", 0));
	R(btf__add_enum_value(btf, "E2", -5));
	R(btf__add_enum_value(btf, "E3", 0xffffffffLL));
	R(e64 = btf__add_enum64(btf, "en64", 8, true));
	R(btf__add_enum64_value(btf, "X1", 1ULL << 63));
	R(btf__add_enum64_value(btf, "X2", 42));
	R(btf__add_enum64(btf, NULL, 4, false));
	R(btf__add_enum64_value(btf, "X3", 7));
	R(btf__add_fwd(btf, "fs", BTF_FWD_STRUCT));
	R(btf__add_fwd(btf, "fu", BTF_FWD_UNION));
	R(btf__add_fwd(btf, "fe", BTF_FWD_ENUM));
	R(td = btf__add_typedef(btf, "td", s));
	R(btf__add_volatile(btf, td));
	R(c = btf__add_const(btf, u));
	R(btf__add_restrict(btf, ptr));
	R(btf__add_type_tag(btf, "user", ptr));
	R(proto = btf__add_func_proto(btf, i));
	R(btf__add_func_param(btf, "p1", c));
	R(btf__add_func_param(btf, NULL, e));
	R(btf__add_func_param(btf, "", 0));
	R(f = btf__add_func(btf, "fn", BTF_FUNC_STATIC, proto));
	R(btf__add_func(btf, "gfn", BTF_FUNC_GLOBAL, proto));
	R(btf__add_func(btf, "xfn", BTF_FUNC_EXTERN, proto));
	R(v = btf__add_var(btf, "var", BTF_VAR_GLOBAL_ALLOCATED, i));
	R(btf__add_var(btf, "svar", BTF_VAR_STATIC, ptr));
	R(btf__add_var(btf, "xvar", BTF_VAR_GLOBAL_EXTERN, e64));
	R(btf__add_datasec(btf, ".data", 16));
	R(btf__add_datasec_var_info(btf, v, 0, 4));
	R(btf__add_datasec_var_info(btf, v + 1, 8, 8));
	R(btf__add_float(btf, "float", 4));
	R(btf__add_float(btf, "double", 8));
	R(btf__add_float(btf, "long double", 16));
	R(btf__add_float(btf, "x87", 12));
	R(btf__add_float(btf, "half", 2));
	R(btf__add_decl_tag(btf, "dt", s, -1));
	R(btf__add_decl_tag(btf, "dt", s, 1));
	R(btf__add_decl_tag(btf, "pt", f, 0));
	R(btf__type_cnt(btf));

	/* argument errors */
	R(btf__add_int(btf, NULL, 4, 0));
	R(btf__add_int(btf, "", 4, 0));
	R(btf__add_int(btf, "i", 0, 0));
	R(btf__add_int(btf, "i", 3, 0));
	R(btf__add_int(btf, "i", 4, 8));
	R(btf__add_int(btf, "i", 32, 0));
	R(btf__add_int(btf, "i", 16, BTF_INT_BOOL));
	R(btf__add_float(btf, "f", 1));
	R(btf__add_float(btf, NULL, 4));
	R(btf__add_ptr(btf, -1));
	R(btf__add_const(btf, -2));
	R(btf__add_typedef(btf, NULL, 1));
	R(btf__add_type_tag(btf, "", 1));
	R(btf__add_array(btf, -1, 1, 1));
	R(btf__add_array(btf, 1, -1, 1));
	R(btf__add_field(btf, "z", 1, 0, 0));
	R(btf__add_struct(btf, "s2", 8));
	R(btf__add_field(btf, "z", -1, 0, 0));
	R(btf__add_field(btf, "z", 1, 3, 0));
	R(btf__add_field(btf, "z", 1, 0, 256));
	R(btf__add_field(btf, "z", 1, 0x1000000, 1));
	R(btf__add_enum_value(btf, "A", 1));
	R(btf__add_enum64_value(btf, "A", 1));
	R(btf__add_func_param(btf, "p", 1));
	R(btf__add_datasec_var_info(btf, 1, 0, 4));
	R(btf__add_union(btf, "u2", 8));
	R(btf__add_field(btf, "z", 1, 8, 0));
	R(btf__add_field(btf, "z", 1, 0, 3));
	R(btf__add_enum(btf, "x", 0));
	R(btf__add_enum(btf, "x", 3));
	R(btf__add_enum(btf, "x", 16));
	R(btf__add_enum(btf, "en2", 4));
	R(btf__add_enum_value(btf, NULL, 1));
	R(btf__add_enum_value(btf, "", 1));
	R(btf__add_enum_value(btf, "big", 0x100000000LL));
	R(btf__add_enum_value(btf, "neg", -0x80000001LL));
	R(btf__add_enum_value(btf, "min", -0x80000000LL));
	R(btf__add_fwd(btf, "x", 3));
	R(btf__add_fwd(btf, NULL, BTF_FWD_STRUCT));
	R(btf__add_func(btf, "x", 3, proto));
	R(btf__add_func(btf, NULL, 0, proto));
	R(btf__add_var(btf, "x", 3, 1));
	R(btf__add_var(btf, "", 0, 1));
	R(btf__add_var(btf, "x", 0, -1));
	R(btf__add_datasec(btf, NULL, 1));
	R(btf__add_datasec(btf, "", 1));
	R(btf__add_decl_tag(btf, "x", 1, -2));
	R(btf__add_decl_tag(btf, NULL, 1, 0));
	R(btf__add_decl_tag(btf, "x", -1, 0));
	R(btf__type_cnt(btf));

	/* inspection of what was built */
	printf("sizes: st %lld td %lld arr %lld ptr %lld var %lld fn %lld\n", btf__resolve_size(btf, 7),
	       btf__resolve_size(btf, td), btf__resolve_size(btf, arr), btf__resolve_size(btf, ptr),
	       btf__resolve_size(btf, v), btf__resolve_size(btf, f));
	printf("align: st %d u %d arr %d\n", btf__align_of(btf, 7), btf__align_of(btf, u), btf__align_of(btf, arr));
	printf("resolve_type: %d %d\n", btf__resolve_type(btf, c), btf__resolve_type(btf, v));
	printf("find: %d %d %d\n", btf__find_by_name(btf, "td"), btf__find_by_name_kind(btf, "en", BTF_KIND_ENUM),
	       btf__find_by_name_kind(btf, "fe", BTF_KIND_ENUM));
	dump("built", btf);

	/* parse it back: same types, same bytes */
	raw = btf__raw_data(btf, &size);
	back = btf__new(raw, size);
	CHECK(back);
	printf("back: cnt %u endian %d ptr_sz %zu\n", btf__type_cnt(back), btf__endianness(back), btf__pointer_size(back));
	{
		__u32 size2;
		const void *raw2 = btf__raw_data(back, &size2);

		CHECK(size2 == size && memcmp(raw, raw2, size) == 0);
	}

	/* big endian output, parsed back */
	CHECK(btf__set_endianness(btf, BTF_BIG_ENDIAN) == 0);
	printf("set_endianness bad: %d\n", btf__set_endianness(btf, 2));
	dump("big", btf);
	raw = btf__raw_data(btf, &size);
	big = btf__new(raw, size);
	CHECK(big);
	printf("big back: cnt %u endian %d\n", btf__type_cnt(big), btf__endianness(big));
	dump("big back", big);
	CHECK(btf__set_endianness(big, BTF_LITTLE_ENDIAN) == 0);
	dump("big back little", big);
	CHECK(btf__set_endianness(btf, BTF_LITTLE_ENDIAN) == 0);

	/* building on parsed BTF */
	printf("on parsed: %d %d %d\n", btf__add_int(back, "u8", 1, 0), btf__add_str(back, "hello"),
	       btf__add_str(back, "brand new"));
	dump("parsed+1", back);

	/* add_type / add_btf */
	copy = btf__new_empty();
	printf("add_type: %d %d\n", btf__add_type(copy, btf, btf__type_by_id(btf, 7)),
	       btf__add_type(copy, btf, btf__type_by_id(btf, e)));
	printf("add_btf: %d cnt %u\n", btf__add_btf(copy, btf), btf__type_cnt(copy));
	dump("copy", copy);
	two = btf__new_empty();
	btf__add_int(two, "int", 4, BTF_INT_SIGNED);
	printf("add_btf self-ish: %d\n", btf__add_btf(two, two));
	dump("two", two);

	printf("ptr_sz: %d %d %zu\n", btf__set_pointer_size(copy, 3), btf__set_pointer_size(copy, 4),
	       btf__pointer_size(copy));
	printf("ptr size now %lld\n", btf__resolve_size(copy, btf__find_by_name_kind(copy, "int", BTF_KIND_INT) + 1));

	btf__free(two);
	btf__free(copy);
	btf__free(big);
	btf__free(back);
	btf__free(btf);
	btf__free(NULL);
	return harness_done();
}
