/*
 * attributord-ftrace.c: the ring-buffer page decoder on real pages captured on
 * a 6.18 kernel (data/attr-pages.bin, made by attributord-capture.c: layout,
 * then per page the CPU, length and bytes; data/attr-pages.txt names
 * the pids and ports in them), on hand-made pages for the record types a
 * short capture rarely holds, and on broken pages; and the format-file
 * parser on this kernel's format text.
 */
#include "config.h"

#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftrace.h"
#include "t.h"
#include "tracefs.h"

#define MAX_TEST_PAGES	64

struct capture {
	struct trace_layout	 lay;
	uint32_t		 npages;
	uint32_t		 cpu[MAX_TEST_PAGES];
	uint32_t		 len[MAX_TEST_PAGES];
	uint8_t			*page[MAX_TEST_PAGES];
	long			 capture_pid, true_pid, thread_tid;
	long			 udp4_sport, udp6_sport;
};

static int	load(struct capture *);
static long	meta(const char *, const char *);
static void	test_real(struct capture *);
static void	test_synthetic(const struct capture *);
static void	test_broken(struct capture *);
static void	test_format(void);
static size_t	put_rec(uint8_t *, size_t, uint32_t, uint32_t, const void *,
		    size_t);

static struct ftrace_event	 ev[MAX_PAGE_EVENTS];

static long
meta(const char *text, const char *key)
{
	const char	*p = strstr(text, key);

	return p == NULL ? -1 : strtol(p + strlen(key), NULL, 10);
}

static int
load(struct capture *c)
{
	FILE		*f;
	char		 text[512];
	size_t		 n;
	uint32_t	 i;

	memset(c, 0, sizeof(*c));
	if ((f = fopen(ATTR_TESTDATA "/attr-pages.txt", "r")) == NULL)
		return -1;
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	c->capture_pid = meta(text, "capture_pid ");
	c->true_pid = meta(text, "true_pid ");
	c->thread_tid = meta(text, "thread_tid ");
	c->udp4_sport = meta(text, "udp4_sport ");
	c->udp6_sport = meta(text, "udp6_sport ");
	if ((f = fopen(ATTR_TESTDATA "/attr-pages.bin", "r")) == NULL)
		return -1;
	if (fread(&c->lay, sizeof(c->lay), 1, f) != 1 ||
	    fread(&c->npages, sizeof(c->npages), 1, f) != 1 ||
	    c->npages > MAX_TEST_PAGES)
		goto bad;
	for (i = 0; i < c->npages; i++) {
		if (fread(&c->cpu[i], 4, 1, f) != 1 ||
		    fread(&c->len[i], 4, 1, f) != 1 ||
		    c->len[i] > c->lay.page_size ||
		    (c->page[i] = malloc(c->lay.page_size)) == NULL ||
		    fread(c->page[i], 1, c->len[i], f) != c->len[i])
			goto bad;
	}
	fclose(f);
	return 0;
 bad:
	fclose(f);
	return -1;
}

