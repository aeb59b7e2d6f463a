//! C2SP `tlog-cosignature/v1` with Ed25519: a witness's timestamped statement that it checked a
//! checkpoint's consistency with every earlier checkpoint it saw of that log. A cosignature is
//! a note signature line over `cosignature/v1\ntime <t>\n` followed by the checkpoint body.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use super::checkpoint::Checkpoint;
use super::signed_note::{self, NoteError, valid_key_name};
use super::{hexstr, sha256};

/// The signature type byte of Ed25519 cosignatures (in key IDs and vkeys).
pub const ALG_COSIGNATURE_ED25519: u8 = 0x04;

/// A witness's public key, as log clients are configured with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CosignerKey {
    pub name: String,
    pub public_key: [u8; 32],
}

impl CosignerKey {
    pub fn new(name: &str, public_key: [u8; 32]) -> Result<Self, NoteError> {
        if !valid_key_name(name) {
            return Err(NoteError::BadKeyName);
        }
        Ok(Self { name: name.to_owned(), public_key })
    }

    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<Self, NoteError> {
        Self::new(name, SigningKey::from_bytes(seed).verifying_key().to_bytes())
    }

    /// `SHA-256(name ‖ "\n" ‖ 0x04 ‖ public key)[:4]`.
    pub fn key_id(&self) -> [u8; 4] {
        let mut msg = Vec::with_capacity(self.name.len() + 34);
        msg.extend_from_slice(self.name.as_bytes());
        msg.push(b'\n');
        msg.push(ALG_COSIGNATURE_ED25519);
        msg.extend_from_slice(&self.public_key);
        let h = sha256(&msg);
        [h[0], h[1], h[2], h[3]]
    }

    /// The vkey: `name+hex(key ID)+base64(0x04 ‖ public key)`.
    pub fn encode(&self) -> String {
        let mut typed = vec![ALG_COSIGNATURE_ED25519];
        typed.extend_from_slice(&self.public_key);
        format!("{}+{}+{}", self.name, hexstr::encode(&self.key_id()), STANDARD.encode(typed))
    }

    pub fn parse(text: &str) -> Result<Self, NoteError> {
        let mut parts = text.trim().splitn(3, '+');
        let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(NoteError::BadVerifierKey);
        };
        let typed = STANDARD.decode(key).map_err(|_| NoteError::BadVerifierKey)?;
        let (&alg, pk) = typed.split_first().ok_or(NoteError::BadVerifierKey)?;
        let pk: [u8; 32] = pk.try_into().map_err(|_| NoteError::BadVerifierKey)?;
        let key = Self::new(name, pk)?;
        if alg != ALG_COSIGNATURE_ED25519 || hexstr::decode(id).as_deref() != Some(&key.key_id()[..]) {
            return Err(NoteError::BadVerifierKey);
        }
        Ok(key)
    }
}

/// The signed message: two header lines, then the whole checkpoint body.
fn message(body: &str, timestamp: u64) -> String {
    format!("cosignature/v1\ntime {timestamp}\n{body}")
}

/// The cosignature line (`— name base64(key ID ‖ u64(timestamp) ‖ signature)`, no newline) of
/// the checkpoint `body` by the witness key of `seed`, made at `timestamp` (POSIX seconds).
pub fn cosign(body: &str, seed: &[u8; 32], name: &str, timestamp: u64) -> Result<String, NoteError> {
    Checkpoint::parse(body)?;
    if timestamp > i64::MAX as u64 {
        return Err(NoteError::Malformed);
    }
    let key = CosignerKey::from_seed(name, seed)?;
    let signature: Signature = SigningKey::from_bytes(seed).sign(message(body, timestamp).as_bytes());
    let mut blob = key.key_id().to_vec();
    blob.extend_from_slice(&timestamp.to_be_bytes());
    blob.extend_from_slice(&signature.to_bytes());
    Ok(format!("\u{2014} {name} {}", STANDARD.encode(blob)))
}

/// A verified cosignature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cosigned {
    pub checkpoint: Checkpoint,
    pub witness: String,
    pub timestamp: u64,
}

