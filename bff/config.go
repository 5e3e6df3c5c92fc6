package bff

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/dandong-hrss/hrss/channels/admin"
	"github.com/go-sql-driver/mysql"

	countersim "github.com/dandong-hrss/hrss/integrations/counter/sim"
	empsim "github.com/dandong-hrss/hrss/integrations/employment/sim"
	paysim "github.com/dandong-hrss/hrss/integrations/payment/sim"
	provsim "github.com/dandong-hrss/hrss/integrations/province/sim"
	smssim "github.com/dandong-hrss/hrss/integrations/sms/sim"
	"github.com/dandong-hrss/hrss/integrations/wechat"
	wechatsim "github.com/dandong-hrss/hrss/integrations/wechat/sim"
)

// Config is every setting of the server, parsed once at start. Each field is
// a flag (-mysql-dsn) and an environment variable (HRSS_MYSQL_DSN) derived
// from the flag's name; a flag given on the command line wins over the
// environment, and the environment over the default registered here. Nothing
// else in the program reads the environment.
type Config struct {
	Addr      string // listen address
	DebugAddr string // Go's profiler, on loopback; "" off
	DataDir   string // embedded mode: SQLite file and stored uploads

	LogFormat string // text | json; empty picks text when embedded, json otherwise
	LogLevel  string // debug | info | warn | error

	MySQLDSN             string
	MySQLMaxOpen         int
	MySQLMaxIdle         int
	MySQLConnMaxLifetime time.Duration

	RedisAddrs    []string // one → single node, several → cluster, with RedisMaster → sentinel
	RedisMaster   string
	RedisUsername string
	RedisPassword string
	RedisDB       int
	RedisPrefix   string
	RedisPoolSize int

	Migrate bool // apply schema migrations at start

	BodyLimit      int           // bytes
	ProxyHeader    string        // the header the load balancer puts the client's address in; "" none
	TrustedProxies []string      // who may set it: the load balancers' addresses or CIDRs
	ReadTimeout    time.Duration // whole request read
	WriteTimeout   time.Duration // whole response write
	IdleTimeout    time.Duration // keep-alive
	RequestTimeout time.Duration // deadline on a handler's context
	ShutdownGrace  time.Duration // in-flight requests may finish within this

	// External systems. An empty URL runs that system's simulator in-process.
	CoreURL              string
	CoreTimeout          time.Duration
	SMSURL               string
	SMSAppID             string
	SMSAppKey            string
	ProvinceURL          string
	ProvinceAppID        string
	ProvinceAppKey       string
	PaymentURL           string
	PaymentAppID         string
	PaymentAppKey        string
	WeChatURL            string
	WeChatAppID          string
	WeChatAppSecret      string
	WeChatToken          string
	WeChatAESKey         string
	CounterURL           string
	CounterToken         string
	CounterWebhookSecret string
	CounterPollEvery     time.Duration
	PublicURL            string // how citizens and other systems reach this server
	EmploymentURL        string
	EmploymentAppID      string
	EmploymentAppKey     string

	// The app channel's access tokens (JWT) and the terminals allowed to
	// verify e-card QR codes.
	AppJWTKeys      string
	AppJWTActiveKey string
	AppTerminalKeys string

	// AdminTokens are the staff allowed into /admin/v1:
	// token:staffid:role[:display name], comma separated.
	AdminTokens string
	// LargeAmountPremium is the yearly premium per insured employee of the
	// large-amount medical insurance (大额医疗保险), in yuan, as the bureau's
	// notice of the year sets it; "0" stops the kiosk printing that slip.
	LargeAmountPremium string

	Sim SimConfig // the in-process simulators

	// Keys sealing personal data at rest (SM4-GCM) and indexing it (SM3-HMAC).
	// Empty in the embedded default: keys are generated once under DataDir.
	DataKeys      string
	DataActiveKey string
	DataIndexKey  string

	// CacheHashKey keys the hash that stands for ID numbers and device ids
	// in Redis keys; instances sharing Redis share it. Empty in the
	// embedded default: a random key per start (its Redis starts empty).
	CacheHashKey string
	// Limits are the rate budgets (GCRA) per subject kind.
	Limits limit.Config

	fs      *flag.FlagSet
	secrets map[string]bool // flag names whose values are masked when printed
}

