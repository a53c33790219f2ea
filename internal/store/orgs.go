package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/twofold-id/twofold"
)

const orgConflict = "That organization or one of its domains already exists."

// CreateOrg stores org and its domains in one transaction. Returns ECONFLICT if
// the ID or one of the domains is taken.
func (s *Store) CreateOrg(ctx context.Context, org *twofold.Organization) error {
	op := "create organization " + org.ID
	policy, err := json.Marshal(org.Policy)
	if err != nil {
		return fmt.Errorf("store: %s: encode policy: %w", op, err)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fail(err, "organization", op, orgConflict)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO organizations (id, name, policy, created_at) VALUES ($1, $2, $3, $4)`,
		org.ID, org.Name, string(policy), s.d.time(org.CreatedAt)); err != nil {
		return fail(err, "organization", op, orgConflict)
	}
	for i, domain := range org.Domains {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO org_domains (domain, org_id, position) VALUES ($1, $2, $3)`,
			domain, org.ID, i); err != nil {
			return fail(err, "organization", op, orgConflict)
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(err, "organization", op, orgConflict)
	}
	return nil
}

// OrgByID returns the organization. Returns ENOTFOUND if there is none.
func (s *Store) OrgByID(ctx context.Context, id string) (*twofold.Organization, error) {
	return s.org(ctx, "find organization "+id,
		`SELECT id, name, policy, created_at FROM organizations WHERE id = $1`, id)
}

// OrgByDomain returns the organization owning domain. Returns ENOTFOUND.
func (s *Store) OrgByDomain(ctx context.Context, domain string) (*twofold.Organization, error) {
	return s.org(ctx, "find organization by domain "+domain,
		`SELECT o.id, o.name, o.policy, o.created_at
FROM organizations o JOIN org_domains d ON d.org_id = o.id
WHERE d.domain = $1`, domain)
}

// org reads one organization with query, then its domains.
func (s *Store) org(ctx context.Context, op, query string, arg string) (*twofold.Organization, error) {
	o, err := scanOrg(s.readRow(ctx, query, arg))
	if err != nil {
		return nil, fail(err, "organization", op, "")
	}
	rows, err := s.read(ctx,
		`SELECT domain FROM org_domains WHERE org_id = $1 ORDER BY position`, o.ID)
	if err != nil {
		return nil, fail(err, "organization", op, "")
	}
	defer rows.Close()
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fail(err, "organization", op, "")
		}
		o.Domains = append(o.Domains, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fail(err, "organization", op, "")
	}
	return o, nil
}

// ListOrgs returns every organization, oldest first.
func (s *Store) ListOrgs(ctx context.Context) ([]*twofold.Organization, error) {
	const op = "list organizations"
	rows, err := s.read(ctx,
		`SELECT id, name, policy, created_at FROM organizations ORDER BY created_at, id`)
	if err != nil {
		return nil, fail(err, "organization", op, "")
	}
	defer rows.Close()
	var orgs []*twofold.Organization
	byID := map[string]*twofold.Organization{}
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, fail(err, "organization", op, "")
		}
		orgs = append(orgs, o)
		byID[o.ID] = o
	}
	if err := rows.Err(); err != nil {
		return nil, fail(err, "organization", op, "")
	}
	rows.Close()

	drows, err := s.read(ctx,
		`SELECT org_id, domain FROM org_domains ORDER BY org_id, position`)
	if err != nil {
		return nil, fail(err, "organization", op, "")
	}
	defer drows.Close()
	for drows.Next() {
		var orgID, d string
		if err := drows.Scan(&orgID, &d); err != nil {
			return nil, fail(err, "organization", op, "")
		}
		if o := byID[orgID]; o != nil {
			o.Domains = append(o.Domains, d)
		}
	}
	if err := drows.Err(); err != nil {
		return nil, fail(err, "organization", op, "")
	}
	return orgs, nil
}

// UpdatePolicy replaces the organization's policy. Returns ENOTFOUND.
func (s *Store) UpdatePolicy(ctx context.Context, orgID string, p twofold.Policy) error {
	op := "update policy of organization " + orgID
	policy, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("store: %s: encode policy: %w", op, err)
	}
	return s.execOne(ctx, "organization", op,
		`UPDATE organizations SET policy = $2 WHERE id = $1`, orgID, string(policy))
}

func scanOrg(row scanner) (*twofold.Organization, error) {
	var (
		o      twofold.Organization
		policy string
	)
	if err := row.Scan(&o.ID, &o.Name, &policy, timeCol{&o.CreatedAt}); err != nil {
		return nil, err
	}
	// Settings added after a policy was stored keep their defaults.
	o.Policy = twofold.DefaultPolicy()
	if err := json.Unmarshal([]byte(policy), &o.Policy); err != nil {
		return nil, fmt.Errorf("decode policy: %w", err)
	}
	return &o, nil
}
