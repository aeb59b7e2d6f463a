//! C2SP `tlog-checkpoint` bodies (origin line, decimal tree size, base64 root hash, optional
//! extension lines, each ending in `\n`) signed as C2SP signed notes with the Ed25519 log key.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::Hash;
use super::signed_note::{self, NoteError, VerifierKey};

/// A log checkpoint: the log's origin, its size and its RFC 6962 root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
    /// Optional extension lines, without their newlines.
    pub extensions: Vec<String>,
}

impl Checkpoint {
    pub fn new(origin: &str, size: u64, root: Hash) -> Self {
        Self {
            origin: origin.to_owned(),
            size,
            root,
            extensions: Vec::new(),
        }
    }

    /// The checkpoint body (the signed note text).
    pub fn body(&self) -> Result<String, NoteError> {
        let bad_line = |l: &str| l.is_empty() || l.contains('\n');
        if bad_line(&self.origin) || self.extensions.iter().any(|e| bad_line(e)) {
            return Err(NoteError::BadCheckpoint(
                "empty line or newline inside a line",
            ));
        }
        let mut s = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            STANDARD.encode(self.root)
        );
        for e in &self.extensions {
            s.push_str(e);
            s.push('\n');
        }
        Ok(s)
    }

    /// Parses a checkpoint body; the size must be canonical decimal and the root 32 bytes.
    pub fn parse(body: &str) -> Result<Self, NoteError> {
        let lines = body
            .strip_suffix('\n')
            .ok_or(NoteError::BadCheckpoint("no final newline"))?;
        let mut it = lines.split('\n');
        let origin = it.next().unwrap_or_default();
        let (Some(size), Some(root)) = (it.next(), it.next()) else {
            return Err(NoteError::BadCheckpoint("fewer than three lines"));
        };
        let extensions: Vec<String> = it.map(str::to_owned).collect();
        if origin.is_empty() || extensions.iter().any(String::is_empty) {
            return Err(NoteError::BadCheckpoint("empty line"));
        }
        // Decimal without sign or leading zeros, so one size has one spelling.
        let canonical = !size.is_empty()
            && size.bytes().all(|b| b.is_ascii_digit())
            && (size == "0" || !size.starts_with('0'));
        let size: u64 = size
            .parse()
            .ok()
            .filter(|_| canonical)
            .ok_or(NoteError::BadCheckpoint("tree size"))?;
        let root: Hash = STANDARD
            .decode(root)
            .ok()
            .and_then(|r| r.try_into().ok())
            .ok_or(NoteError::BadCheckpoint("root hash"))?;
        Ok(Self {
            origin: origin.to_owned(),
            size,
            root,
            extensions,
        })
    }
}

/// Signs a checkpoint with the Ed25519 key of `seed` (32 secret bytes supplied by the caller)
/// under `key_name`: returns the signed note text.
pub fn sign(checkpoint: &Checkpoint, seed: &[u8; 32], key_name: &str) -> Result<String, NoteError> {
    signed_note::sign(&checkpoint.body()?, seed, key_name)
}

/// Verifies a signed checkpoint note against one log key and returns the checkpoint.
pub fn verify(note: &str, key_name: &str, public_key: &[u8; 32]) -> Result<Checkpoint, NoteError> {
    verify_with(note, &VerifierKey::new(key_name, *public_key)?)
}

/// [`verify`] with a parsed verifier key.
pub fn verify_with(note: &str, key: &VerifierKey) -> Result<Checkpoint, NoteError> {
    Checkpoint::parse(signed_note::open(note, key)?)
}

/// The checkpoint of a signed note without checking any signature (for reports that still
/// want to show what the note claims).
/// Only the text (up to the last blank line) is read, so a damaged signature line still lets
/// the report show which tree the note names.
pub fn parse_unverified(note: &str) -> Result<Checkpoint, NoteError> {
    let at = note.rfind("\n\n").ok_or(NoteError::Malformed)?;
    Checkpoint::parse(&note[..=at])
}
