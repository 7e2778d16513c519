package upload

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"sweep/experiments/model"
)

// loadRun sends clients concurrent requests of perRequest MNIST digits
// each to a handler with DefaultLimits on 127.0.0.1, checks every answer
// and returns the latencies, sorted.
func loadRun(t testing.TB, clients, perRequest int) []time.Duration {
	m, d := fixture(t)
	h, err := New([]*model.Model{m}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h) // listens on 127.0.0.1
	defer srv.Close()
	var files []file
	for i := range perRequest {
		files = append(files, file{name: fmt.Sprintf("%d.png", i), data: encodePNG(t, digit(d, i, 1))})
	}
	ct, body := multipartBody(t, files...)
	lat := make([]time.Duration, clients)
	errs := make([]string, clients)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			start := time.Now()
			a := post(t, srv.URL+"/api/predict", ct, bytes.NewReader(body))
			lat[c] = time.Since(start)
			if a.status != 200 || len(a.results) != perRequest {
				errs[c] = fmt.Sprintf("client %d: status %d (%s), %d results", c, a.status, a.msg, len(a.results))
			}
		})
	}
	wg.Wait()
	for _, e := range errs {
		if e != "" {
			t.Error(e)
		}
	}
	slices.Sort(lat)
	return lat
}

// p99 is the nearest-rank 99th percentile of sorted latencies.
func p99(lat []time.Duration) time.Duration {
	return lat[(99*len(lat)+99)/100-1]
}

// TestLoad: 50 concurrent requests of 20 images each all succeed; the
// p99 latency is logged (a measurement, not a check: speed is for
// benchmarks).
func TestLoad(t *testing.T) {
	lat := loadRun(t, 50, 20)
	t.Logf("50 requests x 20 images: p50 %v, p99 %v, max %v", lat[len(lat)/2], p99(lat), lat[len(lat)-1])
}

// BenchmarkLoad reports the p99 latency of 50 concurrent requests of 20
// images as a custom metric.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	var all []time.Duration
	for b.Loop() {
		all = append(all, loadRun(b, 50, 20)...)
	}
	slices.Sort(all)
	b.ReportMetric(float64(p99(all).Microseconds())/1000, "p99-ms")
}
