package bff

import (
	"bytes"
	"flag"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// testKeys are data keys for tests that run in production mode.
var testKeys = map[string]string{
	"HRSS_DATA_KEYS":          "t1:00112233445566778899aabbccddeeff",
	"HRSS_DATA_ACTIVE_KEY":    "t1",
	"HRSS_DATA_INDEX_KEY":     "ffeeddccbbaa99887766554433221100",
	"HRSS_CACHE_HASH_KEY":     "test-cache-hash-key-0001",
	"HRSS_APP_JWT_KEYS":       "t1:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
	"HRSS_APP_JWT_ACTIVE_KEY": "t1",
}

func with(m map[string]string, extra map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

func TestConfigDefaultsAreTheEmbeddedMode(t *testing.T) {
	c := NewConfig("hrss serve")
	if err := c.Parse(nil, env(nil)); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || !c.Embedded() || !c.EmbeddedRedis() || !c.Migrate {
		t.Errorf("defaults: addr %q embedded %v redis embedded %v migrate %v; want 127.0.0.1:8080, embedded, migrate on",
			c.Addr, c.Embedded(), c.EmbeddedRedis(), c.Migrate)
	}
	if got, want := c.SQLitePath(), "var/hrss.db"; got != want {
		t.Errorf("SQLite path: got %q; want %q", got, want)
	}
}

func TestConfigEnvironmentThenFlags(t *testing.T) {
	c := NewConfig("hrss serve")
	err := c.Parse([]string{"-addr", "127.0.0.1:9999"}, env(with(testKeys, map[string]string{
		"HRSS_ADDR":           "127.0.0.1:7000",
		"HRSS_MYSQL_DSN":      "hrss:s3cret@tcp(db:3306)/hrss",
		"HRSS_REDIS_ADDRS":    "r1:6379, r2:6379,r3:6379",
		"HRSS_SHUTDOWN_GRACE": "5s",
	})))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9999" {
		t.Errorf("flag should win over environment: got %q", c.Addr)
	}
	if c.Embedded() || len(c.RedisAddrs) != 3 || c.RedisAddrs[1] != "r2:6379" || c.ShutdownGrace != 5*time.Second {
		t.Errorf("environment not applied: %+v", c)
	}
}

func TestConfigBadValuesNameTheVariable(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"HRSS_SHUTDOWN_GRACE": "soon"}, "HRSS_SHUTDOWN_GRACE"},
		{map[string]string{"HRSS_MYSQL_MAX_OPEN": "many"}, "HRSS_MYSQL_MAX_OPEN"},
		{map[string]string{"HRSS_MYSQL_MAX_OPEN": "0"}, "HRSS_MYSQL_MAX_OPEN: must be positive"},
		{map[string]string{"HRSS_ADDR": "8080"}, "HRSS_ADDR: want host:port"},
		{map[string]string{"HRSS_LOG_FORMAT": "xml"}, "HRSS_LOG_FORMAT"},
		{map[string]string{"HRSS_MYSQL_DSN": "not a dsn"}, "HRSS_MYSQL_DSN"},
		{map[string]string{"HRSS_REDIS_MASTER": "mymaster"}, "HRSS_REDIS_MASTER: needs HRSS_REDIS_ADDRS"},
		{map[string]string{"HRSS_REDIS_ADDRS": "a:1,b:2", "HRSS_REDIS_DB": "3"}, "HRSS_REDIS_DB: a Redis cluster"},
		{map[string]string{"HRSS_MIGRATE": "perhaps"}, "HRSS_MIGRATE"},
		{map[string]string{"HRSS_MYSQL_DSN": "u@tcp(db:3306)/x"}, "HRSS_DATA_KEYS: must be set in production"},
		{map[string]string{"HRSS_SMS_URL": "http://sms.internal"}, "HRSS_SMS_URL: points at a real system"},
		{map[string]string{"HRSS_SMS_URL": "http://10.0.0.7:9102"}, "HRSS_SMS_URL: points at a real system"},
		{map[string]string{"HRSS_DEBUG_ADDR": "0.0.0.0:6060"}, "HRSS_DEBUG_ADDR: want a loopback"},
		{map[string]string{"HRSS_PROXY_HEADER": "X-Real-IP"}, "HRSS_TRUSTED_PROXIES: must name the load balancers"},
		{map[string]string{"HRSS_TRUSTED_PROXIES": "10.0.0.0/33"}, "HRSS_TRUSTED_PROXIES: want addresses or CIDRs"},
	}
	for _, tt := range tests {
		err := NewConfig("hrss serve").Parse(nil, env(tt.env))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: got error %v; want one containing %q", tt.env, err, tt.want)
		}
	}
}

// The load test runs the simulators under `hrss sim`, on this machine, with
// their own keys: that is not a real system.
func TestConfigSimulatorKeysOnLoopback(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:9102", "http://localhost:9102", "http://[::1]:9102"} {
		if err := NewConfig("hrss serve").Parse(nil, env(map[string]string{"HRSS_SMS_URL": u})); err != nil {
			t.Errorf("HRSS_SMS_URL=%s with the simulator's key: %v", u, err)
		}
	}
}

func TestConfigSecretsMasked(t *testing.T) {
	c := NewConfig("hrss serve")
	if err := c.Parse(nil, env(with(testKeys, map[string]string{
		"HRSS_MYSQL_DSN": "hrss:s3cret@tcp(db:3306)/hrss", "HRSS_REDIS_PASSWORD": "r3dis", "HRSS_REDIS_ADDRS": "r:6379"}))); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	c.Print(&b)
	for k, v := range c.Settings() {
		b.WriteString(k + "=" + v + "\n")
	}
	out := b.String()
	if strings.Contains(out, "s3cret") || strings.Contains(out, "r3dis") || strings.Contains(out, "00112233445566778899") || strings.Contains(out, "ffeeddcc") {
		t.Errorf("secret printed:\n%s", out)
	}
	if !strings.Contains(out, "hrss:****@tcp(db:3306)/hrss") || !strings.Contains(out, "r:6379") {
		t.Errorf("settings should keep the DSN's shape and the Redis address:\n%s", out)
	}
}

func TestConfigHelpListsEverySetting(t *testing.T) {
	c := NewConfig("hrss serve")
	var b bytes.Buffer
	c.FlagSet().SetOutput(&b)
	if err := c.Parse([]string{"--help"}, env(nil)); err != flag.ErrHelp {
		t.Fatalf("got %v; want flag.ErrHelp", err)
	}
	c.FlagSet().VisitAll(func(f *flag.Flag) {
		if !strings.Contains(b.String(), "-"+f.Name+"  ("+EnvName(f.Name)+")") {
			t.Errorf("help lacks %s", f.Name)
		}
	})
	if !strings.Contains(b.String(), "(default 127.0.0.1:8080)") {
		t.Errorf("help lacks defaults:\n%s", b.String())
	}
}
