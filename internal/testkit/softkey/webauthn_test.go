package softkey_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/twofold-id/twofold/internal/testkit/softkey"
)

// These tests hold the soft key to an independent relying party, the
// go-webauthn library, and parse its JSON with the library's own parsers for
// what browsers send, so the key is known to speak real WebAuthn before other
// tests trust it to stand in for a member's security key.

const (
	rpID   = "login.twofold.test"
	origin = "https://login.twofold.test"
)

type user struct {
	id    []byte
	creds []webauthn.Credential
}

func (u *user) WebAuthnID() []byte                         { return u.id }
func (u *user) WebAuthnName() string                       { return "ada" }
func (u *user) WebAuthnDisplayName() string                { return "Ada" }
func (u *user) WebAuthnCredentials() []webauthn.Credential { return u.creds }

func newRP(t *testing.T) *webauthn.WebAuthn {
	t.Helper()
	rp, err := webauthn.New(&webauthn.Config{RPID: rpID, RPDisplayName: "Twofold", RPOrigins: []string{origin}})
	if err != nil {
		t.Fatal(err)
	}
	return rp
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// register runs a registration ceremony and returns the library's verdict;
// on success the credential is added to u.
func register(t *testing.T, rp *webauthn.WebAuthn, key *softkey.Authenticator, u *user, opts ...webauthn.RegistrationOption) (*webauthn.Credential, error) {
	t.Helper()
	creation, session, err := rp.BeginRegistration(u, opts...)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := key.Create(mustJSON(t, creation), origin)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	parsed, err := protocol.ParseCredentialCreationResponseBody(bytes.NewReader(resp))
	if err != nil {
		t.Fatalf("the registration response is not what a browser sends: %v\n%s", err, resp)
	}
	cred, err := rp.CreateCredential(u, *session, parsed)
	if err == nil {
		u.creds = append(u.creds, *cred)
	}
	return cred, err
}

// login runs a login ceremony for u, answered from origin, and returns the
// library's verdict; on success u's stored credential is updated, unless the
// library flagged a possible clone, which a careful relying party treats as a
// refusal.
func login(t *testing.T, rp *webauthn.WebAuthn, key *softkey.Authenticator, u *user, from string, opts ...webauthn.LoginOption) (*webauthn.Credential, error) {
	t.Helper()
	assertion, session, err := rp.BeginLogin(u, opts...)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := key.Get(mustJSON(t, assertion), from)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	parsed, err := protocol.ParseCredentialRequestResponseBody(bytes.NewReader(resp))
	if err != nil {
		t.Fatalf("the authentication response is not what a browser sends: %v\n%s", err, resp)
	}
	cred, err := rp.ValidateLogin(u, *session, parsed)
	if err == nil && !cred.Authenticator.CloneWarning {
		for i := range u.creds {
			if bytes.Equal(u.creds[i].ID, cred.ID) {
				u.creds[i] = *cred
			}
		}
	}
	return cred, err
}

func TestRegisterAndLogin(t *testing.T) {
	aaguid := [16]byte{0x74, 0x77, 0x6f, 0x66, 0x6f, 0x6c, 0x64, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	for _, att := range []string{"", "none", "packed"} {
		t.Run("attestation="+att, func(t *testing.T) {
			rp := newRP(t)
			key := softkey.New(softkey.Options{AAGUID: aaguid, Attestation: att})
			u := &user{id: []byte("user-handle-1")}
			cred, err := register(t, rp, key, u)
			if err != nil {
				t.Fatalf("registration refused: %v", err)
			}
			wantFmt, wantType := "none", "none"
			if att == "packed" {
				wantFmt, wantType = "packed", "basic_surrogate" // the FIDO metadata name for self attestation
			}
			if cred.AttestationFormat != wantFmt || cred.AttestationType != wantType {
				t.Errorf("attestation %q/%q, want %q/%q", cred.AttestationFormat, cred.AttestationType, wantFmt, wantType)
			}
			if !bytes.Equal(cred.Authenticator.AAGUID, aaguid[:]) {
				t.Errorf("AAGUID %x, want %x", cred.Authenticator.AAGUID, aaguid)
			}
			if ids := key.CredentialIDs(); len(ids) != 1 || !bytes.Equal(ids[0], cred.ID) || len(cred.ID) != 32 {
				t.Errorf("CredentialIDs %x, registered %x", ids, cred.ID)
			}
			if !cred.Flags.UserPresent || !cred.Flags.UserVerified || cred.Flags.BackupEligible || cred.Flags.BackupState {
				t.Errorf("flags %+v, want UP and UV only", cred.Flags)
			}

			for want := uint32(1); want <= 2; want++ {
				got, err := login(t, rp, key, u, origin)
				if err != nil {
					t.Fatalf("login %d refused: %v", want, err)
				}
				if got.Authenticator.SignCount != want || got.Authenticator.CloneWarning {
					t.Errorf("login %d: sign count %d, clone warning %v", want, got.Authenticator.SignCount, got.Authenticator.CloneWarning)
				}
			}
		})
	}
}

// The options may come as the server marshals them ({"publicKey": ...}) or
// bare, as in PublicKeyCredential.parseCreationOptionsFromJSON's argument.
func TestUnwrappedOptions(t *testing.T) {
	rp := newRP(t)
	key := softkey.New(softkey.Options{})
	u := &user{id: []byte("user-handle-1")}
	creation, session, err := rp.BeginRegistration(u)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := key.Create(mustJSON(t, creation.Response), origin)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := protocol.ParseCredentialCreationResponseBody(bytes.NewReader(resp))
	if err != nil {
		t.Fatal(err)
	}
	cred, err := rp.CreateCredential(u, *session, parsed)
	if err != nil {
		t.Fatalf("registration refused: %v", err)
	}
	u.creds = append(u.creds, *cred)
	assertion, lsession, err := rp.BeginLogin(u)
	if err != nil {
		t.Fatal(err)
	}
	resp, err = key.Get(mustJSON(t, assertion.Response), origin)
	if err != nil {
		t.Fatal(err)
	}
	lparsed, err := protocol.ParseCredentialRequestResponseBody(bytes.NewReader(resp))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rp.ValidateLogin(u, *lsession, lparsed); err != nil {
		t.Fatalf("login refused: %v", err)
	}
}

// A passkey: registered as discoverable, then used with an empty allow list;
// the user handle it returns is what the relying party finds the user by.
func TestDiscoverableLogin(t *testing.T) {
	rp := newRP(t)
	key := softkey.New(softkey.Options{})
	users := map[string]*user{}
	for _, h := range []string{"older-user", "newest-user"} {
		u := &user{id: []byte(h)}
		users[h] = u
		if _, err := register(t, rp, key, u, webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementRequired)); err != nil {
			t.Fatalf("registration refused: %v", err)
		}
	}
	// A non-discoverable credential registered later is not offered for an empty allow list.
	if _, err := register(t, rp, key, &user{id: []byte("server-side-only")}, webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementDiscouraged)); err != nil {
		t.Fatalf("registration refused: %v", err)
	}

	assertion, session, err := rp.BeginDiscoverableLogin()
	if err != nil {
		t.Fatal(err)
	}
	if len(assertion.Response.AllowedCredentials) != 0 {
		t.Fatalf("discoverable login sent an allow list")
	}
	resp, err := key.Get(mustJSON(t, assertion), origin)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	parsed, err := protocol.ParseCredentialRequestResponseBody(bytes.NewReader(resp))
	if err != nil {
		t.Fatalf("the authentication response is not what a browser sends: %v\n%s", err, resp)
	}
	found, cred, err := rp.ValidatePasskeyLogin(func(rawID, userHandle []byte) (webauthn.User, error) {
		u, ok := users[string(userHandle)]
		if !ok {
			return nil, errors.New("no such user")
		}
		return u, nil
	}, *session, parsed)
	if err != nil {
		t.Fatalf("passkey login refused: %v", err)
	}
	if string(found.WebAuthnID()) != "newest-user" || !bytes.Equal(cred.ID, users["newest-user"].creds[0].ID) {
		t.Errorf("logged in %q with %x, want the newest passkey", found.WebAuthnID(), cred.ID)
	}
}

