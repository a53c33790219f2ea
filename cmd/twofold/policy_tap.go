package main

import (
	"fmt"
	"strconv"

	"github.com/twofold-id/twofold"
)

// tapFlags registers the Temporary Access Pass settings of policyFlags, the
// same ones the console's policy form offers.
func tapFlags(add func(name, help string, apply func(p *twofold.Policy, v string) error),
	duration func(func(p *twofold.Policy) *twofold.Duration) func(*twofold.Policy, string) error) {
	add("tap-default-lifetime", "a Temporary Access Pass's lifetime unless the admin picks another (10m up to --tap-max-lifetime)",
		duration(func(p *twofold.Policy) *twofold.Duration { return &p.TemporaryAccessPass.DefaultLifetime }))
	add("tap-max-lifetime", "the longest lifetime an admin may give a Temporary Access Pass (10m to 720h)",
		duration(func(p *twofold.Policy) *twofold.Duration { return &p.TemporaryAccessPass.MaxLifetime }))
	add("tap-one-time", "every Temporary Access Pass usable once only: true or false", func(p *twofold.Policy, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%q is not true or false", v)
		}
		p.TemporaryAccessPass.OneTimeOnly = b
		return nil
	})
}

// tapSettingFlags names the flag of each setting above, by its JSON path.
var tapSettingFlags = map[string]string{
	"temporaryAccessPass.defaultLifetime": "--tap-default-lifetime",
	"temporaryAccessPass.maxLifetime":     "--tap-max-lifetime",
	"temporaryAccessPass.oneTimeOnly":     "--tap-one-time",
}
