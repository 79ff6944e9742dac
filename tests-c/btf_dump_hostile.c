// oxbpf-test: valgrind
/*
 * btf_dump on hostile BTF never hangs, crashes or reads out of bounds
 * (libbpf recurses without end on most of these, so this test is ours
 * only): type loops through pointers, qualifiers, typedefs, arrays,
 * function prototypes and anonymous structs; dangling references; every id
 * of a few hundred random mutations of the corpus object's BTF, through
 * all three printers; typed dumps of short data. Also the API's argument
 * checks, and plain use of every function (leak-checked under valgrind).
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "dump_capture.h"

static struct capture cap;

/* Runs the three printers on every id of `btf`; returns dump_type errors. */
static int exercise(const struct btf *btf)
{
	static unsigned char data[256] __attribute__((aligned(16)));
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, dopts, .field_name = "f");
	LIBBPF_OPTS(btf_dump_type_data_opts, topts, .emit_zeroes = true);
	struct btf_dump *d = btf_dump__new(btf, capture_printf, &cap, NULL);
	__u32 id, n = btf__type_cnt(btf);
	int errs = 0;

	if (!d)
		return -1;
	memset(data, 0x11, sizeof(data));
	for (id = 0; id < n + 2; id++) {
		capture_reset(&cap);
		if (btf_dump__dump_type(d, id))
			errs++;
		btf_dump__emit_type_decl(d, id, &dopts);
		btf_dump__dump_type_data(d, id, data, sizeof(data), &topts);
		btf_dump__dump_type_data(d, id, data, 3, NULL);
	}
	btf_dump__free(d);
	return errs;
}

static void loops(void)
{
	struct btf *btf = btf__new_empty();
	int i, s, anon, pa, a, proto, err;
	struct btf_dump *d;

	i = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	btf__add_ptr(btf, btf__type_cnt(btf));			/* ptr to itself */
	btf__add_const(btf, btf__type_cnt(btf));		/* const of itself */
	btf__add_volatile(btf, btf__type_cnt(btf) + 1);		/* volatile <-> restrict */
	btf__add_restrict(btf, btf__type_cnt(btf) - 1);
	btf__add_typedef(btf, "loop_t", btf__type_cnt(btf));	/* typedef of itself */
	btf__add_type_tag(btf, "t", btf__type_cnt(btf));	/* tag of itself */
	a = btf__add_array(btf, i, btf__type_cnt(btf), 2);	/* array of itself */
	proto = btf__add_func_proto(btf, btf__type_cnt(btf));	/* returns itself */
	btf__add_func_param(btf, "p", proto);
	s = btf__add_struct(btf, "self", 8);			/* contains itself */
	btf__add_field(btf, "me", s, 0, 0);
	btf__add_field(btf, "arr", a, 32, 0);
	anon = btf__type_cnt(btf) + 1;				/* anonymous, via pointer */
	pa = btf__add_ptr(btf, anon);
	btf__add_struct(btf, NULL, 8);
	btf__add_field(btf, "p", pa, 0, 0);
	btf__add_field(btf, "q", anon, 0, 0);
	btf__add_ptr(btf, 100000);				/* dangling */
	btf__add_typedef(btf, "dangling_t", 99999);
	btf__add_struct(btf, "dangler", 4);
	btf__add_field(btf, "x", 99998, 0, 0);
	btf__add_var(btf, "v", 0, s);
	btf__add_datasec(btf, ".data", 64);
	btf__add_datasec_var_info(btf, btf__type_cnt(btf) - 2, 0, 8);
	btf__add_datasec_var_info(btf, btf__type_cnt(btf) - 2, 1000, 8);

	libbpf_set_print(NULL);
	err = exercise(btf);
	printf("loops: %d dump_type errors\n", err);
	CHECK(err > 0);
	d = btf_dump__new(btf, capture_printf, &cap, NULL);
	CHECK_EQ(btf_dump__dump_type(d, s), -ELOOP);
	btf_dump__free(d);
	btf__free(btf);
}