// Each knob makes the library refuse the ceremony it applies to (or, for a
// counter that went backwards, flag a clone), and applies to that ceremony
// only: the next, untampered one is accepted again.
func TestTamperedLoginsAreRefused(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(*softkey.Authenticator)
		from   string
		opts   []webauthn.LoginOption
	}{
		{"RP ID hash of another site", func(k *softkey.Authenticator) { k.WithRPIDHashOf("evil.test") }, origin, nil},
		{"forged signature", func(k *softkey.Authenticator) { k.WithForgedSignature() }, origin, nil},
		{"user not verified where required", func(k *softkey.Authenticator) { k.WithoutUV() }, origin,
			[]webauthn.LoginOption{webauthn.WithUserVerification(protocol.VerificationRequired)}},
		{"answered for another origin", func(*softkey.Authenticator) {}, "https://login.twofold.test.evil.test", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rp := newRP(t)
			key := softkey.New(softkey.Options{})
			u := &user{id: []byte("user-handle-1")}
			if _, err := register(t, rp, key, u); err != nil {
				t.Fatalf("registration refused: %v", err)
			}
			tc.tamper(key)
			if _, err := login(t, rp, key, u, tc.from, tc.opts...); err == nil {
				t.Fatalf("tampered login accepted")
			}
			if _, err := login(t, rp, key, u, origin, tc.opts...); err != nil {
				t.Fatalf("the next, untampered login refused: %v", err)
			}
		})
	}
}