// EnvPrefix starts the name of every environment variable the server reads.
const EnvPrefix = "HRSS_"

// Embedded reports whether the server runs on its in-process defaults
// (SQLite, miniredis, simulators) rather than on MySQL and a real Redis.
func (c *Config) Embedded() bool { return c.MySQLDSN == "" }

// EmbeddedRedis reports whether Redis runs in-process.
func (c *Config) EmbeddedRedis() bool { return len(c.RedisAddrs) == 0 }

// NewConfig returns a Config holding the defaults, with its flag set ready.
// name is the command name shown in usage.
func NewConfig(name string) *Config {
	c := &Config{secrets: map[string]bool{}}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	c.fs = fs
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:8080", "listen address")
	fs.StringVar(&c.DebugAddr, "debug-addr", "", "loopback address serving Go's profiler (/debug/pprof/) for diagnosing load; empty: off")
	fs.StringVar(&c.DataDir, "data-dir", "./var", "directory for the embedded SQLite database and stored files")
	fs.StringVar(&c.LogFormat, "log-format", "", "log format: text or json (default text when embedded, json otherwise)")
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug, info, warn or error")

	fs.StringVar(&c.MySQLDSN, "mysql-dsn", "", "MySQL DSN (user:pass@tcp(host:3306)/db); empty runs on embedded SQLite")
	c.secrets["mysql-dsn"] = true
	fs.IntVar(&c.MySQLMaxOpen, "mysql-max-open", 64, "most open MySQL connections")
	fs.IntVar(&c.MySQLMaxIdle, "mysql-max-idle", 32, "most idle MySQL connections kept")
	fs.DurationVar(&c.MySQLConnMaxLifetime, "mysql-conn-max-lifetime", 5*time.Minute, "recycle MySQL connections after this")

	fs.Var((*listValue)(&c.RedisAddrs), "redis-addrs", "Redis addresses, comma separated: one → single node, several → cluster; empty runs an in-process Redis")
	fs.StringVar(&c.RedisMaster, "redis-master", "", "Redis sentinel master name; with it, redis-addrs are the sentinels")
	fs.StringVar(&c.RedisUsername, "redis-username", "", "Redis ACL user name")
	fs.StringVar(&c.RedisPassword, "redis-password", "", "Redis password")
	c.secrets["redis-password"] = true
	fs.IntVar(&c.RedisDB, "redis-db", 0, "Redis database number (single node and sentinel only)")
	fs.StringVar(&c.RedisPrefix, "redis-prefix", "hrss:", "prefix of every Redis key this server writes")
	fs.IntVar(&c.RedisPoolSize, "redis-pool-size", 128, "most Redis connections per node")

	fs.BoolVar(&c.Migrate, "migrate", true, "apply schema migrations at start")

	fs.StringVar(&c.ProxyHeader, "proxy-header", "", "header in which the load balancer passes the client's address (X-Real-IP, set by the balancer, not passed on from the client); empty: the peer's address. Rate limits of anonymous routes are per client address")
	fs.Var((*listValue)(&c.TrustedProxies), "trusted-proxies", "load balancers' addresses or CIDRs, comma separated, whose proxy header is believed; required with HRSS_PROXY_HEADER")
	fs.IntVar(&c.BodyLimit, "body-limit", 12<<20, "largest request body accepted, in bytes (an uploaded material may be 10 MB)")
	fs.DurationVar(&c.ReadTimeout, "read-timeout", 15*time.Second, "time allowed to read a whole request")
	fs.DurationVar(&c.WriteTimeout, "write-timeout", 30*time.Second, "time allowed to write a whole response")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", 60*time.Second, "keep-alive connections idle longer are closed")
	fs.DurationVar(&c.RequestTimeout, "request-timeout", 10*time.Second, "deadline of a request's work, downstream calls included")
	fs.DurationVar(&c.ShutdownGrace, "shutdown-grace", 20*time.Second, "on SIGTERM, time in-flight requests get to finish")

	fs.StringVar(&c.CoreURL, "core-url", "", "base URL of the business core (社保经办系统); empty runs its simulator in-process")
	fs.DurationVar(&c.CoreTimeout, "core-timeout", 3*time.Second, "time one call to the business core may take")
	fs.StringVar(&c.SMSURL, "sms-url", "", "base URL of the SMS platform (短信平台); empty runs its simulator in-process")
	fs.StringVar(&c.SMSAppID, "sms-app-id", smssim.DefaultAppID, "app id at the SMS platform")
	fs.StringVar(&c.SMSAppKey, "sms-app-key", smssim.DefaultAppKey, "app key at the SMS platform")
	c.secrets["sms-app-key"] = true
	fs.StringVar(&c.ProvinceURL, "province-url", "", "base URL of the provincial platforms (省转移平台, 省电子社保卡平台); empty runs their simulator in-process")
	fs.StringVar(&c.ProvinceAppID, "province-app-id", provsim.DefaultAppID, "app id at the provincial platforms")
	fs.StringVar(&c.ProvinceAppKey, "province-app-key", provsim.DefaultAppKey, "app key at the provincial platforms")
	c.secrets["province-app-key"] = true
	fs.StringVar(&c.PaymentURL, "payment-url", "", "base URL of the payment channel (缴费渠道); empty runs its simulator in-process")
	fs.StringVar(&c.PaymentAppID, "payment-app-id", paysim.DefaultAppID, "merchant id at the payment channel")
	fs.StringVar(&c.PaymentAppKey, "payment-app-key", paysim.DefaultAppKey, "merchant key at the payment channel")
	c.secrets["payment-app-key"] = true
	fs.StringVar(&c.WeChatURL, "wechat-url", "", "base URL of the WeChat platform APIs ("+wechat.RealBaseURL+" in production); empty runs a fake in-process")
	fs.StringVar(&c.WeChatAppID, "wechat-app-id", wechatsim.DefaultAppID, "the official account's AppID")
	fs.StringVar(&c.WeChatAppSecret, "wechat-app-secret", wechatsim.DefaultAppSecret, "the official account's AppSecret")
	fs.StringVar(&c.WeChatToken, "wechat-token", wechatsim.DefaultToken, "the token that signs WeChat's callbacks to us")
	fs.StringVar(&c.WeChatAESKey, "wechat-aes-key", wechatsim.DefaultEncodingAESKey, "EncodingAESKey of the callback's safe mode")
	fs.StringVar(&c.CounterURL, "counter-url", "", "base URL of the counter acceptance and dispatch core (综合柜员制受理); empty runs its simulator in-process")
	fs.StringVar(&c.CounterToken, "counter-token", countersim.DefaultAPIToken, "the BFF's bearer token at the counter core")
	fs.StringVar(&c.CounterWebhookSecret, "counter-webhook-secret", countersim.DefaultWebhookSecret, "secret that signs the counter core's event webhooks")
	fs.DurationVar(&c.CounterPollEvery, "counter-poll-every", time.Minute, "how often to poll the counter core for case events the webhook missed")
	fs.StringVar(&c.EmploymentURL, "employment-url", "", "base URL of the employment system (就业系统); empty runs its simulator in-process")
	fs.StringVar(&c.EmploymentAppID, "employment-app-id", empsim.DefaultAppID, "app id at the employment system")
	fs.StringVar(&c.EmploymentAppKey, "employment-app-key", empsim.DefaultAppKey, "app key at the employment system")
	fs.StringVar(&c.AppJWTKeys, "app-jwt-keys", "", "keys signing the app's access tokens: kid:<64+ hex>[,kid:<hex>…]; empty generates one per start (embedded only)")
	fs.StringVar(&c.AppJWTActiveKey, "app-jwt-active-key", "", "kid of the key new access tokens are signed with")
	fs.StringVar(&c.AppTerminalKeys, "app-terminal-keys", "", "counter and partner terminals allowed to verify e-card QR codes: id:secret[,id:secret…]")
	fs.StringVar(&c.AdminTokens, "admin-tokens", "", "staff of the back office: token:staffid:admin|operator[:name], comma separated; empty: a generated token in data-dir (embedded only)")
	fs.StringVar(&c.LargeAmountPremium, "large-amount-premium", "96.00", "yearly large-amount medical insurance premium per insured employee, in yuan, from the bureau's notice of the year (check it)")
	fs.StringVar(&c.PublicURL, "public-url", "", "the server's public base URL (QR codes on prints, webhooks); empty: http://<addr>")
	for _, name := range []string{"wechat-app-secret", "wechat-token", "wechat-aes-key", "counter-token", "counter-webhook-secret",
		"employment-app-key", "app-jwt-keys", "app-terminal-keys", "admin-tokens"} {
		c.secrets[name] = true
	}
	c.Sim.RegisterFlags(fs)

	fs.StringVar(&c.DataKeys, "data-keys", "", "keys sealing ID numbers and phones at rest: id:<32 hex>[,id:<32 hex>…]; empty generates dev keys under data-dir")
	fs.StringVar(&c.DataActiveKey, "data-active-key", "", "id of the key new values are sealed with")
	fs.StringVar(&c.DataIndexKey, "data-index-key", "", "key of the blind index used to look personal data up (32–128 hex); never rotate without re-indexing")
	c.secrets["data-keys"] = true
	c.secrets["data-index-key"] = true

	fs.StringVar(&c.CacheHashKey, "cache-hash-key", "", "key (at least 16 characters) of the hash standing for ID numbers in Redis keys; shared by every instance; empty: random per start (embedded only)")
	c.secrets["cache-hash-key"] = true
	c.Limits = limit.DefaultConfig()
	fs.Var((*limitValue)(&c.Limits.Anonymous), "limit-anonymous", "rate budget per client IP on anonymous routes: requests/period,burst")
	fs.Var((*limitValue)(&c.Limits.Device), "limit-device", "rate budget per kiosk device: requests/period,burst")
	fs.Var((*limitValue)(&c.Limits.Person), "limit-person", "rate budget per signed-in person: requests/period,burst")
	fs.Var((*limitValue)(&c.Limits.Operator), "limit-operator", "rate budget per unit operator: requests/period,burst")
	return c
}

