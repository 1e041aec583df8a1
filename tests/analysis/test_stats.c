/* tests/analysis/test_stats.c: per-file aggregation from hand-made event sequences. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>

#include "feed_events.h"
#include "output/report.h"

static struct feed F;

static void
setup(void)
{
	feed_init(&F);
}

static void
teardown(void)
{
	feed_fini(&F);
}

TestSuite(stats, .init = setup, .fini = teardown);

Test(stats, hist_buckets_edges)
{
	cr_assert_eq(stats_hist_bucket(0), 0);
	cr_assert_eq(stats_hist_bucket(1), 1);
	cr_assert_eq(stats_hist_bucket(2), 2);
	cr_assert_eq(stats_hist_bucket(3), 2);
	cr_assert_eq(stats_hist_bucket(4), 3);
	cr_assert_eq(stats_hist_bucket(4095), 12);
	cr_assert_eq(stats_hist_bucket(4096), 13);
	cr_assert_eq(stats_hist_bucket(1ULL << 63), 64);
	cr_assert_eq(stats_hist_bucket(UINT64_MAX), 64);
	cr_assert_eq(stats_hist_lo(0), 0);
	cr_assert_eq(stats_hist_hi(0), 0);
	cr_assert_eq(stats_hist_lo(1), 1);
	cr_assert_eq(stats_hist_hi(1), 1);
	cr_assert_eq(stats_hist_lo(13), 4096);
	cr_assert_eq(stats_hist_hi(13), 8191);
	cr_assert_eq(stats_hist_lo(64), 1ULL << 63);
	cr_assert_eq(stats_hist_hi(64), UINT64_MAX);
}

Test(stats, hist_values_and_quantiles)
{
	struct stats_hist h;
	int k;

	memset(&h, 0, sizeof(h));
	cr_assert_eq(stats_hist_quantile(&h, 0.5), 0);
	stats_hist_add(&h, 0);
	stats_hist_add(&h, 1);
	stats_hist_add(&h, UINT64_MAX);
	cr_assert_eq(h.n, 3);
	cr_assert_eq(h.min, 0);
	cr_assert_eq(h.max, UINT64_MAX);
	cr_assert_eq(stats_hist_count(&h, 0), 1);
	cr_assert_eq(stats_hist_count(&h, 1), 1);
	cr_assert_eq(stats_hist_count(&h, 64), 1);
	cr_assert_eq(stats_hist_quantile(&h, 0.5), 1);
	cr_assert_eq(stats_hist_quantile(&h, 0.99), UINT64_MAX);
	cr_assert_eq(stats_hist_quantile(&h, 0), 0);
	cr_assert_eq(stats_hist_quantile(&h, 1), UINT64_MAX);

	/* exact powers of two: one per bucket, quantiles are exact */
	stats_hist_free(&h);
	for (k = 0; k < 64; k++)
		stats_hist_add(&h, 1ULL << k);
	for (k = 0; k < 64; k++)
		cr_assert_eq(stats_hist_count(&h, k + 1), 1, "bucket %d", k + 1);
	cr_assert_eq(stats_hist_quantile(&h, 0.5), 1ULL << 31);
	cr_assert_eq(h.max, 1ULL << 63);

	/* all equal: exact whatever the bucket width */
	stats_hist_free(&h);
	for (k = 0; k < 1000; k++)
		stats_hist_add(&h, 314572844);
	cr_assert_eq(stats_hist_quantile(&h, 0.5), 314572844);
	cr_assert_eq(stats_hist_quantile(&h, 0.99), 314572844);

	/* 99 small, 1 big: p99 stays small, max is big */
	stats_hist_free(&h);
	for (k = 0; k < 99; k++)
		stats_hist_add(&h, 100);
	stats_hist_add(&h, 8 * MiB);
	cr_assert_eq(stats_hist_quantile(&h, 0.5), 100);
	cr_assert_eq(stats_hist_quantile(&h, 0.99), 100);
	cr_assert_eq(stats_hist_quantile(&h, 0.999), 8 * MiB);
	stats_hist_free(&h);
}

/* the sparse histogram: buckets kept ascending whatever the order of the
   values, merged bucket by bucket, the same quantiles as a dense one */
