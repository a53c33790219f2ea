package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/twofold-id/twofold"
)

// memberActions are the "user" subcommands that run the console's member
// administration from the command line, as the operator (twofold.CLIActor):
// the same use cases, checks, audit events and notices as the console and
// the API.
var memberActions = []string{"disable", "enable", "reset-password", "require-mfa-registration", "revoke-sessions", "unblock"}

func isMemberAction(name string) bool { return slices.Contains(memberActions, name) }

// memberAction runs one of memberActions on the member --user names.
func (c *command) memberAction(args []string) error {
	action := args[0]
	fs := newFlagSet("user "+action, c.global)
	var username string
	fs.StringVar(&username, "user", "", "the member's user name, name@domain")
	fs.StringVar(&username, "username", "", "the same as --user")
	return c.withApp(fs, args[1:], func(a *app) error {
		if strings.TrimSpace(username) == "" {
			return twofold.FieldError("user", "Name the member, such as alex@contoso.com.")
		}
		u, err := a.store.UserByUsername(c.ctx, strings.ToLower(strings.TrimSpace(username)))
		if twofold.ErrorCode(err) == twofold.ENOTFOUND {
			return twofold.FieldError("user", fmt.Sprintf("There is no member %s.", shown(username)))
		} else if err != nil {
			return err
		}
		who := shown(u.Username)
		cli := twofold.CLIActor()
		switch action {
		case "disable", "enable":
			if err := a.admin.SetEnabled(c.ctx, cli, u.ID, action == "enable"); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "%sd %s\n", action, who)
		case "reset-password":
			temp, err := a.admin.ResetPassword(c.ctx, cli, u.ID)
			if err != nil {
				return err
			}
			// The temporary password alone on standard output, for a script
			// to pass on; the person reads standard error.
			fmt.Fprintln(c.stdout, temp)
			fmt.Fprintf(c.stderr, "reset the password of %s: give them the temporary password above (shown once); they choose their own at their next sign-in. Their sessions were revoked.\n", who)
		case "require-mfa-registration":
			n, err := a.admin.RequireReregistration(c.ctx, cli, u.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "%s must register two-step verification again at their next sign-in; %d methods removed\n", who, n)
		case "revoke-sessions":
			n, err := a.admin.RevokeSessions(c.ctx, cli, u.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "revoked %d sessions of %s\n", n, who)
		case "unblock":
			done, err := a.admin.Unblock(c.ctx, cli, u.ID)
			if err != nil {
				return err
			}
			var lifted []string
			if done.MFA {
				lifted = append(lifted, "two-step verification")
			}
			if done.Reset {
				lifted = append(lifted, "password reset")
			}
			if done.Lockout {
				lifted = append(lifted, "password lockout")
			}
			if len(lifted) == 0 {
				fmt.Fprintf(c.stdout, "%s was not blocked; nothing changed\n", who)
			} else {
				fmt.Fprintf(c.stdout, "unblocked %s for %s\n", strings.Join(lifted, ", "), who)
			}
		}
		return nil
	})
}
