// oxbpf-test: differential
// oxbpf-test: valgrind
/*
 * The static linker on clang-built objects (tests-c/progs/link_{a,b,c}):
 * link_a defines shared_map, a weak weak_map, a weak pick() and a weak
 * variable, and calls b_add() and reads b_value/b_ro of link_b; link_b
 * overrides pick() and weak_var, declares shared_map extern and calls its
 * first static function through the section symbol; link_c only declares things extern or weak and has a
 * program in another section. The same static name (helper) lives in a and
 * b.
 *
 * Linked with bpf_linker__new/add_file/finalize, the object is described
 * structurally (sections, symbols, relocations, BTF DATASECs and FUNCs,
 * .BTF.ext records: tests-c/lib/linker_util.h) — the lines must be the same
 * with Debian's libbpf and ours, and the same as what `bpftool gen object`
 * produces from the same inputs — then opened, loaded and run: the values
 * the programs compute prove cross-object calls, resolved weak symbols,
 * shared maps and rebased data (CO-RE: linker_core.c).
 *
 * The merged BTF is deduplicated as libbpf does: every type (id, kind, name,
 * size or referenced id, vlen) is printed and compared too.
 *
 * 1.8 vs 1.1.2: the BTF header is 32 bytes in 1.8 and 24 in 1.1.2, so the
 * sizes of .BTF and .BTF.ext are left out of the description.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_ether.h>
#include <sys/stat.h>

#include "harness.h"
#include "linker_util.h"
#include <bpf/btf.h>

/* Every type of the linked object's BTF, by id. */
static void print_btf_types(const char *path)
{
	struct btf *btf = btf__parse(path, NULL);
	__u32 id, n;

	CHECK(btf != NULL);
	if (!btf)
		return;
	n = btf__type_cnt(btf);
	printf("btf types %u\n", n);
	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		printf("btf [%u] kind %u name '%s' size/type %u vlen %u\n", id, btf_kind(t),
		       btf__name_by_offset(btf, t->name_off), t->size, btf_vlen(t));
	}
	btf__free(btf);
}

struct link_args {
	__u64 in;
	__u64 out;
};

static char dir[64];

static int run(struct bpf_object *obj, const char *name, __u64 in, __u64 *out)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, name);
	struct link_args args = { .in = in };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &args, .ctx_size_in = sizeof(args));
	int err;

	if (!p)
		return -ENOENT;
	err = bpf_prog_test_run_opts(bpf_program__fd(p), &opts);
	if (err)
		return err;
	*out = args.out;
	return (int)opts.retval;
}

static int link_with_library(const char *out)
{
	const char *inputs[] = { "link_a.bpf.o", "link_b.bpf.o", "link_c.bpf.o" };
	struct bpf_linker *l = bpf_linker__new(out, NULL);
	int err = 0;

	if (!l)
		return -errno;
	for (size_t i = 0; i < 3 && !err; i++)
		err = bpf_linker__add_file(l, prog_path(inputs[i]), NULL);
	if (!err)
		err = bpf_linker__finalize(l);
	bpf_linker__free(l);
	return err;
}

