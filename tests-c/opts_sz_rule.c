// oxbpf-test: differential
/*
 * The opts `sz` rule on a real function (bpf_map_create): a caller built
 * against a newer libbpf passes a larger struct; a non-zero byte past what
 * the library knows is -EINVAL (errno EINVAL, and a warning through the
 * print callback), a zero tail is accepted; an older caller's smaller `sz`
 * is accepted and fields past it are ignored; an `sz` smaller than size_t
 * is refused. Same lines against Debian's libbpf.
 */
#include <stdarg.h>
#include <stddef.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "harness.h"
#include "syscall_util.h"

static int print_cb(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[256];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	printf("print level=%d: %s", (int)level, buf);
	return 0;
}

struct newer_opts {
	struct bpf_map_create_opts o;
	char tail[16];
};

int main(void)
{
	struct newer_opts big;
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int fd;

	libbpf_set_print(print_cb);

	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	big.tail[5] = 1;
	SHOW_FD(bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_sz", 4, 4, 1, &big.o));

	big.tail[5] = 0;
	fd = SHOW_FD(bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_sz", 4, 4, 1, &big.o));
	close(fd);

	/* An older caller knowing fields up to map_flags only: what lies past
	 * its sz (an impossible NUMA node) is never read. */
	memset(&big, 0, sizeof(big));
	big.o.sz = offsetof(struct bpf_map_create_opts, map_flags) + sizeof(big.o.map_flags);
	big.o.map_flags = BPF_F_NO_PREALLOC;
	big.o.numa_node = 100000;
	fd = SHOW_FD(bpf_map_create(BPF_MAP_TYPE_HASH, "ox_sz_old", 4, 4, 1, &big.o));
	CHECK_EQ(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	printf("older caller: map_flags %#x\n", info.map_flags);
	close(fd);

	big.o.sz = 4;
	SHOW_FD(bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_sz", 4, 4, 1, &big.o));

	libbpf_set_print(NULL);
	big.o.sz = sizeof(big);
	big.tail[0] = 1;
	SHOW_FD(bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_sz", 4, 4, 1, &big.o)); /* silent */
	return harness_done();
}
