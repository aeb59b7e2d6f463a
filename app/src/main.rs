//! `bashgah`: the one binary that serves the club and administers it.

use anyhow::Context;
use app::platform::server::{self, Config, demo};
use clap::{Parser, Subcommand};
use engine::access::{Role, RoleSet};

#[derive(Parser)]
#[command(name = "bashgah", version, about = "A customer club: points, games, partner coupons and provably fair draws.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and the API (migrates the database first).
    Serve {
        /// Seed the demo club into an empty database and print its logins.
        #[arg(long)]
        demo: bool,
    },
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Seed the demo club into an empty database.
    Demo,
    /// Manage administrators.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Manage branches and their POS API keys.
    Branch {
        #[command(subcommand)]
        command: BranchCommand,
    },
    /// Manage partner brands' API keys.
    Partner {
        #[command(subcommand)]
        command: PartnerCommand,
    },
    /// Print the configuration in force (secrets redacted).
    PrintConfig,
    /// Verify a spin's or a draw's audit bundle offline; exits non-zero if any check fails.
    Verify {
        /// The bundle, as downloaded from the audit page.
        bundle: std::path::PathBuf,
        /// The log's verifier key (`name+keyid+key`) to pin, as published on the audit page.
        #[arg(long)]
        key: Option<String>,
    },
    /// Cosign the club's latest log checkpoint as a witness (C2SP tlog-cosignature/v1), after
    /// checking it against the pinned log key and the last checkpoint this witness cosigned.
    Witness {
        /// The club's base URL, e.g. https://club.example.
        #[arg(long)]
        log: String,
        /// The log's verifier key (`name+keyid+key`), obtained from the club out of band.
        #[arg(long)]
        log_key: String,
        /// This witness's key name, e.g. auditor.example/w1.
        #[arg(long)]
        name: String,
        /// This witness's secret key; made (mode 0600) on first use.
        #[arg(long, default_value = "witness.key")]
        key_file: std::path::PathBuf,
        /// Where the last cosigned checkpoint is kept (default: beside the key file).
        #[arg(long)]
        state: Option<std::path::PathBuf>,
        /// Only print this witness's public key (the vkey a club adds to `witnesses`).
        #[arg(long)]
        print_key: bool,
    },
    /// Run a scheduled job now, once.
    Jobs {
        #[command(subcommand)]
        command: JobCommand,
    },
}

