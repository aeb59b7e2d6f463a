//! Tells the other app instances what changed, so their caches drop it too: Redis pub/sub on
//! `{redis_prefix}:changes`, one `Change` name per message. Without Redis there is no bus and
//! another instance sees a change within `cache_ttl_secs`.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;

use crate::platform::server::caches::{Caches, Change};
use crate::platform::server::state::AppState;

pub struct Bus {
    client: redis::Client,
    channel: String,
    publisher: tokio::sync::OnceCell<redis::aio::ConnectionManager>,
}

impl Bus {
    /// Nothing connects until the first message or `listen`.
    pub fn new(url: &str, prefix: &str) -> anyhow::Result<Self> {
        Ok(Self { client: redis::Client::open(url)?, channel: format!("{prefix}:changes"), publisher: tokio::sync::OnceCell::new() })
    }

    async fn publish(&self, change: Change) -> redis::RedisResult<()> {
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_number_of_retries(1)
            .set_connection_timeout(Some(Duration::from_secs(1)))
            .set_response_timeout(Some(Duration::from_secs(1)));
        let mut connection = self
            .publisher
            .get_or_try_init(|| redis::aio::ConnectionManager::new_with_config(self.client.clone(), config))
            .await?
            .clone();
        redis::cmd("PUBLISH").arg(&self.channel).arg(change.name()).exec_async(&mut connection).await
    }

    /// Applies every change another instance announces, for as long as the process runs. While
    /// the subscription is down nothing is heard, so each (re)subscription starts by dropping
    /// every cached copy.
    pub fn listen(self: Arc<Self>, caches: Arc<Caches>) {
        tokio::spawn(async move {
            loop {
                match self.client.get_async_pubsub().await {
                    Ok(mut pubsub) => match pubsub.subscribe(&self.channel).await {
                        Ok(()) => {
                            caches.forget_all();
                            let mut messages = pubsub.on_message();
                            while let Some(message) = messages.next().await {
                                if let Some(change) = message.get_payload::<String>().ok().as_deref().and_then(Change::parse) {
                                    caches.changed(change);
                                }
                            }
                            tracing::warn!("the change bus's Redis connection closed; subscribing again");
                        }
                        Err(error) => tracing::warn!(%error, "cannot subscribe to the change bus"),
                    },
                    Err(error) => tracing::warn!(%error, "cannot reach Redis for the change bus"),
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }
}

/// `change` happened: this instance's caches drop it now, the others when the bus tells them.
pub async fn announce(state: &AppState, change: Change) {
    state.caches.changed(change);
    if let Some(bus) = &state.bus
        && let Err(error) = bus.publish(change).await
    {
        tracing::warn!(%error, change = change.name(), "cannot announce a change; other instances see it within cache_ttl_secs");
    }
}
