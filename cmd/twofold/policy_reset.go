package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/twofold-id/twofold"
)

// resetFlags registers the password-reset, security-question, password-length
// and registration-campaign settings of policyFlags.
func resetFlags(add func(name, help string, apply func(p *twofold.Policy, v string) error),
	integer func(func(p *twofold.Policy) *int) func(*twofold.Policy, string) error) {
	add("reset", "self-service password reset: on or off", func(p *twofold.Policy, v string) error {
		switch strings.ToLower(v) {
		case "on", "true":
			p.Reset.Enabled = true
		case "off", "false":
			p.Reset.Enabled = false
		default:
			return fmt.Errorf("%q is not on or off", v)
		}
		return nil
	})
	add("reset-methods-required", "how many methods a member proves at reset: 1 or 2 (admins always 2)",
		integer(func(p *twofold.Policy) *int { return &p.Reset.MethodsRequired }))
	add("reset-methods", "methods that count for reset, comma-separated (softwareOath, phone, fido2, email, securityQuestions)", func(p *twofold.Policy, v string) error {
		var kinds []twofold.MethodKind
		var bad []string
		for _, k := range splitList(v) {
			switch kind := twofold.MethodKind(k); kind {
			case twofold.KindSoftwareOath, twofold.KindPhone, twofold.KindFido2, twofold.KindEmail, twofold.KindSecurityQuestions:
				if !slices.Contains(kinds, kind) {
					kinds = append(kinds, kind)
				}
			default:
				bad = append(bad, fmt.Sprintf("%q is not a method that can count for reset", k))
			}
		}
		if len(bad) > 0 {
			return fmt.Errorf("%s; choose from softwareOath, phone, fido2, email and securityQuestions", strings.Join(bad, "; "))
		}
		p.Reset.Methods = kinds
		return nil
	})
	add("questions-to-register", "security questions a member answers when registering (3–5)",
		integer(func(p *twofold.Policy) *int { return &p.Questions.ToRegister }))
	add("questions-to-reset", "security questions a reset asks (3–5, at most --questions-to-register)",
		integer(func(p *twofold.Policy) *int { return &p.Questions.ToReset }))
	// The first --custom-question of a command line replaces the organization's
	// list, later ones add to it; so the whole list is given at once, and
	// --custom-question "" alone empties it.
	replaced := false
	add("custom-question", "one of the organization's own security questions; repeat it for each, the questions given replace the list (\"\" empties it)", func(p *twofold.Policy, v string) error {
		if !replaced {
			p.Questions.Custom = nil
			replaced = true
		}
		if v != "" {
			p.Questions.Custom = append(p.Questions.Custom, v)
		}
		return nil
	})
	add("custom-questions-file", "a file with the organization's own security questions, one a line; replaces the list", func(p *twofold.Policy, v string) error {
		b, err := os.ReadFile(v)
		if err != nil {
			return fmt.Errorf("can't read %s: %v", v, describeFileError(err))
		}
		p.Questions.Custom = nil
		for _, line := range strings.Split(string(b), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				p.Questions.Custom = append(p.Questions.Custom, line)
			}
		}
		return nil
	})
	add("min-password-length", "the shortest new password allowed (8–64; at least 15 without two-step verification)",
		integer(func(p *twofold.Policy) *int { return &p.MinPasswordLength }))
	add("snooze-days", "days a member may put off registering reset methods, per snooze (0–14; 0 allows no snooze; at most 3 snoozes)",
		integer(func(p *twofold.Policy) *int { return &p.Campaign.SnoozeDays }))
}

// describeFileError says why a file could not be read without repeating its path.
func describeFileError(err error) string {
	switch {
	case os.IsNotExist(err):
		return "no such file"
	case os.IsPermission(err):
		return "permission denied"
	}
	return "it is not a readable file"
}

// resetSettingFlags names the flag of each setting above, by its JSON path.
var resetSettingFlags = map[string]string{
	"reset.enabled": "--reset", "reset.methodsRequired": "--reset-methods-required",
	"reset.methods":                   "--reset-methods",
	"securityQuestions.toRegister":    "--questions-to-register",
	"securityQuestions.toReset":       "--questions-to-reset",
	"securityQuestions.custom":        "--custom-question or --custom-questions-file",
	"minPasswordLength":               "--min-password-length",
	"registrationCampaign.snoozeDays": "--snooze-days",
}
