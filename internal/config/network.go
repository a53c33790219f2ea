package config

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

// parseTrustedProxies reads TWOFOLD_TRUSTED_PROXIES: comma-separated networks
// (10.0.0.0/8) or single addresses (192.0.2.10), IPv4 or IPv6. Every entry
// that is neither is named.
func parseTrustedProxies(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	var bad []string
	for _, e := range strings.Split(v, ",") {
		if e = strings.TrimSpace(e); e == "" {
			continue
		}
		if p, err := netip.ParsePrefix(e); err == nil {
			if p.Addr().Is4In6() && p.Bits() >= 96 {
				p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
			}
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(e); err == nil && a.Zone() == "" {
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		} else {
			bad = append(bad, fmt.Sprintf("%q", e))
		}
	}
	if len(bad) > 0 {
		return out, fmt.Errorf("entry %s is not an IP address or network; list your reverse proxies as addresses or CIDR networks, such as 10.0.0.0/8,192.0.2.10",
			strings.Join(bad, ", "))
	}
	return out, nil
}

// clientProblems validates how client addresses are found and limited.
func (c Config) clientProblems() []string {
	var p []string
	for _, n := range c.TrustedProxies {
		if n.Bits() == 0 {
			p = append(p, fmt.Sprintf("TWOFOLD_TRUSTED_PROXIES %s would trust every client to say its own address; list only your reverse proxies", n))
		}
	}
	if c.SignInIPLimit < 1 || c.SignInIPLimit > 1_000_000 {
		p = append(p, "TWOFOLD_SIGNIN_IP_LIMIT must be between 1 and 1000000 wrong passwords per window")
	}
	if c.SignInIPWindow < time.Minute || c.SignInIPWindow > 24*time.Hour {
		p = append(p, "TWOFOLD_SIGNIN_IP_WINDOW must be between 1m and 24h")
	}
	return p
}

// databaseProblems refuses database settings that are neither form this
// build opens: a postgres:// or postgresql:// URL for PostgreSQL, or a file
// path for SQLite. Anything else (a key=value connection string, another URL)
// would otherwise silently become the name of a new SQLite file.
func (c Config) databaseProblems() []string {
	if c.Database == "" || c.Postgres() {
		return nil
	}
	if strings.Contains(c.Database, "://") || strings.Contains(c.Database, "=") {
		return []string{c.name("TWOFOLD_DATABASE") + " must be a postgres:// (or postgresql://) URL for PostgreSQL, " +
			"such as postgres://twofold@db.example.com/twofold, or a file path for SQLite, such as data/twofold.db"}
	}
	return nil
}

// OutboxExposed reports whether serve would offer /dev/outbox, where anyone
// reads codes and mail and answers calls, on an address other than loopback:
// the page is served (ServesOutbox) and TWOFOLD_ADDR listens beyond this
// machine. serve refuses to start then, unless
// TWOFOLD_DEV_OUTBOX_PUBLIC is true.
func (c Config) OutboxExposed() bool {
	return c.ServesOutbox() && !LoopbackOnly(c.Addr)
}

// LoopbackOnly reports whether a listener on addr is reachable only from this
// machine: localhost or a loopback address. The wildcard ("", 0.0.0.0, ::) and
// every other name are not.
func LoopbackOnly(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}
