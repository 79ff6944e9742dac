/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A private network for the XDP and TC tests: the test process moves to a
 * network namespace of its own ("A"), creates a veth pair there and moves
 * the peer into a second namespace ("B", named after the pid), with
 * 10.77.0.1/24 on A's end and 10.77.0.2/24 on B's. One UDP socket lives in
 * each namespace, so datagrams cross the pair for real. Every name carries
 * the pid: runs never collide.
 */
#ifndef OXBPF_VETH_H
#define OXBPF_VETH_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define VETH_PORT 4242

struct veth {
	char a[IF_NAMESIZE], b[IF_NAMESIZE], ns_b[32];
	int ifindex_a;
	int sock_a, sock_b; /* UDP sockets in A and in B */
};

static int veth_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static int veth_sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " >/dev/null 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	return system(cmd);
}

static __attribute__((unused)) void veth_cleanup(struct veth *v)
{
	if (v->sock_a > 0)
		close(v->sock_a);
	if (v->sock_b > 0)
		close(v->sock_b);
	if (v->ns_b[0])
		veth_sh("ip netns del %s", v->ns_b);
	v->ns_b[0] = 0;
}

/* 0 on success; on failure a message in `why` and -1. */
static __attribute__((unused)) int veth_setup(struct veth *v, char *why, size_t why_len)
{
	int pid = getpid(), self, other;

	memset(v, 0, sizeof(*v));
	v->sock_a = v->sock_b = -1;
	snprintf(v->a, sizeof(v->a), "oxa%d", pid);
	snprintf(v->b, sizeof(v->b), "oxb%d", pid);
	if (unshare(CLONE_NEWNET)) {
		snprintf(why, why_len, "unshare(CLONE_NEWNET): %s", strerror(errno));
		return -1;
	}
	snprintf(v->ns_b, sizeof(v->ns_b), "oxnl%d", pid);
	if (veth_sh("ip netns add %s", v->ns_b)) {
		v->ns_b[0] = 0;
		snprintf(why, why_len, "ip netns add failed");
		return -1;
	}
	if (veth_sh("ip link set lo up") || veth_sh("ip link add %s type veth peer name %s", v->a, v->b) ||
	    veth_sh("ip link set %s netns %s", v->b, v->ns_b) || veth_sh("ip addr add 10.77.0.1/24 dev %s", v->a) ||
	    veth_sh("ip link set %s up", v->a) || veth_sh("ip -n %s link set lo up", v->ns_b) ||
	    veth_sh("ip -n %s addr add 10.77.0.2/24 dev %s", v->ns_b, v->b) ||
	    veth_sh("ip -n %s link set %s up", v->ns_b, v->b)) {
		snprintf(why, why_len, "ip could not set up the veth pair");
		veth_cleanup(v);
		return -1;
	}
	v->ifindex_a = if_nametoindex(v->a);
	v->sock_a = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	char path[64];
	snprintf(path, sizeof(path), "/run/netns/%s", v->ns_b);
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	other = open(path, O_RDONLY | O_CLOEXEC);
	if (self < 0 || other < 0 || setns(other, CLONE_NEWNET)) {
		snprintf(why, why_len, "cannot enter %s: %s", path, strerror(errno));
		veth_cleanup(v);
		return -1;
	}
	v->sock_b = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (setns(self, CLONE_NEWNET)) {
		snprintf(why, why_len, "cannot come back: %s", strerror(errno));
		abort();
	}
	close(self);
	close(other);
	return v->ifindex_a > 0 && v->sock_a >= 0 && v->sock_b >= 0 ? 0 : -1;
}

/* Sends `n` datagrams to VETH_PORT: from B to A (they arrive on A's end:
 * XDP and TC ingress there) or from A to B (TC egress on A's end). */
static __attribute__((unused)) void veth_send(struct veth *v, int from_b, int n)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(VETH_PORT) };
	char payload[32] = "oxbpf";
	int i;

	inet_pton(AF_INET, from_b ? "10.77.0.1" : "10.77.0.2", &to.sin_addr);
	for (i = 0; i < n; i++) {
		sendto(from_b ? v->sock_b : v->sock_a, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to));
		usleep(20000);
	}
}

/* Waits up to a second for `*value()` to reach `want`; returns the last value. */
static __attribute__((unused)) long long veth_wait(long long (*value)(void *), void *ctx, long long want)
{
	long long v = 0;
	int i;

	for (i = 0; i < 100; i++) {
		v = value(ctx);
		if (v >= want)
			break;
		usleep(10000);
	}
	return v;
}

#endif /* OXBPF_VETH_H */
