// oxbpf-test: valgrind
/*
 * Every test object opened, loaded (whatever the outcome: failure paths
 * must release everything too) and closed under valgrind; no error, no
 * leak, and no fd left open afterwards.
 */
#include <bpf/libbpf.h>
#include <dirent.h>
#include <sys/stat.h>
#include "harness.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

int main(void)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	char dir[4200], root[64];
	struct dirent *e;
	DIR *d;
	int before, objects = 0;

	libbpf_set_print(quiet);
	snprintf(root, sizeof(root), "/sys/fs/bpf/oxbpf_vg_%d", getpid());
	mkdir(root, 0700);
	opts.pin_root_path = root;
	snprintf(dir, sizeof(dir), "%s", prog_path(""));
	d = opendir(dir);
	if (!d)
		SKIP("no test objects in %s", dir);
	before = count_fds();
	while ((e = readdir(d))) {
		struct bpf_object *obj;
		size_t n = strlen(e->d_name);

		if (n < 6 || strcmp(e->d_name + n - 6, ".bpf.o") != 0)
			continue;
		obj = bpf_object__open_file(prog_path(e->d_name), &opts);
		objects++;
		if (!obj) {
			note("%s: refused at open (%d)", e->d_name, -errno);
			continue;
		}
		note("%s: load %d", e->d_name, bpf_object__load(obj));
		bpf_object__unpin_maps(obj, NULL);
		bpf_object__close(obj);
		CHECKM(count_fds() == before, "fds left open after %s", e->d_name);
	}
	closedir(d);
	CHECK(objects >= 10);
	rmdir(root);
	return harness_done();
}
