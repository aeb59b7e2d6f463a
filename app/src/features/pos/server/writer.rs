//! The group-commit writer: one per app instance. Purchases that arrive together wait in one
//! bounded queue; the writer takes what is queued (up to `write_batch`, distinct members and
//! keys, in arrival order; a second purchase of the same member waits for the next batch),
//! writes it as one transaction (`PosStore::purchase_batch`), commits once and then answers
//! each. A full queue answers `WritesQueued` (503 with Retry-After) at once rather than letting
//! requests pile up past their timeouts.

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::{mpsc, oneshot};

use crate::features::pos::server::store::{PosResult, PosStore, PurchaseReceipt, PurchaseWrite};
use crate::platform::error::ErrorCode;
use crate::platform::server::clock;
use crate::platform::server::metrics::{BATCH_SIZE, COMMIT_SECONDS, QUEUE_DEPTH, REJECTED};

struct Job {
    write: PurchaseWrite,
    answer: oneshot::Sender<PosResult<PurchaseReceipt>>,
}

pub struct Writer {
    sender: mpsc::Sender<Job>,
    /// Taken by the writer's task when the first purchase arrives (a runtime exists by then).
    waiting: Mutex<Option<(mpsc::Receiver<Job>, Arc<dyn PosStore>)>>,
    batch: usize,
    /// The task starts once; every later purchase skips the lock.
    started: std::sync::Once,
}

impl Writer {
    pub fn new(store: Arc<dyn PosStore>, queue: usize, batch: usize) -> Self {
        let (sender, receiver) = mpsc::channel(queue.max(1));
        Self { sender, waiting: Mutex::new(Some((receiver, store))), batch: batch.max(1), started: std::sync::Once::new() }
    }

    fn start(&self) {
        self.started.call_once(|| {
            if let Some((receiver, store)) = self.waiting.lock().ok().and_then(|mut slot| slot.take()) {
                tokio::spawn(run(store, receiver, self.batch, self.sender.max_capacity()));
            }
        });
    }

    /// The purchase's answer once its batch has committed.
    pub async fn purchase(&self, write: PurchaseWrite) -> Result<PosResult<PurchaseReceipt>, ErrorCode> {
        self.start();
        let (answer, answered) = oneshot::channel();
        match self.sender.try_send(Job { write, answer }) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
                metrics::counter!(REJECTED).increment(1);
                return Err(ErrorCode::WritesQueued);
            }
            Err(mpsc::error::TrySendError::Closed(_)) => return Err(ErrorCode::Internal),
        }
        // The writer answers every job it takes; a dropped answer means it stopped.
        answered.await.map_err(|_| ErrorCode::Internal)
    }
}

/// Takes, from the front of `waiting`, up to `max` jobs with distinct members and keys.
fn next_batch(waiting: &mut VecDeque<Job>, max: usize) -> Vec<Job> {
    let mut members = HashSet::new();
    let mut keys = HashSet::new();
    let mut batch = Vec::new();
    let mut later = VecDeque::new();
    while let Some(job) = waiting.pop_front() {
        let key = (job.write.key.branch, job.write.key.external_id.clone());
        if batch.len() < max && !members.contains(&job.write.member) && !keys.contains(&key) {
            members.insert(job.write.member);
            keys.insert(key);
            batch.push(job);
        } else {
            later.push_back(job);
        }
    }
    *waiting = later;
    batch
}

async fn run(store: Arc<dyn PosStore>, mut receiver: mpsc::Receiver<Job>, max: usize, capacity: usize) {
    let mut waiting: VecDeque<Job> = VecDeque::new();
    loop {
        if waiting.is_empty() {
            match receiver.recv().await {
                Some(job) => waiting.push_back(job),
                None => return,
            }
        }
        // What a batch may take is what has queued: a batch never waits for more to arrive.
        while waiting.len() < capacity.min(max.saturating_mul(4)) {
            match receiver.try_recv() {
                Ok(job) => waiting.push_back(job),
                Err(_) => break,
            }
        }
        let batch = next_batch(&mut waiting, max);
        metrics::gauge!(QUEUE_DEPTH).set((receiver.len() + waiting.len()) as f64);
        metrics::histogram!(BATCH_SIZE).record(batch.len() as f64);
        let (writes, answers): (Vec<PurchaseWrite>, Vec<_>) = batch.into_iter().map(|job| (job.write, job.answer)).unzip();
        let started = Instant::now();
        let results = store.purchase_batch(&writes, clock::now()).await;
        metrics::histogram!(COMMIT_SECONDS).record(started.elapsed().as_secs_f64());
        for (answer, result) in answers.into_iter().zip(results) {
            // A caller that gave up is told nothing; its retry finds the stored answer.
            let _ = answer.send(result);
        }
    }
}
