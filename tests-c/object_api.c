// oxbpf-test: valgrind
/*
 * The object API beyond libbpf 1.1 (so not compared with Debian's): the
 * prepare step, relocated instructions and func/line info, program clones,
 * exclusive maps, verifier logs (object and program buffers, the print
 * callback, poisoned map references), open options (names, log and token
 * options), DATASEC resizing, fd reuse, set_insns.
 */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <linux/btf.h>
#include "harness.h"

static char printed[1 << 16];
static size_t printed_len;

static int capture(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int n = vsnprintf(printed + printed_len, sizeof(printed) - printed_len, fmt, ap);

	if (n > 0)
		printed_len += (size_t)n < sizeof(printed) - printed_len ? (size_t)n : sizeof(printed) - printed_len - 1;
	return 0;
}

static void reset_printed(void)
{
	printed_len = 0;
	printed[0] = 0;
}

struct args {
	__u64 in;
};

static int run_syscall(int fd, __u64 in)
{
	struct args a = { .in = in };
	LIBBPF_OPTS(bpf_test_run_opts, t, .ctx_in = &a, .ctx_size_in = sizeof(a));
	int err = bpf_prog_test_run_opts(fd, &t);

	return err ? err : (int)t.retval;
}

static void test_prepare_and_clone(void)
{
	struct bpf_object *obj = bpf_object__open_file(prog_path("obj_globals.bpf.o"), NULL);
	struct bpf_program *run;
	const struct bpf_insn *insns;
	size_t n, ld_map_value = 0;
	static char log[1 << 16];
	int fd, fd2;

	CHECK(obj);
	if (!obj)
		return;
	run = bpf_object__find_program_by_name(obj, "run");
	CHECK_EQ(bpf_program__clone(run, NULL), -EINVAL);
	CHECK_EQ(bpf_program__insn_cnt(run), 43);
	CHECK_EQ(bpf_object__prepare(obj), 0);
	CHECK_EQ(bpf_object__prepare(obj), -EINVAL);
	/* Prepared: maps exist, programs are relocated but not loaded. */
	CHECK(bpf_map__fd(bpf_object__find_map_by_name(obj, ".bss")) >= 0);
	CHECK_EQ(bpf_program__fd(run), -ENOENT);
	insns = bpf_program__insns(run);
	n = bpf_program__insn_cnt(run);
	CHECK_EQ(n, 60);
	for (size_t i = 0; i < n; i++)
		if (insns[i].code == (BPF_LD | BPF_IMM | BPF_DW) && insns[i].src_reg == BPF_PSEUDO_MAP_VALUE &&
		    insns[i].imm >= 0)
			ld_map_value++;
	CHECK_EQ(ld_map_value, 8);
	/* main, global subprog, static subprog, loop callback */
	CHECK_EQ(bpf_program__func_info_cnt(run), 4);
	CHECK(bpf_program__func_info(run) != NULL);
	CHECK(bpf_program__line_info_cnt(run) > 10);
	CHECK(bpf_program__line_info(run) != NULL);

	/* Clones: caller-owned fds, the caller's log only. */
	{
		LIBBPF_OPTS(bpf_prog_load_opts, lopts, .log_buf = log, .log_size = sizeof(log), .log_level = 1);

		fd = bpf_program__clone(run, &lopts);
		CHECK(fd >= 0);
		CHECK(strstr(log, "processed") != NULL);
	}
	fd2 = bpf_program__clone(run, NULL);
	CHECK(fd2 >= 0 && fd2 != fd);
	CHECK_EQ(run_syscall(fd, 3), 7);
	CHECK_EQ(run_syscall(fd2, 3), 7);
	close(fd);
	close(fd2);
	{
		LIBBPF_OPTS(bpf_prog_load_opts, bad, .func_info_cnt = 3);

		CHECK_EQ(bpf_program__clone(run, &bad), -EINVAL);
	}

	CHECK_EQ(bpf_object__load(obj), 0);
	CHECK(bpf_program__fd(run) >= 0);
	CHECK_EQ(run_syscall(bpf_program__fd(run), 1), 7);
	bpf_object__close(obj);
}