static void load_and_run(const char *path)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	__u64 out = 0, bss[5] = {};
	struct bpf_map *map;
	__u32 key = 1;
	__u64 val = 0;
	int ret;

	CHECK(obj != NULL);
	if (!obj)
		return;
	bpf_object__for_each_map(map, obj)
		printf("map %s type %u key %u value %u max %u\n", bpf_map__name(map), bpf_map__type(map),
		       bpf_map__key_size(map), bpf_map__value_size(map), bpf_map__max_entries(map));
	{
		struct bpf_program *p;

		bpf_object__for_each_program(p, obj)
			printf("prog %s sec %s insns %zu\n", bpf_program__name(p), bpf_program__section_name(p),
			       bpf_program__insn_cnt(p));
	}
	ret = bpf_object__load(obj);
	CHECK_EQ(ret, 0);
	printf("load %d\n", ret);
	if (ret) {
		bpf_object__close(obj);
		return;
	}

	/* b first: weak_map[1] = 22, shared_map[0] still 0. */
	ret = run(obj, "prog_b", 6, &out);
	printf("prog_b ret %d out %llu\n", ret, (unsigned long long)out);
	CHECK_EQ(ret, 2);
	CHECK_EQ(out, 3 * 6 + (6 % 4 + 1) * 10 + 5 * 100 + 0 * 1000);

	/* a: calls b_add (x + 101), its own helper (2x), b's strong pick (2),
	 * reads b_value 3, a_ro 7, b_ro 4, b's strong weak_var 2, its static
	 * counter (1), and weak_map[1] written by b; writes shared_map[0]. */
	ret = run(obj, "prog_a", 5, &out);
	printf("prog_a ret %d out %llu\n", ret, (unsigned long long)out);
	CHECK_EQ(ret, 1);
	CHECK_EQ(out, 106 + 10 * 10000 + 2 * 1000000ULL + 3 * 100000000ULL + 7 + 4 * 10 + 2 * 1000000000ULL +
			      1 * 10000000000000ULL + 22 * 100);

	/* c: b_add(1), pick, weak_var, c_data[1] = 50, shared_map[0] = 11. */
	ret = run(obj, "prog_c", 0, &out);
	printf("prog_c ret %d out %llu\n", ret, (unsigned long long)out);
	CHECK_EQ(ret, 3);
	CHECK_EQ(out, 102 + 2 * 1000 + 2 * 10000 + 50 * 1000000ULL + 11 * 100000000ULL);

	ret = run(obj, "prog_b", 7, &out);
	printf("prog_b ret %d out %llu\n", ret, (unsigned long long)out);
	CHECK_EQ(out, 3 * 7 + (7 % 4 + 1) * 10 + 5 * 100 + 11 * 1000);

	/* One weak_map and one shared_map, seen from user space too. */
	map = bpf_object__find_map_by_name(obj, "weak_map");
	CHECK(map && bpf_map__lookup_elem(map, &key, sizeof(key), &val, sizeof(val), 0) == 0);
	CHECK_EQ(val, 22);
	key = 0;
	map = bpf_object__find_map_by_name(obj, "shared_map");
	CHECK(map && bpf_map__lookup_elem(map, &key, sizeof(key), &val, sizeof(val), 0) == 0);
	CHECK_EQ(val, 11);
	/* .bss of a and b, one after the other: a_static_counter, a_bss, b_bss[3]. */
	map = NULL;
	bpf_object__for_each_map(map, obj)
		if (strstr(bpf_map__name(map), ".bss"))
			break;
	CHECK(map && bpf_map__lookup_elem(map, &key, sizeof(key), bss, sizeof(bss), 0) == 0);
	printf("bss %llu %llu %llu %llu %llu\n", (unsigned long long)bss[0], (unsigned long long)bss[1],
	       (unsigned long long)bss[2], (unsigned long long)bss[3], (unsigned long long)bss[4]);
	CHECK_EQ(bss[0], 1);
	CHECK_EQ(bss[1], 5);
	CHECK_EQ(bss[4], 7);

	/* The socket filter of c: pick() + c_data[0] = 42. */
	{
		struct bpf_program *p = bpf_object__find_program_by_name(obj, "sock_c");
		unsigned char pkt[64] = {}, pkt_out[64];
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = sizeof(pkt), .data_out = pkt_out,
			    .data_size_out = sizeof(pkt_out));

		CHECK(p != NULL);
		if (p) {
			ret = bpf_prog_test_run_opts(bpf_program__fd(p), &opts);
			printf("sock_c %d retval %u\n", ret, opts.retval);
			CHECK_EQ(opts.retval, 42);
		}
	}
	bpf_object__close(obj);
}

int main(void)
{
	char out[128], ref[128], cmd[3 * PATH_MAX + 256];
	char *ours_desc, *ref_desc;
	FILE *f;
	int err;

	snprintf(dir, sizeof(dir), "/tmp/oxbpf-linker-%d", getpid());
	mkdir(dir, 0700);
	snprintf(out, sizeof(out), "%s/linked.bpf.o", dir);
	snprintf(ref, sizeof(ref), "%s/bpftool.bpf.o", dir);

	err = link_with_library(out);
	printf("link %d\n", err);
	CHECK_EQ(err, 0);

	/* The structural description, compared across libraries. */
	f = fopen(out, "rb");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	describe_object(out, stdout);
	print_btf_types(out);

	/* ... and against bpftool's linker on the same inputs. */
	{
		char a[PATH_MAX], b[PATH_MAX];

		snprintf(a, sizeof(a), "%s", prog_path("link_a.bpf.o"));
		snprintf(b, sizeof(b), "%s", prog_path("link_b.bpf.o"));
		snprintf(cmd, sizeof(cmd), "bpftool gen object %s %s %s %s 2>/dev/null", ref, a, b,
			 prog_path("link_c.bpf.o"));
	}
	if (system(cmd) != 0) {
		note("bpftool gen object is unavailable");
	} else {
		ours_desc = describe_to_string(out);
		ref_desc = describe_to_string(ref);
		CHECK(ours_desc && ref_desc);
		if (ours_desc && ref_desc && strcmp(ours_desc, ref_desc) != 0) {
			fprintf(stderr, "--- bpftool gen object:\n%s\n--- bpf_linker:\n%s\n", ref_desc, ours_desc);
			CHECKM(0, "the linked object differs from bpftool's");
		}
		free(ours_desc);
		free(ref_desc);
	}

	load_and_run(out);

	unlink(out);
	unlink(ref);
	rmdir(dir);
	return harness_done();
}
