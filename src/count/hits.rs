//! Theme hits as a run keeps them: a list in memory, or blocks spilled to a file as statements finish.
//!
//! A run that writes the hit tables hands each statement's settled hits, a block at a
//! time, to its worker's [`HitSpill`] (a file under staging, see `write::spill`) and keeps
//! only where each block went: memory grows with the number of statements, not of hits.
//! The blocks are read back in statement order, so the tables come out in the order a
//! single in-memory list sorted by statement, position and theme would give.

use std::sync::Arc;

/// One theme hit, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HitRecord {
    pub doc: usize,
    pub theme: u32,
    pub pattern: u32,
    /// The text from the first to the last matched word, white space folded.
    pub matched_text: String,
    /// Position of the first matched word among the statement's tokens (0-based).
    pub token_index: u64,
    /// Byte span of the match in the cleaned text.
    pub start: usize,
    pub end: usize,
    /// The original words around the match (theme_contexts.csv).
    pub context: crate::count::contexts::Context,
}

/// Where a worker's hit blocks go while the run counts, and how they come back.
pub trait HitSpill: Send + Sync + std::fmt::Debug {
    /// Appends a block of hits; returns where it is, for [`HitSpill::read`].
    fn write(&mut self, hits: &[HitRecord]) -> std::io::Result<Extent>;
    /// Makes every written block readable (flushes buffers).
    fn finish_writing(&mut self) -> std::io::Result<()>;
    /// The hits of one block, as written (their `doc` is set by the caller).
    fn read(&self, extent: Extent) -> std::io::Result<Vec<HitRecord>>;
}

/// A block's place in its spill: byte offset, length and number of hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    pub offset: u64,
    pub len: u64,
    pub hits: u32,
}

/// One spilled block: a run of one statement's hits, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// The statement (its input index while counting; its row in documents.csv once finished).
    pub doc: usize,
    /// The block's number within its statement.
    pub seq: u32,
    /// Which spill holds it.
    pub spill: u32,
    pub extent: Extent,
}

/// Hits written to spills, with the blocks in statement order.
#[derive(Debug, Default)]
pub struct SpilledHits {
    spills: Vec<Box<dyn HitSpill>>,
    blocks: Vec<Block>,
    total: u64,
}

impl SpilledHits {
    /// Collects the spills and their blocks; `position` maps a statement's input index to
    /// its row in documents.csv.
    pub fn new(
        spills: Vec<Box<dyn HitSpill>>,
        mut blocks: Vec<Block>,
        position: impl Fn(usize) -> usize,
    ) -> SpilledHits {
        for b in &mut blocks {
            b.doc = position(b.doc);
        }
        blocks.sort_by_key(|b| (b.doc, b.seq));
        let total = blocks.iter().map(|b| u64::from(b.extent.hits)).sum();
        SpilledHits {
            spills,
            blocks,
            total,
        }
    }

    fn read(&self, b: &Block) -> std::io::Result<Vec<HitRecord>> {
        let spill = self.spills.get(b.spill as usize).ok_or_else(|| {
            std::io::Error::other(format!("hit block names a missing spill {}", b.spill))
        })?;
        let mut hits = spill.read(b.extent)?;
        for h in &mut hits {
            h.doc = b.doc;
        }
        Ok(hits)
    }
}

/// A run's theme hits, by statement, then position, then theme.
#[derive(Debug, Clone)]
pub enum Hits {
    /// Every hit in memory (tools and small jobs, where nothing is spilled).
    Memory(Vec<HitRecord>),
    /// Hits in spill files, read back a block at a time.
    Spilled(Arc<SpilledHits>),
}

