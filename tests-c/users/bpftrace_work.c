/* The traced process of tests-c/users/bpftrace.sh: a known number of
 * getppid() calls, one close() of a known fd, and calls to ru_target() (a uprobe target), with known
 * arguments and results, so that every map bpftrace prints is predictable. */
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

__attribute__((noinline)) int ru_target(int x, long y)
{
	__asm__ volatile("" ::: "memory");
	return x * 2 + (int)y;
}

int main(void)
{
	int i, s = 0;

	for (i = 0; i < 7; i++)
		s += (int)syscall(SYS_getppid) > 0;
	for (i = 0; i < 20; i++)
		s += ru_target(i % 5, i);
	s += close(12345) < 0;
	printf("work done %d\n", s);
	return 0;
}
