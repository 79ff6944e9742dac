// oxbpf-test: differential
/*
 * freplace: a tc program calls global function target_fn (returns 1);
 * an EXT program replacing it (returning 42) is set to target it. This
 * machine's lockdown refuses to load EXT programs (EPERM, as libbpf gets
 * it), so the attach calls are checked up to that answer: attaching an
 * unloaded program, argument errors, a function missing from the target's
 * BTF (ENOENT, also at bpf_program__set_attach_target()). Where the kernel
 * loads EXT programs, the replacement is proven by test runs (42 while
 * attached, explicitly, by SEC() auto-attach and onto the load-time
 * target; 1 after destroy). A struct_ops attach of a plain map is refused.
 * Same lines against Debian's libbpf.
 */
#include <stdlib.h>
#include "harness.h"
#include "attach_util.h"

static int run(int prog_fd)
{
	char pkt[64] = {}, out[64];
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = pkt, .data_size_in = sizeof(pkt), .data_out = out,
		    .data_size_out = sizeof(out));
	int err = bpf_prog_test_run_opts(prog_fd, &t);

	return err ? err : (int)t.retval;
}

int main(void)
{
	struct bpf_object *target, *ext;
	struct bpf_program *entry, *repl;
	struct bpf_link *l;
	int tfd, fds;

	libbpf_set_print(quiet_print);
	fds = count_fds();
	target = bpf_object__open_file(prog_path("attach_target.bpf.o"), NULL);
	if (!target)
		SKIP("cannot open attach_target.bpf.o");
	SHOW_RET(bpf_object__load(target));
	entry = bpf_object__find_program_by_name(target, "entry");
	tfd = bpf_program__fd(entry);
	printf("before: %d\n", run(tfd));

	ext = bpf_object__open_file(prog_path("attach_freplace.bpf.o"), NULL);
	CHECK(ext != NULL);
	repl = bpf_object__find_program_by_name(ext, "new_fn");
	SHOW_RET(bpf_program__set_attach_target(repl, tfd, "ox_no_such_function"));
	SHOW_RET(bpf_program__set_attach_target(repl, tfd, "target_fn"));
	if (bpf_object__load(ext) == 0)
		note("EXT programs load on this kernel");
	else
		printf("EXT load refused: errno=%d\n", errno);

	l = SHOW_LINK(bpf_program__attach_freplace(repl, tfd, "target_fn"));
	printf("replaced: %d\n", run(tfd) == (l ? 42 : 1));
	SHOW_RET(bpf_link__destroy(l));
	printf("after destroy: %d\n", run(tfd));

	l = SHOW_LINK(bpf_program__attach(repl));
	printf("auto-attached: %d\n", run(tfd) == (l ? 42 : 1));
	bpf_link__destroy(l);
	l = SHOW_LINK(bpf_program__attach_freplace(repl, 0, NULL));
	printf("onto the load-time target: %d\n", run(tfd) == (l ? 42 : 1));
	bpf_link__destroy(l);
	printf("after destroy: %d\n", run(tfd));

	SHOW_LINK(bpf_program__attach_freplace(repl, tfd, NULL));
	SHOW_LINK(bpf_program__attach_freplace(repl, 0, "target_fn"));
	SHOW_LINK(bpf_program__attach_freplace(entry, tfd, "target_fn"));
	SHOW_LINK(bpf_program__attach_freplace(repl, tfd, "ox_no_such_function"));
	SHOW_LINK(bpf_program__attach_freplace(repl, -1, "target_fn"));

	/* Only struct_ops maps attach as struct_ops. */
	{
		struct bpf_object *k = bpf_object__open_file(prog_path("attach_kinds.bpf.o"), NULL);

		SHOW_LINK(bpf_map__attach_struct_ops(bpf_object__find_map_by_name(k, "hits")));
		bpf_object__close(k);
	}

	bpf_object__close(ext);
	bpf_object__close(target);
	printf("fds left open: %d\n", count_fds() - fds);
	return harness_done();
}
