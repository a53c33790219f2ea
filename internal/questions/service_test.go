package questions

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/password"
)

// fakeStore holds one method's set.
type fakeStore struct {
	methodID string
	set      []twofold.SecurityAnswer
}

func (f *fakeStore) SecurityAnswers(_ context.Context, id string) ([]twofold.SecurityAnswer, error) {
	if id != f.methodID {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "No such security questions.")
	}
	return f.set, nil
}

// countingHasher counts argon2id verifications, real and dummy.
type countingHasher struct {
	*password.Hasher
	mu     sync.Mutex
	checks int
}

func (c *countingHasher) Verify(ctx context.Context, encoded, secret string) (bool, bool, error) {
	c.mu.Lock()
	c.checks++
	c.mu.Unlock()
	return c.Hasher.Verify(ctx, encoded, secret)
}

func (c *countingHasher) VerifyDummy(ctx context.Context, secret string) error {
	c.mu.Lock()
	c.checks++
	c.mu.Unlock()
	return c.Hasher.VerifyDummy(ctx, secret)
}

func newService(t *testing.T) (*Service, *fakeStore, *countingHasher) {
	t.Helper()
	h := &countingHasher{Hasher: password.NewHasher(password.Params{Memory: 64, Time: 1, Threads: 1}, password.LimitOptions{})}
	st := &fakeStore{methodID: "m1"}
	return New(st, h), st, h
}

func TestPrepareHashesNormalizedAnswers(t *testing.T) {
	s, st, _ := newService(t)
	p := twofold.DefaultPolicy()
	answers := fiveAnswers()
	answers[0].Answer = "  Paris "
	set, err := s.Prepare(t.Context(), p, answers)
	if err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	for i, a := range set {
		if a.Question != answers[i].Question {
			t.Fatalf("question %d = %q, want %q", i, a.Question, answers[i].Question)
		}
		if !strings.HasPrefix(a.AnswerHash, "$argon2id$") || strings.Contains(strings.ToLower(a.AnswerHash), strings.ToLower(strings.TrimSpace(answers[i].Answer))) {
			t.Fatalf("answer %d stored as %q, want an argon2id hash without the answer", i, a.AnswerHash)
		}
	}
	st.set = set
	for _, typed := range []string{"PARIS", "paris", " Paris", "ＰＡＲＩＳ"} {
		ok, err := s.Check(t.Context(), "m1", map[string]string{answers[0].Question: typed, answers[1].Question: "porto"})
		if err != nil || !ok {
			t.Fatalf("Check with %q = %v, %v; want true", typed, ok, err)
		}
	}
	// An invalid set is refused before any hashing.
	answers[1].Answer = "x"
	if _, err := s.Prepare(t.Context(), p, answers); twofold.ErrorCode(err) != twofold.EINVALID {
		t.Fatalf("Prepare of an invalid set = %v, want EINVALID", err)
	}
}

func TestCheck(t *testing.T) {
	s, st, h := newService(t)
	set, err := s.Prepare(t.Context(), twofold.DefaultPolicy(), fiveAnswers())
	if err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	st.set = set
	q := func(i int) string { return fiveAnswers()[i].Question }
	for _, tc := range []struct {
		name    string
		answers map[string]string
		want    bool
	}{
		{"all right", map[string]string{q(0): "lisbon", q(2): "REX THE DOG", q(4): "the  cure"}, true},
		{"first wrong", map[string]string{q(0): "Madrid", q(2): "Rex the dog", q(4): "The Cure"}, false},
		{"last wrong", map[string]string{q(0): "Lisbon", q(2): "Rex the dog", q(4): "The Who"}, false},
		{"all wrong", map[string]string{q(0): "a", q(2): "b", q(4): "c"}, false},
		{"not registered", map[string]string{q(0): "Lisbon", "What is your password?": "x"}, false},
		{"empty answer", map[string]string{q(0): "", q(2): "Rex the dog"}, false},
		{"huge answer", map[string]string{q(0): strings.Repeat("Lisbon", 10000)}, false},
		{"none asked", map[string]string{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.checks = 0
			ok, err := s.Check(t.Context(), "m1", tc.answers)
			if err != nil || ok != tc.want {
				t.Fatalf("Check = %v, %v; want %v", ok, err, tc.want)
			}
			// Constant work: one verification per answer given, wrong or not.
			if h.checks != len(tc.answers) {
				t.Fatalf("%d verifications for %d answers", h.checks, len(tc.answers))
			}
		})
	}
	if _, err := s.Check(t.Context(), "other", map[string]string{q(0): "Lisbon"}); twofold.ErrorCode(err) != twofold.ENOTFOUND {
		t.Fatalf("Check of another method = %v, want ENOTFOUND", err)
	}
}

func TestAsk(t *testing.T) {
	s, st, _ := newService(t)
	for _, a := range fiveAnswers() {
		st.set = append(st.set, twofold.SecurityAnswer{Question: a.Question, AnswerHash: "h"})
	}
	// Randomness decides: all-zero bytes keep the order, and each draw of
	// another source picks distinct registered questions.
	got, err := s.Ask(t.Context(), "m1", 3, bytes.NewReader(make([]byte, 64)))
	if err != nil {
		t.Fatalf("Ask: %v", err)
	}
	if strings.Join(got, "|") != strings.Join([]string{st.set[0].Question, st.set[1].Question, st.set[2].Question}, "|") {
		t.Fatalf("Ask with zero randomness = %q", got)
	}
	seen := map[string]int{}
	rnd := rand.NewChaCha8([32]byte{7})
	for range 200 {
		got, err := s.Ask(t.Context(), "m1", 3, rnd)
		if err != nil {
			t.Fatalf("Ask: %v", err)
		}
		distinct := map[string]bool{}
		for _, q := range got {
			distinct[q] = true
			seen[q]++
		}
		if len(got) != 3 || len(distinct) != 3 {
			t.Fatalf("Ask = %q, want 3 distinct questions", got)
		}
	}
	if len(seen) != 5 {
		t.Fatalf("over 200 asks only %d of 5 questions came up", len(seen))
	}
	// A set smaller than n is asked whole; exhausted randomness is an error.
	got, err = Pick([]string{"a", "b"}, 3, bytes.NewReader(make([]byte, 64)))
	if err != nil || len(got) != 2 {
		t.Fatalf("Pick 3 of 2 = %q, %v", got, err)
	}
	if _, err := Pick([]string{"a", "b"}, 2, bytes.NewReader(nil)); err == nil {
		t.Fatal("Pick without randomness succeeded")
	}
	if _, err := s.Ask(t.Context(), "other", 3, bytes.NewReader(make([]byte, 64))); twofold.ErrorCode(err) != twofold.ENOTFOUND {
		t.Fatalf("Ask of another method = %v, want ENOTFOUND", err)
	}
}
