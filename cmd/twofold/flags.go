package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// global holds the flags every command accepts, before or after the command name.
type global struct {
	configFile string
	settings   map[string]string // setting name → value given as a flag
	help       io.Writer         // where -h/--help prints a command's flags
}

func parseGlobal(args []string, help io.Writer) (*global, []string, error) {
	g := &global{settings: map[string]string{}, help: help}
	fs := newFlagSet("twofold", g)
	fs.Usage = func() { fmt.Fprint(help, usage) }
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	return g, fs.Args(), nil
}

// newFlagSet returns a flag set that already knows the global flags.
func newFlagSet(name string, g *global) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(g.help, "Usage of twofold %s:\n", name)
		fs.SetOutput(g.help)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	fs.StringVar(&g.configFile, "config", g.configFile, "settings file")
	fs.Func("data-dir", "data directory", func(v string) error { g.settings["TWOFOLD_DATA_DIR"] = v; return nil })
	fs.Func("database", "database URL", func(v string) error { g.settings["TWOFOLD_DATABASE"] = v; return nil })
	return fs
}

// parse parses a command's flags and refuses stray arguments. -h/--help prints the
// flags and returns flag.ErrHelp, which run treats as success.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return err
	} else if err != nil {
		return fmt.Errorf("%s: %w", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q", fs.Name(), strings.Join(fs.Args(), " "))
	}
	return nil
}
