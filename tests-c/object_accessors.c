// oxbpf-test: differential
/*
 * Accessors, setters and iteration of objects, programs and maps that
 * libbpf 1.1 already had, with their errors before and after load; the
 * legacy SEC("maps") refusal; libbpf_prog_type_by_name() on every kind of
 * section name. Identical against Debian's libbpf.
 */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "harness.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static void iteration(void)
{
	struct bpf_object *obj = bpf_object__open_file(prog_path("obj_globals.bpf.o"), NULL);
	struct bpf_object *other = bpf_object__open_file(prog_path("obj_maps.bpf.o"), NULL);
	struct bpf_program *p;
	struct bpf_map *m;

	CHECK(obj && other);
	if (!obj || !other)
		goto out;
	for (p = bpf_object__next_program(obj, NULL); p; p = bpf_object__next_program(obj, p))
		printf("next prog %s\n", bpf_program__name(p));
	for (p = bpf_object__prev_program(obj, NULL); p; p = bpf_object__prev_program(obj, p))
		printf("prev prog %s\n", bpf_program__name(p));
	for (m = bpf_object__next_map(obj, NULL); m; m = bpf_object__next_map(obj, m))
		printf("next map %s\n", bpf_map__name(m));
	for (m = bpf_object__prev_map(obj, NULL); m; m = bpf_object__prev_map(obj, m))
		printf("prev map %s\n", bpf_map__name(m));
	errno = 0;
	CHECK(!bpf_object__next_program(obj, bpf_object__next_program(other, NULL)));
	printf("foreign prog errno=%d\n", errno);
	errno = 0;
	CHECK(!bpf_object__next_map(obj, bpf_object__next_map(other, NULL)));
	printf("foreign map errno=%d\n", errno);
	/* (bpf_object__next_map(NULL, NULL) crashes libbpf 1.1: object_api.c.) */
	/* Subprograms are not found by name. */
	errno = 0;
	CHECK(!bpf_object__find_program_by_name(obj, "plus_data"));
	printf("subprog by name errno=%d\n", errno);
	errno = 0;
	CHECK(!bpf_object__find_map_by_name(obj, "nope"));
	printf("missing map errno=%d\n", errno);
	printf("by real name .rodata: %s\n", bpf_map__name(bpf_object__find_map_by_name(obj, ".rodata")));
	printf("by name obj_glob.rodata: %s\n", bpf_map__name(bpf_object__find_map_by_name(obj, "obj_glob.rodata")));
	printf("fd by name before load: %d, missing: %d\n", bpf_object__find_map_fd_by_name(obj, "obj_glob.bss"),
	       bpf_object__find_map_fd_by_name(obj, "nope"));
out:
	bpf_object__close(obj);
	bpf_object__close(other);
}

