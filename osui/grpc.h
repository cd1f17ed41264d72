/*
 * grpc.h: a small gRPC client over one HTTP/2 connection (nghttp2), for
 * a poll loop: no threads, no blocking call.  Messages are the 5-byte
 * length-prefixed frames of gRPC over HTTP/2, uncompressed.
 *
 * A call's done callback runs exactly once, with the gRPC status,
 * unless the bridge cancelled the call first; the call is freed after
 * it returns.  A message callback may cancel its own call.  No
 * callback may free the connection: they run inside grpc_conn_io().
 */
#ifndef TATTLE_OSUI_GRPC_H
#define TATTLE_OSUI_GRPC_H

#include <stddef.h>
#include <stdint.h>

/* gRPC status codes used here. */
#define GRPC_OK			0
#define GRPC_CANCELLED		1
#define GRPC_UNKNOWN		2
#define GRPC_DEADLINE_EXCEEDED	4
#define GRPC_RESOURCE_EXHAUSTED	8
#define GRPC_UNIMPLEMENTED	12
#define GRPC_INTERNAL		13
#define GRPC_UNAVAILABLE	14

struct grpc_conn;
struct grpc_call;

typedef void	(*grpc_msg_fn)(struct grpc_call *, const uint8_t *, size_t,
		    void *);
typedef void	(*grpc_done_fn)(struct grpc_call *, int, const char *,
		    void *);

struct grpc_conn *grpc_conn_new(int, const char *);
void	 grpc_conn_free(struct grpc_conn *);
int	 grpc_conn_fd(const struct grpc_conn *);
short	 grpc_conn_events(struct grpc_conn *);
int	 grpc_conn_io(struct grpc_conn *, short, uint64_t);
void	 grpc_conn_timers(struct grpc_conn *, uint64_t);
int	 grpc_conn_next_deadline(const struct grpc_conn *, uint64_t *);

struct grpc_call *grpc_call_start(struct grpc_conn *, const char *, uint32_t,
	    uint64_t, grpc_msg_fn, grpc_done_fn, void *);
int	 grpc_call_send(struct grpc_call *, const uint8_t *, size_t);
int	 grpc_call_close_send(struct grpc_call *);
void	 grpc_call_cancel(struct grpc_call *);
struct grpc_call *grpc_unary(struct grpc_conn *, const char *, uint32_t,
	    uint64_t, const uint8_t *, size_t, grpc_msg_fn, grpc_done_fn,
	    void *);
const char *grpc_status_name(int);

#endif /* TATTLE_OSUI_GRPC_H */