func TestSignCountRegressionIsFlagged(t *testing.T) {
	rp := newRP(t)
	key := softkey.New(softkey.Options{})
	u := &user{id: []byte("user-handle-1")}
	if _, err := register(t, rp, key, u); err != nil {
		t.Fatalf("registration refused: %v", err)
	}
	for range 3 {
		if _, err := login(t, rp, key, u, origin); err != nil {
			t.Fatalf("login refused: %v", err)
		}
	}
	for _, n := range []uint32{3, 2} { // equal to the stored count, then below it
		cred, err := login(t, rp, key.WithSignCount(n), u, origin)
		if err == nil && !cred.Authenticator.CloneWarning {
			t.Errorf("counter %d after 3 neither refused nor flagged as a clone", n)
		}
	}
	cred, err := login(t, rp, key, u, origin)
	if err != nil || cred.Authenticator.CloneWarning || cred.Authenticator.SignCount != 4 {
		t.Errorf("the next login: %v, clone warning %v, count %d; want accepted at 4", err, cred != nil && cred.Authenticator.CloneWarning, u.creds[0].Authenticator.SignCount)
	}
}

func TestTamperedRegistrationsAreRefused(t *testing.T) {
	for _, tc := range []struct {
		name   string
		att    string
		tamper func(*softkey.Authenticator)
		opts   []webauthn.RegistrationOption
	}{
		{"RP ID hash of another site", "none", func(k *softkey.Authenticator) { k.WithRPIDHashOf("evil.test") }, nil},
		{"forged self attestation", "packed", func(k *softkey.Authenticator) { k.WithForgedSignature() }, nil},
		{"user not verified where required", "none", func(k *softkey.Authenticator) { k.WithoutUV() },
			[]webauthn.RegistrationOption{webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{UserVerification: protocol.VerificationRequired})}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rp := newRP(t)
			key := softkey.New(softkey.Options{Attestation: tc.att})
			u := &user{id: []byte("user-handle-1")}
			tc.tamper(key)
			if _, err := register(t, rp, key, u, tc.opts...); err == nil {
				t.Fatalf("tampered registration accepted")
			}
			if _, err := register(t, rp, key, u, tc.opts...); err != nil {
				t.Fatalf("the next, untampered registration refused: %v", err)
			}
		})
	}
}

