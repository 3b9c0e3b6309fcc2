package deploy

import (
	"os"
	"path"
	"regexp"
	"strings"
	"testing"

	temporalconfig "go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
)

// The temporalio/server image configures the server from its environment through the template that
// is embedded in the server module (`temporal-server start` with no config flags). Rendering that
// template with the compose file's environment shows, without Docker, that the server would find
// its databases and the dynamic config file we mount.
func TestTemporalServerAcceptsTheComposeEnvironment(t *testing.T) {
	cf := readCompose(t)
	temporal, ok := cf.Services["temporal"]
	if !ok {
		t.Fatal("no service temporal")
	}
	placeholder := regexp.MustCompile(`\$\{[^}]*\}`)
	for k, v := range temporal.Environment {
		t.Setenv(k, placeholder.ReplaceAllString(v, "secret"))
	}
	// The image's entrypoint sets this when BIND_ON_IP is 0.0.0.0.
	t.Setenv("TEMPORAL_BROADCAST_ADDRESS", "172.18.0.3")

	cfg, err := temporalconfig.Load(temporalconfig.WithEmbedded())
	if err != nil {
		t.Fatalf("the server would not start: %v", err)
	}
	stores := cfg.Persistence.DataStores
	for store, database := range map[string]string{
		cfg.Persistence.DefaultStore:    "temporal",
		cfg.Persistence.VisibilityStore: "temporal_visibility",
	} {
		sql := stores[store].SQL
		if sql == nil {
			t.Fatalf("store %s is not SQL", store)
		}
		if sql.PluginName != "postgres12" || sql.ConnectAddr != "postgresql:5432" || sql.DatabaseName != database || sql.User != "temporal" {
			t.Errorf("store %s: %s %s@%s/%s, want postgres12 temporal@postgresql:5432/%s",
				store, sql.PluginName, sql.User, sql.ConnectAddr, sql.DatabaseName, database)
		}
	}

	t.Run("postgres/initdb.sh creates the databases it uses", func(t *testing.T) {
		initdb, err := os.ReadFile("postgres/initdb.sh")
		if err != nil {
			t.Fatal(err)
		}
		for _, db := range []string{"temporal", "temporal_visibility"} {
			if !strings.Contains(string(initdb), "CREATE DATABASE "+db+" OWNER temporal;") {
				t.Errorf("initdb.sh does not create %s owned by temporal", db)
			}
		}
	})

	t.Run("the dynamic config file it reads is mounted and valid", func(t *testing.T) {
		want := cfg.DynamicConfigClient.Filepath
		var local string
		for _, v := range temporal.Volumes {
			parts := strings.Split(v, ":")
			if len(parts) >= 2 && path.Dir(want) == parts[1] {
				local = path.Join(parts[0], path.Base(want))
			}
		}
		if local == "" {
			t.Fatalf("no volume holds %s", want)
		}
		data, err := os.ReadFile(local)
		if err != nil {
			t.Fatalf("the server would not start without %s: %v", want, err)
		}
		if err := dynamicconfig.LoadYamlFile(data).Err(); err != nil {
			t.Errorf("%s: %v", local, err)
		}
	})

	t.Run("the images are the Temporal version samverkan dev embeds", func(t *testing.T) {
		want := serverModuleVersion(t)
		for _, service := range []string{"temporal", "temporal-schema", "temporal-setup"} {
			image := cf.Services[service].Image
			if !strings.Contains(image, ":-"+want+"}") {
				t.Errorf("service %s runs %s; go.mod has go.temporal.io/server %s", service, image, want)
			}
		}
	})
}

// serverModuleVersion is the go.temporal.io/server version in ../go.mod, without its v.
func serverModuleVersion(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if fields := strings.Fields(line); len(fields) >= 2 && fields[0] == "go.temporal.io/server" {
			return strings.TrimPrefix(fields[1], "v")
		}
	}
	t.Fatal("go.mod does not require go.temporal.io/server")
	return ""
}
