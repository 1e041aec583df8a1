/* tests/analysis/test_churn.c: the anonymous-mapping tracker and its attribution. */
#include "config.h"

#include <criterion/criterion.h>

#include "analysis/churn.h"

#include <sys/mman.h>

#define MiB (1024ULL * 1024)
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static struct churn *C;
static int64_t credited[4];	/* by owner index */

static int64_t cwrites[4], cmaps[4];

static void
credit(void *ctx, void *owner, const struct churn_credit *cr)
{
	(void)ctx;
	credited[(uintptr_t)owner] += cr->bytes;
	cwrites[(uintptr_t)owner] += cr->writes;
	cmaps[(uintptr_t)owner] += cr->maps;
}

static void
setup(void)
{
	memset(credited, 0, sizeof(credited));
	memset(cwrites, 0, sizeof(cwrites));
	memset(cmaps, 0, sizeof(cmaps));
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
		churn_mmap(C, 1, A, M, RW, ANON);
		churn_mmap(C, 1, B, M, RW, ANON);
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
	churn_mmap(C, 1, 0x1000000, 512 * 1024, RW, ANON);
	churn_mmap(C, 1, 0x2000000, 64 * MiB, RW, MAP_PRIVATE);	/* file-backed */
	cr_assert_eq(churn_write(C, 1, OWNER(1)), 0);
	churn_munmap(C, 0x1000000, 512 * 1024);
	churn_munmap(C, 0x2000000, 64 * MiB);
	cr_assert_eq(credited[1], 0);
	cr_assert_eq(churn_counts(C)->mmaps, 1, "only anonymous maps count");
	cr_assert_eq(churn_counts(C)->munmap_bytes, 512 * 1024);
}

Test(churn, threads_are_separate)
{
	churn_mmap(C, 2, 0x1000000, 8 * MiB, RW, ANON);
	cr_assert_eq(churn_write(C, 1, OWNER(1)), 0);
	cr_assert_eq(churn_write(C, 2, OWNER(2)), 8 * MiB);
	churn_munmap(C, 0x1000000, 8 * MiB);
	cr_assert_eq(credited[1], 0);
	cr_assert_eq(credited[2], 8 * MiB);
}

Test(churn, kept_buffer_expires_at_next_cycle)
{
	churn_mmap(C, 1, 0x1000000, 8 * MiB, RW, ANON);
	churn_write(C, 1, OWNER(1));
	churn_mmap(C, 1, 0x9000000, 2 * MiB, RW, ANON);
	churn_write(C, 1, OWNER(2));		/* new cycle */
	churn_munmap(C, 0x1000000, 8 * MiB);	/* the kept one, later */
	churn_munmap(C, 0x9000000, 2 * MiB);
	cr_assert_eq(credited[1], 0);
	cr_assert_eq(credited[2], 2 * MiB);
}

Test(churn, dropped_before_write_is_not_attributed)
{
	churn_mmap(C, 1, 0x1000000, 8 * MiB, RW, ANON);
	churn_munmap(C, 0x1000000, 8 * MiB);
	cr_assert_eq(churn_write(C, 1, OWNER(1)), 0);
	cr_assert_eq(churn_counts(C)->big_maps, 1);
	cr_assert_eq(churn_counts(C)->big_dropped_bytes, 8 * MiB);
	cr_assert_eq(churn_counts(C)->attributed_bytes, 0);
}

Test(churn, partial_unmap_and_hole)
{
	churn_mmap(C, 1, 0x1000000, 8 * MiB, RW, ANON);
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
	churn_mmap(C, 1, 0x1000000, 2 * MiB, RW, ANON);
	churn_mmap(C, 1, 0x1200000, 2 * MiB, RW, ANON);
	churn_write(C, 1, OWNER(1));
	churn_munmap(C, 0x1000000, 4 * MiB);
	cr_assert_eq(credited[1], 4 * MiB);
	cr_assert_eq(churn_nmaps(C), 0);
}