// FlagSet exposes the flag set so subcommands can add flags of their own
// before Parse.
func (c *Config) FlagSet() *flag.FlagSet { return c.fs }

// EnvName is the environment variable that sets the flag named name.
func EnvName(name string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// Parse fills c from the environment (getenv, usually os.Getenv) and then
// from args, and validates the result. An error names the variable or flag
// at fault. flag.ErrHelp is returned after usage has been printed for -h.
func (c *Config) Parse(args []string, getenv func(string) string) error {
	c.fs.Usage = func() { c.PrintUsage(c.fs.Output()) }
	if err := ParseFlags(c.fs, args, getenv, c.printable); err != nil {
		return err
	}
	return c.Validate()
}

// ParseFlags sets every flag of fs from its HRSS_* variable, then parses
// args over them. show renders a value for an error message (masking
// secrets); nil shows values as they are.
func ParseFlags(fs *flag.FlagSet, args []string, getenv func(string) string, show func(name, value string) string) error {
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		env := EnvName(f.Name)
		if v := getenv(env); v != "" {
			if err := f.Value.Set(v); err != nil {
				shown := v
				if show != nil {
					shown = show(f.Name, v)
				}
				errs = append(errs, fmt.Errorf("%s=%q: %v", env, shown, err))
			}
		}
	})
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return fs.Parse(args)
}

