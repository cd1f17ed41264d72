/*
 * fuzz.h: what every fuzz target shares.  A target defines
 * LLVMFuzzerTestOneInput(); it is linked either with libFuzzer (clang,
 * `make fuzz`) or with replay.c (any compiler, `make check`), which runs
 * it once on every file of the target's seed corpus.
 *
 * FUZZ_ASSERT states a property the code under test promises; a broken
 * promise aborts, which libFuzzer reports as a crash with the input.
 */
#ifndef TATTLE_FUZZ_H
#define TATTLE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_ASSERT(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: property broken: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

#endif /* TATTLE_FUZZ_H */
