package main

import (
	"slices"
	"strings"
)

// suggest returns the candidates closest to a mistyped word, for a "did
// you mean" hint: those at the smallest edit distance (insertions,
// deletions, substitutions and swaps of two neighbours each count one),
// when that distance is small for the word's length, else the candidates
// the word is a prefix of. Words shorter than three letters get no
// suggestion: too many names are that close to them.
func suggest(word string, candidates []string) []string {
	n := len([]rune(word))
	if n < 3 {
		return nil
	}
	most := 1
	if n > 5 {
		most = 2
	}
	var best []string
	bestD := most + 1
	for _, c := range candidates {
		d := editDistance(strings.ToLower(word), strings.ToLower(c))
		switch {
		case d < bestD:
			best, bestD = []string{c}, d
		case d == bestD && !slices.Contains(best, c):
			best = append(best, c)
		}
	}
	if len(best) > 0 {
		return best
	}
	for _, c := range candidates {
		if strings.HasPrefix(c, word) && !slices.Contains(best, c) {
			best = append(best, c)
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b,
// in runes: the Levenshtein distance, where swapping two neighbours
// (`scna` for `scan`) also counts one.
func editDistance(a, b string) int {
	s, t := []rune(a), []rune(b)
	// d[i][j] is the distance between s[:i] and t[:j].
	d := make([][]int, len(s)+1)
	for i := range d {
		d[i] = make([]int, len(t)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(s); i++ {
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(s)][len(t)]
}

// didYouMean formats the suggestions for word as "; did you mean X?", or
// "" when there is none; quote formats each name.
func didYouMean(word string, candidates []string, quote func(string) string) string {
	sug := suggest(word, candidates)
	if len(sug) == 0 {
		return ""
	}
	for i := range sug {
		sug[i] = quote(sug[i])
	}
	return "; did you mean " + strings.Join(sug, " or ") + "?"
}
