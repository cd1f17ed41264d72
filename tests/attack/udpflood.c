/*
 * udpflood: UDP datagrams from SRC:SPORT to DST, ports 1024-65023 in
 * turn, 64 per sendmmsg(), until COUNT were sent or SECONDS passed.
 * Prints "sent N".  Python cannot send fast enough to fill a queue.
 *
 *	udpflood SRC SPORT DST COUNT SECONDS
 */
#include "config.h"
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FLOOD_BATCH	64

static double	 flood_now(void);

static double
flood_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	static const unsigned char	 data[12] = { 0x12, 0x34, 0x81, 0x80 };
	struct sockaddr_in		 src, dst[FLOOD_BATCH];
	struct mmsghdr			 mm[FLOOD_BATCH];
	struct iovec			 iov;
	unsigned long			 count, sent = 0, port = 0;
	double				 end;
	int				 s, one = 1, i, n;

	if (argc != 6) {
		fprintf(stderr,
		    "usage: udpflood SRC SPORT DST COUNT SECONDS\n");
		return 2;
	}
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	src.sin_port = htons((unsigned short)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &src.sin_addr) != 1) {
		fprintf(stderr, "udpflood: bad source %s\n", argv[1]);
		return 2;
	}
	count = strtoul(argv[4], NULL, 10);
	end = flood_now() + atof(argv[5]);
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) == -1 ||
	    bind(s, (struct sockaddr *)&src, sizeof(src)) == -1) {
		perror("udpflood: socket");
		return 1;
	}
	iov.iov_base = (void *)data;
	iov.iov_len = sizeof(data);
	memset(mm, 0, sizeof(mm));
	for (i = 0; i < FLOOD_BATCH; i++) {
		memset(&dst[i], 0, sizeof(dst[i]));
		dst[i].sin_family = AF_INET;
		if (inet_pton(AF_INET, argv[3], &dst[i].sin_addr) != 1) {
			fprintf(stderr, "udpflood: bad destination %s\n",
			    argv[3]);
			return 2;
		}
		mm[i].msg_hdr.msg_name = &dst[i];
		mm[i].msg_hdr.msg_namelen = sizeof(dst[i]);
		mm[i].msg_hdr.msg_iov = &iov;
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	while (sent < count && flood_now() < end) {
		for (i = 0; i < FLOOD_BATCH; i++)
			dst[i].sin_port = htons(1024 + port++ % 64000);
		n = count - sent < FLOOD_BATCH ? (int)(count - sent) :
		    FLOOD_BATCH;
		if ((n = sendmmsg(s, mm, n, 0)) == -1) {
			if (errno == ENOBUFS || errno == EPERM ||
			    errno == ECONNREFUSED || errno == EAGAIN)
				continue;
			perror("udpflood: sendmmsg");
			return 1;
		}
		sent += n;
	}
	printf("sent %lu\n", sent);
	return 0;
}