static void
test_real(struct capture *c)
{
	struct ftrace_event	*e;
	uint64_t		 last;
	size_t			 n, i;
	uint32_t		 p;
	int			 missed, seen_exec = 0, seen_fork = 0;
	int			 seen_thread = 0, seen_exit = 0, seen_conn = 0;
	int			 seen_r4 = 0, seen_r6 = 0, total = 0;
	uint8_t			 lo4[4], lo6[16];

	inet_pton(AF_INET, "127.0.0.1", lo4);
	inet_pton(AF_INET6, "::1", lo6);
	T_EQ_INT(ftrace_check_layout(&c->lay), 0);
	T_CHECK(c->npages > 0);
	for (p = 0; p < c->npages; p++) {
		T_EQ_INT(ftrace_decode_page(&c->lay, c->page[p], c->len[p],
		    c->cpu[p], ev, MAX_PAGE_EVENTS, &n, &missed), 0);
		T_EQ_INT(missed, 0);
		last = 0;
		for (i = 0; i < n; i++) {
			e = &ev[i];
			total++;
			T_CHECK(e->ts >= last);
			last = e->ts;
			T_EQ_INT(e->cpu, c->cpu[p]);
			switch (e->type) {
			case FT_EXEC:
				if (e->pid == c->true_pid) {
					seen_exec++;
					T_EQ_INT(e->pathlen, 9);
					T_CHECK(memcmp(e->path, "/bin/true",
					    9) == 0);
					T_EQ_INT(e->old_pid, e->pid);
				}
				break;
			case FT_NEWTASK:
				T_EQ_INT(e->tid, c->capture_pid);
				if (e->pid == c->true_pid && !e->thread)
					seen_fork++;
				if (e->pid == c->thread_tid && e->thread)
					seen_thread++;
				break;
			case FT_EXIT:
				if (e->pid == c->true_pid)
					seen_exit++;
				break;
			case FT_CONNECT:
				seen_conn++;
				T_EQ_INT(e->tid, c->capture_pid);
				T_EQ_INT(e->tuple.family, 2);
				T_EQ_INT(e->tuple.proto, 6);
				T_EQ_INT(e->tuple.dport, 9);
				T_EQ_INT(e->tuple.sport, 0);
				T_CHECK(memcmp(e->tuple.daddr, lo4, 4) == 0);
				T_CHECK(memcmp(e->tuple.saddr, lo4, 4) == 0);
				break;
			case FT_ROUTE:
				T_EQ_INT(e->tid, c->capture_pid);
				T_EQ_INT(e->tuple.proto, 17);
				T_EQ_INT(e->tuple.dport, 9);
				if (e->tuple.family == 2) {
					seen_r4++;
					T_EQ_INT(e->tuple.sport,
					    c->udp4_sport);
					T_CHECK(memcmp(e->tuple.daddr, lo4, 4)
					    == 0);
				} else {
					seen_r6++;
					T_EQ_INT(e->tuple.sport,
					    c->udp6_sport);
					T_CHECK(memcmp(e->tuple.daddr, lo6, 16)
					    == 0);
				}
				break;
			default:
				T_CHECK(0);
			}
		}
	}
	T_EQ_INT(seen_exec, 1);
	T_EQ_INT(seen_fork, 1);
	T_EQ_INT(seen_thread, 1);
	T_EQ_INT(seen_exit, 1);
	T_EQ_INT(seen_conn, 1);
	T_EQ_INT(seen_r4, 1);
	/* The second IPv6 lookup was the reply's, in softirq: dropped. */
	T_EQ_INT(seen_r6, 1);
	/* An independent decoder found 8 records, one of them that one. */
	T_EQ_INT(total, 7);
	/* A too-small event array stops short, it does not overflow. */
	T_EQ_INT(ftrace_decode_page(&c->lay, c->page[0], c->len[0],
	    c->cpu[0], ev, 1, &n, &missed), 0);
	T_CHECK(n <= 1);
}

/* Append one record (header word, optional array word, payload). */
static size_t
put_rec(uint8_t *pg, size_t off, uint32_t type_len, uint32_t delta,
    const void *payload, size_t len)
{
	uint32_t	 hdr = (delta << 5) | type_len;

	memcpy(pg + off, &hdr, 4);
	off += 4;
	if (payload != NULL) {
		memcpy(pg + off, payload, len);
		off += len;
	}
	return off;
}

/*
 * A page with a time extend, a discarded record, an absolute time stamp,
 * a long record (type_len 0), and padding to the end.
 */
