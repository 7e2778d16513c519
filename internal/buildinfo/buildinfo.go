// Package buildinfo says which build of sweep is running: the module
// version, the commit and whether the tree was modified, from
// runtime/debug.ReadBuildInfo, and a version set at link time
// (go build -ldflags "-X sweep/internal/buildinfo.version=v1.2.3", as
// make build does) where the module has none. It is not a place for
// anything else about the process.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is set at link time (make build); empty otherwise.
var version string

// Info describes a build.
type Info struct {
	Version  string // module version, else the link-time version, else "(devel)"
	Commit   string // vcs.revision; empty when unknown
	Modified bool   // vcs.modified: the tree had uncommitted changes
	Go       string // the Go release that built it
}

// Get returns this process's build information.
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	return fromBuildInfo(bi, version)
}

// fromBuildInfo is Get for a given build info (nil when there is none) and
// link-time version.
func fromBuildInfo(bi *debug.BuildInfo, linked string) Info {
	in := Info{Version: "(devel)", Go: runtime.Version()}
	if linked != "" {
		in.Version = linked
	}
	if bi == nil {
		return in
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		in.Version = v
	}
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision":
			in.Commit = kv.Value
		case "vcs.modified":
			in.Modified = kv.Value == "true"
		}
	}
	return in
}

// String is the line sweep version prints, e.g.
// "sweep v1.2.0, commit 0123abc (modified), go1.24.1".
func (in Info) String() string {
	commit := "commit unknown"
	if in.Commit != "" {
		commit = "commit " + in.Commit
		if in.Modified {
			commit += " (modified)"
		}
	}
	return fmt.Sprintf("sweep %s, %s, %s", in.Version, commit, in.Go)
}
