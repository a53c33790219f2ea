// Package softkey is a software FIDO2 authenticator, and the browser's part of
// the WebAuthn ceremonies around it, for tests: it answers the JSON options a
// relying party sends with the JSON a browser's credential.toJSON() gives.
//
// It is written from the WebAuthn and CTAP2 specifications alone, with its own
// small CBOR encoder, and deliberately does not import the WebAuthn library the
// server uses: a test that lets the code under test also play the authenticator
// would agree with itself whatever the code did.
//
// Keys are ECDSA P-256 (COSE algorithm ES256, -7). Attestation is "none" or
// "packed" self attestation. Tamper knobs (WithRPIDHashOf, WithForgedSignature,
// WithSignCount, WithoutUV) make the next ceremony misbehave the way an attacker
// or a cloned key would, so tests can show the server refuses it.
package softkey
