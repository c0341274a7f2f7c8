//! Setting types of what the server may believe about a request's origin: which proxy
//! addresses may name the client, in which header, and the public URL's scheme.

use super::SettingDef;
use super::values::SettingValue;
use std::net::IpAddr;

/// An address or a network (`10.0.0.0/8`, `::1`) a proxy may connect from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    addr: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// Reads `addr` or `addr/prefix`.
    pub fn parse(text: &str) -> Result<IpRange, String> {
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let addr: IpAddr = addr
            .trim()
            .parse()
            .map_err(|_| format!("{text:?} is not an IP address or network."))?;
        let bits = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= bits)
                .ok_or_else(|| format!("{text:?} has a prefix length outside 0 to {bits}."))?,
        };
        Ok(IpRange { addr, prefix })
    }

    /// Whether `ip` lies in this range (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl std::fmt::Display for IpRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// The proxies whose client-address and scheme headers are believed (comma-separated
/// addresses or networks); empty: none, the socket's peer is the client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(pub Vec<IpRange>);

impl TrustedProxies {
    /// The proxies of a comma-separated list; parts that do not parse are left out (for
    /// tests and tools; settings are read with their errors).
    pub fn parse_list(text: &str) -> TrustedProxies {
        TrustedProxies(
            text.split(',')
                .filter_map(|part| IpRange::parse(part.trim()).ok())
                .collect(),
        )
    }

    /// Whether a connection from `ip` comes from a trusted proxy.
    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|range| range.contains(ip))
    }
}

impl SettingValue for TrustedProxies {
    fn parse(text: &str, _def: &SettingDef) -> Result<Self, String> {
        text.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(IpRange::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }
    fn render(&self) -> String {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        parts.join(",")
    }
}

/// The header a trusted proxy names the client in (`X-Forwarded-For`, `X-Real-IP`);
/// `None`: no header is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyHeader(pub Option<String>);

impl SettingValue for ProxyHeader {
    fn parse(text: &str, _def: &SettingDef) -> Result<Self, String> {
        if text.is_empty() {
            return Ok(ProxyHeader(None));
        }
        if !text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(format!("{text:?} is not a header name."));
        }
        Ok(ProxyHeader(Some(text.to_ascii_lowercase())))
    }
    fn render(&self) -> String {
        self.0.clone().unwrap_or_default()
    }
}

/// The scheme the public reaches the server by: `auto` believes `X-Forwarded-Proto` from a
/// trusted proxy only; `https` and `http` say it outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicScheme {
    /// As a trusted proxy says (plain HTTP otherwise).
    Auto,
    /// Always HTTPS (Secure cookies, HSTS).
    Https,
    /// Always plain HTTP.
    Http,
}

impl SettingValue for PublicScheme {
    fn parse(text: &str, _def: &SettingDef) -> Result<Self, String> {
        match text.to_ascii_lowercase().as_str() {
            "auto" => Ok(PublicScheme::Auto),
            "https" => Ok(PublicScheme::Https),
            "http" => Ok(PublicScheme::Http),
            _ => Err(format!("{text:?} is not one of auto, https, http.")),
        }
    }
    fn render(&self) -> String {
        match self {
            PublicScheme::Auto => "auto".into(),
            PublicScheme::Https => "https".into(),
            PublicScheme::Http => "http".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_match_their_networks_only() {
        let net = IpRange::parse("10.1.0.0/16").unwrap();
        assert!(net.contains("10.1.200.3".parse().unwrap()));
        assert!(!net.contains("10.2.0.1".parse().unwrap()));
        assert!(net.contains("::ffff:10.1.0.9".parse().unwrap()));
        let one = IpRange::parse("::1").unwrap();
        assert!(one.contains("::1".parse().unwrap()));
        assert!(!one.contains("127.0.0.1".parse().unwrap()));
        assert!(
            IpRange::parse("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        for bad in ["10.0.0.0/33", "nope", "1.2.3.4/", "::/129", ""] {
            assert!(IpRange::parse(bad).is_err(), "{bad}");
        }
    }
}
