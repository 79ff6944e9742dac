// oxbpf-test: differential
/*
 * Network attachments on the real kernel, proven by the programs'
 * counters: cgroup_skb/egress and cgroup/sock_create links on a cgroup v2
 * directory of our own with this process in it (updated to another
 * program, detached, destroyed); an sk_lookup program on a private network
 * namespace seeing a TCP connection; an XDP program on a veth pair seeing
 * raw frames (a second XDP link refused by the kernel). Traffic after
 * destroy (or detach) is not counted. Same lines against Debian's libbpf.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include "harness.h"
#include "attach_util.h"
#include "net_util.h"

static struct bpf_object *obj;

static struct bpf_program *prog(const char *name)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, name);

	CHECKM(p != NULL, "program %s", name);
	return p;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	r = write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -1;
	close(fd);
	return r;
}

static void test_cgroup(void)
{
	char dir[128], procs[160], pid[32];
	struct bpf_link *skb, *sock;
	__u64 b_skb, b_sock;
	int cg, s;

	snprintf(dir, sizeof(dir), "/sys/fs/cgroup/unified/ox_attach_%d", getpid());
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (mkdir(dir, 0755) && errno != EEXIST)
		SKIP("cannot create a cgroup v2 directory (%s)", strerror(errno));
	cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(cg >= 0);
	skb = SHOW_LINK(bpf_program__attach_cgroup(prog("cg_egress"), cg));
	sock = SHOW_LINK(bpf_program__attach_cgroup(prog("cg_sock"), cg));
	CHECK_EQ(write_file(procs, pid), 0);

	b_skb = hits_of(obj, S_CG_SKB);
	b_sock = hits_of(obj, S_CG_SOCK);
	udp_send(9, 3);
	printf("in the cgroup: %llu packets, %llu sockets\n", (unsigned long long)(hits_of(obj, S_CG_SKB) - b_skb),
	       (unsigned long long)(hits_of(obj, S_CG_SOCK) - b_sock));

	SHOW_RET(bpf_link__update_program(skb, prog("cg_egress2")));
	udp_send(9, 1);
	printf("after update the other program runs: %llu\n", (unsigned long long)cookie_of(obj, S_CG_SKB));
	SHOW_RET(bpf_link__detach(skb));
	b_skb = hits_of(obj, S_CG_SKB);
	udp_send(9, 2);
	printf("after detach: %llu packets\n", (unsigned long long)(hits_of(obj, S_CG_SKB) - b_skb));
	SHOW_RET(bpf_link__detach(skb));
	SHOW_RET(bpf_link__update_program(skb, prog("cg_egress")));
	SHOW_RET(bpf_link__destroy(skb));
	SHOW_RET(bpf_link__destroy(sock));
	b_sock = hits_of(obj, S_CG_SOCK);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	close(s);
	printf("after destroy: %llu sockets\n", (unsigned long long)(hits_of(obj, S_CG_SOCK) - b_sock));

	SHOW_LINK(bpf_program__attach(prog("cg_egress")));
	SHOW_LINK(bpf_program__attach_cgroup(prog("cg_egress"), -1));
	CHECK_EQ(write_file("/sys/fs/cgroup/unified/cgroup.procs", pid), 0);
	close(cg);
	CHECK_EQ(rmdir(dir), 0);
}

static void test_netns(void)
{
	struct bpf_link *l;
	__u64 b;
	int ns, srv, port = 7123;

	ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	CHECK(ns >= 0);
	srv = tcp_listen_local(port);
	CHECK(srv >= 0);
	l = SHOW_LINK(bpf_program__attach_netns(prog("lookup"), ns));
	b = hits_of(obj, S_SK_LOOKUP);
	printf("connect: %d\n", tcp_connect_local(port));
	printf("sk_lookup runs: %d, saw port %llu\n", hits_of(obj, S_SK_LOOKUP) > b, (unsigned long long)cookie_of(obj, S_SK_LOOKUP));
	SHOW_LINK(bpf_program__attach_netns(prog("lookup"), -1));
	SHOW_RET(bpf_link__destroy(l));
	b = hits_of(obj, S_SK_LOOKUP);
	printf("connect: %d\n", tcp_connect_local(port));
	printf("after destroy: %llu\n", (unsigned long long)(hits_of(obj, S_SK_LOOKUP) - b));
	close(srv);
	close(ns);
}

static void test_xdp(void)
{
	char a[IFNAMSIZ], b[IFNAMSIZ];
	struct bpf_link *l;
	int ia, ib;
	__u64 before;

	snprintf(a, sizeof(a), "oxa%d", getpid() % 100000);
	snprintf(b, sizeof(b), "oxb%d", getpid() % 100000);
	CHECK_EQ(make_veth(a, b), 0);
	ia = if_nametoindex(a);
	ib = if_nametoindex(b);
	CHECK(ia > 0 && ib > 0);
	l = SHOW_LINK(bpf_program__attach_xdp(prog("xdp_count"), ib));
	SHOW_LINK(bpf_program__attach_xdp(prog("xdp_count"), ib));
	before = hits_of(obj, S_XDP);
	printf("frames sent: %d\n", send_frames(ia, 5));
	for (int i = 0; i < 100 && hits_of(obj, S_XDP) - before < 5; i++)
		usleep(10000);
	printf("XDP saw them all: %d\n", hits_of(obj, S_XDP) - before >= 5);
	SHOW_RET(bpf_link__destroy(l));
	before = hits_of(obj, S_XDP);
	printf("frames sent: %d\n", send_frames(ia, 5));
	usleep(20000);
	printf("after destroy: %llu\n", (unsigned long long)(hits_of(obj, S_XDP) - before));
	SHOW_LINK(bpf_program__attach_xdp(prog("xdp_count"), 0x7fffff));
	run_cmd("ip link del %s", a);
}

int main(void)
{
	int fds;

	libbpf_set_print(quiet_print);
	fds = count_fds();
	obj = bpf_object__open_file(prog_path("attach_kinds.bpf.o"), NULL);
	if (!obj)
		SKIP("cannot open attach_kinds.bpf.o");
	SHOW_RET(bpf_object__load(obj));
	CHECK_EQ(set_test_pid(obj), 0);
	test_cgroup();
	if (private_netns())
		SKIP("cannot create a network namespace (%s)", strerror(errno));
	test_netns();
	test_xdp();
	bpf_object__close(obj);
	printf("fds left open: %d\n", count_fds() - fds);
	return harness_done();
}
