/*
 * rotation.c: rotation detection (stub, see issue 4).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#include "config.h"

#include "rotation.h"