static void setters(void)
{
	struct bpf_object *obj = bpf_object__open_file(prog_path("obj_maps.bpf.o"), NULL);
	struct bpf_program *jumper, *tail_a;
	struct bpf_map *ring, *by_type, *outer, *percpu, *pinned, *bloom, *inner;
	int ncpu = libbpf_num_possible_cpus();
	__u32 k = 0;
	char buf[4096];

	CHECK(obj);
	if (!obj)
		return;
	jumper = bpf_object__find_program_by_name(obj, "jumper");
	tail_a = bpf_object__find_program_by_name(obj, "tail_a");
	ring = bpf_object__find_map_by_name(obj, "ring");
	by_type = bpf_object__find_map_by_name(obj, "by_type");
	outer = bpf_object__find_map_by_name(obj, "outer");
	percpu = bpf_object__find_map_by_name(obj, "percpu");
	pinned = bpf_object__find_map_by_name(obj, "pinned_counts");
	bloom = bpf_object__find_map_by_name(obj, "bloom");
	bpf_map__set_pin_path(pinned, NULL);

	printf("kversion set: %d\n", bpf_object__set_kversion(obj, 0x60000));
	printf("kversion: 0x%x\n", bpf_object__kversion(obj));
	printf("jumper: type=%u flags=%u level=%u autoload=%d autoattach=%d\n", bpf_program__type(jumper),
	       bpf_program__flags(jumper), bpf_program__log_level(jumper), bpf_program__autoload(jumper),
	       bpf_program__autoattach(jumper));
	CHECK_EQ(bpf_program__set_type(tail_a, BPF_PROG_TYPE_SOCKET_FILTER), 0);
	CHECK_EQ(bpf_program__set_expected_attach_type(tail_a, BPF_CGROUP_INET_INGRESS), 0);
	CHECK_EQ(bpf_program__set_flags(tail_a, 0), 0);
	CHECK_EQ(bpf_program__set_log_level(tail_a, 0), 0);
	bpf_program__set_autoattach(tail_a, false);
	printf("tail_a autoattach=%d attach=%u\n", bpf_program__autoattach(tail_a),
	       bpf_program__expected_attach_type(tail_a));

	CHECK_EQ(bpf_map__set_max_entries(ring, 5000), 0);
	printf("ring rounded: %u\n", bpf_map__max_entries(ring));
	CHECK_EQ(bpf_map__set_max_entries(by_type, 32), 0);
	CHECK_EQ(bpf_map__set_map_flags(by_type, 0), 0);
	CHECK_EQ(bpf_map__set_numa_node(by_type, 0), 0);
	CHECK_EQ(bpf_map__set_key_size(by_type, 8), 0);
	CHECK_EQ(bpf_map__set_map_extra(bloom, 5), 0);
	printf("by_type: max=%u flags=%u numa=%u key=%u; bloom extra=%llu\n", bpf_map__max_entries(by_type),
	       bpf_map__map_flags(by_type), bpf_map__numa_node(by_type), bpf_map__key_size(by_type),
	       (unsigned long long)bpf_map__map_extra(bloom));
	printf("internal: by_type=%d bss=%d\n", bpf_map__is_internal(by_type),
	       bpf_map__is_internal(bpf_object__find_map_by_name(obj, ".bss")));
	errno = 0;
	inner = bpf_map__inner_map(by_type);
	printf("inner of hash: %p errno=%d\n", (void *)inner, errno);
	inner = bpf_map__inner_map(outer);
	printf("inner of outer: %s type=%u max=%u\n", inner ? bpf_map__name(inner) : "(none)",
	       inner ? bpf_map__type(inner) : 0, inner ? bpf_map__max_entries(inner) : 0);
	CHECK_EQ(bpf_map__set_inner_map_fd(by_type, 3), -EINVAL);
	printf("lookup before load: %d\n", bpf_map__lookup_elem(by_type, &k, 8, buf, 24, 0));
	printf("initial value of a hash map: %p\n", bpf_map__initial_value(by_type, NULL));

	CHECK_EQ(bpf_object__load(obj), 0);

	printf("after load: set_type=%d set_attach=%d set_flags=%d set_level=%d set_autoload=%d kversion=%d\n",
	       bpf_program__set_type(jumper, BPF_PROG_TYPE_XDP),
	       bpf_program__set_expected_attach_type(jumper, 0), bpf_program__set_flags(jumper, 0),
	       bpf_program__set_log_level(jumper, 1), bpf_program__set_autoload(jumper, false),
	       bpf_object__set_kversion(obj, 1));
	printf("after load: max=%d flags=%d numa=%d key=%d type=%d extra=%d autocreate=%d ifindex=%d\n",
	       bpf_map__set_max_entries(by_type, 1), bpf_map__set_map_flags(by_type, 1),
	       bpf_map__set_numa_node(by_type, 1), bpf_map__set_key_size(by_type, 1),
	       bpf_map__set_type(by_type, 2), bpf_map__set_map_extra(bloom, 1),
	       bpf_map__set_autocreate(by_type, false), bpf_map__set_ifindex(by_type, 1));
	printf("inner after load: %p\n", (void *)bpf_map__inner_map(outer));

	/* libbpf's size checks of the element helpers. */
	printf("key size mismatch: %d\n", bpf_map__lookup_elem(by_type, &k, 4, buf, 24, 0));
	printf("value size mismatch: %d\n", bpf_map__update_elem(by_type, buf, 8, buf, 16, 0));
	memset(buf, 0, sizeof(buf));
	{
		char key[8] = { 1 }, val[24] = { 2 }, got[24], next[8];
		int u = bpf_map__update_elem(by_type, key, 8, val, 24, 0);
		int l = bpf_map__lookup_elem(by_type, key, 8, got, 24, 0);
		int n = bpf_map__get_next_key(by_type, NULL, next, 8);
		int d1 = bpf_map__delete_elem(by_type, key, 8, 0);
		int d2 = bpf_map__delete_elem(by_type, key, 8, 0);
		int e = bpf_map__get_next_key(by_type, NULL, next, 8);

		printf("update %d lookup %d (%d) next %d (%d) delete %d %d next of empty %d\n", u, l, got[0], n,
		       next[0], d1, d2, e);
	}
	printf("percpu: plain size %d, rounded size %d\n", bpf_map__lookup_elem(percpu, &k, 4, buf, 4, 0),
	       bpf_map__lookup_elem(percpu, &k, 4, buf, 8 * ncpu, 0));
	bpf_object__close(obj);
}

static void legacy_and_names(void)
{
	static const char *const names[] = {
		"socket", "kprobe/x", "kretprobe", "uprobe.s/x", "ksyscall/x", "usdt/a:b:c", "tc", "xdp.frags",
		"xdp/devmap", "tp/a/b", "raw_tp.w/x", "tp_btf/x", "fentry.s/x", "lsm/x", "iter/task", "syscall",
		"sockops", "sk_skb/stream_parser", "cgroup/sock", "cgroup/sendmsg6", "cgroup/dev", "sk_lookup",
		"struct_ops/x", "flow_dissector", "unknown", "xdp/", "socketx", "",
	};
	struct bpf_object *obj;

	errno = 0;
	obj = bpf_object__open_file(prog_path("obj_legacy_maps.bpf.o"), NULL);
	printf("legacy maps section: %p errno=%d\n", (void *)obj, errno);
	CHECK(!obj && errno == EOPNOTSUPP);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		enum bpf_prog_type pt = 99;
		enum bpf_attach_type at = 99;
		int err = libbpf_prog_type_by_name(names[i], &pt, &at);
		enum bpf_attach_type at2 = 99;
		int err2 = libbpf_attach_type_by_name(names[i], &at2);

		printf("section '%s': %d type=%u attach=%u; attach_by_name %d %u\n", names[i], err, pt, at, err2, at2);
	}
}

int main(void)
{
	libbpf_set_print(quiet);
	iteration();
	setters();
	legacy_and_names();
	return harness_done();
}
