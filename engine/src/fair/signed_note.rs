//! C2SP `signed-note` with Ed25519 (signature type 0x01): key IDs, the verifier-key string,
//! signing a note text from a caller-supplied 32-byte seed, and opening a signed note.
//!
//! A note is `text ‖ "\n" ‖ signature lines`; the text ends in a newline and each signature
//! line is `— <name> <base64(key ID ‖ signature)>\n` (U+2014 em dash). The key ID is the
//! first 4 bytes of `SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use thiserror::Error;

use super::{hexstr, sha256};

/// Signature type byte of Ed25519 in C2SP signed-note.
pub const ALG_ED25519: u8 = 0x01;
/// Start of a signature line.
const SIG_PREFIX: &str = "\u{2014} ";

/// Why a note, key or checkpoint was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NoteError {
    #[error("key name must be non-empty, without spaces or '+'")]
    BadKeyName,
    #[error("malformed verifier key")]
    BadVerifierKey,
    #[error("note text must be non-empty, end in a newline and have no control characters")]
    BadText,
    #[error("malformed signed note")]
    Malformed,
    #[error("signature by the given key does not verify")]
    BadSignature,
    #[error("no signature by the given key name and key ID")]
    NoSignature,
    #[error("malformed checkpoint: {0}")]
    BadCheckpoint(&'static str),
}

/// A C2SP name is non-empty, has no Unicode whitespace and no `+`.
pub fn valid_key_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c == '+')
}

/// The 4-byte key ID of an Ed25519 key.
pub fn key_id(name: &str, public_key: &[u8; 32]) -> [u8; 4] {
    let mut msg = Vec::with_capacity(name.len() + 34);
    msg.extend_from_slice(name.as_bytes());
    msg.push(b'\n');
    msg.push(ALG_ED25519);
    msg.extend_from_slice(public_key);
    let h = sha256(&msg);
    [h[0], h[1], h[2], h[3]]
}

/// The Ed25519 public key of a 32-byte secret seed.
pub fn public_key(seed: &[u8; 32]) -> [u8; 32] {
    SigningKey::from_bytes(seed).verifying_key().to_bytes()
}

/// A named Ed25519 log public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierKey {
    pub name: String,
    pub public_key: [u8; 32],
}

impl VerifierKey {
    /// Checks the name.
    pub fn new(name: &str, public_key: [u8; 32]) -> Result<Self, NoteError> {
        if !valid_key_name(name) {
            return Err(NoteError::BadKeyName);
        }
        Ok(Self {
            name: name.to_owned(),
            public_key,
        })
    }

    /// The key of a signing seed.
    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<Self, NoteError> {
        Self::new(name, public_key(seed))
    }

    pub fn key_id(&self) -> [u8; 4] {
        key_id(&self.name, &self.public_key)
    }

    /// `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`.
    pub fn encode(&self) -> String {
        let mut typed = vec![ALG_ED25519];
        typed.extend_from_slice(&self.public_key);
        format!(
            "{}+{}+{}",
            self.name,
            hexstr::encode(&self.key_id()),
            STANDARD.encode(typed)
        )
    }

    /// Parses the verifier-key string; the key ID must match name and key. Only the first two
    /// `+` separate fields: a name has none and the ID is hex, but base64 may contain `+`.
    pub fn parse(s: &str) -> Result<Self, NoteError> {
        let mut parts = s.splitn(3, '+');
        let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(NoteError::BadVerifierKey);
        };
        let typed = STANDARD
            .decode(key)
            .map_err(|_| NoteError::BadVerifierKey)?;
        let (&alg, pk) = typed.split_first().ok_or(NoteError::BadVerifierKey)?;
        let pk: [u8; 32] = pk.try_into().map_err(|_| NoteError::BadVerifierKey)?;
        let vk = Self::new(name, pk)?;
        if alg != ALG_ED25519 || hexstr::decode(id).as_deref() != Some(&vk.key_id()[..]) {
            return Err(NoteError::BadVerifierKey);
        }
        Ok(vk)
    }
}

/// Note text rules: non-empty, ends in `\n`, no control character but `\n`.
fn valid_text(text: &str) -> bool {
    text.ends_with('\n') && !text.chars().any(|c| c.is_control() && c != '\n')
}

/// Signs `text` with the Ed25519 key of `seed` under `name`: returns the whole signed note.
pub fn sign(text: &str, seed: &[u8; 32], name: &str) -> Result<String, NoteError> {
    if !valid_key_name(name) {
        return Err(NoteError::BadKeyName);
    }
    if !valid_text(text) {
        return Err(NoteError::BadText);
    }
    let key = SigningKey::from_bytes(seed);
    let sig: Signature = key.sign(text.as_bytes());
    let mut blob = key_id(name, &key.verifying_key().to_bytes()).to_vec();
    blob.extend_from_slice(&sig.to_bytes());
    Ok(format!(
        "{text}\n{SIG_PREFIX}{name} {}\n",
        STANDARD.encode(blob)
    ))
}

/// One parsed signature line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    pub name: String,
    pub key_id: [u8; 4],
    pub signature: Vec<u8>,
}

/// Splits a signed note into its text and signature lines without verifying anything.
pub fn split(note: &str) -> Result<(&str, Vec<NoteSignature>), NoteError> {
    // The text ends at the last blank line; signatures follow it.
    let at = note.rfind("\n\n").ok_or(NoteError::Malformed)?;
    let (text, sigs) = (&note[..=at], &note[at + 2..]);
    if !valid_text(text) || sigs.is_empty() || !sigs.ends_with('\n') {
        return Err(NoteError::Malformed);
    }
    let parsed = sigs[..sigs.len() - 1]
        .split('\n')
        .map(parse_sig_line)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((text, parsed))
}

fn parse_sig_line(line: &str) -> Result<NoteSignature, NoteError> {
    let rest = line.strip_prefix(SIG_PREFIX).ok_or(NoteError::Malformed)?;
    let (name, b64) = rest.split_once(' ').ok_or(NoteError::Malformed)?;
    if !valid_key_name(name) {
        return Err(NoteError::Malformed);
    }
    let blob = STANDARD.decode(b64).map_err(|_| NoteError::Malformed)?;
    if blob.len() < 5 {
        return Err(NoteError::Malformed);
    }
    Ok(NoteSignature {
        name: name.to_owned(),
        key_id: [blob[0], blob[1], blob[2], blob[3]],
        signature: blob[4..].to_vec(),
    })
}

/// Opens a signed note with one key: returns the text if a signature with the key's name and
/// key ID verifies. A matching signature that fails to verify refuses the note; signatures
/// by other keys are ignored.
pub fn open<'a>(note: &'a str, key: &VerifierKey) -> Result<&'a str, NoteError> {
    let (text, sigs) = split(note)?;
    let id = key.key_id();
    let mut ok = false;
    for s in sigs.iter().filter(|s| s.name == key.name && s.key_id == id) {
        let sig: [u8; 64] = s
            .signature
            .as_slice()
            .try_into()
            .map_err(|_| NoteError::BadSignature)?;
        let vk = VerifyingKey::from_bytes(&key.public_key).map_err(|_| NoteError::BadSignature)?;
        vk.verify_strict(text.as_bytes(), &Signature::from_bytes(&sig))
            .map_err(|_| NoteError::BadSignature)?;
        ok = true;
    }
    if ok {
        Ok(text)
    } else {
        Err(NoteError::NoSignature)
    }
}
