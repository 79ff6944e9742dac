// oxbpf-test: differential
/*
 * Maps through the low-level API, on the real kernel: every common map type
 * created, written and read back (per-CPU layout included), iteration,
 * lookup-and-delete, freeze, and the error paths (missing key, EEXIST,
 * E2BIG, bad fd, bad flags). Run against Debian's libbpf too: same lines.
 */
#include <stdint.h>
#include <stdlib.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "harness.h"
#include "syscall_util.h"

static int ncpus;

static void test_hash(void)
{
	__u32 key, next;
	__u64 val;
	int fd, n;

	fd = SHOW_FD(bpf_map_create(BPF_MAP_TYPE_HASH, "ox_hash", 4, 8, 4, NULL));
	CHECK(fd_ok(fd));
	for (key = 1; key <= 4; key++) {
		val = key * 1000;
		CHECK_EQ(bpf_map_update_elem(fd, &key, &val, BPF_NOEXIST), 0);
	}
	key = 5, val = 1;
	SHOW(bpf_map_update_elem(fd, &key, &val, BPF_NOEXIST)); /* full: E2BIG */
	key = 1;
	SHOW(bpf_map_update_elem(fd, &key, &val, BPF_NOEXIST)); /* EEXIST */
	key = 9;
	SHOW(bpf_map_update_elem(fd, &key, &val, BPF_EXIST)); /* ENOENT */
	SHOW(bpf_map_update_elem(fd, &key, &val, 1000)); /* bad flags */
	SHOW(bpf_map_lookup_elem(fd, &key, &val)); /* missing key */
	key = 3;
	CHECK_EQ(bpf_map_lookup_elem(fd, &key, &val), 0);
	CHECK_EQ(val, 3000);
	SHOW(bpf_map_lookup_elem_flags(fd, &key, &val, 0));

	/* Walk: every key once, then ENOENT. */
	n = 0;
	unsigned seen = 0;
	if (bpf_map_get_next_key(fd, NULL, &next) == 0) {
		do {
			seen |= 1u << next;
			n++;
			key = next;
		} while (bpf_map_get_next_key(fd, &key, &next) == 0);
		printf("walk: %d keys, mask %#x, last errno=%d\n", n, seen, errno);
	}

	key = 2;
	SHOW(bpf_map_lookup_and_delete_elem(fd, &key, &val));
	CHECK_EQ(val, 2000);
	SHOW(bpf_map_lookup_and_delete_elem(fd, &key, &val));
	key = 4;
	SHOW(bpf_map_delete_elem(fd, &key));
	SHOW(bpf_map_delete_elem(fd, &key));
	key = 3;
	SHOW(bpf_map_delete_elem_flags(fd, &key, 0));
	key = 1;
	SHOW(bpf_map_lookup_and_delete_elem_flags(fd, &key, &val, 0));
	CHECK_EQ(val, 1000);
	SHOW(bpf_map_get_next_key(fd, NULL, &next)); /* empty */
	close(fd);
}