/// Hits in memory compare by value; spilled ones only equal themselves.
impl PartialEq for Hits {
    fn eq(&self, other: &Hits) -> bool {
        match (self, other) {
            (Hits::Memory(a), Hits::Memory(b)) => a == b,
            (Hits::Spilled(a), Hits::Spilled(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Default for Hits {
    fn default() -> Hits {
        Hits::Memory(Vec::new())
    }
}

impl Hits {
    /// Number of hits kept.
    pub fn len(&self) -> u64 {
        match self {
            Hits::Memory(v) => v.len() as u64,
            Hits::Spilled(s) => s.total,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `f` on every hit in order, holding one block at a time; stops at the first
    /// error `f` or a read returns.
    pub fn try_for_each(
        &self,
        mut f: impl FnMut(&HitRecord) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        match self {
            Hits::Memory(v) => v.iter().try_for_each(f),
            Hits::Spilled(s) => {
                for b in &s.blocks {
                    for h in &s.read(b)? {
                        f(h)?;
                    }
                }
                Ok(())
            }
        }
    }

    /// Calls `f` on the hits of statement `doc` in order, holding one block at a time.
    pub fn try_for_each_of_doc(
        &self,
        doc: usize,
        mut f: impl FnMut(&HitRecord) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        match self {
            Hits::Memory(v) => {
                let start = v.partition_point(|h| h.doc < doc);
                let end = v.partition_point(|h| h.doc <= doc);
                v[start..end].iter().try_for_each(f)
            }
            Hits::Spilled(s) => {
                let start = s.blocks.partition_point(|b| b.doc < doc);
                let end = s.blocks.partition_point(|b| b.doc <= doc);
                for b in &s.blocks[start..end] {
                    for h in &s.read(b)? {
                        f(h)?;
                    }
                }
                Ok(())
            }
        }
    }

    /// Every hit in memory (spilled ones read back): for joining the results of several
    /// languages, whose hits are renumbered.
    pub fn into_memory(self) -> std::io::Result<Vec<HitRecord>> {
        match self {
            Hits::Memory(v) => Ok(v),
            spilled => {
                let mut v = Vec::with_capacity(spilled.len() as usize);
                spilled.try_for_each(|h| {
                    v.push(h.clone());
                    Ok(())
                })?;
                Ok(v)
            }
        }
    }

    /// The hits in memory (empty for spilled hits): for tools that never spill.
    pub fn in_memory(&self) -> &[HitRecord] {
        match self {
            Hits::Memory(v) => v,
            Hits::Spilled(_) => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A spill in memory, for the ordering logic.
    #[derive(Debug, Default)]
    struct VecSpill(Mutex<Vec<Vec<HitRecord>>>);

    impl HitSpill for VecSpill {
        fn write(&mut self, hits: &[HitRecord]) -> std::io::Result<Extent> {
            let mut v = self.0.lock().unwrap();
            v.push(hits.to_vec());
            Ok(Extent {
                offset: v.len() as u64 - 1,
                len: 0,
                hits: hits.len() as u32,
            })
        }
        fn finish_writing(&mut self) -> std::io::Result<()> {
            Ok(())
        }
        fn read(&self, e: Extent) -> std::io::Result<Vec<HitRecord>> {
            Ok(self.0.lock().unwrap()[e.offset as usize].clone())
        }
    }

    /// The hits of statement `doc`, collected.
    fn of_doc(hits: &Hits, doc: usize) -> Vec<HitRecord> {
        let mut out = Vec::new();
        hits.try_for_each_of_doc(doc, |h| {
            out.push(h.clone());
            Ok(())
        })
        .unwrap();
        out
    }

    fn hit(token_index: u64) -> HitRecord {
        HitRecord {
            doc: 99,
            theme: 0,
            pattern: 0,
            matched_text: format!("m{token_index}"),
            token_index,
            start: 0,
            end: 0,
            context: Default::default(),
        }
    }

    #[test]
    fn blocks_come_back_in_statement_then_block_order() {
        let (mut a, mut b) = (VecSpill::default(), VecSpill::default());
        let mut blocks = Vec::new();
        // Worker a wrote statement 7 (two blocks), worker b statements 3 and 9.
        for (spill, doc, seq, hits) in [
            (0, 7, 0, vec![hit(1), hit(2)]),
            (1, 9, 0, vec![hit(5)]),
            (0, 7, 1, vec![hit(3)]),
            (1, 3, 0, vec![hit(4)]),
        ] {
            let s: &mut VecSpill = if spill == 0 { &mut a } else { &mut b };
            let extent = s.write(&hits).unwrap();
            blocks.push(Block {
                doc,
                seq,
                spill,
                extent,
            });
        }
        // Rows: statement 3 -> 0, 7 -> 1, 9 -> 2.
        let rows = |i: usize| [3, 7, 9].iter().position(|&d| d == i).unwrap();
        let hits = Hits::Spilled(Arc::new(SpilledHits::new(
            vec![Box::new(a), Box::new(b)],
            blocks,
            rows,
        )));
        assert_eq!(hits.len(), 5);
        let mut seen = Vec::new();
        hits.try_for_each(|h| {
            seen.push((h.doc, h.token_index));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, [(0, 4), (1, 1), (1, 2), (1, 3), (2, 5)]);
        let first: Vec<u64> = of_doc(&hits, 1).iter().map(|h| h.token_index).collect();
        assert_eq!(first, [1, 2, 3]);
        assert!(of_doc(&hits, 5).is_empty());
    }

    #[test]
    fn memory_hits_by_statement() {
        let mut v: Vec<HitRecord> = (0..4).map(hit).collect();
        for (h, d) in v.iter_mut().zip([0, 0, 2, 2]) {
            h.doc = d;
        }
        let hits = Hits::Memory(v);
        assert_eq!(of_doc(&hits, 2).len(), 2);
        assert!(of_doc(&hits, 1).is_empty());
        let mut n = 0;
        hits.try_for_each(|_| {
            n += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(n, 4);
    }
}
