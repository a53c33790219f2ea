package main

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/apitoken"
)

// token runs "twofold token create|list|revoke": the admin API's bearer
// tokens are made and ended only here, by whoever runs the service.
func (c *command) token(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("token: say create, list or revoke")
	}
	fs := newFlagSet("token "+args[0], c.global)
	switch args[0] {
	case "create":
		orgDomain := fs.String("org", "", "organization (a domain of it)")
		name := fs.String("name", "", "what to call the token, such as hr-sync (1–64 characters)")
		scopes := fs.String("scopes", "", "comma-separated: "+scopeNames())
		var lifetime time.Duration
		fs.Func("lifetime", "how long the token works, such as 720h or 30d (1h–365d; default 90d)", func(v string) error {
			d, err := parseLifetime(v)
			lifetime = d
			return err
		})
		return c.withApp(fs, args[1:], func(a *app) error {
			org, err := namedOrg(c, a, *orgDomain)
			if err != nil {
				return err
			}
			req := apitoken.Request{OrgID: org.ID, Name: *name, Lifetime: lifetime}
			for _, s := range splitList(*scopes) {
				req.Scopes = append(req.Scopes, twofold.Scope(s))
			}
			t, secret, err := a.tokens.Create(c.ctx, twofold.CLIActor(), req)
			if err != nil {
				return err
			}
			// The secret alone on standard output, so scripts can capture it;
			// everything for the person goes to standard error.
			fmt.Fprintln(c.stdout, secret)
			fmt.Fprintf(c.stderr, "created token %s (%s) for %s with %s, expiring %s.\nThe secret above is shown once; only its hash is kept. Send it as \"Authorization: Bearer <secret>\".\n",
				shown(t.Name), t.ID, shown(org.Name), joinScopes(t.Scopes), t.ExpiresAt.Format(time.RFC3339))
			return nil
		})
	case "list":
		orgDomain := fs.String("org", "", "only this organization (a domain of it)")
		return c.withApp(fs, args[1:], func(a *app) error {
			orgID := ""
			if *orgDomain != "" {
				org, err := a.admin.Org(c.ctx, *orgDomain)
				if err != nil {
					return err
				}
				orgID = org.ID
			}
			orgs, err := a.admin.Orgs(c.ctx)
			if err != nil {
				return err
			}
			orgName := map[string]string{}
			for _, o := range orgs {
				orgName[o.ID] = o.Name
			}
			ts, err := a.tokens.List(c.ctx, twofold.CLIActor(), orgID)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(c.stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tORGANIZATION\tSCOPES\tCREATED\tEXPIRES\tLAST USED\tREVOKED")
			for _, t := range ts {
				row(tw, t.ID, t.Name, orgName[t.OrgID], joinScopes(t.Scopes), when(t.CreatedAt), when(t.ExpiresAt), when(t.LastUsedAt), when(t.RevokedAt))
			}
			return tw.Flush()
		})
	case "revoke":
		orgDomain := fs.String("org", "", "organization (a domain of it)")
		id := fs.String("id", "", "the token's ID, as token list shows it")
		return c.withApp(fs, args[1:], func(a *app) error {
			org, err := namedOrg(c, a, *orgDomain)
			if err != nil {
				return err
			}
			if err := a.tokens.Revoke(c.ctx, twofold.CLIActor(), org.ID, *id); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "revoked token %s of %s\n", shown(*id), shown(org.Name))
			return nil
		})
	}
	return fmt.Errorf("token: unknown subcommand %q", args[0])
}

// namedOrg is the organization a required --org flag names.
func namedOrg(c *command, a *app, domain string) (*twofold.Organization, error) {
	if strings.TrimSpace(domain) == "" {
		return nil, twofold.FieldError("org", "Name the organization by one of its domains, such as contoso.com.")
	}
	return a.admin.Org(c.ctx, domain)
}

// parseLifetime reads a Go duration ("720h") or a number of days ("30d").
func parseLifetime(v string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("%q is not a number of days such as 30d", v)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a duration such as 720h or 30d", v)
	}
	return d, nil
}

func scopeNames() string { return joinScopes(twofold.AllScopes()) }

func joinScopes(scopes []twofold.Scope) string {
	s := make([]string, len(scopes))
	for i, sc := range scopes {
		s[i] = string(sc)
	}
	return strings.Join(s, ",")
}

// when prints a time for a listing, "-" for never.
func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