#[derive(Subcommand)]
enum BranchCommand {
    /// Create a branch with an API key; the key is printed once, as the last line.
    Create {
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
enum PartnerCommand {
    /// Issue an API key of the partner REST API for a brand, labelled with where it is used;
    /// the key is printed once, as the last line.
    Key {
        #[arg(long)]
        partner: i64,
        #[arg(long)]
        label: String,
    },
}

#[derive(Subcommand)]
enum JobCommand {
    /// Run one of the jobs: `expiry` expires and unlocks the points that are due; `birthdays`
    /// pays today's birthday bonuses (Tehran time), once per member and year; `draws` closes,
    /// reveals, draws and pays the raffles that are due.
    Run { job: Job },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Job {
    Expiry,
    Birthdays,
    Draws,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an administrator account.
    Create {
        #[arg(long)]
        email: String,
        /// The password; read from BASHGAH_ADMIN_PASSWORD when not given.
        #[arg(long, env = "BASHGAH_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

#[tokio::main]
async fn main() {
    if let Err(error) = run(Cli::parse()).await {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}

/// Reads the configuration and starts logging, for every command that runs the club.
fn configure() -> anyhow::Result<Config> {
    let config = Config::load()?;
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(&config.log).context("invalid log filter")?)
        .with_writer(std::io::stderr)
        .init();
    Ok(config)
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        // Verification needs no configuration, database or server: only the file.
        Command::Verify { bundle, key } => verify(&bundle, key.as_deref()),
        // A witness is an auditor's machine: it has no club of its own.
        Command::Witness { log, log_key, name, key_file, state, print_key } => {
            let log_key = engine::fair::VerifierKey::parse(log_key.trim()).context("--log-key is not a verifier key (name+keyid+key)")?;
            let state = state.unwrap_or_else(|| app::features::fairness::server::witness_cli::default_state(&key_file));
            let witness = app::features::fairness::server::witness_cli::Witness { log_url: log, log_key, name, key_file, state_file: state };
            if print_key {
                println!("{}", witness.key()?.encode());
                return Ok(());
            }
            let now = u64::try_from(server::clock::now().unix_millis() / 1000).unwrap_or(0);
            print!("{}", witness.cosign_latest(now).await?);
            Ok(())
        }
        command => run_club(command, configure()?).await,
    }
}

async fn run_club(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Verify { bundle, key } => verify(&bundle, key.as_deref()),
        Command::Witness { .. } => anyhow::bail!("bashgah witness runs without a club configuration"),
        Command::PrintConfig => {
            for (name, value) in config.describe() {
                println!("{name} = {value}");
            }
            Ok(())
        }
        Command::Jobs { command: JobCommand::Run { job: Job::Expiry } } => {
            let db = server::open_database(&config).await?;
            let state = server::app_state(config, db)?;
            let members = server::run_expiry(&state).await?;
            println!("expiry: {members} members had points expire or unlock");
            Ok(())
        }
        Command::Jobs { command: JobCommand::Run { job: Job::Draws } } => {
            let db = server::open_database(&config).await?;
            let state = server::app_state(config, db)?;
            // Contests first: a drawn contest hands its qualifiers their tickets and closes its draw.
            let contests = app::features::contests::server::service::run_due(&state, server::clock::now()).await?;
            println!("contests: {} boards published, {} finished and paid", contests.published, contests.finished);
            let run = app::features::raffles::server::service::run_due(&state, server::clock::now()).await?;
            println!("draws: {} closed, {} drawn and paid, {} waiting for their beacon round", run.closed, run.drawn, run.waiting);
            Ok(())
        }
        Command::Jobs { command: JobCommand::Run { job: Job::Birthdays } } => {
            let db = server::open_database(&config).await?;
            let state = server::app_state(config, db)?;
            let members = server::run_birthdays(&state).await?;
            println!("birthdays: {members} members received the birthday bonus");
            Ok(())
        }
        Command::Migrate => {
            let db = server::open_database(&config).await?;
            println!("database is up to date ({:?})", db.backend());
            Ok(())
        }
        Command::Demo => {
            let db = server::open_database(&config).await?;
            let state = server::app_state(config, db)?;
            match demo::seed(&state).await? {
                Some(logins) => demo::print(&logins),
                None => println!("the database already has accounts; nothing seeded"),
            }
            Ok(())
        }
        Command::Branch { command: BranchCommand::Create { name } } => {
            let db = server::open_database(&config).await?;
            let state = server::app_state(config, db)?;
            let (branch, key) = app::features::pos::server::keys::create_branch(&state, &name)
                .await
                .map_err(|code| anyhow::anyhow!("{}", code.message(app::platform::i18n::Lang::En)))?;
            println!("branch {} ({}) created; its API key is shown only now:", branch.id, branch.name);
            println!("{}", key.secret);
            Ok(())
        }
        Command::Partner { command: PartnerCommand::Key { partner, label } } => {
            let db = server::open_database(&config).await?;
            let state = server::app_state(config, db)?;
            let (secret, key) = app::features::coupons::server::service::issue_key(&state, partner, &label)
                .await
                .map_err(|code| anyhow::anyhow!("{}", code.message(app::platform::i18n::Lang::En)))?;
            println!("partner key {} ({}) for brand {partner}; it is shown only now:", key.prefix, key.label);
            println!("{secret}");
            Ok(())
        }
        Command::Admin { command: AdminCommand::Create { email, password } } => {
            let db = server::open_database(&config).await?;
            let state = server::app_state(config, db)?;
            let account = server::create_account(&state, &email, &password, RoleSet::of(&[Role::Admin])).await?;
            println!("admin {} created (account {})", email, account.id.0);
            Ok(())
        }
        Command::Serve { demo: with_demo } => {
            let db = server::open_database(&config).await?;
            let addr = config.addr;
            let state = server::app_state(config, db)?;
            if with_demo && let Some(logins) = demo::seed(&state).await? {
                demo::print(&logins);
            }
            let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
            // The bound address, so `addr = "127.0.0.1:0"` tells which port it got.
            let bound = listener.local_addr().unwrap_or(addr);
            println!("bashgah {} listening on http://{bound}", env!("CARGO_PKG_VERSION"));
            server::serve(state, listener).await
        }
    }
}

/// Runs every check of `verify(bundle)` and prints each one with what a failure means.
fn verify(path: &std::path::Path, key: Option<&str>) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let report = app::features::fairness::verify_text::verify(&text, key).map_err(|e| anyhow::anyhow!(e))?;
    print!("{}", app::features::fairness::verify_text::report_text(&report, app::platform::i18n::Lang::En));
    if report.ok() {
        println!("verified: every check passed");
        Ok(())
    } else {
        anyhow::bail!("verification failed: {}", report.failed().join(", "))
    }
}