Test(stats, hist_sparse_order_and_merge)
{
	struct stats_hist h, g;
	const struct stats_hbin *v;
	size_t nb, i;
	int k;

	memset(&h, 0, sizeof(h));
	memset(&g, 0, sizeof(g));
	for (k = 64; k >= 0; k -= 2)
		stats_hist_add(&h, k ? 1ULL << (k - 1) : 0);
	for (k = 63; k >= 1; k -= 2)
		stats_hist_add(&g, k > 1 ? (1ULL << (k - 1)) + 1 : 1);
	stats_hist_add(&g, 0);
	stats_hist_merge(&h, &g);
	v = stats_hist_bins(&h, &nb);
	cr_assert_eq(nb, STATS_HIST_BUCKETS);
	for (i = 0; i < nb; i++) {
		cr_assert_eq(v[i].k, i);
		cr_assert_eq(v[i].count, i == 0 ? 2 : 1, "bucket %zu", i);
	}
	cr_assert_eq(h.n, 66);
	cr_assert_eq(h.min, 0);
	cr_assert_eq(h.max, 1ULL << 63);
	stats_hist_free(&g);
	stats_hist_free(&h);
	cr_assert_eq(h.n, 0);
	cr_assert_eq(stats_hist_quantile(&h, 0.5), 0);
}

Test(stats, seed_case)
{
	struct stats_file *sf;
	const struct rotation_path *rp;
	const uint64_t total = 3 * (SEED_MSG + 1);

	feed_seed(&F, 2);
	sf = feed_file(&F, SEED_PID, "/tmp/logtest.txt");
	cr_assert_not_null(sf);
	cr_assert_eq(sf->kind, SK_FILE);
	cr_assert_eq(sf->writes, 12);
	cr_assert_eq(sf->bytes, 2 * total);
	cr_assert_eq(sf->hist.min, 1);
	cr_assert_eq(sf->hist.max, SEED_MSG);
	cr_assert_eq(sf->big_writes, 6);
	cr_assert_eq(sf->big_min, SEED_MSG);
	cr_assert_eq(sf->shorts, 0);
	cr_assert_str_eq(sf->proc->comm, "python");
	cr_assert_str_eq(sf->proc->cmdline, "python /app.py");
	/* two 300 MiB maps per message, both dropped around the write */
	cr_assert_eq(sf->churn_bytes, 6 * 2 * SEED_MAP);
	cr_assert_eq(sf->churn_writes, 6);
	cr_assert(stats_file_churn_ratio(sf) > 1.99 &&
	    stats_file_churn_ratio(sf) < 2.01, "ratio %f",
	    stats_file_churn_ratio(sf));
	/* rotation: unlink .1 (size from the stat), rename, reopen */
	rp = sf->rp;
	cr_assert_not_null(rp);
	cr_assert_eq(rp->rotations, 2);
	cr_assert_eq(rp->reopens, 2);
	cr_assert_eq(rp->backups_deleted, 2);
	cr_assert_eq(rp->backups_size_unknown, 0);
	cr_assert_eq(rp->backup_bytes_lost, 2 * total);
	cr_assert_eq(rp->rotations_after_delete, 2);
	cr_assert_eq(rp->size_n, 2);
	cr_assert_eq(rp->size_sum / rp->size_n, total);
	cr_assert_eq(rp->between_n, 1, "the first period began before the trace");
	cr_assert_eq(rp->between_bytes_sum, total);
	cr_assert_eq(rp->intervals, 1);
	cr_assert_str_eq(rp->last_backup, "/tmp/logtest.txt.1");
	cr_assert_eq(rp->atomic_replaces, 0);
	cr_assert_eq(rp->copytruncates, 0);
	/* process memory */
	{
		const struct churn_counts *k = churn_counts(sf->proc->churn);

		cr_assert_eq(k->mmaps, 2 * 3 * 4);
		cr_assert_eq(k->mremaps, 2 * 3);
		cr_assert_eq(k->big_maps, 2 * 3 * 4);
		cr_assert_eq(k->live, 0);
		cr_assert_eq(k->peak, SEED_MAP + 393220096ULL);
		cr_assert_eq(k->attributed_bytes, sf->churn_bytes);
	}
}

Test(stats, seed_mid_stream_without_stat_is_unknown)
{
	struct stats_file *sf;

	/* attached mid-stream: fd 3 unknown, no stat before the unlink */
	feed_write(&F, SEED_PID, 3, SEED_MSG);
	sf = feed_file(&F, SEED_PID, "fd 3 (opened before the trace)");
	cr_assert_not_null(sf);
	cr_assert_eq(sf->kind, SK_UNKNOWN_FD);
	cr_assert_null(sf->rp);
}

