package twofold

// Client describes where a request came from, for audit events and notifications.
type Client struct {
	IP        string
	UserAgent string
}

// Principal is the signed-in member a request acts for, as resolved from a session.
type Principal struct {
	User    *User
	Org     *Organization
	Session *Session
	Client  Client
}
