//! Work off the request path: a facility's findings are evaluated again by a background job
//! after its ledger, connection points or feeds change. One run at a time per facility;
//! requests made while it runs are coalesced into one more run (ten edits in a minute make
//! one or two runs, not ten); a run superseded by a change made meanwhile writes nothing and
//! is followed by another. Pages ask `busy` to say 「判定中」 instead of waiting.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use domain::{Actor, Clock, FacilityId};
use store::{FacilityScope, Store};

use crate::vulns::{FeedCache, reevaluate};

/// The evaluation jobs of a server: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Evaluations {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    clock: Arc<dyn Clock>,
    cache: FeedCache,
    slots: Mutex<HashMap<FacilityId, Slot>>,
    /// Woken whenever a facility's job ends.
    idle: tokio::sync::Notify,
    /// Runs started since the server started.
    runs: AtomicU64,
}

/// A facility with a job: a run may be asked for (by whom) while one runs.
struct Slot {
    pending: Option<Actor>,
}

impl Evaluations {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Evaluations {
            inner: Arc::new(Inner {
                store,
                clock,
                cache: FeedCache::default(),
                slots: Mutex::new(HashMap::new()),
                idle: tokio::sync::Notify::new(),
                runs: AtomicU64::new(0),
            }),
        }
    }

    /// The feeds the jobs and the pages share (read once per feed import).
    pub fn cache(&self) -> &FeedCache {
        &self.inner.cache
    }

    /// Asks for the facility's findings to be evaluated again, by `actor`'s change. Returns
    /// at once: a job starts, or the running one will run once more.
    pub fn request(&self, scope: FacilityScope, actor: Actor) {
        let facility = scope.facility();
        {
            let Ok(mut slots) = self.inner.slots.lock() else {
                return;
            };
            if let Some(slot) = slots.get_mut(&facility) {
                slot.pending = Some(actor);
                return;
            }
            slots.insert(
                facility,
                Slot {
                    pending: Some(actor),
                },
            );
        }
        let jobs = self.clone();
        tokio::spawn(async move { jobs.drain(scope).await });
    }

    /// Whether the facility's findings are being evaluated now (or will be, shortly).
    pub fn busy(&self, facility: FacilityId) -> bool {
        self.inner
            .slots
            .lock()
            .is_ok_and(|slots| slots.contains_key(&facility))
    }

    /// How many runs have started (coalesced requests make one).
    pub fn runs(&self) -> u64 {
        self.inner.runs.load(Ordering::Relaxed)
    }

    /// Waits until no job runs (tests, and a server that stops).
    pub async fn settled(&self) {
        loop {
            let woken = self.inner.idle.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            if self.inner.slots.lock().map_or(true, |s| s.is_empty()) {
                return;
            }
            woken.await;
        }
    }

    /// Runs until no run is asked for; then the facility's slot is freed (also if a run
    /// panics: the facility never stays "判定中").
    async fn drain(&self, scope: FacilityScope) {
        let facility = scope.facility();
        let mut release = Release {
            jobs: self,
            facility,
            armed: true,
        };
        loop {
            let actor = {
                let Ok(mut slots) = self.inner.slots.lock() else {
                    return;
                };
                match slots.get_mut(&facility).and_then(|s| s.pending.take()) {
                    Some(actor) => actor,
                    None => {
                        slots.remove(&facility);
                        drop(slots);
                        release.armed = false;
                        self.inner.idle.notify_waiters();
                        return;
                    }
                }
            };
            let inner = &self.inner;
            inner.runs.fetch_add(1, Ordering::Relaxed);
            let now = inner.clock.now();
            match reevaluate(&inner.store, &scope, &actor, now, Some(&inner.cache)).await {
                Ok(_) => {}
                // Changed meanwhile: run again on what it is now.
                Err(store::Error::Superseded) => {
                    if let Ok(mut slots) = inner.slots.lock()
                        && let Some(slot) = slots.get_mut(&facility)
                    {
                        slot.pending.get_or_insert(actor);
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, facility = facility.0, "re-evaluation failed");
                    // The change itself is saved: the next view evaluates again.
                    if let Err(e) = inner.store.forget_evaluation(&scope).await {
                        tracing::error!(error = %e, "could not mark the findings stale");
                    }
                }
            }
        }
    }
}

/// Frees a facility's slot when its job ends without doing so (a panic unwinding the task).
struct Release<'a> {
    jobs: &'a Evaluations,
    facility: FacilityId,
    armed: bool,
}

impl Drop for Release<'_> {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        if let Ok(mut slots) = self.jobs.inner.slots.lock() {
            slots.remove(&self.facility);
        }
        self.jobs.inner.idle.notify_waiters();
    }
}
