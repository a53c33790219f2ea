package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
	"github.com/twofold-id/twofold/internal/audit"
)

// cliActor names the command line in the audit log.
const cliActor = "cli"

func (c *command) withApp(fs *flag.FlagSet, args []string, do func(a *app) error) error {
	if err := parse(fs, args); err != nil {
		return err
	}
	return c.withOpenApp(do)
}

// withOpenApp loads the configuration, wires the service and runs do with it.
func (c *command) withOpenApp(do func(a *app) error) error {
	cfg, err := c.load(nil)
	if err != nil {
		return err
	}
	a, err := c.open(cfg)
	if err != nil {
		return err
	}
	defer a.close()
	return do(a)
}

func (c *command) migrate(args []string) error {
	c.creates = true
	return c.withApp(newFlagSet("migrate", c.global), args, func(a *app) error {
		fmt.Fprintln(c.stdout, "database is up to date")
		return nil
	})
}

func (c *command) org(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("org: say create or list")
	}
	fs := newFlagSet("org "+args[0], c.global)
	switch args[0] {
	case "create":
		c.creates = true
		name := fs.String("name", "", "organization name")
		domains := fs.String("domain", "", "domain(s), comma-separated")
		return c.withApp(fs, args[1:], func(a *app) error {
			org, err := a.admin.CreateOrg(c.ctx, cliActor, *name, splitList(*domains))
			if err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "created organization %q (%s) with domains %s\n", org.Name, org.ID, shown(strings.Join(org.Domains, ", ")))
			return nil
		})
	case "list":
		return c.withApp(fs, args[1:], func(a *app) error {
			orgs, err := a.admin.Orgs(c.ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(c.stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tDOMAINS")
			for _, o := range orgs {
				row(tw, o.ID, o.Name, strings.Join(o.Domains, ","))
			}
			return tw.Flush()
		})
	}
	return fmt.Errorf("org: unknown subcommand %q", args[0])
}

func (c *command) user(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("user: say create, list, %s or unblock-reset", strings.Join(memberActions, ", "))
	}
	if isMemberAction(args[0]) {
		return c.memberAction(args)
	}
	fs := newFlagSet("user "+args[0], c.global)
	switch args[0] {
	case "create":
		c.creates = true
		username := fs.String("username", "", "user name, name@domain")
		display := fs.String("display-name", "", "display name")
		role := fs.String("role", "member", "member, helpdesk or admin")
		stdinPW := fs.Bool("password-stdin", false, "read the password from standard input")
		return c.withApp(fs, args[1:], func(a *app) error {
			if !*stdinPW {
				return fmt.Errorf("user create: pass --password-stdin and give the password on standard input, so it never appears in the process list or shell history")
			}
			pw, err := readPassword(c)
			if err != nil {
				return err
			}
			u, err := a.admin.CreateUser(c.ctx, cliActor, admin.NewUser{
				Username: *username, DisplayName: *display, Role: twofold.Role(*role), Password: pw,
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "created %s %s (%s)\n", u.Role, shown(u.Username), u.ID)
			return nil
		})
	case "unblock-reset":
		username := fs.String("username", "", "user name, name@domain")
		return c.withApp(fs, args[1:], func(a *app) error {
			u, err := a.admin.UnblockReset(c.ctx, cliActor, *username)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "password reset unblocked for %s\n", shown(u.Username))
			return nil
		})
	case "list":
		orgDomain := fs.String("org", "", "only this organization (a domain of it)")
		return c.withApp(fs, args[1:], func(a *app) error {
			orgs, err := a.admin.Orgs(c.ctx)
			if err != nil {
				return err
			}
			if *orgDomain != "" {
				org, err := a.admin.Org(c.ctx, *orgDomain)
				if err != nil {
					return err
				}
				orgs = []*twofold.Organization{org}
			}
			tw := tabwriter.NewWriter(c.stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "USERNAME\tDISPLAY NAME\tROLE\tSTATUS\tORGANIZATION")
			for _, o := range orgs {
				users, err := a.admin.Users(c.ctx, o.ID)
				if err != nil {
					return err
				}
				for _, u := range users {
					row(tw, u.Username, u.DisplayName, string(u.Role), status(u, a.now()), o.Name)
				}
			}
			return tw.Flush()
		})
	}
	return fmt.Errorf("user: unknown subcommand %q", args[0])
}

func status(u *twofold.User, now time.Time) string {
	switch {
	case u.Disabled:
		return "disabled"
	case now.Before(u.LockedUntil):
		return "locked"
	case now.Before(u.MFABlockedUntil):
		return "mfa-blocked"
	}
	return "active"
}

// readPassword reads one line from standard input, without its line ending.
func readPassword(c *command) (string, error) {
	sc := bufio.NewScanner(c.stdin)
	sc.Buffer(make([]byte, 4096), 4096)
	if !sc.Scan() {
		return "", fmt.Errorf("user create: no password on standard input")
	}
	return strings.TrimRight(sc.Text(), "\r"), nil
}

func (c *command) audit(args []string) error {
	if len(args) == 0 || args[0] != "list" {
		return fmt.Errorf("audit: say list")
	}
	fs := newFlagSet("audit list", c.global)
	orgDomain := fs.String("org", "", "organization (a domain of it)")
	user := fs.String("user", "", "only events about this user name")
	activity := fs.String("activity", "", "only this activity")
	limit := fs.Int("limit", 50, "at most this many, newest first (1–1000)")
	asJSON := fs.Bool("json", false, "print JSON lines")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *limit < 1 || *limit > audit.MaxList {
		return fmt.Errorf("audit list: --limit must be between 1 and %d", audit.MaxList)
	}
	return c.withOpenApp(func(a *app) error {
		f := twofold.AuditFilter{Activity: *activity, Limit: *limit}
		if *orgDomain != "" {
			org, err := a.admin.Org(c.ctx, *orgDomain)
			if err != nil {
				return err
			}
			f.OrgID = org.ID
		}
		if *user != "" {
			u, err := a.store.UserByUsername(c.ctx, strings.ToLower(*user))
			if err != nil {
				return fmt.Errorf("audit list: no user %q", *user)
			}
			f.TargetID = u.ID
		}
		events, err := a.audit.List(c.ctx, f)
		if err != nil {
			return err
		}
		if *asJSON {
			enc := json.NewEncoder(c.stdout)
			for _, e := range events {
				if err := enc.Encode(e); err != nil {
					return err
				}
			}
			return nil
		}
		tw := tabwriter.NewWriter(c.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TIME\tACTIVITY\tRESULT\tACTOR\tTARGET\tIP\tREASON")
		for _, e := range events {
			row(tw, e.Time.Format(time.RFC3339), e.Activity, e.Result, e.ActorName, e.TargetName, e.IP, e.Reason)
		}
		return tw.Flush()
	})
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