Test(stats, logrotate_rename_and_reopen)
{
	struct stats_file *sf, *old;
	const struct rotation_path *rp;
	int i;

	feed_name(&F, 100, "app", "app --log /var/log/app.log");
	feed_open(&F, 100, "/var/log/app.log", O_WRONLY | O_CREAT | O_APPEND, 4);
	for (i = 0; i < 10; i++)
		feed_write(&F, 100, 4, 4096);
	/* logrotate (pid 200): shift the chain, move the live file away */
	feed_name(&F, 200, "logrotate", "logrotate /etc/logrotate.conf");
	feed_path_call(&F, 200, IOSYS_RENAME, "/var/log/app.log.1",
	    "/var/log/app.log.2", -1);
	feed_path_call(&F, 200, IOSYS_RENAME, "/var/log/app.log",
	    "/var/log/app.log.1", -1);
	/* the app keeps writing to its old fd: that is the backup now */
	feed_write(&F, 100, 4, 100);
	/* SIGHUP: reopen */
	feed_close(&F, 100, 4);
	feed_open(&F, 100, "/var/log/app.log", O_WRONLY | O_CREAT | O_APPEND, 4);
	feed_write(&F, 100, 4, 200);

	sf = feed_file(&F, 100, "/var/log/app.log");
	cr_assert_not_null(sf);
	cr_assert_eq(sf->writes, 11);
	cr_assert_eq(sf->bytes, 10 * 4096 + 200);
	rp = sf->rp;
	cr_assert_eq(rp->rotations, 1);
	cr_assert_eq(rp->shifts, 1);
	cr_assert_eq(rp->reopens, 1);
	cr_assert_eq(rp->backups_deleted, 0);
	cr_assert_str_eq(rp->last_backup, "/var/log/app.log.1");
	old = feed_file(&F, 100, "/var/log/app.log.1");
	cr_assert_not_null(old, "writes to the renamed fd go to the backup");
	cr_assert_eq(old->bytes, 100);
	/* logrotate wrote nothing: it has no file records */
	cr_assert_null(feed_file(&F, 200, "/var/log/app.log"));
}

Test(stats, dated_and_compressed_backup_names)
{
	cr_assert(rotation_is_backup("/l/a.log", "/l/a.log.1"));
	cr_assert(rotation_is_backup("/l/a.log", "/l/a.log-20200621"));
	cr_assert(rotation_is_backup("/l/a.log", "/l/a.log.1.gz"));
	cr_assert(rotation_is_backup("/l/a.log", "/l/a.2020-06-21.log"));
	cr_assert(rotation_is_backup("/l/a.log", "/l/a-1.log.gz"));
	cr_assert(!rotation_is_backup("/l/a.log", "/l/a.log"));
	cr_assert(!rotation_is_backup("/l/a.log", "/l/b.log.1"));
	cr_assert(!rotation_is_backup("/l/a.log", "/l/a.logx"));
	cr_assert(!rotation_is_backup("/l/a.tmp", "/l/a.json"));
	cr_assert(!rotation_is_backup("/l/a.log", "/l/a."));
}

Test(stats, copytruncate)
{
	struct stats_file *sf;
	int i;

	feed_open(&F, 100, "/var/log/c.log", O_WRONLY | O_CREAT | O_APPEND, 3);
	for (i = 0; i < 4; i++)
		feed_write(&F, 100, 3, 1000);
	/* logrotate copies then truncates the live file in place */
	feed_open(&F, 200, "/var/log/c.log", O_RDONLY, 5);
	feed_open(&F, 200, "/var/log/c.log.1", O_WRONLY | O_CREAT | O_TRUNC, 6);
	feed_write(&F, 200, 6, 4000);
	feed_ftruncate(&F, 200, 5, 0);
	feed_write(&F, 100, 3, 1000);
	/* and once more with O_TRUNC */
	feed_open(&F, 200, "/var/log/c.log", O_WRONLY | O_TRUNC, 7);
	/* the writer truncating its own file is not a rotation */
	feed_ftruncate(&F, 100, 3, 0);

	sf = feed_file(&F, 100, "/var/log/c.log");
	cr_assert_not_null(sf);
	cr_assert_eq(sf->rp->copytruncates, 1,
	    "the second counts once the writer goes on");
	cr_assert_eq(sf->rp->rotations, 0);
	cr_assert_eq(sf->rp->self_truncations, 0,
	    "nothing was written since the last truncation");
	feed_write(&F, 100, 3, 10);
	cr_assert_eq(sf->rp->copytruncates, 2);
	feed_ftruncate(&F, 100, 3, 0);
	cr_assert_eq(sf->rp->self_truncations, 1);
	cr_assert_eq(sf->rp->copytruncates, 2);
}

