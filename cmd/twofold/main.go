package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "twofold:", describe(err))
		os.Exit(1)
	}
}

// describe turns an error into words for the terminal: a person's message for
// domain errors, the full chain otherwise (the operator needs it).
func describe(err error) string {
	var cfgErr *config.Error
	var e *twofold.Error
	switch {
	case errors.As(err, &cfgErr):
		return cfgErr.Error()
	case errors.As(err, &e) && e.Code != twofold.EINTERNAL && e.Message != "":
		if e.Field != "" {
			return "--" + e.Field + ": " + e.Message
		}
		return e.Message
	default:
		return err.Error()
	}
}

const usage = `twofold — security info and two-step verification for an organization

Usage:
  twofold [global flags] COMMAND [flags]

Commands:
  serve [--addr HOST:PORT] [--demo]      run the service (migrates first)
  migrate                                apply database migrations
  org create --name N --domain D[,D2]    create an organization
  org list                               list organizations
  user create --username U@D --display-name N [--role member|helpdesk|admin] --password-stdin
  user list [--org DOMAIN]               list members
  user disable|enable --user U@D         turn a member's account off (signed out everywhere) or on
  user reset-password --user U@D         print a one-time temporary password; they choose their own at sign-in
  user require-mfa-registration --user U@D  remove their second factors; they register again at sign-in
  user revoke-sessions --user U@D        sign a member out everywhere
  user unblock --user U@D                lift every block: two-step verification, password reset, lockout
  user unblock-reset --username U@D      lift a block of password reset (five failed verifications)
  policy show --org DOMAIN               print an organization's policy as JSON
  policy set --org DOMAIN [settings]     change policy settings (see: twofold policy set --help)
  token create --org DOMAIN --name N --scopes S[,S2] [--lifetime 90d]
                                         make an admin API token; prints the secret alone, once
  token list [--org DOMAIN]              list API tokens (never their secrets)
  token revoke --org DOMAIN --id ID      end an API token
  tap create --user U@D [--lifetime 1h] [--one-time] [--start TIME]
                                         issue a Temporary Access Pass; prints the pass alone, once
  tap list --user U@D                    list a member's passes (never the pass)
  tap delete --user U@D --id ID          delete a member's pass
  audit list [--org DOMAIN] [--user U] [--activity A] [--limit 1-1000] [--json]
  version                                print the version and the revision it was built from

Global flags (also as environment variables):
  --config FILE       NAME=VALUE settings file
  --data-dir DIR      TWOFOLD_DATA_DIR (default ./data)
  --database URL      TWOFOLD_DATABASE (default DIR/twofold.db, a SQLite file path; a postgres:// URL selects PostgreSQL)

Only serve, migrate, org create and user create make a new data directory; the
other commands need one to exist. Each command's flags: twofold COMMAND --help.
`

// run is main without the process: it parses args and runs one command.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	err := dispatch(ctx, args, stdin, stdout, stderr, getenv)
	if errors.Is(err, flag.ErrHelp) {
		return nil // the command printed its flags
	}
	return err
}

// dispatch parses the global flags and runs the named command.
func dispatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	g, rest, err := parseGlobal(args, stdout)
	if err != nil {
		return err
	}
	if len(rest) == 0 || rest[0] == "help" || rest[0] == "-h" || rest[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmd := &command{ctx: ctx, global: g, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	switch name, sub := rest[0], rest[1:]; name {
	case "serve":
		return cmd.serve(sub)
	case "migrate":
		return cmd.migrate(sub)
	case "org":
		return cmd.org(sub)
	case "user":
		return cmd.user(sub)
	case "policy":
		return cmd.policy(sub)
	case "audit":
		return cmd.audit(sub)
	case "token":
		return cmd.token(sub)
	case "tap":
		return cmd.tap(sub)
	case "version":
		return cmd.version(sub)
	default:
		return fmt.Errorf("unknown command %q; run twofold help", name)
	}
}
