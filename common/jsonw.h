/*
 * jsonw.h: the one JSON writer of the tree (promptd's lines, the tattle
 * command's --json output and requests, tattle-osui's requests).  Text
 * goes into one growing buffer with a hard bound; past the bound, too
 * deep, or without memory the writer stops and sets err, and
 * jw_take() gives NULL: the caller drops the whole text, never half.
 *
 * Strings: '"', '\\', \n, \r and \t get their short escape, every other
 * byte below 0x20 and 0x7f (DEL) a \u00XX escape, and each byte that does
 * not start a valid UTF-8 sequence (bad lead or continuation, overlong,
 * surrogate, past U+10FFFF, cut short) becomes U+FFFD, written \ufffd:
 * a path or a name on Linux is any bytes, a JSON text is UTF-8 (RFC 8259
 * section 8.1), so what was not UTF-8 is shown as replaced, never passed
 * on raw.
 */
#ifndef TATTLE_JSONW_H
#define TATTLE_JSONW_H

#include <stddef.h>
#include <stdint.h>

#define JW_MAX_DEPTH	64	/* nesting; the masks below have 64 bits */

struct jw {
	char		*buf;
	size_t		 len;
	size_t		 cap;
	size_t		 max;		/* bytes; past it err is set */
	int		 err;		/* out of memory, over max, too deep */
	int		 depth;
	uint64_t	 first;		/* bit d: no element yet at depth d */
	uint64_t	 arr;		/* bit d: depth d is an array */
};

void	 jw_init(struct jw *, size_t);
void	 jw_reset(struct jw *);
void	 jw_free(struct jw *);
char	*jw_take(struct jw *, size_t *);
void	 jw_obj(struct jw *);
void	 jw_arr(struct jw *);
void	 jw_end(struct jw *);
void	 jw_key(struct jw *, const char *);
void	 jw_keyn(struct jw *, const char *, size_t);
void	 jw_bytes(struct jw *, const char *, size_t);
void	 jw_str(struct jw *, const char *);
void	 jw_strn(struct jw *, const char *, size_t);
void	 jw_u64(struct jw *, uint64_t);
void	 jw_bool(struct jw *, int);
void	 jw_null(struct jw *);
void	 jw_raw(struct jw *, const char *, size_t);
void	 jw_kstr(struct jw *, const char *, const char *);
void	 jw_ku64(struct jw *, const char *, uint64_t);
void	 jw_kbool(struct jw *, const char *, int);

/*
 * jsonw_tree.c: a value parsed by yajl_tree_parse, written again as
 * compact JSON (numbers as they were written).  Callers include
 * <yajl/yajl_tree.h> first; libcommon's other users need no yajl.
 */
#ifdef YAJL_TREE_H
void	 jw_tree(struct jw *, yajl_val);
char	*jw_tree_text(yajl_val, size_t, size_t *);
#endif

#endif /* TATTLE_JSONW_H */
