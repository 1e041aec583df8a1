/*
 * rotation.h: log rotation: rename chains, deleted backups, reopen,
 * copytruncate, atomic replace (see issue 4).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_ROTATION_H
#define IOSPY_ROTATION_H

#endif /* IOSPY_ROTATION_H */
