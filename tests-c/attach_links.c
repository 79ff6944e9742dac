// oxbpf-test: differential
/*
 * struct bpf_link on the real kernel: fd, pin (parent directory created,
 * EBUSY when pinned, EINVAL outside bpffs), pin path, unpin, a pinned link
 * outliving its creator and reopened with bpf_link__open(), then updated
 * with another program (an iterator link whose output changes), detach,
 * disconnect (the program stays attached after destroy), and destroy of
 * NULL. Same lines against Debian's libbpf.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include "harness.h"
#include "attach_util.h"

static struct bpf_object *obj;

static struct bpf_program *prog(const char *name)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, name);

	CHECKM(p != NULL, "program %s", name);
	return p;
}

static void read_iter(struct bpf_link *l, const char *what)
{
	char buf[4096], a[64], b[64];
	int fd = bpf_iter_create(bpf_link__fd(l)), n, total = 0;

	CHECK(fd >= 0);
	while (fd >= 0 && (n = read(fd, buf + total, sizeof(buf) - 1 - total)) > 0)
		total += n;
	buf[total] = 0;
	if (fd >= 0)
		close(fd);
	snprintf(a, sizeof(a), "task %d ", getpid());
	snprintf(b, sizeof(b), "second %d\n", getpid());
	printf("%s: first program %d, second program %d\n", what, strstr(buf, a) != NULL, strstr(buf, b) != NULL);
}

static void test_pins(void)
{
	char dir[128], path[160], other[160];
	struct bpf_link *l, *again;
	struct stat st;
	__u64 before;

	snprintf(dir, sizeof(dir), "/sys/fs/bpf/ox_links_%d", getpid());
	snprintf(path, sizeof(path), "%s/raw", dir);
	l = SHOW_LINK(bpf_program__attach_raw_tracepoint(prog("raw_sys_enter"), "sys_enter"));
	printf("fd above stderr: %d, pin path before: %s\n", bpf_link__fd(l) > 2, bpf_link__pin_path(l) ? "set" : "NULL");
	SHOW_RET(bpf_link__unpin(l));
	SHOW_RET(bpf_link__pin(l, path));
	printf("pin path matches: %d, pinned file exists: %d\n", bpf_link__pin_path(l) && !strcmp(bpf_link__pin_path(l), path),
	       stat(path, &st) == 0);
	SHOW_RET(bpf_link__pin(l, path));
	/* The pin keeps the program attached after its creator is gone. */
	SHOW_RET(bpf_link__destroy(l));
	before = hits_of(obj, S_RAW_TP);
	getppid_n(3);
	printf("hits through the pin: %llu\n", (unsigned long long)(hits_of(obj, S_RAW_TP) - before));
	again = SHOW_LINK(bpf_link__open(path));
	printf("reopened: fd above stderr %d, pin path matches %d\n", bpf_link__fd(again) > 2,
	       bpf_link__pin_path(again) && !strcmp(bpf_link__pin_path(again), path));
	SHOW_RET(bpf_link__update_program(again, prog("tp_getppid")));
	SHOW_RET(bpf_link__unpin(again));
	printf("pin path after unpin: %s, file exists: %d\n", bpf_link__pin_path(again) ? "set" : "NULL", stat(path, &st) == 0);
	SHOW_RET(bpf_link__unpin(again));
	SHOW_RET(bpf_link__destroy(again));
	before = hits_of(obj, S_RAW_TP);
	getppid_n(3);
	printf("hits after the last reference: %llu\n", (unsigned long long)(hits_of(obj, S_RAW_TP) - before));

	SHOW_LINK(bpf_link__open(path));
	l = SHOW_LINK(bpf_program__attach_raw_tracepoint(prog("raw_sys_enter"), "sys_enter"));
	snprintf(other, sizeof(other), "/tmp/ox_link_pin_%d", getpid());
	SHOW_RET(bpf_link__pin(l, other));
	SHOW_RET(bpf_link__detach(l));
	bpf_link__destroy(l);
	rmdir(dir);
}

static void test_update(void)
{
	char path[128];
	struct bpf_link *l, *again;

	snprintf(path, sizeof(path), "/sys/fs/bpf/ox_iter_link_%d", getpid());
	l = SHOW_LINK(bpf_program__attach_iter(prog("dump_task"), NULL));
	read_iter(l, "iterator link");
	SHOW_RET(bpf_link__pin(l, path));
	again = SHOW_LINK(bpf_link__open(path));
	SHOW_RET(bpf_link__update_program(again, prog("dump_task2")));
	read_iter(again, "updated through the reopened pin");
	read_iter(l, "seen from the first handle");
	SHOW_RET(bpf_link__update_program(again, prog("tp_getppid")));
	SHOW_RET(bpf_link__unpin(again));
	bpf_link__destroy(again);
	bpf_link__destroy(l);
}

static void test_disconnect(void)
{
	struct bpf_link *l;
	__u64 before;
	int fd;

	l = SHOW_LINK(bpf_program__attach_raw_tracepoint(prog("raw_sys_enter"), "sys_enter"));
	fd = bpf_link__fd(l);
	bpf_link__disconnect(l);
	SHOW_RET(bpf_link__destroy(l));
	before = hits_of(obj, S_RAW_TP);
	getppid_n(2);
	printf("disconnected link still attached: %llu\n", (unsigned long long)(hits_of(obj, S_RAW_TP) - before));
	printf("its fd is still open: %d\n", close(fd) == 0);
	before = hits_of(obj, S_RAW_TP);
	getppid_n(2);
	printf("after closing its fd: %llu\n", (unsigned long long)(hits_of(obj, S_RAW_TP) - before));
	SHOW_RET(bpf_link__destroy(NULL));
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
	test_pins();
	test_update();
	test_disconnect();
	bpf_object__close(obj);
	printf("fds left open: %d\n", count_fds() - fds);
	return harness_done();
}
