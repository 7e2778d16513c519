//go:build !unix

package dirlock

import "os"

// flock does nothing where flock(2) does not exist: the directory is not
// protected there.
func flock(f *os.File) (busy bool, err error) { return false, nil }
