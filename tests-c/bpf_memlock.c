/*
 * libbpf_set_memlock_rlim(): accepted before the first map, program or BTF
 * object is created, -EBUSY after (even when that first creation failed on
 * its arguments). On this kernel BPF memory is charged to the memory cgroup,
 * so RLIMIT_MEMLOCK itself is left alone.
 */
#include <sys/resource.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include "harness.h"
#include "syscall_util.h"

static int child_bad_opts_then_set(void)
{
	struct {
		struct bpf_map_create_opts o;
		char tail[8];
	} big = {};

	big.o.sz = sizeof(big);
	big.tail[0] = 1;
	if (bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_ml", 4, 4, 1, &big.o) != -EINVAL)
		return 1;
	return libbpf_set_memlock_rlim(1 << 20) == -EBUSY && errno == EBUSY ? 0 : 2;
}

int main(void)
{
	struct rlimit before, after;
	int fd, status;
	pid_t pid;

	pid = fork();
	if (pid == 0)
		_exit(child_bad_opts_then_set());
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);

	CHECK_EQ(getrlimit(RLIMIT_MEMLOCK, &before), 0);
	CHECK_EQ(libbpf_set_memlock_rlim(64 << 20), 0);
	CHECK_EQ(libbpf_set_memlock_rlim(128 << 20), 0); /* may change its mind until then */
	/* Lookups and the like do not count as creating anything. */
	__u32 k = 0, v;
	CHECK_EQ(bpf_map_lookup_elem(-1, &k, &v), -EBADF);
	CHECK_EQ(libbpf_set_memlock_rlim(0), 0);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_ml", 4, 4, 1, NULL);
	CHECK(fd_ok(fd));
	CHECK_EQ(libbpf_set_memlock_rlim(1 << 20), -EBUSY);
	CHECK_EQ(errno, EBUSY);
	CHECK_EQ(getrlimit(RLIMIT_MEMLOCK, &after), 0);
	CHECK_EQ(after.rlim_cur, before.rlim_cur);
	CHECK_EQ(after.rlim_max, before.rlim_max);
	close(fd);
	return harness_done();
}