Test(churn, mremap_grow_shrink_and_move)
{
	/* shrink keeps the fresh bytes of the original map (the seed's
	   mremap 375 MiB -> 300 MiB) */
	churn_mmap(C, 1, 0x1000000, 12 * MiB, RW, ANON);
	churn_mremap(C, 1, 0x1000000, 12 * MiB, 0x1000000, 10 * MiB);
	churn_write(C, 1, OWNER(1));
	churn_munmap(C, 0x1000000, 10 * MiB);
	cr_assert_eq(credited[1], 10 * MiB);
	/* growth by >= min_map moves and is fresh */
	churn_mmap(C, 1, 0x1000000, 4096, RW, ANON);
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
	churn_mmap(C, 1, 0x1000000, 4 * MiB, RW, ANON);
	churn_mmap(C, 1, 0x1000000, 4 * MiB, RW, ANON);
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
	churn_mmap(C, 1, 0x1000000, 8 * MiB, RW, ANON);
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
	churn_mmap(C, 1, 0x1000000, 2 * MiB, RW, ANON);
	churn_write(C, 1, OWNER(1));
	cr_assert_eq(credited[1], 2 * MiB);
	/* the record was merged into another: take-backs go there */
	churn_reassign(C, OWNER(1), OWNER(3));
	churn_mmap(C, 1, 0x5000000, 2 * MiB, RW, ANON);
	churn_write(C, 1, OWNER(2));
	cr_assert_eq(credited[3], -(int64_t)(2 * MiB), "kept: taken back");
	/* a thread that ends with pending maps attributes nothing */
	churn_mmap(C, 5, 0x9000000, 2 * MiB, RW, ANON);
	churn_thread_exit(C, 5);
	churn_munmap(C, 0x9000000, 2 * MiB);
	cr_assert_eq(churn_write(C, 5, OWNER(2)), 0);
	cr_assert_eq(credited[2], 2 * MiB);
}

Test(churn, live_at_the_end_stays_credited)
{
	/* the seed excerpt ends right after a write: its two maps are still
	   live, and count */
	churn_mmap(C, 1, 0x1000000, 300 * MiB, RW, ANON);
	churn_mmap(C, 1, 0x20000000, 300 * MiB, RW, ANON);
	churn_write(C, 1, OWNER(1));
	cr_assert_eq(credited[1], 600 * MiB);
	cr_assert_eq(churn_counts(C)->attributed_bytes, 600 * MiB);
}

Test(churn, many_live_maps_stay_sorted)
{
	uint64_t i;

	for (i = 0; i < 1000; i++)
		churn_mmap(C, 1, 0x10000000 + ((i * 7919) % 1000) * 0x200000,
		    0x100000, RW, ANON);
	cr_assert_eq(churn_nmaps(C), 1000);
	cr_assert_eq(churn_write(C, 1, OWNER(1)), 1000 * 0x100000);
	for (i = 0; i < 1000; i++)
		churn_munmap(C, 0x10000000 + i * 0x200000, 0x100000);
	cr_assert_eq(churn_nmaps(C), 0);
	cr_assert_eq(credited[1], 1000 * 0x100000);
}

Test(churn, kinds_of_address_space)
{
	cr_assert_eq(churn_map_kind(RW, ANON), CK_MEMORY);
	cr_assert_eq(churn_map_kind(PROT_NONE, ANON | MAP_NORESERVE), CK_RESERVED);
	cr_assert_eq(churn_map_kind(RW, ANON | MAP_NORESERVE), CK_RESERVED);
	cr_assert_eq(churn_map_kind(PROT_READ, ANON), CK_RESERVED);
	cr_assert_eq(churn_map_kind(RW, ANON | MAP_STACK), CK_STACK);
	cr_assert_eq(churn_map_kind(RW, ANON | MAP_GROWSDOWN), CK_STACK);
	cr_assert_eq(churn_map_kind(RW, MAP_SHARED | MAP_ANONYMOUS), CK_SHARED);
	cr_assert_eq(churn_map_kind(RW, MAP_PRIVATE), CK_FILE);
}

Test(churn, glibc_arena_reservation_is_not_memory)
{
	/* a thread's first malloc: 128 MiB of PROT_NONE|MAP_NORESERVE,
	   trimmed to a 64 MiB-aligned 64 MiB, of which mprotect (not seen)
	   makes 132 KiB usable; then the thread writes a log line */
	churn_mmap(C, 7, 0x7f0000000000 - 32 * MiB, 128 * MiB, PROT_NONE,
	    ANON | MAP_NORESERVE);
	churn_munmap(C, 0x7f0000000000 - 32 * MiB, 32 * MiB);
	churn_munmap(C, 0x7f0000000000 + 64 * MiB, 32 * MiB);
	cr_assert_eq(churn_write(C, 7, OWNER(1)), 0);
	churn_munmap(C, 0x7f0000000000, 64 * MiB);
	cr_assert_eq(credited[1], 0);
	cr_assert_eq(churn_counts(C)->mmaps, 0, "no memory was mapped");
	cr_assert_eq(churn_counts(C)->reserved_maps, 1);
	cr_assert_eq(churn_counts(C)->reserved_bytes, 128 * MiB);
	cr_assert_eq(churn_counts(C)->reserved_peak, 128 * MiB);
	cr_assert_eq(churn_counts(C)->big_maps, 0);
	cr_assert_eq(churn_counts(C)->peak, 0);
	cr_assert_eq(churn_counts(C)->munmap_bytes, 0);
}