Test(stats, atomic_replace_is_not_rotation)
{
	struct stats_file *sf;
	int i;

	feed_name(&F, 300, "editor", NULL);
	for (i = 0; i < 3; i++) {
		char tmp[64];

		snprintf(tmp, sizeof(tmp), "/etc/conf.json.tmp%d", i);
		feed_open(&F, 300, tmp, O_WRONLY | O_CREAT | O_EXCL, 3);
		feed_write(&F, 300, 3, 100);
		feed_fsync(&F, 300, 3);
		feed_close(&F, 300, 3);
		feed_path_call(&F, 300, IOSYS_RENAME, tmp, "/etc/conf.json", -1);
	}
	sf = feed_file(&F, 300, "/etc/conf.json");
	cr_assert_not_null(sf);
	cr_assert_eq(sf->writes, 3);
	cr_assert_eq(sf->bytes, 300);
	cr_assert_eq(sf->temps_merged, 3);
	cr_assert_eq(sf->fsyncs, 3);
	cr_assert_eq(sf->rp->atomic_replaces, 3);
	cr_assert_eq(sf->rp->rotations, 0);
	cr_assert_null(feed_file(&F, 300, "/etc/conf.json.tmp0"));
	cr_assert_null(feed_file(&F, 300, "/etc/conf.json.tmp2"));
	cr_assert_eq(rotation_total(F.st->rot), 0);
}

/* git gc: pack-objects writes tmp_pack_*, renames it to .tmp-*-pack-H.pack
   and ends; repack renames that to pack-H.pack.  The writes are the final
   name's in the writer's record, through both renames and processes. */
Test(stats, atomic_replace_chain_across_processes)
{
	struct stats_file *sf;

	feed_name(&F, 400, "git", NULL);
	feed_name(&F, 401, "git", NULL);
	feed_open(&F, 401, "/r/tmp_pack_X", O_RDWR | O_CREAT | O_EXCL, 3);
	feed_write(&F, 401, 3, 1000);
	feed_close(&F, 401, 3);
	feed_path_call(&F, 401, IOSYS_RENAME, "/r/tmp_pack_X",
	    "/r/.tmp-400-pack-h.pack", -1);
	feed_path_call(&F, 400, IOSYS_RENAME, "/r/.tmp-400-pack-h.pack",
	    "/r/pack-h.pack", -1);
	sf = feed_file(&F, 401, "/r/pack-h.pack");
	cr_assert_not_null(sf);
	cr_assert_eq(sf->bytes, 1000);
	cr_assert_eq(sf->temps_merged, 2);
	cr_assert_null(feed_file(&F, 401, "/r/.tmp-400-pack-h.pack"));
	cr_assert_null(feed_file(&F, 401, "/r/tmp_pack_X"));
	cr_assert_eq(rotation_total(F.st->rot), 0);
}

/* git's loose objects: tmp_obj_* written, linked to the hash name, the
   temp unlinked.  The writes are the object's; no replace, no rotation. */
Test(stats, link_names_the_written_file)
{
	struct stats_file *sf;

	feed_name(&F, 500, "git", NULL);
	feed_open(&F, 500, "/r/ab/tmp_obj_Q", O_RDWR | O_CREAT | O_EXCL, 3);
	feed_write(&F, 500, 3, 18);
	feed_close(&F, 500, 3);
	feed_path_call(&F, 500, IOSYS_LINK, "/r/ab/tmp_obj_Q", "/r/ab/cdef", -1);
	feed_path_call(&F, 500, IOSYS_UNLINK, "/r/ab/tmp_obj_Q", NULL, -1);
	sf = feed_file(&F, 500, "/r/ab/cdef");
	cr_assert_not_null(sf);
	cr_assert_eq(sf->bytes, 18);
	cr_assert_null(feed_file(&F, 500, "/r/ab/tmp_obj_Q"));
	cr_assert_eq(sf->rp->atomic_replaces, 0);
	cr_assert_eq(sf->rp->backups_deleted, 0);
	cr_assert_eq(rotation_total(F.st->rot), 0);
}

