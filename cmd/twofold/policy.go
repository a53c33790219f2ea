package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
)

func (c *command) policy(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("policy: say show or set")
	}
	fs := newFlagSet("policy "+args[0], c.global)
	orgDomain := fs.String("org", "", "organization (a domain of it); required")
	switch args[0] {
	case "show":
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		if *orgDomain == "" {
			return errors.New(orgRequired)
		}
		return c.withOpenApp(func(a *app) error {
			org, err := a.admin.Org(c.ctx, *orgDomain)
			if err != nil {
				return err
			}
			return printPolicy(c, org.Policy)
		})
	case "set":
		edits := policyFlags(fs)
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		var problems []string
		if *orgDomain == "" {
			problems = append(problems, orgRequired)
		}
		if len(*edits) == 0 {
			problems = append(problems, "name at least one setting to change; twofold policy set --help lists them")
		}
		if len(problems) > 0 {
			return &cliProblems{what: "policy set", list: problems}
		}
		return c.withOpenApp(func(a *app) error {
			org, err := a.admin.Org(c.ctx, *orgDomain)
			if err != nil {
				return err
			}
			p, err := editPolicy(org.Policy, *edits)
			if err != nil {
				return err
			}
			if err := a.admin.UpdatePolicy(c.ctx, cliActor, org, p); err != nil {
				if list := flagProblems(admin.Problems(err)); len(list) > 0 {
					return &cliProblems{what: "policy set", list: list}
				}
				var e *twofold.Error
				if errors.As(err, &e) && e.Field != "" {
					return &cliProblems{what: "policy set", list: []string{policyFlagOf(e.Field) + ": " + e.Message}}
				}
				return err
			}
			return printPolicy(c, p)
		})
	}
	return fmt.Errorf("policy: unknown subcommand %q", args[0])
}

const orgRequired = "--org is required: the organization's domain"

// cliProblems lists every problem of one command line at once.
type cliProblems struct {
	what string
	list []string
}

func (e *cliProblems) Error() string {
	if len(e.list) == 1 {
		return e.what + ": " + e.list[0]
	}
	return fmt.Sprintf("%s: %d problems:\n  - %s", e.what, len(e.list), strings.Join(e.list, "\n  - "))
}

// editPolicy applies the edits to a copy of current and returns it, or every
// problem at once: each flag that does not parse, and each setting the edited
// policy would have wrong, as the admin console judges them
// (admin.PolicyProblems), so the command line and the console agree.
func editPolicy(current twofold.Policy, edits []policyEdit) (twofold.Policy, error) {
	p := clonePolicy(current)
	var problems []string
	for _, e := range edits {
		if err := e.apply(&p); err != nil {
			problems = append(problems, "--"+e.flag+": "+err.Error())
		}
	}
	problems = append(problems, flagProblems(admin.PolicyProblems(p))...)
	if len(problems) > 0 {
		return p, &cliProblems{what: "policy set", list: problems}
	}
	return p, nil
}

// flagProblems names each policy problem by the flag that sets it.
func flagProblems(errs []error) []string {
	var out []string
	for _, err := range errs {
		var e *twofold.Error
		if errors.As(err, &e) && e.Field != "" {
			out = append(out, policyFlagOf(e.Field)+": "+e.Message)
		}
	}
	return out
}

func clonePolicy(p twofold.Policy) twofold.Policy {
	p.EnabledMethods = slices.Clone(p.EnabledMethods)
	p.Phone.AllowedCountryCodes = slices.Clone(p.Phone.AllowedCountryCodes)
	p.AllowedAAGUIDs = slices.Clone(p.AllowedAAGUIDs)
	p.Reset.Methods = slices.Clone(p.Reset.Methods)
	p.Questions.Custom = slices.Clone(p.Questions.Custom)
	return p
}

// policyFlagOf names the flag that sets a policy setting, given the setting's
// JSON path as the domain's field errors name it.
func policyFlagOf(field string) string {
	if f, ok := policySettingFlags[field]; ok {
		return f
	}
	if f, ok := resetSettingFlags[field]; ok {
		return f
	}
	if f, ok := tapSettingFlags[field]; ok {
		return f
	}
	return field
}