Test(churn, thread_stacks_are_not_churn)
{
	/* pthread_create: an 8 MiB + guard stack, MAP_STACK, made by the
	   parent, which writes next; the stack goes when the thread is
	   joined */
	churn_mmap(C, 1, 0x7f1000000000, 8 * MiB + 4096, RW, ANON | MAP_STACK);
	churn_mmap(C, 1, 0x7f2000000000, 10 * MiB, PROT_NONE, ANON | MAP_STACK);
	cr_assert_eq(churn_write(C, 1, OWNER(1)), 0);
	churn_munmap(C, 0x7f1000000000, 8 * MiB + 4096);
	churn_munmap(C, 0x7f2000000000, 10 * MiB);
	cr_assert_eq(credited[1], 0);
	cr_assert_eq(churn_counts(C)->stack_maps, 2);
	cr_assert_eq(churn_counts(C)->mmaps, 0);
}

Test(churn, shared_and_file_maps_are_not_churn)
{
	churn_mmap(C, 1, 0x1000000, 8 * MiB, RW, MAP_SHARED | MAP_ANONYMOUS);
	churn_mmap(C, 1, 0x9000000, 8 * MiB, RW, MAP_PRIVATE);
	cr_assert_eq(churn_write(C, 1, OWNER(1)), 0);
	churn_munmap(C, 0x1000000, 8 * MiB);
	churn_munmap(C, 0x9000000, 8 * MiB);
	cr_assert_eq(credited[1], 0);
	cr_assert_eq(churn_counts(C)->shared_maps, 1);
}

Test(churn, kept_to_the_exit_is_taken_back)
{
	/* python -c "open('h','w').write('hello')": an obmalloc arena made
	   at start-up is live at the 6-byte write and kept until exit */
	churn_mmap(C, 1, 0x1000000, 1 * MiB, RW, ANON);
	churn_mmap(C, 1, 0x3000000, 1 * MiB, RW, ANON);
	cr_assert_eq(churn_write(C, 1, OWNER(1)), 2 * MiB);
	churn_exec(C);		/* the process exits */
	cr_assert_eq(credited[1], 0);
	cr_assert_eq(cwrites[1], 0, "the write is no churn write");
	cr_assert_eq(cmaps[1], 0);
	cr_assert_eq(churn_counts(C)->attributed_bytes, 0);
}

Test(churn, seed_dance_mmap_mremap_munmap)
{
	/* examples/logapp.py (python 3.11): per message the record is
	   formatted twice; two maps, a third grown and shrunk by mremap,
	   dropped before the write; three maps live at the write and the
	   fourth (made after the previous write) given back after it */
	const uint64_t M = 4198400, D = 0x7fa80c69f000, E = 0x7fa80c29e000,
	    F = 0x7fa80bd9d000, G = 0x7fa80be9d000, H = 0x7fa80ba9c000;
	int i;

	for (i = 0; i < 7; i++) {
		churn_mmap(C, 1, D, M, RW, ANON);
		churn_mmap(C, 1, E, M, RW, ANON);
		churn_mmap(C, 1, F, 5246976, RW, ANON);
		churn_mremap(C, 1, F, 5246976, F, M);
		churn_munmap(C, E, M);
		churn_munmap(C, F, M);
		churn_mmap(C, 1, E, M, RW, ANON);
		churn_mmap(C, 1, G, M, RW, ANON);
		churn_mmap(C, 1, H, M, RW, ANON);
		cr_assert_eq(churn_write(C, 1, OWNER(1)), 4 * M);
		churn_munmap(C, H, M);
		churn_munmap(C, G, M);
		churn_munmap(C, E, M);
		churn_munmap(C, D, M);
	}
	churn_exec(C);
	cr_assert_eq(credited[1], 7 * 4 * (int64_t)M);
	cr_assert_eq(cwrites[1], 7);
	cr_assert_eq(cmaps[1], 28);
	cr_assert_eq(churn_counts(C)->live, 0);
}

Test(churn, exit_after_the_give_back_keeps_the_credit)
{
	churn_mmap(C, 1, 0x1000000, 4 * MiB, RW, ANON);
	churn_write(C, 1, OWNER(1));
	churn_munmap(C, 0x1000000, 4 * MiB);
	churn_exec(C);
	cr_assert_eq(credited[1], 4 * MiB);
	cr_assert_eq(cwrites[1], 1);
}
