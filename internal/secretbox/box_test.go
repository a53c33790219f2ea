package secretbox

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
)

func newBox(t *testing.T) *Box {
	t.Helper()
	key := make([]byte, KeySize)
	_, _ = rand.Read(key)
	b, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	b := newBox(t)
	for _, pt := range [][]byte{nil, []byte("x"), bytes.Repeat([]byte("secret"), 100)} {
		sealed := b.Seal(pt, []byte("method-1"))
		if len(sealed) != 1+12+len(pt)+16 || sealed[0] != 1 {
			t.Fatalf("sealed length %d / version %d", len(sealed), sealed[0])
		}
		got, err := b.Open(sealed, []byte("method-1"))
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("Open = %q, %v; want %q", got, err, pt)
		}
	}
	if bytes.Equal(b.Seal([]byte("a"), nil), b.Seal([]byte("a"), nil)) {
		t.Fatal("two seals of one message are equal: nonce not random")
	}
}

func TestOpenRefuses(t *testing.T) {
	b := newBox(t)
	sealed := b.Seal([]byte("the secret"), []byte("method-1"))
	flip := func(i int) []byte {
		c := bytes.Clone(sealed)
		c[i] ^= 1
		return c
	}
	for name, tc := range map[string]struct {
		box    *Box
		sealed []byte
		aad    string
	}{
		"wrong aad":        {b, sealed, "method-2"},
		"no aad":           {b, sealed, ""},
		"wrong key":        {newBox(t), sealed, "method-1"},
		"tampered version": {b, flip(0), "method-1"},
		"tampered nonce":   {b, flip(5), "method-1"},
		"tampered body":    {b, flip(14), "method-1"},
		"tampered tag":     {b, flip(len(sealed) - 1), "method-1"},
		"truncated":        {b, sealed[:len(sealed)-1], "method-1"},
		"too short":        {b, sealed[:20], "method-1"},
		"empty":            {b, nil, "method-1"},
	} {
		got, err := tc.box.Open(tc.sealed, []byte(tc.aad))
		if err == nil || got != nil {
			t.Errorf("%s: Open = %q, %v; want error", name, got, err)
		}
		if err != nil && strings.Contains(err.Error(), "the secret") {
			t.Errorf("%s: error %q holds the plaintext", name, err)
		}
	}
}

func TestNewRefusesBadKeys(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33} {
		if _, err := New(make([]byte, n)); twofold.ErrorCode(err) != twofold.EINVALID {
			t.Errorf("New(%d bytes) err = %v; want EINVALID", n, err)
		}
	}
}

func TestBoxIsRedacted(t *testing.T) {
	key := bytes.Repeat([]byte{0xAB}, KeySize)
	b, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("box", "box", b)
	for _, s := range []string{buf.String(), fmt.Sprintf("%v %+v %#v %s", b, b, b, b)} {
		if !strings.Contains(s, "REDACTED") || strings.Contains(strings.ToLower(s), "abab") {
			t.Errorf("output %q is not redacted", s)
		}
	}
}
