package deploy

import (
	"fmt"
	"net"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/samverkan/samverkan/config"
)

// composeFile is the part of a compose file these tests read. yaml.v3 resolves the anchors and
// `<<` merge keys the file uses, as compose does.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
}

type composeService struct {
	Image       string       `yaml:"image"`
	Build       composeBuild `yaml:"build"`
	Command     stringList   `yaml:"command"`
	Environment environment  `yaml:"environment"`
	DependsOn   dependsOn    `yaml:"depends_on"`
	Volumes     []string     `yaml:"volumes"`
}

// composeBuild is `build:` in either form: a context path, or a mapping with context and dockerfile.
type composeBuild struct {
	Context    string `yaml:"context"`
	Dockerfile string `yaml:"dockerfile"`
}

func (b *composeBuild) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		b.Context = n.Value
		return nil
	}
	type plain composeBuild
	return n.Decode((*plain)(b))
}

// stringList is `command:` in either form: a string split on blanks, or a list.
type stringList []string

func (s *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = strings.Fields(n.Value)
		return nil
	}
	return n.Decode((*[]string)(s))
}

// environment is `environment:` in either form: a mapping, or a list of NAME=VALUE (or NAME alone,
// which passes the variable through from compose's own environment).
type environment map[string]string

func (e *environment) UnmarshalYAML(n *yaml.Node) error {
	*e = environment{}
	switch n.Kind {
	case yaml.MappingNode:
		var m map[string]any
		if err := n.Decode(&m); err != nil {
			return err
		}
		for k, v := range m {
			if v == nil {
				(*e)[k] = ""
			} else {
				(*e)[k] = fmt.Sprint(v)
			}
		}
	case yaml.SequenceNode:
		var list []string
		if err := n.Decode(&list); err != nil {
			return err
		}
		for _, item := range list {
			k, v, _ := strings.Cut(item, "=")
			(*e)[k] = v
		}
	default:
		return fmt.Errorf("line %d: environment is neither a mapping nor a list", n.Line)
	}
	return nil
}

// dependsOn is `depends_on:` in either form; the list form has no conditions.
type dependsOn map[string]string

func (d *dependsOn) UnmarshalYAML(n *yaml.Node) error {
	*d = dependsOn{}
	if n.Kind == yaml.SequenceNode {
		var list []string
		if err := n.Decode(&list); err != nil {
			return err
		}
		for _, name := range list {
			(*d)[name] = ""
		}
		return nil
	}
	var m map[string]struct {
		Condition string `yaml:"condition"`
	}
	if err := n.Decode(&m); err != nil {
		return err
	}
	for name, dep := range m {
		(*d)[name] = dep.Condition
	}
	return nil
}

func parseCompose(data []byte) (composeFile, error) {
	var cf composeFile
	if err := yaml.Unmarshal(data, &cf); err != nil {
		return cf, err
	}
	if len(cf.Services) == 0 {
		return cf, fmt.Errorf("no services")
	}
	return cf, nil
}

func readCompose(t *testing.T) composeFile {
	t.Helper()
	data, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	cf, err := parseCompose(data)
	if err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	return cf
}

// settingNames is every variable the binary reads.
func settingNames() map[string]bool {
	known := map[string]bool{}
	for _, s := range config.Settings() {
		known[s.Env] = true
	}
	return known
}

