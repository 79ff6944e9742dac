// oxbpf-test: differential
/*
 * Objects by path and by id, on the real kernel: pin a map and a program
 * in bpffs and get them back (read-only and write-only file_flags
 * enforced), bpf_obj_get_info_by_fd fields (names, types, ids, sizes, the
 * map ids a program uses, short and oversized info_len), and the
 * get_next_id / get_fd_by_id walks finding what we created. Same lines
 * against Debian's libbpf.
 */
#include <stdlib.h>
#include <bpf/bpf.h>
#include "harness.h"
#include "syscall_util.h"

static int walk_finds(int (*next)(__u32, __u32 *), __u32 id)
{
	__u32 cur = 0;
	int found = 0;

	while (next(cur, &cur) == 0)
		found += cur == id;
	return found && errno == ENOENT;
}

int main(void)
{
	char map_path[64], prog_path[64];
	struct bpf_map_info minfo = {};
	struct bpf_prog_info pinfo = {};
	__u32 len, key = 0, val = 5, map_ids[4];
	int map, prog, fd, ro, wo;

	snprintf(map_path, sizeof(map_path), "/sys/fs/bpf/ox_pin_map_%d", getpid());
	snprintf(prog_path, sizeof(prog_path), "/sys/fs/bpf/ox_pin_prog_%d", getpid());

	map = SHOW_FD(bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_obj_map", 4, 4, 1, NULL));
	struct bpf_insn insns[] = {
		I_LD_MAP_FD(BPF_REG_1, map),
		I_MOV64_IMM(BPF_REG_0, 0),
		I_EXIT(),
	};
	prog = SHOW_FD(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ox_obj_prog", "GPL", insns, ARRAY_LEN(insns), NULL));

	/* Info. */
	len = sizeof(minfo);
	SHOW(bpf_obj_get_info_by_fd(map, &minfo, &len));
	printf("map info: len %s name %s type %u key %u value %u max %u\n", len == sizeof(minfo) ? "full" : "short",
	       minfo.name, minfo.type, minfo.key_size, minfo.value_size, minfo.max_entries);
	pinfo.nr_map_ids = 4;
	pinfo.map_ids = (__u64)(unsigned long)map_ids;
	len = sizeof(pinfo);
	SHOW(bpf_obj_get_info_by_fd(prog, &pinfo, &len));
	printf("prog info: name %s type %u nr_map_ids %u uses our map %d\n", pinfo.name, pinfo.type, pinfo.nr_map_ids,
	       pinfo.nr_map_ids >= 1 && map_ids[0] == minfo.id);
	len = 8;
	memset(&minfo, 0, sizeof(minfo));
	SHOW(bpf_obj_get_info_by_fd(map, &minfo, &len));
	printf("short info_len: %u, type %u id set %d key_size %u\n", len, minfo.type, minfo.id != 0, minfo.key_size);
	struct {
		struct bpf_map_info i;
		char extra[64];
	} big = {};
	big.extra[10] = 1;
	len = sizeof(big);
	SHOW(bpf_obj_get_info_by_fd(map, &big, &len));
	SHOW(bpf_obj_get_info_by_fd(-1, &minfo, &len));
	len = sizeof(minfo);
	CHECK_EQ(bpf_obj_get_info_by_fd(map, &minfo, &len), 0);

	/* Pin and get back. */
	SHOW(bpf_obj_pin(map, map_path));
	SHOW(bpf_obj_pin(map, map_path)); /* EEXIST */
	SHOW(bpf_obj_pin(prog, prog_path));
	SHOW(bpf_obj_pin(map, "/tmp/not_bpffs"));
	fd = SHOW_FD(bpf_obj_get(map_path));
	CHECK(fd_ok(fd));
	SHOW(bpf_map_update_elem(fd, &key, &val, BPF_ANY));
	close(fd);
	LIBBPF_OPTS(bpf_obj_get_opts, ro_opts, .file_flags = BPF_F_RDONLY);
	ro = SHOW_FD(bpf_obj_get_opts(map_path, &ro_opts));
	SHOW(bpf_map_update_elem(ro, &key, &val, BPF_ANY)); /* EPERM */
	val = 0;
	SHOW(bpf_map_lookup_elem(ro, &key, &val));
	CHECK_EQ(val, 5);
	LIBBPF_OPTS(bpf_obj_get_opts, wo_opts, .file_flags = BPF_F_WRONLY);
	wo = SHOW_FD(bpf_obj_get_opts(map_path, &wo_opts));
	SHOW(bpf_map_lookup_elem(wo, &key, &val)); /* EPERM */
	SHOW(bpf_map_update_elem(wo, &key, &val, BPF_ANY));
	close(ro);
	close(wo);
	fd = SHOW_FD(bpf_obj_get(prog_path));
	len = sizeof(pinfo);
	memset(&pinfo, 0, sizeof(pinfo));
	CHECK_EQ(bpf_obj_get_info_by_fd(fd, &pinfo, &len), 0);
	printf("pinned prog is ours: %d\n", strcmp(pinfo.name, "ox_obj_prog") == 0);
	close(fd);
	SHOW_FD(bpf_obj_get("/sys/fs/bpf/ox_does_not_exist"));
	LIBBPF_OPTS(bpf_obj_get_opts, bad_opts, .file_flags = 1u << 30);
	SHOW_FD(bpf_obj_get_opts(map_path, &bad_opts));
	unlink(map_path);
	unlink(prog_path);

	/* Id walks. */
	len = sizeof(minfo);
	CHECK_EQ(bpf_obj_get_info_by_fd(map, &minfo, &len), 0);
	len = sizeof(pinfo);
	memset(&pinfo, 0, sizeof(pinfo));
	CHECK_EQ(bpf_obj_get_info_by_fd(prog, &pinfo, &len), 0);
	printf("map walk finds ours: %d\n", walk_finds(bpf_map_get_next_id, minfo.id));
	printf("prog walk finds ours: %d\n", walk_finds(bpf_prog_get_next_id, pinfo.id));
	fd = SHOW_FD(bpf_map_get_fd_by_id(minfo.id));
	CHECK(fd_ok(fd));
	close(fd);
	LIBBPF_OPTS(bpf_get_fd_by_id_opts, id_ro, .open_flags = BPF_F_RDONLY);
	fd = SHOW_FD(bpf_map_get_fd_by_id_opts(minfo.id, &id_ro));
	SHOW(bpf_map_update_elem(fd, &key, &val, BPF_ANY));
	close(fd);
	fd = SHOW_FD(bpf_prog_get_fd_by_id(pinfo.id));
	CHECK(fd_ok(fd));
	close(fd);
	SHOW_FD(bpf_prog_get_fd_by_id_opts(pinfo.id, &id_ro)); /* programs take no flags */
	SHOW_FD(bpf_map_get_fd_by_id(0));
	SHOW_FD(bpf_prog_get_fd_by_id(0xfffffff0));
	SHOW_FD(bpf_link_get_fd_by_id(0xfffffff0));
	__u32 last;
	SHOW(bpf_map_get_next_id(0xfffffff0, &last));
	SHOW(bpf_prog_get_next_id(0xfffffff0, &last));
	SHOW(bpf_link_get_next_id(0xfffffff0, &last));
	SHOW(bpf_btf_get_next_id(0xfffffff0, &last));
	close(prog);
	close(map);
	return harness_done();
}
