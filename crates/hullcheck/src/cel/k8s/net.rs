//! `ip` and `cidr`: IP addresses and prefixes, parsed as Kubernetes' IP library parses them
//! (no IPv4-mapped IPv6 addresses, no zones).

use std::net::IpAddr;

use cel::common::types::{CelBool, CelInt, CelString};
use cel::{DeclarationError, Env, ExecutionError};

use super::{fail, opaque};

/// An IP address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ip(IpAddr);

/// An IP prefix: an address and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr(IpAddr, u8);

opaque!(Ip, IP_TYPE, "net.IP");
opaque!(Cidr, CIDR_TYPE, "net.CIDR");

fn parse_ip(s: &str) -> Option<IpAddr> {
    let ip: IpAddr = s.parse().ok()?;
    match ip {
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some() => None,
        _ => Some(ip),
    }
}

fn parse_cidr(s: &str) -> Option<Cidr> {
    let (addr, len) = s.split_once('/')?;
    if len.is_empty()
        || !len.bytes().all(|b| b.is_ascii_digit())
        || (len.len() > 1 && len.starts_with('0'))
    {
        return None;
    }
    let ip = parse_ip(addr)?;
    let len: u8 = len.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    (len <= max).then_some(Cidr(ip, len))
}

fn bits(ip: IpAddr) -> (u128, u8) {
    match ip {
        IpAddr::V4(v) => (u128::from(u32::from(v)), 32),
        IpAddr::V6(v) => (u128::from(v), 128),
    }
}

fn mask(ip: IpAddr, len: u8) -> u128 {
    let (b, width) = bits(ip);
    let host = u32::from(width - len.min(width));
    if host >= 128 {
        0
    } else {
        (b >> host) << host
    }
}

impl Cidr {
    fn contains(&self, ip: IpAddr) -> bool {
        self.0.is_ipv4() == ip.is_ipv4() && mask(ip, self.1) == mask(self.0, self.1)
    }
}

/// Registers `ip`, `isIP`, `cidr`, `isCIDR` and their methods.
pub fn extension(env: &mut Env) -> Result<(), DeclarationError> {
    cel::add_overload!(env, fn ip: (CelString) -> Result<Ip>)?;
    cel::add_overload!(env, fn is_ip: (CelString) -> CelBool, name = "isIP")?;
    cel::add_member_overload!(env, fn family: (Ip) -> CelInt)?;
    cel::add_member_overload!(env, fn is_unspecified: (Ip) -> CelBool)?;
    cel::add_member_overload!(env, fn is_loopback: (Ip) -> CelBool)?;
    cel::add_member_overload!(env, fn is_link_local_multicast: (Ip) -> CelBool)?;
    cel::add_member_overload!(env, fn is_link_local_unicast: (Ip) -> CelBool)?;
    cel::add_member_overload!(env, fn is_global_unicast: (Ip) -> CelBool)?;
    cel::add_overload!(env, fn cidr: (CelString) -> Result<Cidr>)?;
    cel::add_overload!(env, fn is_cidr: (CelString) -> CelBool, name = "isCIDR")?;
    cel::add_member_overload!(env, fn contains_ip: (Cidr, Ip) -> CelBool, name = "containsIP")?;
    cel::add_member_overload!(env, fn contains_ip_string: (Cidr, CelString) -> Result<CelBool>, name = "containsIP")?;
    cel::add_member_overload!(env, fn contains_cidr: (Cidr, Cidr) -> CelBool, name = "containsCIDR")?;
    cel::add_member_overload!(env, fn contains_cidr_string: (Cidr, CelString) -> Result<CelBool>, name = "containsCIDR")?;
    cel::add_member_overload!(env, fn cidr_ip: (Cidr) -> Ip, name = "ip")?;
    cel::add_member_overload!(env, fn masked: (Cidr) -> Cidr)?;
    cel::add_member_overload!(env, fn prefix_length: (Cidr) -> CelInt)?;
    Ok(())
}

