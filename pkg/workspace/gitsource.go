package workspace

import (
	"slices"
	"strings"

	"jemfix/pkg/tomledit"
)

// GitSource names the git source of dependency entry dep of m the way
// cargo tells sources apart: the repository's URL, trailing "/" and
// ".git" dropped (and lower case on github.com), and the branch, tag or
// rev the entry asks for, as in "https://github.com/o/r?rev=abc". Two
// entries with the same source reach the same packages; entries that
// differ in URL or reference are packages apart. "" when dep has no git
// field.
func (ws *Workspace) GitSource(m *Manifest, dep *tomledit.Dep) string {
	prefix := depPath(dep)
	var url, ref string
	_ = walkTOML(m.Doc.Src(), func(it tomlItem) {
		if it.header || len(it.path) != len(prefix[0])+1 {
			return
		}
		if !slices.ContainsFunc(prefix, func(p []string) bool { return slices.Equal(it.path[:len(p)], p) }) {
			return
		}
		s, ok := stringValue(it.value)
		if !ok {
			return
		}
		switch field := it.path[len(it.path)-1]; field {
		case "git":
			url = s
		case "branch", "tag", "rev":
			ref = "?" + field + "=" + s
		}
	})
	if url == "" {
		return ""
	}
	return canonicalGitURL(url) + ref
}

// depPath returns the key paths that can hold dep's fields: one for each
// spelling of its table ("dev-dependencies", "dev_dependencies").
func depPath(dep *tomledit.Dep) [][]string {
	var tables []string
	switch dep.Kind {
	case "dev":
		tables = []string{"dev-dependencies", "dev_dependencies"}
	case "build":
		tables = []string{"build-dependencies", "build_dependencies"}
	default:
		tables = []string{"dependencies"}
	}
	var out [][]string
	for _, t := range tables {
		switch {
		case dep.InWorkspace:
			out = append(out, []string{"workspace", t, dep.Key})
		case dep.Target != "":
			out = append(out, []string{"target", dep.Target, t, dep.Key})
		default:
			out = append(out, []string{t, dep.Key})
		}
	}
	return out
}

// canonicalGitURL drops what cargo ignores when it compares git URLs.
func canonicalGitURL(url string) string {
	url = strings.TrimSuffix(strings.TrimSuffix(url, "/"), ".git")
	if rest, ok := strings.CutPrefix(url, "https://github.com/"); ok {
		url = "https://github.com/" + strings.ToLower(rest)
	}
	return url
}

// LockedGitVersion returns the version Cargo.lock holds for the package
// name taken from the git source src (GitSource's form), or "".
func (ws *Workspace) LockedGitVersion(name, src string) string {
	if ws.Lock == nil {
		return ""
	}
	for _, p := range ws.Lock.Find(name) {
		if LockGitSource(p.Source) == src {
			return p.Version
		}
	}
	return ""
}

// LockGitSource returns a Cargo.lock source ("git+URL?branch=b#commit")
// in GitSource's form, or "" for a source that is not git.
func LockGitSource(source string) string {
	s, ok := strings.CutPrefix(source, "git+")
	if !ok {
		return ""
	}
	s, _, _ = strings.Cut(s, "#") // the commit it resolved to
	url, query, _ := strings.Cut(s, "?")
	ref := ""
	if query != "" {
		ref = "?" + query
	}
	return canonicalGitURL(url) + ref
}
