/*
 * BTF benchmark (bench/btf.sh runs it against oxbpf and Debian's libbpf):
 * per round, load the running kernel's BTF (btf__load_vmlinux_btf), walk
 * every type (type, name, members), do 1,000 btf__find_by_name_kind()
 * lookups of named types spread over the whole id range, free it. Prints
 * the best round's time ("RESULT btf_vmlinux <ns>", a row of make bench's
 * table) and the process's peak RSS ("RSS_KIB <KiB>").
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define LOOKUPS 1000

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 20, r, i, found = 0;
	static char names[LOOKUPS][128];
	static __u32 kinds[LOOKUPS];
	double best = 1e18;
	unsigned long long sink = 0;
	struct rusage ru;
	struct btf *btf;
	__u32 n, id, step;

	/* Pick the names to look up (not timed): named types evenly spread. */
	btf = btf__load_vmlinux_btf();
	if (!btf) {
		fprintf(stderr, "no vmlinux BTF\n");
		return 1;
	}
	n = btf__type_cnt(btf);
	step = n / LOOKUPS;
	for (i = 0, id = 1; i < LOOKUPS && id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name = btf__name_by_offset(btf, t->name_off);

		if (id < (__u32)i * step || !name || !name[0] || strlen(name) >= sizeof(names[0]))
			continue;
		strcpy(names[i], name);
		kinds[i++] = btf_kind(t);
	}
	btf__free(btf);

	for (r = 0; r < rounds; r++) {
		double t0 = now_us(), dt;

		btf = btf__load_vmlinux_btf();
		n = btf__type_cnt(btf);
		for (id = 1; id < n; id++) {
			const struct btf_type *t = btf__type_by_id(btf, id);
			const char *name = btf__name_by_offset(btf, t->name_off);

			sink += btf_kind(t) + btf_vlen(t) + (unsigned char)name[0];
			if (btf_is_composite(t)) {
				const struct btf_member *m = btf_members(t);
				__u32 k;

				for (k = 0; k < btf_vlen(t); k++, m++)
					sink += m->type + m->offset;
			}
		}
		for (i = 0; i < LOOKUPS; i++)
			found += btf__find_by_name_kind(btf, names[i], kinds[i]) > 0;
		btf__free(btf);
		dt = now_us() - t0;
		if (dt < best)
			best = dt;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("RESULT btf_vmlinux %.0f\nRSS_KIB %ld\nFOUND %d\nSINK %llu\n", best * 1000, ru.ru_maxrss, found / rounds,
	       sink % 7);
	return 0;
}
