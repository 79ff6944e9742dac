// oxbpf-test: differential
/*
 * The four batch operations on the real kernel: update a hash map in one
 * call, read it back in several batches (resuming from out_batch), the
 * per-CPU value layout of a batch, lookup-and-delete and delete batches,
 * counts reported on partial failure. Same lines against Debian's libbpf.
 */
#include <stdlib.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "harness.h"
#include "syscall_util.h"

#define N 100
#define STEP 16

static void test_hash_batches(void)
{
	__u32 keys[N], out_keys[N], in_batch = 0, out_batch = 0, count, total = 0, calls = 0;
	__u64 vals[N], out_vals[N];
	char seen[N] = {};
	int fd, err;
	LIBBPF_OPTS(bpf_map_batch_opts, o, .elem_flags = 0, .flags = 0);

	fd = SHOW_FD(bpf_map_create(BPF_MAP_TYPE_HASH, "ox_batch", 4, 8, N, NULL));
	for (int i = 0; i < N; i++) {
		keys[i] = i;
		vals[i] = 1000 + i;
	}
	count = N;
	SHOW(bpf_map_update_batch(fd, keys, vals, &count, &o));
	printf("updated %u\n", count);

	/* Read back STEP at a time until ENOENT. */
	for (;;) {
		count = STEP;
		err = bpf_map_lookup_batch(fd, calls ? &in_batch : NULL, &out_batch, out_keys + total,
					   out_vals + total, &count, &o);
		if (err && errno != ENOENT) {
			printf("lookup_batch failed: %d errno %d\n", err, errno);
			break;
		}
		CHECK(count <= STEP);
		total += count;
		calls++;
		if (err)
			break;
		in_batch = out_batch;
	}
	printf("read %u elements in more than one batch: %s\n", total, calls > 1 ? "yes" : "no");
	for (__u32 i = 0; i < total; i++) {
		CHECK(out_keys[i] < N);
		if (out_keys[i] < N) {
			seen[out_keys[i]]++;
			CHECK_EQ(out_vals[i], 1000 + out_keys[i]);
		}
	}
	for (int i = 0; i < N; i++)
		CHECKM(seen[i] == 1, "key %d seen %d times", i, seen[i]);

	/* Delete 10 keys in one call, then a batch containing a missing key. */
	count = 10;
	SHOW(bpf_map_delete_batch(fd, keys, &count, &o));
	printf("deleted %u\n", count);
	count = 10;
	SHOW(bpf_map_delete_batch(fd, keys + 5, &count, &o)); /* keys 5..9 are gone */
	printf("deleted before the missing key: %u\n", count);

	/* Lookup-and-delete everything left, in batches. */
	total = 0, calls = 0;
	for (;;) {
		count = 32;
		err = bpf_map_lookup_and_delete_batch(fd, calls ? &in_batch : NULL, &out_batch, out_keys, out_vals,
						      &count, NULL);
		total += count;
		calls++;
		if (err) {
			printf("lookup_and_delete_batch end: errno %d\n", errno);
			break;
		}
		in_batch = out_batch;
	}
	printf("popped %u\n", total);
	__u32 k;
	SHOW(bpf_map_get_next_key(fd, NULL, &k));

	/* Bad arguments. */
	count = 1;
	SHOW(bpf_map_lookup_batch(-1, NULL, &out_batch, out_keys, out_vals, &count, NULL));
	o.flags = 1;
	SHOW(bpf_map_lookup_batch(fd, NULL, &out_batch, out_keys, out_vals, &count, &o));
	close(fd);
}

static void test_percpu_batch(void)
{
	int ncpus = libbpf_num_possible_cpus(), fd;
	__u32 keys[4] = { 0, 1, 2, 3 }, out_keys[4], count = 4, out_batch;
	size_t slot = 8; /* value_size 4, rounded up to 8 for each CPU */
	unsigned char *vals = calloc(4 * ncpus, slot), *back = calloc(4 * ncpus, slot);

	fd = SHOW_FD(bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "ox_pcpu_b", 4, 4, 4, NULL));
	for (int k = 0; k < 4; k++)
		for (int c = 0; c < ncpus; c++)
			*(__u32 *)(vals + (k * ncpus + c) * slot) = k * 1000 + c;
	SHOW(bpf_map_update_batch(fd, keys, vals, &count, NULL));
	count = 4;
	SHOW(bpf_map_lookup_batch(fd, NULL, &out_batch, out_keys, back, &count, NULL));
	printf("percpu batch count %u\n", count);
	for (__u32 i = 0; i < count; i++)
		for (int c = 0; c < ncpus; c++)
			CHECKM(*(__u32 *)(back + (i * ncpus + c) * slot) == out_keys[i] * 1000 + c, "key %u cpu %d",
			       out_keys[i], c);
	close(fd);
	free(vals);
	free(back);
}

int main(void)
{
	test_hash_batches();
	test_percpu_batch();
	return harness_done();
}
