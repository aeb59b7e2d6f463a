//! The client's address as the limits count it: the TCP peer, or, when the peer is a proxy this
//! deployment trusts, the nearest address in `X-Forwarded-For` that is not one of its proxies.
//! Nothing a client writes in that header is believed unless a trusted proxy put it there.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::platform::server::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // A server that is not started with connect info (never in production) counts every
        // request as one client: stricter, never looser.
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ConnectInfo(addr)| addr.ip());
        Ok(Self(client_ip(peer, &parts.headers, &state.trusted_proxies)))
    }
}

/// Walks the forwarded chain from the nearest hop outwards and stops at the first address that
/// is not a trusted proxy. An unreadable entry ends the walk at the hop that sent it.
fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>() else { return client };
        client = ip;
        if !trusted.contains(&ip) {
            return ip;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static(value));
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("ip")
    }

    #[test]
    fn a_client_cannot_choose_its_address_without_a_trusted_proxy() {
        let peer = ip("203.0.113.9");
        assert_eq!(client_ip(peer, &forwarded("198.51.100.1"), &[]), peer);
        assert_eq!(client_ip(peer, &forwarded("198.51.100.1"), &[ip("10.0.0.1")]), peer);
    }

    #[test]
    fn behind_trusted_proxies_the_nearest_untrusted_hop_counts() {
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        // The client forged the first entry; the proxies appended the rest.
        let headers = forwarded("1.2.3.4, 198.51.100.7, 10.0.0.2");
        assert_eq!(client_ip(ip("10.0.0.1"), &headers, &proxies), ip("198.51.100.7"));
        assert_eq!(client_ip(ip("10.0.0.1"), &HeaderMap::new(), &proxies), ip("10.0.0.1"));
        assert_eq!(client_ip(ip("10.0.0.1"), &forwarded("garbage, 10.0.0.2"), &proxies), ip("10.0.0.2"));
    }
}
