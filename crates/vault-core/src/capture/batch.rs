//! The batched transaction of an import: rows commit every few hundred files or every
//! two seconds, after the objects they name are durable, so a crash loses at most the
//! last open batch and never leaves a row without its object.

use crate::error::Result;
use crate::vault::store::ObjectStore;
use rusqlite::Connection;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Commit after this many files or this much time, whichever comes first.
const BATCH_FILES: usize = 500;
const BATCH_TIME: Duration = Duration::from_secs(2);
/// An open batch waiting this long (ms) for the next file commits, releasing the write
/// lock. Adjustable only so that tests can exercise the idle commit.
pub(super) static IDLE_COMMIT_MS: AtomicU64 = AtomicU64::new(200);

#[doc(hidden)]
pub fn set_idle_commit_for_tests(ms: u64) {
    IDLE_COMMIT_MS.store(ms, Ordering::Relaxed);
}

/// A transaction that commits every `BATCH_FILES` files or `BATCH_TIME`. Dropped
/// without `commit` (an error on the way), it rolls back what is not yet committed, so
/// the connection is never left inside a transaction.
pub(super) struct Batch<'c> {
    conn: &'c Connection,
    files: usize,
    started: Instant,
    pub(super) open: bool,
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

impl<'c> Batch<'c> {
    /// A batch whose transaction opens with the first write.
    pub(super) fn new(conn: &'c Connection) -> Batch<'c> {
        Batch {
            conn,
            files: 0,
            started: Instant::now(),
            open: false,
        }
    }

    pub(super) fn ensure_open(&mut self) -> Result<()> {
        if !self.open {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            self.open = true;
            self.files = 0;
            self.started = Instant::now();
        }
        Ok(())
    }

    /// One more file recorded; commit when the batch is full or old.
    pub(super) fn tick(&mut self, store: &ObjectStore) -> Result<()> {
        self.files += 1;
        if self.files >= BATCH_FILES || self.started.elapsed() >= BATCH_TIME {
            self.commit_now(store)?;
        }
        Ok(())
    }

    /// Make the batch's objects durable, then commit its rows.
    pub(super) fn commit_now(&mut self, store: &ObjectStore) -> Result<()> {
        if self.open {
            store.sync()?;
            self.conn.execute_batch("COMMIT")?;
            self.open = false;
        }
        Ok(())
    }
}
