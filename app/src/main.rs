//! `bashgah`: the one binary that serves the club and administers it.

use anyhow::Context;
use app::server::{self, Config, demo};
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
    /// Print the configuration in force (secrets redacted).
    PrintConfig,
    /// Run a scheduled job now, once.
    Jobs {
        #[command(subcommand)]
        command: JobCommand,
    },
}

#[derive(Subcommand)]
enum JobCommand {
    /// Run one of the jobs: `expiry` expires and unlocks the points that are due.
    Run { job: Job },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Job {
    Expiry,
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

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load()?;
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(&config.log).context("invalid log filter")?)
        .with_writer(std::io::stderr)
        .init();
    match cli.command {
        Command::PrintConfig => {
            println!("addr = {}", config.addr);
            println!("data_dir = {}", config.data_dir.display());
            println!("database_url = {}", server::store::redact(&config.database_url()));
            println!("redis_url = {}", config.redis_url().map(server::store::redact).unwrap_or_default());
            println!("site_root = {}", config.site_root.display());
            println!("secure_cookies = {}", config.secure_cookies);
            Ok(())
        }
        Command::Jobs { command: JobCommand::Run { job: Job::Expiry } } => {
            let db = server::open_database(&config).await?;
            let state = server::app_state(config, db);
            let members = server::run_expiry(&state).await?;
            println!("expiry: {members} members had points expire or unlock");
            Ok(())
        }
        Command::Migrate => {
            let db = server::open_database(&config).await?;
            println!("database is up to date ({:?})", db.backend());
            Ok(())
        }
        Command::Demo => {
            let db = server::open_database(&config).await?;
            let state = server::app_state(config, db);
            match demo::seed(&state).await? {
                Some(logins) => demo::print(&logins),
                None => println!("the database already has accounts; nothing seeded"),
            }
            Ok(())
        }
        Command::Admin { command: AdminCommand::Create { email, password } } => {
            let db = server::open_database(&config).await?;
            let state = server::app_state(config, db);
            let account = server::create_account(&state, &email, &password, RoleSet::of(&[Role::Admin])).await?;
            println!("admin {} created (account {})", email, account.id.0);
            Ok(())
        }
        Command::Serve { demo: with_demo } => {
            let db = server::open_database(&config).await?;
            let addr = config.addr;
            let state = server::app_state(config, db);
            if with_demo {
                if let Some(logins) = demo::seed(&state).await? {
                    demo::print(&logins);
                }
            }
            let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
            println!("bashgah {} listening on http://{addr}", env!("CARGO_PKG_VERSION"));
            server::serve(state, listener).await
        }
    }
}