static void test_logs(void)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	char obj_log[1 << 16] = "", prog_log[1 << 16] = "";
	struct bpf_object *obj;
	struct bpf_program *bad, *fine, *lonely_user;
	size_t sz;

	/* An object log buffer at level 1: every program's log lands there. */
	opts.kernel_log_buf = obj_log;
	opts.kernel_log_size = sizeof(obj_log);
	opts.kernel_log_level = 1;
	obj = bpf_object__open_file(prog_path("obj_bad.bpf.o"), &opts);
	CHECK(obj);
	if (!obj)
		return;
	fine = bpf_object__find_program_by_name(obj, "fine");
	CHECK_EQ(bpf_program__log_level(fine), 1);
	CHECK_EQ(bpf_object__load(obj), 0);
	CHECK(strstr(obj_log, "processed") != NULL);
	bpf_object__close(obj);

	/* A failing program: the verifier log goes through the print callback. */
	obj = bpf_object__open_file(prog_path("obj_bad.bpf.o"), NULL);
	bad = bpf_object__find_program_by_name(obj, "bad_access");
	CHECK_EQ(bpf_program__set_autoload(bad, true), 0);
	reset_printed();
	CHECK(bpf_object__load(obj) < 0);
	CHECK(strstr(printed, "prog 'bad_access': BPF program load failed") != NULL);
	CHECK(strstr(printed, "-- BEGIN PROG LOAD LOG --") != NULL);
	CHECK(strstr(printed, "invalid mem access") != NULL);
	CHECK(strstr(printed, "failed to load object") != NULL);
	CHECK_EQ(bpf_program__fd(bpf_object__find_program_by_name(obj, "fine")), -ENOENT);
	bpf_object__close(obj);

	/* A program log buffer: filled, not printed. */
	obj = bpf_object__open_file(prog_path("obj_bad.bpf.o"), NULL);
	bad = bpf_object__find_program_by_name(obj, "bad_access");
	bpf_program__set_autoload(bad, true);
	CHECK_EQ(bpf_program__set_log_buf(bad, NULL, 10), -EINVAL);
	CHECK_EQ(bpf_program__set_log_buf(bad, prog_log, sizeof(prog_log)), 0);
	CHECK(bpf_program__log_buf(bad, &sz) == prog_log && sz == sizeof(prog_log));
	reset_printed();
	CHECK(bpf_object__load(obj) < 0);
	CHECK(strstr(prog_log, "invalid mem access") != NULL);
	CHECK(strstr(printed, "-- BEGIN PROG LOAD LOG --") == NULL);
	CHECK_EQ(bpf_program__set_log_level(bad, 2), -EBUSY);
	bpf_object__close(obj);

	/* A map that is not created: the program's reference to it is
	 * poisoned and the log names the map. */
	obj = bpf_object__open_file(prog_path("obj_bad.bpf.o"), NULL);
	lonely_user = bpf_object__find_program_by_name(obj, "uses_lonely");
	bpf_program__set_autoload(lonely_user, true);
	CHECK_EQ(bpf_map__set_autocreate(bpf_object__find_map_by_name(obj, "lonely"), false), 0);
	reset_printed();
	CHECK(bpf_object__load(obj) < 0);
	CHECK(strstr(printed, "BPF map 'lonely' is referenced but wasn't created") != NULL);
	bpf_object__close(obj);
}

