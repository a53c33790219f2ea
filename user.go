package twofold

import (
	"time"
	"unicode"
)

// Role is what a user may do in their organization.
type Role string

// The roles, from least to most privileged.
const (
	RoleMember   Role = "member"
	RoleHelpdesk Role = "helpdesk"
	RoleAdmin    Role = "admin"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return r == RoleMember || r == RoleHelpdesk || r == RoleAdmin }

// SignInPreference is the member's default sign-in method, named with the Microsoft
// Graph values of userPreferredMethodForSecondaryAuthentication (plus "fido2").
type SignInPreference string

// The default sign-in method choices. PreferenceNone means no default.
const (
	PreferenceNone           SignInPreference = "none"
	PreferenceOath           SignInPreference = "oath"
	PreferenceSMS            SignInPreference = "sms"
	PreferenceVoice          SignInPreference = "voiceMobile"
	PreferenceVoiceAlternate SignInPreference = "voiceAlternateMobile"
	PreferenceVoiceOffice    SignInPreference = "voiceOffice"
	PreferenceFido2          SignInPreference = "fido2"
)

// User is a member of an organization.
type User struct {
	ID          string
	OrgID       string
	Username    string // name@domain, lower-case, unique across the service
	DisplayName string
	Role        Role
	// PasswordHash is a PHC-format argon2id string. It never leaves the server.
	PasswordHash string
	Disabled     bool
	// PreferredMethod is the default sign-in method; PreferenceNone or "" when unset.
	PreferredMethod SignInPreference
	CreatedAt       time.Time
	// MustChangePassword is set when an admin gave the member a temporary
	// password: they must choose their own before anything else.
	MustChangePassword bool

	// Counters kept across sessions and replicas.
	FailedPasswords int       // consecutive wrong passwords since the last success or lock
	LockoutLevel    int       // how many locks in a row; each doubles the next
	LockedUntil     time.Time // zero when not locked
	FailedMFA       int       // consecutive wrong second-factor codes
	MFABlockedUntil time.Time // zero when MFA is not blocked
	MFABlockLevel   int       // how many wrong-code blocks in a row; each doubles the next
}

// PrintableName reports whether s holds no control or invisible formatting
// characters (newlines, escape sequences, bidirectional overrides). User names
// are printed in the audit log, the CLI and notices, where such characters could
// forge lines or hide text, so none may contain them.
func PrintableName(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Cc, unicode.Cf) {
			return false
		}
	}
	return true
}