Test(stats, write_to_deleted_file)
{
	struct stats_file *sf;

	feed_open(&F, 400, "/tmp/scratch.bin", O_RDWR | O_CREAT | O_TRUNC, 3);
	feed_write(&F, 400, 3, 10);
	feed_path_call(&F, 400, IOSYS_UNLINK, "/tmp/scratch.bin", NULL, -1);
	feed_write(&F, 400, 3, 20);
	feed_write(&F, 400, 3, 30);
	sf = feed_file(&F, 400, "/tmp/scratch.bin");
	cr_assert_not_null(sf);
	cr_assert_eq(sf->writes, 3);
	cr_assert_eq(sf->del_writes, 2);
	cr_assert_eq(sf->del_bytes, 50);
	cr_assert_eq(sf->rp->unlinks, 1);
	cr_assert_eq(sf->rp->backups_deleted, 0);
}

Test(stats, errors_short_and_unfinished)
{
	struct stats_file *sf;
	struct io_event ev;

	feed_open(&F, 500, "/tmp/e", O_WRONLY | O_CREAT, 3);
	feed_write_ret(&F, 500, 3, 100, 50);
	feed_write_ret(&F, 500, 3, 100, -EAGAIN);
	feed_write_ret(&F, 500, 3, 100, -EAGAIN);
	feed_write_ret(&F, 500, 3, 100, -ENOSPC);
	io_event_init(&ev);
	ev.fd = 3;
	ev.count = 7;
	feed_ev(&F, 500, IOSYS_WRITE, &ev);	/* = ? */
	sf = feed_file(&F, 500, "/tmp/e");
	cr_assert_eq(sf->writes, 1);
	cr_assert_eq(sf->shorts, 1);
	cr_assert_eq(sf->errors, 3);
	cr_assert_eq(sf->errs[0].err, EAGAIN);
	cr_assert_eq(sf->errs[0].n, 2);
	cr_assert_eq(sf->errs[1].err, ENOSPC);
	cr_assert_eq(sf->unfinished, 1);
}

Test(stats, special_files_are_classified)
{
	cr_assert_eq(stats_path_kind("pipe:[123]", false), SK_PIPE);
	cr_assert_eq(stats_path_kind("socket:[9]", false), SK_SOCKET);
	cr_assert_eq(stats_path_kind("socketpair:[pid 7 fds 3,4]", false),
	    SK_SOCKET);
	cr_assert_eq(stats_path_kind("/tmp/#tmpfile-1", false), SK_FILE);
	cr_assert_eq(stats_path_kind("/dev/pts/0", false), SK_TTY);
	cr_assert_eq(stats_path_kind("/dev/null", false), SK_DEVICE);
	cr_assert_eq(stats_path_kind("/dev/shm/app.log", false), SK_FILE);
	cr_assert_eq(stats_path_kind("fd 3 (opened before the trace)", true),
	    SK_UNKNOWN_FD);
	cr_assert_eq(stats_path_kind("anon_inode:[eventfd]", false), SK_OTHER);
	cr_assert_eq(stats_path_kind("/tmp/x", false), SK_FILE);
}

Test(stats, many_processes_and_files)
{
	struct stats_proc **procs;
	size_t np, i, nf;
	pid_t p;
	int f, w;
	uint64_t total = 0;

	for (p = 1000; p < 1050; p++) {
		for (f = 0; f < 20; f++) {
			char path[64];

			snprintf(path, sizeof(path), "/data/p%d/f%d", (int)p, f);
			feed_open(&F, p, path, O_WRONLY | O_CREAT, 3 + f);
			for (w = 0; w <= f; w++) {
				feed_write(&F, p, 3 + f, (uint64_t)(p - 999) * 10);
				total += (uint64_t)(p - 999) * 10;
			}
		}
	}
	cr_assert_eq(F.st->bytes, total);
	procs = stats_sorted_procs(F.st, &np);
	cr_assert_eq(np, 50);
	cr_assert_eq(procs[0]->pid, 1049, "largest first");
	for (i = 1; i < np; i++)
		cr_assert(procs[i - 1]->bytes >= procs[i]->bytes);
	{
		struct stats_file **files = stats_sorted_files(procs[0], &nf);

		cr_assert_eq(nf, 20);
		cr_assert_str_eq(files[0]->path, "/data/p1049/f19");
		cr_assert_eq(files[0]->writes, 20);
		free(files);
	}
	free(procs);
}