fn ip(s: &CelString<'_>) -> Result<Ip, ExecutionError> {
    parse_ip(s.inner())
        .map(Ip)
        .ok_or_else(|| fail("ip", format!("`{}` is not an IP address", s.inner())))
}

fn is_ip(s: &CelString<'_>) -> CelBool {
    CelBool::from(parse_ip(s.inner()).is_some())
}

fn family(ip: &Ip) -> CelInt {
    CelInt::from(if ip.0.is_ipv4() { 4 } else { 6 })
}

fn is_unspecified(ip: &Ip) -> CelBool {
    CelBool::from(ip.0.is_unspecified())
}

fn is_loopback(ip: &Ip) -> CelBool {
    CelBool::from(ip.0.is_loopback())
}

fn link_local_multicast(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v) => matches!(v.octets(), [224, 0, 0, _]),
        IpAddr::V6(v) => matches!(v.octets(), [0xff, b, ..] if b & 0x0f == 0x02),
    }
}

fn link_local_unicast(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v) => matches!(v.octets(), [169, 254, _, _]),
        IpAddr::V6(v) => matches!(v.segments(), [s, ..] if s & 0xffc0 == 0xfe80),
    }
}

fn is_link_local_multicast(ip: &Ip) -> CelBool {
    CelBool::from(link_local_multicast(ip.0))
}

fn is_link_local_unicast(ip: &Ip) -> CelBool {
    CelBool::from(link_local_unicast(ip.0))
}

/// Go's `IsGlobalUnicast`: not unspecified, loopback, link-local, multicast or broadcast.
fn is_global_unicast(ip: &Ip) -> CelBool {
    let a = ip.0;
    let broadcast = matches!(a, IpAddr::V4(v) if v.is_broadcast());
    CelBool::from(
        !(a.is_unspecified()
            || a.is_loopback()
            || a.is_multicast()
            || broadcast
            || link_local_unicast(a)),
    )
}

fn cidr(s: &CelString<'_>) -> Result<Cidr, ExecutionError> {
    parse_cidr(s.inner()).ok_or_else(|| fail("cidr", format!("`{}` is not a CIDR", s.inner())))
}

fn is_cidr(s: &CelString<'_>) -> CelBool {
    CelBool::from(parse_cidr(s.inner()).is_some())
}

fn contains_ip(c: &Cidr, ip: &Ip) -> CelBool {
    CelBool::from(c.contains(ip.0))
}

fn contains_ip_string(c: &Cidr, s: &CelString<'_>) -> Result<CelBool, ExecutionError> {
    let ip = parse_ip(s.inner()).ok_or_else(|| {
        fail(
            "containsIP",
            format!("`{}` is not an IP address", s.inner()),
        )
    })?;
    Ok(CelBool::from(c.contains(ip)))
}

fn contains_cidr(c: &Cidr, other: &Cidr) -> CelBool {
    CelBool::from(other.1 >= c.1 && c.contains(other.0))
}

fn contains_cidr_string(c: &Cidr, s: &CelString<'_>) -> Result<CelBool, ExecutionError> {
    let other = parse_cidr(s.inner())
        .ok_or_else(|| fail("containsCIDR", format!("`{}` is not a CIDR", s.inner())))?;
    Ok(contains_cidr(c, &other))
}

fn cidr_ip(c: &Cidr) -> Ip {
    Ip(c.0)
}

fn masked(c: &Cidr) -> Cidr {
    let m = mask(c.0, c.1);
    let ip = match c.0 {
        IpAddr::V4(_) => IpAddr::V4(std::net::Ipv4Addr::from(u32::try_from(m).unwrap_or(0))),
        IpAddr::V6(_) => IpAddr::V6(std::net::Ipv6Addr::from(m)),
    };
    Cidr(ip, c.1)
}

fn prefix_length(c: &Cidr) -> CelInt {
    CelInt::from(i64::from(c.1))
}