/// Checks the cosignature by `key` among the signature lines of a cosigned checkpoint note
/// (its body, a blank line, then signature lines: the log's and the witnesses'). Lines of other
/// keys are ignored; a line of this key that does not verify refuses the note.
pub fn verify_cosigned(note: &str, key: &CosignerKey) -> Result<Cosigned, NoteError> {
    let (body, lines) = signed_note::split(note)?;
    let checkpoint = Checkpoint::parse(body)?;
    let id = key.key_id();
    let line = lines.iter().find(|s| s.name == key.name && s.key_id == id).ok_or(NoteError::NoSignature)?;
    let (time, signature) = line.signature.split_at_checked(8).ok_or(NoteError::BadSignature)?;
    let timestamp = u64::from_be_bytes(time.try_into().map_err(|_| NoteError::BadSignature)?);
    let signature: [u8; 64] = signature.try_into().map_err(|_| NoteError::BadSignature)?;
    let verifying = VerifyingKey::from_bytes(&key.public_key).map_err(|_| NoteError::BadSignature)?;
    verifying
        .verify_strict(message(body, timestamp).as_bytes(), &Signature::from_bytes(&signature))
        .map_err(|_| NoteError::BadSignature)?;
    Ok(Cosigned { checkpoint, witness: key.name.clone(), timestamp })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fair::checkpoint;

    const LOG_SEED: [u8; 32] = [7; 32];
    const WITNESS_SEED: [u8; 32] = [9; 32];

    fn cosigned(timestamp: u64) -> (String, CosignerKey) {
        let note = checkpoint::sign(&Checkpoint::new("example.com/log", 5, sha256(b"root")), &LOG_SEED, "example.com/log").expect("signed");
        let (body, _) = signed_note::split(&note).expect("split");
        let line = cosign(body, &WITNESS_SEED, "auditor.example/w1", timestamp).expect("cosigned");
        (format!("{note}{line}\n"), CosignerKey::from_seed("auditor.example/w1", &WITNESS_SEED).expect("key"))
    }

    #[test]
    fn a_cosignature_verifies_with_its_time_and_the_log_signature_still_does() {
        let (note, key) = cosigned(1_679_315_147);
        let got = verify_cosigned(&note, &key).expect("verifies");
        assert_eq!((got.checkpoint.size, got.timestamp, got.witness.as_str()), (5, 1_679_315_147, "auditor.example/w1"));
        let log = crate::fair::VerifierKey::from_seed("example.com/log", &LOG_SEED).expect("log key");
        assert_eq!(checkpoint::verify_with(&note, &log).expect("log signature").size, 5);
        assert_eq!(CosignerKey::parse(&key.encode()), Ok(key));
    }

    #[test]
    fn a_changed_time_body_or_key_does_not_verify() {
        let (note, key) = cosigned(100);
        let line = note.lines().last().expect("line").to_owned();
        let blob = STANDARD.decode(line.rsplit_once(' ').expect("blob").1).expect("base64");
        let mut later = blob.clone();
        later[11] ^= 1;
        let retimed = note.replace(&line, &format!("\u{2014} auditor.example/w1 {}", STANDARD.encode(later)));
        assert_eq!(verify_cosigned(&retimed, &key), Err(NoteError::BadSignature));
        let other_size = note.replacen("\n5\n", "\n6\n", 1);
        assert!(verify_cosigned(&other_size, &key).is_err());
        let stranger = CosignerKey::from_seed("auditor.example/w1", &[1; 32]).expect("key");
        assert_eq!(verify_cosigned(&note, &stranger), Err(NoteError::NoSignature));
        // A vkey of another signature type is not a cosigner key.
        let log = crate::fair::VerifierKey::from_seed("example.com/log", &LOG_SEED).expect("log key");
        assert_eq!(CosignerKey::parse(&log.encode()), Err(NoteError::BadVerifierKey));
    }

    #[test]
    fn the_key_id_follows_the_c2sp_rule() {
        let key = CosignerKey::from_seed("w", &WITNESS_SEED).expect("key");
        let mut msg = b"w\n\x04".to_vec();
        msg.extend_from_slice(&key.public_key);
        assert_eq!(key.key_id(), sha256(&msg)[..4]);
    }
}