// Options.NoUV is a key without PIN or biometrics: accepted where user
// verification is only preferred, refused where it is required.
func TestKeyWithoutUV(t *testing.T) {
	rp := newRP(t)
	key := softkey.New(softkey.Options{NoUV: true})
	u := &user{id: []byte("user-handle-1")}
	cred, err := register(t, rp, key, u)
	if err != nil {
		t.Fatalf("registration refused: %v", err)
	}
	if cred.Flags.UserVerified {
		t.Errorf("UV flag set by a key without UV")
	}
	if _, err := login(t, rp, key, u, origin); err != nil {
		t.Errorf("login with UV preferred refused: %v", err)
	}
	if _, err := login(t, rp, key, u, origin, webauthn.WithUserVerification(protocol.VerificationRequired)); err == nil {
		t.Errorf("login with UV required accepted without UV")
	}
}

// What the authenticator itself refuses, as a browser would.
func TestAuthenticatorRefusals(t *testing.T) {
	rp := newRP(t)
	key := softkey.New(softkey.Options{})
	u := &user{id: []byte("user-handle-1")}

	assertion, _, err := rp.BeginDiscoverableLogin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := key.Get(mustJSON(t, assertion), origin); !errors.Is(err, softkey.ErrNotAllowed) {
		t.Errorf("Get with no credential: %v, want ErrNotAllowed", err)
	}

	creation, _, err := rp.BeginRegistration(u, webauthn.WithCredentialParameters([]protocol.CredentialParameter{{Type: protocol.PublicKeyCredentialType, Algorithm: -257}}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := key.Create(mustJSON(t, creation), origin); !errors.Is(err, softkey.ErrUnsupported) {
		t.Errorf("Create offering only RS256: %v, want ErrUnsupported", err)
	}

	cred, err := register(t, rp, key, u)
	if err != nil {
		t.Fatalf("registration refused: %v", err)
	}
	creation, _, err = rp.BeginRegistration(u, webauthn.WithExclusions([]protocol.CredentialDescriptor{cred.Descriptor()}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := key.Create(mustJSON(t, creation), origin); !errors.Is(err, softkey.ErrExcluded) {
		t.Errorf("Create with its credential excluded: %v, want ErrExcluded", err)
	}

	// A credential is scoped to its RP ID: another site's login finds nothing.
	other, _, err := rp.BeginLogin(u, webauthn.WithLoginRelyingPartyID("twofold.test"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := key.Get(mustJSON(t, other), "https://twofold.test"); !errors.Is(err, softkey.ErrNotAllowed) {
		t.Errorf("Get for another RP ID: %v, want ErrNotAllowed", err)
	}
}

// clientDataJSON in the member order browsers use, with crossOrigin false.
func TestClientDataJSON(t *testing.T) {
	key := softkey.New(softkey.Options{})
	resp, err := key.Create([]byte(`{"publicKey":{"rp":{"id":"twofold.test","name":"T"},"user":{"id":"dQ","name":"u","displayName":"u"},"challenge":"AAECAwQFBgcICQoLDA0ODw=="}}`), "https://twofold.test")
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Response struct {
			ClientDataJSON protocol.URLEncodedBase64 `json:"clientDataJSON"`
		} `json:"response"`
	}
	if err := json.Unmarshal(resp, &r); err != nil {
		t.Fatal(err)
	}
	want := `{"type":"webauthn.create","challenge":"AAECAwQFBgcICQoLDA0ODw","origin":"https://twofold.test","crossOrigin":false}`
	if string(r.Response.ClientDataJSON) != want {
		t.Errorf("clientDataJSON\n got %s\nwant %s", r.Response.ClientDataJSON, want)
	}
}

// The bytes on the wire, laid out as the specifications say (go-webauthn
// re-encodes what it decodes, so its view cannot show this).
func TestWireBytes(t *testing.T) {
	aaguid := [16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	key := softkey.New(softkey.Options{AAGUID: aaguid})
	resp, err := key.Create([]byte(`{"rp":{"id":"twofold.test","name":"T"},"user":{"id":"dQ","name":"u","displayName":"u"},"challenge":"AAECAwQFBgcICQoLDA0ODw"}`), "https://twofold.test")
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		RawID    protocol.URLEncodedBase64 `json:"rawId"`
		Response struct {
			AuthenticatorData protocol.URLEncodedBase64 `json:"authenticatorData"`
			AttestationObject protocol.URLEncodedBase64 `json:"attestationObject"`
		} `json:"response"`
	}
	if err := json.Unmarshal(resp, &r); err != nil {
		t.Fatal(err)
	}
	ad := r.Response.AuthenticatorData
	rpIDHash := sha256.Sum256([]byte("twofold.test"))
	if len(ad) != 32+1+4+16+2+32+77 {
		t.Fatalf("authenticatorData is %d bytes: %x", len(ad), ad)
	}
	if !bytes.Equal(ad[:32], rpIDHash[:]) {
		t.Errorf("rpIdHash %x, want SHA-256 of the RP ID", ad[:32])
	}
	if ad[32] != 0x45 { // UP | UV | AT
		t.Errorf("flags %#x, want 0x45", ad[32])
	}
	if n := binary.BigEndian.Uint32(ad[33:37]); n != 0 {
		t.Errorf("signCount %d, want 0", n)
	}
	if !bytes.Equal(ad[37:53], aaguid[:]) || binary.BigEndian.Uint16(ad[53:55]) != 32 || !bytes.Equal(ad[55:87], r.RawID) {
		t.Errorf("attested credential data %x does not carry the AAGUID and the 32-byte credential ID", ad[37:87])
	}
	// COSE key in CTAP2 canonical order: {1: 2, 3: -7, -1: 1, -2: x, -3: y}.
	cose := ad[87:]
	wantCOSE := "a5010203262001" + "215820" + hex.EncodeToString(cose[10:42]) + "225820" + hex.EncodeToString(cose[45:77])
	if hex.EncodeToString(cose) != wantCOSE {
		t.Errorf("COSE key %x, want {1:2, 3:-7, -1:1, -2:x, -3:y}", cose)
	}
	// {"fmt": "none", "attStmt": {}, "authData": authenticatorData}, canonical order.
	wantAtt := "a3" + "63666d74" + "646e6f6e65" + "6761747453746d74" + "a0" + "686175746844617461" + "58a4" + hex.EncodeToString(ad)
	if got := hex.EncodeToString(r.Response.AttestationObject); got != wantAtt {
		t.Errorf("attestationObject\n got %s\nwant %s", got, wantAtt)
	}
}

// Assertions made at once each get their own counter value, none repeated.
func TestConcurrentAssertionsCountDistinctly(t *testing.T) {
	key := softkey.New(softkey.Options{})
	if _, err := key.Create([]byte(`{"rp":{"id":"twofold.test","name":"T"},"user":{"id":"dQ","name":"u","displayName":"u"},"challenge":"AAECAwQFBgcICQoLDA0ODw","authenticatorSelection":{"residentKey":"required"}}`), "https://twofold.test"); err != nil {
		t.Fatal(err)
	}
	const n = 20
	counts := make(chan uint32, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			resp, err := key.Get([]byte(`{"challenge":"AAECAwQFBgcICQoLDA0ODw","rpId":"twofold.test"}`), "https://twofold.test")
			if err != nil {
				t.Error(err)
				return
			}
			parsed, err := protocol.ParseCredentialRequestResponseBody(bytes.NewReader(resp))
			if err != nil {
				t.Error(err)
				return
			}
			counts <- parsed.Response.AuthenticatorData.Counter
		})
	}
	wg.Wait()
	close(counts)
	seen := map[uint32]bool{}
	for c := range counts {
		if seen[c] || c < 1 || c > n {
			t.Errorf("counter %d repeated or out of 1..%d", c, n)
		}
		seen[c] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct counters, want %d", len(seen), n)
	}
}
