package web

// Purpose says what the re-verification is for, in the words of "verify your
// identity to …": only looking at Security info is not changing it.
func (v reverifyView) Purpose() string {
	if v.Next == "/my/security-info" {
		return "see your security info"
	}
	return "change your security info"
}
