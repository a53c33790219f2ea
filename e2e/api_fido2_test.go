package e2e

import (
	"encoding/json"
	"net/http"
	"sync"
	"testing"

	"github.com/twofold-id/twofold/internal/testkit/softkey"
)

// Security keys through the JSON API on the real binary, with the software
// authenticator (internal/testkit/softkey) as the browser's key. The harness
// serves http://localhost:PORT, so the RP ID is "localhost" and the origin the
// server's URL.

// keyCeremony is the API's KeyCeremony.
type keyCeremony struct {
	CeremonyID string          `json:"ceremonyId"`
	PublicKey  json.RawMessage `json:"publicKey"`
}

// fido2Method is the API's Fido2Method.
type fido2Method struct {
	ID               string `json:"id"`
	DisplayName      string `json:"displayName"`
	CreatedDateTime  string `json:"createdDateTime"`
	LastUsedDateTime string `json:"lastUsedDateTime,omitempty"`
	AAGUID           string `json:"aaGuid"`
}

// ceremony posts to path and returns the ceremony it answers with.
func (c *apiClient) ceremony(t *testing.T, path string, opts ...reqOpt) keyCeremony {
	t.Helper()
	var k keyCeremony
	c.do("POST", path, nil, opts...).want(t, http.StatusOK).decode(t, &k)
	if k.CeremonyID == "" || len(k.PublicKey) == 0 {
		t.Fatalf("POST %s: ceremony %+v", path, k)
	}
	return k
}

// answer is the body that sends a key's answer to a ceremony.
func answer(k keyCeremony, credential []byte) map[string]any {
	return map[string]any{"ceremonyId": k.CeremonyID, "credential": json.RawMessage(credential)}
}

// addKey registers key for the session token through the API.
func (c *apiClient) addKey(t *testing.T, s *server, token string, key *softkey.Authenticator, name string) fido2Method {
	t.Helper()
	k := c.ceremony(t, "/me/authentication/fido2Methods/creationOptions", bearerToken(token))
	cred, err := key.Create(k.PublicKey, s.URL)
	if err != nil {
		t.Fatalf("softkey Create: %v", err)
	}
	body := answer(k, cred)
	body["displayName"] = name
	var m fido2Method
	c.do("POST", "/me/authentication/fido2Methods", body, bearerToken(token)).want(t, http.StatusCreated).decode(t, &m)
	return m
}

// keyFlow signs m in with the password and begins a key login on the flow.
func (c *apiClient) keyFlow(t *testing.T, m *apiMember) (string, keyCeremony) {
	t.Helper()
	a := c.signIn(t, m)
	if a.Status != "mfa_required" {
		t.Fatalf("sign-in of %s: %+v, want mfa_required", m.Username, a)
	}
	return a.FlowID, c.ceremony(t, "/signin/"+a.FlowID+"/fido2/options")
}