static void test_open_options(void)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	char long_path[5000];
	struct bpf_object *obj;
	void *buf;
	FILE *f;
	long n;
	char name[64];

	opts.object_name = "custom_name_that_is_long";
	obj = bpf_object__open_file(prog_path("obj_globals.bpf.o"), &opts);
	CHECK(obj);
	if (obj) {
		CHECK_STR(bpf_object__name(obj), "custom_name_tha");
		CHECK_STR(bpf_map__name(bpf_object__find_map_by_name(obj, ".data")), "custom_n.data");
		CHECK_EQ(bpf_object__token_fd(obj), -1);
		bpf_object__close(obj);
	}
	opts.object_name = NULL;
	opts.kernel_log_size = 100;
	CHECK(!bpf_object__open_file(prog_path("obj_globals.bpf.o"), &opts) && errno == EINVAL);
	opts.kernel_log_size = 0;
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = 0;
	opts.btf_custom_path = long_path;
	CHECK(!bpf_object__open_file(prog_path("obj_globals.bpf.o"), &opts) && errno == ENAMETOOLONG);
	opts.btf_custom_path = NULL;
	CHECK(!bpf_object__open_file(NULL, NULL) && errno == EINVAL);
	CHECK(!bpf_object__open_file("/nonexistent/x.bpf.o", NULL) && errno == ENOENT);
	CHECK(!bpf_object__open_mem(NULL, 10, NULL) && errno == EINVAL);
	errno = 0;
	CHECK(!bpf_object__next_map(NULL, NULL) && errno == EINVAL);
	CHECK_EQ(bpf_object__load(NULL), -EINVAL);
	CHECK(!bpf_object__name(NULL) && errno == EINVAL);

	/* In-memory objects are named after their address and size. */
	f = fopen(prog_path("obj_globals.bpf.o"), "rb");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n);
	CHECK(fread(buf, 1, n, f) == (size_t)n);
	fclose(f);
	obj = bpf_object__open_mem(buf, n, NULL);
	snprintf(name, sizeof(name), "%lx-%lx", (unsigned long)buf, (unsigned long)n);
	name[15] = 0;
	free(buf);
	CHECK(obj);
	if (obj) {
		CHECK_STR(bpf_object__name(obj), name);
		/* The buffer is not kept: loading works after it is freed. */
		CHECK_EQ(bpf_object__load(obj), 0);
		bpf_object__close(obj);
	}

	/* A token path that is not a delegating bpffs fails the load; an empty
	 * one prevents tokens. */
	setenv("LIBBPF_BPF_TOKEN_PATH", "/tmp", 1);
	obj = bpf_object__open_file(prog_path("obj_globals.bpf.o"), NULL);
	CHECK(obj && bpf_object__load(obj) < 0);
	bpf_object__close(obj);
	setenv("LIBBPF_BPF_TOKEN_PATH", "", 1);
	obj = bpf_object__open_file(prog_path("obj_globals.bpf.o"), NULL);
	CHECK(obj && bpf_object__load(obj) == 0);
	bpf_object__close(obj);
	unsetenv("LIBBPF_BPF_TOKEN_PATH");
}

static void test_resize_and_reuse(void)
{
	struct bpf_object *obj = bpf_object__open_file(prog_path("obj_globals.bpf.o"), NULL);
	struct bpf_map *rodata, *counters;
	const struct btf_type *t;
	size_t sz;
	__u32 *img;

	CHECK(obj);
	if (!obj)
		return;
	rodata = bpf_object__find_map_by_name(obj, ".rodata");
	counters = bpf_object__find_map_by_name(obj, ".data.counters");
	/* .rodata ends with ro_table[4]: it can grow by whole elements. */
	CHECK_EQ(bpf_map__set_value_size(rodata, 8 + 4 * 8), 0);
	CHECK_EQ(bpf_map__value_size(rodata), 40);
	img = bpf_map__initial_value(rodata, &sz);
	CHECK(img && sz == 40);
	if (img)
		CHECK(img[2] == 1 && img[5] == 4 && img[9] == 0);
	t = btf__type_by_id(bpf_object__btf(obj), bpf_map__btf_value_type_id(rodata));
	CHECK(t && btf_kind(t) == BTF_KIND_DATASEC && t->size == 40);
	/* .data.counters ends with a scalar: resized, but its BTF is dropped. */
	CHECK_EQ(bpf_map__set_value_size(counters, 16), 0);
	CHECK_EQ(bpf_map__btf_value_type_id(counters), 0);
	CHECK_EQ(bpf_object__load(obj), 0);
	CHECK_EQ(bpf_map__set_value_size(rodata, 48), -EBUSY);
	bpf_object__close(obj);

	/* bpf_map__reuse_fd(): the object uses an existing map. */
	obj = bpf_object__open_file(prog_path("obj_maps.bpf.o"), NULL);
	CHECK(obj);
	if (obj) {
		struct bpf_map *by_size = bpf_object__find_map_by_name(obj, "by_size");
		struct bpf_map *pinned = bpf_object__find_map_by_name(obj, "pinned_counts");
		int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "external", 4, 24, 8, NULL);
		__u32 k = 2;
		char v[24] = "from outside";

		CHECK(fd >= 0);
		CHECK_EQ(bpf_map_update_elem(fd, &k, v, 0), 0);
		CHECK_EQ(bpf_map__reuse_fd(by_size, fd), 0);
		CHECK_STR(bpf_map__name(by_size), "external");
		CHECK_EQ(bpf_map__set_max_entries(by_size, 4), -EBUSY);
		CHECK_EQ(bpf_map__set_pin_path(pinned, NULL), 0);
		CHECK_EQ(bpf_object__load(obj), 0);
		memset(v, 0, sizeof(v));
		CHECK_EQ(bpf_map__lookup_elem(by_size, &k, 4, v, 24, 0), 0);
		CHECK_STR(v, "from outside");
		CHECK(bpf_map__fd(by_size) != fd);
		close(fd);
		bpf_object__close(obj);
	}
}

