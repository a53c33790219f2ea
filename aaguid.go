package twofold

import (
	"encoding/hex"
	"strings"
)

// ParseAAGUID reads an authenticator model's AAGUID in UUID form
// ("cb69481e-8ff7-4039-93ec-0a2729a154a8") or as 32 hex digits, and returns
// its 16 bytes.
func ParseAAGUID(s string) ([]byte, bool) {
	h := strings.ReplaceAll(strings.TrimSpace(s), "-", "")
	if len(h) != 32 {
		return nil, false
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return nil, false
	}
	return b, true
}

// FormatAAGUID writes a 16-byte AAGUID in UUID form; other lengths as plain hex.
func FormatAAGUID(b []byte) string {
	h := hex.EncodeToString(b)
	if len(b) != 16 {
		return h
	}
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// AllowedAAGUIDBytes returns the policy's allowed authenticator models as
// bytes; nil allows any. Validate has checked each.
func (p Policy) AllowedAAGUIDBytes() [][]byte {
	var out [][]byte
	for _, a := range p.AllowedAAGUIDs {
		if b, ok := ParseAAGUID(a); ok {
			out = append(out, b)
		}
	}
	return out
}
