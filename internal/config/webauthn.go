package config

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// WebAuthn names the relying party that security keys and passkeys are bound
// to. Browsers sign the RP ID's hash and the page's origin into every answer, so
// both must match what members really browse, or no key works.
type WebAuthn struct {
	// RPID is TWOFOLD_WEBAUTHN_RP_ID: a domain name ("contoso.com"); "" for the
	// base URL's host. A key registered under one RP ID never works under
	// another, so changing it later strands every registered key.
	RPID string
	// Origins is TWOFOLD_WEBAUTHN_ORIGINS, comma-separated
	// ("https://id.contoso.com"); empty for the base URL's origin.
	Origins []string
}

// WebAuthnRPID returns the RP ID in use: the configured one, or else the base
// URL's host. It is "" when security keys cannot work here: the RP ID was not
// configured and the base URL's host is an IP address, which browsers refuse.
func (c Config) WebAuthnRPID() string {
	if c.WebAuthn.RPID != "" {
		return c.WebAuthn.RPID
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	if _, err := netip.ParseAddr(host); err == nil {
		return ""
	}
	return host
}

// WebAuthnOrigins returns the origins keys may be used from: the configured
// ones, or else the base URL's origin (so a base URL made for a port chosen at
// start, see Listening, is followed).
func (c Config) WebAuthnOrigins() []string {
	if len(c.WebAuthn.Origins) > 0 {
		return c.WebAuthn.Origins
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || u.Host == "" {
		return nil
	}
	return []string{strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)}
}

// parseOrigins reads TWOFOLD_WEBAUTHN_ORIGINS, writing each origin in the form
// browsers send it (lower case, no trailing slash) so comparison is exact.
func parseOrigins(v string) []string {
	var out []string
	for _, o := range strings.Split(v, ",") {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o != "" {
			out = append(out, strings.ToLower(o))
		}
	}
	return out
}

// webAuthnProblems validates the relying party. Values derived from the base
// URL are only checked when one of the two was configured: a base URL on an IP
// address or plain http elsewhere than localhost just leaves security keys
// unavailable, as it always did, instead of refusing to start.
func (c Config) webAuthnProblems() []string {
	if c.WebAuthn.RPID == "" && len(c.WebAuthn.Origins) == 0 {
		return nil
	}
	var p []string
	rpID := c.WebAuthnRPID()
	if msg := rpIDProblem(rpID); msg != "" {
		name := "TWOFOLD_WEBAUTHN_RP_ID"
		if c.WebAuthn.RPID == "" {
			name = "the host of TWOFOLD_BASE_URL, used as TWOFOLD_WEBAUTHN_RP_ID,"
		}
		p = append(p, fmt.Sprintf("%s %q %s", name, rpID, msg))
		rpID = "" // origins cannot be judged against it
	}
	if c.WebAuthn.RPID != "" && len(c.WebAuthn.Origins) == 0 && len(c.WebAuthnOrigins()) == 0 {
		p = append(p, "TWOFOLD_WEBAUTHN_ORIGINS is needed: TWOFOLD_BASE_URL gives no origin")
	}
	for _, o := range c.WebAuthnOrigins() {
		if msg := originProblem(o, rpID); msg != "" {
			p = append(p, fmt.Sprintf("TWOFOLD_WEBAUTHN_ORIGINS entry %q %s", o, msg))
		}
	}
	return p
}

// rpIDProblem says what is wrong with rpID as a relying party ID, or "".
func rpIDProblem(rpID string) string {
	if rpID == "" {
		return "must be a domain name, such as contoso.com; browsers refuse IP addresses, so use a name such as localhost"
	}
	if _, err := netip.ParseAddr(strings.Trim(rpID, "[]")); err == nil {
		return "is an IP address, which browsers refuse as an RP ID: use a name such as localhost or contoso.com"
	}
	if !isDomainName(rpID) {
		return "must be a lower-case domain name without scheme or port, such as contoso.com"
	}
	return ""
}

// originProblem says what is wrong with origin for the RP ID rpID ("" when the
// RP ID is itself wrong), or "".
func originProblem(origin, rpID string) string {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "must be an origin: scheme, host and port only, such as https://id.contoso.com"
	}
	host := u.Hostname()
	if u.Scheme != "https" && !(u.Scheme == "http" && isLocalhost(host)) {
		return "must be https:// (browsers allow plain http only on localhost)"
	}
	if rpID != "" && host != rpID && !strings.HasSuffix(host, "."+rpID) {
		return fmt.Sprintf("must be on the RP ID %q or one of its subdomains", rpID)
	}
	return ""
}

// isLocalhost reports whether browsers treat host as this machine, where they
// allow WebAuthn over plain http.
func isLocalhost(host string) bool {
	return host == "localhost" || strings.HasSuffix(host, ".localhost")
}

// isDomainName reports whether s is a syntactically valid host name: labels of
// letters, digits and inner hyphens, each 1–63 bytes, at most 253 in all.
func isDomainName(s string) bool {
	if len(s) > 253 || strings.ContainsAny(s, ":/") {
		return false
	}
	if _, _, err := net.SplitHostPort(s); err == nil {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}