// unknownSettings names each SAMVERKAN_ variable a service sets that the binary does not read, as
// "service X sets Y", sorted.
func unknownSettings(cf composeFile, known map[string]bool) []string {
	var out []string
	for name, svc := range cf.Services {
		for v := range svc.Environment {
			if strings.HasPrefix(v, "SAMVERKAN_") && !known[v] {
				out = append(out, fmt.Sprintf("service %s sets %s", name, v))
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestComposeSetsOnlySettingsTheBinaryReads(t *testing.T) {
	cf := readCompose(t)
	for _, problem := range unknownSettings(cf, settingNames()) {
		t.Errorf("%s, which config.Settings() does not list: the binary would ignore it", problem)
	}
	// Guard against passing vacuously, e.g. if a merge key stopped resolving: the api must be
	// seen to set its settings at all.
	if n := len(cf.Services["api"].Environment); n < 5 {
		t.Errorf("api sets %d variables; the merged environment was not read", n)
	}
}

func TestUnknownSettingIsReported(t *testing.T) {
	const bad = `
services:
  as-map:
    environment:
      SAMVERKAN_DATABASE_URL: postgres://db/samverkan
      SAMVERKAN_NOT_A_SETTING: "1"
  as-list:
    environment:
      - SAMVERKAN_TEMPORAL_ADDRESS=temporal:7233
      - SAMVERKAN_NOT_A_SETTING=1
      - SAMVERKAN_PASSED_THROUGH
  unrelated:
    environment:
      POSTGRES_PASSWORD: x
`
	cf, err := parseCompose([]byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	got := unknownSettings(cf, settingNames())
	want := []string{
		"service as-list sets SAMVERKAN_NOT_A_SETTING",
		"service as-list sets SAMVERKAN_PASSED_THROUGH",
		"service as-map sets SAMVERKAN_NOT_A_SETTING",
	}
	if !slices.Equal(got, want) {
		t.Errorf("reported %q, want %q", got, want)
	}
}

func TestComposeRunsEachSubcommandFromTheImage(t *testing.T) {
	cf := readCompose(t)
	for service, subcommand := range map[string]string{"api": "serve", "worker": "worker", "migrate": "migrate"} {
		t.Run(service+" runs samverkan "+subcommand, func(t *testing.T) {
			svc, ok := cf.Services[service]
			if !ok {
				t.Fatalf("no service %s", service)
			}
			if len(svc.Command) == 0 || svc.Command[0] != subcommand {
				t.Errorf("command %q, want %q first", svc.Command, subcommand)
			}
			// The build context is the repository root, one up from this folder.
			if svc.Build.Context != ".." || svc.Build.Dockerfile != "deploy/Dockerfile" {
				t.Errorf("build %+v, want context .. and dockerfile deploy/Dockerfile", svc.Build)
			}
			if !strings.Contains(svc.Image, "samverkan") {
				t.Errorf("image %q is not the samverkan image", svc.Image)
			}
		})
	}
}

func TestComposeWiresDatabaseAndTemporal(t *testing.T) {
	cf := readCompose(t)
	for _, service := range []string{"api", "worker", "migrate"} {
		t.Run(service+" uses the compose PostgreSQL", func(t *testing.T) {
			url := cf.Services[service].Environment["SAMVERKAN_DATABASE_URL"]
			if !strings.HasPrefix(url, "postgres://") {
				// Anything else would give each container its own SQLite file.
				t.Fatalf("SAMVERKAN_DATABASE_URL %q is not postgres://", url)
			}
			checkServiceAddress(t, cf, "SAMVERKAN_DATABASE_URL", databaseHostPort(url))
		})
	}
	for _, service := range []string{"api", "worker"} {
		t.Run(service+" uses the compose Temporal", func(t *testing.T) {
			checkServiceAddress(t, cf, "SAMVERKAN_TEMPORAL_ADDRESS", cf.Services[service].Environment["SAMVERKAN_TEMPORAL_ADDRESS"])
		})
		t.Run(service+" starts after the migrations and the Temporal namespace", func(t *testing.T) {
			deps := cf.Services[service].DependsOn
			for dep, condition := range map[string]string{
				"postgresql":     "service_healthy",
				"migrate":        "service_completed_successfully",
				"temporal-setup": "service_completed_successfully",
			} {
				if deps[dep] != condition {
					t.Errorf("depends on %s with condition %q, want %q", dep, deps[dep], condition)
				}
			}
		})
	}
	t.Run("the api gets the settings serve requires", func(t *testing.T) {
		env := cf.Services["api"].Environment
		for _, v := range []string{"SAMVERKAN_OIDC_ISSUER", "SAMVERKAN_OIDC_JWKS_URL", "SAMVERKAN_PSEUDONYM_KEY", "SAMVERKAN_CODEC_KEYS"} {
			if env[v] == "" {
				t.Errorf("%s is not set", v)
			}
		}
	})
	t.Run("the worker gets the keys of the api, which it requires", func(t *testing.T) {
		if v := cf.Services["worker"].Environment["SAMVERKAN_CODEC_KEYS"]; v == "" || v != cf.Services["api"].Environment["SAMVERKAN_CODEC_KEYS"] {
			t.Errorf("worker SAMVERKAN_CODEC_KEYS %q, api %q", v, cf.Services["api"].Environment["SAMVERKAN_CODEC_KEYS"])
		}
	})
	t.Run("every file mounted from this folder exists", func(t *testing.T) {
		for _, service := range []string{"temporal-schema", "temporal-setup", "temporal", "postgresql"} {
			for _, v := range cf.Services[service].Volumes {
				src, _, _ := strings.Cut(v, ":")
				if !strings.HasPrefix(src, "./") {
					continue
				}
				if _, err := os.Stat(src); err != nil {
					t.Errorf("service %s mounts %s: %v", service, src, err)
				}
			}
		}
	})
}

// databaseHostPort is the host:port of a postgres:// URL whose password may be a ${…} placeholder,
// which net/url would not parse.
func databaseHostPort(url string) string {
	rest := url[strings.LastIndex(url, "@")+1:]
	hostPort, _, _ := strings.Cut(rest, "/")
	return hostPort
}

// checkServiceAddress fails unless hostPort names a service of the compose file and a port.
func checkServiceAddress(t *testing.T, cf composeFile, setting, hostPort string) {
	t.Helper()
	host, port, err := net.SplitHostPort(hostPort)
	if err != nil || port == "" {
		t.Fatalf("%s: %q is not host:port", setting, hostPort)
	}
	if _, ok := cf.Services[host]; !ok {
		t.Errorf("%s points at %q, which is no service of the compose file", setting, host)
	}
}