static void
test_synthetic(const struct capture *c)
{
	const struct trace_layout *lay = &c->lay;
	uint8_t		 pg[4096], rec[64];
	uint64_t	 ts = 1000000, commit;
	uint32_t	 w, abs_hi;
	uint16_t	 type;
	int32_t		 pid;
	size_t		 off = lay->data_off, n;
	int		 missed;

	memset(pg, 0, sizeof(pg));
	memcpy(pg, &ts, 8);
	/* An exit record of process 4242, built from the layout. */
	memset(rec, 0, sizeof(rec));
	type = lay->id[TE_EXIT];
	memcpy(rec + lay->f[TF_TYPE].off, &type, 2);
	pid = 4242;
	memcpy(rec + lay->f[TF_PID].off, &pid, 4);
	memcpy(rec + lay->f[TF_EXIT_PID].off, &pid, 4);
	rec[lay->f[TF_EXIT_GROUPDEAD].off] = 1;

	w = 3;					/* extend: 3 << 27 more */
	off = put_rec(pg, off, 30, 5, &w, 4);
	off = put_rec(pg, off, 9, 7, rec, 36);	/* 36-byte exit */
	w = 12;					/* discarded: 8 + 4 */
	off = put_rec(pg, off, 29, 11, &w, 4);
	off += 8;
	abs_hi = 100;				/* absolute (100 << 27) | 1 */
	off = put_rec(pg, off, 31, 1, &abs_hi, 4);
	w = 40;					/* long form: 36 + 4 */
	off = put_rec(pg, off, 0, 2, &w, 4);
	memcpy(pg + off, rec, 36);
	off += 36;
	off = put_rec(pg, off, 29, 0, NULL, 0);	/* padding to the end */
	commit = off - lay->data_off;
	memcpy(pg + lay->commit_off, &commit, lay->commit_size);

	T_EQ_INT(ftrace_decode_page(lay, pg, lay->page_size, 1, ev,
	    MAX_PAGE_EVENTS, &n, &missed), 0);
	T_EQ_INT(n, 2);
	T_EQ_INT(ev[0].type, FT_EXIT);
	T_EQ_INT(ev[0].pid, 4242);
	T_EQ_INT(ev[0].ts, 1000000 + 5 + (3ULL << 27) + 7);
	T_EQ_INT(ev[1].ts, (100ULL << 27 | 1) + 2);
	T_EQ_INT(ev[1].cpu, 1);

	/* "Events lost" flags are reported, the page still decodes. */
	commit |= 1ULL << 31;
	memcpy(pg + lay->commit_off, &commit, lay->commit_size);
	T_EQ_INT(ftrace_decode_page(lay, pg, lay->page_size, 1, ev,
	    MAX_PAGE_EVENTS, &n, &missed), 0);
	T_EQ_INT(missed, 1);
	T_EQ_INT(n, 2);
	/* As the kernel writes them: sign-extended, and "count stored". */
	commit |= 0xffffffff00000000ULL | (1ULL << 30);
	memcpy(pg + lay->commit_off, &commit, lay->commit_size);
	T_EQ_INT(ftrace_decode_page(lay, pg, lay->page_size, 1, ev,
	    MAX_PAGE_EVENTS, &n, &missed), 0);
	T_EQ_INT(missed, 1);
	T_EQ_INT(n, 2);
	commit &= 0xffffffffULL & ~(3ULL << 30);
	/* An exit that did not end the process is not an exit event. */
	commit &= ~(1ULL << 31);
	memcpy(pg + lay->commit_off, &commit, lay->commit_size);
	pg[lay->data_off + 8 + 4 + lay->f[TF_EXIT_GROUPDEAD].off] = 0;
	T_EQ_INT(ftrace_decode_page(lay, pg, lay->page_size, 1, ev,
	    MAX_PAGE_EVENTS, &n, &missed), 0);
	T_EQ_INT(n, 1);
}

static void
test_broken(struct capture *c)
{
	struct trace_layout	 bad;
	uint8_t			 pg[4096];
	uint64_t		 commit;
	uint32_t		 hdr, loc;
	size_t			 n, len = c->len[0], off;
	int			 missed, i;

	/* Too short to hold the page header. */
	T_EQ_INT(ftrace_decode_page(&c->lay, c->page[0], 8, 0, ev,
	    MAX_PAGE_EVENTS, &n, &missed), -1);
	T_EQ_INT(errno, EINVAL);
	/* Commit beyond the bytes read. */
	memcpy(pg, c->page[0], len);
	commit = c->lay.page_size;
	memcpy(pg + c->lay.commit_off, &commit, 8);
	T_EQ_INT(ftrace_decode_page(&c->lay, pg, len, 0, ev,
	    MAX_PAGE_EVENTS, &n, &missed), -1);
	/* Unknown high bits in the commit word. */
	commit = 16 | (1ULL << 40);
	memcpy(pg + c->lay.commit_off, &commit, 8);
	T_EQ_INT(ftrace_decode_page(&c->lay, pg, len, 0, ev,
	    MAX_PAGE_EVENTS, &n, &missed), -1);
	/* A long record whose length runs past the commit. */
	memcpy(pg, c->page[0], len);
	hdr = 0;
	memcpy(pg + c->lay.data_off, &hdr, 4);
	hdr = 0xfffffff0;
	memcpy(pg + c->lay.data_off + 4, &hdr, 4);
	T_EQ_INT(ftrace_decode_page(&c->lay, pg, len, 0, ev,
	    MAX_PAGE_EVENTS, &n, &missed), -1);
	/* A long record shorter than its own length word. */
	hdr = 2;
	memcpy(pg + c->lay.data_off + 4, &hdr, 4);
	T_EQ_INT(ftrace_decode_page(&c->lay, pg, len, 0, ev,
	    MAX_PAGE_EVENTS, &n, &missed), -1);
	/* An exec record whose filename points outside the record. */
	for (i = 0; i < 2; i++) {
		memcpy(pg, c->page[0], len);
		memset(pg + c->lay.data_off, 0, 40);
		hdr = 9;			/* 36-byte record */
		memcpy(pg + c->lay.data_off, &hdr, 4);
		off = c->lay.data_off + 4;
		memcpy(pg + off + c->lay.f[TF_TYPE].off,
		    &c->lay.id[TE_EXEC], 2);
		loc = i == 0 ? (200u << 16 | 20) : (4u << 16 | 20);
		memcpy(pg + off + c->lay.f[TF_EXEC_FILENAME].off, &loc, 4);
		if (i == 1)			/* inside, but no NUL */
			memcpy(pg + off + 20, "abcd", 4);
		commit = 40;
		memcpy(pg + c->lay.commit_off, &commit, 8);
		T_EQ_INT(ftrace_decode_page(&c->lay, pg, len, 0, ev,
		    MAX_PAGE_EVENTS, &n, &missed), -1);
		T_EQ_INT(n, 0);
	}
	/* Layouts that do not add up are refused. */
	bad = c->lay;
	bad.version = 99;
	T_EQ_INT(ftrace_check_layout(&bad), -1);
	bad = c->lay;
	bad.ncpu = MAX_TRACE_CPUS + 1;
	T_EQ_INT(ftrace_check_layout(&bad), -1);
	bad = c->lay;
	bad.data_off = (uint16_t)bad.page_size;
	T_EQ_INT(ftrace_check_layout(&bad), -1);
	bad = c->lay;
	bad.id[TE_EXEC] = 0;
	T_EQ_INT(ftrace_check_layout(&bad), -1);
}

