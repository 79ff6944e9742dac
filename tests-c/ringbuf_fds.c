/*
 * The fds ring buffers, user ring buffers and perf buffers create (epoll
 * instances, per-CPU perf events) are close-on-exec and above stderr even
 * when the process closed stdin and stderr. Not differential: libbpf only
 * moves the fds of bpf() itself, so Debian's hands out epoll fd 0 here.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "harness.h"
#include "ringbuf_progs.h"

int main(void)
{
	int rb_map = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ox_fds_rb", 0, 0, 4096, NULL);
	int urb_map = bpf_map_create(BPF_MAP_TYPE_USER_RINGBUF, "ox_fds_urb", 0, 0, 4096, NULL);
	int pb_map = bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "ox_fds_pb", 4, 4, 4, NULL);
	struct ring_buffer *rb;
	struct user_ring_buffer *urb;
	struct perf_buffer *pb;

	if (rb_map < 0 || urb_map < 0 || pb_map < 0)
		SKIP("cannot create the maps (%d)", errno);
	close(0);
	close(2);
	rb = ring_buffer__new(rb_map, NULL, NULL, NULL);
	CHECK(rb && fd_ok(ring_buffer__epoll_fd(rb)));
	urb = user_ring_buffer__new(urb_map, NULL);
	CHECK(urb != NULL);
	/* The user ring buffer's epoll fd is not exposed: 0 and 2 stay free. */
	CHECK(fcntl(0, F_GETFD) < 0 && fcntl(2, F_GETFD) < 0);
	pb = perf_buffer__new(pb_map, 1, NULL, NULL, NULL, NULL);
	CHECK(pb && fd_ok(perf_buffer__epoll_fd(pb)));
	for (size_t i = 0; pb && i < perf_buffer__buffer_cnt(pb); i++)
		CHECK(fd_ok(perf_buffer__buffer_fd(pb, i)));
	CHECK(fcntl(0, F_GETFD) < 0 && fcntl(2, F_GETFD) < 0);
	ring_buffer__free(rb);
	user_ring_buffer__free(urb);
	perf_buffer__free(pb);
	return harness_done();
}
