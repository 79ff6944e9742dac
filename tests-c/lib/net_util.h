/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Network helpers of the attach tests: a private network namespace with
 * loopback up, veth pairs, raw frames, UDP and TCP traffic on loopback.
 */
#ifndef OXBPF_NET_UTIL_H
#define OXBPF_NET_UTIL_H

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static inline int run_cmd(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* Enters a new network namespace with loopback up; 0 on success. */
static inline int private_netns(void)
{
	if (unshare(CLONE_NEWNET))
		return -1;
	return run_cmd("ip link set lo up");
}

/* Sends `n` UDP datagrams to 127.0.0.1:port (nobody needs to listen). */
static inline void udp_send(int port, int n)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < n; i++)
		sendto(s, "ox", 2, 0, (struct sockaddr *)&a, sizeof(a));
	close(s);
}

/* Connects to a TCP listener on 127.0.0.1:port; 0 when connected. */
static inline int tcp_connect_local(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), r;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r = connect(s, (struct sockaddr *)&a, sizeof(a));
	close(s);
	return r;
}

static inline int tcp_listen_local(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 8)) {
		close(s);
		return -1;
	}
	return s;
}

/* Sends `n` raw Ethernet frames out of interface `ifindex`. */
static inline int send_frames(int ifindex, int n)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = 6 };
	unsigned char frame[64] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x88, 0xb5 };
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL)), sent = 0;

	if (s < 0)
		return -1;
	memset(sll.sll_addr, 0xff, 6);
	for (int i = 0; i < n; i++)
		sent += sendto(s, frame, sizeof(frame), 0, (struct sockaddr *)&sll, sizeof(sll)) == sizeof(frame);
	close(s);
	return sent;
}

/* Whether interface `name` reports carrier (operstate "up"). */
static inline int link_is_up(const char *name)
{
	char path[128], state[16] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/operstate", name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(state, sizeof(state), f))
		state[0] = 0;
	fclose(f);
	return strncmp(state, "up", 2) == 0;
}

/* A veth pair a<->b (IPv6 off, so that nothing else crosses it), both up
 * with carrier (waited for, up to 2 s). */
static inline int make_veth(const char *a, const char *b)
{
	int err = run_cmd("ip link add %s type veth peer name %s && "
			  "echo 1 > /proc/sys/net/ipv6/conf/%s/disable_ipv6 && "
			  "echo 1 > /proc/sys/net/ipv6/conf/%s/disable_ipv6 && "
			  "ip link set %s up && ip link set %s up",
			  a, b, a, b, a, b);

	for (int i = 0; !err && i < 200 && !(link_is_up(a) && link_is_up(b)); i++)
		usleep(10000);
	return err;
}

#endif