// Args returns the arguments left after the flags.
func (c *Config) Args() []string { return c.fs.Args() }

// Validate checks values that parse but make no sense, naming the variable.
func (c *Config) Validate() error {
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", EnvName(name), fmt.Sprintf(format, args...)))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("addr", "want host:port, got %q", c.Addr)
	}
	if c.LogFormat != "" && c.LogFormat != "text" && c.LogFormat != "json" {
		bad("log-format", "want text or json, got %q", c.LogFormat)
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, c.LogLevel) {
		bad("log-level", "want debug, info, warn or error, got %q", c.LogLevel)
	}
	if c.MySQLDSN != "" {
		if _, err := mysql.ParseDSN(c.MySQLDSN); err != nil {
			bad("mysql-dsn", "not a valid DSN: %v", err)
		}
	}
	for name, v := range map[string]int{"mysql-max-open": c.MySQLMaxOpen, "redis-pool-size": c.RedisPoolSize, "body-limit": c.BodyLimit} {
		if v <= 0 {
			bad(name, "must be positive, got %d", v)
		}
	}
	if c.MySQLMaxIdle < 0 || c.MySQLMaxIdle > c.MySQLMaxOpen {
		bad("mysql-max-idle", "must be between 0 and HRSS_MYSQL_MAX_OPEN (%d), got %d", c.MySQLMaxOpen, c.MySQLMaxIdle)
	}
	if c.DebugAddr != "" {
		if host, _, err := net.SplitHostPort(c.DebugAddr); err != nil || !loopbackURL("http://"+net.JoinHostPort(host, "0")) {
			bad("debug-addr", "want a loopback host:port such as 127.0.0.1:6060 (profiles show memory), got %q", c.DebugAddr)
		}
	}
	if c.ProxyHeader != "" && len(c.TrustedProxies) == 0 {
		bad("trusted-proxies", "must name the load balancers when HRSS_PROXY_HEADER is set, or any client could choose its own address")
	}
	for _, p := range c.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				bad("trusted-proxies", "want addresses or CIDRs like 10.0.0.0/8, got %q", p)
			}
		}
	}
	if c.RedisMaster != "" && len(c.RedisAddrs) == 0 {
		bad("redis-master", "needs HRSS_REDIS_ADDRS naming the sentinels")
	}
	if c.RedisDB < 0 || c.RedisDB > 15 {
		bad("redis-db", "must be between 0 and 15, got %d", c.RedisDB)
	}
	if c.RedisDB != 0 && len(c.RedisAddrs) > 1 && c.RedisMaster == "" {
		bad("redis-db", "a Redis cluster has only database 0")
	}
	for _, a := range c.RedisAddrs {
		if _, _, err := net.SplitHostPort(a); err != nil {
			bad("redis-addrs", "want host:port, got %q", a)
		}
	}
	durations := map[string]time.Duration{"read-timeout": c.ReadTimeout, "write-timeout": c.WriteTimeout,
		"idle-timeout": c.IdleTimeout, "request-timeout": c.RequestTimeout, "shutdown-grace": c.ShutdownGrace,
		"mysql-conn-max-lifetime": c.MySQLConnMaxLifetime, "core-timeout": c.CoreTimeout, "counter-poll-every": c.CounterPollEvery}
	for name, d := range durations {
		if d <= 0 {
			bad(name, "must be positive, got %s", d)
		}
	}
	for _, u := range []struct{ name, value, key, simKey string }{
		{"core", c.CoreURL, "", ""},
		{"public", c.PublicURL, "", ""},
		{"sms", c.SMSURL, c.SMSAppKey, smssim.DefaultAppKey},
		{"province", c.ProvinceURL, c.ProvinceAppKey, provsim.DefaultAppKey},
		{"payment", c.PaymentURL, c.PaymentAppKey, paysim.DefaultAppKey},
		{"wechat", c.WeChatURL, c.WeChatAppSecret, wechatsim.DefaultAppSecret},
		{"counter", c.CounterURL, c.CounterWebhookSecret, countersim.DefaultWebhookSecret},
		{"employment", c.EmploymentURL, c.EmploymentAppKey, empsim.DefaultAppKey},
	} {
		if u.value != "" && !validBaseURL(u.value) {
			bad(u.name+"-url", "want an http(s) URL like http://host:port, got %q", u.value)
		}
		// A simulator's key is refused for a real system; `hrss sim` serves
		// the simulators on loopback (the load test), where no real one is.
		if u.value != "" && u.simKey != "" && u.key == u.simKey && !loopbackURL(u.value) {
			bad(u.name+"-url", "points at a real system, so its key or secret must be set to the real one, not the simulator's")
		}
	}
	if c.Sim.People < 1000 || c.Sim.Units < 1 || c.Sim.Units > c.Sim.People*85/100 {
		bad("sim-people", "the simulated city needs at least 1000 people and units between 1 and 85%% of them (people %d, units %d)", c.Sim.People, c.Sim.Units)
	}
	for name, f := range c.Sim.Faults {
		if err := f.Validate(); err != nil {
			bad("sim-"+name+"-latency-min", "%v", err)
		}
	}
	if !c.Embedded() && len(c.CacheHashKey) < 16 {
		bad("cache-hash-key", "must be at least 16 characters in production, the same on every instance")
	}
	if _, err := admin.ParseStaff(c.AdminTokens); err != nil {
		bad("admin-tokens", "%v", err)
	}
	if !c.Embedded() && c.AppJWTKeys == "" {
		bad("app-jwt-keys", "must be set in production, the same on every instance, or tokens signed by one instance fail on another")
	}
	if !c.Embedded() && c.DataKeys == "" {
		bad("data-keys", "must be set in production (with HRSS_DATA_ACTIVE_KEY and HRSS_DATA_INDEX_KEY): personal data is sealed with them")
	}
	if c.Embedded() && c.DataDir == "" {
		bad("data-dir", "must be set when running on embedded SQLite")
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}

