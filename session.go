package twofold

import "time"

// Session is a signed-in member's session. The bearer token itself is never stored:
// TokenHash is its SHA-256, so a copy of the database cannot be replayed.
type Session struct {
	ID        string // public identifier, shown in the sessions list; not a credential
	TokenHash string // HashToken of the cookie or bearer token
	UserID    string
	OrgID     string
	CreatedAt time.Time
	// LastSeenAt moves forward on use (at most once a minute) for the idle timeout.
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute end of the session
	// How and when each factor was proven.
	PasswordAt time.Time
	MFAAt      time.Time // zero when no second factor was proven in this session
	MFAMethod  string    // method ID of the last second factor proven
	IP         string
	UserAgent  string
	RevokedAt  time.Time // zero while live
}
