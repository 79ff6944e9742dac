// oxbpf-test: differential
/*
 * bpf_object__attach_skeleton() and detach on the real kernel, with a
 * bpftool skeleton: tracepoint, raw tracepoint, uprobe on this binary,
 * iterator and a custom SEC() handler's attach callback are attached and
 * count; a link set by hand is kept; programs without target, without
 * auto-attach, not loaded or with autoattach off are skipped (NULL link).
 * After detach the links are NULL and nothing counts; a second attach
 * works; destroying the skeleton destroys its links. Same lines against
 * Debian's libbpf.
 */
#include <stdlib.h>
#include "harness.h"
#include "attach_util.h"
#include "attach_skel.skel.h"

__attribute__((noinline, used)) int ox_skel_target(int x)
{
	asm volatile("" ::: "memory");
	return x + 7;
}

static int (*volatile call_target)(int) = ox_skel_target;
static int custom_calls;

static int custom_attach(const struct bpf_program *prog, long cookie, struct bpf_link **link)
{
	custom_calls++;
	printf("custom attach callback: cookie %ld\n", cookie);
	*link = bpf_program__attach_raw_tracepoint(prog, "sys_enter");
	return *link ? 0 : -errno;
}

static void counts(struct attach_skel *s, const char *when)
{
	struct bpf_object *o = s->obj;
	__u64 tp = hits_of(o, S_SKEL_TP), raw = hits_of(o, S_SKEL_RAW), up = hits_of(o, S_SKEL_UPROBE),
	      cu = hits_of(o, S_CUSTOM);

	getppid_n(3);
	call_target(1);
	call_target(2);
	printf("%s: tp %llu raw %llu uprobe %llu custom %llu\n", when, (unsigned long long)(hits_of(o, S_SKEL_TP) - tp),
	       (unsigned long long)(hits_of(o, S_SKEL_RAW) - raw), (unsigned long long)(hits_of(o, S_SKEL_UPROBE) - up),
	       (unsigned long long)(hits_of(o, S_CUSTOM) - cu));
}

static void links(struct attach_skel *s)
{
	printf("links: tp %d off %d raw %d up %d iter %d custom %d no_target %d xdp %d not_loaded %d\n",
	       !!s->links.skel_tp, !!s->links.skel_off, !!s->links.skel_raw, !!s->links.skel_up, !!s->links.skel_iter,
	       !!s->links.skel_custom, !!s->links.skel_no_target, !!s->links.skel_xdp, !!s->links.skel_not_loaded);
}

int main(void)
{
	LIBBPF_OPTS(libbpf_prog_handler_opts, h, .cookie = 99, .prog_attach_fn = custom_attach);
	struct attach_skel *s;
	struct bpf_link *manual, *l;
	__u32 k = 0, pid = getpid();
	int id, fds;

	libbpf_set_print(quiet_print);
	fds = count_fds();
	id = libbpf_register_prog_handler("ox_attach_custom+", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, &h);
	CHECK(id > 0);
	s = attach_skel__open();
	if (!s)
		SKIP("cannot open the skeleton");
	bpf_program__set_autoattach(s->progs.skel_off, false);
	SHOW_RET(attach_skel__load(s));
	CHECK_EQ(bpf_map__update_elem(s->maps.cfg, &k, sizeof(k), &pid, sizeof(pid), 0), 0);

	/* A link set by hand stays. */
	manual = s->links.skel_raw = bpf_program__attach_raw_tracepoint(s->progs.skel_raw, "sys_enter");
	CHECK(manual != NULL);
	SHOW_RET(attach_skel__attach(s));
	links(s);
	printf("hand-made link kept: %d, custom callback calls: %d\n", s->links.skel_raw == manual, custom_calls);
	counts(s, "attached");

	/* Explicit auto-attach of the custom section goes through the callback too. */
	l = SHOW_LINK(bpf_program__attach(s->progs.skel_custom));
	bpf_link__destroy(l);

	attach_skel__detach(s);
	links(s);
	counts(s, "detached");
	attach_skel__detach(s);

	SHOW_RET(attach_skel__attach(s));
	links(s);
	counts(s, "attached again");
	attach_skel__destroy(s);
	CHECK_EQ(libbpf_unregister_prog_handler(id), 0);
	printf("fds left open: %d\n", count_fds() - fds);
	return harness_done();
}
