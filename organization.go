package twofold

import "time"

// Organization is a tenant: a name, the domains its user names end in, and its policy.
type Organization struct {
	ID        string
	Name      string
	Domains   []string // lower-case, without "@"; the first is the primary domain
	Policy    Policy
	CreatedAt time.Time
}
