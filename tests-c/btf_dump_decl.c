// oxbpf-test: differential
// oxbpf-test: valgrind
/*
 * btf_dump__emit_type_decl(), compared with Debian's libbpf: the
 * declaration of every vmlinux type with four sets of options (no opts; a
 * field name and indentation; strip_mods; out-of-range indentation), as a
 * hash per 10,000 ids; every type of the corpus object printed in full;
 * the opts `sz` rule and ids out of range.
 *
 * Known 1.8 vs 1.1.2 differences: "(void)" for empty parameter lists, and
 * type tags with kflag (attributes, on kfunc prototypes in vmlinux) printed
 * as `__attribute__((X))`; vmlinux output is compared after rewriting both
 * (see dump_capture.h). Warnings about kinds that have no declaration (FUNC,
 * VAR, ...) are silenced: both libraries print them to the log only.
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "dump_capture.h"

static struct capture cap;

static void opts_variant(int v, struct btf_dump_emit_type_decl_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->sz = sizeof(*o);
	switch (v) {
	case 1:
		o->field_name = "fld";
		o->indent_level = 1;
		break;
	case 2:
		o->field_name = "x";
		o->strip_mods = true;
		break;
	case 3:
		o->field_name = "";
		o->indent_level = 20;
		break;
	}
}

static void sweep(const char *label, const struct btf *btf, __u32 chunk, int literal)
{
	struct btf_dump_emit_type_decl_opts o;
	struct btf_dump *d;
	__u32 id, n = btf__type_cnt(btf);
	int v, err;

	for (v = 0; v < 4; v++) {
		capture_reset(&cap);
		d = btf_dump__new(btf, capture_printf, &cap, NULL);
		CHECK(d);
		if (!d)
			return;
		opts_variant(v, &o);
		for (id = 1; id < n; id++) {
			size_t from = cap.len;

			err = btf_dump__emit_type_decl(d, id, v ? &o : NULL);
			if (err)
				printf("%s: variant %d: emit_type_decl(%u) = %d\n", label, v, id, err);
			capture_puts(&cap, "\n");
			if (literal) {
				struct capture one = {};

				one.buf = strndup(cap.buf + from, cap.len - from);
				one.len = cap.len - from;
				capture_normalize(&one);
				printf("%s v%d [%u] %s", label, v, id, one.buf);
				free(one.buf);
			}
			if (!literal && (id % chunk == 0 || id == n - 1)) {
				capture_normalize(&cap);
				capture_normalize_tags(&cap);
				printf("%s: variant %d: ids ..%u: %zu bytes, hash %016llx\n", label, v, id, cap.len,
				       capture_hash(cap.buf, cap.len));
				capture_reset(&cap);
			}
		}
		btf_dump__free(d);
	}
}

static void errors(void)
{
	struct btf *btf = btf__new_empty();
	struct btf_dump *d;
	struct {
		struct btf_dump_emit_type_decl_opts o;
		char tail[16];
	} big;
	struct btf_dump_emit_type_decl_opts small = { .sz = 4 };

	btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	btf__add_ptr(btf, 1);
	d = btf_dump__new(btf, capture_printf, &cap, NULL);
	CHECK(d);
	capture_reset(&cap);
	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	big.o.field_name = "p";
	printf("bigger opts, zero tail: %d\n", btf_dump__emit_type_decl(d, 2, &big.o));
	big.tail[3] = 1;
	printf("bigger opts, non-zero tail: %d\n", btf_dump__emit_type_decl(d, 2, &big.o));
	printf("opts sz 4: %d\n", btf_dump__emit_type_decl(d, 2, &small));
	/* An older caller's opts: only the field name is known. */
	big.o.sz = offsetof(struct btf_dump_emit_type_decl_opts, indent_level);
	big.o.strip_mods = true;
	printf("short opts: %d\n", btf_dump__emit_type_decl(d, 2, &big.o));
	printf("void: %d\n", btf_dump__emit_type_decl(d, 0, NULL));
	printf("output: [%s]\n", capture_str(&cap));
	btf_dump__free(d);
	btf__free(btf);
}

int main(void)
{
	struct btf *vmlinux = btf__load_vmlinux_btf(), *corpus;

	libbpf_set_print(NULL);
	if (vmlinux) {
		sweep("vmlinux", vmlinux, 10000, 0);
		btf__free(vmlinux);
	}
	corpus = btf__parse_elf(prog_path("btf_dump_corpus.bpf.o"), NULL);
	CHECK(corpus);
	if (corpus) {
		sweep("corpus", corpus, 0, 1);
		btf__free(corpus);
	}
	errors();
	capture_free(&cap);
	return harness_done();
}