Test(stats, churn_needs_same_thread_and_a_drop)
{
	struct stats_file *sf;

	feed_open(&F, 600, "/tmp/k", O_WRONLY | O_CREAT, 3);
	/* kept buffer: mapped, written, never dropped */
	feed_mmap(&F, 600, 0x10000000, 8 * MiB);
	feed_write(&F, 600, 3, 8 * MiB);
	/* another thread's map is not this write's */
	feed_thread(&F, 600, 601);
	feed_mmap(&F, 601, 0x20000000, 8 * MiB);
	feed_write(&F, 600, 3, 8 * MiB);
	feed_munmap(&F, 601, 0x20000000, 8 * MiB);
	/* small maps are below the threshold */
	feed_mmap(&F, 600, 0x30000000, 64 * 1024);
	feed_write(&F, 600, 3, 100);
	feed_munmap(&F, 600, 0x30000000, 64 * 1024);
	sf = feed_file(&F, 600, "/tmp/k");
	cr_assert_eq(sf->churn_bytes, 8 * MiB, "provisional: live at the write");
	/* a big map made and dropped around a write counts, even dropped
	   in two halves */
	feed_mmap(&F, 600, 0x40000000, 4 * MiB);
	feed_write(&F, 600, 3, 1 * MiB);
	feed_munmap(&F, 600, 0x40000000, 2 * MiB);
	feed_munmap(&F, 600, 0x40200000, 2 * MiB);
	cr_assert_eq(sf->churn_bytes, 4 * MiB);
	/* the kept 8 MiB buffer was taken back when the thread's next write
	   had fresh maps; dropping it much later changes nothing */
	feed_munmap(&F, 600, 0x10000000, 8 * MiB);
	cr_assert_eq(sf->churn_bytes, 4 * MiB);
}

Test(stats, mremap_growth_counts_as_fresh)
{
	struct stats_file *sf;

	feed_open(&F, 700, "/tmp/g", O_WRONLY | O_CREAT, 3);
	feed_mmap(&F, 700, 0x10000000, 64 * 1024);
	feed_mremap(&F, 700, 0x10000000, 64 * 1024, 16 * MiB, 0x50000000);
	feed_write(&F, 700, 3, 16 * MiB);
	feed_munmap(&F, 700, 0x50000000, 16 * MiB);
	sf = feed_file(&F, 700, "/tmp/g");
	cr_assert_eq(sf->churn_bytes, 16 * MiB - 64 * 1024);
}

Test(stats, stacks_are_grouped)
{
	struct io_stack s1, s2;
	struct io_event ev;
	struct stats_file *sf;
	struct stats_stack **v;
	size_t n;
	int i;

	memset(&s1, 0, sizeof(s1));
	s1.nframes = 2;
	s1.frames[0].ip = 0x1000;
	s1.frames[0].func = "write";
	s1.frames[0].module = "/lib/libc.so.6";
	s1.frames[1].ip = 0x2000;
	s1.frames[1].func = "flush_buffer";
	s1.frames[1].module = "/usr/bin/app";
	s2 = s1;
	s2.frames[1].ip = 0x3000;
	s2.frames[1].func = "emit_small";
	feed_open(&F, 800, "/tmp/s", O_WRONLY | O_CREAT, 3);
	for (i = 0; i < 5; i++) {
		io_event_init(&ev);
		ev.fd = 3;
		ev.count = ev.ret = i == 4 ? 8 * MiB : 4 * MiB;
		ev.stack = &s1;
		feed_ev(&F, 800, IOSYS_WRITE, &ev);
	}
	for (i = 0; i < 10; i++) {
		io_event_init(&ev);
		ev.fd = 3;
		ev.count = ev.ret = 2 * MiB;
		ev.stack = &s2;
		feed_ev(&F, 800, IOSYS_WRITE, &ev);
	}
	sf = feed_file(&F, 800, "/tmp/s");
	cr_assert_eq(sf->nstacks, 2);
	v = stats_sorted_stacks(sf, &n);
	cr_assert_eq(n, 2);
	cr_assert_eq(v[0]->count, 5);
	cr_assert_eq(v[0]->bytes, 24 * MiB);
	cr_assert_eq(v[0]->max, 8 * MiB);
	cr_assert_str_eq(v[0]->stack.frames[1].func, "flush_buffer");
	cr_assert_eq(v[1]->count, 10);
	cr_assert_eq(sf->worst, v[0]);
	cr_assert_neq(v[0]->stack.frames[0].func, s1.frames[0].func,
	    "strings are copied");
	free(v);
}

