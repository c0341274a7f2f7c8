//! Validation of the benchmark target URL: only loopback hosts are allowed.

use std::net::IpAddr;

use reqwest::Url;

/// Why a `--url` was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TargetError {
    /// The URL could not be parsed at all.
    #[error("invalid --url {url:?}: {reason}")]
    Invalid {
        /// The URL as given.
        url: String,
        /// The parser's explanation.
        reason: String,
    },
    /// The scheme is neither `http` nor `https`.
    #[error("refusing --url {url:?}: scheme must be http or https")]
    Scheme {
        /// The URL as given.
        url: String,
    },
    /// The URL carries a query string or a fragment, which would break the API paths appended to it.
    #[error("refusing --url {url:?}: it must not contain a query string or fragment")]
    QueryOrFragment {
        /// The URL as given.
        url: String,
    },
    /// The host is not a loopback address.
    #[error(
        "refusing --url {url:?}: host {host:?} is not loopback; tiski bench only targets \
         127.0.0.0/8, ::1 or localhost so it cannot be pointed at a shared server"
    )]
    NotLoopback {
        /// The URL as given.
        url: String,
        /// The offending host.
        host: String,
    },
}

/// Returns whether `host` (as found in a URL, IPv6 possibly in brackets) names the local machine:
/// an address in 127.0.0.0/8, `::1` (or its IPv4-mapped forms), or the name `localhost`.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim();
    let unbracketed = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if let Ok(ip) = unbracketed.parse::<IpAddr>() {
        return match ip {
            IpAddr::V4(v4) => v4.is_loopback(),
            IpAddr::V6(v6) => {
                v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
            }
        };
    }
    let name = unbracketed.strip_suffix('.').unwrap_or(unbracketed);
    name.eq_ignore_ascii_case("localhost")
}

/// Parses and checks a benchmark base URL, returning it without a trailing slash
/// (e.g. `http://127.0.0.1:8080`), ready to have `/api/v1/...` appended.
pub fn check_base_url(raw: &str) -> Result<String, TargetError> {
    let url = Url::parse(raw.trim()).map_err(|e| TargetError::Invalid {
        url: raw.to_owned(),
        reason: e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(TargetError::Scheme {
            url: raw.to_owned(),
        });
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(TargetError::QueryOrFragment {
            url: raw.to_owned(),
        });
    }
    let host = url.host_str().unwrap_or_default();
    if !is_loopback_host(host) {
        return Err(TargetError::NotLoopback {
            url: raw.to_owned(),
            host: host.to_owned(),
        });
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_accepted() {
        for host in [
            "127.0.0.1",
            "127.1.2.3",
            "127.255.255.254",
            "::1",
            "[::1]",
            "[::ffff:127.0.0.1]",
            "localhost",
            "LOCALHOST",
            "localhost.",
        ] {
            assert!(is_loopback_host(host), "{host} should be loopback");
        }
    }

    #[test]
    fn other_hosts_are_refused() {
        for host in [
            "",
            "0.0.0.0",
            "10.0.0.1",
            "128.0.0.1",
            "192.168.1.10",
            "::",
            "[::2]",
            "[fe80::1]",
            "example.com",
            "localhost.example.com",
            "notlocalhost",
            "127.0.0.1.nip.io",
        ] {
            assert!(!is_loopback_host(host), "{host} should not be loopback");
        }
    }

    #[test]
    fn base_urls_are_normalised() {
        assert_eq!(
            check_base_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            check_base_url("http://localhost:8080/").unwrap(),
            "http://localhost:8080"
        );
        assert_eq!(
            check_base_url("https://[::1]:8443/prefix/").unwrap(),
            "https://[::1]:8443/prefix"
        );
    }

    #[test]
    fn bad_urls_are_refused() {
        assert!(matches!(
            check_base_url("http://example.com:8080"),
            Err(TargetError::NotLoopback { .. })
        ));
        assert!(matches!(
            check_base_url("http://10.1.2.3"),
            Err(TargetError::NotLoopback { .. })
        ));
        // Userinfo tricks do not fool the check: the host here is example.com.
        assert!(matches!(
            check_base_url("http://127.0.0.1@example.com/"),
            Err(TargetError::NotLoopback { .. })
        ));
        assert!(matches!(
            check_base_url("ftp://127.0.0.1"),
            Err(TargetError::Scheme { .. })
        ));
        assert!(matches!(
            check_base_url("http://127.0.0.1:8080/?x=1"),
            Err(TargetError::QueryOrFragment { .. })
        ));
        assert!(matches!(
            check_base_url("not a url"),
            Err(TargetError::Invalid { .. })
        ));
    }
}
