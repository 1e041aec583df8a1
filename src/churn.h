/*
 * churn.h: memory churn: big anonymous mappings made and dropped around
 * the writes (see issue 4).
 *
 * Copyright (C) 2026 The iospy authors.  GPL-2.0-or-later.
 */
#ifndef IOSPY_CHURN_H
#define IOSPY_CHURN_H

#endif /* IOSPY_CHURN_H */
