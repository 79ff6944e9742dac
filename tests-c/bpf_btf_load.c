// oxbpf-test: differential
/*
 * bpf_btf_load() of a small hand-built BTF on the real kernel: the object
 * loads, its info (size, raw bytes) matches, the id walk and
 * bpf_btf_get_fd_by_id() find it; broken BTF fails with the kernel's
 * explanation in the caller's log buffer under the log rules.
 * Allowed difference ("~"): log_true_size exists in libbpf >= 1.2 only.
 */
#include <stdint.h>
#include <stdlib.h>
#include <linux/btf.h>
#include <bpf/bpf.h>
#include "harness.h"
#include "syscall_util.h"

struct raw_btf {
	struct btf_header hdr;
	__u32 types[4];
	char strs[5];
} __attribute__((packed));

static struct raw_btf make_btf(void)
{
	struct raw_btf b = {
		.hdr = {
			.magic = BTF_MAGIC,
			.version = BTF_VERSION,
			.hdr_len = sizeof(struct btf_header),
			.type_off = 0,
			.type_len = sizeof(b.types),
			.str_off = sizeof(b.types),
			.str_len = sizeof(b.strs),
		},
		/* [1] int: signed, 32 bits */
		.types = { 1, BTF_KIND_INT << 24, 4, (BTF_INT_SIGNED << 24) | 32 },
		.strs = "\0int",
	};
	return b;
}

int main(void)
{
	struct raw_btf b = make_btf();
	char log[1024], raw[128];
	struct bpf_btf_info info = {};
	__u32 len = sizeof(info), id, next;
	LIBBPF_OPTS(bpf_btf_load_opts, o);
	int fd, fd2, found = 0, ret;

	fd = SHOW_FD(bpf_btf_load(&b, sizeof(b), NULL));
	CHECK(fd_ok(fd));
	info.btf = (__u64)(unsigned long)raw;
	info.btf_size = sizeof(raw);
	SHOW(bpf_obj_get_info_by_fd(fd, &info, &len));
	printf("btf_size %u raw matches %s kernel_btf %u\n", info.btf_size,
	       memcmp(raw, &b, sizeof(b)) ? "no" : "yes", info.kernel_btf);
	id = info.id;
	CHECK(id > 0);

	for (next = 0; bpf_btf_get_next_id(next, &next) == 0;)
		found += next == id;
	printf("walk found our BTF: %d, end errno %d\n", found, errno);
	fd2 = SHOW_FD(bpf_btf_get_fd_by_id(id));
	CHECK(fd_ok(fd2));
	close(fd2);
	SHOW_FD(bpf_btf_get_fd_by_id(0xfffffff0));
	close(fd);

	/* Broken: a type referring to itself through a bad id. */
	b.types[1] = BTF_KIND_PTR << 24;
	b.types[2] = 77;
	SHOW_FD(bpf_btf_load(&b, sizeof(b), NULL));

	memset(log, 0, sizeof(log));
	o.log_buf = log;
	o.log_size = sizeof(log);
	ret = bpf_btf_load(&b, sizeof(b), &o);
	printf("level 0 + buf: ret %d errno %d log: %s\n", ret, errno, strstr(log, "Invalid") ? "explains" : log);
	note("log_true_size %u (log length %zu)", o.log_true_size, strlen(log));
	if (!harness_is_reference())
		CHECK(o.log_true_size == strlen(log) + 1);

	/* Too small a buffer: ENOSPC. */
	memset(log, 'x', sizeof(log));
	o.log_size = 16;
	o.log_level = 1;
	ret = bpf_btf_load(&b, sizeof(b), &o);
	printf("small buffer: ret %d errno %d log length %zu\n", ret, errno, strnlen(log, sizeof(log)));

	/* A good BTF with a log level: loads, log written. */
	b = make_btf();
	memset(log, 0, sizeof(log));
	o.log_size = sizeof(log);
	fd = SHOW_FD(bpf_btf_load(&b, sizeof(b), &o));
	close(fd);

	/* log_size without a buffer. */
	o.log_buf = NULL;
	SHOW_FD(bpf_btf_load(&b, sizeof(b), &o));
	/* Bad magic, bad size. */
	b.hdr.magic = 0x1234;
	SHOW_FD(bpf_btf_load(&b, sizeof(b), NULL));
	b = make_btf();
	SHOW_FD(bpf_btf_load(&b, 8, NULL));
	return harness_done();
}
