package plan

import "strings"

// formatCfg writes a cfg predicate as rustfmt does in an attribute:
// `key = "value"` with spaces around `=`, `name(a, b)` with one space after
// each comma and none inside the parentheses. A predicate it cannot read
// (a raw string, a stray character) is returned as it is.
func formatCfg(pred string) string {
	var b strings.Builder
	for i := 0; i < len(pred); {
		switch c := pred[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')':
			trimSpace(&b)
			if s := b.String(); c == ')' && strings.HasSuffix(s, ",") {
				b.Reset()
				b.WriteString(s[:len(s)-1]) // a trailing comma goes
			}
			b.WriteByte(c)
			i++
		case c == ',':
			trimSpace(&b)
			b.WriteString(", ")
			i++
		case c == '=':
			trimSpace(&b)
			b.WriteString(" = ")
			i++
		case c == '"':
			j := i + 1
			for j < len(pred) && pred[j] != '"' {
				if pred[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(pred) {
				return pred
			}
			b.WriteString(pred[i : j+1])
			i = j + 1
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			j := i
			for j < len(pred) && (pred[j] == '_' || pred[j] >= 'a' && pred[j] <= 'z' || pred[j] >= 'A' && pred[j] <= 'Z' || pred[j] >= '0' && pred[j] <= '9') {
				j++
			}
			b.WriteString(pred[i:j])
			i = j
		default:
			return pred
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// trimSpace drops the spaces b ends with (after "," or "=" before a
// closing parenthesis or another separator).
func trimSpace(b *strings.Builder) {
	s := b.String()
	if t := strings.TrimRight(s, " "); len(t) != len(s) {
		b.Reset()
		b.WriteString(t)
	}
}
