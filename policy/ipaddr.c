/*
 * ipaddr.c: IP addresses and networks with Go's rules (net.ParseIP,
 * net.ParseCIDR, IPNet.Contains, IP.String), which OpenSnitch's operators
 * and lists inherit: dotted quads without leading zeros, no zones, host
 * bits masked off, an IPv4-mapped IPv6 address treated as IPv4, and ::/0
 * not containing IPv4.
 */
#include "config.h"

#include <string.h>

#include "hex.h"
#include "policy_int.h"

int		 pol_ip_parse(const char *, size_t, struct policy_ip *);
int		 pol_ipnet_parse(const char *, size_t, struct ipnet *);
int		 pol_ipnet_contains(const struct ipnet *,
		    const struct policy_ip *);
void		 pol_ip_mask(uint8_t *, const uint8_t *, int, int);
int		 policy_ip_parse(const char *, struct policy_ip *);
void		 policy_ip_format(const struct policy_ip *, char *, size_t);
static int	 parse_v4(const char *, size_t, uint8_t *);
static int	 parse_v6(const char *, size_t, uint8_t *);
static int	 is_v4mapped(const uint8_t *);
static char	*ip_fmt_u8(char *, unsigned);
static char	*ip_fmt_x16(char *, unsigned);

static const uint8_t v4prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

static int
is_v4mapped(const uint8_t *a)
{
	return memcmp(a, v4prefix, 12) == 0;
}

/* Four decimal fields 0-255, no leading zeros, nothing else. */
static int
parse_v4(const char *s, size_t n, uint8_t *out)
{
	size_t	i;
	int	val = 0, pos = 0, digits = 0;

	for (i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (digits == 1 && val == 0)
				return -1;
			val = val * 10 + (s[i] - '0');
			digits++;
			if (val > 255)
				return -1;
		} else if (s[i] == '.') {
			if (i == 0 || i == n - 1 || s[i - 1] == '.' || pos == 3)
				return -1;
			out[pos++] = (uint8_t)val;
			val = 0;
			digits = 0;
		} else
			return -1;
	}
	if (pos < 3 || digits == 0)
		return -1;
	out[3] = (uint8_t)val;
	return 0;
}

/* RFC 4291 text, an optional trailing dotted quad; zones refused. */
static int
parse_v6(const char *s, size_t n, uint8_t *ip)
{
	size_t	off, i = 0, k;
	int	ellipsis = -1, h, acc;

	memset(ip, 0, 16);
	if (memchr(s, '%', n) != NULL)
		return -1;
	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		ellipsis = 0;
		s += 2;
		n -= 2;
		if (n == 0)
			return 0;
	}
	while (i < 16) {
		acc = 0;
		for (off = 0; off < n && (h = hex_value(s[off])) >= 0; off++) {
			if (off > 3)
				return -1;
			acc = acc << 4 | h;
		}
		if (off == 0)
			return -1;
		if (off < n && s[off] == '.') {
			if ((ellipsis < 0 && i != 12) || i + 4 > 16)
				return -1;
			if (parse_v4(s, n, ip + i) == -1)
				return -1;
			i += 4;
			n = 0;
			break;
		}
		ip[i] = (uint8_t)(acc >> 8);
		ip[i + 1] = (uint8_t)acc;
		i += 2;
		s += off;
		n -= off;
		if (n == 0)
			break;
		if (s[0] != ':' || n == 1)
			return -1;
		s++;
		n--;
		if (s[0] == ':') {
			if (ellipsis >= 0)
				return -1;
			ellipsis = (int)i;
			s++;
			n--;
			if (n == 0)
				break;
		}
	}
	if (n != 0)
		return -1;
	if (i < 16) {
		if (ellipsis < 0)
			return -1;
		k = 16 - i;
		memmove(ip + ellipsis + k, ip + ellipsis, i - (size_t)ellipsis);
		memset(ip + ellipsis, 0, k);
	} else if (ellipsis >= 0)
		return -1;
	return 0;
}

int
pol_ip_parse(const char *s, size_t n, struct policy_ip *ip)
{
	size_t	i;

	memset(ip, 0, sizeof(*ip));
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (parse_v4(s, n, ip->addr) == -1)
				return -1;
			ip->family = 4;
			return 0;
		}
		if (s[i] == ':') {
			if (parse_v6(s, n, ip->addr) == -1)
				return -1;
			ip->family = 6;
			if (is_v4mapped(ip->addr)) {
				memmove(ip->addr, ip->addr + 12, 4);
				memset(ip->addr + 4, 0, 12);
				ip->family = 4;
			}
			return 0;
		}
		if (s[i] == '%')
			return -1;
	}
	return -1;
}

int
policy_ip_parse(const char *s, struct policy_ip *ip)
{
	return pol_ip_parse(s, strlen(s), ip);
}

