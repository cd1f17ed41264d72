/*
 * hex.c: one hexadecimal digit to its value and back.
 */
#include "hex.h"

/* '0'-'9', 'a'-'f', 'A'-'F': 0 to 15; anything else: -1. */
int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The digit of v's low four bits, lower case. */
char
hex_digit(unsigned int v)
{
	return "0123456789abcdef"[v & 0xf];
}
