// oxbpf-test: differential
// oxbpf-test: valgrind
/*
 * btf_dump__dump_type(): C text of whole BTFs, compared with Debian's libbpf.
 *
 * - vmlinux: every type in id order into one header (what `bpftool btf
 *   dump ... format c` does); a hash per 10,000 ids, the size, and whether
 *   the header compiles with clang (oxbpf's, wrapped as bpftool does).
 * - tests-c/progs/btf_dump_corpus.bpf.c: bitfields, packing, padding,
 *   nested anonymous types, enums of every size and sign, function
 *   pointers, arrays, qualifiers, type tags, pointer cycles; printed in full.
 * - BTF built with btf__add_*(): name conflicts (`___N`), types added after
 *   a first dump, odd enum sizes, 4-byte pointers, compiler built-ins,
 *   forward declarations, split BTF, function prototypes, over-long names.
 *
 * Known 1.8 vs 1.1.2 difference: an empty parameter list prints "(void)" in
 * 1.8, "()" in 1.1.2; outputs are compared with "(void)" rewritten as "()"
 * (see dump_capture.h); btf_dump_unit tests the 1.8 spelling.
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "dump_capture.h"

static struct capture cap;

/* Dumps types [from, type_cnt) of `btf` into cap; prints failures. */
static void dump_range(struct btf_dump *d, const struct btf *btf, __u32 from)
{
	__u32 id, n = btf__type_cnt(btf);
	int err;

	for (id = from; id < n; id++) {
		err = btf_dump__dump_type(d, id);
		if (err)
			printf("dump_type(%u) = %d\n", id, err);
	}
}

/* Dumps every type of `btf` with a new dumper and prints the text. */
static void show(const char *label, const struct btf *btf)
{
	struct btf_dump *d;

	printf("== %s\n", label);
	capture_reset(&cap);
	d = btf_dump__new(btf, capture_printf, &cap, NULL);
	if (!d) {
		printf("btf_dump__new: %d\n", -errno);
		return;
	}
	dump_range(d, btf, 1);
	capture_normalize(&cap);
	print_prefixed("| ", capture_str(&cap));
	btf_dump__free(d);
}

static void vmlinux(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	struct btf_dump *d;
	__u32 id, n, chunk = 10000;
	char path[] = "/tmp/oxbpf_btfdump_XXXXXX.h";
	char cmd[512];
	FILE *f;
	int fd, rc;

	if (!btf) {
		printf("no vmlinux BTF\n");
		return;
	}
	n = btf__type_cnt(btf);
	capture_reset(&cap);
	d = btf_dump__new(btf, capture_printf, &cap, NULL);
	CHECK(d);
	if (!d)
		return;
	for (id = 1; id < n; id += chunk) {
		size_t from = cap.len;
		__u32 end = id + chunk < n ? id + chunk : n, i;
		struct capture part = {};

		for (i = id; i < end; i++) {
			int err = btf_dump__dump_type(d, i);

			if (err)
				printf("vmlinux: dump_type(%u) = %d\n", i, err);
		}
		/* Hash this chunk's text, normalised. */
		part.buf = strndup(cap.buf ? cap.buf + from : "", cap.len - from);
		part.len = part.cap = cap.len - from;
		capture_normalize(&part);
		printf("vmlinux ids %u..%u: %zu bytes, hash %016llx\n", id, end - 1, part.len,
		       capture_hash(part.buf, part.len));
		free(part.buf);
	}
	btf_dump__free(d);
	note("vmlinux: %zu bytes in %zu callback calls", cap.len, cap.calls);

	/* The header compiles (checked on each library's own output). */
	fd = mkstemps(path, 2);
	CHECK(fd >= 0);
	if (fd >= 0) {
		f = fdopen(fd, "w");
		fprintf(f, "#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n%s#endif\n", capture_str(&cap));
		fclose(f);
		snprintf(cmd, sizeof(cmd),
			 "printf '#include \"%s\"\\nint x;\\n' | clang-19 -target bpf -fsyntax-only -x c - 2>&1 | head -5",
			 path);
		rc = system(cmd);
		printf("vmlinux header compiles with clang: %s\n", rc == 0 ? "checked" : "clang failed to run");
		unlink(path);
	}
	btf__free(btf);
}