/* Random mutations of a valid BTF: each mutant that parses is exercised. */
static void mutations(void)
{
	struct btf *orig = btf__parse_elf(prog_path("btf_dump_corpus.bpf.o"), NULL);
	const struct btf_header *h;
	unsigned char *raw;
	const void *p;
	__u32 size;
	int i, parsed = 0;
	unsigned long long seed = 7;

	CHECK(orig);
	if (!orig)
		return;
	p = btf__raw_data(orig, &size);
	raw = malloc(size);
	h = p;
	for (i = 0; i < 300; i++) {
		__u32 k, words = h->type_len / 4, flips = 1 + i % 4;
		struct btf *btf;

		memcpy(raw, p, size);
		for (k = 0; k < flips; k++) {
			__u32 w, v;

			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			w = (seed >> 33) % words;
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			/* Small type ids and offsets make loops likely; sizes
			 * stay below 64 KiB (a 4 GiB struct prints 4 GiB of
			 * padding, as libbpf does). */
			v = (seed >> 40) % 4 == 0 ? (__u32)((seed >> 33) % 65536) : (__u32)((seed >> 33) % 160);
			memcpy(raw + h->hdr_len + h->type_off + w * 4, &v, 4);
		}
		btf = btf__new(raw, size);
		if (!btf)
			continue;
		parsed++;
		exercise(btf);
		btf__free(btf);
	}
	printf("mutations: done\n");
	note("%d of 300 mutants parsed", parsed);
	CHECK(parsed > 50);
	free(raw);
	btf__free(orig);
}

static void arguments(void)
{
	struct btf *btf = btf__new_empty();
	struct btf_dump *d;
	struct {
		struct btf_dump_opts o;
		long extra;
	} big = { { .sz = sizeof(big) }, 1 };
	struct btf_dump_opts small = { .sz = 1 };
	int id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);

	errno = 0;
	CHECK(!btf_dump__new(btf, NULL, &cap, NULL) && errno == EINVAL);
	errno = 0;
	CHECK(!btf_dump__new(NULL, capture_printf, &cap, NULL) && errno == EINVAL);
	errno = 0;
	CHECK(!btf_dump__new(btf, capture_printf, &cap, &big.o) && errno == EINVAL);
	errno = 0;
	CHECK(!btf_dump__new(btf, capture_printf, &cap, &small) && errno == EINVAL);
	big.extra = 0;
	d = btf_dump__new(btf, capture_printf, &cap, &big.o);
	CHECK(d);
	CHECK_EQ(btf_dump__dump_type(NULL, id), -EINVAL);
	CHECK_EQ(btf_dump__emit_type_decl(NULL, id, NULL), -EINVAL);
	CHECK_EQ(btf_dump__dump_type_data(NULL, id, &id, 4, NULL), -EINVAL);
	CHECK_EQ(btf_dump__dump_type_data(d, id, NULL, 4, NULL), -EINVAL);
	CHECK_EQ(btf_dump__dump_type_data(d, id, NULL, 0, NULL), -E2BIG);
	CHECK_EQ(btf_dump__emit_type_decl(d, 12345, NULL), -EINVAL);
	errno = 0;
	CHECK_EQ(btf_dump__dump_type(d, 12345), -EINVAL);
	CHECK_EQ(errno, EINVAL);
	btf_dump__free(d);
	btf_dump__free(NULL);
	btf__free(btf);
	printf("arguments: done\n");
}

/* The dumper keeps its BTF alive: freeing the BTF first is harmless. */
static void lifetime(void)
{
	struct btf *btf = btf__new_empty();
	struct btf_dump *d;
	int id;

	id = btf__add_struct(btf, "s", 4);
	btf__add_field(btf, "x", btf__add_int(btf, "int", 4, 0), 0, 0);
	btf__add_field(btf, "x", 2, 0, 0);
	d = btf_dump__new(btf, capture_printf, &cap, NULL);
	btf__free(btf);
	capture_reset(&cap);
	CHECK_EQ(btf_dump__dump_type(d, id), 0);
	btf_dump__free(d);
	printf("lifetime: done\n");
}

int main(void)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	loops();
	mutations();
	arguments();
	lifetime();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	note("%.1f s", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	capture_free(&cap);
	return harness_done();
}
