package rustedit

// Check parses the whole of src and returns a *ParseError when tree-sitter
// reports an error: the reference that CheckChange and item parsing are
// compared with.
func Check(name string, src []byte) error {
	tree, err := parseWhole(name, src)
	if err == nil {
		tree.Close()
	}
	return err
}
