package softkey_test

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/twofold-id/twofold/internal/testkit/softkey"
)

// The encoder against the examples of RFC 8949 appendix A, and maps written
// in CTAP2 canonical order (shorter encoded key first, then bytewise) whatever
// order the entries were listed in.
func TestCBOREncoding(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"0", 0, "00"},
		{"23", 23, "17"},
		{"24", 24, "1818"},
		{"100", 100, "1864"},
		{"1000", 1000, "1903e8"},
		{"1000000", 1000000, "1a000f4240"},
		{"1000000000000", 1000000000000, "1b000000e8d4a51000"},
		{"-1", -1, "20"},
		{"-7", -7, "26"},
		{"-100", -100, "3863"},
		{"-1000", -1000, "3903e7"},
		{"empty bytes", []byte{}, "40"},
		{"bytes", []byte{1, 2, 3, 4}, "4401020304"},
		{"empty text", "", "60"},
		{"text", "IETF", "6449455446"},
		{"long bytes", bytes.Repeat([]byte{0xaa}, 32), "5820" + hex.EncodeToString(bytes.Repeat([]byte{0xaa}, 32))},
		{"empty map", softkey.CBORMap(), "a0"},
		{"int keys reordered", softkey.CBORMap(-3, 0, -1, 1, 3, -7, 1, 2), "a4010203262001" + "2200"},
		{"text keys reordered", softkey.CBORMap("authData", []byte{}, "fmt", "none", "attStmt", softkey.CBORMap()),
			"a3" + "63666d74" + "646e6f6e65" + "6761747453746d74" + "a0" + "686175746844617461" + "40"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := hex.EncodeToString(softkey.AppendCBOR(nil, tc.v)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