static void test_array_and_freeze(void)
{
	__u32 key = 1, val = 77;
	int fd = SHOW_FD(bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_array", 4, 4, 2, NULL));

	CHECK(fd_ok(fd));
	SHOW(bpf_map_update_elem(fd, &key, &val, BPF_ANY));
	val = 0;
	SHOW(bpf_map_lookup_elem(fd, &key, &val));
	CHECK_EQ(val, 77);
	SHOW(bpf_map_delete_elem(fd, &key)); /* arrays cannot delete */
	key = 2;
	SHOW(bpf_map_update_elem(fd, &key, &val, BPF_ANY)); /* out of range */
	SHOW(bpf_map_update_elem(fd, &key, &val, BPF_NOEXIST)); /* arrays: EEXIST */
	SHOW(bpf_map_freeze(fd));
	key = 0;
	SHOW(bpf_map_update_elem(fd, &key, &val, BPF_ANY)); /* frozen: EPERM */
	SHOW(bpf_map_lookup_elem(fd, &key, &val));
	close(fd);
}

static void test_percpu(enum bpf_map_type type, const char *name)
{
	size_t slot = 8; /* value_size 4, rounded up to 8 per CPU */
	unsigned char *vals = calloc(ncpus, slot), *back = calloc(ncpus, slot);
	__u32 key = 1;
	int fd = SHOW_FD(bpf_map_create(type, name, 4, 4, 4, NULL));

	CHECK(fd_ok(fd));
	for (int c = 0; c < ncpus; c++)
		*(__u32 *)(vals + c * slot) = 100 * (c + 1) + key;
	SHOW(bpf_map_update_elem(fd, &key, vals, BPF_ANY));
	memset(back, 0xff, ncpus * slot);
	SHOW(bpf_map_lookup_elem(fd, &key, back));
	for (int c = 0; c < ncpus; c++)
		CHECKM(*(__u32 *)(back + c * slot) == 100u * (c + 1) + key, "cpu %d", c);
	close(fd);
	free(vals);
	free(back);
}

static void test_lru(void)
{
	__u32 key, val;
	int fd = SHOW_FD(bpf_map_create(BPF_MAP_TYPE_LRU_HASH, "ox_lru", 4, 4, 64, NULL));
	int found = 0;

	for (key = 0; key < 1000; key++) {
		val = key;
		if (bpf_map_update_elem(fd, &key, &val, BPF_ANY))
			printf("lru update %u failed errno=%d\n", key, errno);
	}
	key = 999;
	SHOW(bpf_map_lookup_elem(fd, &key, &val)); /* most recent survives */
	CHECK_EQ(val, 999);
	for (key = 0; key < 1000; key++)
		found += bpf_map_lookup_elem(fd, &key, &val) == 0;
	CHECK(found <= 64 + 2 * ncpus * 64); /* bounded: old entries evicted */
	CHECK(found < 1000);
	close(fd);
}

struct lpm_key {
	__u32 prefixlen;
	__u8 addr[4];
};

static void test_lpm(void)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = BPF_F_NO_PREALLOC);
	struct lpm_key k;
	__u32 v;
	int fd;

	SHOW_FD(bpf_map_create(BPF_MAP_TYPE_LPM_TRIE, "ox_lpm", sizeof(k), 4, 16, NULL)); /* needs NO_PREALLOC */
	fd = SHOW_FD(bpf_map_create(BPF_MAP_TYPE_LPM_TRIE, "ox_lpm", sizeof(k), 4, 16, &o));
	k = (struct lpm_key){ 8, { 10, 0, 0, 0 } }, v = 1;
	SHOW(bpf_map_update_elem(fd, &k, &v, BPF_ANY));
	k = (struct lpm_key){ 16, { 10, 1, 0, 0 } }, v = 2;
	SHOW(bpf_map_update_elem(fd, &k, &v, BPF_ANY));
	k = (struct lpm_key){ 32, { 10, 1, 2, 3 } };
	SHOW(bpf_map_lookup_elem(fd, &k, &v));
	CHECK_EQ(v, 2);
	k = (struct lpm_key){ 32, { 10, 2, 2, 3 } };
	SHOW(bpf_map_lookup_elem(fd, &k, &v));
	CHECK_EQ(v, 1);
	k = (struct lpm_key){ 32, { 11, 1, 2, 3 } };
	SHOW(bpf_map_lookup_elem(fd, &k, &v));
	close(fd);
}

static void test_queue_stack(enum bpf_map_type type, const char *name)
{
	__u32 v;
	int fd = SHOW_FD(bpf_map_create(type, name, 0, 4, 3, NULL));

	for (v = 1; v <= 3; v++)
		CHECK_EQ(bpf_map_update_elem(fd, NULL, &v, BPF_ANY), 0);
	v = 4;
	SHOW(bpf_map_update_elem(fd, NULL, &v, BPF_ANY)); /* full */
	SHOW(bpf_map_lookup_elem(fd, NULL, &v)); /* peek */
	printf("%s peek %u\n", name, v);
	for (int i = 0; i < 3; i++) {
		SHOW(bpf_map_lookup_and_delete_elem(fd, NULL, &v));
		printf("%s pop %u\n", name, v);
	}
	SHOW(bpf_map_lookup_and_delete_elem(fd, NULL, &v)); /* empty */
	close(fd);
}

static void test_bloom(void)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_extra = 3);
	__u32 v;
	int fd = SHOW_FD(bpf_map_create(BPF_MAP_TYPE_BLOOM_FILTER, "ox_bloom", 0, 4, 100, &o));
	int hits = 0;

	for (v = 0; v < 10; v++)
		CHECK_EQ(bpf_map_update_elem(fd, NULL, &v, BPF_ANY), 0);
	for (v = 0; v < 10; v++)
		hits += bpf_map_lookup_elem(fd, NULL, &v) == 0;
	printf("bloom: %d of 10 present\n", hits);
	v = 123456;
	SHOW(bpf_map_lookup_elem(fd, NULL, &v));
	close(fd);
}

