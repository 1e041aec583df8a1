/*
 * elfsym.h: what symbol an offset in an ELF file is inside, and when it
 * is only near one.
 *
 * A symbol names a pc as a fact only when the pc lies inside it:
 * [st_value, st_value + st_size) of a function in .symtab or .dynsym.
 * On a stripped binary the nearest exported symbol below a pc is often
 * thousands of bytes away and names some other function: that is a guess,
 * and is returned as one.  Real names come from the separate debug file
 * where one is installed: /usr/lib/debug/.build-id/xx/yyyy.debug by the
 * build-id note, or the .gnu_debuglink name next to the file, in its
 * .debug/ folder or under /usr/lib/debug.
 *
 * Each file is read once (its symbols sorted by address) and kept until
 * elfsym_free.
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_ELFSYM_H
#define IOSPY_ELFSYM_H

#include <stdbool.h>
#include <stdint.h>

struct elfsym;

/* What is known of one offset. */
struct elfsym_hit {
	const char *name;	/* the containing function, or NULL */
	uint64_t off;		/* offset of the pc in it */
	const char *near;	/* no containing one: the nearest symbol below
				   (a guess), or NULL */
	uint64_t near_off;	/* distance from it */
};

/* A new, empty cache. */
struct elfsym *elfsym_new(void);

/* Free it and every string it returned. */
void elfsym_free(struct elfsym *es);

/* Look up file offset modoff of path (a mapped module); false when the
   file cannot be read as ELF.  Strings stay valid until elfsym_free. */
bool elfsym_lookup(struct elfsym *es, const char *path, uint64_t modoff,
    struct elfsym_hit *hit);

/* The debug file found for path, or NULL (for tests and the report). */
const char *elfsym_debug_file(struct elfsym *es, const char *path);

#endif /* IOSPY_ELFSYM_H */
