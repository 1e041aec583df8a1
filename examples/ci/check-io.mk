# check-io.mk: `make check-io` runs the test suite under iospy with the
# repository's I/O budget.  Include it from your Makefile:
#
#     include examples/ci/check-io.mk     # (or wherever you keep it)
#
# and run `make check-io`.  Override on the command line or before the
# include:
#     IOSPY            the iospy binary (iospy)
#     CHECK_IO_LIMITS  the limits file (io-budget.conf next to this file)
#     CHECK_IO_CMD     what to run under iospy ($(MAKE) check)
#     CHECK_IO_JUNIT   JUnit XML for the CI (iospy-junit.xml)
#     CHECK_IO_REPORT  the text report (iospy-report.txt)
#     CHECK_IO_JSON    the JSON report (iospy-report.json)
#     CHECK_IO_ARGS    more iospy options (e.g. --error-exitcode 3)
# The target fails when a limit is broken or the command fails; exit 77
# from check-io.sh (tracing denied) is passed through as a failure of the
# target, with a message that says why.

CHECK_IO_DIR := $(dir $(lastword $(MAKEFILE_LIST)))
IOSPY ?= iospy
CHECK_IO_LIMITS ?= $(CHECK_IO_DIR)io-budget.conf
CHECK_IO_CMD ?= $(MAKE) check
CHECK_IO_JUNIT ?= iospy-junit.xml
CHECK_IO_REPORT ?= iospy-report.txt
CHECK_IO_JSON ?= iospy-report.json
CHECK_IO_ARGS ?=

.PHONY: check-io
check-io:
	IOSPY='$(IOSPY)' IOSPY_ARGS='$(CHECK_IO_ARGS)' \
	    $(SHELL) $(CHECK_IO_DIR)check-io.sh -l '$(CHECK_IO_LIMITS)' \
	    -j '$(CHECK_IO_JUNIT)' -r '$(CHECK_IO_REPORT)' -J '$(CHECK_IO_JSON)' \
	    -- $(CHECK_IO_CMD)