void
pol_ip_mask(uint8_t *out, const uint8_t *in, int nbytes, int bits)
{
	int	i, b;

	for (i = 0; i < nbytes; i++) {
		b = bits - i * 8;
		if (b >= 8)
			out[i] = in[i];
		else if (b <= 0)
			out[i] = 0;
		else
			out[i] = in[i] & (uint8_t)(0xff << (8 - b));
	}
}

int
pol_ipnet_parse(const char *s, size_t n, struct ipnet *net)
{
	const char	*slash;
	size_t		 alen, i;
	uint8_t		 a[16];
	int		 bits = 0, v4 = 0, maxbits;

	memset(net, 0, sizeof(*net));
	if ((slash = memchr(s, '/', n)) == NULL)
		return -1;
	alen = (size_t)(slash - s);
	for (i = 0; i < alen; i++) {
		if (s[i] == '.') {
			v4 = 1;
			break;
		}
		if (s[i] == ':' || s[i] == '%')
			break;
	}
	if (i == alen)
		return -1;
	memset(a, 0, sizeof(a));
	if (v4 ? parse_v4(s, alen, a) : parse_v6(s, alen, a)) {
		return -1;
	}
	maxbits = v4 ? 32 : 128;
	if (alen + 1 == n)
		return -1;
	for (i = alen + 1; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		bits = bits * 10 + (s[i] - '0');
		if (bits > maxbits)
			return -1;
	}
	if (v4) {
		net->family = 4;
		net->bits = (uint8_t)bits;
		pol_ip_mask(net->addr, a, 4, bits);
		return 0;
	}
	pol_ip_mask(net->addr, a, 16, bits);
	net->family = 6;
	net->bits = (uint8_t)bits;
	/* Go's IPNet.Contains reads a masked IPv4-mapped net as IPv4. */
	if (is_v4mapped(net->addr)) {
		memmove(net->addr, net->addr + 12, 4);
		memset(net->addr + 4, 0, 12);
		net->family = 4;
		net->bits = (uint8_t)(bits - 96);
	}
	return 0;
}

int
pol_ipnet_contains(const struct ipnet *net, const struct policy_ip *ip)
{
	uint8_t	m[16];
	int	nb;

	if (ip->family != net->family)
		return 0;
	nb = net->family == 4 ? 4 : 16;
	pol_ip_mask(m, ip->addr, nb, net->bits);
	return memcmp(m, net->addr, (size_t)nb) == 0;
}

/* Decimal digits of v (0-255) at b; returns the new end. */
static char *
ip_fmt_u8(char *b, unsigned v)
{
	if (v >= 100)
		*b++ = (char)('0' + v / 100);
	if (v >= 10)
		*b++ = (char)('0' + v / 10 % 10);
	*b++ = (char)('0' + v % 10);
	return b;
}

/* Lower-case hex of v (0-0xffff) at b, no leading zeros. */
static char *
ip_fmt_x16(char *b, unsigned v)
{
	int			 sh;

	for (sh = 12; sh > 0 && (v >> sh) == 0; sh -= 4)
		;
	for (; sh >= 0; sh -= 4)
		*b++ = hex_digit(v >> sh);
	return b;
}

/*
 * Go's IP.String(): dotted IPv4, else RFC 5952 (longest zero run >= 2).
 * Built by hand, not with snprintf: ruled formats the connection's
 * addresses for every decision.  Cut to len like snprintf; an IPv6
 * address needs len >= 46 or gives "".
 */
void
policy_ip_format(const struct policy_ip *ip, char *buf, size_t len)
{
	char	 t[48], *o = t;
	int	 zs = -1, ze = -1, i, j;
	size_t	 n;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (ip->family == 4) {
		for (i = 0; i < 4; i++) {
			if (i > 0)
				*o++ = '.';
			o = ip_fmt_u8(o, ip->addr[i]);
		}
	} else {
		if (ip->family != 6 || len < 46)
			return;
		for (i = 0; i < 8; i++) {
			for (j = i; j < 8 && ip->addr[2 * j] == 0 &&
			    ip->addr[2 * j + 1] == 0; j++)
				;
			if (j - i >= 2 && j - i > ze - zs) {
				zs = i;
				ze = j;
			}
		}
		for (i = 0; i < 8; i++) {
			if (i == zs) {
				*o++ = ':';
				*o++ = ':';
				i = ze - 1;
				continue;
			}
			if (i > 0 && i != ze)
				*o++ = ':';
			o = ip_fmt_x16(o, (unsigned)ip->addr[2 * i] << 8 |
			    ip->addr[2 * i + 1]);
		}
	}
	n = (size_t)(o - t);
	if (n >= len)
		n = len - 1;
	memcpy(buf, t, n);
	buf[n] = '\0';
}
