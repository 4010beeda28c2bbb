package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// completion prints a shell completion script built from the commands and
// their flags, so that it never goes stale.
func completion(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: jemfix completion bash|zsh|fish")
		return exitUsage
	}
	cmds := []string{"help", "version", "completion"}
	flags := map[string][]string{}
	for _, cmd := range commands {
		cmds = append(cmds, cmd.name)
		(&cli{}).flags(cmd).VisitAll(func(f *flag.Flag) { flags[cmd.name] = append(flags[cmd.name], "--"+f.Name) })
	}
	slices.Sort(cmds)
	switch args[0] {
	case "bash":
		fmt.Fprint(stdout, bashCompletion(cmds, flags))
	case "zsh":
		fmt.Fprint(stdout, "#compdef jemfix cargo-jemfix\nautoload -U bashcompinit && bashcompinit\n"+bashCompletion(cmds, flags))
	case "fish":
		fmt.Fprint(stdout, fishCompletion(cmds, flags))
	default:
		fmt.Fprintf(stderr, "jemfix completion: unknown shell %q; want bash, zsh or fish\n", args[0])
		return exitUsage
	}
	return exitOK
}

func bashCompletion(cmds []string, flags map[string][]string) string {
	var b strings.Builder
	b.WriteString("# jemfix completion for bash: source <(jemfix completion bash)\n_jemfix() {\n")
	b.WriteString("  local cur=${COMP_WORDS[COMP_CWORD]} sub=${COMP_WORDS[1]}\n")
	fmt.Fprintf(&b, "  if [ \"$COMP_CWORD\" -eq 1 ]; then COMPREPLY=($(compgen -W %q -- \"$cur\")); return; fi\n", strings.Join(cmds, " "))
	b.WriteString("  case $sub in\n")
	for _, name := range slices.Sorted(maps.Keys(flags)) {
		fmt.Fprintf(&b, "    %s) COMPREPLY=($(compgen -W %q -- \"$cur\")) ;;\n", name, strings.Join(flags[name], " "))
	}
	b.WriteString("  esac\n  [ ${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=($(compgen -d -- \"$cur\"))\n}\ncomplete -F _jemfix jemfix\n")
	return b.String()
}

func fishCompletion(cmds []string, flags map[string][]string) string {
	var b strings.Builder
	b.WriteString("# jemfix completion for fish: jemfix completion fish | source\n")
	fmt.Fprintf(&b, "complete -c jemfix -f -n __fish_use_subcommand -a %q\n", strings.Join(cmds, " "))
	for _, name := range slices.Sorted(maps.Keys(flags)) {
		for _, f := range flags[name] {
			fmt.Fprintf(&b, "complete -c jemfix -n '__fish_seen_subcommand_from %s' -l %s\n", name, strings.TrimPrefix(f, "--"))
		}
	}
	return b.String()
}
