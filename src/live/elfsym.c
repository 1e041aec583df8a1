/*
 * elfsym.c: symbols of ELF files by address (see elfsym.h).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "live/elfsym.h"
#include "base/util.h"

/* Files larger than this are not read (a symbol table is never that big). */
#define ELF_MAX (1ULL << 31)
#define SECT_MAX (256ULL << 20)

struct esym {
	uint64_t start, size;
	const char *name;	/* into the owning file's strings */
};

struct eload {
	uint64_t off, filesz, vaddr;
};

struct efile {
	char *path;
	bool ok;
	struct esym *syms;	/* sorted by start */
	size_t nsyms;
	char **strtabs;		/* string tables kept for the names */
	size_t nstrtabs;
	struct eload *loads;
	size_t nloads;
	char *debug;		/* the debug file used, or NULL */
	struct efile *next;
};

struct elfsym {
	struct efile *files;
	struct efile *last;
};

struct elfsym *
elfsym_new(void)
{
	return xcalloc(1, sizeof(struct elfsym));
}

void
elfsym_free(struct elfsym *es)
{
	struct efile *f, *next;
	size_t i;

	if (es == NULL)
		return;
	for (f = es->files; f != NULL; f = next) {
		next = f->next;
		for (i = 0; i < f->nstrtabs; i++)
			free(f->strtabs[i]);
		free(f->strtabs);
		free(f->syms);
		free(f->loads);
		free(f->debug);
		free(f->path);
		free(f);
	}
	free(es);
}

static void *
read_at(int fd, uint64_t off, uint64_t len)
{
	char *b;
	uint64_t got = 0;

	if (len == 0 || len > SECT_MAX)
		return NULL;
	b = xmalloc(len + 1);
	while (got < len) {
		ssize_t n = pread(fd, b + got, len - got, (off_t)(off + got));

		if (n <= 0) {
			free(b);
			return NULL;
		}
		got += (uint64_t)n;
	}
	b[len] = '\0';
	return b;
}

struct elf {
	int fd;
	uint64_t size;
	Elf64_Ehdr eh;
	Elf64_Shdr *sh;
	char *shstr;
	uint64_t shstrsz;
};

