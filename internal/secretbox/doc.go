// Package secretbox encrypts small secrets at rest (TOTP seeds) with
// AES-256-GCM under one service key, and loads that key from configuration or
// from a key file it creates on first start.
//
// A sealed message is a version byte, a random 12-byte nonce and the GCM
// ciphertext with its tag. The version byte leaves room to change the cipher or
// rotate keys later without guessing what old rows hold. Callers bind each
// message to its row with additional data (the method ID), so a sealed secret
// copied onto another row does not open.
package secretbox
