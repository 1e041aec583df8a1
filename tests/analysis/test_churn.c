/* tests/analysis/test_churn.c: the anonymous-mapping tracker and its attribution. */
#include "config.h"

#include <criterion/criterion.h>

#include "analysis/churn.h"

#define MiB (1024ULL * 1024)

static struct churn *C;
static int64_t credited[4];	/* by owner index */

static void
credit(void *ctx, void *owner, int64_t bytes)
{
	(void)ctx;
	credited[(uintptr_t)owner] += bytes;
}

static void
setup(void)
{
	memset(credited, 0, sizeof(credited));
	C = churn_new(1 * MiB, credit, NULL);
}

static void
teardown(void)
{
	churn_free(C);
}

TestSuite(churn, .init = setup, .fini = teardown);

#define OWNER(i) ((void *)(uintptr_t)(i))

Test(churn, seed_pattern_costs_two_maps_per_message)
{
	const uint64_t M = 314576896, A = 0x7fed00372000, B = 0x7feced771000;
	int i;

	for (i = 0; i < 10; i++) {
		churn_mmap(C, 1, A, M, true);
		churn_mmap(C, 1, B, M, true);
		cr_assert_eq(churn_write(C, 1, OWNER(1)), 2 * M);
		churn_munmap(C, B, M);
		cr_assert_eq(churn_write(C, 1, OWNER(1)), 0, "the newline");
		churn_munmap(C, A, M);
	}
	cr_assert_eq(credited[1], 20 * M);
	cr_assert_eq(churn_counts(C)->live, 0);
	cr_assert_eq(churn_counts(C)->peak, 2 * M);
	cr_assert_eq(churn_nmaps(C), 0);
}

Test(churn, small_and_file_maps_are_not_churn)
{
	churn_mmap(C, 1, 0x1000000, 512 * 1024, true);
	churn_mmap(C, 1, 0x2000000, 64 * MiB, false);	/* file-backed */
	cr_assert_eq(churn_write(C, 1, OWNER(1)), 0);
	churn_munmap(C, 0x1000000, 512 * 1024);
	churn_munmap(C, 0x2000000, 64 * MiB);
	cr_assert_eq(credited[1], 0);
	cr_assert_eq(churn_counts(C)->mmaps, 1, "only anonymous maps count");
	cr_assert_eq(churn_counts(C)->munmap_bytes, 512 * 1024);
}

Test(churn, threads_are_separate)
{
	churn_mmap(C, 2, 0x1000000, 8 * MiB, true);
	cr_assert_eq(churn_write(C, 1, OWNER(1)), 0);
	cr_assert_eq(churn_write(C, 2, OWNER(2)), 8 * MiB);
	churn_munmap(C, 0x1000000, 8 * MiB);
	cr_assert_eq(credited[1], 0);
	cr_assert_eq(credited[2], 8 * MiB);
}

Test(churn, kept_buffer_expires_at_next_cycle)
{
	churn_mmap(C, 1, 0x1000000, 8 * MiB, true);
	churn_write(C, 1, OWNER(1));
	churn_mmap(C, 1, 0x9000000, 2 * MiB, true);
	churn_write(C, 1, OWNER(2));		/* new cycle */
	churn_munmap(C, 0x1000000, 8 * MiB);	/* the kept one, later */
	churn_munmap(C, 0x9000000, 2 * MiB);
	cr_assert_eq(credited[1], 0);
	cr_assert_eq(credited[2], 2 * MiB);
}

Test(churn, dropped_before_write_is_not_attributed)
{
	churn_mmap(C, 1, 0x1000000, 8 * MiB, true);
	churn_munmap(C, 0x1000000, 8 * MiB);
	cr_assert_eq(churn_write(C, 1, OWNER(1)), 0);
	cr_assert_eq(churn_counts(C)->big_maps, 1);
	cr_assert_eq(churn_counts(C)->big_dropped_bytes, 8 * MiB);
	cr_assert_eq(churn_counts(C)->attributed_bytes, 0);
}

Test(churn, partial_unmap_and_hole)
{
	churn_mmap(C, 1, 0x1000000, 8 * MiB, true);
	churn_write(C, 1, OWNER(1));
	/* punch a hole in the middle, then drop both sides */
	churn_munmap(C, 0x1000000 + 2 * MiB, 2 * MiB);
	cr_assert_eq(churn_nmaps(C), 2);
	cr_assert_eq(credited[1], 8 * MiB, "credited at the write");
	churn_munmap(C, 0x1000000, 2 * MiB);
	churn_munmap(C, 0x1000000 + 4 * MiB, 4 * MiB);
	cr_assert_eq(credited[1], 8 * MiB);
	cr_assert_eq(churn_nmaps(C), 0);
	cr_assert_eq(churn_counts(C)->live, 0);
}

Test(churn, one_munmap_over_several_maps)
{
	churn_mmap(C, 1, 0x1000000, 2 * MiB, true);
	churn_mmap(C, 1, 0x1200000, 2 * MiB, true);
	churn_write(C, 1, OWNER(1));
	churn_munmap(C, 0x1000000, 4 * MiB);
	cr_assert_eq(credited[1], 4 * MiB);
	cr_assert_eq(churn_nmaps(C), 0);
}