static bool
elf_open(struct elf *e, const char *path)
{
	struct stat sb;

	memset(e, 0, sizeof(*e));
	e->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (e->fd < 0)
		return false;
	if (fstat(e->fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (uint64_t)sb.st_size > ELF_MAX ||
	    pread(e->fd, &e->eh, sizeof(e->eh), 0) != (ssize_t)sizeof(e->eh) ||
	    memcmp(e->eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    e->eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    e->eh.e_shentsize != sizeof(Elf64_Shdr)) {
		close(e->fd);
		e->fd = -1;
		return false;
	}
	e->size = (uint64_t)sb.st_size;
	if (e->eh.e_shnum > 0 && e->eh.e_shoff < e->size)
		e->sh = read_at(e->fd, e->eh.e_shoff,
		    (uint64_t)e->eh.e_shnum * sizeof(Elf64_Shdr));
	if (e->sh != NULL && e->eh.e_shstrndx < e->eh.e_shnum) {
		const Elf64_Shdr *s = &e->sh[e->eh.e_shstrndx];

		e->shstr = read_at(e->fd, s->sh_offset, s->sh_size);
		e->shstrsz = e->shstr ? s->sh_size : 0;
	}
	return true;
}

static void
elf_close(struct elf *e)
{
	if (e->fd >= 0)
		close(e->fd);
	free(e->sh);
	free(e->shstr);
}

static const char *
sect_name(const struct elf *e, const Elf64_Shdr *s)
{
	if (e->shstr == NULL || s->sh_name >= e->shstrsz)
		return "";
	return e->shstr + s->sh_name;
}

static const Elf64_Shdr *
sect_find(const struct elf *e, const char *name, uint32_t type)
{
	unsigned i;

	for (i = 0; e->sh != NULL && i < e->eh.e_shnum; i++)
		if ((type == 0 || e->sh[i].sh_type == type) &&
		    (name == NULL || strcmp(sect_name(e, &e->sh[i]), name) == 0))
			return &e->sh[i];
	return NULL;
}

/* Add the defined symbols of a symbol table of type type. */
static bool
add_syms(struct efile *f, const struct elf *e, uint32_t type)
{
	const Elf64_Shdr *s = sect_find(e, NULL, type), *strs;
	Elf64_Sym *v;
	char *str;
	size_t n, i;

	if (s == NULL || s->sh_entsize != sizeof(Elf64_Sym) ||
	    s->sh_link >= e->eh.e_shnum)
		return false;
	strs = &e->sh[s->sh_link];
	v = read_at(e->fd, s->sh_offset, s->sh_size);
	str = read_at(e->fd, strs->sh_offset, strs->sh_size);
	if (v == NULL || str == NULL) {
		free(v);
		free(str);
		return false;
	}
	n = s->sh_size / sizeof(Elf64_Sym);
	f->syms = xrealloc(f->syms, (f->nsyms + n + 1) * sizeof(*f->syms));
	for (i = 0; i < n; i++) {
		int t = ELF64_ST_TYPE(v[i].st_info);

		if (v[i].st_shndx == SHN_UNDEF || v[i].st_value == 0 ||
		    v[i].st_name >= strs->sh_size || str[v[i].st_name] == '\0')
			continue;
		if (t != STT_FUNC && t != STT_GNU_IFUNC && t != STT_NOTYPE)
			continue;
		f->syms[f->nsyms].start = v[i].st_value;
		/* only a function's extent is a fact; a label has none */
		f->syms[f->nsyms].size = t == STT_NOTYPE ? 0 : v[i].st_size;
		f->syms[f->nsyms].name = str + v[i].st_name;
		f->nsyms++;
	}
	free(v);
	f->strtabs = xrealloc(f->strtabs, (f->nstrtabs + 1) * sizeof(char *));
	f->strtabs[f->nstrtabs++] = str;
	return true;
}

static void
add_loads(struct efile *f, const struct elf *e)
{
	Elf64_Phdr *ph;
	unsigned i;

	if (e->eh.e_phentsize != sizeof(Elf64_Phdr) || e->eh.e_phnum == 0)
		return;
	ph = read_at(e->fd, e->eh.e_phoff,
	    (uint64_t)e->eh.e_phnum * sizeof(Elf64_Phdr));
	if (ph == NULL)
		return;
	f->loads = xcalloc(e->eh.e_phnum, sizeof(*f->loads));
	for (i = 0; i < e->eh.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			f->loads[f->nloads].off = ph[i].p_offset;
			f->loads[f->nloads].filesz = ph[i].p_filesz;
			f->loads[f->nloads].vaddr = ph[i].p_vaddr;
			f->nloads++;
		}
	free(ph);
}

/* The build-id of e as hex, into buf; false if none. */
static bool
build_id(const struct elf *e, char *buf, size_t bufsz)
{
	const Elf64_Shdr *s = sect_find(e, ".note.gnu.build-id", SHT_NOTE);
	unsigned char *n;
	Elf64_Nhdr nh;
	size_t i, k = 0;

	if (s == NULL || s->sh_size < sizeof(nh) + 4)
		return false;
	n = read_at(e->fd, s->sh_offset, s->sh_size);
	if (n == NULL)
		return false;
	memcpy(&nh, n, sizeof(nh));
	if (nh.n_type != NT_GNU_BUILD_ID || nh.n_descsz == 0 ||
	    sizeof(nh) + ((nh.n_namesz + 3) & ~3U) + nh.n_descsz > s->sh_size ||
	    nh.n_descsz * 2 + 1 > bufsz) {
		free(n);
		return false;
	}
	for (i = 0; i < nh.n_descsz; i++)
		k += (size_t)snprintf(buf + k, bufsz - k, "%02x",
		    n[sizeof(nh) + ((nh.n_namesz + 3) & ~3U) + i]);
	free(n);
	return true;
}

static bool
is_file(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The separate debug file of path (e read), or NULL. */
static char *
find_debug(const struct elf *e, const char *path)
{
	char id[256], buf[4096], dir[4096];
	const Elf64_Shdr *s;
	const char *slash;

	if (build_id(e, id, sizeof(id)) && strlen(id) > 2) {
		snprintf(buf, sizeof(buf), "/usr/lib/debug/.build-id/%.2s/%s.debug",
		    id, id + 2);
		if (is_file(buf))
			return xstrdup(buf);
	}
	s = sect_find(e, ".gnu_debuglink", 0);
	if (s == NULL)
		return NULL;
	{
		char *link = read_at(e->fd, s->sh_offset, s->sh_size);
		static const char *const fmts[] = {
			"%s/%s", "%s/.debug/%s", "/usr/lib/debug%s/%s",
		};
		size_t i;

		if (link == NULL)
			return NULL;
		link[s->sh_size] = '\0';
		slash = strrchr(path, '/');
		snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 0,
		    path);
		for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
			snprintf(buf, sizeof(buf), fmts[i], dir, link);
			if (strcmp(buf, path) != 0 && is_file(buf)) {
				free(link);
				return xstrdup(buf);
			}
		}
		free(link);
	}
	return NULL;
}

static int
esym_cmp(const void *a, const void *b)
{
	const struct esym *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* the one with an extent first */
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return 0;
}

static void
load(struct efile *f)
{
	struct elf e, d;
	bool full;

	if (!elf_open(&e, f->path))
		return;
	f->ok = true;
	add_loads(f, &e);
	full = add_syms(f, &e, SHT_SYMTAB);
	if (!full) {
		f->debug = find_debug(&e, f->path);
		if (f->debug != NULL && elf_open(&d, f->debug)) {
			full = add_syms(f, &d, SHT_SYMTAB);
			elf_close(&d);
		}
	}
	add_syms(f, &e, SHT_DYNSYM);
	elf_close(&e);
	if (f->nsyms > 1)
		qsort(f->syms, f->nsyms, sizeof(*f->syms), esym_cmp);
}

static struct efile *
file_get(struct elfsym *es, const char *path)
{
	struct efile *f;

	if (es->last != NULL && strcmp(es->last->path, path) == 0)
		return es->last;
	for (f = es->files; f != NULL; f = f->next)
		if (strcmp(f->path, path) == 0)
			break;
	if (f == NULL) {
		f = xcalloc(1, sizeof(*f));
		f->path = xstrdup(path);
		load(f);
		f->next = es->files;
		es->files = f;
	}
	es->last = f;
	return f;
}

const char *
elfsym_debug_file(struct elfsym *es, const char *path)
{
	return path ? file_get(es, path)->debug : NULL;
}

bool
elfsym_lookup(struct elfsym *es, const char *path, uint64_t modoff,
    struct elfsym_hit *hit)
{
	struct efile *f;
	uint64_t va = 0;
	size_t lo, hi, i;
	bool mapped = false;

	memset(hit, 0, sizeof(*hit));
	if (path == NULL)
		return false;
	f = file_get(es, path);
	if (!f->ok)
		return false;
	for (i = 0; i < f->nloads; i++)
		if (modoff >= f->loads[i].off &&
		    modoff < f->loads[i].off + f->loads[i].filesz) {
			va = modoff - f->loads[i].off + f->loads[i].vaddr;
			mapped = true;
			break;
		}
	if (!mapped || f->nsyms == 0)
		return true;
	/* the last symbol starting at or below va */
	lo = 0;
	hi = f->nsyms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->syms[mid].start <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return true;
	/* symbols may nest or share a start: any that contains va is a fact */
	for (i = lo; i-- > 0;) {
		const struct esym *s = &f->syms[i];

		if (s->size > 0 && va < s->start + s->size) {
			hit->name = s->name;
			hit->off = va - s->start;
			return true;
		}
		if (lo - i > 64)
			break;
	}
	hit->near = f->syms[lo - 1].name;
	hit->near_off = va - f->syms[lo - 1].start;
	return true;
}
