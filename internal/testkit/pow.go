package testkit

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	altcha "github.com/altcha-org/altcha-lib-go"
)

// SolvePoW solves a proof-of-work challenge as a browser would, from the JSON
// the challenge endpoint returned, and returns the payload to send back as
// proofOfWork (base64 JSON, as ALTCHA clients send it). The JSON may be given
// as a string or as bytes.
func SolvePoW[J ~string | ~[]byte](t testing.TB, challengeJSON J) string {
	t.Helper()
	var c struct {
		Algorithm string `json:"algorithm"`
		Challenge string `json:"challenge"`
		MaxNumber int64  `json:"maxNumber"`
		Salt      string `json:"salt"`
		Signature string `json:"signature"`
	}
	if err := json.Unmarshal([]byte(challengeJSON), &c); err != nil {
		t.Fatalf("testkit: proof-of-work challenge %q: %v", challengeJSON, err)
	}
	sol, err := altcha.SolveChallenge(c.Challenge, c.Salt, altcha.Algorithm(c.Algorithm), int(c.MaxNumber), 0, nil)
	if err != nil || sol == nil {
		t.Fatalf("testkit: proof-of-work challenge %q has no solution (%v)", challengeJSON, err)
	}
	b, err := json.Marshal(altcha.Payload{
		Algorithm: c.Algorithm, Challenge: c.Challenge, Number: int64(sol.Number), Salt: c.Salt, Signature: c.Signature,
	})
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}
