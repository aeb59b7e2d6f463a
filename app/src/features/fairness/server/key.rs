//! The fairness log's Ed25519 key: 32 secret bytes from the OS at first start, kept with the
//! data as `<data_dir>/fairlog.key` (hex, mode 0600) and read back on every later start, so the
//! public key auditors pin never changes. Checkpoints are signed on demand.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use engine::fair::signed_note::NoteError;
use engine::fair::{Checkpoint, Hash, VerifierKey, checkpoint, hexstr};
use rand::TryRngCore;
use tokio::sync::OnceCell;

use crate::platform::server::config::Config;

pub const KEY_FILE: &str = "fairlog.key";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot {action} the log key {path}: {source}")]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },
    #[error("the log key {0} is not 64 lowercase hex digits")]
    Malformed(PathBuf),
    #[error("the OS gave no randomness for the log key: {0}")]
    Random(String),
    #[error("the log key cannot be named {0:?}: {1}")]
    Name(String, NoteError),
}

/// The log key of a data directory, read or made at its first use.
pub struct LogKey {
    dir: PathBuf,
    origin: String,
    signer: OnceCell<LogSigner>,
}

impl LogKey {
    pub fn new(config: &Config) -> Self {
        Self { dir: config.data_dir.clone(), origin: config.log_origin.clone(), signer: OnceCell::new() }
    }

    /// The signer, reading the key file or making it the first time.
    pub async fn signer(&self) -> Result<&LogSigner, KeyError> {
        self.signer.get_or_try_init(|| async { LogSigner::load(&self.dir, &self.origin) }).await
    }
}

/// Signs checkpoints of the log under its origin.
pub struct LogSigner {
    seed: [u8; 32],
    key: VerifierKey,
    /// The last signed note and the tree it names: the log is read far more often than it grows.
    last: Mutex<Option<(u64, Hash, String)>>,
}

impl std::fmt::Debug for LogSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogSigner").field("key", &self.key.encode()).finish_non_exhaustive()
    }
}

impl LogSigner {
    fn load(dir: &Path, origin: &str) -> Result<Self, KeyError> {
        let seed = read_or_create(&dir.join(KEY_FILE))?;
        let key = VerifierKey::from_seed(origin, &seed).map_err(|e| KeyError::Name(origin.to_owned(), e))?;
        Ok(Self { seed, key, last: Mutex::new(None) })
    }

    /// The public key as a C2SP verifier-key string, for auditors to pin.
    pub fn verifier_key(&self) -> &VerifierKey {
        &self.key
    }

    /// The signed checkpoint note of the tree of `size` records with `root`.
    pub fn checkpoint(&self, size: u64, root: Hash) -> Result<String, NoteError> {
        let mut last = self.last.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, _, note)) = last.as_ref().filter(|(s, r, _)| *s == size && *r == root) {
            return Ok(note.clone());
        }
        // The origin line and the key name are one configured name, as C2SP logs do.
        let note = checkpoint::sign(&Checkpoint::new(&self.key.name, size, root), &self.seed, &self.key.name)?;
        *last = Some((size, root, note.clone()));
        Ok(note)
    }

    /// A ticket's receipt: a signed note naming the draw, the leaf index and the leaf hash.
    /// Ed25519 signs deterministically, so the same ticket always gets the same receipt.
    pub fn receipt(&self, draw_id: &str, leaf_index: u64, leaf_hash: &str) -> Result<String, NoteError> {
        let text = format!("fairdraw/v1 receipt\n{draw_id}\n{leaf_index}\n{leaf_hash}\n");
        engine::fair::signed_note::sign(&text, &self.seed, &self.key.name)
    }
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> KeyError {
    let path = path.to_owned();
    move |source| KeyError::Io { action, path, source }
}

pub(crate) fn read_or_create(path: &Path) -> Result<[u8; 32], KeyError> {
    match std::fs::read_to_string(path) {
        Ok(text) => hexstr::decode32(text.trim_end()).ok_or_else(|| KeyError::Malformed(path.to_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path),
        Err(e) => Err(io("read", path)(e)),
    }
}

/// Writes a new key to a private temporary file, then links it into place: the link fails if
/// another process made the key first, and then that key is the one read back.
fn create(path: &Path) -> Result<[u8; 32], KeyError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io("create the directory of", path))?;
    let mut seed = [0u8; 32];
    rand::rngs::OsRng.try_fill_bytes(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
    let temp = dir.join(format!(".{KEY_FILE}.{}.{:016x}", std::process::id(), crate::platform::server::clock::random_u64()));
    let written = write_private(&temp, &seed);
    let linked = written.and_then(|()| std::fs::hard_link(&temp, path));
    // The temporary name is only a step; a leftover would hold a second secret.
    let _ = std::fs::remove_file(&temp);
    match linked {
        Ok(()) => Ok(seed),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_or_create(path),
        Err(e) => Err(io("write", path)(e)),
    }
}

fn write_private(path: &Path, seed: &[u8; 32]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(format!("{}\n", hexstr::encode(seed)).as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_and_read_back() {
        let dir = std::env::temp_dir().join(format!("bashgah-logkey-{}", crate::platform::server::clock::random_u64()));
        let first = LogSigner::load(&dir, "test.local/log").expect("made");
        let again = LogSigner::load(&dir, "test.local/log").expect("read");
        assert_eq!(first.verifier_key(), again.verifier_key());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(KEY_FILE)).expect("file").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let note = first.checkpoint(0, engine::fair::sha256(&[])).expect("signed");
        assert!(checkpoint::verify_with(&note, again.verifier_key()).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
