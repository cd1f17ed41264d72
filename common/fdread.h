/*
 * fdread.h: reading a memfd handed over by packetd.
 */
#ifndef TATTLE_FDREAD_H
#define TATTLE_FDREAD_H

#include <stddef.h>

int	 fd_read_all(int, size_t, size_t, char **, const char **);

#endif /* TATTLE_FDREAD_H */
