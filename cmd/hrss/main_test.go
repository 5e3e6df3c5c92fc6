package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/bff"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/insurance"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	wechatsim "github.com/dandong-hrss/hrss/integrations/wechat/sim"
)

// TestMain lets the test binary stand in for the hrss binary: with
// HRSS_TEST_BE_MAIN set it runs main with the given arguments.
func TestMain(m *testing.M) {
	if os.Getenv("HRSS_TEST_BE_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// hrss runs this binary as the hrss command.
func hrss(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), append(env, "HRSS_TEST_BE_MAIN=1")...)
	cmd.Dir = t.TempDir()
	return cmd
}

func TestServeStopsCleanlyOnSIGTERM(t *testing.T) {
	cmd := hrss(t, []string{"HRSS_ADDR=127.0.0.1:0", "HRSS_LOG_FORMAT=json"}, "serve")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })

	addr := waitForLog(t, stderr, regexp.MustCompile(`"msg":"serving","addr":"([^"]+)"`))
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz: %v %v; want 200", resp, err)
	}
	resp.Body.Close()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v; want status 0", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not stop within 15 s of SIGTERM")
	}
	if !strings.Contains(stdout.String(), "/readyz") {
		t.Errorf("embedded start should print URLs to try, printed:\n%s", stdout.String())
	}
}

// waitForLog reads log lines until re matches and returns its first group.
func waitForLog(t *testing.T, r interface{ Read([]byte) (int, error) }, re *regexp.Regexp) string {
	t.Helper()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				for sc.Scan() { // keep draining so the child never blocks on a full pipe
				}
				return
			}
		}
	}()
	select {
	case s := <-found:
		return s
	case <-time.After(30 * time.Second):
		t.Fatal("server did not log that it is serving")
	}
	return ""
}

func TestCommands(t *testing.T) {
	tests := []struct {
		name     string
		env      []string
		args     []string
		wantCode int
		wantOut  string
	}{
		{"version", nil, []string{"version"}, 0, "hrss "},
		{"help lists settings", nil, []string{"serve", "--help"}, 0, "HRSS_MYSQL_DSN"},
		{"unknown command", nil, []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"bad setting names its variable", []string{"HRSS_SHUTDOWN_GRACE=soon"}, []string{"serve"}, 1, "HRSS_SHUTDOWN_GRACE"},
		{"bad migrate action", nil, []string{"migrate", "sideways"}, 1, `unknown action "sideways"`},
		{"sample people", nil, []string{"sim", "--sample", "8"}, 0, "退休"},
		{"unknown system", nil, []string{"sim", "--system", "mainframe"}, 1, `unknown system "mainframe"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := hrss(t, tt.env, tt.args...).CombinedOutput()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			}
			if code != tt.wantCode || !strings.Contains(string(out), tt.wantOut) {
				t.Errorf("exit %d, output:\n%s\nwant exit %d and %q", code, out, tt.wantCode, tt.wantOut)
			}
		})
	}
}

func TestMigrateOnEmbeddedSQLite(t *testing.T) {
	dir := t.TempDir()
	env := []string{"HRSS_DATA_DIR=" + dir}
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"migrate", "status"}, "pending"},
		{[]string{"migrate", "up"}, "migration(s)"},
		{[]string{"migrate", "status"}, "applied"},
		{[]string{"migrate", "up"}, "applied 0 migration"},
		{[]string{"migrate", "down"}, ""},
		{[]string{"migrate", "status"}, "pending"},
	}
	for _, s := range steps {
		out, err := hrss(t, env, s.args...).CombinedOutput()
		if err != nil || !strings.Contains(string(out), s.want) {
			t.Fatalf("%v: %v\n%s\nwant %q", s.args, err, out, s.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "hrss.db")); err != nil {
		t.Errorf("SQLite file not under the data dir: %v", err)
	}
}

// hrss sim serves a system standalone; the production client reads a
// sample person from it.
func TestSimServesStandalone(t *testing.T) {
	args := []string{"sim", "--sim-core-latency-min", "0", "--sim-core-latency-max", "0"}
	for _, name := range bff.Systems {
		args = append(args, "--"+name+"-addr", "127.0.0.1:0")
	}
	cmd := hrss(t, nil, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	urls := readListing(t, stdout, len(bff.Systems))
	for _, name := range bff.Systems {
		if !strings.HasPrefix(urls[name], "http://127.0.0.1:") {
			t.Errorf("hrss sim did not start %s: got %v", name, urls)
		}
	}
	url := urls["core"]

	sample, err := hrss(t, nil, "sim", "--sample", "1").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(sample)), "\n")
	id, err := domain.ParseIDNumber(strings.Fields(lines[1])[0])
	if err != nil {
		t.Fatalf("sample line %q: %v", lines[1], err)
	}
	client := insurance.New(insurance.Config{BaseURL: url}, nil)
	p, err := client.Person(context.Background(), id)
	if err != nil {
		t.Fatalf("person %s from the standalone core: %v", id.Masked(), err)
	}
	if p.Name == "" || p.ID != id {
		t.Errorf("got %+v; want the sample person", p)
	}
}

// readListing reads hrss sim's "system URL" lines until n systems are listed.
func readListing(t *testing.T, r io.Reader, n int) map[string]string {
	t.Helper()
	done := make(chan map[string]string, 1)
	go func() {
		urls := map[string]string{}
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) >= 2 {
				urls[f[0]] = f[1]
			}
			if len(urls) == n {
				break
			}
		}
		done <- urls
		for sc.Scan() {
		}
	}()
	select {
	case urls := <-done:
		return urls
	case <-time.After(30 * time.Second):
		t.Fatal("hrss sim did not list its systems")
	}
	return nil
}

// hrss wechat menu sets the account's menu from the repo's file on the
// platform (here the fake), which then serves it.
func TestWeChatMenuCommand(t *testing.T) {
	const secret = "platform-issued-app-secret-0001"
	fake := wechatsim.New(wechatsim.Config{Seed: 1, AppSecret: secret})
	srv, err := simulator.Serve("127.0.0.1:0", fake)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close(context.Background())
	file, _ := filepath.Abs("../../deploy/wechat-menu.json")
	env := []string{"HRSS_WECHAT_URL=" + srv.URL(), "HRSS_WECHAT_APP_SECRET=" + secret}
	out, err := hrss(t, env, "wechat", "menu", file).CombinedOutput()
	if err != nil {
		t.Fatalf("hrss wechat menu: %v\n%s", err, out)
	}
	if menu := fake.Menu(); len(menu) == 0 || !strings.Contains(string(menu), "办事") {
		t.Errorf("the platform's menu after the command: %s; want the file's (办事 …)", menu)
	}
}
