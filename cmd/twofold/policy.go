package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/twofold-id/twofold"
)

func (c *command) policy(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("policy: say show or set")
	}
	fs := newFlagSet("policy "+args[0], c.global)
	orgDomain := fs.String("org", "", "organization (a domain of it)")
	switch args[0] {
	case "show":
		return c.withApp(fs, args[1:], func(a *app) error {
			org, err := a.admin.Org(c.ctx, *orgDomain)
			if err != nil {
				return err
			}
			return printPolicy(c, org.Policy)
		})
	case "set":
		edits := policyFlags(fs)
		return c.withApp(fs, args[1:], func(a *app) error {
			if len(*edits) == 0 {
				return fmt.Errorf("policy set: name at least one setting to change; twofold policy set --help lists them")
			}
			org, err := a.admin.Org(c.ctx, *orgDomain)
			if err != nil {
				return err
			}
			p := org.Policy
			p.EnabledMethods = append([]twofold.MethodKind(nil), p.EnabledMethods...)
			for _, edit := range *edits {
				if err := edit(&p); err != nil {
					return err
				}
			}
			if err := a.admin.UpdatePolicy(c.ctx, cliActor, org, p); err != nil {
				return err
			}
			return printPolicy(c, p)
		})
	}
	return fmt.Errorf("policy: unknown subcommand %q", args[0])
}

func printPolicy(c *command, p twofold.Policy) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

// policyFlags registers one flag per policy setting; each given flag becomes an edit
// applied in order to the current policy.
func policyFlags(fs *flag.FlagSet) *[]func(*twofold.Policy) error {
	var edits []func(*twofold.Policy) error
	add := func(name, help string, apply func(p *twofold.Policy, v string) error) {
		fs.Func(name, help, func(v string) error {
			edits = append(edits, func(p *twofold.Policy) error {
				if err := apply(p, v); err != nil {
					return fmt.Errorf("--%s: %w", name, err)
				}
				return nil
			})
			return nil
		})
	}
	integer := func(dst func(p *twofold.Policy) *int) func(*twofold.Policy, string) error {
		return func(p *twofold.Policy, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("%q is not a whole number", v)
			}
			*dst(p) = n
			return nil
		}
	}
	duration := func(dst func(p *twofold.Policy) *twofold.Duration) func(*twofold.Policy, string) error {
		return func(p *twofold.Policy, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil {
				return fmt.Errorf("%q is not a duration such as 90s, 10m or 24h", v)
			}
			*dst(p) = twofold.Duration(d)
			return nil
		}
	}
	add("mfa-required", "true or false", func(p *twofold.Policy, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%q is not true or false", v)
		}
		p.MFARequired = b
		return nil
	})
	add("methods", "enabled methods, comma-separated (softwareOath, phone, fido2, email, securityQuestions)", func(p *twofold.Policy, v string) error {
		p.EnabledMethods = nil
		for _, k := range splitList(v) {
			p.EnabledMethods = append(p.EnabledMethods, twofold.MethodKind(k))
		}
		return nil
	})
	add("enable", "enable one method", func(p *twofold.Policy, v string) error {
		if !p.MethodEnabled(twofold.MethodKind(v)) {
			p.EnabledMethods = append(p.EnabledMethods, twofold.MethodKind(v))
		}
		return nil
	})
	add("disable", "disable one method", func(p *twofold.Policy, v string) error {
		kept := p.EnabledMethods[:0]
		for _, k := range p.EnabledMethods {
			if k != twofold.MethodKind(v) {
				kept = append(kept, k)
			}
		}
		p.EnabledMethods = kept
		return nil
	})
	add("max-authenticator-apps", "1–5", integer(func(p *twofold.Policy) *int { return &p.MaxAuthenticatorApps }))
	add("lockout-threshold", "wrong passwords before a lock (3–100)", integer(func(p *twofold.Policy) *int { return &p.LockoutThreshold }))
	add("lockout-duration", "first lock's length", duration(func(p *twofold.Policy) *twofold.Duration { return &p.LockoutDuration }))
	add("mfa-failure-limit", "wrong codes before MFA is blocked (10–100)", integer(func(p *twofold.Policy) *int { return &p.MFAFailureLimit }))
	add("mfa-block-duration", "how long MFA stays blocked", duration(func(p *twofold.Policy) *twofold.Duration { return &p.MFABlockDuration }))
	add("helpdesk-contact", "shown to members who need help", func(p *twofold.Policy, v string) error {
		p.HelpdeskContact = v
		return nil
	})
	phoneFlags(add, integer, duration)
	return &edits
}

// phoneFlags registers the phone settings of policyFlags.
func phoneFlags(add func(name, help string, apply func(p *twofold.Policy, v string) error),
	integer func(func(p *twofold.Policy) *int) func(*twofold.Policy, string) error,
	duration func(func(p *twofold.Policy) *twofold.Duration) func(*twofold.Policy, string) error) {
	boolean := func(dst func(p *twofold.Policy) *bool) func(*twofold.Policy, string) error {
		return func(p *twofold.Policy, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("%q is not true or false", v)
			}
			*dst(p) = b
			return nil
		}
	}
	add("phone-text", "texts to mobile phones: true or false", boolean(func(p *twofold.Policy) *bool { return &p.Phone.Text }))
	add("phone-call", "calls to mobile phones: true or false", boolean(func(p *twofold.Policy) *bool { return &p.Phone.Call }))
	add("phone-alternate-mobile", "alternate mobile phones (called): true or false", boolean(func(p *twofold.Policy) *bool { return &p.Phone.AlternateMobile }))
	add("phone-office", "office phones (called): true or false", boolean(func(p *twofold.Policy) *bool { return &p.Phone.Office }))
	add("phone-countries", "allowed country calling codes, comma-separated (1,44); empty allows all", func(p *twofold.Policy, v string) error {
		p.Phone.AllowedCountryCodes = nil
		for _, c := range splitList(v) {
			n, err := strconv.Atoi(c)
			if err != nil {
				return fmt.Errorf("%q is not a calling code such as 1 or 44", c)
			}
			p.Phone.AllowedCountryCodes = append(p.Phone.AllowedCountryCodes, n)
		}
		return nil
	})
	add("fraud-block-duration", "how long a fraud report (0#) blocks MFA; 0s: until an admin unblocks", duration(func(p *twofold.Policy) *twofold.Duration { return &p.Phone.FraudBlockDuration }))
	add("sends-per-member", "texts and calls per member per day (1–100)", integer(func(p *twofold.Policy) *int { return &p.Phone.SendsPerMemberPerDay }))
	add("sends-per-number", "texts and calls per number per day (1–100)", integer(func(p *twofold.Policy) *int { return &p.Phone.SendsPerNumberPerDay }))
	add("sends-per-country", "texts and calls per country calling code per day", integer(func(p *twofold.Policy) *int { return &p.Phone.SendsPerCountryPerDay }))
	add("sends-per-org", "texts and calls per organization per day", integer(func(p *twofold.Policy) *int { return &p.Phone.SendsPerOrgPerDay }))
}
