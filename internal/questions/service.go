package questions

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"sort"

	"github.com/twofold-id/twofold"
)

// Store reads a member's registered questions.
type Store interface {
	SecurityAnswers(ctx context.Context, methodID string) ([]twofold.SecurityAnswer, error)
}

// Hasher hashes and verifies answers: the password hasher
// (internal/password), so answers and passwords share one bound on argon2id
// work.
type Hasher interface {
	Hash(ctx context.Context, secret string) (string, error)
	Verify(ctx context.Context, encoded, secret string) (ok bool, needsRehash bool, err error)
	VerifyDummy(ctx context.Context, secret string) error
}

// Service hashes answers for storage and checks answers at reset.
type Service struct {
	Store  Store
	Hasher Hasher
}

// New returns a Service.
func New(st Store, h Hasher) *Service { return &Service{Store: st, Hasher: h} }

// Prepare validates answers under policy p (see Validate) and returns them
// ready to store: each question with the argon2id hash of its normalized
// answer, in the order given. Hashing waits for the hasher's slots one answer
// at a time and returns EUNAVAILABLE when it is saturated.
func (s *Service) Prepare(ctx context.Context, p twofold.Policy, answers []Answer) ([]twofold.SecurityAnswer, error) {
	if err := Validate(p, answers); err != nil {
		return nil, err
	}
	out := make([]twofold.SecurityAnswer, len(answers))
	for i, a := range answers {
		h, err := s.Hasher.Hash(ctx, Normalize(a.Answer))
		if err != nil {
			return nil, err
		}
		out[i] = twofold.SecurityAnswer{Question: a.Question, AnswerHash: h}
	}
	return out, nil
}

// Ask returns n of the questions registered in the securityQuestions method
// methodID, chosen uniformly at random with rnd (crypto/rand.Reader in
// production), in random order, each once. A set registered under an earlier
// policy with fewer than n questions is asked whole. Returns ENOTFOUND when
// there is no such method.
func (s *Service) Ask(ctx context.Context, methodID string, n int, rnd io.Reader) ([]string, error) {
	set, err := s.Store.SecurityAnswers(ctx, methodID)
	if err != nil {
		return nil, err
	}
	qs := make([]string, len(set))
	for i, a := range set {
		qs[i] = a.Question
	}
	return Pick(qs, n, rnd)
}

// Pick returns min(n, len(questions)) of questions chosen uniformly at random
// with rnd, in random order (a partial Fisher–Yates shuffle of a copy).
func Pick(questions []string, n int, rnd io.Reader) ([]string, error) {
	qs := append([]string(nil), questions...)
	n = min(max(n, 0), len(qs))
	for i := range n {
		j, err := uniform(rnd, len(qs)-i)
		if err != nil {
			return nil, err
		}
		qs[i], qs[i+j] = qs[i+j], qs[i]
	}
	return qs[:n], nil
}

// uniform returns an integer in [0, n) from rnd without modulo bias.
func uniform(rnd io.Reader, n int) (int, error) {
	limit := ^uint64(0) - ^uint64(0)%uint64(n)
	var b [8]byte
	for {
		if _, err := io.ReadFull(rnd, b[:]); err != nil {
			return 0, fmt.Errorf("questions: randomness: %w", err)
		}
		if v := binary.BigEndian.Uint64(b[:]); v < limit {
			return int(v % uint64(n)), nil
		}
	}
}

// Check reports whether answers (question → the answer typed) are ALL right
// for the securityQuestions method methodID. It is what a password reset
// calls after Ask, with the asked questions as keys; the caller decides which
// questions to ask and counts failures, Check only compares.
//
// Contract: Check verifies every answer given, in the order of the questions,
// with one argon2id verification each (a dummy verification for a question
// that is not registered), whether or not an earlier one was wrong, so its
// time says nothing about which answer failed. Answers are normalized first,
// so "PARIS" matches a registered "  Paris ". No answers, any unregistered
// question or any wrong answer gives false. Returns ENOTFOUND when there is no
// such method, EUNAVAILABLE when the hasher is saturated (nothing is decided
// then), and never an error that carries an answer.
func (s *Service) Check(ctx context.Context, methodID string, answers map[string]string) (bool, error) {
	set, err := s.Store.SecurityAnswers(ctx, methodID)
	if err != nil {
		return false, err
	}
	hashes := make(map[string]string, len(set))
	for _, a := range set {
		hashes[a.Question] = a.AnswerHash
	}
	asked := make([]string, 0, len(answers))
	for q := range answers {
		asked = append(asked, q)
	}
	sort.Strings(asked)
	all := len(asked) > 0
	for _, q := range asked {
		given := answers[q]
		if len(given) > maxRawAnswer {
			given = given[:maxRawAnswer]
		}
		given = Normalize(given)
		h, ok := hashes[q]
		if !ok {
			if err := s.Hasher.VerifyDummy(ctx, given); err != nil {
				return false, err
			}
			all = false
			continue
		}
		right, _, err := s.Hasher.Verify(ctx, h, given)
		if err != nil {
			return false, err
		}
		all = all && right
	}
	return all, nil
}
