//! C2SP tlog-checkpoint + signed-note with Ed25519.
#![allow(clippy::unwrap_used)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use engine::fair::checkpoint::{self, Checkpoint, parse_unverified};
use engine::fair::signed_note::{self, VerifierKey, key_id, public_key};
use engine::fair::{NoteError, sha256};

const NAME: &str = "bashgah.example/fairlog/test";

fn seed() -> [u8; 32] {
    sha256(b"bashgah fairlog TEST key - never use in production")
}

fn cp() -> Checkpoint {
    Checkpoint::new(NAME, 10, sha256(b"root"))
}

#[test]
fn body_format() {
    let body = cp().body().unwrap();
    let lines: Vec<&str> = body.split('\n').collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0], NAME);
    assert_eq!(lines[1], "10");
    assert_eq!(lines[2].len(), 44);
    assert_eq!(lines[3], "");
    assert_eq!(Checkpoint::parse(&body).unwrap(), cp());
    for bad in ["x\n010\nAA==\n", "x\n+1\n", "\n1\n", "x\n1\nAAAA\n"] {
        assert!(Checkpoint::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn round_trip() {
    let note = checkpoint::sign(&cp(), &seed(), NAME).unwrap();
    let pk = public_key(&seed());
    assert_eq!(checkpoint::verify(&note, NAME, &pk).unwrap(), cp());
    let sig_line = note.lines().last().unwrap();
    assert!(sig_line.starts_with("\u{2014} bashgah.example/fairlog/test "));
    assert!(note.ends_with('\n') && note.contains("\n\n\u{2014} "));
    // Signature blob: 4-byte key ID then 64-byte signature.
    let blob = base64_decode(sig_line.rsplit(' ').next().unwrap());
    assert_eq!(blob.len(), 68);
    assert_eq!(blob[..4], key_id(NAME, &pk));
}

fn base64_decode(s: &str) -> Vec<u8> {
    // Tiny decoder so the test does not reuse the engine's base64 path.
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|&c| c != b'=') {
        let v = alphabet.iter().position(|&a| a == c).unwrap() as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    out
}

#[test]
fn key_id_follows_the_signed_note_spec() {
    let pk = public_key(&seed());
    let mut msg = NAME.as_bytes().to_vec();
    msg.push(0x0a);
    msg.push(0x01);
    msg.extend_from_slice(&pk);
    assert_eq!(key_id(NAME, &pk), sha256(&msg)[..4]);
    let vk = VerifierKey::from_seed(NAME, &seed()).unwrap();
    let s = vk.encode();
    assert!(s.starts_with(&format!("{NAME}+{}+", hex::encode(key_id(NAME, &pk)))));
    assert_eq!(VerifierKey::parse(&s).unwrap(), vk);
    let wrong_id = s.replacen(&hex::encode(key_id(NAME, &pk)), "00000000", 1);
    assert_eq!(
        VerifierKey::parse(&wrong_id),
        Err(NoteError::BadVerifierKey)
    );
    assert!(VerifierKey::new("has space", pk).is_err());
    assert!(VerifierKey::new("has+plus", pk).is_err());
}

#[test]
fn tampering_is_refused() {
    let note = checkpoint::sign(&cp(), &seed(), NAME).unwrap();
    let pk = public_key(&seed());
    let other_size = note.replacen("\n10\n", "\n11\n", 1);
    assert_eq!(
        checkpoint::verify(&other_size, NAME, &pk),
        Err(NoteError::BadSignature)
    );
    let mut other = cp();
    other.root = sha256(b"other root");
    let other_root = note.replacen(&cp().body().unwrap(), &other.body().unwrap(), 1);
    assert_eq!(
        checkpoint::verify(&other_root, NAME, &pk),
        Err(NoteError::BadSignature)
    );
    // Another key: no signature by it.
    let other_pk = public_key(&sha256(b"another key"));
    assert_eq!(
        checkpoint::verify(&note, NAME, &other_pk),
        Err(NoteError::NoSignature)
    );
    // Another name under the same key: the key ID differs, so no signature matches.
    assert_eq!(
        checkpoint::verify(&note, "bashgah.example/other", &pk),
        Err(NoteError::NoSignature)
    );
    // A note signed by another key under our name, with our key ID forged, fails the check.
    let forged = checkpoint::sign(&cp(), &sha256(b"another key"), NAME).unwrap();
    let (_, sigs) = signed_note::split(&forged).unwrap();
    let mut blob = key_id(NAME, &pk).to_vec();
    blob.extend_from_slice(&sigs[0].signature);
    let line = format!("\u{2014} {NAME} {}\n", STANDARD.encode(blob));
    let forged_id = format!("{}\n{line}", cp().body().unwrap());
    assert_eq!(
        checkpoint::verify(&forged_id, NAME, &pk),
        Err(NoteError::BadSignature)
    );
    // Unverified parsing still shows what the note claims.
    assert_eq!(parse_unverified(&other_size).unwrap().size, 11);
}

#[test]
fn extra_signatures_by_other_keys_are_ignored() {
    let note = checkpoint::sign(&cp(), &seed(), NAME).unwrap();
    let other = signed_note::sign(&cp().body().unwrap(), &sha256(b"witness"), "witness").unwrap();
    let other_line = other.lines().last().unwrap();
    let both = format!("{note}{other_line}\n");
    assert_eq!(
        checkpoint::verify(&both, NAME, &public_key(&seed())).unwrap(),
        cp()
    );
    let (_, sigs) = signed_note::split(&both).unwrap();
    assert_eq!(sigs.len(), 2);
    // Text rules: control characters and a missing final newline are refused.
    assert_eq!(
        signed_note::sign("a\u{7}\n", &seed(), NAME),
        Err(NoteError::BadText)
    );
    assert_eq!(
        signed_note::sign("a", &seed(), NAME),
        Err(NoteError::BadText)
    );
}

#[test]
fn verifier_keys_whose_base64_contains_a_plus_parse() {
    use engine::fair::VerifierKey;
    let mut with_plus = 0;
    for n in 0..64u8 {
        let key = VerifierKey::from_seed("bashgah.local/fairlog", &[n; 32]).expect("key");
        let text = key.encode();
        with_plus += usize::from(text.matches('+').count() > 2);
        assert_eq!(VerifierKey::parse(&text).map(|k| k.encode()), Ok(text), "seed {n}");
    }
    assert!(with_plus > 0, "some of the keys tried have a + in their base64");
}