Test(stats, span_and_duration)
{
	int64_t start;

	cr_assert_eq(stats_duration(F.st, &start), 0);
	feed_open(&F, 900, "/tmp/t", O_WRONLY | O_CREAT, 3);
	feed_write(&F, 900, 3, 1);
	cr_assert_eq(stats_duration(F.st, &start), 1000000);
	stats_set_span(F.st, 1000000000, 4000000000);
	cr_assert_eq(stats_duration(F.st, &start), 3000000000);
	cr_assert_eq(start, 1000000000);
}

/* Random sequences over few paths, fds and addresses: nothing crashes,
 * leaks or breaks an invariant (run under ASan+UBSan in CI). */
Test(stats, random_sequences_keep_invariants)
{
	static const char *const paths[] = { "/r/a.log", "/r/a.log.1",
	    "/r/a.log.2", "/r/a.log.tmp", "/r/b", "/r/b.new", "/dev/null" };
	uint64_t x = 0x9e3779b97f4a7c15ULL, i;
	struct stats_proc **procs;
	size_t np, k;
	uint64_t sum = 0;

	for (i = 0; i < 20000; i++) {
		pid_t tid;
		int fd;
		const char *p, *q;
		uint64_t addr;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		tid = 100 + (pid_t)(x % 3);
		fd = 3 + (int)((x >> 8) % 4);
		p = paths[(x >> 16) % 7];
		q = paths[(x >> 24) % 7];
		addr = 0x10000000ULL + ((x >> 32) % 8) * 0x400000ULL;
		switch ((x >> 40) % 12) {
		case 0:
			feed_open(&F, tid, p, (int)((x >> 48) % 2 ?
			    O_WRONLY | O_CREAT | O_TRUNC : O_WRONLY | O_APPEND), fd);
			break;
		case 1:
			feed_close(&F, tid, fd);
			break;
		case 2: case 3: case 4:
			feed_write(&F, tid, fd, (x >> 44) % (3 * MiB));
			break;
		case 5:
			feed_path_call(&F, tid, IOSYS_RENAME, p, q, -1);
			break;
		case 6:
			feed_path_call(&F, tid, IOSYS_UNLINK, p, NULL, -1);
			break;
		case 7:
			feed_mmap(&F, tid, addr, (x >> 50) % (4 * MiB) + 1);
			break;
		case 8:
			feed_munmap(&F, tid, addr, (x >> 50) % (4 * MiB) + 1);
			break;
		case 9:
			feed_mremap(&F, tid, addr, (x >> 50) % (4 * MiB) + 1,
			    (x >> 45) % (6 * MiB) + 1, addr ^ 0x1000000);
			break;
		case 10:
			feed_ftruncate(&F, tid, fd, (int64_t)((x >> 50) % 2));
			break;
		default:
			feed_path_call(&F, tid, IOSYS_STAT, p, NULL,
			    (int64_t)((x >> 44) % 100000));
			break;
		}
	}
	procs = stats_sorted_procs(F.st, &np);
	for (k = 0; k < np; k++) {
		struct stats_file **files;
		size_t nf, j;
		uint64_t pbytes = 0;

		files = stats_sorted_files(procs[k], &nf);
		for (j = 0; j < nf; j++) {
			const struct stats_file *sf = files[j];
			uint64_t n = 0;
			int b;

			for (b = 0; b < STATS_HIST_BUCKETS; b++)
				n += stats_hist_count(&sf->hist, b);
			cr_assert_eq(n, sf->writes);
			cr_assert(sf->big_bytes <= sf->bytes);
			cr_assert(sf->del_bytes <= sf->bytes);
			if (sf->writes > 0) {
				cr_assert(stats_hist_quantile(&sf->hist, 0.5) >= sf->hist.min);
				cr_assert(stats_hist_quantile(&sf->hist, 0.99) <= sf->hist.max);
			}
			pbytes += sf->bytes;
		}
		cr_assert_eq(pbytes, procs[k]->bytes);
		sum += pbytes;
		free(files);
	}
	free(procs);
	cr_assert_eq(sum, F.st->bytes);
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		struct limits_result *lr;

		F.cfg.limits.has_max_write = true;
		F.cfg.limits.max_write = MiB;
		F.cfg.limits.fail_on = 7;
		lr = limits_check(F.st, &F.cfg.limits);
		report_text(f, F.st, lr, NULL, &F.cfg.report, true);
		report_json(f, F.st, lr, NULL, &F.cfg.report);
		limits_junit(f, lr, &F.cfg.limits);
		report_interval(f, F.st, F.now);
		fclose(f);
		cr_assert(len > 0);
		free(buf);
		limits_free(lr);
	}
}

