package pow_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/pow"
	"github.com/twofold-id/twofold/internal/testkit"
)

// newService returns a service on the kit's store and fake clock, with a
// small difficulty so tests solve fast.
func newService(t *testing.T) (*pow.Service, *testkit.Kit) {
	k := testkit.New(t)
	return &pow.Service{Key: pow.DeriveKey([]byte("service key")), Now: k.Clock.Now, Once: k.Store, MaxNumber: 2000}, k
}

// solve gets a challenge for purpose and solves it as a browser would.
func solve(t *testing.T, s *pow.Service, purpose string) string {
	t.Helper()
	c, err := s.Challenge(purpose)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return testkit.SolvePoW(t, b)
}

// refused checks err is a refusal on the proofOfWork field saying want.
func refused(t *testing.T, err error, want string) {
	t.Helper()
	e, ok := err.(*twofold.Error)
	if !ok || e.Code != twofold.EINVALID || e.Field != "proofOfWork" {
		t.Fatalf("err = %#v, want an EINVALID refusal on proofOfWork", err)
	}
	if !strings.Contains(e.Message, want) {
		t.Errorf("message %q does not say %q", e.Message, want)
	}
}

// edit decodes a payload, lets change alter it, and encodes it again.
func edit(t *testing.T, payload string, change func(p map[string]any)) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	change(p)
	b, _ = json.Marshal(p)
	return base64.StdEncoding.EncodeToString(b)
}

func TestChallengeHasALTCHAShape(t *testing.T) {
	s, _ := newService(t)
	c, err := s.Challenge("reset")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(c)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"algorithm", "challenge", "maxNumber", "salt", "signature"} {
		if _, ok := m[k]; !ok {
			t.Errorf("challenge JSON %s has no %q", b, k)
		}
	}
	if len(m) != 5 || m["algorithm"] != "SHA-256" || m["maxNumber"] != 2000.0 {
		t.Errorf("challenge JSON = %s", b)
	}
	if !strings.Contains(c.Salt, "purpose=reset") || !strings.Contains(c.Salt, "expires=") {
		t.Errorf("salt %q does not carry the purpose and expiry", c.Salt)
	}
	d, _ := s.Challenge("reset")
	if d.Salt == c.Salt || d.Challenge == c.Challenge {
		t.Error("two challenges are the same")
	}
}

func TestValidSolutionIsAcceptedOnce(t *testing.T) {
	s, k := newService(t)
	p := solve(t, s, "reset")
	if err := s.Verify(k.Ctx, "reset", p); err != nil {
		t.Fatalf("valid solution refused: %v", err)
	}
	refused(t, s.Verify(k.Ctx, "reset", p), "already used")
	// Moving the number's first digit to the end of the salt keeps the bytes
	// hashed the same; the salt's closing "&" makes that a different puzzle,
	// so the same work cannot be sent again respelled.
	respelled := edit(t, p, func(m map[string]any) {
		digits := strconvI(int64(m["number"].(float64)))
		if len(digits) < 2 || digits[1] == '0' {
			t.Skip("number cannot be respelled: " + digits)
		}
		m["salt"] = m["salt"].(string) + digits[:1]
		m["number"] = json.Number(digits[1:])
	})
	refused(t, s.Verify(k.Ctx, "reset", respelled), "couldn't confirm")
}

func strconvI(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestRacingUsesOfOneSolutionAcceptOne(t *testing.T) {
	s, k := newService(t)
	p := solve(t, s, "reset")
	var (
		wg sync.WaitGroup
		mu sync.Mutex
		ok int
	)
	start := make(chan struct{})
	for range 50 {
		wg.Go(func() {
			<-start
			if s.Verify(k.Ctx, "reset", p) == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	if ok != 1 {
		t.Errorf("%d of 50 racing uses accepted, want 1", ok)
	}
}

func TestMissing(t *testing.T) {
	s, k := newService(t)
	refused(t, s.Verify(k.Ctx, "reset", ""), "hasn't finished")
}

func TestMalformed(t *testing.T) {
	s, k := newService(t)
	good := solve(t, s, "reset")
	for name, p := range map[string]string{
		"not base64":      "%%%not base64%%%",
		"not JSON":        base64.StdEncoding.EncodeToString([]byte("number=5")),
		"JSON array":      base64.StdEncoding.EncodeToString([]byte("[1,2]")),
		"too long":        strings.Repeat("A", 4000),
		"other algorithm": edit(t, good, func(m map[string]any) { m["algorithm"] = "SHA-1" }),
		"no signature":    edit(t, good, func(m map[string]any) { delete(m, "signature") }),
		"negative number": edit(t, good, func(m map[string]any) { m["number"] = -1 }),
		"number is text":  edit(t, good, func(m map[string]any) { m["number"] = "7" }),
	} {
		t.Run(name, func(t *testing.T) {
			refused(t, s.Verify(k.Ctx, "reset", p), "couldn't confirm")
		})
	}
	// None of those used the challenge up.
	if err := s.Verify(k.Ctx, "reset", good); err != nil {
		t.Errorf("the good solution after refusals: %v", err)
	}
}

func TestWrongSolutionOrSignature(t *testing.T) {
	s, k := newService(t)
	good := solve(t, s, "reset")
	other := &pow.Service{Key: pow.DeriveKey([]byte("another key")), Now: k.Clock.Now, Once: k.Store, MaxNumber: 2000}
	for name, p := range map[string]string{
		"wrong number": edit(t, good, func(m map[string]any) { m["number"] = m["number"].(float64) + 1 }),
		"wrong signature": edit(t, good, func(m map[string]any) {
			sig := []byte(m["signature"].(string))
			sig[0] ^= 1
			m["signature"] = string(sig)
		}),
		"changed salt":       edit(t, good, func(m map[string]any) { m["salt"] = "00" + m["salt"].(string) }),
		"signed by another":  solve(t, other, "reset"),
		"challenge replaced": edit(t, good, func(m map[string]any) { m["challenge"] = strings.Repeat("0", 64) }),
	} {
		t.Run(name, func(t *testing.T) {
			refused(t, s.Verify(k.Ctx, "reset", p), "couldn't confirm")
		})
	}
}

func TestStale(t *testing.T) {
	s, k := newService(t)
	fresh, old := solve(t, s, "reset"), solve(t, s, "reset")
	k.Clock.Advance(pow.DefaultTTL - time.Second)
	if err := s.Verify(k.Ctx, "reset", fresh); err != nil {
		t.Fatalf("a second before the end: %v", err)
	}
	k.Clock.Advance(time.Second)
	refused(t, s.Verify(k.Ctx, "reset", old), "expired")
}

func TestTTLIsTheService(t *testing.T) {
	s, k := newService(t)
	s.TTL = time.Minute
	p := solve(t, s, "reset")
	k.Clock.Advance(time.Minute)
	refused(t, s.Verify(k.Ctx, "reset", p), "expired")
}

func TestWrongPurpose(t *testing.T) {
	s, k := newService(t)
	p := solve(t, s, "reset")
	refused(t, s.Verify(k.Ctx, "signin", p), "different page")
	// The purpose is signed: rewriting it in the salt breaks the solution.
	forged := edit(t, p, func(m map[string]any) {
		m["salt"] = strings.Replace(m["salt"].(string), "purpose=reset", "purpose=signin", 1)
	})
	refused(t, s.Verify(k.Ctx, "signin", forged), "couldn't confirm")
	// Refusing for the wrong purpose did not use the challenge up.
	if err := s.Verify(k.Ctx, "reset", p); err != nil {
		t.Errorf("for its own purpose afterwards: %v", err)
	}
}
