//! Content-addressed object store: each object is a file named by the lowercase hex
//! SHA-256 of its bytes, under `objects/<first two hex digits>/`.
//!
//! Writing streams the input once, hashing while copying, into a temp file in the same
//! file system; the temp file is fsynced and renamed into place, and the directory is
//! fsynced (`sync`, grouped per batch) before any row naming the object is committed.
//! A crash at any moment leaves either no object or a complete one (plus, at worst, a
//! stray temp file that `sweep_temp` removes). Stored objects are never modified.

use crate::error::{Error, IoContext, Result};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Mutex, PoisonError};

pub(crate) const BUF_SIZE: usize = 256 * 1024;

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

#[derive(Debug)]
pub struct ObjectStore {
    root: PathBuf,
    tmp: PathBuf,
    /// Directories that gained an entry since the last `sync`.
    unsynced_dirs: Mutex<HashSet<PathBuf>>,
}

/// What `put` stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub sha256: String,
    pub size: u64,
    /// The object was already in the store (same bytes); nothing new was written.
    pub existed: bool,
}

/// True for a string that can name an object (64 lowercase hex digits).
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl ObjectStore {
    pub(crate) fn new(vault_dir: &Path) -> ObjectStore {
        ObjectStore {
            root: vault_dir.join("objects"),
            tmp: vault_dir.join("tmp"),
            unsynced_dirs: Mutex::new(HashSet::new()),
        }
    }

    pub(crate) fn create_dirs(&self) -> Result<()> {
        fs::create_dir_all(&self.root).at(&self.root)?;
        fs::create_dir_all(&self.tmp).at(&self.tmp)?;
        Ok(())
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the object with this hash lives (whether or not it exists). A value that is
    /// not a SHA-256 (a damaged or crafted database) names a path that never exists in
    /// the store, never one outside it.
    pub fn path(&self, sha256: &str) -> PathBuf {
        if !is_sha256_hex(sha256) {
            return self.root.join("not-a-sha256");
        }
        self.root.join(&sha256[..2]).join(sha256)
    }

    /// The path of an existing object that is a regular file inside the store: not a
    /// symlink, not reached through a symlinked folder. What leaves the vault (served to
    /// the window, copied for a viewer, exported) goes through here, so a crafted vault
    /// cannot hand out other files.
    pub fn existing(&self, sha256: &str) -> Result<PathBuf> {
        let p = self.path(sha256);
        let meta = fs::symlink_metadata(&p).at(&p)?;
        let root = fs::canonicalize(&self.root).at(&self.root)?;
        let inside = p
            .parent()
            .map(fs::canonicalize)
            .transpose()
            .at(&p)?
            .is_some_and(|parent| parent.parent() == Some(root.as_path()));
        if !meta.file_type().is_file() || !inside {
            return Err(Error::BadFile {
                path: p,
                reason: "not a regular file inside the vault's store".into(),
            });
        }
        Ok(p)
    }

    pub fn contains(&self, sha256: &str) -> bool {
        self.path(sha256).is_file()
    }

    /// Delete an object (emptying the Trash). An object already gone is fine.
    pub(crate) fn remove(&self, sha256: &str) -> Result<()> {
        if !is_sha256_hex(sha256) {
            return Err(Error::Invalid(format!("{sha256:?} is not a SHA-256")));
        }
        let path = self.path(sha256);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Store everything `reader` yields. `origin` names the input in errors.
    pub fn put(&self, reader: &mut dyn Read, origin: &Path) -> Result<Stored> {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp_path = self.tmp.join(format!("{}-{n}.part", std::process::id()));
        let result = self.put_via(reader, origin, &tmp_path);
        if result.is_err() || matches!(&result, Ok(s) if s.existed) {
            let _ = fs::remove_file(&tmp_path);
        }
        result
    }

    fn put_via(&self, reader: &mut dyn Read, origin: &Path, tmp_path: &Path) -> Result<Stored> {
        let mut tmp = File::create(tmp_path).at(tmp_path)?;
        let (sha256, size) = copy_hashing(reader, origin, &mut tmp, tmp_path)?;
        let dest = self.path(&sha256);
        let dir = dest.parent().unwrap_or(&self.root).to_path_buf();
        // Same bytes already stored. (A damaged copy of a different size is replaced
        // below by these good bytes.)
        if fs::metadata(&dest).is_ok_and(|m| m.is_file() && m.len() == size) {
            // Another writer may not have made its name durable yet.
            self.unsynced_dirs
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(dir);
            return Ok(Stored {
                sha256,
                size,
                existed: true,
            });
        }
        tmp.sync_all().at(tmp_path)?;
        drop(tmp);
        if !dir.is_dir() {
            fs::create_dir_all(&dir).at(&dir)?;
            sync_dir(&self.root)?;
        }
        // The data is durable before the name appears, so a name always means complete
        // bytes. The new name itself becomes durable at the next `sync`, which callers
        // run before they commit rows that refer to it.
        fs::rename(tmp_path, &dest).at(&dest)?;
        self.unsynced_dirs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(dir);
        Ok(Stored {
            sha256,
            size,
            existed: false,
        })
    }

    /// Put back the object `sha256` from `reader` (repair of a missing or damaged
    /// original): the bytes go to a temp file, are fsynced, and replace the object only
    /// when they hash to `sha256`. Returns whether they did.
    pub(crate) fn restore(
        &self,
        sha256: &str,
        reader: &mut dyn Read,
        origin: &Path,
    ) -> Result<bool> {
        if !is_sha256_hex(sha256) {
            return Err(Error::Invalid(format!("{sha256:?} is not a SHA-256")));
        }
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp_path = self.tmp.join(format!("{}-{n}.part", std::process::id()));
        let result = (|| -> Result<bool> {
            let mut tmp = File::create(&tmp_path).at(&tmp_path)?;
            let (actual, _) = copy_hashing(reader, origin, &mut tmp, &tmp_path)?;
            if actual != sha256 {
                return Ok(false);
            }
            tmp.sync_all().at(&tmp_path)?;
            drop(tmp);
            let dest = self.path(sha256);
            let dir = dest.parent().unwrap_or(&self.root).to_path_buf();
            if !dir.is_dir() {
                fs::create_dir_all(&dir).at(&dir)?;
                sync_dir(&self.root)?;
            }
            fs::rename(&tmp_path, &dest).at(&dest)?;
            sync_dir(&dir)?;
            Ok(true)
        })();
        if !matches!(result, Ok(true)) {
            let _ = fs::remove_file(&tmp_path);
        }
        result
    }

    pub fn put_bytes(&self, bytes: &[u8], origin: &Path) -> Result<Stored> {
        self.put(&mut &bytes[..], origin)
    }

    /// Make the names of all objects stored since the last call durable. Call before
    /// committing database rows that refer to them. Many directories at once are flushed
    /// with one `syncfs` (Linux) instead of one fsync each.
    pub fn sync(&self) -> Result<()> {
        let dirs: Vec<PathBuf> = {
            let mut set = self
                .unsynced_dirs
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            set.drain().collect()
        };
        if dirs.is_empty() {
            return Ok(());
        }
        #[cfg(target_os = "linux")]
        if dirs.len() > 8 {
            use std::os::fd::AsRawFd;
            let root = File::open(&self.root).at(&self.root)?;
            // SAFETY: syncfs takes a valid open file descriptor and nothing else.
            if unsafe { libc::syncfs(root.as_raw_fd()) } == 0 {
                return Ok(());
            }
        }
        for d in dirs {
            sync_dir(&d)?;
        }
        Ok(())
    }

    /// Open an object for reading.
    pub fn open(&self, sha256: &str) -> Result<File> {
        let p = self.existing(sha256)?;
        File::open(&p).at(&p)
    }

    /// Read a whole object, refusing ones larger than `max` bytes.
    pub fn read_capped(&self, sha256: &str, max: u64) -> Result<Vec<u8>> {
        let p = self.existing(sha256)?;
        let f = File::open(&p).at(&p)?;
        let mut out = Vec::new();
        f.take(max + 1).read_to_end(&mut out).at(&p)?;
        if out.len() as u64 > max {
            return Err(Error::BadFile {
                path: p,
                reason: format!("larger than {} MiB", max >> 20),
            });
        }
        Ok(out)
    }

    /// All object hashes present on disk, in no particular order. Streams the directory.
    pub fn iter_hashes(&self) -> impl Iterator<Item = Result<String>> + '_ {
        let rd = fs::read_dir(&self.root);
        let outer: Box<dyn Iterator<Item = Result<String>>> = match rd {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Box::new(std::iter::empty()),
            Err(e) => Box::new(std::iter::once(Err(Error::io(&self.root, e)))),
            Ok(rd) => Box::new(rd.flat_map(move |entry| {
                let inner: Box<dyn Iterator<Item = Result<String>>> = match entry {
                    Err(e) => Box::new(std::iter::once(Err(Error::io(&self.root, e)))),
                    Ok(entry) => {
                        let p = entry.path();
                        if !p.is_dir() {
                            Box::new(std::iter::empty())
                        } else {
                            match fs::read_dir(&p) {
                                Err(e) => Box::new(std::iter::once(Err(Error::io(&p, e)))),
                                Ok(sub) => Box::new(sub.filter_map(|e| match e {
                                    Ok(e) => e.file_name().to_str().map(|s| Ok(s.to_string())),
                                    Err(e) => Some(Err(Error::io("objects", e))),
                                })),
                            }
                        }
                    }
                };
                inner
            })),
        };
        outer
    }

    /// Remove temp files left by an interrupted write: those of processes that are gone
    /// (never another live process's write in progress) or, where that cannot be told,
    /// older than a day.
    pub(crate) fn sweep_temp(&self) {
        let Ok(rd) = fs::read_dir(&self.tmp) else {
            return;
        };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let pid = name.split('-').next().and_then(|p| p.parse::<u32>().ok());
            let stale = match pid {
                Some(pid) if Path::new("/proc/self").exists() => {
                    pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists()
                }
                _ => e
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age.as_secs() > 86_400),
            };
            if stale {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// Hash a file in one streaming pass.
pub fn hash_file(path: &Path) -> Result<(String, u64)> {
    let mut f = File::open(path).at(path)?;
    hash_reader(&mut f, path)
}

pub fn hash_reader(r: &mut dyn Read, origin: &Path) -> Result<(String, u64)> {
    copy_hashing(r, origin, &mut io::sink(), Path::new(""))
}

/// After this many bytes, hashing moves to its own thread so that it overlaps reading
/// and writing (a large file then goes at the speed of the slower of the two, not their sum).
const PIPELINE_AFTER: u64 = 8 << 20;

fn read_some(r: &mut dyn Read, buf: &mut [u8], origin: &Path) -> Result<usize> {
    loop {
        match r.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(origin, e)),
        }
    }
}

/// Copy `r` to `w` in one pass, hashing on the way; errors name `origin` (reading) or
/// `dest` (writing). Returns the hex SHA-256 and the byte count.
pub fn copy_hashing(
    r: &mut dyn Read,
    origin: &Path,
    w: &mut dyn Write,
    dest: &Path,
) -> Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; BUF_SIZE];
    let mut size = 0u64;
    while size < PIPELINE_AFTER {
        let n = read_some(r, &mut buf, origin)?;
        if n == 0 {
            return Ok((hex::encode(hasher.finalize()), size));
        }
        hasher.update(&buf[..n]);
        w.write_all(&buf[..n]).at(dest)?;
        size += n as u64;
    }
    // A large input: the hasher thread takes filled buffers and hands them back.
    const BUFS: usize = 4;
    const CHUNK: usize = 1 << 20;
    let (full_tx, full_rx) = mpsc::sync_channel::<(Vec<u8>, usize)>(BUFS);
    let (free_tx, free_rx) = mpsc::sync_channel::<Vec<u8>>(BUFS);
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || {
            for (b, n) in full_rx {
                hasher.update(&b[..n]);
                let _ = free_tx.send(b);
            }
            hasher
        });
        let mut made = 0;
        let copied = (|| -> Result<()> {
            loop {
                let mut b = match free_rx.try_recv() {
                    Ok(b) => b,
                    Err(_) if made < BUFS => {
                        made += 1;
                        vec![0u8; CHUNK]
                    }
                    Err(_) => free_rx
                        .recv()
                        .map_err(|_| Error::io(origin, io::Error::other("hasher stopped")))?,
                };
                let n = read_some(r, &mut b, origin)?;
                if n == 0 {
                    return Ok(());
                }
                w.write_all(&b[..n]).at(dest)?;
                size += n as u64;
                full_tx
                    .send((b, n))
                    .map_err(|_| Error::io(origin, io::Error::other("hasher stopped")))?;
            }
        })();
        drop(full_tx);
        let hasher = worker
            .join()
            .map_err(|_| Error::io(origin, io::Error::other("the hashing thread failed")))?;
        copied?;
        Ok((hex::encode(hasher.finalize()), size))
    })
}

fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        File::open(dir).and_then(|d| d.sync_all()).at(dir)?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_is_content_addressed_and_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let store = ObjectStore::new(dir.path());
        store.create_dirs().unwrap();
        let a = store.put_bytes(b"hello", Path::new("x")).unwrap();
        assert_eq!(
            a.sha256,
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
        assert!(!a.existed);
        assert_eq!(fs::read(store.path(&a.sha256)).unwrap(), b"hello");
        assert_eq!(store.unsynced_dirs.lock().unwrap().len(), 1);
        store.sync().unwrap();
        assert!(store.unsynced_dirs.lock().unwrap().is_empty());
        let b = store.put_bytes(b"hello", Path::new("y")).unwrap();
        assert!(b.existed);
        // No temp files are left behind.
        assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
        let all: Vec<_> = store.iter_hashes().collect::<Result<_>>().unwrap();
        assert_eq!(all, vec![a.sha256.clone()]);
        assert_eq!(hash_file(&store.path(&a.sha256)).unwrap().0, a.sha256);
    }

    #[test]
    fn failed_read_leaves_nothing() {
        struct Failing(u8);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0 == 0 {
                    return Err(io::Error::other("disk on fire"));
                }
                self.0 -= 1;
                buf[0] = 1;
                Ok(1)
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let store = ObjectStore::new(dir.path());
        store.create_dirs().unwrap();
        let err = store
            .put(&mut Failing(3), Path::new("bad.bin"))
            .unwrap_err();
        assert!(err.to_string().contains("bad.bin"), "{err}");
        assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
        assert_eq!(store.iter_hashes().count(), 0);
    }

    #[test]
    fn large_inputs_hash_the_same_through_the_pipeline() {
        let data: Vec<u8> = (0..(PIPELINE_AFTER as usize * 2 + 12345))
            .map(|i| (i * 31 % 251) as u8)
            .collect();
        let mut out = Vec::new();
        let (h, n) =
            copy_hashing(&mut &data[..], Path::new("in"), &mut out, Path::new("out")).unwrap();
        assert_eq!(n as usize, data.len());
        assert_eq!(out, data);
        assert_eq!(h, hex::encode(Sha256::digest(&data)));
    }

    #[test]
    fn sha_check() {
        assert!(is_sha256_hex(&"a".repeat(64)));
        assert!(!is_sha256_hex(&"A".repeat(64)));
        assert!(!is_sha256_hex("../etc"));
    }
}