Test(stats, transfer_returning_0_is_end_of_input)
{
	struct stats_file *sf;
	struct io_event ev;

	/* cp: copy_file_range(3, NULL, 4, NULL, 9223372035781033984, 0)
	   = 100000, then = 0 at the end of the input */
	feed_open(&F, 800, "/d/src", O_RDONLY, 3);
	feed_open(&F, 800, "/d/dst", O_WRONLY | O_CREAT, 4);
	io_event_init(&ev);
	ev.fd = 4;
	ev.fd2 = 3;
	ev.count = 9223372035781033984ULL;
	ev.ret = 100000;
	feed_ev(&F, 800, IOSYS_COPY_FILE_RANGE, &ev);
	io_event_init(&ev);
	ev.fd = 4;
	ev.fd2 = 3;
	ev.count = 9223372035781033984ULL;
	ev.ret = 0;
	feed_ev(&F, 800, IOSYS_COPY_FILE_RANGE, &ev);
	sf = feed_file(&F, 800, "/d/dst");
	cr_assert_eq(sf->writes, 1);
	cr_assert_eq(sf->shorts, 0, "a transfer's count is a most");
	cr_assert_eq(sf->eof_transfers, 1);
	cr_assert_eq(sf->hist.n, 1);
	cr_assert_eq(sf->hist.min, 100000, "no 0-byte write");
	/* a write(2) of a buffer that moved less is short */
	feed_write_ret(&F, 800, 4, 4096, 100);
	cr_assert_eq(sf->shorts, 1);
}

Test(stats, churn_is_a_pattern_not_a_one_off)
{
	struct stats_file *sf;
	int i;

	/* one big map given back around one of many small writes */
	feed_open(&F, 900, "/d/one", O_WRONLY | O_CREAT, 3);
	for (i = 0; i < 50; i++)
		feed_write(&F, 900, 3, 20);
	feed_mmap(&F, 900, 0x10000000, 1 * MiB);
	feed_write(&F, 900, 3, 20);
	feed_munmap(&F, 900, 0x10000000, 1 * MiB);
	sf = feed_file(&F, 900, "/d/one");
	cr_assert_eq(sf->churn_writes, 1);
	cr_assert_not(stats_file_churn_shown(sf));
	/* the seed: every message */
	sf = NULL;
	feed_seed(&F, 1);
	sf = feed_file(&F, SEED_PID, "/tmp/logtest.txt");
	cr_assert(stats_file_churn_shown(sf));
	cr_assert_eq(sf->churn_maps, 2 * sf->churn_writes);
	cr_assert_eq(sf->churn_map_max, SEED_MAP);
}

Test(stats, rate_over_the_active_time_and_the_peak)
{
	struct stats_file *sf;
	int i;

	/* 50 writes of 1 MiB, 2 ms apart (feed_write: 1 ms per event, one
	   dummy in between) after a long quiet start */
	feed_open(&F, 950, "/d/burst", O_WRONLY | O_CREAT, 3);
	F.now += 60LL * 1000000000LL;
	for (i = 0; i < 50; i++) {
		feed_write(&F, 950, 3, 1 * MiB);
		F.now += 1000000;
	}
	sf = feed_file(&F, 950, "/d/burst");
	{
		double bs, ws;

		cr_assert(stats_file_rate(sf, &bs, &ws));
		cr_assert_eq(stats_file_active_ns(sf), 49 * 2000000LL);
		cr_assert(ws > 499.9 && ws < 500.1, "%f", ws);
		cr_assert(bs > 499.9 * MiB && bs < 500.1 * MiB, "%f", bs);
	}
	cr_assert_eq(sf->peak_bytes, 50 * MiB);
	cr_assert_eq(sf->peak_writes, 50);
}