static void corpus(void)
{
	struct btf *btf = btf__parse_elf(prog_path("btf_dump_corpus.bpf.o"), NULL);

	CHECK(btf);
	if (!btf)
		return;
	show("corpus", btf);
	btf__free(btf);
}

/* The selftest's incremental case: types appended after a first dump. */
static void incremental(void)
{
	struct btf *btf = btf__new_empty();
	struct btf_dump *d;

	printf("== incremental\n");
	capture_reset(&cap);
	d = btf_dump__new(btf, capture_printf, &cap, NULL);
	CHECK(d);
	btf__add_enum(btf, NULL, 4);
	btf__add_enum_value(btf, "VAL", 1);
	btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	btf__add_struct(btf, "s", 4);
	btf__add_field(btf, "x", 2, 0, 0);
	dump_range(d, btf, 1);
	print_prefixed("| ", capture_str(&cap));

	capture_reset(&cap);
	btf__add_struct(btf, "s", 8);
	btf__add_field(btf, "x", 1, 0, 0);
	btf__add_field(btf, "s", 3, 32, 0);
	dump_range(d, btf, 1);
	print_prefixed("| ", capture_str(&cap));

	/* Dumping again prints nothing new. */
	capture_reset(&cap);
	dump_range(d, btf, 1);
	printf("again: %zu bytes\n", cap.len);
	printf("out of range: %d\n", btf_dump__dump_type(d, btf__type_cnt(btf)));
	btf_dump__free(d);
	btf__free(btf);
}

static void conflicts(void)
{
	struct btf *btf = btf__new_empty();
	int i_int, s1, s2, u, td;
	char longname[300];

	i_int = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	/* struct/union/enum tags share a namespace. */
	s1 = btf__add_struct(btf, "dup", 4);
	btf__add_field(btf, "a", i_int, 0, 0);
	s2 = btf__add_struct(btf, "dup", 8);
	btf__add_field(btf, "a", i_int, 0, 0);
	btf__add_field(btf, "b", s1, 32, 0);
	u = btf__add_union(btf, "dup", 4);
	btf__add_field(btf, "c", i_int, 0, 0);
	btf__add_enum(btf, "dup", 4);
	btf__add_enum_value(btf, "dup_t", 0);
	btf__add_enum_value(btf, "DUP_V", 1);
	/* Typedefs share a namespace with enumerators. */
	td = btf__add_typedef(btf, "dup_t", s2);
	btf__add_typedef(btf, "dup_t", u);
	btf__add_typedef(btf, "DUP_V", i_int);
	/* Forward declarations and enum declarations keep their names. */
	btf__add_fwd(btf, "dup", BTF_FWD_STRUCT);
	btf__add_fwd(btf, "dup", BTF_FWD_UNION);
	btf__add_enum(btf, "dup", 4);
	/* An INT claims its name in the tag namespace too. */
	btf__add_int(btf, "ival", 4, 0);
	btf__add_struct(btf, "ival", 0);
	/* Two top-level anonymous enums with the same enumerator. */
	btf__add_enum(btf, NULL, 4);
	btf__add_enum_value(btf, "ANON_V", 1);
	btf__add_enum(btf, NULL, 4);
	btf__add_enum_value(btf, "ANON_V", 2);
	/* A renamed over-long name is cut to 255 bytes. */
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	btf__add_struct(btf, longname, 0);
	btf__add_struct(btf, longname, 0);
	btf__add_ptr(btf, td);
	show("name conflicts", btf);
	btf__free(btf);
}

static void enums(int ptr_sz)
{
	struct btf *btf = btf__new_empty();
	char label[64];

	btf__set_pointer_size(btf, ptr_sz);
	btf__add_enum(btf, "e1", 1);
	btf__add_enum_value(btf, "E1_A", 1);
	btf__add_enum(btf, "e2", 2);
	btf__add_enum_value(btf, "E2_A", 300);
	btf__add_enum(btf, "e8", 8);
	btf__add_enum_value(btf, "E8_A", -1);
	btf__add_enum(btf, "e3", 3);
	btf__add_enum_value(btf, "E3_A", 7);
	btf__add_enum64(btf, "u64_low", 8, false);
	btf__add_enum64_value(btf, "U64_LOW_A", 5);
	btf__add_enum64_value(btf, "U64_LOW_B", 0xffffffffULL);
	btf__add_enum64(btf, "u64_high", 8, false);
	btf__add_enum64_value(btf, "U64_HIGH_A", 0x100000000ULL);
	btf__add_enum64(btf, "s64", 8, true);
	btf__add_enum64_value(btf, "S64_A", -3);
	btf__add_enum64_value(btf, "S64_B", (__u64)-5000000000LL);
	btf__add_enum64(btf, "e64_4", 4, true);
	btf__add_enum64_value(btf, "E64_4_A", -1);
	btf__add_enum(btf, "signed32", 4);
	btf__add_enum_value(btf, "S32_NEG", -7);
	btf__add_enum(btf, "empty_decl", 4);
	snprintf(label, sizeof(label), "enums, %d-byte pointers", ptr_sz);
	show(label, btf);
	btf__free(btf);
}

