package tomledit

// intern returns b as a string, without allocating for the keys and values
// most manifests share.
func intern(b []byte) string {
	switch string(b) {
	case "package":
		return "package"
	case "name":
		return "name"
	case "version":
		return "version"
	case "edition":
		return "edition"
	case "authors":
		return "authors"
	case "description":
		return "description"
	case "license":
		return "license"
	case "repository":
		return "repository"
	case "publish":
		return "publish"
	case "build":
		return "build"
	case "workspace":
		return "workspace"
	case "members":
		return "members"
	case "exclude":
		return "exclude"
	case "resolver":
		return "resolver"
	case "dependencies":
		return "dependencies"
	case "dev-dependencies":
		return "dev-dependencies"
	case "build-dependencies":
		return "build-dependencies"
	case "target":
		return "target"
	case "features":
		return "features"
	case "default":
		return "default"
	case "path":
		return "path"
	case "optional":
		return "optional"
	case "default-features":
		return "default-features"
	case "git":
		return "git"
	case "branch":
		return "branch"
	case "lib":
		return "lib"
	case "bin":
		return "bin"
	case "2015":
		return "2015"
	case "2018":
		return "2018"
	case "2021":
		return "2021"
	case "2024":
		return "2024"
	case "0.1.0":
		return "0.1.0"
	case "1":
		return "1"
	case "2":
		return "2"
	}
	return string(b)
}
