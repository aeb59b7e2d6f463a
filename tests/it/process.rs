//! The real `bashgah` binary as a child process, for what an in-process server cannot show:
//! several instances on one database, and an instance killed with SIGKILL under load.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The server binary: `BASHGAH_TEST_BIN`, else the debug build in the target directory (the
/// test command builds it first).
fn binary() -> PathBuf {
    if let Ok(path) = std::env::var("BASHGAH_TEST_BIN") {
        return path.into();
    }
    let target = std::env::var("CARGO_TARGET_DIR").map_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"), PathBuf::from);
    let path = target.join("debug/bashgah");
    assert!(path.exists(), "{} is missing: `cargo build -p app --bin bashgah` first (app/scripts/dev.sh test does)", path.display());
    path
}

/// Settings every child gets: the test database, a data directory (its log key survives a
/// restart), no beacon, quiet logs.
pub struct Setup {
    pub database_url: String,
    pub data_dir: PathBuf,
    pub extra: Vec<(&'static str, String)>,
}

pub struct Instance {
    child: Child,
    pub base: String,
}

impl Instance {
    /// Starts `bashgah serve` on a free port and waits until it listens.
    pub async fn start(setup: &Setup) -> Self {
        let site_root = std::env::var("BASHGAH_TEST_SITE_ROOT").unwrap_or_else(|_| "../target/site".to_owned());
        let mut command = Command::new(binary());
        command
            .arg("serve")
            .env("DATABASE_URL", &setup.database_url)
            .env("BASHGAH_ADDR", "127.0.0.1:0")
            .env("BASHGAH_DATA_DIR", &setup.data_dir)
            .env("BASHGAH_SITE_ROOT", site_root)
            .env("BASHGAH_BEACON", "none")
            .env("BASHGAH_DRAW_TICK_SECS", "600")
            .env("BASHGAH_LOG", "error")
            .env_remove("REDIS_URL")
            .envs(setup.extra.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        let mut child = command.spawn().unwrap_or_else(|e| panic!("cannot start {}: {e}", binary().display()));
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let listening = async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some((_, url)) = line.split_once("listening on ") {
                    return url.trim().to_owned();
                }
            }
            panic!("the server stopped before it listened");
        };
        let base = tokio::time::timeout(Duration::from_secs(60), listening).await.expect("the server listens within a minute");
        // Drained, so the child never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Self { child, base }
    }

    /// SIGKILL: no shutdown, no flush, whatever was in flight is cut off.
    pub async fn kill(&mut self) {
        self.child.start_kill().expect("kill");
        let _ = self.child.wait().await;
    }
}
