//! Per-thread state for a parallel loop, without locks: one value per rayon worker, merged after.
//!
//! Each worker keeps its value in a thread-local slot keyed by the loop. It takes the value out
//! while it works on an item and puts it back after, so a nested parallel call that makes the
//! same worker pick up another item of the loop finds the slot empty and starts a fresh value:
//! never a deadlock (a lock per slot would be held across the nested call) and never a second
//! mutable borrow. Values are collected from every worker of the pool once the loop is done.

use std::any::Any;
use std::cell::RefCell;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::FxHashMap;

thread_local! {
    /// Loop id -> the values this thread holds for it (more than one only after nesting).
    static SLOTS: RefCell<FxHashMap<u64, Vec<Box<dyn Any + Send>>>> =
        RefCell::new(FxHashMap::default());
}

/// Distinguishes loops that run at the same time in one process (tests, library users).
static NEXT_LOOP: AtomicU64 = AtomicU64::new(0);

/// One `T` per worker thread of the current rayon pool, for one parallel loop.
pub struct PerThread<T: Default + Send + 'static> {
    id: u64,
    collected: bool,
    _values: PhantomData<fn() -> T>,
}

impl<T: Default + Send + 'static> Default for PerThread<T> {
    fn default() -> Self {
        PerThread {
            id: NEXT_LOOP.fetch_add(1, Ordering::Relaxed),
            collected: false,
            _values: PhantomData,
        }
    }
}

impl<T: Default + Send + 'static> PerThread<T> {
    /// Runs `f` on the calling thread's value (a new one on first use).
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let held = SLOTS.with(|s| s.borrow_mut().get_mut(&self.id).and_then(Vec::pop));
        let mut value = held
            .and_then(|b| b.downcast::<T>().ok())
            .map_or_else(T::default, |b| *b);
        let result = f(&mut value);
        SLOTS.with(|s| {
            s.borrow_mut()
                .entry(self.id)
                .or_default()
                .push(Box::new(value))
        });
        result
    }

    /// Every value made by the loop, from every worker of the current pool (call it on the
    /// thread that ran the loop, after the loop). Their order is unspecified: merge them with
    /// an operation that does not depend on it.
    pub fn collect(mut self) -> Vec<T> {
        self.collected = true;
        take_everywhere(self.id)
            .into_iter()
            .filter_map(|b| b.downcast::<T>().ok().map(|b| *b))
            .collect()
    }
}

impl<T: Default + Send + 'static> Drop for PerThread<T> {
    /// A loop left early (an interrupted run) frees what its workers still hold.
    fn drop(&mut self) {
        if !self.collected && !std::thread::panicking() {
            drop(take_everywhere(self.id));
        }
    }
}

/// Removes the loop's values from every thread of the current pool and from the caller.
fn take_everywhere(id: u64) -> Vec<Box<dyn Any + Send>> {
    let take = || SLOTS.with(|s| s.borrow_mut().remove(&id).unwrap_or_default());
    let mut out: Vec<Box<dyn Any + Send>> =
        rayon::broadcast(|_| take()).into_iter().flatten().collect();
    out.extend(take());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn every_item_lands_in_exactly_one_value() {
        let per = PerThread::<Vec<u32>>::default();
        (0..10_000u32)
            .into_par_iter()
            .for_each(|i| per.with(|v| v.push(i)));
        let mut all: Vec<u32> = per.collect().into_iter().flatten().collect();
        all.sort_unstable();
        assert_eq!(all, (0..10_000).collect::<Vec<_>>());
    }

    #[test]
    fn values_are_one_per_thread_without_nesting() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let values = pool.install(|| {
            let per = PerThread::<u64>::default();
            (0..1_000u64)
                .into_par_iter()
                .for_each(|i| per.with(|n| *n += i));
            per.collect()
        });
        assert!(values.len() <= 3, "{} values for 3 threads", values.len());
        assert_eq!(values.iter().sum::<u64>(), (0..1_000u64).sum::<u64>());
    }

    #[test]
    fn a_nested_parallel_call_on_the_same_worker_neither_deadlocks_nor_loses_counts() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let total = pool.install(|| {
            let per = PerThread::<u64>::default();
            (0..64u64).into_par_iter().for_each(|i| {
                per.with(|n| {
                    // A nested parallel loop inside the item: the worker may steal outer items
                    // while it waits, and those run `with` again on this same thread.
                    let inner: u64 = (0..100u64).into_par_iter().map(|j| j % 3).sum();
                    *n += i + inner;
                })
            });
            per.collect().into_iter().sum::<u64>()
        });
        let inner: u64 = (0..100u64).map(|j| j % 3).sum();
        assert_eq!(total, (0..64).sum::<u64>() + 64 * inner);
    }

    #[test]
    fn concurrent_loops_keep_their_values_apart() {
        let a = PerThread::<u64>::default();
        let b = PerThread::<u64>::default();
        (0..100u64).into_par_iter().for_each(|i| {
            a.with(|n| *n += i);
            b.with(|n| *n += 1);
        });
        assert_eq!(a.collect().into_iter().sum::<u64>(), 4950);
        assert_eq!(b.collect().into_iter().sum::<u64>(), 100);
    }
}
