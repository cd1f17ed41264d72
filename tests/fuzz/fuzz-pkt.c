/*
 * fuzz-pkt.c: pkt_parse(), the only parsing packetd (the privileged
 * process) does of packet bytes.  The input is the packet from its IP
 * header on, as NFQUEUE hands it over.  What parses must point inside
 * the packet and be consistent with its flags.
 */
#include <sys/socket.h>

#include <string.h>

#include "fuzz.h"
#include "pkt.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_info	 pi;
	const char	*why = NULL;
	uint8_t		*copy;

	/* Exactly size bytes on the heap: ASan sees any read past them. */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if (pkt_parse(copy, size, &pi, &why) == -1) {
		FUZZ_ASSERT(why != NULL && *why != '\0');
		free(copy);
		return 0;
	}
	FUZZ_ASSERT(pi.t.family == AF_INET || pi.t.family == AF_INET6);
	if (pi.flags & PKT_L4) {
		FUZZ_ASSERT((pi.flags & PKT_FRAG) == 0);
		FUZZ_ASSERT(pi.l4off <= size);
		FUZZ_ASSERT(pi.payload >= copy + pi.l4off);
		FUZZ_ASSERT(pi.payload + pi.paylen <= copy + size);
	} else {
		FUZZ_ASSERT(pi.t.sport == 0 && pi.t.dport == 0);
		FUZZ_ASSERT((pi.flags & PKT_SYN) == 0);
		FUZZ_ASSERT(pi.paylen == 0);
	}
	if (pi.t.family == AF_INET)
		FUZZ_ASSERT(memcmp(pi.t.saddr + 4, "\0\0\0\0\0\0\0\0\0\0\0\0",
		    12) == 0);
	free(copy);
	return 0;
}
