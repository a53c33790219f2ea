package twofold

import "net/netip"

// NetworkKey names the network a request came from, for limits counted per
// address. An IPv4 address is its own key. An IPv6 address is keyed by its /64
// ("2001:db8:1:2::/64"): one subscriber usually holds a whole /64, so counting
// single IPv6 addresses would give them 2^64 tries. An IPv4-mapped IPv6 address
// is the IPv4 address. Anything that is not an address is returned as it is.
func (c Client) NetworkKey() string {
	a, err := netip.ParseAddr(c.IP)
	if err != nil {
		return c.IP
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// MaxUserAgent is how many bytes of a User-Agent are kept with sessions, flows
// and audit events: enough to tell browsers apart, while a client that sends
// kilobytes cannot make every stored row that large.
const MaxUserAgent = 256

// TruncateUserAgent cuts ua to at most MaxUserAgent bytes without splitting a
// UTF-8 character.
func TruncateUserAgent(ua string) string {
	n := MaxUserAgent
	if len(ua) <= n {
		return ua
	}
	for n > 0 && ua[n]&0xC0 == 0x80 {
		n--
	}
	return ua[:n]
}
