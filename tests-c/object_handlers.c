// oxbpf-test: differential
/*
 * Custom SEC() handlers: libbpf_register_prog_handler() with setup,
 * prepare-load and attach callbacks, a fallback handler, the name-based
 * lookups, and unregistering.
 */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <stddef.h>
#include "harness.h"

static int setup_calls, prepare_calls;
static long seen_cookie;

static int setup_fn(struct bpf_program *prog, long cookie)
{
	setup_calls++;
	seen_cookie = cookie;
	printf("setup %s cookie=%ld type=%u\n", bpf_program__name(prog), cookie, bpf_program__type(prog));
	/* Setup may adjust the program. */
	return bpf_program__set_flags(prog, 0);
}

static int prepare_fn(struct bpf_program *prog, struct bpf_prog_load_opts *opts, long cookie)
{
	prepare_calls++;
	printf("prepare %s cookie=%ld sz_ok=%d attach=%u\n", bpf_program__name(prog), cookie,
	       opts->sz >= offsetof(struct bpf_prog_load_opts, log_true_size), opts->expected_attach_type);
	return 0;
}

static int failing_setup(struct bpf_program *prog, long cookie)
{
	return -E2BIG;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static int run(struct bpf_program *prog)
{
	char pkt[64] = {}, out[64];
	/* An output buffer too: valgrind's model of BPF_PROG_TEST_RUN checks it. */
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = pkt, .data_size_in = sizeof(pkt), .data_out = out,
		    .data_size_out = sizeof(out));
	int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &t);

	return err ? err : (int)t.retval;
}

int main(void)
{
	LIBBPF_OPTS(libbpf_prog_handler_opts, hopts, .cookie = 42, .prog_setup_fn = setup_fn,
		    .prog_prepare_load_fn = prepare_fn);
	LIBBPF_OPTS(libbpf_prog_handler_opts, fopts, .cookie = 7, .prog_setup_fn = setup_fn);
	enum bpf_prog_type pt;
	enum bpf_attach_type at;
	struct bpf_object *obj;
	struct bpf_program *prog;
	int id, fid, err;

	libbpf_set_print(quiet);
	id = libbpf_register_prog_handler("oxbpf_custom+", BPF_PROG_TYPE_SOCKET_FILTER, 0, &hopts);
	CHECK(id > 0);
	fid = libbpf_register_prog_handler(NULL, BPF_PROG_TYPE_SOCKET_FILTER, 0, &fopts);
	CHECK(fid > 0 && fid != id);
	CHECK_EQ(libbpf_register_prog_handler(NULL, BPF_PROG_TYPE_XDP, 0, NULL), -EBUSY);

	CHECK_EQ(libbpf_prog_type_by_name("oxbpf_custom/x", &pt, &at), 0);
	CHECK_EQ(pt, BPF_PROG_TYPE_SOCKET_FILTER);
	/* Custom handlers are not "attachable" by name. */
	CHECK_EQ(libbpf_attach_type_by_name("oxbpf_custom/x", &at), -EINVAL);
	CHECK_EQ(libbpf_attach_type_by_name("cgroup/connect6", &at), 0);
	CHECK_EQ(at, BPF_CGROUP_INET6_CONNECT);
	CHECK_EQ(libbpf_attach_type_by_name("nothing", &at), -EINVAL);
	CHECK_EQ(libbpf_attach_type_by_name(NULL, &at), -EINVAL);

	obj = bpf_object__open_file(prog_path("obj_custom.bpf.o"), NULL);
	CHECK(obj);
	if (!obj)
		return harness_done();
	printf("setup calls after open: %d (cookie %ld)\n", setup_calls, seen_cookie);
	bpf_object__for_each_program(prog, obj)
		printf("prog %s type=%u\n", bpf_program__name(prog), bpf_program__type(prog));
	err = bpf_object__load(obj);
	CHECK_EQ(err, 0);
	printf("prepare calls after load: %d\n", prepare_calls);
	bpf_object__for_each_program(prog, obj)
		printf("run %s = %d\n", bpf_program__name(prog), run(prog));
	bpf_object__close(obj);

	/* A failing setup callback fails the open. */
	CHECK_EQ(libbpf_unregister_prog_handler(id), 0);
	CHECK_EQ(libbpf_unregister_prog_handler(id), -ENOENT);
	CHECK_EQ(libbpf_unregister_prog_handler(0), -EINVAL);
	hopts.prog_setup_fn = failing_setup;
	id = libbpf_register_prog_handler("oxbpf_custom+", BPF_PROG_TYPE_SOCKET_FILTER, 0, &hopts);
	CHECK(id > 0);
	obj = bpf_object__open_file(prog_path("obj_custom.bpf.o"), NULL);
	CHECK(!obj);
	printf("failing setup: errno=%d\n", errno);
	CHECK_EQ(libbpf_unregister_prog_handler(id), 0);
	CHECK_EQ(libbpf_unregister_prog_handler(fid), 0);

	/* Without handlers the sections are unknown: type 0, load fails. */
	obj = bpf_object__open_file(prog_path("obj_custom.bpf.o"), NULL);
	CHECK(obj);
	if (obj) {
		bpf_object__for_each_program(prog, obj)
			printf("plain prog %s type=%u\n", bpf_program__name(prog), bpf_program__type(prog));
		CHECK_EQ(bpf_object__load(obj), -EINVAL);
		bpf_object__close(obj);
	}
	return harness_done();
}
