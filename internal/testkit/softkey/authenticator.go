package softkey

import (
	"crypto/ecdsa"
	"errors"
	"slices"
	"sync"
)

// Errors a ceremony can end with, named after the DOMException a browser would
// raise in the same case.
var (
	// ErrNotAllowed: no credential held for the RP ID matches the request
	// (a browser's NotAllowedError).
	ErrNotAllowed = errors.New("softkey: no matching credential (NotAllowedError)")
	// ErrExcluded: the authenticator already holds a credential listed in
	// excludeCredentials (a browser's InvalidStateError).
	ErrExcluded = errors.New("softkey: a credential in excludeCredentials is already held (InvalidStateError)")
	// ErrUnsupported: pubKeyCredParams does not offer ES256 (NotSupportedError).
	ErrUnsupported = errors.New("softkey: pubKeyCredParams does not offer ES256 (NotSupportedError)")
)

// Options configure an Authenticator. The zero value is a UV-capable
// authenticator with an all-zero AAGUID and "none" attestation.
type Options struct {
	AAGUID [16]byte
	// Attestation is "none" (the default when empty) or "packed" (self
	// attestation, signed with the new credential's own key).
	Attestation string
	// NoUV makes every ceremony report the user as present but not verified
	// (a key without PIN or biometrics).
	NoUV bool
}

// Authenticator is a software FIDO2 authenticator (ECDSA P-256, ES256) for
// tests. It is safe for concurrent use.
type Authenticator struct {
	aaguid      [16]byte
	attestation string
	noUV        bool

	mu    sync.Mutex
	creds []*credential // oldest first
	next  tamper
}

// credential is one key pair the authenticator holds, scoped to one RP ID.
type credential struct {
	id         []byte
	key        *ecdsa.PrivateKey
	rpID       string
	userHandle []byte
	resident   bool
	attachment string // "platform" or "cross-platform", as created
	signCount  uint32
}

// tamper holds the knobs for the next ceremony.
type tamper struct {
	rpIDHashOf     *string
	forgeSignature bool
	signCount      *uint32
	noUV           bool
}

// New returns an Authenticator holding no credentials.
func New(o Options) *Authenticator {
	att := o.Attestation
	if att == "" {
		att = "none"
	}
	return &Authenticator{aaguid: o.AAGUID, attestation: att, noUV: o.NoUV}
}

// WithRPIDHashOf makes the next Create or Get put SHA-256(rpID) in the
// authenticator data instead of the hash of the RP ID the options name (the
// data is still signed correctly), as a phishing site's relayed ceremony
// would. Like every knob it applies to the next Create or Get only.
func (a *Authenticator) WithRPIDHashOf(rpID string) *Authenticator {
	return a.tamperNext(func(t *tamper) { t.rpIDHashOf = &rpID })
}

// WithForgedSignature makes the next Create or Get flip a byte of its
// signature (the assertion signature, or the packed attestation signature; a
// "none" registration has no signature to forge).
func (a *Authenticator) WithForgedSignature() *Authenticator {
	return a.tamperNext(func(t *tamper) { t.forgeSignature = true })
}

// WithSignCount makes the next Create or Get report signature counter n
// instead of the credential's own, as a cloned key lagging behind would. The
// credential's own counter is left where it was, so later ceremonies go on
// from it. On Create, n is the new credential's starting counter.
func (a *Authenticator) WithSignCount(n uint32) *Authenticator {
	return a.tamperNext(func(t *tamper) { t.signCount = &n })
}

// WithoutUV makes the next Create or Get clear the user-verified flag.
func (a *Authenticator) WithoutUV() *Authenticator {
	return a.tamperNext(func(t *tamper) { t.noUV = true })
}

// CredentialIDs returns the IDs of the credentials it holds, oldest first.
func (a *Authenticator) CredentialIDs() [][]byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	ids := make([][]byte, len(a.creds))
	for i, c := range a.creds {
		ids[i] = slices.Clone(c.id)
	}
	return ids
}

// tamperNext sets a knob for the next ceremony. Knobs belong to the
// authenticator, not a credential: with ceremonies running at once, whichever
// takes a.mu first gets them.
func (a *Authenticator) tamperNext(set func(*tamper)) *Authenticator {
	a.mu.Lock()
	defer a.mu.Unlock()
	set(&a.next)
	return a
}

// takeTamper returns the knobs for this ceremony and clears them, so each
// applies once. The caller holds a.mu.
func (a *Authenticator) takeTamper() tamper {
	t := a.next
	a.next = tamper{}
	return t
}
