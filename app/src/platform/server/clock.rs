//! The server's only reads of the wall clock and of OS randomness; the engine receives both as
//! values.

use engine::time::{GregorianDate, Timestamp};

pub fn now() -> Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    Timestamp::from_unix_millis(ms)
}

/// Today's date in Tehran, as a Gregorian date.
pub fn today() -> GregorianDate {
    let jalali = now().tehran_date();
    let (year, month, day) = jalali.to_gregorian();
    GregorianDate { year, month, day }
}

pub fn random_u64() -> u64 {
    rand::random()
}

/// 32 fresh bytes from the OS CSPRNG: a server seed.
pub fn random_seed() -> [u8; 32] {
    rand::random()
}

/// `len` fresh bytes from the OS CSPRNG.
pub fn random_bytes(len: usize) -> Vec<u8> {
    let mut bytes = vec![0; len];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    bytes
}

/// A fresh token for a form (128 random bits, hex): the form sends it back, and the write it
/// makes is keyed by it, so a resent form or a double click writes once.
pub fn form_token() -> String {
    format!("{:016x}{:016x}", random_u64(), random_u64())
}
