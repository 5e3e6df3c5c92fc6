package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// setupClient sends the setting-up requests: many at once to one server.
var setupClient = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
	MaxIdleConns: 512, MaxIdleConnsPerHost: 256, IdleConnTimeout: 90 * time.Second}}

// call sends one request (in as JSON when not nil) and, on a 2xx answer,
// decodes it into out (when not nil). It returns the status and the raw
// answer; err is for no answer at all or an answer out cannot hold.
func call(method, url string, header http.Header, in, out any) (int, []byte, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		return 0, nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := setupClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, raw, err
	}
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, raw, fmt.Errorf("%s %s: answer is not the JSON expected: %w", method, url, err)
		}
	}
	return resp.StatusCode, raw, nil
}

// bearer is the Authorization header of a signed-in request.
func bearer(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }

// clip shortens an answer for an error message.
func clip(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:300], "") + "…" // whole characters only
	}
	return s
}

// statusError is an answer other than the one a setting-up step wanted.
func statusError(what string, status int, body []byte, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%s: %d %s", what, status, clip(body))
}

// parallel runs fn for every item on workers goroutines and returns the
// items it succeeded for, in their order. A few failures are dropped with a
// word on stderr (a setup of thousands should not die of one slow answer);
// more than maxFail of them fail the whole setup with the first errors.
func parallel[T any](what string, items []T, workers int, maxFail float64, fn func(T) error) ([]T, error) {
	start := time.Now()
	ok := make([]bool, len(items))
	var next, done atomic.Int64
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	stop := make(chan struct{})
	go func() { // progress, for setups that take a while
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				fmt.Fprintf(os.Stderr, "  %s: %d of %d after %s\n", what, done.Load(), len(items), time.Since(start).Round(time.Second))
			}
		}
	}()
	for range min(workers, len(items)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(items) {
					return
				}
				if err := fn(items[i]); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				} else {
					ok[i] = true
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	close(stop)
	var out []T
	for i, item := range items {
		if ok[i] {
			out = append(out, item)
		}
	}
	if len(errs) > 0 {
		if float64(len(errs)) > maxFail*float64(len(items)) {
			var b strings.Builder
			for _, e := range errs[:min(len(errs), 5)] {
				b.WriteString("\n  " + e.Error())
			}
			return nil, fmt.Errorf("%s: %d of %d failed, first:%s", what, len(errs), len(items), b.String())
		}
		fmt.Fprintf(os.Stderr, "  %s: dropped %d of %d (first: %v)\n", what, len(errs), len(items), errs[0])
	}
	return out, nil
}