static void test_exclusive_and_insns(void)
{
	struct bpf_object *obj = bpf_object__open_file(prog_path("obj_maps.bpf.o"), NULL), *other;
	struct bpf_program *read_inner, *jumper, *foreign;
	struct bpf_map *pinned;
	struct bpf_insn ret42[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 42 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	char pkt[64] = {}, out[64];
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = pkt, .data_size_in = sizeof(pkt), .data_out = out,
		    .data_size_out = sizeof(out));

	CHECK(obj);
	if (!obj)
		return;
	other = bpf_object__open_file(prog_path("obj_globals.bpf.o"), NULL);
	read_inner = bpf_object__find_program_by_name(obj, "read_inner");
	jumper = bpf_object__find_program_by_name(obj, "tail_a");
	foreign = bpf_object__find_program_by_name(other, "run");
	pinned = bpf_object__find_map_by_name(obj, "pinned_counts");
	bpf_map__set_pin_path(pinned, NULL);
	CHECK(bpf_map__exclusive_program(pinned) == NULL);
	CHECK_EQ(bpf_map__set_exclusive_program(pinned, foreign), -EINVAL);
	CHECK_EQ(bpf_map__set_exclusive_program(pinned, read_inner), 0);
	CHECK(bpf_map__exclusive_program(pinned) == read_inner);
	/* set_insns: the program (without relocations) becomes "return 42". */
	CHECK_EQ(bpf_program__set_insns(jumper, ret42, 2), 0);
	CHECK_EQ(bpf_program__insn_cnt(jumper), 2);
	CHECK_EQ(bpf_object__load(obj), 0);
	CHECK_EQ(bpf_map__set_exclusive_program(pinned, read_inner), -EINVAL);
	CHECK_EQ(run_syscall(bpf_program__fd(read_inner), 0), 0);
	CHECK_EQ(bpf_prog_test_run_opts(bpf_program__fd(jumper), &t), 0);
	CHECK_EQ(t.retval, 42);
	CHECK_EQ(bpf_program__set_insns(jumper, ret42, 2), -EBUSY);
	bpf_object__close(other);
	bpf_object__close(obj);

	/* Another program using an exclusive map is refused by the kernel. */
	obj = bpf_object__open_file(prog_path("obj_maps.bpf.o"), NULL);
	CHECK(obj);
	if (!obj)
		return;
	pinned = bpf_object__find_map_by_name(obj, "pinned_counts");
	bpf_map__set_pin_path(pinned, NULL);
	CHECK_EQ(bpf_map__set_exclusive_program(pinned, bpf_object__find_program_by_name(obj, "jumper")), 0);
	CHECK(bpf_object__load(obj) < 0);
	CHECK_EQ(bpf_program__fd(bpf_object__find_program_by_name(obj, "read_inner")), -ENOENT);
	bpf_object__close(obj);
}

/* A big-endian object opens with its instructions in host order and is
 * refused at load (libbpf 1.8; 1.1 refused it at open). */
static void test_big_endian(void)
{
	struct bpf_object *le = bpf_object__open_file(prog_path("obj_globals.bpf.o"), NULL);
	struct bpf_object *be = bpf_object__open_file(prog_path("obj_globals_be.bpf.o"), NULL);
	struct bpf_program *pl, *pb;

	CHECK(le && be);
	if (le && be) {
		pl = bpf_object__find_program_by_name(le, "run");
		pb = bpf_object__find_program_by_name(be, "run");
		CHECK(pl && pb);
		if (pl && pb) {
			size_t n = bpf_program__insn_cnt(pl);
			const struct bpf_insn *a = bpf_program__insns(pl), *b = bpf_program__insns(pb);

			CHECK_EQ(bpf_program__insn_cnt(pb), n);
			CHECK(memcmp(a, b, n * sizeof(*a)) == 0);
		}
		CHECK_EQ(bpf_map__value_size(bpf_object__find_map_by_name(be, ".bss")), 28);
		CHECK_EQ(bpf_object__load(be), -LIBBPF_ERRNO__ENDIAN);
	}
	bpf_object__close(le);
	bpf_object__close(be);
}

int main(void)
{
	libbpf_set_print(capture);
	test_prepare_and_clone();
	test_logs();
	test_open_options();
	test_resize_and_reuse();
	test_exclusive_and_insns();
	test_big_endian();
	return harness_done();
}