static void padding(int ptr_sz)
{
	struct btf *btf = btf__new_empty();
	int c, i, l, s;
	char label[64];

	btf__set_pointer_size(btf, ptr_sz);
	c = btf__add_int(btf, "char", 1, BTF_INT_SIGNED);
	i = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	l = btf__add_int(btf, "long", ptr_sz, BTF_INT_SIGNED);
	/* Holes of every width, and tail padding. */
	s = btf__add_struct(btf, "holes", 64);
	btf__add_field(btf, "a", c, 0, 0);
	btf__add_field(btf, "b", i, 64, 0);
	btf__add_field(btf, "c", c, 200, 0);
	btf__add_field(btf, "d", l, 256, 0);
	btf__add_field(btf, "e", c, 392, 0);
	/* Bitfields with gaps between them. */
	btf__add_struct(btf, "bitgaps", 16);
	btf__add_field(btf, "a", i, 0, 3);
	btf__add_field(btf, "b", i, 10, 5);
	btf__add_field(btf, "c", i, 40, 20);
	btf__add_field(btf, "d", c, 100, 0);
	btf__add_field(btf, "e", l, 104, 7);
	/* Packed: a member off its alignment; a size not a multiple of it. */
	btf__add_struct(btf, "misaligned", 5);
	btf__add_field(btf, "c", c, 0, 0);
	btf__add_field(btf, "i", i, 8, 0);
	btf__add_struct(btf, "oddsize", 6);
	btf__add_field(btf, "i", i, 0, 0);
	btf__add_field(btf, "c", c, 32, 0);
	/* Only padding, and a union with a size larger than its members. */
	btf__add_struct(btf, "only_pad", 24);
	btf__add_union(btf, "big_union", 16);
	btf__add_field(btf, "x", i, 0, 0);
	btf__add_field(btf, "y", c, 0, 0);
	btf__add_struct(btf, "empty", 0);
	btf__add_union(btf, "empty_u", 0);
	btf__add_struct(btf, "nest", 72);
	btf__add_field(btf, "h", s, 0, 0);
	btf__add_field(btf, "z", c, 512, 0);
	snprintf(label, sizeof(label), "padding, %d-byte pointers", ptr_sz);
	show(label, btf);
	btf__free(btf);
}