/* The parser on this kernel's text for sched_process_exec and header_page. */
static void
test_format(void)
{
	static const char exec_fmt[] =
	    "name: sched_process_exec\nID: 365\nformat:\n"
	    "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\t"
	    "signed:0;\n"
	    "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	    "\tfield:__data_loc char[] filename;\toffset:8;\tsize:4;\t"
	    "signed:0;\n"
	    "\tfield:pid_t pid;\toffset:12;\tsize:4;\tsigned:1;\n"
	    "\tfield:__u8 saddr_v6[16];\toffset:40;\tsize:16;\tsigned:0;\n"
	    "\nprint fmt: \"filename=%s\", __get_str(filename)\n";
	static const char hdr_fmt[] =
	    "\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	    "\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	    "\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	    "\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n";
	static const char *const names[] = { "filename", "pid", "saddr_v6",
	    "common_pid", "nope" };
	struct trace_field	 f[5];
	struct trace_layout	 lay;
	uint16_t		 id = 0;

	T_EQ_INT(tracefs_parse_format(exec_fmt, names, 5, &id, f), 0);
	T_EQ_INT(id, 365);
	T_EQ_INT(f[0].off, 8);
	T_EQ_INT(f[0].size, 4);
	T_EQ_INT(f[1].off, 12);
	T_EQ_INT(f[2].off, 40);
	T_EQ_INT(f[2].size, 16);
	T_EQ_INT(f[3].off, 4);
	T_EQ_INT(f[4].size, 0);
	T_EQ_INT(tracefs_parse_format("format:\n", names, 5, &id, f), -1);
	T_EQ_INT(tracefs_parse_format("ID: 1\n\tfield:int x;\toffset:;\n",
	    names, 5, &id, f), -1);
	T_EQ_INT(tracefs_parse_format("ID: 1\n\tfield:int x;\toffset:70000;"
	    "\tsize:4;\n", names, 5, &id, f), -1);
	memset(&lay, 0, sizeof(lay));
	T_EQ_INT(tracefs_parse_header_page(hdr_fmt, &lay), 0);
	T_EQ_INT(lay.commit_off, 8);
	T_EQ_INT(lay.commit_size, 8);
	T_EQ_INT(lay.data_off, 16);
	T_EQ_INT(tracefs_parse_header_page("\tfield: char data;\toffset:16;"
	    "\tsize:4080;\n", &lay), -1);
}

int
main(void)
{
	static struct capture	 c;
	uint32_t		 i;

	T_EQ_INT(load(&c), 0);
	if (t_failed == 0) {
		test_real(&c);
		test_synthetic(&c);
		test_broken(&c);
	}
	test_format();
	for (i = 0; i < c.npages; i++)
		free(c.page[i]);
	return t_done("attributord-ftrace");
}
