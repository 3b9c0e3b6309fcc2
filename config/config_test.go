package config

import (
	"flag"
	"os"
	"strings"
	"testing"
	"time"
)

func load(env map[string]string, args ...string) (Config, error) {
	return Load(flag.NewFlagSet("test", flag.ContinueOnError), args, func(k string) string { return env[k] })
}

func TestLoad(t *testing.T) {
	t.Run("defaults need no environment", func(t *testing.T) {
		c, err := load(nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.HTTPAddr != "127.0.0.1:8080" || c.DataDir != "./data" || c.ShutdownTimeout != 15*time.Second || c.IsPostgres() {
			t.Fatalf("unexpected defaults: %+v", c)
		}
	})
	t.Run("a flag wins over its variable", func(t *testing.T) {
		c, err := load(map[string]string{"SAMVERKAN_HTTP_ADDR": "127.0.0.1:1"}, "--http-addr", "127.0.0.1:2")
		if err != nil || c.HTTPAddr != "127.0.0.1:2" {
			t.Fatalf("got %q, %v", c.HTTPAddr, err)
		}
	})
	t.Run("a postgres URL selects PostgreSQL", func(t *testing.T) {
		c, err := load(map[string]string{"SAMVERKAN_DATABASE_URL": "postgres://u@h/db"})
		if err != nil || !c.IsPostgres() {
			t.Fatalf("got %+v, %v", c, err)
		}
	})
	bad := []struct{ name, env, value string }{
		{"an address without a port", "SAMVERKAN_HTTP_ADDR", "localhost"},
		{"a port out of range", "SAMVERKAN_DEV_TEMPORAL_PORT", "70000"},
		{"a duration without a unit", "SAMVERKAN_SHUTDOWN_TIMEOUT", "15"},
		{"an unknown log level", "SAMVERKAN_LOG_LEVEL", "loud"},
		{"a database URL of another kind", "SAMVERKAN_DATABASE_URL", "mysql://x"},
		{"a short pseudonym key", "SAMVERKAN_PSEUDONYM_KEY", "abcd"},
		{"a codec key without an ID", "SAMVERKAN_CODEC_KEYS", strings.Repeat("ab", 32)},
		{"a codec key of 16 bytes", "SAMVERKAN_CODEC_KEYS", "k1:" + strings.Repeat("ab", 16)},
		{"a codec key of 48 bytes", "SAMVERKAN_CODEC_KEYS", "k1:" + strings.Repeat("ab", 48)},
		{"a codec key that is not hex or base64", "SAMVERKAN_CODEC_KEYS", "k1:not a key"},
		{"a codec key ID given twice", "SAMVERKAN_CODEC_KEYS", "k1:" + strings.Repeat("ab", 32) + ",k1:" + strings.Repeat("cd", 32)},
		{"a wildcard codec origin", "SAMVERKAN_CODEC_CORS_ORIGINS", "*"},
		{"a codec origin with a path", "SAMVERKAN_CODEC_CORS_ORIGINS", "https://ui.example.org/namespaces"},
		{"a codec origin without a scheme", "SAMVERKAN_CODEC_CORS_ORIGINS", "ui.example.org"},
		{"a wildcard front-end origin", "SAMVERKAN_CORS_ORIGINS", "*"},
		{"a front-end origin with a path", "SAMVERKAN_CORS_ORIGINS", "https://app.example.org/start"},
		{"a user rate without a burst", "SAMVERKAN_RATE_PER_USER", "50/s"},
		{"a user rate of zero", "SAMVERKAN_RATE_PER_USER", "0/s burst 10"},
		{"a user rate that is not a number", "SAMVERKAN_RATE_PER_USER", "NaN/s burst 10"},
		{"an address rate per fortnight", "SAMVERKAN_RATE_PER_ADDRESS", "5/fortnight burst 10"},
		{"an address rate with a burst of zero", "SAMVERKAN_RATE_PER_ADDRESS", "5/s burst 0"},
		{"a trusted proxy that is a host name", "SAMVERKAN_TRUSTED_PROXIES", "lb.example.org"},
		{"a mail server without a port", "SAMVERKAN_SMTP_ADDR", "smtp.example.org"},
		{"a sender that is no address", "SAMVERKAN_SMTP_FROM", "Samverkan"},
		{"a public URL without a scheme", "SAMVERKAN_PUBLIC_URL", "samverkan.example.org"},
		{"a public URL with a query", "SAMVERKAN_PUBLIC_URL", "https://samverkan.example.org/?x=1"},
		{"a dev mail port of 0", "SAMVERKAN_DEV_MAIL_PORT", "0"},
		{"a worker without pollers", "SAMVERKAN_WORKER_POLLERS", "0"},
		{"a sticky cache of a fraction", "SAMVERKAN_WORKER_STICKY_CACHE", "0.5"},
		{"a profiler on every interface", "SAMVERKAN_PPROF_ADDR", ":6060"},
		{"a profiler on a public address", "SAMVERKAN_PPROF_ADDR", "192.0.2.10:6060"},
		{"a profiler on a host name", "SAMVERKAN_PPROF_ADDR", "samverkan.example.org:6060"},
		{"a profiler without a port", "SAMVERKAN_PPROF_ADDR", "127.0.0.1"},
	}
	for _, tc := range bad {
		t.Run(tc.name+" is refused naming the variable", func(t *testing.T) {
			_, err := load(map[string]string{tc.env: tc.value})
			if err == nil || !strings.HasPrefix(err.Error(), tc.env+": ") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q does not name %s on one line", err, tc.env)
			}
		})
	}
	t.Run("codec keys are read in order, in hex or base64, the first active", func(t *testing.T) {
		hexKey, b64Key := strings.Repeat("ab", 32), "q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s="
		c, err := load(map[string]string{"SAMVERKAN_CODEC_KEYS": "2026:" + hexKey + ", 2025:" + b64Key})
		if err != nil || len(c.CodecKeys) != 2 || c.CodecKeys[0].ID != "2026" || c.CodecKeys[1].ID != "2025" ||
			string(c.CodecKeys[0].Secret) != string(c.CodecKeys[1].Secret) || len(c.CodecKeys[0].Secret) != 32 {
			t.Fatalf("got %+v, %v", c.CodecKeys, err)
		}
	})
	t.Run("a bad codec key's error shows no secret", func(t *testing.T) {
		secret := strings.Repeat("5a", 31)
		_, err := load(map[string]string{"SAMVERKAN_CODEC_KEYS": "k1:" + secret})
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("codec origins are kept as scheme and host", func(t *testing.T) {
		c, err := load(map[string]string{"SAMVERKAN_CODEC_CORS_ORIGINS": "https://ui.example.org/, http://127.0.0.1:8233"})
		if err != nil || strings.Join(c.CodecCORSOrigins, " ") != "https://ui.example.org http://127.0.0.1:8233" {
			t.Fatalf("got %q, %v", c.CodecCORSOrigins, err)
		}
	})
	t.Run("rates are read per second, minute or hour, or switched off", func(t *testing.T) {
		c, err := load(map[string]string{"SAMVERKAN_RATE_PER_USER": "120/min burst 30", "SAMVERKAN_RATE_PER_ADDRESS": "off"})
		if err != nil || c.RatePerUser != (Rate{PerSecond: 2, Burst: 30}) || c.RatePerAddress != (Rate{}) {
			t.Fatalf("got %+v %+v, %v", c.RatePerUser, c.RatePerAddress, err)
		}
		c, err = load(nil)
		if err != nil || c.RatePerUser != (Rate{PerSecond: 50, Burst: 200}) || c.RatePerAddress != (Rate{PerSecond: 20, Burst: 100}) {
			t.Fatalf("defaults %+v %+v, %v", c.RatePerUser, c.RatePerAddress, err)
		}
	})
	t.Run("the API's bounds on requests waiting on Temporal are numbers or off", func(t *testing.T) {
		c, err := load(map[string]string{"SAMVERKAN_API_MAX_INFLIGHT_WRITES": "4", "SAMVERKAN_API_MAX_INFLIGHT_READS": "OFF", "SAMVERKAN_API_ADMISSION_WAIT": "0s"})
		if err != nil || c.Admission != (Admission{Writes: 4}) {
			t.Fatalf("got %+v, %v", c.Admission, err)
		}
		c, err = load(nil)
		if err != nil || c.Admission != (Admission{Writes: 8, Reads: 32, Wait: 250 * time.Millisecond}) {
			t.Fatalf("defaults %+v, %v", c.Admission, err)
		}
		for _, bad := range []string{"0", "-1", "many"} {
			if _, err := load(map[string]string{"SAMVERKAN_API_MAX_INFLIGHT_WRITES": bad}); err == nil || !strings.Contains(err.Error(), "SAMVERKAN_API_MAX_INFLIGHT_WRITES") {
				t.Errorf("%q: %v", bad, err)
			}
		}
	})
	t.Run("trusted proxies are kept as CIDRs", func(t *testing.T) {
		c, err := load(map[string]string{"SAMVERKAN_TRUSTED_PROXIES": "10.1.2.3, 192.168.0.0/16, fd00::1/64"})
		if err != nil || strings.Join(c.TrustedProxies, " ") != "10.1.2.3/32 192.168.0.0/16 fd00::/64" {
			t.Fatalf("got %q, %v", c.TrustedProxies, err)
		}
	})
	t.Run("front-end origins are kept as scheme and host", func(t *testing.T) {
		c, err := load(map[string]string{"SAMVERKAN_CORS_ORIGINS": "https://app.example.org/, http://localhost:5173"})
		if err != nil || strings.Join(c.CORSOrigins, " ") != "https://app.example.org http://localhost:5173" {
			t.Fatalf("got %q, %v", c.CORSOrigins, err)
		}
	})
	t.Run("mail is off by default, with a sender, links to this machine and the dev catcher's ports", func(t *testing.T) {
		c, err := load(nil)
		if err != nil || c.SMTPAddr != "" || c.SMTPFrom != "Samverkan <noreply@samverkan.example>" ||
			c.PublicURL != "http://127.0.0.1:8080" || c.DevMailPort != 1025 || c.DevMailUIPort != 8025 {
			t.Fatalf("got %+v, %v", c, err)
		}
	})
	t.Run("mail settings are read, the public URL without its trailing slash", func(t *testing.T) {
		c, err := load(map[string]string{"SAMVERKAN_SMTP_ADDR": "smtp.example.org:587", "SAMVERKAN_SMTP_FROM": "noreply@example.org",
			"SAMVERKAN_PUBLIC_URL": "https://example.org/samverkan/", "SAMVERKAN_DEV_MAIL_UI_PORT": "0"})
		if err != nil || c.SMTPAddr != "smtp.example.org:587" || c.SMTPFrom != "noreply@example.org" ||
			c.PublicURL != "https://example.org/samverkan" || c.DevMailUIPort != 0 {
			t.Fatalf("got %+v, %v", c, err)
		}
	})
	t.Run("the profiler is off by default and takes a loopback address", func(t *testing.T) {
		c, err := load(nil)
		if err != nil || c.PprofAddr != "" {
			t.Fatalf("default %q, %v", c.PprofAddr, err)
		}
		for _, addr := range []string{"127.0.0.1:6060", "[::1]:0", "localhost:6060"} {
			if c, err := load(map[string]string{"SAMVERKAN_PPROF_ADDR": addr}); err != nil || c.PprofAddr != addr {
				t.Errorf("%s: got %q, %v", addr, c.PprofAddr, err)
			}
		}
	})
	t.Run("a client certificate without its key is refused", func(t *testing.T) {
		if _, err := load(map[string]string{"SAMVERKAN_TEMPORAL_TLS_CERT": "c.pem"}); err == nil {
			t.Fatal("accepted")
		}
	})
}

// TestReadmeListsEverySetting keeps the README's configuration table true.
func TestReadmeListsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range Settings() {
		if !strings.Contains(string(readme), "| `"+s.Env+"` | `--"+s.Flag+"` |") {
			t.Errorf("README.md has no row for %s (--%s)", s.Env, s.Flag)
		}
	}
}