static void declarations(void)
{
	struct btf *btf = btf__new_empty();
	int i, c, v, fp, p, cp, fwd_s, fwd_u, s, anon, ptd, va, gva, poly, pr, arr, ccp, pfp, ps, pfs, pfu, pptd, var;

	i = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	c = btf__add_int(btf, "char", 1, BTF_INT_SIGNED);
	/* Compiler built-ins: never redefined, or fixed up. */
	va = btf__add_typedef(btf, "__builtin_va_list", btf__add_ptr(btf, c));
	gva = btf__add_typedef(btf, "__gnuc_va_list", 0);
	poly = btf__add_int(btf, "__Poly8_t", 1, 0);
	btf__add_int(btf, "__Poly128_t", 16, 0);
	/* Prototypes: no parameters, a lone void, varargs, unnamed. */
	ccp = btf__add_ptr(btf, btf__add_const(btf, c));
	fp = btf__add_func_proto(btf, i);
	btf__add_func_proto(btf, 0);
	btf__add_func_param(btf, "", 0);
	v = btf__add_func_proto(btf, i);
	btf__add_func_param(btf, "fmt", ccp);
	btf__add_func_param(btf, "", 0);
	pfp = btf__add_ptr(btf, fp);
	btf__add_func_proto(btf, pfp);
	btf__add_func_param(btf, NULL, va);
	btf__add_func_param(btf, "g", gva);
	btf__add_typedef(btf, "fp_t", pfp);
	btf__add_typedef(btf, "vfp_t", btf__add_ptr(btf, v));
	btf__add_typedef(btf, "ffp_t", btf__add_ptr(btf, btf__type_cnt(btf) - 4));
	btf__add_func(btf, "some_func", BTF_FUNC_GLOBAL, v);
	/* Forward declarations, used through pointers. */
	fwd_s = btf__add_fwd(btf, "fs", BTF_FWD_STRUCT);
	fwd_u = btf__add_fwd(btf, "fu", BTF_FWD_UNION);
	btf__add_fwd(btf, "fe", BTF_FWD_ENUM);
	pfs = btf__add_ptr(btf, fwd_s);
	pfu = btf__add_ptr(btf, fwd_u);
	/* Qualifier chains, type tags, arrays of them. */
	p = btf__add_ptr(btf, btf__add_volatile(btf, btf__add_const(btf, i)));
	cp = btf__add_const(btf, btf__add_ptr(btf, btf__add_type_tag(btf, "user", i)));
	pr = btf__add_restrict(btf, p);
	arr = btf__add_array(btf, i, btf__add_const(btf, cp), 3);
	btf__add_typedef(btf, "pr_t", pr);
	/* A typedef of an anonymous struct, reached only through pointers. */
	s = btf__type_cnt(btf) + 4;
	ps = btf__add_ptr(btf, s);
	anon = btf__add_struct(btf, NULL, 8);
	btf__add_field(btf, "back", ps, 0, 0);
	ptd = btf__add_typedef(btf, "anon_t", anon);
	pptd = btf__add_ptr(btf, ptd);
	CHECK(btf__add_struct(btf, "uses", 48) == s);
	btf__add_field(btf, "s", pfs, 0, 0);
	btf__add_field(btf, "u", pfu, 64, 0);
	btf__add_field(btf, "p", poly, 128, 0);
	btf__add_field(btf, "a", pptd, 192, 0);
	btf__add_field(btf, "q", arr, 256, 0);
	btf__add_field(btf, "f", pfp, 320, 0);
	btf__add_decl_tag(btf, "dtag", s, 0);
	btf__add_decl_tag(btf, "dtag2", s, -1);
	/* Variables and sections print nothing. */
	var = btf__add_var(btf, "var", BTF_VAR_GLOBAL_ALLOCATED, i);
	btf__add_datasec(btf, ".data", 4);
	btf__add_datasec_var_info(btf, var, 0, 4);
	btf__add_float(btf, "float", 4);
	btf__add_typedef(btf, "f_t", btf__type_cnt(btf) - 1);
	show("declarations", btf);
	btf__free(btf);
}

/* Split BTF: base types are printed as dependencies of the split ones. */
static void split(void)
{
	struct btf *base = btf__new_empty(), *btf;
	int i, a, b;

	i = btf__add_int(base, "int", 4, BTF_INT_SIGNED);
	a = btf__add_struct(base, "base_s", 4);
	btf__add_field(base, "x", i, 0, 0);
	btf__add_struct(base, "unused", 4);
	btf__add_field(base, "y", i, 0, 0);
	btf = btf__new_empty_split(base);
	b = btf__add_struct(btf, "split_s", 8);
	btf__add_field(btf, "a", a, 0, 0);
	btf__add_field(btf, "p", btf__add_ptr(btf, b), 0, 0);
	btf__add_struct(btf, "base_s", 4);
	btf__add_field(btf, "z", i, 0, 0);
	{
		struct btf_dump *d;

		printf("== split\n");
		capture_reset(&cap);
		d = btf_dump__new(btf, capture_printf, &cap, NULL);
		dump_range(d, btf, btf__type_cnt(base));
		print_prefixed("| ", capture_str(&cap));
		btf_dump__free(d);
	}
	btf__free(btf);
	btf__free(base);
}

int main(void)
{
	vmlinux();
	corpus();
	incremental();
	conflicts();
	enums(8);
	enums(4);
	padding(8);
	padding(4);
	declarations();
	split();
	capture_free(&cap);
	return harness_done();
}
