//! Hit spill files: a worker's theme hits written as blocks to an unnamed file under staging, read back in order.
//!
//! A block is its hits one after another, each as little-endian integers (theme, pattern,
//! token index, byte start, byte end) and four length-prefixed UTF-8 strings (matched
//! text, left context, match, right context). The file has no name (it vanishes with the
//! process, even a killed one) and lives under the run's staging folder, on the output's
//! file system rather than a possibly small `/tmp`.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;

use crate::count::contexts::Context;
use crate::count::hits::HitRecord;
use crate::count::hits::{Extent, HitSpill};

/// One worker's spill file.
#[derive(Debug)]
pub struct HitFile {
    writer: Option<BufWriter<File>>,
    reader: Mutex<Option<File>>,
    written: u64,
    scratch: Vec<u8>,
}

impl HitFile {
    /// An unnamed file in `dir`.
    pub fn create(dir: &Path) -> std::io::Result<HitFile> {
        let file = tempfile::tempfile_in(dir)?;
        Ok(HitFile {
            writer: Some(BufWriter::with_capacity(1 << 16, file)),
            reader: Mutex::new(None),
            written: 0,
            scratch: Vec::new(),
        })
    }
}

impl HitSpill for HitFile {
    fn write(&mut self, hits: &[HitRecord]) -> std::io::Result<Extent> {
        let w = self
            .writer
            .as_mut()
            .ok_or_else(|| std::io::Error::other("hit spill written after it was finished"))?;
        self.scratch.clear();
        for h in hits {
            encode(h, &mut self.scratch);
        }
        w.write_all(&self.scratch)?;
        let extent = Extent {
            offset: self.written,
            len: self.scratch.len() as u64,
            hits: hits.len() as u32,
        };
        self.written += extent.len;
        Ok(extent)
    }

    fn finish_writing(&mut self) -> std::io::Result<()> {
        if let Some(w) = self.writer.take() {
            let file = w.into_inner().map_err(|e| e.into_error())?;
            *self.reader.lock().unwrap_or_else(|p| p.into_inner()) = Some(file);
        }
        Ok(())
    }

    fn read(&self, extent: Extent) -> std::io::Result<Vec<HitRecord>> {
        let mut bytes = vec![0; extent.len as usize];
        {
            let mut guard = self.reader.lock().unwrap_or_else(|p| p.into_inner());
            let file = guard
                .as_mut()
                .ok_or_else(|| std::io::Error::other("hit spill read before it was finished"))?;
            file.seek(SeekFrom::Start(extent.offset))?;
            file.read_exact(&mut bytes)?;
        }
        let mut at = &bytes[..];
        let mut hits = Vec::with_capacity(extent.hits as usize);
        while !at.is_empty() {
            hits.push(decode(&mut at)?);
        }
        if hits.len() != extent.hits as usize {
            return Err(corrupt());
        }
        Ok(hits)
    }
}

fn encode(h: &HitRecord, out: &mut Vec<u8>) {
    out.extend_from_slice(&h.theme.to_le_bytes());
    out.extend_from_slice(&h.pattern.to_le_bytes());
    out.extend_from_slice(&h.token_index.to_le_bytes());
    out.extend_from_slice(&(h.start as u64).to_le_bytes());
    out.extend_from_slice(&(h.end as u64).to_le_bytes());
    for s in [
        &h.matched_text,
        &h.context.left,
        &h.context.exact,
        &h.context.right,
    ] {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }
}

fn corrupt() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        "hit spill block does not decode",
    )
}

fn take<'a>(at: &mut &'a [u8], n: usize) -> std::io::Result<&'a [u8]> {
    if at.len() < n {
        return Err(corrupt());
    }
    let (head, rest) = at.split_at(n);
    *at = rest;
    Ok(head)
}

fn u32_of(at: &mut &[u8]) -> std::io::Result<u32> {
    let b = take(at, 4)?;
    Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn u64_of(at: &mut &[u8]) -> std::io::Result<u64> {
    let b = take(at, 8)?;
    let mut a = [0; 8];
    a.copy_from_slice(b);
    Ok(u64::from_le_bytes(a))
}

fn string_of(at: &mut &[u8]) -> std::io::Result<String> {
    let n = u32_of(at)? as usize;
    String::from_utf8(take(at, n)?.to_vec()).map_err(|_| corrupt())
}

fn decode(at: &mut &[u8]) -> std::io::Result<HitRecord> {
    let theme = u32_of(at)?;
    let pattern = u32_of(at)?;
    let token_index = u64_of(at)?;
    let start = u64_of(at)? as usize;
    let end = u64_of(at)? as usize;
    let matched_text = string_of(at)?;
    let context = Context {
        left: string_of(at)?,
        exact: string_of(at)?,
        right: string_of(at)?,
    };
    Ok(HitRecord {
        doc: 0,
        theme,
        pattern,
        matched_text,
        token_index,
        start,
        end,
        context,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(i: u64, text: &str) -> HitRecord {
        HitRecord {
            doc: 0,
            theme: i as u32,
            pattern: 7,
            matched_text: text.into(),
            token_index: i,
            start: 10 * i as usize,
            end: 10 * i as usize + text.len(),
            context: Context {
                left: "left, \"quoted\" ".into(),
                exact: text.into(),
                right: " — right\n".into(),
            },
        }
    }

    #[test]
    fn blocks_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = HitFile::create(dir.path()).unwrap();
        let a = vec![hit(1, "cyber mercenaries"), hit(2, "雇佣军")];
        let b = vec![hit(3, "")];
        let ea = f.write(&a).unwrap();
        let eb = f.write(&b).unwrap();
        assert!(f.write(&[]).is_ok());
        f.finish_writing().unwrap();
        assert_eq!(f.read(eb).unwrap(), b);
        assert_eq!(f.read(ea).unwrap(), a);
        assert!(f.write(&a).is_err(), "finished spills take no more blocks");
        // The file has no name: the folder is empty.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_block_that_does_not_decode_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = HitFile::create(dir.path()).unwrap();
        let e = f.write(&[hit(1, "x")]).unwrap();
        f.finish_writing().unwrap();
        let short = Extent {
            len: e.len - 1,
            ..e
        };
        assert!(f.read(short).is_err());
        let miscounted = Extent { hits: 2, ..e };
        assert!(f.read(miscounted).is_err());
    }
}
