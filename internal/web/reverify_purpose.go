package web

import "strings"

// Purpose says what the re-verification is for, in the words of "verify your
// identity to …": only looking at Security info is not changing it.
func (v reverifyView) Purpose() string {
	if strings.HasPrefix(v.Next, "/admin/") {
		return "make changes in the admin console"
	}
	if v.Next == "/my/security-info" {
		return "see your security info"
	}
	return "change your security info"
}