var policySettingFlags = map[string]string{
	"mfaRequired": "--mfa-required", "enabledMethods": "--methods, --enable or --disable",
	"maxAuthenticatorApps": "--max-authenticator-apps", "lockoutThreshold": "--lockout-threshold",
	"lockoutDuration": "--lockout-duration", "mfaFailureLimit": "--mfa-failure-limit",
	"mfaBlockDuration": "--mfa-block-duration", "helpdeskContact": "--helpdesk-contact",
	"phone": "--phone-text, --phone-call or --phone-office", "phone.alternateMobile": "--phone-alternate-mobile",
	"phone.fraudBlockDuration": "--fraud-block-duration", "phone.sendsPerMemberPerDay": "--sends-per-member",
	"phone.sendsPerNumberPerDay": "--sends-per-number", "phone.sendsPerCountryPerDay": "--sends-per-country",
	"phone.sendsPerOrgPerDay": "--sends-per-org", "phone.allowedCountryCodes": "--phone-countries",
	"maxSecurityKeys": "--max-security-keys", "allowedAAGUIDs": "--allowed-aaguids",
}

// offeredMethods are the kinds members can set up with this build; enabling
// any other would show members a method they cannot register.
var offeredMethods = []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone, twofold.KindFido2,
	twofold.KindEmail, twofold.KindSecurityQuestions, twofold.KindTemporaryAccessPass}

// checkOffered refuses newly enabling a kind this build can't offer.
func checkOffered(p *twofold.Policy, k twofold.MethodKind) error {
	if slices.Contains(offeredMethods, k) || p.MethodEnabled(k) {
		return nil
	}
	return fmt.Errorf("%q is not a method; this build offers softwareOath (authenticator app), phone, fido2 (security key), email and securityQuestions", k)
}

func printPolicy(c *command, p twofold.Policy) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

// policyEdit is one policy flag as given: which flag, and its change.
type policyEdit struct {
	flag  string
	apply func(*twofold.Policy) error
}

// policyFlags registers one flag per policy setting; each given flag becomes an edit
// applied in order to the current policy.
func policyFlags(fs *flag.FlagSet) *[]policyEdit {
	var edits []policyEdit
	add := func(name, help string, apply func(p *twofold.Policy, v string) error) {
		fs.Func(name, help, func(v string) error {
			edits = append(edits, policyEdit{flag: name, apply: func(p *twofold.Policy) error { return apply(p, v) }})
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
	add("methods", "enabled methods, comma-separated (softwareOath, phone)", func(p *twofold.Policy, v string) error {
		var kinds []twofold.MethodKind
		var bad []string
		for _, k := range splitList(v) {
			if err := checkOffered(p, twofold.MethodKind(k)); err != nil {
				bad = append(bad, err.Error())
			}
			kinds = append(kinds, twofold.MethodKind(k))
		}
		if len(bad) > 0 {
			return errors.New(strings.Join(bad, "; "))
		}
		p.EnabledMethods = kinds
		return nil
	})
	add("enable", "enable one method (softwareOath, phone, fido2, email or securityQuestions)", func(p *twofold.Policy, v string) error {
		if err := checkOffered(p, twofold.MethodKind(v)); err != nil {
			return err
		}
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
	keyFlags(add, integer)
	add("lockout-threshold", "wrong passwords before a lock (3–100)", integer(func(p *twofold.Policy) *int { return &p.LockoutThreshold }))
	add("lockout-duration", "first lock's length", duration(func(p *twofold.Policy) *twofold.Duration { return &p.LockoutDuration }))
	add("mfa-failure-limit", "wrong codes before MFA is blocked (10–100)", integer(func(p *twofold.Policy) *int { return &p.MFAFailureLimit }))
	add("mfa-block-duration", "how long MFA stays blocked", duration(func(p *twofold.Policy) *twofold.Duration { return &p.MFABlockDuration }))
	add("helpdesk-contact", "shown to members who need help", func(p *twofold.Policy, v string) error {
		p.HelpdeskContact = v
		return nil
	})
	phoneFlags(add, integer, duration)
	resetFlags(add, integer)
	tapFlags(add, duration)
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