// SQLitePath is where the embedded database lives.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "hrss.db") }

// Print writes every setting with its value, secrets masked, one per line.
func (c *Config) Print(w io.Writer) {
	c.fs.VisitAll(func(f *flag.Flag) {
		fmt.Fprintf(w, "  %-32s %s\n", EnvName(f.Name), c.printable(f.Name, f.Value.String()))
	})
}

// Settings returns every setting's value, secrets masked, keyed by variable
// name, for the start-up log line.
func (c *Config) Settings() map[string]string {
	m := map[string]string{}
	c.fs.VisitAll(func(f *flag.Flag) { m[EnvName(f.Name)] = c.printable(f.Name, f.Value.String()) })
	return m
}

// PrintUsage lists every setting with its flag, variable and default.
func (c *Config) PrintUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s [flags]\n\nEvery flag can also be set by the environment variable shown.\n\n", c.fs.Name())
	c.fs.VisitAll(func(f *flag.Flag) {
		def := f.DefValue
		if def == "" {
			def = `""`
		}
		fmt.Fprintf(w, "  -%s  (%s)\n\t%s (default %s)\n", f.Name, EnvName(f.Name), f.Usage, def)
	})
}

// printable masks a secret value: a DSN keeps its shape with the password
// hidden, anything else becomes asterisks.
func (c *Config) printable(name, v string) string {
	if !c.secrets[name] || v == "" {
		return v
	}
	if name == "mysql-dsn" {
		if cfg, err := mysql.ParseDSN(v); err == nil {
			if cfg.Passwd != "" {
				cfg.Passwd = "****"
			}
			return cfg.FormatDSN()
		}
	}
	return "****"
}

