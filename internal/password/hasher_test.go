package password

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

func newTestHasher() *Hasher {
	return NewHasher(DefaultParams(), LimitOptions{Wait: time.Minute})
}

func TestHashFormat(t *testing.T) {
	h := newTestHasher()
	enc, err := h.Hash(context.Background(), "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "$argon2id$v=19$m=19456,t=2,p=1$"
	if !strings.HasPrefix(enc, prefix) {
		t.Fatalf("hash %q lacks prefix %q", enc, prefix)
	}
	parts := strings.Split(enc, "$")
	if len(parts[4]) != 22 || len(parts[5]) != 43 { // 16 and 32 bytes, unpadded
		t.Fatalf("salt/hash lengths %d/%d, want 22/43", len(parts[4]), len(parts[5]))
	}
	if strings.Contains(enc, "=$") || strings.HasSuffix(enc, "=") {
		t.Fatalf("hash %q has base64 padding", enc)
	}
	again, _ := h.Hash(context.Background(), "correct horse battery staple")
	if again == enc {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
}

func TestVerify(t *testing.T) {
	ctx := context.Background()
	h := newTestHasher()
	long := strings.Repeat("pässwörd-", 14)[:128] // 128 bytes, mixed runes cut safely below
	long = strings.ToValidUTF8(long, "x")
	enc, err := h.Hash(ctx, long)
	if err != nil {
		t.Fatal(err)
	}
	ok, rehash, err := h.Verify(ctx, enc, long)
	if err != nil || !ok || rehash {
		t.Fatalf("Verify(right) = %v, %v, %v; want true, false, nil", ok, rehash, err)
	}
	flipped := long[:len(long)-1] + string(long[len(long)-1]^1)
	for name, pw := range map[string]string{
		"last character flipped": flipped,
		"last character dropped": long[:len(long)-1],
		"extra character":        long + "x",
		"empty":                  "",
	} {
		if ok, _, err := h.Verify(ctx, enc, pw); ok || err != nil {
			t.Errorf("Verify(%s) = %v, %v; want false, nil", name, ok, err)
		}
	}
}

func TestVerify128Chars(t *testing.T) {
	ctx := context.Background()
	h := newTestHasher()
	pw := strings.Repeat("Zq7!", 32) // 128 characters
	enc, err := h.Hash(ctx, pw)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := h.Verify(ctx, enc, pw); !ok {
		t.Fatal("128-character password does not verify")
	}
	if ok, _, _ := h.Verify(ctx, enc, pw[:127]+"?"); ok {
		t.Fatal("128-character password with last character changed verifies")
	}
}

func TestVerifyOldParamsNeedsRehash(t *testing.T) {
	ctx := context.Background()
	old := NewHasher(Params{Memory: 8192, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, LimitOptions{})
	enc, err := old.Hash(ctx, "an older password")
	if err != nil {
		t.Fatal(err)
	}
	h := newTestHasher()
	ok, rehash, err := h.Verify(ctx, enc, "an older password")
	if err != nil || !ok || !rehash {
		t.Fatalf("Verify(old hash) = %v, %v, %v; want true, true, nil", ok, rehash, err)
	}
}

func TestVerifyMalformed(t *testing.T) {
	h := newTestHasher()
	valid, _ := h.Hash(context.Background(), "whatever you like")
	parts := strings.Split(valid, "$")
	cases := []string{
		"",
		"plaintext",
		"$argon2i$v=19$m=19456,t=2,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=16$m=19456,t=2,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=19456,t=2$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$t=2,m=19456,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=99999999,t=2,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=19456,t=0,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=19456,t=2,p=0$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=19456,t=2,p=1$" + parts[4] + "==$" + parts[5],
		"$argon2id$v=19$m=19456,t=2,p=1$!!!$" + parts[5],
		"$argon2id$v=19$m=19456,t=2,p=1$" + parts[4] + "$" + parts[5][:8],
		"$argon2id$v=19$m=19456,t=2,p=1$" + parts[4] + "$" + parts[5] + "$",
		valid + strings.Repeat("A", 1000),
	}
	for _, enc := range cases {
		ok, _, err := h.Verify(context.Background(), enc, "whatever you like")
		if ok || twofold.ErrorCode(err) != twofold.EINTERNAL {
			t.Errorf("Verify(%.60q) = %v, %v; want false, EINTERNAL", enc, ok, err)
		}
		if err != nil && (strings.Contains(err.Error(), parts[4]) || strings.Contains(err.Error(), parts[5])) {
			t.Errorf("error %q repeats the hash", err)
		}
	}
}

func TestVerifyDummyDoesRealWork(t *testing.T) {
	h := newTestHasher()
	var runs int
	var mu sync.Mutex
	real := h.kdf
	h.kdf = func(pw, salt []byte, p Params) []byte {
		mu.Lock()
		runs++
		mu.Unlock()
		if p != h.params {
			t.Errorf("dummy ran with %+v, want %+v", p, h.params)
		}
		return real(pw, salt, p)
	}
	h.VerifyDummy(context.Background(), "anything")
	h.VerifyDummy(context.Background(), "anything")
	if runs != 2 {
		t.Fatalf("VerifyDummy ran the KDF %d times, want 2", runs)
	}
}

func TestZeroParamsTakeDefaults(t *testing.T) {
	if got := NewHasher(Params{}, LimitOptions{}).Params(); got != DefaultParams() {
		t.Fatalf("Params() = %+v, want defaults", got)
	}
}
