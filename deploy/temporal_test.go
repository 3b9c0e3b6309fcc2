package deploy

import (
	"os"
	"path"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The temporalio/server image configures the server from its environment through the template
// embedded in go.temporal.io/server (common/config/config_template_embedded.yaml). These tests hold
// the compose file to what that template reads. They do not import the server: package deploy stays
// quick to build (internal/architecture).

// dynamicConfigPath is where the template's server reads its dynamic config unless
// DYNAMIC_CONFIG_FILE_PATH says otherwise. The image ships no such file, and the server does not
// start without one.
const dynamicConfigPath = "/etc/temporal/config/dynamicconfig/docker.yaml"

func TestTemporalServerGetsWhatItNeeds(t *testing.T) {
	cf := readCompose(t)
	temporal, ok := cf.Services["temporal"]
	if !ok {
		t.Fatal("no service temporal")
	}
	env := temporal.Environment

	t.Run("it stores in the compose PostgreSQL as the temporal role", func(t *testing.T) {
		if env["DB"] != "postgres12" {
			t.Errorf("DB=%q, want postgres12", env["DB"])
		}
		checkServiceAddress(t, cf, "POSTGRES_SEEDS and DB_PORT", env["POSTGRES_SEEDS"]+":"+env["DB_PORT"])
		if env["POSTGRES_USER"] != "temporal" || env["POSTGRES_PWD"] == "" {
			t.Errorf("POSTGRES_USER=%q POSTGRES_PWD=%q, want temporal and a password", env["POSTGRES_USER"], env["POSTGRES_PWD"])
		}
		if schema := cf.Services["temporal-schema"].Environment; schema["SQL_USER"] != env["POSTGRES_USER"] || schema["SQL_HOST"] != env["POSTGRES_SEEDS"] {
			t.Errorf("temporal-schema sets up %s@%s, the server uses %s@%s",
				schema["SQL_USER"], schema["SQL_HOST"], env["POSTGRES_USER"], env["POSTGRES_SEEDS"])
		}
	})

	t.Run("postgres/initdb.sh creates the databases it uses", func(t *testing.T) {
		initdb, err := os.ReadFile("postgres/initdb.sh")
		if err != nil {
			t.Fatal(err)
		}
		// The template's defaults for DBNAME and VISIBILITY_DBNAME.
		for _, db := range []string{"temporal", "temporal_visibility"} {
			if !strings.Contains(string(initdb), "CREATE DATABASE "+db+" OWNER temporal;") {
				t.Errorf("initdb.sh does not create %s owned by temporal", db)
			}
		}
	})

	t.Run("its dynamic config file is mounted and is YAML", func(t *testing.T) {
		want := dynamicConfigPath
		if p := env["DYNAMIC_CONFIG_FILE_PATH"]; p != "" {
			want = p
		}
		var local string
		for _, v := range temporal.Volumes {
			parts := strings.Split(v, ":")
			if len(parts) >= 2 && parts[1] == path.Dir(want) {
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
		var values map[string]any
		if err := yaml.Unmarshal(data, &values); err != nil {
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
