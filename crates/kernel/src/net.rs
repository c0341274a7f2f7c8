//! Which network addresses tiski may connect to on an admin's say-so (webhook URLs, IMAP and
//! SMTP hosts). An admin setting must not turn the server into a way to reach its own
//! loopback, the private network it sits in, or cloud metadata services, so those are refused
//! unless the operator allows them (`allow_private_network`). Names are resolved and every
//! address checked; callers then connect to exactly the checked addresses, so a name that
//! resolves differently a moment later (DNS rebinding) cannot slip through.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Why a target was refused. Its text names only what the admin typed, never the addresses
/// a name resolved to or anything learnt by connecting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The host is, or resolves to, an address that is not public.
    #[error(
        "{host} is not a public internet address (loopback, private, link-local and other special addresses are refused unless allow_private_network is set)"
    )]
    NotPublic {
        /// The host as given.
        host: String,
    },
    /// The name did not resolve.
    #[error("{host} could not be resolved")]
    Unresolved {
        /// The host as given.
        host: String,
    },
}

/// Whether `ip` is an ordinary public unicast address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let special = a == 0 // "this network", 0.0.0.0
        || a == 10
        || a == 127
        || (a == 100 && (64..128).contains(&b)) // CGNAT 100.64/10
        || (a == 169 && b == 254)
        || (a == 172 && (16..32).contains(&b))
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2) // TEST-NET-1
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || (a == 192 && b == 168)
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 198 && b == 51 && c == 100) // TEST-NET-2
        || (a == 203 && b == 0 && c == 113) // TEST-NET-3
        || a >= 224; // multicast, reserved, broadcast
    !special
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let embedded_v4 =
        || Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    if s[..5] == [0, 0, 0, 0, 0] && (s[5] == 0xffff || s[5] == 0) {
        // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d; also :: and ::1).
        return is_public_v4(embedded_v4());
    }
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        // NAT64 (64:ff9b::a.b.c.d) reaches the embedded IPv4 address.
        return is_public_v4(embedded_v4());
    }
    if s[0] == 0x2002 {
        // 6to4 carries an IPv4 address in its next 32 bits.
        let v4 = Ipv4Addr::new((s[1] >> 8) as u8, s[1] as u8, (s[2] >> 8) as u8, s[2] as u8);
        return is_public_v4(v4);
    }
    let special = (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (s[0] & 0xff00) == 0xff00 // multicast
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x2001 && s[1] == 0) // Teredo (hides an IPv4 address)
        || (s[0] == 0x0100 && s[1..4] == [0, 0, 0]) // discard-only
        || s[0] == 0; // the rest of ::/16 is reserved
    !special
}

/// The host without IPv6 brackets.
fn bare(host: &str) -> &str {
    host.trim()
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host.trim())
}

/// Checks a literal address at once; `None` when `host` is a name.
pub fn check_literal(host: &str, allow_private: bool) -> Option<Result<IpAddr, Refused>> {
    let ip: IpAddr = bare(host).parse().ok()?;
    Some(if allow_private || is_public(ip) {
        Ok(ip)
    } else {
        Err(Refused::NotPublic {
            host: host.to_string(),
        })
    })
}

/// Resolves `host` and checks every address it has: all must be public (unless
/// `allow_private`). Answers the addresses to connect to, so the caller connects to what was
/// checked and not to a second lookup.
pub async fn resolve(
    host: &str,
    port: u16,
    allow_private: bool,
) -> Result<Vec<SocketAddr>, Refused> {
    if let Some(checked) = check_literal(host, allow_private) {
        return checked.map(|ip| vec![SocketAddr::new(ip, port)]);
    }
    let unresolved = || Refused::Unresolved {
        host: host.to_string(),
    };
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((bare(host), port))
        .await
        .map_err(|_| unresolved())?
        .collect();
    if addrs.is_empty() {
        return Err(unresolved());
    }
    if !allow_private && addrs.iter().any(|a| !is_public(a.ip())) {
        return Err(Refused::NotPublic {
            host: host.to_string(),
        });
    }
    Ok(addrs)
}

/// The save-time check of a host an admin gives: a literal must be public, a name must not
/// resolve to any address that is not (a name that does not resolve yet is let through; the
/// check at connect time refuses it then).
pub async fn check_host(host: &str, allow_private: bool) -> Result<(), Refused> {
    match resolve(host, 0, allow_private).await {
        Ok(_) | Err(Refused::Unresolved { .. }) => Ok(()),
        Err(refused) => Err(refused),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(text: &str) -> bool {
        is_public(text.parse().unwrap())
    }

    #[test]
    fn special_addresses_are_not_public() {
        for ip in [
            "0.0.0.0",
            "0.1.2.3",
            "127.0.0.1",
            "127.255.0.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "192.0.0.8",
            "192.0.2.1",
            "198.51.100.7",
            "203.0.113.9",
            "198.18.0.1",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "::10.0.0.1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::1",
            "2002:a00:1::",
            "2001:0:4136:e378::1",
            "100::1",
        ] {
            assert!(!public(ip), "{ip} is not public");
        }
    }

    #[test]
    fn ordinary_addresses_are_public() {
        for ip in [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.216.34",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.0.1",
            "172.32.0.1",
            "192.169.0.1",
            "2606:4700:4700::1111",
            "2a00:1450:4001::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert!(public(ip), "{ip} is public");
        }
    }

    #[tokio::test]
    async fn names_are_resolved_and_every_address_checked() {
        assert!(matches!(
            resolve("localhost", 25, false).await,
            Err(Refused::NotPublic { .. })
        ));
        assert!(resolve("localhost", 25, true).await.is_ok());
        assert!(matches!(
            resolve("[::1]", 25, false).await,
            Err(Refused::NotPublic { .. })
        ));
        assert!(matches!(
            resolve("[::ffff:127.0.0.1]", 25, false).await,
            Err(Refused::NotPublic { .. })
        ));
        assert_eq!(
            resolve("127.0.0.1", 25, true).await.unwrap(),
            vec!["127.0.0.1:25".parse().unwrap()]
        );
        assert!(check_host("no-such-host.invalid", false).await.is_ok());
        let refused = check_host("127.0.0.1", false).await.unwrap_err();
        assert!(
            refused.to_string().starts_with("127.0.0.1 is not"),
            "{refused}"
        );
    }
}
