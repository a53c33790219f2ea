package webauthn

import (
	"errors"
	"fmt"

	"github.com/twofold-id/twofold"
)

// ErrPossibleClone is in the chain of the error FinishLogin and FinishPasskey
// return when a key's signature counter did not grow: two devices hold the same
// key, or an old answer was replayed. Callers audit it (errors.Is).
var ErrPossibleClone = errors.New("webauthn: signature counter did not increase")

// The errors a person may see. Each wraps the real reason for the log.

func ceremonyGone(id string) error {
	return &twofold.Error{Code: twofold.EEXPIRED,
		Message: "This security key request has expired or was already used. Please start again.",
		Err:     fmt.Errorf("webauthn: ceremony %s is used, expired, or not this caller's", id)}
}

func registrationRefused(err error) error {
	return &twofold.Error{Code: twofold.EINVALID,
		Message: "We couldn't register that security key. Please try again.",
		Err:     fmt.Errorf("webauthn: registration refused: %w", err)}
}

func keyRefused(err error) error {
	return &twofold.Error{Code: twofold.EUNAUTHORIZED,
		Message: "That security key could not be verified. Please try again.",
		Err:     fmt.Errorf("webauthn: login refused: %w", err)}
}

func possibleClone(credID []byte, stored, got uint32) error {
	return &twofold.Error{Code: twofold.ECONFLICT,
		Message: "This security key may have been copied, so it can't be used to sign in. Please contact your administrator.",
		Err:     fmt.Errorf("%w: credential %x stored %d, answered %d", ErrPossibleClone, credID, stored, got)}
}
