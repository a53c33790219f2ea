package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version prints the module version and, when the binary was built from a
// checkout, the revision it was built from, so an operator can say exactly
// what runs.
func (c *command) version(args []string) error {
	if err := parse(newFlagSet("version", c.global), args); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, versionLine(debug.ReadBuildInfo()))
	return nil
}

func versionLine(info *debug.BuildInfo, ok bool) string {
	if !ok {
		return "twofold (version unknown) " + runtime.Version()
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var vcs []string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			vcs = append(vcs, "revision "+s.Value)
		case "vcs.time":
			vcs = append(vcs, s.Value)
		case "vcs.modified":
			if s.Value == "true" {
				vcs = append(vcs, "with local changes")
			}
		}
	}
	line := "twofold " + v
	if len(vcs) > 0 {
		line += " (" + strings.Join(vcs, ", ") + ")"
	}
	return line + " " + info.GoVersion
}