static void test_ringbuf(void)
{
	__u32 k = 0, v = 0;
	int fd = SHOW_FD(bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ox_rb", 0, 0, 4096, NULL));

	SHOW(bpf_map_lookup_elem(fd, &k, &v));
	SHOW_FD(bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ox_rb_bad", 0, 0, 1000, NULL)); /* not a power of 2 */
	close(fd);
}

static void test_map_in_map(enum bpf_map_type type, const char *name)
{
	LIBBPF_OPTS(bpf_map_create_opts, o);
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), key = 0, id = 0;
	int inner = SHOW_FD(bpf_map_create(BPF_MAP_TYPE_ARRAY, "ox_inner", 4, 4, 1, NULL));
	int outer, bad;

	SHOW_FD(bpf_map_create(type, name, 4, 4, 2, NULL)); /* no inner map */
	o.inner_map_fd = inner;
	outer = SHOW_FD(bpf_map_create(type, name, 4, 4, 2, &o));
	SHOW(bpf_map_update_elem(outer, &key, &inner, BPF_ANY));
	SHOW(bpf_map_lookup_elem(outer, &key, &id));
	CHECK_EQ(bpf_obj_get_info_by_fd(inner, &info, &len), 0);
	CHECK(id != 0 && id == info.id);
	bad = 12345;
	SHOW(bpf_map_update_elem(outer, &key, &bad, BPF_ANY)); /* not an fd */
	close(outer);
	close(inner);
}

static void test_create_errors(void)
{
	__u32 key = 0, val = 0;

	SHOW_FD(bpf_map_create(9999, "ox_bad", 4, 4, 1, NULL));
	SHOW_FD(bpf_map_create(BPF_MAP_TYPE_HASH, "ox_bad", 0, 4, 1, NULL));
	SHOW_FD(bpf_map_create(BPF_MAP_TYPE_HASH, "ox_bad", 4, 4, 0, NULL));
	SHOW_FD(bpf_map_create(BPF_MAP_TYPE_HASH, "bad name!", 4, 4, 1, NULL));
	SHOW(bpf_map_lookup_elem(-1, &key, &val));
	SHOW(bpf_map_update_elem(12345, &key, &val, 0));
	SHOW(bpf_map_delete_elem(-1, &key));
	SHOW(bpf_map_get_next_key(-1, &key, &val));
	SHOW(bpf_map_freeze(-1));
	SHOW(bpf_map_lookup_and_delete_elem(-1, &key, &val));
}

static void test_name_and_numa(void)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = BPF_F_NUMA_NODE, .numa_node = 0);
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int fd = SHOW_FD(bpf_map_create(BPF_MAP_TYPE_HASH, "a_very_long_map_name_indeed", 4, 4, 1, &o));

	CHECK_EQ(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	printf("name '%s' type %u key %u value %u max %u flags %#x\n", info.name, info.type, info.key_size,
	       info.value_size, info.max_entries, info.map_flags);
	close(fd);
	o.numa_node = 100000;
	SHOW_FD(bpf_map_create(BPF_MAP_TYPE_HASH, "ox_numa", 4, 4, 1, &o));
	fd = SHOW_FD(bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL));
	len = sizeof(info);
	CHECK_EQ(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	printf("unnamed: '%s'\n", info.name);
	close(fd);
}

int main(void)
{
	ncpus = libbpf_num_possible_cpus();
	CHECK(ncpus > 0);
	test_create_errors();
	test_hash();
	test_array_and_freeze();
	test_percpu(BPF_MAP_TYPE_PERCPU_ARRAY, "ox_pcpu_array");
	test_percpu(BPF_MAP_TYPE_PERCPU_HASH, "ox_pcpu_hash");
	test_lru();
	test_lpm();
	test_queue_stack(BPF_MAP_TYPE_QUEUE, "queue");
	test_queue_stack(BPF_MAP_TYPE_STACK, "stack");
	test_bloom();
	test_ringbuf();
	test_map_in_map(BPF_MAP_TYPE_ARRAY_OF_MAPS, "ox_aom");
	test_map_in_map(BPF_MAP_TYPE_HASH_OF_MAPS, "ox_hom");
	test_name_and_numa();
	return harness_done();
}