func TestAPISecurityKeys(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		alex := seedMember(t, s, "alex", "Alex Wilber")
		bob := seedMember(t, s, "bob", "Bob Kelly")
		c := newAPIClient(t, s)
		c.registerByInterrupt(t, alex, "")
		c.registerByInterrupt(t, bob, "")

		// Register a key after the app; the same ceremony cannot be used twice.
		key := softkey.New(softkey.Options{})
		k := c.ceremony(t, "/me/authentication/fido2Methods/creationOptions", bearerToken(alex.token))
		cred, err := key.Create(k.PublicKey, s.URL)
		if err != nil {
			t.Fatal(err)
		}
		body := answer(k, cred)
		body["displayName"] = "Blue YubiKey"
		var added fido2Method
		c.do("POST", "/me/authentication/fido2Methods", body, bearerToken(alex.token)).want(t, http.StatusCreated).decode(t, &added)
		if added.ID == "" || added.DisplayName != "Blue YubiKey" || added.AAGUID != "00000000-0000-0000-0000-000000000000" || added.CreatedDateTime == "" {
			t.Errorf("added key %+v", added)
		}
		c.do("POST", "/me/authentication/fido2Methods", body, bearerToken(alex.token)).apiErr(t, http.StatusGone, "expired", "")
		var list struct{ Value []fido2Method }
		c.do("GET", "/me/authentication/fido2Methods", nil, bearerToken(alex.token)).want(t, http.StatusOK).decode(t, &list)
		if len(list.Value) != 1 || list.Value[0].ID != added.ID {
			t.Fatalf("keys %+v, want the one added", list.Value)
		}
		var renamed fido2Method
		c.do("PATCH", "/me/authentication/fido2Methods/"+added.ID, map[string]string{"displayName": "Green"}, bearerToken(alex.token)).
			want(t, http.StatusOK).decode(t, &renamed)
		if renamed.DisplayName != "Green" {
			t.Errorf("renamed %+v", renamed)
		}
		c.do("GET", "/me/authentication/fido2Methods/"+alex.methodID, nil, bearerToken(alex.token)).apiErr(t, http.StatusNotFound, "not_found", "")

		// Sign out, then sign in with the password and the key.
		c.do("POST", "/me/signOut", nil, bearerToken(alex.token)).want(t, http.StatusNoContent)
		flow, k := c.keyFlow(t, alex)
		cred, err = key.Get(k.PublicKey, s.URL)
		if err != nil {
			t.Fatal(err)
		}
		var done signInAnswer
		c.do("POST", "/signin/"+flow+"/fido2", answer(k, cred)).want(t, http.StatusOK).decode(t, &done)
		if done.Status != "signed_in" || done.SessionToken == "" {
			t.Fatalf("key sign-in: %+v", done)
		}
		alex.token = done.SessionToken
		// The same answer again: the ceremony is used up (and the flow finished).
		c.do("POST", "/signin/"+flow+"/fido2", answer(k, cred)).apiErr(t, http.StatusGone, "expired", "")

		// Passkey sign-in, no password.
		k = c.ceremony(t, "/signin/passkey/options")
		cred, err = key.Get(k.PublicKey, s.URL)
		if err != nil {
			t.Fatal(err)
		}
		c.do("POST", "/signin/passkey", answer(k, cred)).want(t, http.StatusOK).decode(t, &done)
		if done.Status != "signed_in" || done.SessionToken == "" {
			t.Fatalf("passkey sign-in: %+v", done)
		}

		before := len(auditLog(t, s))
		// Refused answers, each on its own flow.
		bobKey := softkey.New(softkey.Options{})
		c.addKey(t, s, bob.token, bobKey, "Bob's key")
		for _, tc := range []struct {
			name   string
			answer func(k keyCeremony) ([]byte, error)
			status int
			code   string
		}{
			{"wrong origin", func(k keyCeremony) ([]byte, error) { return key.Get(k.PublicKey, "http://evil.localhost:1") }, http.StatusUnauthorized, "unauthorized"},
			{"wrong RP ID hash", func(k keyCeremony) ([]byte, error) {
				return key.WithRPIDHashOf("evil.example").Get(k.PublicKey, s.URL)
			}, http.StatusUnauthorized, "unauthorized"},
			{"forged signature", func(k keyCeremony) ([]byte, error) { return key.WithForgedSignature().Get(k.PublicKey, s.URL) }, http.StatusUnauthorized, "unauthorized"},
			{"another member's credential", func(k keyCeremony) ([]byte, error) {
				// Bob's key answers Alex's challenge (a passkey needs no allow list).
				var opts map[string]any
				if err := json.Unmarshal(k.PublicKey, &opts); err != nil {
					return nil, err
				}
				delete(opts, "allowCredentials")
				raw, _ := json.Marshal(opts)
				return bobKey.Get(raw, s.URL)
			}, http.StatusUnauthorized, "unauthorized"},
			{"sign-count regression", func(k keyCeremony) ([]byte, error) { return key.WithSignCount(1).Get(k.PublicKey, s.URL) }, http.StatusConflict, "conflict"},
		} {
			flow, k := c.keyFlow(t, alex)
			cred, err := tc.answer(k)
			if err != nil {
				t.Fatalf("%s: softkey: %v", tc.name, err)
			}
			c.do("POST", "/signin/"+flow+"/fido2", answer(k, cred)).apiErr(t, tc.status, tc.code, "")
		}
		reasons := map[string]int{}
		for _, e := range newerThan(auditLog(t, s), before) {
			if e.Activity == "Sign-in" {
				reasons[e.Result+" "+e.Reason]++
			}
		}
		if reasons["failure security key not verified"] != 4 || reasons["failure security key may have been copied"] != 1 {
			t.Errorf("audited sign-in results %v, want 4 unverified keys and 1 possible copy", reasons)
		}

		// 50 completions of one registration ceremony at once: exactly one 201.
		second := softkey.New(softkey.Options{})
		k = c.ceremony(t, "/me/authentication/fido2Methods/creationOptions", bearerToken(alex.token))
		cred, err = second.Create(k.PublicKey, s.URL)
		if err != nil {
			t.Fatal(err)
		}
		body = answer(k, cred)
		body["displayName"] = "Spare"
		statuses := map[int]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 50 {
			wg.Go(func() {
				<-start
				r, err := c.try("POST", "/me/authentication/fido2Methods", body, bearerToken(alex.token))
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					statuses[-1]++
					return
				}
				statuses[r.Status]++
			})
		}
		close(start)
		wg.Wait()
		if statuses[http.StatusCreated] != 1 || statuses[http.StatusGone] != 49 {
			t.Errorf("50 completions of one ceremony answered %v, want one 201 and 49 410", statuses)
		}
	})
}