// publicURL is where citizens and other systems reach this server:
// PublicURL when set, else the address it listens on.
func (c *Config) publicURL(listening string) string {
	if c.PublicURL != "" {
		return strings.TrimRight(c.PublicURL, "/")
	}
	return listening
}

func validBaseURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// loopbackURL reports whether s names this machine (127.0.0.0/8, ::1 or
// localhost): simulators started by `hrss sim`, never a bureau system.
func loopbackURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	if u.Hostname() == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(u.Hostname())
	return err == nil && a.IsLoopback()
}

// limitValue is a rate budget flag: "120/1m,40" is 120 requests a minute
// with bursts of 40.
type limitValue limit.Limit

func (l *limitValue) String() string {
	return fmt.Sprintf("%d/%s,%d", l.Rate, l.Period, l.Burst)
}

func (l *limitValue) Set(s string) error {
	rate, rest, ok1 := strings.Cut(s, "/")
	period, burst, ok2 := strings.Cut(rest, ",")
	r, err1 := strconv.Atoi(strings.TrimSpace(rate))
	p, err2 := time.ParseDuration(strings.TrimSpace(period))
	b, err3 := strconv.Atoi(strings.TrimSpace(burst))
	if !ok1 || !ok2 || err1 != nil || err2 != nil || err3 != nil || r <= 0 || p <= 0 || b <= 0 {
		return fmt.Errorf("want requests/period,burst like 120/1m,40")
	}
	*l = limitValue{Rate: r, Burst: b, Period: p}
	return nil
}

// listValue is a comma-separated list flag.
type listValue []string

func (l *listValue) String() string { return strings.Join(*l, ",") }

func (l *listValue) Set(s string) error {
	*l = strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	return nil
}
