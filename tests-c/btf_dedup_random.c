// oxbpf-test: differential
// oxbpf-test: valgrind
/*
 * btf__dedup() on many random mixes of "compilation units" against
 * Debian's libbpf: units drawn from one small universe of struct, union
 * and enum definitions, each defining some, declaring others only (FWD),
 * pointing to and embedding them, with typedefs, modifiers, arrays,
 * anonymous unions, enum forward declarations, conflicting definitions of
 * one name and VARs; on their own and as split BTF on a deduplicated base
 * of other units. Ties between candidates are common here, so the output
 * shows that candidates are tried in libbpf's order. Prints a digest of
 * each result (bytes after the header: 1.8 writes a 32-byte header, 1.1.2
 * a 24-byte one).
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static unsigned long long rng;

static __u32 rnd(__u32 n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (__u32)((rng >> 33) % (n ? n : 1));
}

static const char *names[] = { "a", "b", "c", "d", "e", "f" };
#define NNAMES 6

static void unit(struct btf *b)
{
	int intid = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	int longid = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	int ids[NNAMES], full[NNAMES], i, m, en, proto, arr;

	/* enums: maybe only declared, maybe defined differently */
	if (rnd(4) == 0) {
		en = btf__add_fwd(b, "mode", BTF_FWD_ENUM);
	} else {
		en = btf__add_enum(b, "mode", 4);
		btf__add_enum_value(b, "M0", 0);
		if (rnd(3) == 0)
			btf__add_enum_value(b, "M1", 1);
	}
	if (rnd(3) == 0) {
		btf__add_enum(b, "", 4);
		btf__add_enum_value(b, "ANON", rnd(2));
	}
	for (i = 0; i < NNAMES; i++) {
		ids[i] = btf__add_fwd(b, names[i], i % 3 == 2 ? BTF_FWD_UNION : BTF_FWD_STRUCT);
		full[i] = rnd(3) != 0;
	}
	for (i = 0; i < NNAMES; i++) {
		int n = 1 + rnd(3), sid, extra[3], kinds[3], ne = 0;

		if (!full[i])
			continue;
		sid = i % 3 == 2 ? btf__add_union(b, names[i], 8) : btf__add_struct(b, names[i], 8 * n);
		for (m = 0; m < n; m++) {
			__u32 pick = rnd(8), off = i % 3 == 2 ? 0 : m * 64;
			int target;

			switch (pick) {
			case 0: target = intid; break;
			case 1: target = longid; break;
			case 2: target = en; break;
			case 3: case 4: case 5:
				kinds[ne] = 2, extra[ne] = ids[rnd(NNAMES)];
				target = sid + 1 + ne++;
				break;
			case 6:
				kinds[ne] = 8, extra[ne] = rnd(2) ? intid : longid;
				target = sid + 1 + ne++;
				break;
			default:
				kinds[ne] = 2, extra[ne] = sid;
				target = sid + 1 + ne++;
			}
			btf__add_field(b, names[m], target, off, 0);
		}
		for (m = 0; m < ne; m++) {
			if (kinds[m] == 2)
				btf__add_ptr(b, extra[m]);
			else
				btf__add_typedef(b, "word", extra[m]);
		}
	}
	for (i = rnd(4); i > 0; i--) {
		int u = btf__add_union(b, "", 8);

		btf__add_field(b, "p", u + 1, 0, 0);
		btf__add_ptr(b, ids[rnd(NNAMES)]);
	}
	proto = btf__add_func_proto(b, intid);
	btf__add_func_param(b, "x", ids[0]);
	btf__add_func(b, "fn", BTF_FUNC_GLOBAL, proto);
	arr = btf__add_array(b, intid, longid, 1 + rnd(2));
	btf__add_volatile(b, btf__add_const(b, arr));
	if (rnd(2))
		btf__add_var(b, "v", BTF_VAR_GLOBAL_ALLOCATED, ids[rnd(NNAMES)]);
}

static unsigned long long digest(const struct btf *btf)
{
	unsigned long long h = 0xcbf29ce484222325ULL;
	const unsigned char *raw;
	__u32 size, i;

	raw = btf__raw_data(btf, &size);
	for (i = ((const struct btf_header *)raw)->hdr_len; i < size; i++)
		h = (h ^ raw[i]) * 0x100000001b3ULL;
	return h;
}

int main(void)
{
	int seed, u, err;

	for (seed = 0; seed < 400; seed++) {
		struct btf *b = btf__new_empty(), *base, *split;
		__u32 before;

		rng = seed;
		for (u = 2 + seed % 5; u > 0; u--)
			unit(b);
		before = btf__type_cnt(b);
		err = btf__dedup(b, NULL);
		printf("seed %d: %d, %u -> %u types, %016llx\n", seed, err, before, btf__type_cnt(b), digest(b));
		btf__free(b);

		/* split: units on a deduplicated base of other units */
		base = btf__new_empty();
		rng = seed * 7919 + 1;
		for (u = 1 + seed % 3; u > 0; u--)
			unit(base);
		btf__dedup(base, NULL);
		split = btf__new_empty_split(base);
		for (u = 1 + seed % 4; u > 0; u--)
			unit(split);
		before = btf__type_cnt(split);
		err = btf__dedup(split, NULL);
		printf("  split: %d, %u -> %u types, %016llx\n", err, before, btf__type_cnt(split), digest(split));
		btf__free(split);
		btf__free(base);
	}
	return harness_done();
}
