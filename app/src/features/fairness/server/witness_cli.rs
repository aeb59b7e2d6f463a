//! `bashgah witness`: an auditor's side of cosigning. It fetches the log's latest checkpoint,
//! checks the log's signature with the pinned key and the consistency with the last checkpoint
//! this witness cosigned (kept in its state file), cosigns it (C2SP tlog-cosignature/v1) and
//! hands the cosignature to the club. A log that went back or forked is refused loudly.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use engine::fair::checkpoint::{self, Checkpoint};
use engine::fair::cosignature::{CosignerKey, cosign};
use engine::fair::merkle_verify::verify_consistency;
use engine::fair::{VerifierKey, hexstr, signed_note};

pub struct Witness {
    /// The club's base URL, e.g. `https://club.example`.
    pub log_url: String,
    /// The log's verifier key, obtained out of band.
    pub log_key: VerifierKey,
    /// The witness's key name, e.g. `auditor.example/w1`.
    pub name: String,
    /// The witness's secret key (made on first use, mode 0600).
    pub key_file: PathBuf,
    /// The last checkpoint this witness cosigned of this log.
    pub state_file: PathBuf,
}

impl Witness {
    pub fn key(&self) -> anyhow::Result<CosignerKey> {
        let seed = crate::features::fairness::server::key::read_or_create(&self.key_file)?;
        Ok(CosignerKey::from_seed(&self.name, &seed)?)
    }

    fn last(&self) -> anyhow::Result<Option<Checkpoint>> {
        match std::fs::read_to_string(&self.state_file) {
            Ok(text) => Ok(Some(Checkpoint::parse(&text).with_context(|| format!("{} is not a checkpoint", self.state_file.display()))?)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", self.state_file.display())),
        }
    }

    fn remember(&self, body: &str) -> anyhow::Result<()> {
        let temp = self.state_file.with_extension("tmp");
        std::fs::write(&temp, body).with_context(|| format!("cannot write {}", temp.display()))?;
        std::fs::rename(&temp, &self.state_file).with_context(|| format!("cannot write {}", self.state_file.display()))
    }

    /// One round: fetch, check, cosign, submit. Returns the cosigned note.
    pub async fn cosign_latest(&self, now_secs: u64) -> anyhow::Result<String> {
        let seed = crate::features::fairness::server::key::read_or_create(&self.key_file)?;
        let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(30)).build()?;
        let base = self.log_url.trim_end_matches('/');
        let note = http.get(format!("{base}/api/log/checkpoint")).send().await?.error_for_status()?.text().await?;
        let latest = checkpoint::verify_with(&note, &self.log_key).context("the checkpoint is not signed by the pinned log key")?;
        if latest.origin != self.log_key.name {
            bail!("the checkpoint names the log {:?}, not the pinned {:?}", latest.origin, self.log_key.name);
        }
        if let Some(last) = self.last()? {
            consistent(&http, base, &last, &latest).await?;
        }
        let (body, _) = signed_note::split(&note)?;
        let line = cosign(body, &seed, &self.name, now_secs)?;
        let cosigned = format!("{note}{line}\n");
        // Remembered before it leaves this machine: whatever happens next, this witness never
        // cosigns another tree of this size.
        self.remember(body)?;
        let answer = http.post(format!("{base}/api/log/cosignatures")).body(cosigned.clone()).send().await?;
        if !answer.status().is_success() {
            bail!("the club refused the cosignature: {} {}", answer.status(), answer.text().await.unwrap_or_default());
        }
        Ok(cosigned)
    }
}

#[derive(serde::Deserialize)]
struct Consistency {
    proof: Vec<String>,
}

/// The log may only have grown since `last`: same size, same root; larger, a proof.
async fn consistent(http: &reqwest::Client, base: &str, last: &Checkpoint, latest: &Checkpoint) -> anyhow::Result<()> {
    if latest.size < last.size {
        bail!("THE LOG WENT BACK from {} to {} records: not cosigning; keep both checkpoints as evidence", last.size, latest.size);
    }
    if last.size == 0 || latest.size == last.size {
        if latest.size == last.size && latest.root != last.root {
            bail!("THE LOG FORKED: two roots for {} records; not cosigning", last.size);
        }
        return Ok(());
    }
    let url = format!("{base}/api/log/proof/consistency?old={}&new={}", last.size, latest.size);
    let answer: Consistency = http.get(url).send().await?.error_for_status()?.json().await?;
    let proof = answer.proof.iter().map(|h| hexstr::decode32(h).context("a proof hash is not 32 bytes of hex")).collect::<anyhow::Result<Vec<_>>>()?;
    verify_consistency(last.size, latest.size, &last.root, &latest.root, &proof)
        .map_err(|e| anyhow::anyhow!("THE LOG IS NOT CONSISTENT with the checkpoint cosigned before ({e}): not cosigning"))
}

/// The default state file beside the key file.
pub fn default_state(key_file: &Path) -> PathBuf {
    key_file.with_extension("state")
}
