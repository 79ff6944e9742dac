/* open + load + close of a CO-RE object N times in one process; prints the
 * user CPU time per iteration in microseconds. Run against oxbpf and
 * Debian's libbpf by bench/core_load.sh. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <bpf/libbpf.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static double user_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec * 1e6 + ru.ru_utime.tv_usec;
}

int main(int argc, char **argv)
{
	int i, n = argc > 2 ? atoi(argv[2]) : 20;
	double t0, t1;

	if (argc < 2) {
		fprintf(stderr, "usage: %s OBJ [N]\n", argv[0]);
		return 2;
	}
	libbpf_set_print(quiet);
	t0 = user_us();
	for (i = 0; i < n; i++) {
		struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
		int err;

		if (!obj) {
			printf("error %d\n", errno);
			return 1;
		}
		err = bpf_object__load(obj);
		bpf_object__close(obj);
		if (err) {
			printf("error %d\n", -err);
			return 1;
		}
	}
	t1 = user_us();
	printf("%.0f\n", (t1 - t0) / n);
	return 0;
}
