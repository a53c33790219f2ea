package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/tap"
)

// tap runs "twofold tap create|list|delete": Temporary Access Passes issued
// by the operator (twofold.CLIActor) through the same use case as the console
// and the admin API, audited and told to the member alike.
func (c *command) tap(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("tap: say create, list or delete")
	}
	fs := newFlagSet("tap "+args[0], c.global)
	var username string
	fs.StringVar(&username, "user", "", "the member's user name, name@domain")
	fs.StringVar(&username, "username", "", "the same as --user")
	switch args[0] {
	case "create":
		var req tap.Request
		fs.Func("lifetime", "how long the pass works, such as 1h, 90m or 3d (10m–30d, within the policy; default the policy's)", func(v string) error {
			d, err := parseLifetime(v)
			req.Lifetime = d
			return err
		})
		fs.BoolVar(&req.OneTime, "one-time", false, "the pass works for one sign-in only")
		fs.Func("start", "when the pass starts working, such as 2026-03-04T09:30 (UTC) or an RFC 3339 time; default now", func(v string) error {
			t, err := parseStart(v)
			req.StartAt = t
			return err
		})
		return c.withApp(fs, args[1:], func(a *app) error {
			u, err := cliMember(c, a, username)
			if err != nil {
				return err
			}
			got, err := a.accessPasses.Issue(c.ctx, twofold.CLIActor(), u.ID, req)
			if err != nil {
				return err
			}
			// The pass alone on standard output, for a script to pass on; the
			// person reads standard error.
			fmt.Fprintln(c.stdout, got.Pass)
			fmt.Fprintf(c.stderr, "issued a Temporary Access Pass to %s (%s), starting %s: give them the pass above (shown once; only its hash is kept). They sign in with it at /signin/tap.\n",
				shown(u.Username), methodkind.PassDetail(got.Method), got.Method.ActivatedAt.UTC().Format(time.RFC3339))
			return nil
		})
	case "list":
		return c.withApp(fs, args[1:], func(a *app) error {
			u, err := cliMember(c, a, username)
			if err != nil {
				return err
			}
			passes, err := a.accessPasses.List(c.ctx, twofold.CLIActor(), u.ID)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(c.stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tCREATED\tSTARTS\tEXPIRES\tONE-TIME\tLAST USED")
			for _, m := range passes {
				row(tw, m.ID, when(m.CreatedAt), when(m.ActivatedAt), when(m.ExpiresAt), fmt.Sprint(m.UsableOnce), when(m.LastUsedAt))
			}
			return tw.Flush()
		})
	case "delete":
		id := fs.String("id", "", "the pass's ID, from tap list")
		return c.withApp(fs, args[1:], func(a *app) error {
			u, err := cliMember(c, a, username)
			if err != nil {
				return err
			}
			if strings.TrimSpace(*id) == "" {
				return twofold.FieldError("id", "Name the pass by its ID; tap list shows it.")
			}
			if err := a.accessPasses.Delete(c.ctx, twofold.CLIActor(), u.ID, strings.TrimSpace(*id)); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "deleted the Temporary Access Pass of %s\n", shown(u.Username))
			return nil
		})
	default:
		return fmt.Errorf("tap: unknown subcommand %q; say create, list or delete", args[0])
	}
}

// cliMember is the member a required --user flag names.
func cliMember(c *command, a *app, username string) (*twofold.User, error) {
	if strings.TrimSpace(username) == "" {
		return nil, twofold.FieldError("user", "Name the member, such as alex@contoso.com.")
	}
	u, err := a.store.UserByUsername(c.ctx, strings.ToLower(strings.TrimSpace(username)))
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		return nil, twofold.FieldError("user", fmt.Sprintf("There is no member %s.", shown(username)))
	}
	return u, err
}

// parseStart reads a start time: RFC 3339, or a date and time to the minute
// in UTC as a browser's datetime field writes it.
func parseStart(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", v, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a time such as 2026-03-04T09:30 (UTC) or 2026-03-04T09:30:00+01:00", v)
	}
	return t, nil
}
