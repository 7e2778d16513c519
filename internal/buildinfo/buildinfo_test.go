package buildinfo

import (
	"runtime"
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	gover := runtime.Version()
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "0123abc"}, {Key: "vcs.modified", Value: "true"}}
	for _, tc := range []struct {
		name   string
		bi     *debug.BuildInfo
		linked string
		want   string
	}{
		{"no build info", nil, "", "sweep (devel), commit unknown, " + gover},
		{"devel, linked version", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "v0.3.0-5-gabc", "sweep v0.3.0-5-gabc, commit unknown, " + gover},
		{"module version wins", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "v0.3.0", "sweep v1.2.0, commit unknown, " + gover},
		{"modified tree", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs}, "", "sweep (devel), commit 0123abc (modified), " + gover},
		{"clean tree", &debug.BuildInfo{Settings: vcs[:1]}, "", "sweep (devel), commit 0123abc, " + gover},
	} {
		if got := fromBuildInfo(tc.bi, tc.linked).String(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
