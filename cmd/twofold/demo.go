package main

import (
	"crypto/rand"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
)

// demoPassword returns four random words-like chunks: easy to type, 80+ bits.
func demoPassword() string {
	const letters = "abcdefghijkmnopqrstuvwxyz23456789"
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	var sb strings.Builder
	for i, x := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(letters[int(x)%len(letters)])
	}
	return sb.String()
}

func adminNewUser(username, display, pw string) admin.NewUser {
	return admin.NewUser{Username: username, DisplayName: display, Role: twofold.RoleMember, Password: pw}
}
