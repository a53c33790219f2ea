package main

import (
	"fmt"
	"strconv"

	"github.com/twofold-id/twofold"
)

// keyFlags registers the security-key settings of policyFlags.
func keyFlags(add func(name, help string, apply func(p *twofold.Policy, v string) error),
	integer func(func(p *twofold.Policy) *int) func(*twofold.Policy, string) error) {
	add("max-security-keys", "security keys per member (1–10)", integer(func(p *twofold.Policy) *int { return &p.MaxSecurityKeys }))
	add("passkey-sign-in", "sign in with a passkey, without the password: true or false", func(p *twofold.Policy, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%q is not true or false", v)
		}
		p.PasskeySignIn = b
		return nil
	})
	add("allowed-aaguids", "allowed security-key models (AAGUIDs), comma-separated; empty allows all", func(p *twofold.Policy, v string) error {
		p.AllowedAAGUIDs = nil
		for _, a := range splitList(v) {
			if _, ok := twofold.ParseAAGUID(a); !ok {
				return fmt.Errorf("%q is not an AAGUID such as cb69481e-8ff7-4039-93ec-0a2729a154a8", a)
			}
			p.AllowedAAGUIDs = append(p.AllowedAAGUIDs, a)
		}
		return nil
	})
}
