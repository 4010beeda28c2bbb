package main

import (
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// shells are the shells completion writes a script for.
var shells = []string{"bash", "zsh", "fish"}

// printCompletion prints a shell completion script built from the command
// table and the commands' flags, so that it never goes stale: every flag,
// the one-letter ones (-j, -q, -v) with one dash, the command names after
// `help`, and the shells after `completion`.
func (c *cli) printCompletion(cmd command, shell string) int {
	cmds := commandNames()
	slices.Sort(cmds)
	words := map[string][]string{"help": cmds, "completion": shells}
	for _, cmd := range commands {
		(&cli{}).flags(cmd).VisitAll(func(f *flag.Flag) { words[cmd.name] = append(words[cmd.name], dash(f.Name)) })
	}
	switch shell {
	case "bash":
		fmt.Fprint(c.stdout, bashCompletion(cmds, words))
	case "zsh":
		fmt.Fprint(c.stdout, "#compdef jemfix cargo-jemfix\nautoload -U bashcompinit && bashcompinit\n"+bashCompletion(cmds, words))
	case "fish":
		fmt.Fprint(c.stdout, fishCompletion(cmds, words))
	default:
		return c.usageError(cmd, "unknown shell %q; want bash, zsh or fish", shell)
	}
	return exitOK
}

// bashCompletion completes the command, then the words of the command
// (its flags, or the names after help and completion), then directories.
func bashCompletion(cmds []string, words map[string][]string) string {
	var b strings.Builder
	b.WriteString("# jemfix completion for bash: source <(jemfix completion bash)\n_jemfix() {\n")
	b.WriteString("  local cur=${COMP_WORDS[COMP_CWORD]} sub=${COMP_WORDS[1]}\n")
	fmt.Fprintf(&b, "  if [ \"$COMP_CWORD\" -eq 1 ]; then COMPREPLY=($(compgen -W %q -- \"$cur\")); return; fi\n", strings.Join(cmds, " "))
	b.WriteString("  case $sub in\n")
	for _, name := range slices.Sorted(maps.Keys(words)) {
		if len(words[name]) > 0 {
			fmt.Fprintf(&b, "    %s) COMPREPLY=($(compgen -W %q -- \"$cur\")) ;;\n", name, strings.Join(words[name], " "))
		}
	}
	b.WriteString("  esac\n  [ ${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=($(compgen -d -- \"$cur\"))\n}\ncomplete -F _jemfix jemfix\n")
	return b.String()
}

func fishCompletion(cmds []string, words map[string][]string) string {
	var b strings.Builder
	b.WriteString("# jemfix completion for fish: jemfix completion fish | source\n")
	fmt.Fprintf(&b, "complete -c jemfix -f -n __fish_use_subcommand -a %q\n", strings.Join(cmds, " "))
	for _, name := range slices.Sorted(maps.Keys(words)) {
		cond := fmt.Sprintf("'__fish_seen_subcommand_from %s'", name)
		var args []string
		for _, w := range words[name] {
			switch {
			case strings.HasPrefix(w, "--"):
				fmt.Fprintf(&b, "complete -c jemfix -n %s -l %s\n", cond, w[2:])
			case strings.HasPrefix(w, "-"):
				fmt.Fprintf(&b, "complete -c jemfix -n %s -s %s\n", cond, w[1:])
			default:
				args = append(args, w)
			}
		}
		if len(args) > 0 {
			fmt.Fprintf(&b, "complete -c jemfix -f -n %s -a %q\n", cond, strings.Join(args, " "))
		}
	}
	return b.String()
}