Test(churn, mremap_grow_shrink_and_move)
{
	/* shrink keeps the fresh bytes of the original map (the seed's
	   mremap 375 MiB -> 300 MiB) */
	churn_mmap(C, 1, 0x1000000, 12 * MiB, true);
	churn_mremap(C, 1, 0x1000000, 12 * MiB, 0x1000000, 10 * MiB);
	churn_write(C, 1, OWNER(1));
	churn_munmap(C, 0x1000000, 10 * MiB);
	cr_assert_eq(credited[1], 10 * MiB);
	/* growth by >= min_map moves and is fresh */
	churn_mmap(C, 1, 0x1000000, 4096, true);
	churn_mremap(C, 1, 0x1000000, 4096, 0x7000000, 4 * MiB + 4096);
	{ uint64_t got = churn_write(C, 1, OWNER(2)); cr_assert_eq(got, 4 * MiB, "got %llu", (unsigned long long)got); }
	churn_munmap(C, 0x7000000, 4 * MiB + 4096);
	cr_assert_eq(credited[2], 4 * MiB);
	cr_assert_eq(churn_counts(C)->mremap_grow_bytes, 4 * MiB);
	/* a remap of something never seen (attached mid-run) */
	churn_mremap(C, 1, 0x3000000, 393220096, 0x3000000, 314576896);
	churn_munmap(C, 0x3000000, 314576896);
	cr_assert_eq(churn_nmaps(C), 0);
}

Test(churn, map_fixed_replaces)
{
	churn_mmap(C, 1, 0x1000000, 4 * MiB, true);
	churn_mmap(C, 1, 0x1000000, 4 * MiB, true);
	cr_assert_eq(churn_nmaps(C), 1);
	cr_assert_eq(churn_counts(C)->live, 4 * MiB);
}

Test(churn, brk_growth)
{
	churn_brk(C, 0, 0x5000000);			/* brk(NULL): the base */
	churn_brk(C, 0x5000000 + 132 * 1024, 0x5000000 + 132 * 1024);
	churn_brk(C, 0x5000000 + 64 * 1024, 0x5000000 + 64 * 1024);
	cr_assert_eq(churn_counts(C)->brks, 3);
	cr_assert_eq(churn_counts(C)->brk_grow_bytes, 132 * 1024);
	cr_assert_eq(churn_counts(C)->live, 64 * 1024);
	cr_assert_eq(churn_counts(C)->peak, 132 * 1024);
	/* after an exec the break is elsewhere: no growth from that jump */
	churn_mmap(C, 1, 0x1000000, 8 * MiB, true);
	churn_exec(C);
	cr_assert_eq(churn_counts(C)->live, 0);
	cr_assert_eq(churn_nmaps(C), 0);
	churn_brk(C, 0, 0x55550000000);
	churn_brk(C, 0x55550000000 + 4096, 0x55550000000 + 4096);
	cr_assert_eq(churn_counts(C)->brk_grow_bytes, 132 * 1024 + 4096);
	cr_assert_eq(churn_counts(C)->peak, 8 * MiB + 64 * 1024);
}

Test(churn, reassign_and_thread_exit)
{
	churn_mmap(C, 1, 0x1000000, 2 * MiB, true);
	churn_write(C, 1, OWNER(1));
	cr_assert_eq(credited[1], 2 * MiB);
	/* the record was merged into another: take-backs go there */
	churn_reassign(C, OWNER(1), OWNER(3));
	churn_mmap(C, 1, 0x5000000, 2 * MiB, true);
	churn_write(C, 1, OWNER(2));
	cr_assert_eq(credited[3], -(int64_t)(2 * MiB), "kept: taken back");
	/* a thread that ends with pending maps attributes nothing */
	churn_mmap(C, 5, 0x9000000, 2 * MiB, true);
	churn_thread_exit(C, 5);
	churn_munmap(C, 0x9000000, 2 * MiB);
	cr_assert_eq(churn_write(C, 5, OWNER(2)), 0);
	cr_assert_eq(credited[2], 2 * MiB);
}

Test(churn, live_at_the_end_stays_credited)
{
	/* the seed excerpt ends right after a write: its two maps are still
	   live, and count */
	churn_mmap(C, 1, 0x1000000, 300 * MiB, true);
	churn_mmap(C, 1, 0x20000000, 300 * MiB, true);
	churn_write(C, 1, OWNER(1));
	cr_assert_eq(credited[1], 600 * MiB);
	cr_assert_eq(churn_counts(C)->attributed_bytes, 600 * MiB);
}

Test(churn, many_live_maps_stay_sorted)
{
	uint64_t i;

	for (i = 0; i < 1000; i++)
		churn_mmap(C, 1, 0x10000000 + ((i * 7919) % 1000) * 0x200000,
		    0x100000, true);
	cr_assert_eq(churn_nmaps(C), 1000);
	cr_assert_eq(churn_write(C, 1, OWNER(1)), 1000 * 0x100000);
	for (i = 0; i < 1000; i++)
		churn_munmap(C, 0x10000000 + i * 0x200000, 0x100000);
	cr_assert_eq(churn_nmaps(C), 0);
	cr_assert_eq(credited[1], 1000 * 0x100000);
}
